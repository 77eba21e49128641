"""Which event mentions report the same real event.

Mentions are taken one at a time in store order (document sequence, then position), so the
result depends only on the inputs, not on batch boundaries or scheduling. A mention is compared
only with the events filed under its blocking keys — its type with its day (and the days around
it), its month, each named participant, and its document — never with all events. It joins the
best-scoring compatible event, or founds a new one whose id is derived from its own (stable for
the same inputs).

Compatible: same PLOVER type, modality and polarity; dates that
overlap at their precision or lie at most `DAY_TOLERANCE` days apart (a report a day off is the
same event with a date conflict; further apart is another event) — unless the mention's date is
suspect (far outside what its own article talks about: most likely a translation slip), in which
case the date is ignored but much stronger evidence is required. Evidence: the same day, shared
named participants (canonical entity ids) or place, the same wording of the trigger, the same
numbers, the same article (a report repeats its own event), similar sentences; against:
different modes, different named places (a country and a city in it are not different) or actors.
"""
from __future__ import annotations

from .dates import DateInterval, gap, interval, neighbours
from .mentions import MentionRecord
from .summary import EventSummary, trigger_key

DAY_TOLERANCE = 2  # two reports this many days apart can still be one event (date conflict)
OUTLIER_DAYS = 30  # a date this far from its article's own time frame is suspect
MERGE_SCORE = 2.0  # evidence needed to join an event
SUSPECT_MERGE_SCORE = 3.0  # ... when the mention's date is ignored
CANDIDATES_PER_KEY = 64  # the most recent events under one blocking key that are compared


def filing_keys(m: MentionRecord) -> list[str]:
    """The blocking keys an event is filed under for one of its mentions."""
    keys = [f"{m.type}|doc|{m.doc_id}"]
    iv = interval(m.date)
    if iv is not None and iv.year_known and not m.suspect_date:
        month = iv.first.isoformat()[:7]
        if iv.precision == "day":
            keys += [f"{m.type}|d|{iv.first.isoformat()}", f"{m.type}|dm|{month}"]
        elif iv.precision == "month":
            keys.append(f"{m.type}|m|{month}")
    keys += [f"{m.type}|e|{pid}" for pid in sorted(m.participant_ids())]
    if m.suspect_date:  # found again by the well-dated reports of the same participants
        keys += [f"{m.type}|s|{pid}" for pid in sorted(m.participant_ids())]
    return keys


def lookup_keys(m: MentionRecord) -> list[str]:
    """The blocking keys under which the events a mention may belong to are found: a dated
    mention's own article, the days (or month) around its date — an event it may join has a
    date within reach — and the events of its participants known only from suspect dates; a
    mention without a usable date, its article and every event of its named participants."""
    keys = [f"{m.type}|doc|{m.doc_id}"]
    pids = sorted(m.participant_ids())
    iv = interval(m.date)
    if iv is not None and iv.year_known and not m.suspect_date:
        month = iv.first.isoformat()[:7]
        if iv.precision == "day":
            keys += [f"{m.type}|d|{d}" for d in neighbours(iv.first.isoformat(), DAY_TOLERANCE)]
            keys.append(f"{m.type}|m|{month}")
        elif iv.precision == "month":
            keys += [f"{m.type}|m|{month}", f"{m.type}|dm|{month}"]
        if iv.precision in ("day", "month"):
            return keys + [f"{m.type}|s|{pid}" for pid in pids]
    return keys + [f"{m.type}|e|{pid}" for pid in pids]


class EventState:
    """An event as the merge step sees it: its summary (whose `docs` are the documents this
    merge added reports from)."""

    def __init__(self, id: str, summary: EventSummary | None = None) -> None:
        self.id = id
        self.summary = summary or EventSummary()

    def add(self, m: MentionRecord) -> None:
        self.summary.add(m)


def same_place(a: dict, b: dict) -> bool:
    """The same place, or a country and a place inside it."""
    if a["entity_id"] == b["entity_id"]:
        return True
    if a.get("country_code") and a.get("country_code") == b.get("country_code"):
        return "country" in (a.get("precision"), b.get("precision"))
    return False


def _date_evidence(m: MentionRecord, event_date: DateInterval | None, explicit: bool) -> float | None:
    """Score of the dates' agreement; None when they cannot be one event. Days a little apart
    are weak evidence when both were stated (a real disagreement), fair when one was only taken
    from its article's context (a report's own date is often a day after the event)."""
    iv = interval(m.date)
    if iv is None or event_date is None:
        return 0.0
    g = gap(iv, event_date)
    if g == 0:
        return 2.0 if iv.precision == event_date.precision == "day" and iv.year_known else 0.75
    if g <= DAY_TOLERANCE and iv.precision == event_date.precision == "day":
        return 0.25 if (m.date_text and explicit) else 1.0
    return None


class Clues:
    """What a report offers for comparison, worked out once however many events it meets."""

    __slots__ = ("participants", "phrases", "actors", "place", "words", "trigger", "quantities",
                 "lookup_keys")

    def __init__(self, m: MentionRecord) -> None:
        self.participants = m.participant_ids()
        self.phrases = {p.entity_id for p in m.actors + m.recipients if not p.named}
        self.actors = {p.entity_id for p in m.actors if p.named}
        self.place = m.location if m.location and m.location.get("named") else None
        self.words = m.words()
        self.trigger = trigger_key(m.trigger)
        self.quantities = list(m.quantities.items())
        self.lookup_keys = lookup_keys(m)


def clues(m: MentionRecord) -> Clues:
    c = m.__dict__.get("_clues")
    if c is None:
        c = m.__dict__["_clues"] = Clues(m)
    return c


def score(m: MentionRecord, e: EventState) -> float | None:
    """How strongly the evidence says `m` reports event `e`; None when it cannot."""
    s = e.summary
    if m.type != s.type or m.modality != s.modality or m.negated != s.negated:
        return None
    suspect = m.suspect_date or s.date_suspect
    if not suspect:  # the dates can rule it out before anything else is compared
        date_score = _date_evidence(m, s.date, s.date_explicit)
        if date_score is None:
            return None
    c = clues(m)
    total = 0.0
    if m.mode and s.modes:
        total += 0.5 if m.mode in s.modes else -1.0
    total += 1.5 * min(2, len(c.participants & s.participants))
    if c.phrases:
        total += 0.5 * min(2, len(c.phrases & s.phrases))
    if c.place and s.locations and not any(same_place(c.place, other) for other in s.locations.values()):
        total -= 1.0
    if c.actors and s.actors and not c.actors & s.actors:
        total -= 0.5
    words, n = c.words, len(c.words)
    similarity = 0.0
    for w in s.words:
        if words or w:
            shared = len(words & w)
            similarity = max(similarity, shared / (n + len(w) - shared))
    total += min(1.0, 2 * similarity)
    if c.trigger in s.triggers:
        total += 0.75
    if m.doc_id in s.docs:
        total += 1.0
    if any(kv in s.quantities for kv in c.quantities):
        total += 1.0
    if suspect:
        return total if total >= SUSPECT_MERGE_SCORE else None
    total += date_score
    return total if total >= MERGE_SCORE else None


def mark_suspect_dates(mentions: list[MentionRecord]) -> None:
    """Mark the mentions of one document whose date lies far outside the article's own time
    frame (its publication date and the dates of its other events): after publication for a
    reported fact, or more than `OUTLIER_DAYS` away from both."""
    explicit = [(o, interval(o.date)) for o in mentions if o.date and o.date_text]
    explicit = [(o, iv) for o, iv in explicit if iv is not None and iv.year_known]
    for m in mentions:
        iv = interval(m.date)
        pub = interval(m.doc_date)
        if iv is None or pub is None or not iv.year_known:
            continue
        if m.modality == "asserted" and iv.first > pub.last and gap(iv, pub) > 1:
            m.suspect_date = True  # a reported fact dated after its own report
            continue
        if gap(iv, pub) <= OUTLIER_DAYS:
            continue
        others = [o for other, o in explicit if other is not m]
        near = any(gap(o, pub) <= OUTLIER_DAYS for o in others)
        far = any(gap(o, iv) <= OUTLIER_DAYS for o in others)
        if near and not far:
            m.suspect_date = True


class EventMerger:
    """Assigns mentions to events. `lookup(keys)` gives the stored events filed under blocking
    keys as {key: {event id: EventSummary}}; events created or changed here are kept in memory
    and listed in `changed` for the caller to write."""

    def __init__(self, lookup) -> None:
        self._lookup = lookup
        self.events: dict[str, EventState] = {}
        self.keys: dict[str, list[str]] = {}  # key -> event ids, oldest first (stored, then new)
        self._looked_up: set[str] = set()
        self.new_keys: list[tuple[str, str]] = []
        self.changed: dict[str, EventState] = {}
        self.assignment: dict[str, str] = {}  # mention id -> event id

    def prefetch(self, mentions: list[MentionRecord]) -> None:
        wanted = sorted({k for m in mentions for k in clues(m).lookup_keys} - self._looked_up)
        if not wanted:
            return
        self._looked_up.update(wanted)
        found = self._lookup(wanted)  # {key: {event_id: EventSummary}}, oldest first
        for key in wanted:
            stored = []
            for eid, summary in found.get(key, {}).items():
                if eid not in self.events:
                    self.events[eid] = EventState(eid, summary)
                stored.append(eid)
            fresh = [eid for eid in self.keys.get(key, []) if eid not in stored]
            self.keys[key] = stored + fresh

    def add(self, m: MentionRecord, new_id: str) -> str:
        candidates: dict[str, EventState] = {}
        for key in clues(m).lookup_keys:
            for eid in self.keys.get(key, ())[-CANDIDATES_PER_KEY:]:
                candidates.setdefault(eid, self.events[eid])
        best_id, best = None, None
        for eid, e in candidates.items():
            s = score(m, e)
            if s is not None and (best is None or s > best or (
                    s == best and e.summary.first_order < self.events[best_id].summary.first_order)):
                best_id, best = eid, s
        if best_id is None:
            best_id = new_id
            self.events[best_id] = EventState(best_id)
        event = self.events[best_id]
        event.add(m)
        self.changed[best_id] = event
        self.assignment[m.id] = best_id
        for key in filing_keys(m):
            ids = self.keys.setdefault(key, [])
            if best_id not in ids:
                ids.append(best_id)
                self.new_keys.append((key, best_id))
        return best_id
