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
from .events import DAY_TOLERANCE, OUTLIER_DAYS, consensus_date
from .mentions import MentionRecord, Participant

APPROX_TOLERANCE = 0.15  # "about 80" agrees with 81 but not with 150


def _source(m: MentionRecord) -> str:
    return m.doc_name


def _participants(mentions: list[MentionRecord], role: str) -> list[EntityRef]:
    counts: Counter = Counter()
    first: dict[str, tuple[tuple[int, int], Participant]] = {}
    for m in mentions:
        for p in getattr(m, role):
            counts[p.entity_id] += 1
            if p.entity_id not in first or (p.named and not first[p.entity_id][1].named):
                first[p.entity_id] = (m.order, p)
    named = [eid for eid in counts if first[eid][1].named]
    chosen = named or list(counts)
    chosen.sort(key=lambda eid: (-counts[eid], first[eid][0]))
    return [EntityRef(first[eid][1].name, eid) for eid in chosen]


def _location(mentions: list[MentionRecord]) -> dict | None:
    counts: Counter = Counter()
    chosen: dict[str, dict] = {}
    order: dict[str, tuple[int, int]] = {}
    for m in mentions:
        if m.location:
            eid = m.location["entity_id"]
            counts[eid] += 2 if m.location.get("named") else 1
            chosen.setdefault(eid, m.location)
            order.setdefault(eid, m.order)
    if not counts:
        return None
    best = min(counts, key=lambda eid: (-counts[eid], order[eid]))
    return {k: v for k, v in chosen[best].items() if k != "named"}


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


def _quantities(mentions: list[MentionRecord]) -> tuple[dict[str, int], list[Flag]]:
    # kind -> doc -> (value, approx) -> count of mentions
    stated: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    names: dict[str, str] = {}
    first: dict[tuple[str, int], tuple[int, int]] = {}
    for m in mentions:
        names[m.doc_id] = _source(m)
        for kind, value in m.quantities.items():
            stated[kind][m.doc_id][(value, m.approx.get(kind))] += 1
            first[(kind, value)] = min(first.get((kind, value), m.order), m.order)
    chosen: dict[str, int] = {}
    flags: list[Flag] = []
    for kind in sorted(stated):
        per_doc = {}
        for doc, values in stated[kind].items():
            # a document's own figure: the one it repeats most, the largest if it gives several
            per_doc[doc] = max(values, key=lambda va: (values[va], va[0]))
        votes: Counter = Counter(per_doc.values())
        exact_votes: Counter = Counter({v: n for (v, x), n in votes.items() if x is None})

        def rank(va: tuple[int, str | None]) -> tuple:
            supporters = sum(1 for other in per_doc.values() if agree(va, other))
            return (-supporters, va[1] is not None, -exact_votes.get(va[0], 0),
                    first[(kind, va[0])])

        best = min(votes, key=rank)
        chosen[kind] = int(best[0])
        disagreeing = {doc: va for doc, va in per_doc.items() if not agree(best, va)}
        if disagreeing:
            says = "; ".join(f"{names[doc]}: {_stated(va)}" for doc, va in sorted(
                per_doc.items(), key=lambda kv: names[kv[0]]))
            flags.append(Flag("quantity_conflict", f"{kind}: {says}"))
    return chosen, flags


def _stated(va: tuple[int, str | None]) -> str:
    value, approx = va
    return f"{value}" if approx is None else f"{value} ({approx.replace('_', ' ')})"


def _says(m: MentionRecord) -> str:
    return f"{_source(m)} says {m.date}" + (f" (`{m.date_text}`)" if m.date_text else "")


def _date_flags(mentions: list[MentionRecord], date: str | None) -> list[Flag]:
    flags: list[Flag] = []
    chosen = interval(date)
    if chosen is None:
        return flags
    conflicting: dict[str, set[str]] = defaultdict(set)
    outliers: list[str] = []
    for m in mentions:
        iv = interval(m.date)
        if iv is None:
            continue
        g = gap(iv, chosen)
        pub = interval(m.doc_date)
        after = pub is not None and iv.first > pub.last
        if m.suspect_date and (g > 0 or (after and gap(iv, pub) > OUTLIER_DAYS)):
            why = "after the report's own publication date" if after \
                else "far outside the dates of the rest of the story"
            outliers.append(f"{_says(m)}: {why}")
        elif g > DAY_TOLERANCE:
            outliers.append(_says(m))
        elif g > 0 and m.date_text and iv.precision == chosen.precision == "day":
            conflicting[m.date].add(f"{_source(m)} (`{m.date_text}`)")
    if outliers:
        rest = "" if len(mentions) == 1 else f"; dated {date} from the other reports"
        flags.append(Flag("date_outlier", "; ".join(outliers) + rest))
    if conflicting:
        backing = sorted({f"{_source(m)}" + (f" (`{m.date_text}`)" if m.date_text else "")
                          for m in mentions if m.date == date and m.date_text})
        says = [f"{', '.join(backing) or 'context'}: {date}"] + [
            f"{', '.join(sorted(srcs))}: {d}" for d, srcs in sorted(conflicting.items())]
        flags.append(Flag("date_conflict", "; ".join(says)))
    return flags


def _actor_flags(mentions: list[MentionRecord]) -> list[Flag]:
    per_doc: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for m in mentions:
        for p in m.actors:
            if p.named:
                per_doc[m.doc_id].add(p.entity_id)
                names[p.entity_id] = p.name
    single = {doc: next(iter(ids)) for doc, ids in per_doc.items() if len(ids) == 1}
    if len(set(single.values())) < 2 or any(len(ids) > 1 for ids in per_doc.values()):
        return []
    doc_names = {m.doc_id: _source(m) for m in mentions}
    says = "; ".join(f"{doc_names[doc]}: {names[eid]}" for doc, eid in sorted(
        single.items(), key=lambda kv: doc_names[kv[0]]))
    return [Flag("actor_conflict", says)]


def merged_event(event_id: str, mentions: list[MentionRecord]) -> Event:
    """The event record of a set of mentions."""
    mentions = sorted(mentions, key=lambda m: m.order)
    first = mentions[0]
    modes = Counter(m.mode for m in mentions if m.mode)
    date = consensus_date(mentions)
    quantities, q_flags = _quantities(mentions)
    best_per_doc: dict[str, float] = {}
    for m in mentions:
        best_per_doc[m.doc_id] = max(best_per_doc.get(m.doc_id, 0.0), m.confidence)
    unsure = 1.0
    for c in best_per_doc.values():
        unsure *= 1.0 - c
    flags = _date_flags(mentions, date) + q_flags + _actor_flags(mentions)
    return Event(
        id=event_id, type=first.type,
        mode=min(modes, key=lambda md: (-modes[md], md)) if modes else None,
        date=date,
        actors=_participants(mentions, "actors"), recipients=_participants(mentions, "recipients"),
        location=_location(mentions), quantities=quantities,
        mentions=[Mention(doc_id=m.doc_id, doc_name=m.doc_name, sentence=m.sentence, start=m.start,
                          end=m.end, date_text=m.date_text) for m in mentions],
        flags=flags, confidence=round(1.0 - unsure, 3),
        modality=first.modality, negated=first.negated,
    )
