"""What the merge step remembers of an event between batches: a summary of its reports, kept up to
date one report at a time and stored beside the event, so that a new report is scored against a
stored event without reading the event's reports again.

Every field is an aggregate that a new report only adds to (sets, per-date vote tables, the first
few sentences), so `EventSummary.of(reports)` and adding the same reports one by one to an empty
summary give the same summary; resolve/events.py scores against it, resolve/conflicts.py chooses
an event's date with the same vote table.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .dates import DateInterval, gap, interval
from .mentions import MentionRecord

SIMILAR_MENTIONS = 5  # sentences of an event a new report's sentence is compared with
# documents an event's tallies name one by one (in its flags' texts too); later ones are counted
NAMED_SOURCES = 20
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


class DateVotes:
    """Per date: the documents giving it, how many reports gave it explicitly (read from a time
    expression) and its first report; suspect dates are counted apart and used only when no
    other date is known."""

    def __init__(self, ok: dict | None = None, suspect: dict | None = None) -> None:
        # date -> [set of doc ids, explicit count, first order, documents counted but not named]
        self.ok: dict[str, list] = ok or {}
        self.suspect: dict[str, list] = suspect or {}

    def add(self, m: MentionRecord) -> None:
        if not m.date or interval(m.date) is None:
            return
        table = self.suspect if m.suspect_date else self.ok
        v = table.get(m.date)
        if v is None:
            table[m.date] = [{m.doc_id}, int(m.date_text is not None), m.order, 0]
        else:
            v[0].add(m.doc_id)
            v[1] += m.date_text is not None
            v[2] = min(v[2], m.order)

    def consensus(self) -> str | None:
        """The date most sources give: explicit dates before dates taken from context, then
        more documents, finer precision, more explicit reports, the earliest report. A coarser
        date that contains a finer one defers to the finer one."""
        votes = self.ok or self.suspect
        if not votes:
            return None

        def rank(d: str) -> tuple:
            docs, explicit, first, more = votes[d]
            return (-(explicit > 0), -len(docs) - more, _PRECISION_RANK[interval(d).precision],
                    -explicit, first)

        best = min(votes, key=rank)
        biv = interval(best)
        if biv.precision != "day":
            finer = [d for d in votes if interval(d).precision == "day" and gap(interval(d), biv) == 0]
            if finer:
                best = min(finer, key=rank)
        return best

    def fold(self, docs: set[str]) -> None:
        """Count these documents without naming them (Tallies.fold)."""
        for table in (self.ok, self.suspect):
            for v in table.values():
                gone = v[0] & docs
                if gone:
                    v[0] -= gone
                    v[3] += len(gone)

    def to_json(self) -> dict[str, Any]:
        return {name: {d: [sorted(docs), n, list(first), more] for d, (docs, n, first, more) in table.items()}
                for name, table in (("ok", self.ok), ("suspect", self.suspect))}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DateVotes:
        def table(t: dict) -> dict:  # (summaries stored before documents were folded have no count)
            return {date: [set(v[0]), v[1], tuple(v[2]), v[3] if len(v) > 3 else 0]
                    for date, v in t.items()}
        return cls(table(d["ok"]), table(d["suspect"]))


def own_figure(values: dict[tuple[int, str | None], int]) -> tuple[int, str | None]:
    """A document's own figure among the (value, approx) it states: the one it repeats most,
    the largest if it gives several."""
    return max(values, key=lambda va: (values[va], va[0]))


def trigger_key(text: str) -> str:
    """The trigger's wording, for "same wording" evidence: its first word, case-folded."""
    words = text.casefold().split()
    return words[0] if words else ""


class Tallies:
    """What an event's fields and flags are chosen from (resolve/conflicts.py): running counts
    of its reports' dates, modes, participants, places and numbers per document, in the order
    things were first reported. Holds no sentences, and names at most NAMED_SOURCES documents:
    those reported after them are folded into counts (`fold`), so it stays small however many
    sources report the event."""

    def __init__(self) -> None:
        self.reports = 0
        self.votes = DateVotes()
        self.any_date = False
        self.ok_date = False  # some report's date is not suspect
        self.explicit_dates: set[str] = set()  # dates some report read from a time expression
        self.mode_counts: dict[str, int] = {}
        self.roles: dict[str, dict[str, list]] = {"actors": {}, "recipients": {}}  # id -> [n, first order, name, named]
        self.places: dict[str, list] = {}  # entity id -> [weight, first order, location]
        self.stated: dict[str, dict[str, dict[tuple[int, str | None], int]]] = {}  # kind -> doc -> (value, approx) -> n
        self.first_stated: dict[tuple[str, int], tuple[int, int]] = {}  # (kind, value) -> first order
        self.doc_names: dict[str, str] = {}
        self.confidence: dict[str, float] = {}  # doc -> its most confident report
        # each distinct (source, date, date text, suspect, doc date) stated, in the order first stated
        self.dated: dict[tuple[str, str, str | None, bool, str | None], None] = {}
        self.doc_actors: dict[str, set[str]] = {}  # doc -> named actors it gives
        self.actor_names: dict[str, str] = {}
        # the documents after the first NAMED_SOURCES, counted: the product of their
        # (1 - confidence); per kind, how many give each figure (value, approx); how many name
        # each actor alone, and whether any names several; how many state each dated statement
        # (date, date text, suspect, doc date)
        self.more_unsure = 1.0
        self.more_stated: dict[str, dict[tuple[int, str | None], int]] = {}
        self.more_actors: dict[str, int] = {}
        self.more_multi = False
        self.more_dated: dict[tuple[str, str | None, bool, str | None], int] = {}

    def add(self, m: MentionRecord) -> None:
        self.reports += 1
        if m.mode:
            self.mode_counts[m.mode] = self.mode_counts.get(m.mode, 0) + 1
        self.doc_names[m.doc_id] = m.doc_name
        self.votes.add(m)
        if m.date:
            self.any_date = True
            self.ok_date = self.ok_date or not m.suspect_date
            if m.date_text:
                self.explicit_dates.add(m.date)
        if interval(m.date) is not None:
            self.dated.setdefault((m.doc_name, m.date, m.date_text, m.suspect_date, m.doc_date))
        for role in ("actors", "recipients"):
            table = self.roles[role]
            for p in getattr(m, role):
                seen = table.get(p.entity_id)
                if seen is None:
                    table[p.entity_id] = [1, m.order, p.name, p.named]
                else:
                    seen[0] += 1
                    if p.named and not seen[3]:  # a recognised name before a phrase
                        seen[1:] = [m.order, p.name, True]
        for p in m.actors:
            if p.named:
                self.doc_actors.setdefault(m.doc_id, set()).add(p.entity_id)
                self.actor_names[p.entity_id] = p.name
        if m.location:
            place = self.places.setdefault(m.location["entity_id"], [0, m.order, m.location])
            place[0] += 2 if m.location.get("named") else 1
        for kind, value in m.quantities.items():
            per_doc = self.stated.setdefault(kind, {}).setdefault(m.doc_id, {})
            va = (value, m.approx.get(kind))
            per_doc[va] = per_doc.get(va, 0) + 1
            key = (kind, value)
            self.first_stated[key] = min(self.first_stated.get(key, m.order), m.order)
        self.confidence[m.doc_id] = max(self.confidence.get(m.doc_id, 0.0), m.confidence)

    def fold(self) -> None:
        """Count, no longer name, the documents after the first NAMED_SOURCES. Only complete
        documents are folded: a document is resolved all at once, and this runs when its
        resolution is done (conflicts.event_of), so the result does not depend on batches."""
        if len(self.doc_names) <= NAMED_SOURCES:
            return
        docs = list(self.doc_names)
        later = docs[NAMED_SOURCES:]
        kept_names = {self.doc_names[d] for d in docs[:NAMED_SOURCES]}
        later_names = {self.doc_names[d] for d in later} - kept_names
        for doc in later:
            del self.doc_names[doc]
            self.more_unsure *= 1.0 - self.confidence.pop(doc, 0.0)
            for kind, per_doc in self.stated.items():
                values = per_doc.pop(doc, None)
                if values:
                    counts = self.more_stated.setdefault(kind, {})
                    va = own_figure(values)
                    counts[va] = counts.get(va, 0) + 1
            actors = self.doc_actors.pop(doc, ())
            if len(actors) == 1:
                (eid,) = actors
                self.more_actors[eid] = self.more_actors.get(eid, 0) + 1
            self.more_multi = self.more_multi or len(actors) > 1
        self.votes.fold(set(later))
        for entry in [e for e in self.dated if e[0] in later_names]:
            del self.dated[entry]
            self.more_dated[entry[1:]] = self.more_dated.get(entry[1:], 0) + 1

    def dates(self) -> tuple[str | None, bool, bool, bool]:
        """(the chosen date, whether some report's date is not suspect, whether only suspect
        dates are known, whether some report states the chosen date explicitly)."""
        date = self.votes.consensus()
        return date, self.ok_date, self.any_date and not self.ok_date, date in self.explicit_dates

    def to_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports, "votes": self.votes.to_json(), "any_date": self.any_date,
            "ok_date": self.ok_date, "explicit_dates": sorted(self.explicit_dates),
            "mode_counts": self.mode_counts,
            "roles": {role: {eid: [n, list(o), name, named] for eid, (n, o, name, named) in t.items()}
                      for role, t in self.roles.items()},
            "places": {eid: [w, list(o), loc] for eid, (w, o, loc) in self.places.items()},
            "stated": [[kind, doc, [[v, x, n] for (v, x), n in values.items()]]
                       for kind, docs in self.stated.items() for doc, values in docs.items()],
            "first_stated": [[kind, v, list(o)] for (kind, v), o in self.first_stated.items()],
            "doc_names": self.doc_names, "confidence": self.confidence, "dated": list(self.dated),
            "doc_actors": {doc: sorted(ids) for doc, ids in self.doc_actors.items()},
            "actor_names": self.actor_names,
            "more": {"unsure": self.more_unsure,
                     "stated": [[kind, v, x, n] for kind, counts in self.more_stated.items()
                                for (v, x), n in counts.items()],
                     "actors": self.more_actors, "multi": self.more_multi,
                     "dated": [[*entry, n] for entry, n in self.more_dated.items()]}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Tallies:
        t = cls()
        t.reports, t.votes = d["reports"], DateVotes.from_json(d["votes"])
        t.any_date, t.ok_date, t.explicit_dates = d["any_date"], d["ok_date"], set(d["explicit_dates"])
        t.mode_counts = d["mode_counts"]
        t.roles = {role: {eid: [n, tuple(o), name, named] for eid, (n, o, name, named) in table.items()}
                   for role, table in d["roles"].items()}
        t.places = {eid: [w, tuple(o), loc] for eid, (w, o, loc) in d["places"].items()}
        for kind, doc, values in d["stated"]:
            t.stated.setdefault(kind, {})[doc] = {(v, x): n for v, x, n in values}
        t.first_stated = {(kind, v): tuple(o) for kind, v, o in d["first_stated"]}
        t.doc_names, t.confidence = d["doc_names"], d["confidence"]
        t.dated = dict.fromkeys(tuple(x) for x in d["dated"])
        t.doc_actors = {doc: set(ids) for doc, ids in d["doc_actors"].items()}
        t.actor_names = d["actor_names"]
        more = d.get("more")  # (absent from summaries stored before documents were folded)
        if more:
            t.more_unsure = more["unsure"]
            for kind, v, x, n in more["stated"]:
                t.more_stated.setdefault(kind, {})[(v, x)] = n
            t.more_actors, t.more_multi = more["actors"], more["multi"]
            t.more_dated = {tuple(entry[:4]): entry[4] for entry in more["dated"]}
        return t


class EventSummary:
    """What the merge step knows of an event: the evidence a new report is scored against
    (kind, date, participants, places, wording, numbers) and, read only when a report joins
    it, the tallies its fields are chosen from."""

    _SETS = ("modes", "participants", "phrases", "actors", "triggers")  # as sorted lists

    def __init__(self, tallies: Tallies | None = None) -> None:
        self.type = ""
        self.modality = ""
        self.negated = False
        self.first_order: tuple[int, int] | None = None  # the founding report
        self.first_doc = ""
        self.modes: set[str] = set()
        self.participants: set[str] = set()
        self.phrases: set[str] = set()  # participants known only as phrases, not entities
        self.actors: set[str] = set()  # named actors
        self.triggers: set[str] = set()
        self.quantities: set[tuple[str, int]] = set()  # every (kind, value) some report states
        self.locations: dict[str, dict[str, Any]] = {}  # the named places reported, by entity id
        self.words: list[frozenset[str]] = []  # the first reports' sentences
        # documents reporting it in this resolution (a document is resolved all at once, so
        # an earlier one never reports again)
        self.docs: set[str] = set()
        self.date_value: str | None = None
        self.date_ok = False
        self.date_suspect = False  # only suspect dates are known
        self.date_explicit = False  # some report states the chosen date explicitly
        self._tallies = tallies
        self._load_tallies = None

    @property
    def date(self) -> DateInterval | None:
        """The date to compare with; None for an event known only from suspect dates."""
        return interval(self.date_value) if self.date_ok else None

    @property
    def tallies(self) -> Tallies:
        if self._tallies is None:
            self._tallies = self._load_tallies() if self._load_tallies else Tallies()
        return self._tallies

    @classmethod
    def of(cls, mentions: Iterable[MentionRecord]) -> EventSummary:
        s = cls(Tallies())
        for m in sorted(mentions, key=lambda r: r.order):
            s.add(m)
        return s

    def add(self, m: MentionRecord) -> None:
        """Take one more report into account (reports come in store order)."""
        if self.first_order is None:
            self.type, self.modality, self.negated = m.type, m.modality, m.negated
            self.first_order, self.first_doc = m.order, m.doc_id
        if m.mode:
            self.modes.add(m.mode)
        self.participants |= m.participant_ids()
        self.phrases.update(p.entity_id for p in m.actors + m.recipients if not p.named)
        self.actors.update(p.entity_id for p in m.actors if p.named)
        if m.location and m.location.get("named"):
            self.locations.setdefault(m.location["entity_id"], m.location)
        self.triggers.add(trigger_key(m.trigger))
        self.docs.add(m.doc_id)
        if len(self.words) < SIMILAR_MENTIONS:
            self.words.append(m.words())
        self.quantities.update(m.quantities.items())
        self.tallies.add(m)
        self.date_value, self.date_ok, self.date_suspect, self.date_explicit = self.tallies.dates()

    def to_json(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(evidence, tallies) as stored."""
        d: dict[str, Any] = {name: sorted(getattr(self, name)) for name in self._SETS}
        d.update(quantities=sorted(self.quantities), type=self.type, modality=self.modality,
                 negated=self.negated,
                 first_order=list(self.first_order or ()), first_doc=self.first_doc,
                 locations=self.locations, words=[" ".join(sorted(w)) for w in self.words],
                 date=[self.date_value, self.date_ok, self.date_suspect, self.date_explicit])
        return d, self.tallies.to_json()

    @classmethod
    def from_json(cls, d: dict[str, Any], load_tallies=None) -> EventSummary:
        """A stored event's summary from its evidence; `load_tallies()` reads its tallies (JSON)
        when a report joins it. (Many are read for each one that changes: no __init__.)"""
        s = cls.__new__(cls)
        s.modes, s.participants, s.phrases = set(d["modes"]), set(d["participants"]), set(d["phrases"])
        s.actors, s.triggers = set(d["actors"]), set(d["triggers"])
        s.quantities = {(k, v) for k, v in d["quantities"]}
        s.type, s.modality, s.negated = d["type"], d["modality"], d["negated"]
        s.first_order = tuple(d["first_order"]) if d["first_order"] else None
        s.first_doc, s.locations = d["first_doc"], d["locations"]
        s.words = [frozenset(w.split()) for w in d["words"]]
        s.docs = set()
        s.date_value, s.date_ok, s.date_suspect, s.date_explicit = d["date"]
        s._tallies = None
        s._load_tallies = None if load_tallies is None else lambda: Tallies.from_json(load_tallies())
        return s
