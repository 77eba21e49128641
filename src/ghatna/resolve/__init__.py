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

from ..store import EntityObservation, Resolution, Store
from .conflicts import event_of
from .contribution import Contribution, stored_contribution
from .entities import EntityResolver, pack_names
from .events import EventMerger
from .geo import geocoder
from .mentions import MentionRecord
from .names import load_transliteration
from .summary import EventSummary
from .stories import StoryBuilder

# documents resolved together (one transaction when called alone): the pipeline's 4 batches of 64,
# or fewer once they hold this many event mentions: what a resolution holds in memory grows with
# its mentions (1,000 ILTIMEX articles: 4.9 an article, +13 MB peak for 256 articles against 64;
# a 50,000-character part of event-dense news has hundreds)
BATCH = 256
BATCH_MENTIONS = 2_000


def prepare(lang: str | None = None) -> None:
    """Load now what resolving documents in `lang` (the default pack if None) and geocoding their
    places first read: the pack's name lists, the transliteration tables behind name keys and
    the gazetteer's index by key, about 0.7 s, which would otherwise stall a run's first batch.
    The Dask engine does it here while its workers load their models, and in each worker."""
    from ..langs import DEFAULT_LANG

    names = pack_names(lang or DEFAULT_LANG)
    load_transliteration()
    if names is not None:
        geocoder(names).load()


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


def _resolution_of(store: Store, docs: list[tuple[dict, Contribution]]) -> Resolution:
    """The resolution of stored documents (each its id, seq, name and date) with their
    contributions, in order."""
    doc_ids = [doc["id"] for doc, _ in docs]
    res = Resolution(doc_ids=doc_ids)
    resolver = EntityResolver(store)
    stories = StoryBuilder(store)
    records: list[MentionRecord] = []
    cast: list[tuple[str, int, set[str]]] = []  # (doc id, sequence, people) for the stories
    for doc, c in docs:
        doc_id = doc["id"]
        ids = [resolver.assign(keys) for keys in c.entities]
        for i, name, variant, kb_id in c.mentions:
            keys = c.entities[i]
            lat, lon, country_code = keys.where or (None, None, None)
            res.entities.append(EntityObservation(
                entity_id=ids[i], name=name, label=keys.label, variant=variant, kb_id=kb_id,
                lat=lat, lon=lon, country_code=country_code, key=keys.key, blocks=keys.blocks))
        people = {ids[i] for i in c.people}
        cast.append((doc_id, doc["seq"], people))
        res.story_people += [(person, doc_id) for person in sorted(people)]
        doc_records, claims = c.bind(ids, doc["seq"])
        records += doc_records
        res.claims += claims
    merger = merge_mentions(store, records)
    # a report joins its event's first report's story (where the event's earlier reports are)
    firsts: dict[str, set[str]] = {}
    for m in records:
        firsts.setdefault(m.doc_id, set()).add(merger.events[merger.assignment[m.id]].summary.first_doc)
    stories.add_documents([(doc_id, seq, people, firsts.get(doc_id, set()))
                           for doc_id, seq, people in cast])
    add_events(res, merger, records, stories.story_of)
    res.new_stories = stories.new_stories
    res.story_merges = stories.merges()
    res.doc_stories = {d: stories.story_of(d) for d in doc_ids}
    return res


def resolve(store: Store, contributions: Mapping[str, Contribution] | None = None) -> int:
    """Resolve every stored document not yet resolved; returns how many were. `contributions`:
    what documents just stored bring (contribution.py), by document id, where the map phase
    worked it out; the others' is made from their stored analyses."""
    contributions = contributions or {}
    pending = store.unresolved_documents()
    batch: list[tuple[dict, Contribution]] = []
    mentions = 0
    for i, doc in enumerate(pending):
        c = contributions.get(doc["id"])
        if c is None or not c.made_from(doc):
            c = stored_contribution(store, doc)
        batch.append((doc, c))
        mentions += len(c.records)
        if len(batch) >= BATCH or mentions >= BATCH_MENTIONS or i == len(pending) - 1:
            store.save_resolution(_resolution_of(store, batch))
            batch, mentions = [], 0
    return len(pending)
