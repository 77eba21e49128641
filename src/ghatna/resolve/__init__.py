"""The reduce phase: fold newly stored documents into entities, events and claims.

`resolve(store)` takes every stored document not yet resolved, turns its mentions into store
records, and writes them together with the "resolved" mark in one transaction, so an interrupted
run resumes exactly. Cost is linear in the new documents.

Entities: every spelling of one entity across documents gets one id (resolve/entities.py:
blocking on knowledge-base ids and transliteration keys, fuzzy match inside a block), and places
carry their GeoNames coordinates. Every event mention is still its own event: cross-document
merging (resolve/events.py) and conflict flags (resolve/conflicts.py) replace `_event_of` below
as they land.
"""
from __future__ import annotations

from ..schema import DocAnalysis, EntityMention, EntityRef, Event, EventMention, Mention, Span, stable_id
from ..store import EntityObservation, Resolution, Store
from .entities import EntityResolver, ResolvedEntity

BATCH = 200


def entity_id_of(label: str, canonical: str) -> str:
    """The id of an entity no resolver has seen (kept for callers outside a resolution)."""
    return "ent-" + stable_id(label, canonical)


# (label, canonical) -> the resolved entity, for the document being resolved
DocEntities = dict[tuple[str, str], ResolvedEntity]


def _entity_at(analysis: DocAnalysis, span: Span) -> EntityMention | None:
    """The entity mention overlapping `span` most, if any."""
    best, best_overlap = None, 0
    for e in analysis.entities:
        overlap = min(e.end, span.end) - max(e.start, span.start)
        if overlap > best_overlap:
            best, best_overlap = e, overlap
    return best


def _ref(analysis: DocAnalysis, span: Span | None, ents: DocEntities | None = None) -> EntityRef | None:
    if span is None:
        return None
    e = _entity_at(analysis, span)
    if e is None:
        return EntityRef(name=span.text, entity_id="span-" + stable_id(span.text))
    resolved = (ents or {}).get((e.label, e.canonical))
    return EntityRef(name=e.canonical,
                     entity_id=resolved.entity_id if resolved else entity_id_of(e.label, e.canonical))


def _event_of(doc: dict, analysis: DocAnalysis, em: EventMention, ents: DocEntities | None = None) -> Event:
    sentence = analysis.sentence_of(em.trigger.start)
    sent_text = doc["text"][sentence.start:sentence.end] if sentence else em.trigger.text
    date_text = None
    if em.date and sentence:
        date_text = next((t.text for t in analysis.timexes
                          if t.value == em.date and sentence.start <= t.start < sentence.end), None)
    location = None
    if em.location is not None:
        ref = _ref(analysis, em.location, ents)
        e = _entity_at(analysis, em.location)
        geonameid = None
        if e is not None and e.kb_id and e.kb_id.startswith("geonames:"):
            geonameid = int(e.kb_id.split(":", 1)[1])
        resolved = (ents or {}).get((e.label, e.canonical)) if e is not None else None
        place = resolved.place if resolved else None
        location = {"name": ref.name, "entity_id": ref.entity_id, "geonameid": geonameid,
                    "lat": place.lat if place else None, "lon": place.lon if place else None,
                    "country_code": place.country_code if place else None}
    actor, recipient = _ref(analysis, em.actor, ents), _ref(analysis, em.recipient, ents)
    return Event(
        id="evt-" + stable_id(doc["id"], em.trigger.start, em.trigger.end, em.type),
        type=em.type, mode=em.mode, date=em.date,
        actors=[actor] if actor else [], recipients=[recipient] if recipient else [],
        location=location,
        quantities={k: int(v) for k, v in em.quantities.items()},
        mentions=[Mention(doc_id=doc["id"], doc_name=doc["name"], sentence=sent_text,
                          start=em.trigger.start, end=em.trigger.end, date_text=date_text)],
        confidence=em.confidence,
    )


def _resolution_of(store: Store, doc_ids: list[str]) -> Resolution:
    res = Resolution(doc_ids=list(doc_ids))
    resolver = EntityResolver(store)
    for doc_id in doc_ids:
        doc = store.document(doc_id)
        analysis = store.analysis(doc_id)
        ents: DocEntities = {}
        for e in analysis.entities:
            r = ents.get((e.label, e.canonical))
            if r is None:
                r = ents[(e.label, e.canonical)] = resolver.resolve(analysis.lang, e)
            p = r.place
            res.entities.append(EntityObservation(
                entity_id=r.entity_id, name=e.canonical, label=e.label, variant=e.text,
                kb_id=e.kb_id,
                lat=p.lat if p else None, lon=p.lon if p else None,
                country_code=p.country_code if p else None,
                key=r.blocks[0].split(":", 2)[2] if r.blocks else "", blocks=r.blocks))
        for em in analysis.events:
            res.events.append(_event_of(doc, analysis, em, ents))
        for i, c in enumerate(analysis.claims):
            sentence = analysis.sentence_of(c.start)
            speaker = _ref(analysis, c.speaker, ents)
            res.claims.append({
                "id": "clm-" + stable_id(doc_id, c.start, c.end),
                "speaker": speaker.to_json() if speaker else None,
                "text": c.text, "date": c.date, "doc_id": doc_id, "doc_name": doc["name"],
                "sentence": doc["text"][sentence.start:sentence.end] if sentence else c.text,
                "_seq": i,
            })
    return res


def resolve(store: Store) -> int:
    """Resolve every stored document not yet resolved; returns how many were."""
    pending = store.unresolved_documents()
    for i in range(0, len(pending), BATCH):
        store.save_resolution(_resolution_of(store, pending[i:i + BATCH]))
    return len(pending)
