"""The embedded store: one SQLite file in WAL mode (readers work while a run writes), with FTS5
over sentences tokenised so that Devanagari words stay whole (the default unicode61 tokenizer
splits a word at every vowel sign and virama and finds `शन` inside `प्रदर्शन`)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..schema import Event
from . import StoreError
from .base import EventFilter, Resolution, SearchHit, StoredDocument
from .query import fts5_match, parse_query
from .rows import (SENTENCE_OF, SQLStore, candidate_summaries,
                   claim_json, entity_updates, event_conditions, event_entity_rows, event_row,
                   mention_rows, mentions_by_event, pack_signature, person_story_rows,
                   summary_rows)

SCHEMA_VERSION = 2
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
    resolved INTEGER NOT NULL DEFAULT 0,
    story_id TEXT
);
CREATE INDEX IF NOT EXISTS documents_by_story ON documents(story_id);
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
    id TEXT PRIMARY KEY, date TEXT, type TEXT NOT NULL, story_id TEXT,
    flagged INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_date ON events(date IS NULL, date, id);
CREATE INDEX IF NOT EXISTS events_by_story ON events(story_id);
CREATE TABLE IF NOT EXISTS event_mentions (
    id TEXT PRIMARY KEY, doc_seq INTEGER NOT NULL, pos INTEGER NOT NULL,
    event_id TEXT NOT NULL, doc_id TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS event_mentions_by_event ON event_mentions(event_id);
CREATE TABLE IF NOT EXISTS event_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, event_id TEXT NOT NULL,
    UNIQUE (key, event_id));
CREATE TABLE IF NOT EXISTS event_summaries (
    event_id TEXT PRIMARY KEY, evidence TEXT NOT NULL, tallies TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_entities (
    entity_id TEXT NOT NULL, event_id TEXT NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (entity_id, event_id, role)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_entities_by_event ON event_entities(event_id);
CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS document_people (
    entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (entity_id, doc_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);
"""


def _chunks(values: list[str], size: int = 400) -> Iterator[list[str]]:
    """`values` in pieces small enough for one `IN (?, ...)` list."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _check_version(db: sqlite3.Connection, path: str) -> None:
    has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if has_meta else None
    if row is not None and int(row[0]) != SCHEMA_VERSION:
        db.close()
        raise StoreError(f"{path} was written by another version of ghatna (store schema {row[0]},"
                         f" this one reads {SCHEMA_VERSION}); run into a new store")


class SQLiteStore(SQLStore):
    P = "?"

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise FileNotFoundError(f"no store at {self.path}")
                self.db = sqlite3.connect(f"file:{Path(self.path).resolve()}?mode=ro", uri=True)
                self.db.execute("PRAGMA busy_timeout=30000")
                # a file that is no database, or one whose first run has not created the tables
                # yet: the schema version is written last, after every table and index
                if not self.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'"
                                       ).fetchone()[0] or not self.db.execute(
                        "SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone()[0]:
                    raise StoreError(f"{self.path} holds no ghatna store (yet)")
                _check_version(self.db, self.path)
                self._link_mention_sentences(readonly=True)
            else:
                self.db = sqlite3.connect(self.path)
                self.db.execute("PRAGMA busy_timeout=30000")
                _check_version(self.db, self.path)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                # checkpoints every 64 MB of log, not every 4 MB: a page that batch after batch
                # rewrites (an index's, an event summary's) is written back to the database file
                # once per checkpoint (commits waited 1.37 ms an article on 4,000 articles, 0.82
                # after; the wait is that write-back, not fsync: synchronous=OFF waited as long);
                # the log is cut back to 64 MB after each
                self.db.execute("PRAGMA wal_autocheckpoint=16384")
                self.db.execute("PRAGMA journal_size_limit=67108864")
                with self.db:
                    self.db.executescript(_SCHEMA)
                    self.db.executescript(_QUERY_INDEXES)
                    self._link_mention_sentences(readonly=False)
                    self._keep_person_stories()
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                    (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a ghatna store ({e})") from None
        # 16 MB of page cache: enough for the blocking keys and summaries a batch reads (64 MB
        # made no run faster, and a growing store filled it: peak memory grew with the corpus)
        self.db.execute("PRAGMA cache_size=-16384")
        if readonly:  # the API opens a store per request: pages read from the OS cache, not copied
            self.db.execute("PRAGMA mmap_size=1073741824")

    def _begin(self):
        return self.db  # the connection as a context: commit, or roll back on an exception

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

    def add_documents(self, batch: list[StoredDocument]) -> int:
        added = 0
        with self._writing():  # one transaction for the whole batch (or the enclosing one)
            # the batch's sentences are indexed for search together, after the last one is in
            # (one full-text segment a batch, not one a document)
            last = self.db.execute("SELECT coalesce(max(id), 0) FROM sentences").fetchone()[0]
            for item in batch:
                doc = item.document
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO documents (id, name, source, url, title, date, lang, text,"
                    " near_duplicate_of, near_duplicate_score) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.name, doc.source, doc.url, doc.title, doc.date, item.lang,
                     doc.text, item.near_duplicate_of, item.near_duplicate_score))
                if cur.rowcount == 0:
                    continue
                added += 1
                self.db.execute("INSERT INTO analyses VALUES (?, ?)", (doc.id, item.analysis_json))
                if item.signature:
                    self.db.execute("INSERT INTO document_signatures VALUES (?, ?)",
                                    (doc.id, pack_signature(item.signature)))
                    self.db.executemany("INSERT OR IGNORE INTO document_bands VALUES (?, ?)",
                                        [(b, doc.id) for b in item.bands])
                self.db.executemany(
                    "INSERT INTO sentences (doc_id, idx, start, end, text) VALUES (?,?,?,?,?)",
                    [(doc.id, idx, start, end, doc.text[start:end])
                     for idx, (start, end) in enumerate(item.sentences)])
            self.db.execute("INSERT INTO sentences_fts (rowid, text)"
                            " SELECT id, text FROM sentences WHERE id > ? ORDER BY id", (last,))
        return added

    # -- the reduce phase ----------------------------------------------------------------------
    def save_resolution(self, resolution: Resolution) -> None:
        with self._writing():
            entities = entity_updates(resolution.entities)  # a statement each for all entities
            self.db.executemany(
                "INSERT OR IGNORE INTO entities (id, name, label, kb_id, lat, lon, country_code)"
                " VALUES (?,?,?,?,?,?,?)",
                [(e.entity_id, e.name, e.label, e.kb_id, e.lat, e.lon, e.country_code)
                 for e, *_ in entities])
            # the most complete name seen is the one shown (more words, then longer)
            self.db.executemany(
                "UPDATE entities SET mentions = mentions + ?,"
                " name = CASE WHEN length(?) - length(replace(?, ' ', '')) > length(name) - length(replace(name, ' ', ''))"
                " OR (length(?) - length(replace(?, ' ', '')) = length(name) - length(replace(name, ' ', ''))"
                " AND length(?) > length(name)) THEN ? ELSE name END,"
                " lat = coalesce(lat, ?), lon = coalesce(lon, ?), country_code = coalesce(country_code, ?),"
                " kb_id = coalesce(kb_id, ?) WHERE id = ?",
                [(n, name, name, name, name, name, name, lat, lon, cc, kb_id, e.entity_id)
                 for e, n, name, kb_id, lat, lon, cc, _, _ in entities])
            self.db.executemany("INSERT OR IGNORE INTO entity_keys VALUES (?, ?, ?)",
                                [(b, e.entity_id, key) for e, *_, keys in entities for b, key in sorted(keys)])
            self.db.executemany("INSERT OR IGNORE INTO entity_variants VALUES (?, ?)",
                                [(e.entity_id, v) for e, *_, variants, _ in entities for v in sorted(variants)])
            self._save_stories(resolution)
            self.db.executemany("INSERT OR REPLACE INTO event_mentions VALUES (?, ?, ?, ?, ?, ?)",
                                mention_rows(resolution))
            self._save_mention_sentences(self.db, resolution)
            self.db.executemany("INSERT OR IGNORE INTO event_keys (key, event_id) VALUES (?, ?)",
                                resolution.event_keys)
            self.db.executemany("INSERT INTO event_summaries VALUES (?, ?, ?) ON CONFLICT (event_id)"
                                " DO UPDATE SET evidence = excluded.evidence, tallies = excluded.tallies",
                                summary_rows(resolution))
            # updated in place, not replaced (a replaced row moves, and every index entry with it)
            self.db.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " date = excluded.date, type = excluded.type, story_id = excluded.story_id,"
                " flagged = excluded.flagged, json = excluded.json",
                [event_row(ev) for ev in resolution.events])
            self.db.executemany("DELETE FROM event_entities WHERE event_id = ?",
                                [(ev.id,) for ev in resolution.events])
            self.db.executemany("INSERT OR IGNORE INTO event_entities VALUES (?, ?, ?)",
                                [row for ev in resolution.events for row in event_entity_rows(ev)])
            self.db.executemany("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)",
                                [(c["id"], c["doc_id"], c.get("_seq", 0), claim_json(c))
                                 for c in resolution.claims])
            self.db.executemany("UPDATE documents SET resolved = 1 WHERE id = ?",
                                [(d,) for d in resolution.doc_ids])

    def _save_stories(self, resolution: Resolution) -> None:
        self.db.executemany("INSERT OR IGNORE INTO stories VALUES (?, ?)",
                            list(resolution.new_stories.items()))
        for absorbed, survivor in sorted(resolution.story_merges.items()):
            self.db.execute("UPDATE documents SET story_id = ? WHERE story_id = ?", (survivor, absorbed))
            self.db.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (survivor, absorbed))
            self.db.execute("UPDATE OR IGNORE person_stories SET story_id = ? WHERE story_id = ?",
                            (survivor, absorbed))
            self.db.execute("DELETE FROM person_stories WHERE story_id = ?", (absorbed,))
            self.db.execute("DELETE FROM stories WHERE id = ?", (absorbed,))
        self.db.executemany("UPDATE documents SET story_id = ? WHERE id = ?",
                            [(s, d) for d, s in resolution.doc_stories.items()])
        self.db.executemany("INSERT OR IGNORE INTO document_people VALUES (?, ?)",
                            resolution.story_people)
        self.db.executemany("INSERT OR IGNORE INTO person_stories VALUES (?, ?)",
                            person_story_rows(resolution))

    def event_candidates(self, keys: list[str], limit: int = 64) -> dict[str, dict[str, dict[str, Any] | None]]:
        found: dict[str, list[str]] = {}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            for key, eid in self.db.execute(
                    f"SELECT key, event_id FROM (SELECT key, event_id, seq, row_number() OVER"
                    f" (PARTITION BY key ORDER BY seq DESC) AS rn FROM event_keys"
                    f" WHERE key IN ({marks})) WHERE rn <= ? ORDER BY key, seq", (*chunk, limit)):
                found.setdefault(key, []).append(eid)
        rows: list[tuple[str, str]] = []
        for chunk in _chunks(sorted({eid for eids in found.values() for eid in eids})):
            rows += self.db.execute(f"SELECT event_id, evidence FROM event_summaries"
                                    f" WHERE event_id IN ({','.join('?' * len(chunk))})", chunk)
        return candidate_summaries(found, rows)

    def event_mentions_of(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        rows: list[tuple[str, str]] = []
        for chunk in _chunks(event_ids):
            rows += self.db.execute(f"SELECT event_id, json FROM event_mentions"
                                    f" WHERE event_id IN ({','.join('?' * len(chunk))})"
                                    f" ORDER BY doc_seq, pos", chunk)
        return mentions_by_event(rows)

    def document_stories(self, doc_ids: list[str]) -> dict[str, tuple[str, int]]:
        out: dict[str, tuple[str, int]] = {}
        for chunk in _chunks(doc_ids):
            marks = ",".join("?" * len(chunk))
            for doc, story, seq in self.db.execute(
                    f"SELECT d.id, d.story_id, s.seq FROM documents d JOIN stories s ON s.id = d.story_id"
                    f" WHERE d.id IN ({marks})", chunk):
                out[doc] = (story, seq)
        return out

    def stories_naming(self, person_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        for chunk in _chunks(person_ids):
            marks = ",".join("?" * len(chunk))
            for person, story, seq in self.db.execute(
                    f"SELECT p.entity_id, p.story_id, s.seq FROM person_stories p"
                    f" JOIN stories s ON s.id = p.story_id"
                    f" WHERE p.entity_id IN ({marks}) ORDER BY 1, 3", chunk):
                out.setdefault(person, []).append((story, seq))
        return out

    # -- reading -------------------------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        yield from self._events_in_chunks(self.db.execute(
            "SELECT json, story_id FROM events ORDER BY date IS NULL, date, id"))

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

    # -- dashboard queries (the API of `ghatna serve`; shared ones in rows.SQLStore) ----------
    # events with a mention whose trigger starts in a sentence the search matches
    _EVENT_CONDITIONS = event_conditions(":{}", text=(
        "e.id IN (SELECT l.event_id FROM sentences_fts"
        " JOIN mention_sentences l ON l.sentence_id = sentences_fts.rowid"
        " WHERE sentences_fts MATCH :text)"))
    # The same events found through the mentions' JSON: a store opened read-only that has no links.
    _TEXT_THROUGH_MENTIONS = (
        "e.id IN (SELECT m.event_id FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
        " JOIN event_mentions m ON m.doc_id = s.doc_id"
        " WHERE sentences_fts MATCH :text AND json_extract(m.json, '$.start') >= s.start"
        " AND json_extract(m.json, '$.start') < s.end)")

    # The text filter's links (rows.SQLStore._link_mention_sentences): which sentence each event
    # mention's trigger starts in (none: NULL), and the mention's event.
    _MENTION_SENTENCES = (
        "CREATE TABLE IF NOT EXISTS mention_sentences ("
        " mention_id TEXT PRIMARY KEY, sentence_id INTEGER, event_id TEXT NOT NULL) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS mention_sentences_by_sentence ON mention_sentences(sentence_id, event_id)")
    _PERSON_STORIES = (
        "CREATE TABLE IF NOT EXISTS person_stories ("
        " entity_id TEXT NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (entity_id, story_id)) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS person_stories_by_story ON person_stories(story_id)")
    _LINK_MENTION = ("INSERT OR REPLACE INTO mention_sentences VALUES (:mention, "
                     + SENTENCE_OF.format(column="id", doc=":doc", start=":start") + ", :event)")
    _LINK_STORED_MENTIONS = (
        "INSERT OR REPLACE INTO mention_sentences SELECT m.id, "
        + SENTENCE_OF.format(column="id", doc="m.doc_id", start="json_extract(m.json, '$.start')")
        + ", m.event_id FROM event_mentions m")
    _VARIANTS = ("(SELECT json_group_array(variant) FROM (SELECT variant FROM entity_variants"
                 " WHERE entity_id = e.id ORDER BY variant))")

    @staticmethod
    def _search_value(text: str) -> str:
        return fts5_match(parse_query(text))

    # From how many events the text filter keeps on, a page of them is read in timeline order off
    # the index (up to a step per event of the store) rather than sorted (a row read per match).
    MANY_TEXT_HITS = 2000

    def _count_and_page(self, where: EventFilter, cond: str, params: dict[str, Any]) -> tuple[int, list[str]]:
        total = self.db.execute(f"SELECT count(*) FROM events e WHERE {cond}", params).fetchone()[0]
        if where.text and total >= self.MANY_TEXT_HITS and not (where.start or where.end):
            # many events match: walk the timeline index and keep those that match, rather than
            # read every matching event's row to sort them (with dates, events_dated has them)
            cond, _ = self._event_conditions(where, text="+" + self._EVENT_CONDITIONS["text"])
        return int(total), [r[0] for r in self.db.execute(self._page_sql(cond), params)]


# Indexes the dashboard's filters and counts are answered from (created with the schema): each
# filter's index also holds the timeline order (date, undated last, id), so a page is read off it.
_QUERY_INDEXES = """
CREATE INDEX IF NOT EXISTS events_of_type ON events(type, date IS NULL, date, id);
CREATE INDEX IF NOT EXISTS events_in_story ON events(story_id, date IS NULL, date, id);
CREATE INDEX IF NOT EXISTS events_with_flags ON events(flagged, date IS NULL, date, id) WHERE flagged = 1;
CREATE INDEX IF NOT EXISTS events_on_date ON events(date, id);
CREATE INDEX IF NOT EXISTS events_dated ON events(id, date); -- the dates of the events a search finds
CREATE INDEX IF NOT EXISTS event_mentions_by_doc
    ON event_mentions(doc_id, json_extract(json, '$.start'), event_id);
CREATE INDEX IF NOT EXISTS event_entities_by_role ON event_entities(role, entity_id);
CREATE INDEX IF NOT EXISTS entities_by_name ON entities(name);
CREATE INDEX IF NOT EXISTS entity_variants_by_variant ON entity_variants(variant);
"""
