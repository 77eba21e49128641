"""What one document brings to the reduce phase, worked out from that document alone.

Most of resolving a document needs nothing but the document: the keys and blocks of each name
it mentions (entities.entity_keys), its event mention records (mentions.records_of) with their
dates checked against the rest of the article (events.mark_suspect_dates), its claims. The map
phase works that out on the workers (engine/: `map_document`), so the one process that resolves
— which every document passes through, in store order — only looks names up and merges events.

Entity ids are cross-document and so left open here: a record, claim or person refers to the
document's i-th distinct entity (label, canonical name) as "#i" until `bind` puts in the ids
the resolver assigned, and the record's document sequence (its place in the store) is put in
then too. A stored document that comes without one (a run killed after storing it and before
resolving it) gets its contribution made from its stored analysis by the same function, so
the two paths cannot disagree.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..extract.known_names import Place
from ..schema import DocAnalysis, EntityMention, EntityRef, Span, stable_id
from .entities import EntityKeys, ResolvedEntity, entity_keys
from .events import mark_suspect_dates
from .mentions import MentionRecord, entity_at, records_of

OPEN = "#"  # an entity id still to be assigned: "#" and the entity's index in the document


@dataclass
class Contribution:
    """One document's part of resolving, its entity ids left open."""

    doc_id: str
    doc_name: str
    doc_date: str | None
    entities: list[EntityKeys] = field(default_factory=list)  # distinct (label, name), in order
    # each entity mention: (index in `entities`, canonical name, text as written, kb id)
    mentions: list[tuple[int, str, str, str | None]] = field(default_factory=list)
    people: list[int] = field(default_factory=list)  # indices of the PER entities
    records: list[MentionRecord] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)

    def made_from(self, doc: Mapping[str, Any]) -> bool:
        """Whether this was made from the stored document `doc` (its id, name and date)."""
        return (self.doc_id, self.doc_name, self.doc_date) == (doc["id"], doc["name"], doc.get("date"))

    def bind(self, ids: list[str], seq: int) -> tuple[list[MentionRecord], list[dict[str, Any]]]:
        """The records and claims with the entity ids (`ids[i]` for entity i) and the document's
        sequence in the store put in. Binds in place: a contribution is bound once."""

        def real(entity_id: str) -> str:
            return ids[int(entity_id[1:])] if entity_id.startswith(OPEN) else entity_id

        for m in self.records:
            m.order = (seq, m.order[1])
            for p in m.actors + m.recipients:
                p.entity_id = real(p.entity_id)
            if m.location is not None:
                m.location["entity_id"] = real(m.location["entity_id"])
        for c in self.claims:
            if c["speaker"] is not None:
                c["speaker"]["entity_id"] = real(c["speaker"]["entity_id"])
        return self.records, self.claims


def _speaker(analysis: DocAnalysis, span: Span | None, resolve_entity) -> EntityRef | None:
    if span is None:
        return None
    e = entity_at(analysis, span)
    if e is None:
        return EntityRef(name=span.text, entity_id="span-" + stable_id(span.text))
    return EntityRef(name=e.canonical, entity_id=resolve_entity(e).entity_id)


def contribution_of(doc: Mapping[str, Any], analysis: DocAnalysis) -> Contribution:
    """The contribution of document `doc` (its id, name and date) with this analysis."""
    c = Contribution(doc["id"], doc["name"], doc.get("date"))
    index: dict[tuple[str, str], int] = {}
    places: list[Place | None] = []
    for e in analysis.entities:
        i = index.get((e.label, e.canonical))
        if i is None:  # the first mention of a name decides its keys (its kb id, its place)
            i = index[(e.label, e.canonical)] = len(c.entities)
            keys, place = entity_keys(analysis.lang, e)
            c.entities.append(keys)
            places.append(place)
            if e.label == "PER":
                c.people.append(i)
        c.mentions.append((i, e.canonical, e.text, e.kb_id))

    def open_entity(e: EntityMention) -> ResolvedEntity:
        i = index[(e.label, e.canonical)]
        return ResolvedEntity(f"{OPEN}{i}", c.entities[i].blocks, places[i])

    text_doc = {"id": c.doc_id, "name": c.doc_name, "date": c.doc_date, "text": analysis.text}
    c.records = records_of(text_doc, 0, analysis, open_entity)
    mark_suspect_dates(c.records)
    for i, claim in enumerate(analysis.claims):
        sentence = analysis.sentence_of(claim.start)
        speaker = _speaker(analysis, claim.speaker, open_entity)
        c.claims.append({
            "id": "clm-" + stable_id(c.doc_id, claim.start, claim.end),
            "speaker": speaker.to_json() if speaker else None,
            "text": claim.text, "date": claim.date, "doc_id": c.doc_id, "doc_name": c.doc_name,
            "sentence": analysis.text[sentence.start:sentence.end] if sentence else claim.text,
            "_seq": i,
        })
    return c


def stored_contribution(store, doc: Mapping[str, Any]) -> Contribution:
    """The contribution of a stored document, from its stored analysis."""
    return contribution_of(doc, store.analysis(doc["id"]))
