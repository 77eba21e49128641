"""The server store: PostgreSQL through psycopg 3, for teams and corpora beyond one laptop.

The same tables as sqlite.py, with two choices that keep the answers identical to SQLite's:
- every text column sorts by code point (`COLLATE "C"`), as SQLite compares text, whatever the
  server's locale; JSON is kept as text, byte for byte (jsonb would reorder keys);
- full-text search indexes each sentence's words as `store/query.py` splits them (letters,
  numbers and marks, so a Devanagari vowel sign or virama never splits a word) and hands
  PostgreSQL the lexemes as they are, through tsvector/tsquery input: no parser, no dictionary,
  as the `simple` configuration but independent of the server's locale. `शन` does not match
  inside `प्रदर्शन`; `प्रदर्शन*` is a prefix query served by the GIN index.

`postgresql://user@host/db` (or any libpq URL; `?options=-csearch_path%3Dname` keeps a store in a
schema of its own). The store's tables are created on first use, in one transaction.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..schema import DocAnalysis, Event
from .base import Resolution, SearchHit, Store, StoredDocument, StoreError
from .query import highlight, parse_query, tsquery_literal, tsvector_literal
from .rows import (DOCUMENT_COLUMNS, ENTITY_COLUMNS, LISTED_DOCUMENT_COLUMNS, analysis_from,
                   analysis_json, best_near_duplicate, claim_json, entity_records, event_json,
                   pack_signature)

SCHEMA_VERSION = 1
_T = 'TEXT COLLATE "C"'

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key {_T} PRIMARY KEY, value {_T} NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id {_T} NOT NULL UNIQUE,
    name {_T} NOT NULL,
    source {_T} NOT NULL,
    url {_T}, title {_T}, date {_T}, lang {_T},
    text {_T} NOT NULL,
    near_duplicate_of {_T}, near_duplicate_score DOUBLE PRECISION,
    resolved INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_unresolved ON documents(seq) WHERE resolved = 0;
CREATE TABLE IF NOT EXISTS document_bands (
    band {_T} NOT NULL, doc_id {_T} NOT NULL, PRIMARY KEY (band, doc_id));
CREATE TABLE IF NOT EXISTS document_signatures (doc_id {_T} PRIMARY KEY, signature BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS analyses (doc_id {_T} PRIMARY KEY, json {_T} NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id {_T} NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text {_T} NOT NULL, words TSVECTOR NOT NULL, UNIQUE (doc_id, idx));
CREATE INDEX IF NOT EXISTS sentences_words ON sentences USING GIN (words);
CREATE TABLE IF NOT EXISTS entities (
    id {_T} PRIMARY KEY, name {_T} NOT NULL, label {_T} NOT NULL, kb_id {_T},
    lat DOUBLE PRECISION, lon DOUBLE PRECISION, country_code {_T},
    mentions INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS entity_variants (
    entity_id {_T} NOT NULL, variant {_T} NOT NULL, PRIMARY KEY (entity_id, variant));
CREATE TABLE IF NOT EXISTS entity_keys (
    block {_T} NOT NULL, entity_id {_T} NOT NULL, key {_T} NOT NULL,
    PRIMARY KEY (block, entity_id, key));
CREATE TABLE IF NOT EXISTS events (
    id {_T} PRIMARY KEY, date {_T}, type {_T} NOT NULL, json {_T} NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_date ON events((date IS NULL), date, id);
CREATE TABLE IF NOT EXISTS claims (
    id {_T} PRIMARY KEY, doc_id {_T} NOT NULL, seq INTEGER NOT NULL, json {_T} NOT NULL);
"""

# words in a name (spaces + 1, less 1): more words, then more characters, make a fuller name
_WORDS = "(length({0}) - length(replace({0}, ' ', '')))"
_FULLER_NAME = (f"CASE WHEN {_WORDS.format('excluded.name')} > {_WORDS.format('entities.name')}"
                f" OR ({_WORDS.format('excluded.name')} = {_WORDS.format('entities.name')}"
                " AND length(excluded.name) > length(entities.name))"
                " THEN excluded.name ELSE entities.name END")

_cursor_names = itertools.count()


def _connect(url: str):
    try:
        import psycopg
    except ImportError as e:
        raise StoreError("a postgresql:// store needs the postgres extra: "
                         "pip install 'ghatna[postgres]'") from e
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as e:
        reason = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        raise StoreError(f"cannot connect to the PostgreSQL store: {reason}") from e


class PostgresStore(Store):
    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.db = _connect(url)
        if readonly:
            self.db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            if self.db.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
                self.db.close()
                raise StoreError("no ghatna store in this PostgreSQL database "
                                 "(create one with: ghatna run --db URL INPUT...)")
            return
        with self.db.transaction():
            # concurrent first runs must not both create the tables
            self.db.execute("SELECT pg_advisory_xact_lock(hashtext('ghatna schema'))")
            self.db.execute(_SCHEMA)
            self.db.execute("INSERT INTO meta VALUES ('schema_version', %s) ON CONFLICT DO NOTHING",
                            (str(SCHEMA_VERSION),))

    # -- documents ---------------------------------------------------------------------------
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM documents WHERE id = ANY(%s)",
                                              (list(ids),))}

    def near_duplicate(self, bands, signature, threshold):
        if not bands:
            return None
        rows = self.db.execute(
            "SELECT DISTINCT s.doc_id, s.signature FROM document_bands b"
            " JOIN document_signatures s ON s.doc_id = b.doc_id WHERE b.band = ANY(%s)"
            " ORDER BY s.doc_id", (list(bands),)).fetchall()
        return best_near_duplicate(rows, signature, threshold)

    def add_documents(self, batch: list[StoredDocument]) -> int:
        added = 0
        with self.db.transaction(), self.db.cursor() as cur:  # one transaction for the whole batch
            for item in batch:
                doc, analysis = item.document, item.analysis
                cur.execute(
                    "INSERT INTO documents (id, name, source, url, title, date, lang, text,"
                    " near_duplicate_of, near_duplicate_score) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                    " ON CONFLICT (id) DO NOTHING RETURNING seq",
                    (doc.id, doc.name, doc.source, doc.url, doc.title, doc.date, analysis.lang,
                     doc.text, item.near_duplicate_of, item.near_duplicate_score))
                if cur.fetchone() is None:
                    continue
                added += 1
                cur.execute("INSERT INTO analyses VALUES (%s, %s)", (doc.id, analysis_json(analysis)))
                if item.signature:
                    cur.execute("INSERT INTO document_signatures VALUES (%s, %s)",
                                (doc.id, pack_signature(item.signature)))
                    cur.executemany("INSERT INTO document_bands VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                    [(b, doc.id) for b in item.bands])
                rows = []
                for idx, s in enumerate(analysis.sentences):
                    text = doc.text[s.start:s.end]
                    rows.append((doc.id, idx, s.start, s.end, text, tsvector_literal(text)))
                cur.executemany(
                    'INSERT INTO sentences (doc_id, idx, start, "end", text, words)'
                    " VALUES (%s, %s, %s, %s, %s, %s::tsvector)", rows)
        return added

    def document(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents WHERE id = %s", (doc_id,)).fetchone()
        return None if row is None else dict(zip(DOCUMENT_COLUMNS, row))

    def documents(self) -> list[dict[str, Any]]:
        return [dict(zip(LISTED_DOCUMENT_COLUMNS, row)) for row in self.db.execute(
            f"SELECT {', '.join(LISTED_DOCUMENT_COLUMNS)} FROM documents ORDER BY seq")]

    def analysis(self, doc_id: str) -> DocAnalysis:
        row = self.db.execute(
            "SELECT a.json, d.text FROM analyses a JOIN documents d ON d.id = a.doc_id"
            " WHERE a.doc_id = %s", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return analysis_from(*row)

    def unresolved_documents(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE resolved = 0 ORDER BY seq")]

    # -- the reduce phase ----------------------------------------------------------------------
    def save_resolution(self, resolution: Resolution) -> None:
        with self.db.transaction(), self.db.cursor() as cur:
            for e in resolution.entities:
                cur.execute(
                    "INSERT INTO entities (id, name, label, kb_id, lat, lon, country_code, mentions)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,1) ON CONFLICT (id) DO UPDATE SET"
                    f" mentions = entities.mentions + 1, name = {_FULLER_NAME},"
                    " lat = coalesce(entities.lat, excluded.lat),"
                    " lon = coalesce(entities.lon, excluded.lon),"
                    " country_code = coalesce(entities.country_code, excluded.country_code),"
                    " kb_id = coalesce(entities.kb_id, excluded.kb_id)",
                    (e.entity_id, e.name, e.label, e.kb_id, e.lat, e.lon, e.country_code))
                cur.executemany("INSERT INTO entity_keys VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                                [(b, e.entity_id, e.key) for b in e.blocks])
                cur.execute("INSERT INTO entity_variants VALUES (%s, %s) ON CONFLICT DO NOTHING",
                            (e.entity_id, e.variant))
            cur.executemany(
                "INSERT INTO events VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " date = excluded.date, type = excluded.type, json = excluded.json",
                [(ev.id, ev.date, ev.type, event_json(ev)) for ev in resolution.events])
            cur.executemany(
                "INSERT INTO claims VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " doc_id = excluded.doc_id, seq = excluded.seq, json = excluded.json",
                [(c["id"], c["doc_id"], c.get("_seq", 0), claim_json(c)) for c in resolution.claims])
            cur.execute("UPDATE documents SET resolved = 1 WHERE id = ANY(%s)",
                        (list(resolution.doc_ids),))

    def entity_candidates(self, block: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT entity_id, key FROM entity_keys WHERE block = %s ORDER BY entity_id, key", (block,))]

    # -- reading -------------------------------------------------------------------------------
    def _stream(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """Rows fetched from a server-side cursor a thousand at a time: memory stays flat however
        many events a store holds."""
        with self.db.cursor(f"ghatna_{next(_cursor_names)}", withhold=True) as cur:
            cur.itersize = 1000
            cur.execute(sql, params)
            yield from cur

    def events(self) -> Iterator[Event]:
        for (payload,) in self._stream("SELECT json FROM events ORDER BY date IS NULL, date, id"):
            yield Event.from_json(json.loads(payload))

    def entities(self) -> list[dict[str, Any]]:
        variants = self.db.execute(
            "SELECT entity_id, variant FROM entity_variants ORDER BY 1, 2").fetchall()
        rows = self.db.execute(
            f"SELECT {', '.join(ENTITY_COLUMNS)} FROM entities ORDER BY mentions DESC, name, id").fetchall()
        return entity_records(rows, variants)

    def claims(self) -> list[dict[str, Any]]:
        return [json.loads(p) for (p,) in self.db.execute(
            "SELECT c.json FROM claims c JOIN documents d ON d.id = c.doc_id ORDER BY d.seq, c.seq")]

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        terms = parse_query(query)
        rows = self.db.execute(
            'SELECT s.doc_id, d.name, s.text, s.start, s."end" FROM sentences s'
            " JOIN documents d ON d.id = s.doc_id WHERE s.words @@ %(q)s::tsquery"
            " ORDER BY ts_rank(s.words, %(q)s::tsquery) DESC, d.seq, s.idx LIMIT %(n)s",
            {"q": tsquery_literal(terms), "n": int(limit)}).fetchall()
        return [SearchHit(*r, highlighted=highlight(r[2], terms)) for r in rows]

    def stats(self) -> dict[str, int]:
        def count(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        return {
            "documents": count("SELECT count(*) FROM documents"),
            "near_duplicates": count("SELECT count(*) FROM documents WHERE near_duplicate_of IS NOT NULL"),
            "sentences": count("SELECT count(*) FROM sentences"),
            "entities": count("SELECT count(*) FROM entities"),
            "events": count("SELECT count(*) FROM events"),
            "claims": count("SELECT count(*) FROM claims"),
        }

    def close(self) -> None:
        self.db.close()
