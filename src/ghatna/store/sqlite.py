"""The embedded store: one SQLite file in WAL mode (readers work while a run writes), with FTS5
over sentences tokenised so that Devanagari words stay whole (the default unicode61 tokenizer
splits a word at every vowel sign and virama and finds `शन` inside `प्रदर्शन`)."""
from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..schema import DocAnalysis, Event
from . import StoreError
from .base import Resolution, SearchHit, Store, StoredDocument
from .query import fts5_match, parse_query

SCHEMA_VERSION = 1
FTS_TOKENIZER = "unicode61 categories 'L* N* Co M*' remove_diacritics 0"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT, title TEXT, date TEXT, lang TEXT,
    text TEXT NOT NULL,
    near_duplicate_of TEXT, near_duplicate_score REAL,
    resolved INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_unresolved ON documents(resolved) WHERE resolved = 0;
CREATE TABLE IF NOT EXISTS document_bands (
    band TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (band, doc_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS document_signatures (doc_id TEXT PRIMARY KEY, signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS analyses (doc_id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, UNIQUE (doc_id, idx));
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize="{FTS_TOKENIZER}");
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, label TEXT NOT NULL, kb_id TEXT,
    lat REAL, lon REAL, country_code TEXT, mentions INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS entity_variants (
    entity_id TEXT NOT NULL, variant TEXT NOT NULL, PRIMARY KEY (entity_id, variant)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_keys (
    block TEXT NOT NULL, entity_id TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (block, entity_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, date TEXT, type TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_date ON events(date IS NULL, date, id);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);
"""


def _pack(signature: list[int]) -> bytes:
    return array("Q", signature).tobytes()


def _unpack(blob: bytes) -> list[int]:
    a = array("Q")
    a.frombytes(blob)
    return a.tolist()


class SQLiteStore(Store):
    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise FileNotFoundError(f"no store at {self.path}")
                self.db = sqlite3.connect(f"file:{Path(self.path).resolve()}?mode=ro", uri=True)
                self.db.execute("PRAGMA busy_timeout=30000")
                # a file that is no database, or one whose first run has not created the tables
                # yet (executescript creates them one by one; `claims` is the last)
                if self.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'claims'"
                                   ).fetchone()[0] == 0:
                    raise StoreError(f"{self.path} holds no ghatna store (yet)")
            else:
                self.db = sqlite3.connect(self.path)
                self.db.execute("PRAGMA busy_timeout=30000")
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                with self.db:
                    self.db.executescript(_SCHEMA)
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                    (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a ghatna store ({e})") from None

    # -- documents ---------------------------------------------------------------------------
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(
                f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
        return found

    def near_duplicate(self, bands, signature, threshold):
        if not bands:
            return None
        from ..ingest import estimated_jaccard

        marks = ",".join("?" * len(bands))
        rows = self.db.execute(
            f"SELECT DISTINCT s.doc_id, s.signature FROM document_bands b "
            f"JOIN document_signatures s ON s.doc_id = b.doc_id WHERE b.band IN ({marks}) "
            f"ORDER BY s.doc_id", bands).fetchall()
        best: tuple[str, float] | None = None
        for doc_id, blob in rows:
            score = estimated_jaccard(signature, _unpack(blob))
            if score >= threshold and (best is None or score > best[1]):
                best = (doc_id, score)
        return best

    def add_documents(self, batch: list[StoredDocument]) -> int:
        added = 0
        with self.db:  # one transaction for the whole batch
            for item in batch:
                doc, analysis = item.document, item.analysis
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO documents (id, name, source, url, title, date, lang, text,"
                    " near_duplicate_of, near_duplicate_score) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.name, doc.source, doc.url, doc.title, doc.date, analysis.lang,
                     doc.text, item.near_duplicate_of, item.near_duplicate_score))
                if cur.rowcount == 0:
                    continue
                added += 1
                payload = analysis.to_json()
                del payload["text"]  # kept once, in documents
                self.db.execute("INSERT INTO analyses VALUES (?, ?)",
                                (doc.id, json.dumps(payload, ensure_ascii=False)))
                if item.signature:
                    self.db.execute("INSERT INTO document_signatures VALUES (?, ?)",
                                    (doc.id, _pack(item.signature)))
                    self.db.executemany("INSERT OR IGNORE INTO document_bands VALUES (?, ?)",
                                        [(b, doc.id) for b in item.bands])
                for idx, s in enumerate(analysis.sentences):
                    text = doc.text[s.start:s.end]
                    rowid = self.db.execute(
                        "INSERT INTO sentences (doc_id, idx, start, end, text) VALUES (?,?,?,?,?)",
                        (doc.id, idx, s.start, s.end, text)).lastrowid
                    self.db.execute("INSERT INTO sentences_fts (rowid, text) VALUES (?, ?)",
                                    (rowid, text))
        return added

    def document(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id, name, source, url, title, date, lang, text, near_duplicate_of,"
            " near_duplicate_score FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        keys = ("id", "name", "source", "url", "title", "date", "lang", "text",
                "near_duplicate_of", "near_duplicate_score")
        return dict(zip(keys, row))

    def documents(self) -> list[dict[str, Any]]:
        keys = ("id", "name", "source", "url", "title", "date", "lang", "near_duplicate_of",
                "near_duplicate_score")
        return [dict(zip(keys, row)) for row in self.db.execute(
            f"SELECT {', '.join(keys)} FROM documents ORDER BY seq")]

    def analysis(self, doc_id: str) -> DocAnalysis:
        row = self.db.execute(
            "SELECT a.json, d.text FROM analyses a JOIN documents d ON d.id = a.doc_id"
            " WHERE a.doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        payload = json.loads(row[0])
        payload["text"] = row[1]
        return DocAnalysis.from_json(payload)

    def unresolved_documents(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE resolved = 0 ORDER BY seq")]

    # -- the reduce phase ----------------------------------------------------------------------
    def save_resolution(self, resolution: Resolution) -> None:
        with self.db:
            for e in resolution.entities:
                self.db.execute(
                    "INSERT OR IGNORE INTO entities (id, name, label, kb_id, lat, lon, country_code)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (e.entity_id, e.name, e.label, e.kb_id, e.lat, e.lon, e.country_code))
                # the most complete name seen is the one shown (more words, then longer)
                self.db.execute(
                    "UPDATE entities SET mentions = mentions + 1,"
                    " name = CASE WHEN length(?) - length(replace(?, ' ', '')) > length(name) - length(replace(name, ' ', ''))"
                    " OR (length(?) - length(replace(?, ' ', '')) = length(name) - length(replace(name, ' ', ''))"
                    " AND length(?) > length(name)) THEN ? ELSE name END,"
                    " lat = coalesce(lat, ?), lon = coalesce(lon, ?), country_code = coalesce(country_code, ?),"
                    " kb_id = coalesce(kb_id, ?) WHERE id = ?",
                    (e.name, e.name, e.name, e.name, e.name, e.name, e.lat, e.lon, e.country_code,
                     e.kb_id, e.entity_id))
                self.db.executemany("INSERT OR IGNORE INTO entity_keys VALUES (?, ?, ?)",
                                    [(b, e.entity_id, e.key) for b in e.blocks])
                self.db.execute("INSERT OR IGNORE INTO entity_variants VALUES (?, ?)",
                                (e.entity_id, e.variant))
            for ev in resolution.events:
                self.db.execute("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?)",
                                (ev.id, ev.date, ev.type, json.dumps(ev.to_json(), ensure_ascii=False)))
            for c in resolution.claims:
                self.db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)",
                                (c["id"], c["doc_id"], c.get("_seq", 0),
                                 json.dumps({k: v for k, v in c.items() if k != "_seq"},
                                            ensure_ascii=False)))
            self.db.executemany("UPDATE documents SET resolved = 1 WHERE id = ?",
                                [(d,) for d in resolution.doc_ids])

    def entity_candidates(self, block: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT entity_id, key FROM entity_keys WHERE block = ? ORDER BY entity_id, key", (block,))]

    # -- reading -------------------------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        for (payload,) in self.db.execute(
                "SELECT json FROM events ORDER BY date IS NULL, date, id"):
            yield Event.from_json(json.loads(payload))

    def entities(self) -> list[dict[str, Any]]:
        variants: dict[str, list[str]] = {}
        for eid, v in self.db.execute("SELECT entity_id, variant FROM entity_variants ORDER BY 1, 2"):
            variants.setdefault(eid, []).append(v)
        out = []
        for row in self.db.execute(
                "SELECT id, name, label, kb_id, lat, lon, country_code, mentions FROM entities"
                " ORDER BY mentions DESC, name, id"):
            eid, name, label, kb_id, lat, lon, cc, mentions = row
            out.append({"id": eid, "name": name, "label": label, "variants": variants.get(eid, []),
                        "kb_id": kb_id, "lat": lat, "lon": lon, "country_code": cc,
                        "mentions": mentions})
        return out

    def claims(self) -> list[dict[str, Any]]:
        return [json.loads(p) for (p,) in self.db.execute(
            "SELECT c.json FROM claims c JOIN documents d ON d.id = c.doc_id ORDER BY d.seq, c.seq")]

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        match = fts5_match(parse_query(query))
        rows = self.db.execute(
            "SELECT s.doc_id, d.name, s.text, s.start, s.end,"
            " highlight(sentences_fts, 0, '[', ']')"
            " FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
            " JOIN documents d ON d.id = s.doc_id"
            " WHERE sentences_fts MATCH ? ORDER BY rank, d.seq, s.idx LIMIT ?",
            (match, int(limit))).fetchall()
        return [SearchHit(*r) for r in rows]

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


