"""An event's fields chosen from its mentions by evidence, and the disagreements between sources.

Each field is chosen by the documents that state it, not by how often one article repeats
itself: the date most sources give (explicit dates before ones taken from context; a suspect date
never wins when another is known), participants by how many reports name them, each number by
how many documents give it (exact statements before approximate ones, then the earliest report).
Whatever the sources disagree on is flagged, saying which source says what, and nothing is
dropped: every mention stays with its sentence.

Flags:
- `date_conflict`: reports that give explicit dates a day or two apart.
- `date_outlier`: a report whose date lies far outside the rest (or after its own publication);
  the event is dated from the other reports.
- `quantity_conflict`: documents stating different, incompatible numbers of dead, injured, ...
- `actor_conflict`: documents naming different actors for the event.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..schema import EntityRef, Event, Flag, Mention
from .dates import gap, interval
from .events import DAY_TOLERANCE, OUTLIER_DAYS
from .mentions import MentionRecord
from .summary import EventSummary, Tallies, own_figure

APPROX_TOLERANCE = 0.15  # "about 80" agrees with 81 but not with 150


def _participants(s: Tallies, role: str) -> list[EntityRef]:
    """Named participants by how many reports name them, then the first named; phrases only
    when no participant of the role was recognised as an entity."""
    table = s.roles[role]  # entity id -> [reports, first order, name, named]
    named = [eid for eid, seen in table.items() if seen[3]]
    chosen = named or list(table)
    chosen.sort(key=lambda eid: (-table[eid][0], table[eid][1]))
    return [EntityRef(table[eid][2], eid) for eid in chosen]


def _location(s: Tallies) -> dict | None:
    if not s.places:
        return None
    best = min(s.places, key=lambda eid: (-s.places[eid][0], s.places[eid][1]))
    return {k: v for k, v in s.places[best][2].items() if k != "named"}


def agree(a: tuple[int, str | None], b: tuple[int, str | None]) -> bool:
    """Whether two stated numbers (value, approximation) can describe the same count."""
    (va, xa), (vb, xb) = a, b
    if va == vb:
        return True
    for (v, x), (w, _) in (((va, xa), (vb, xb)), ((vb, xb), (va, xa))):
        if x in ("more_than", "at_least") and w >= v:
            return True
        if x == "less_than" and w <= v:
            return True
        if x == "about" and abs(w - v) <= APPROX_TOLERANCE * max(v, 1):
            return True
    return False


def _quantities(s: Tallies) -> tuple[dict[str, int], list[Flag]]:
    chosen: dict[str, int] = {}
    flags: list[Flag] = []
    for kind in sorted(set(s.stated) | set(s.more_stated)):
        per_doc = {doc: own_figure(values) for doc, values in s.stated.get(kind, {}).items()}
        more = s.more_stated.get(kind, {})
        votes: Counter = Counter(per_doc.values()) + Counter(more)  # figure -> documents giving it
        exact_votes: Counter = Counter({v: n for (v, x), n in votes.items() if x is None})

        def rank(va: tuple[int, str | None]) -> tuple:
            supporters = sum(n for other, n in votes.items() if agree(va, other))
            return (-supporters, va[1] is not None, -exact_votes.get(va[0], 0),
                    s.first_stated[(kind, va[0])])

        best = min(votes, key=rank)
        chosen[kind] = int(best[0])
        if not all(agree(best, va) for va in votes):
            says = [f"{s.doc_names[doc]}: {_stated(va)}" for doc, va in sorted(
                per_doc.items(), key=lambda kv: s.doc_names[kv[0]])]
            if more:
                says.append(_tally(more, _stated, lambda va: va[0]))
            flags.append(Flag("quantity_conflict", f"{kind}: {'; '.join(says)}"))
    return chosen, flags


def _counted(n: int) -> str:
    """The documents an event's tallies count without naming them (Tallies.fold)."""
    return f"{n} more source{'s' if n != 1 else ''}"


def _tally(counts: dict, label, tie) -> str:
    """What the counted documents say: `412 more sources: 164 ×390, 225 ×22`, most said first."""
    said = sorted(counts.items(), key=lambda kv: (-kv[1], tie(kv[0])))
    return f"{_counted(sum(counts.values()))}: " + ", ".join(f"{label(k)} ×{n}" for k, n in said)


def _stated(va: tuple[int, str | None]) -> str:
    value, approx = va
    return f"{value}" if approx is None else f"{value} ({approx.replace('_', ' ')})"


def _says(source: str, date: str, date_text: str | None) -> str:
    return f"{source} says {date}" + (f" (`{date_text}`)" if date_text else "")


def _date_flags(s: Tallies, date: str | None) -> list[Flag]:
    flags: list[Flag] = []
    chosen = interval(date)
    if chosen is None:
        return flags
    conflicting: dict[str, set[tuple[bool, str]]] = defaultdict(set)
    outliers: list[str] = []
    # each distinct statement with who makes it: a named source, or how many counted ones
    statements = [(False, *entry) for entry in s.dated] + [
        (True, _counted(n), *entry) for entry, n in s.more_dated.items()]

    def listed(sources: set[tuple[bool, str]]) -> str:  # named sources by name, then counted ones
        return ", ".join(text for _, text in sorted(sources))
    for counted, source, value, date_text, suspect, doc_date in statements:
        iv = interval(value)
        g = gap(iv, chosen)
        pub = interval(doc_date)
        after = pub is not None and iv.first > pub.last
        if suspect and (g > 0 or (after and gap(iv, pub) > OUTLIER_DAYS)):
            why = "after the report's own publication date" if after \
                else "far outside the dates of the rest of the story"
            outliers.append(f"{_says(source, value, date_text)}: {why}")
        elif g > DAY_TOLERANCE:
            outliers.append(_says(source, value, date_text))
        elif g > 0 and date_text and iv.precision == chosen.precision == "day":
            conflicting[value].add((counted, f"{source} (`{date_text}`)"))
    if outliers:
        rest = "" if s.reports == 1 else f"; dated {date} from the other reports"
        flags.append(Flag("date_outlier", "; ".join(outliers) + rest))
    if conflicting:
        backing = {(counted, f"{source} (`{date_text}`)")
                   for counted, source, value, date_text, _, _ in statements if value == date and date_text}
        says = [f"{listed(backing) or 'context'}: {date}"] + [
            f"{listed(srcs)}: {d}" for d, srcs in sorted(conflicting.items())]
        flags.append(Flag("date_conflict", "; ".join(says)))
    return flags


def _actor_flags(s: Tallies) -> list[Flag]:
    single = {doc: next(iter(ids)) for doc, ids in s.doc_actors.items() if len(ids) == 1}
    if len(set(single.values()) | set(s.more_actors)) < 2 or s.more_multi \
            or any(len(ids) > 1 for ids in s.doc_actors.values()):
        return []
    says = [f"{s.doc_names[doc]}: {s.actor_names[eid]}" for doc, eid in sorted(
        single.items(), key=lambda kv: s.doc_names[kv[0]])]
    if s.more_actors:
        says.append(_tally(s.more_actors, s.actor_names.get, lambda eid: eid))
    return [Flag("actor_conflict", "; ".join(says))]


def event_of(event_id: str, summary: EventSummary) -> Event:
    """The event record chosen from an event's tallies (its mentions are the stored reports,
    joined when the event is read). Its documents are all complete here, so the tallies fold
    those after the first NAMED_SOURCES into counts first (Tallies.fold)."""
    s = summary.tallies
    s.fold()
    date = s.votes.consensus()
    quantities, q_flags = _quantities(s)
    unsure = s.more_unsure
    for c in s.confidence.values():
        unsure *= 1.0 - c
    modes = s.mode_counts
    return Event(
        id=event_id, type=summary.type,
        mode=min(modes, key=lambda md: (-modes[md], md)) if modes else None,
        date=date,
        actors=_participants(s, "actors"), recipients=_participants(s, "recipients"),
        location=_location(s), quantities=quantities,
        flags=_date_flags(s, date) + q_flags + _actor_flags(s), confidence=round(1.0 - unsure, 3),
        modality=summary.modality, negated=summary.negated,
    )


def mention_of(m: MentionRecord) -> Mention:
    """The source of an event record: one report's sentence."""
    return Mention(doc_id=m.doc_id, doc_name=m.doc_name, sentence=m.sentence, start=m.start,
                   end=m.end, date_text=m.date_text)


def merged_event(event_id: str, mentions: list[MentionRecord]) -> Event:
    """The event record of a set of mentions, with them as its sources."""
    event = event_of(event_id, EventSummary.of(mentions))
    event.mentions = [mention_of(m) for m in sorted(mentions, key=lambda m: m.order)]
    return event
