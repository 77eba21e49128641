"""Event mentions as the reduce phase sees them: one record per event a sentence reports, with its
participants already resolved to canonical entity ids, its date and where that date came from,
and its numbers with how exactly they were stated.

A record is what the merge step (resolve/events.py) compares and what an event's fields are
chosen from (resolve/conflicts.py). It is stored as JSON beside the event it belongs to, so an
event can be recomputed from its mentions when a new report of it arrives.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..schema import DocAnalysis, EntityMention, EventMention, Span, stable_id


@dataclass
class Participant:
    name: str
    entity_id: str
    named: bool  # a recognised entity (not just a phrase): only these count as shared participants

    def ref(self) -> dict[str, str]:
        return {"name": self.name, "entity_id": self.entity_id}


@dataclass
class MentionRecord:
    id: str
    doc_id: str
    doc_name: str
    doc_date: str | None  # publication date of the reporting document
    order: tuple[int, int]  # (document sequence in the store, position in the document)
    sentence: str
    start: int
    end: int
    trigger: str
    type: str
    mode: str | None
    modality: str
    negated: bool
    date: str | None
    date_text: str | None  # the time expression the date was read from; None: from context
    actors: list[Participant] = field(default_factory=list)
    recipients: list[Participant] = field(default_factory=list)
    location: dict[str, Any] | None = None
    quantities: dict[str, int] = field(default_factory=dict)
    approx: dict[str, str] = field(default_factory=dict)  # kind -> about|at_least|more_than|less_than
    confidence: float = 0.5
    suspect_date: bool = False  # date far outside what the rest of its document talks about

    def words(self) -> frozenset[str]:
        """The sentence's words, for text-similarity evidence."""
        w = self.__dict__.get("_words")
        if w is None:
            w = self.__dict__["_words"] = frozenset(self.sentence.casefold().split())
        return w

    def participant_ids(self) -> frozenset[str]:
        """Canonical ids of its named participants and place (asked for on every comparison)."""
        ids = self.__dict__.get("_participants")
        if ids is None:
            found = {p.entity_id for p in self.actors + self.recipients if p.named}
            if self.location and self.location.get("named"):
                found.add(self.location["entity_id"])
            ids = self.__dict__["_participants"] = frozenset(found)
        return ids

    def to_json(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in _FIELDS}
        d["order"] = list(self.order)
        d["actors"] = [vars(p).copy() for p in self.actors]
        d["recipients"] = [vars(p).copy() for p in self.recipients]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> MentionRecord:
        d = dict(d)
        d["order"] = tuple(d["order"])
        d["actors"] = [Participant(**p) for p in d.get("actors", [])]
        d["recipients"] = [Participant(**p) for p in d.get("recipients", [])]
        return cls(**d)


_FIELDS = [f.name for f in fields(MentionRecord)]


def mention_id(doc_id: str, em: EventMention) -> str:
    """The id of one event mention; also the id of the event it founds (stable for the same input)."""
    return stable_id(doc_id, em.trigger.start, em.trigger.end, em.type)


def entity_at(analysis: DocAnalysis, span: Span) -> EntityMention | None:
    """The entity mention overlapping `span` most, if any."""
    best, best_overlap = None, 0
    for e in analysis.entities:
        overlap = min(e.end, span.end) - max(e.start, span.start)
        if overlap > best_overlap:
            best, best_overlap = e, overlap
    return best


def _approximations(analysis: DocAnalysis, sentence_start: int, sentence_end: int) -> dict[tuple[str, float], str]:
    """(kind, value) -> approximation class of the quantities stated in one sentence."""
    out: dict[tuple[str, float], str] = {}
    for q in analysis.quantities:
        if sentence_start <= q.start < sentence_end and q.approx:
            out[(q.kind, float(q.value))] = q.approx
    return out


def records_of(doc: dict[str, Any], seq: int, analysis: DocAnalysis, resolve_entity) -> list[MentionRecord]:
    """The mention records of one stored document. `resolve_entity(EntityMention)` gives the
    resolved entity (with `entity_id` and `place`) of a mention."""

    def participant(span: Span | None) -> Participant | None:
        if span is None:
            return None
        e = entity_at(analysis, span)
        if e is None:
            return Participant(span.text, "span-" + stable_id(span.text), False)
        return Participant(e.canonical, resolve_entity(e).entity_id, True)

    out: list[MentionRecord] = []
    for i, em in enumerate(analysis.events):
        sentence = analysis.sentence_of(em.trigger.start)
        s_start, s_end = (sentence.start, sentence.end) if sentence else (em.trigger.start, em.trigger.end)
        date_text = None
        if em.date and sentence:
            date_text = next((t.text for t in analysis.timexes
                              if t.value == em.date and s_start <= t.start < s_end), None)
        location = None
        if em.location is not None:
            e = entity_at(analysis, em.location)
            if e is not None:
                r = resolve_entity(e)
                p = r.place
                geonameid = int(e.kb_id.split(":", 1)[1]) if e.kb_id and e.kb_id.startswith("geonames:") else None
                location = {"name": e.canonical, "entity_id": r.entity_id, "geonameid": geonameid,
                            "lat": p.lat if p else None, "lon": p.lon if p else None,
                            "country_code": p.country_code if p else None,
                            "precision": p.precision if p else None, "named": True}
            else:
                location = {"name": em.location.text, "entity_id": "span-" + stable_id(em.location.text),
                            "geonameid": None, "lat": None, "lon": None, "country_code": None,
                            "precision": None, "named": False}
        approx = _approximations(analysis, s_start, s_end)
        actor, recipient = participant(em.actor), participant(em.recipient)
        out.append(MentionRecord(
            id=mention_id(doc["id"], em), doc_id=doc["id"], doc_name=doc["name"],
            doc_date=doc.get("date"), order=(seq, i),
            sentence=doc["text"][s_start:s_end], start=em.trigger.start, end=em.trigger.end,
            trigger=em.trigger.text, type=em.type, mode=em.mode, modality=em.modality,
            negated=em.negated, date=em.date, date_text=date_text,
            actors=[actor] if actor else [], recipients=[recipient] if recipient else [],
            location=location,
            quantities={k: int(v) for k, v in em.quantities.items()},
            approx={k: approx[(k, float(v))] for k, v in em.quantities.items() if (k, float(v)) in approx},
            confidence=em.confidence,
        ))
    return out
