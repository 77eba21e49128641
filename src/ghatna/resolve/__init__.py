"""The reduce phase: fold newly stored documents into entities, events, stories and claims.

`resolve(store)` takes the stored documents not yet resolved, in store order, in batches; each
batch is written together with its "resolved" mark in one transaction, so an interrupted run
resumes exactly, and because mentions are merged one at a time in store order the result does
not depend on where batches begin. Cost is linear in the new documents: every lookup goes through
blocking keys (entities: resolve/entities.py; events: resolve/events.py; stories:
resolve/stories.py), never over all stored items.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..schema import DocAnalysis, EntityMention, EntityRef, Span, stable_id
from ..store import EntityObservation, Resolution, Store
from .conflicts import event_of
from .entities import EntityResolver, ResolvedEntity, pack_names
from .events import EventMerger, mark_suspect_dates
from .mentions import MentionRecord, entity_at, records_of
from .names import load_transliteration
from .summary import EventSummary
from .stories import StoryBuilder

BATCH = 200


def prepare(lang: str | None = None) -> None:
    """Load now what resolving documents in `lang` (the default pack if None) first reads: the
    pack's name lists and the transliteration tables behind name keys, about half a second,
    which would otherwise stall a run's first batch. The Dask engine does it while its workers
    load their models."""
    from ..langs import DEFAULT_LANG

    pack_names(lang or DEFAULT_LANG)
    load_transliteration()


def entity_id_of(label: str, canonical: str) -> str:
    """The id of an entity no resolver has seen (kept for callers outside a resolution)."""
    return "ent-" + stable_id(label, canonical)


def _speaker(analysis: DocAnalysis, span: Span | None, resolve_entity) -> EntityRef | None:
    if span is None:
        return None
    e = entity_at(analysis, span)
    if e is None:
        return EntityRef(name=span.text, entity_id="span-" + stable_id(span.text))
    return EntityRef(name=e.canonical, entity_id=resolve_entity(e).entity_id)


def event_lookup(store: Store):
    """The stored events filed under blocking keys, as EventMerger asks for them: each by the
    evidence of its stored summary, its tallies read when a report joins it (a summary made
    from its reports where a store has none yet)."""

    def tallies_of(event_id: str):
        return lambda: store.event_tallies(event_id)

    def lookup(keys: list[str]) -> dict[str, dict[str, EventSummary]]:
        found = store.event_candidates(keys)
        summaries: dict[str, EventSummary] = {}  # an event filed under several keys is read once
        missing: set[str] = set()
        for events in found.values():
            for eid, evidence in events.items():
                if eid in summaries or eid in missing:
                    continue
                if evidence is None:
                    missing.add(eid)
                else:
                    summaries[eid] = EventSummary.from_json(evidence, tallies_of(eid))
        for eid, ms in store.event_mentions_of(sorted(missing)).items():
            summaries[eid] = EventSummary.of(MentionRecord.from_json(m) for m in ms)
        return {key: {eid: summaries[eid] for eid in events} for key, events in found.items()}
    return lookup


def merge_mentions(store: Store, records: list[MentionRecord]) -> EventMerger:
    """Assign mention records, in order, to the stored or new events they report."""
    merger = EventMerger(event_lookup(store))
    merger.prefetch(records)
    for m in records:
        merger.add(m, "evt-" + m.id)
    return merger


def add_events(res: Resolution, merger: EventMerger, records: list[MentionRecord],
               story_of=None) -> None:
    """Put the merged events a merger changed, their summaries, the mentions and the new
    blocking keys into a resolution; `story_of(doc_id)` gives an event's story from its first
    report."""
    for event_id, state in merger.changed.items():
        event = event_of(event_id, state.summary)
        if story_of is not None:
            event.story_id = story_of(state.summary.first_doc)
        res.events.append(event)
        res.event_summaries.append((event_id, *state.summary.to_json()))
    res.event_mentions = [(m.id, m.order, merger.assignment[m.id], m.doc_id, m.to_json()) for m in records]
    res.event_keys = merger.new_keys


def _resolution_of(store: Store, doc_ids: list[str], analyses: Mapping[str, DocAnalysis]) -> Resolution:
    res = Resolution(doc_ids=list(doc_ids))
    resolver = EntityResolver(store)
    stories = StoryBuilder(store)
    records: list[MentionRecord] = []
    cast: list[tuple[str, int, set[str]]] = []  # (doc id, sequence, people) for the stories
    for doc_id in doc_ids:
        doc = store.document(doc_id)
        analysis = _analysis(store, doc, analyses.get(doc_id))
        ents: dict[tuple[str, str], ResolvedEntity] = {}

        def resolve_entity(e: EntityMention) -> ResolvedEntity:
            r = ents.get((e.label, e.canonical))
            if r is None:
                r = ents[(e.label, e.canonical)] = resolver.resolve(analysis.lang, e)
            return r

        people: set[str] = set()
        for e in analysis.entities:
            r = resolve_entity(e)
            p = r.place
            if e.label == "PER":
                people.add(r.entity_id)
            res.entities.append(EntityObservation(
                entity_id=r.entity_id, name=e.canonical, label=e.label, variant=e.text,
                kb_id=e.kb_id,
                lat=p.lat if p else None, lon=p.lon if p else None,
                country_code=p.country_code if p else None,
                key=r.blocks[0].split(":", 2)[2] if r.blocks else "", blocks=r.blocks))
        cast.append((doc_id, doc["seq"], people))
        res.story_people += [(person, doc_id) for person in sorted(people)]
        doc_records = records_of(doc, doc["seq"], analysis, resolve_entity)
        mark_suspect_dates(doc_records)
        records += doc_records
        for i, c in enumerate(analysis.claims):
            sentence = analysis.sentence_of(c.start)
            speaker = _speaker(analysis, c.speaker, resolve_entity)
            res.claims.append({
                "id": "clm-" + stable_id(doc_id, c.start, c.end),
                "speaker": speaker.to_json() if speaker else None,
                "text": c.text, "date": c.date, "doc_id": doc_id, "doc_name": doc["name"],
                "sentence": doc["text"][sentence.start:sentence.end] if sentence else c.text,
                "_seq": i,
            })
    stories.add_documents(cast)
    merger = merge_mentions(store, records)
    # an event's stored reports are in its first report's story already: the new ones join it
    linked = [[e.summary.first_doc] + sorted(e.summary.docs - {e.summary.first_doc})
              for e in merger.changed.values()]
    stories.load({d for docs in linked for d in docs})
    for docs in linked:
        stories.link(docs)
    add_events(res, merger, records, stories.story_of)
    res.new_stories = stories.new_stories
    res.story_merges = stories.merges()
    res.doc_stories = {d: stories.story_of(d) for d in doc_ids}
    return res


def _analysis(store: Store, doc: dict, known: DocAnalysis | None) -> DocAnalysis:
    """A stored document's analysis: as the store gives it back, or, where the caller still holds
    the analysis it stored, that one (the same record; reading it back costs 0.2 ms)."""
    if known is None:
        return store.analysis(doc["id"])
    return known if known.text == doc["text"] else replace(known, text=doc["text"])


def resolve(store: Store, analyses: Mapping[str, DocAnalysis] | None = None) -> int:
    """Resolve every stored document not yet resolved; returns how many were. `analyses`: the
    analyses, by document id, of documents just stored, where the caller still has them."""
    pending = store.unresolved_documents()
    for i in range(0, len(pending), BATCH):
        store.save_resolution(_resolution_of(store, pending[i:i + BATCH], analyses or {}))
    return len(pending)
