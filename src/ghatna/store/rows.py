"""What every SQL store (sqlite.py, postgres.py) does alike: how records become rows and back,
and the reads that are the same SQL in both (`SQLStore`; each store names its parameter mark)."""
from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from ..schema import DocAnalysis, Event, Mention
from .base import EntityObservation, Store

DOCUMENT_COLUMNS = ("id", "name", "source", "url", "title", "date", "lang", "text",
                    "near_duplicate_of", "near_duplicate_score", "seq", "story_id")
LISTED_DOCUMENT_COLUMNS = ("id", "name", "source", "url", "title", "date", "lang",
                           "near_duplicate_of", "near_duplicate_score")
STATS = {
    "documents": "SELECT count(*) FROM documents",
    "near_duplicates": "SELECT count(*) FROM documents WHERE near_duplicate_of IS NOT NULL",
    "sentences": "SELECT count(*) FROM sentences",
    "entities": "SELECT count(*) FROM entities",
    "events": "SELECT count(*) FROM events",
    "event_mentions": "SELECT count(*) FROM event_mentions",
    "flagged_events": "SELECT count(*) FROM events WHERE flagged = 1",
    "stories": "SELECT count(*) FROM stories",
    "claims": "SELECT count(*) FROM claims",
}
# a story's documents, dates, title (its first document's) and events, largest story first
STORIES = ("SELECT s.id, count(d.id), min(d.date), max(d.date),"
           " (SELECT coalesce(f.title, f.name) FROM documents f WHERE f.story_id = s.id ORDER BY f.seq LIMIT 1),"
           " (SELECT count(*) FROM events e WHERE e.story_id = s.id)"
           " FROM stories s JOIN documents d ON d.story_id = s.id"
           " GROUP BY s.id ORDER BY count(d.id) DESC, s.seq")
ENTITY_COLUMNS = ("id", "name", "label", "kb_id", "lat", "lon", "country_code", "mentions")


def pack_signature(signature: list[int]) -> bytes:
    return array("Q", signature).tobytes()


def unpack_signature(blob: bytes) -> list[int]:
    a = array("Q")
    a.frombytes(bytes(blob))
    return a.tolist()


def best_near_duplicate(rows: Iterable[tuple[str, bytes]], signature: list[int],
                        threshold: float) -> tuple[str, float] | None:
    """Of (doc id, packed signature) rows, the most similar at or above `threshold`."""
    from ..ingest import estimated_jaccard

    best: tuple[str, float] | None = None
    for doc_id, blob in rows:
        score = estimated_jaccard(signature, unpack_signature(blob))
        if score >= threshold and (best is None or score > best[1]):
            best = (doc_id, score)
    return best


def analysis_json(analysis: DocAnalysis) -> str:
    """The stored analysis: its JSON without the text (kept once, in documents)."""
    payload = analysis.to_json()
    del payload["text"]
    return json.dumps(payload, ensure_ascii=False)


def analysis_from(stored: str, text: str) -> DocAnalysis:
    payload = json.loads(stored)
    payload["text"] = text
    return DocAnalysis.from_json(payload)


def event_row(event: Event) -> tuple[str, str | None, str, str | None, int, str]:
    """(id, date, type, story id, flagged, JSON) of the events table; the story is kept in its
    column only, so stories merge without rewriting events, and the sources in event_mentions
    only, so a new report does not rewrite the ones before it."""
    payload = event.to_json()
    del payload["story_id"]
    payload["mentions"] = []
    return (event.id, event.date, event.type, event.story_id, int(bool(event.flags)),
            json.dumps(payload, ensure_ascii=False))


def event_from(payload: str, story_id: str | None) -> Event:
    event = Event.from_json(json.loads(payload))
    event.story_id = story_id
    return event


def source_of(mention: dict[str, Any]) -> Mention:
    """An event's source from its stored mention record."""
    return Mention(doc_id=mention["doc_id"], doc_name=mention["doc_name"], sentence=mention["sentence"],
                   start=mention["start"], end=mention["end"], date_text=mention.get("date_text"))


def event_entity_rows(event: Event) -> list[tuple[str, str, str]]:
    """(entity id, event id, role) rows that let events be found by participant or place."""
    rows = [(a.entity_id, event.id, "actor") for a in event.actors]
    rows += [(r.entity_id, event.id, "recipient") for r in event.recipients]
    if event.location:
        rows.append((event.location["entity_id"], event.id, "location"))
    return rows


def mention_rows(resolution) -> list[tuple[str, int, int, str, str, str]]:
    """(id, doc seq, position, event id, doc id, JSON) of the event_mentions table."""
    return [(mid, order[0], order[1], eid, doc, json.dumps(payload, ensure_ascii=False))
            for mid, order, eid, doc, payload in resolution.event_mentions]


def story_records(rows: Iterable[tuple]) -> list[dict[str, Any]]:
    return [{"id": sid, "title": title, "documents": n_docs, "events": n_events,
             "first_date": first, "last_date": last}
            for sid, n_docs, first, last, title, n_events in rows]


def _fuller(a: str, b: str) -> bool:
    """`a` is a more complete name than `b`: more words, then longer (as the stores' SQL)."""
    return (a.count(" "), len(a)) > (b.count(" "), len(b))


def entity_updates(observations: Iterable[EntityObservation]) -> list[tuple]:
    """One row per entity seen in a resolution, folded from its observations as the stores'
    per-observation SQL would fold them one by one: (first observation, times seen, the most
    complete name (ties: the first), first known kb id, lat, lon, country, {variants},
    {(block, key)})."""
    out: dict[str, list] = {}
    for o in observations:
        row = out.get(o.entity_id)
        if row is None:
            out[o.entity_id] = [o, 1, o.name, o.kb_id, o.lat, o.lon, o.country_code, {o.variant},
                                {(b, o.key) for b in o.blocks}]
            continue
        row[1] += 1
        if _fuller(o.name, row[2]):
            row[2] = o.name
        for i, value in ((3, o.kb_id), (4, o.lat), (5, o.lon), (6, o.country_code)):
            if row[i] is None:
                row[i] = value
        row[7].add(o.variant)
        row[8].update((b, o.key) for b in o.blocks)
    return [tuple(row) for row in out.values()]


def summary_rows(resolution) -> list[tuple[str, str, str]]:
    """(event id, evidence JSON, tallies JSON) of the event_summaries table."""
    return [(eid, json.dumps(evidence, ensure_ascii=False), json.dumps(tallies, ensure_ascii=False))
            for eid, evidence, tallies in resolution.event_summaries]


def candidate_summaries(found: dict[str, list[str]], summary_rows: Iterable[tuple[str, str]]
                        ) -> dict[str, dict[str, dict[str, Any] | None]]:
    """{key: {event id: evidence JSON or None}} from the event ids under each key and (event id,
    evidence JSON) rows."""
    summaries = {eid: json.loads(payload) for eid, payload in summary_rows}
    return {key: {eid: summaries.get(eid) for eid in eids} for key, eids in found.items()}


def mentions_by_event(rows: Iterable[tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
    """{event id: [mention JSON]} from (event id, mention JSON) rows in mention order."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for eid, payload in rows:
        mentions.setdefault(eid, []).append(json.loads(payload))
    return mentions


def claim_json(claim: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in claim.items() if k != "_seq"}, ensure_ascii=False)


def entity_records(rows: Iterable[tuple], variant_rows: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Entity dicts from ENTITY_COLUMNS rows and (entity id, variant) rows in variant order."""
    variants: dict[str, list[str]] = {}
    for eid, v in variant_rows:
        variants.setdefault(eid, []).append(v)
    out = []
    for row in rows:
        record = dict(zip(ENTITY_COLUMNS, row))
        record["variants"] = variants.get(record["id"], [])
        out.append({k: record[k] for k in ("id", "name", "label", "variants", "kb_id", "lat", "lon",
                                           "country_code", "mentions")})
    return out


class SQLStore(Store):
    """The reads both SQL stores share. `db.execute(sql, params)` returns rows (sqlite3 and
    psycopg alike); `P` is the driver's parameter mark."""

    P = "?"
    db: Any

    def document(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents WHERE id = {self.P}", (doc_id,)).fetchone()
        return None if row is None else dict(zip(DOCUMENT_COLUMNS, row))

    def documents(self) -> list[dict[str, Any]]:
        return [dict(zip(LISTED_DOCUMENT_COLUMNS, row)) for row in self.db.execute(
            f"SELECT {', '.join(LISTED_DOCUMENT_COLUMNS)} FROM documents ORDER BY seq")]

    def analysis(self, doc_id: str) -> DocAnalysis:
        row = self.db.execute(
            "SELECT a.json, d.text FROM analyses a JOIN documents d ON d.id = a.doc_id"
            f" WHERE a.doc_id = {self.P}", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return analysis_from(*row)

    def unresolved_documents(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE resolved = 0 ORDER BY seq")]

    def entity_candidates(self, block: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            f"SELECT entity_id, key FROM entity_keys WHERE block = {self.P} ORDER BY entity_id, key",
            (block,))]

    def event(self, event_id: str) -> Event | None:
        row = self.db.execute(f"SELECT json, story_id FROM events WHERE id = {self.P}",
                              (event_id,)).fetchone()
        return self.with_sources([event_from(*row)])[0] if row else None

    def event_tallies(self, event_id: str) -> dict[str, Any]:
        row = self.db.execute(f"SELECT tallies FROM event_summaries WHERE event_id = {self.P}",
                              (event_id,)).fetchone()
        return json.loads(row[0])

    def with_sources(self, events: list[Event]) -> list[Event]:
        """The events with their stored reports as sources, in store order."""
        stored = self.event_mentions_of([e.id for e in events])
        for e in events:
            e.mentions = [source_of(m) for m in stored.get(e.id, ())]
        return events

    def _events_in_chunks(self, rows: Iterable[tuple[str, str | None]], size: int = 500) -> Iterator[Event]:
        chunk: list[Event] = []
        for payload, story in rows:
            chunk.append(event_from(payload, story))
            if len(chunk) == size:
                yield from self.with_sources(chunk)
                chunk = []
        yield from self.with_sources(chunk)

    def stories(self) -> list[dict[str, Any]]:
        return story_records(self.db.execute(STORIES))

    def entities(self) -> list[dict[str, Any]]:
        variants = self.db.execute("SELECT entity_id, variant FROM entity_variants ORDER BY 1, 2").fetchall()
        return entity_records(self.db.execute(
            f"SELECT {', '.join(ENTITY_COLUMNS)} FROM entities ORDER BY mentions DESC, name, id"), variants)

    def claims(self) -> list[dict[str, Any]]:
        return [json.loads(p) for (p,) in self.db.execute(
            "SELECT c.json FROM claims c JOIN documents d ON d.id = c.doc_id ORDER BY d.seq, c.seq")]

    def stats(self) -> dict[str, int]:
        return {name: int(self.db.execute(sql).fetchone()[0]) for name, sql in STATS.items()}

    def close(self) -> None:
        self.db.close()
