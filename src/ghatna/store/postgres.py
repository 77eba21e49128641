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
from collections.abc import Iterable, Iterator
from typing import Any

from ..schema import Event
from .base import EventFilter, Resolution, SearchHit, StoredDocument, StoreError
from .query import highlight, parse_query, tsquery_literal, tsvector_literal
from .rows import (SENTENCE_OF, SQLStore, candidate_summaries,
                   claim_json, entity_updates, event_conditions, event_entity_rows, event_row,
                   mention_rows, mentions_by_event, pack_signature, person_story_rows,
                   summary_rows)

SCHEMA_VERSION = 2  # as sqlite.py
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
    resolved INTEGER NOT NULL DEFAULT 0,
    story_id {_T}
);
CREATE INDEX IF NOT EXISTS documents_by_story ON documents(story_id);
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
    id {_T} PRIMARY KEY, date {_T}, type {_T} NOT NULL, story_id {_T},
    flagged INTEGER NOT NULL DEFAULT 0, json {_T} NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_date ON events((date IS NULL), date, id);
CREATE INDEX IF NOT EXISTS events_by_story ON events(story_id);
CREATE TABLE IF NOT EXISTS event_mentions (
    id {_T} PRIMARY KEY, doc_seq BIGINT NOT NULL, pos INTEGER NOT NULL,
    event_id {_T} NOT NULL, doc_id {_T} NOT NULL, json {_T} NOT NULL);
CREATE INDEX IF NOT EXISTS event_mentions_by_event ON event_mentions(event_id);
CREATE TABLE IF NOT EXISTS event_summaries (
    event_id {_T} PRIMARY KEY, evidence {_T} NOT NULL, tallies {_T} NOT NULL);
CREATE TABLE IF NOT EXISTS event_keys (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key {_T} NOT NULL, event_id {_T} NOT NULL,
    UNIQUE (key, event_id));
CREATE TABLE IF NOT EXISTS event_entities (
    entity_id {_T} NOT NULL, event_id {_T} NOT NULL, role {_T} NOT NULL,
    PRIMARY KEY (entity_id, event_id, role));
CREATE INDEX IF NOT EXISTS event_entities_by_event ON event_entities(event_id);
CREATE TABLE IF NOT EXISTS stories (id {_T} PRIMARY KEY, seq BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS document_people (
    entity_id {_T} NOT NULL, doc_id {_T} NOT NULL, PRIMARY KEY (entity_id, doc_id));
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
        reason = " ".join(line.strip() for line in str(e).splitlines() if line.strip()) or type(e).__name__
        raise StoreError(f"cannot connect to the PostgreSQL store: {reason}") from e


class PostgresStore(SQLStore):
    P = "%s"

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.db = _connect(url)
        if readonly:
            self.db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            # a reader answers pages of the dashboard: parallel workers, started per query, cost
            # more than they save there, and take cores from the requests beside it
            self.db.execute("SET max_parallel_workers_per_gather = 0")
            if self.db.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
                self.db.close()
                raise StoreError("no ghatna store in this PostgreSQL database "
                                 "(create one with: ghatna run --db URL INPUT...)")
            self._link_mention_sentences(readonly=True)
            return
        with self.db.transaction():
            # concurrent first runs must not both create the tables
            self.db.execute("SELECT pg_advisory_xact_lock(hashtext('ghatna schema'))")
            self._check_version()
            self.db.execute(_SCHEMA)
            self.db.execute(self._QUERY_INDEXES)
            self._link_mention_sentences(readonly=False)
            self._keep_person_stories()
            self.db.execute("INSERT INTO meta VALUES ('schema_version', %s) ON CONFLICT DO NOTHING",
                            (str(SCHEMA_VERSION),))

    def usable(self, check: bool = False) -> bool:
        if self.db.closed or self.db.broken:
            return False
        if check:
            try:
                self.db.execute("SELECT 1")
            except Exception:  # psycopg.OperationalError: the server ended the connection
                return False
        return True

    def _check_version(self) -> None:
        if self.db.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
            return
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and int(row[0]) != SCHEMA_VERSION:
            raise StoreError(f"this PostgreSQL store was written by another version of ghatna (store"
                             f" schema {row[0]}, this one reads {SCHEMA_VERSION}); use a new database")

    # -- documents ---------------------------------------------------------------------------
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM documents WHERE id = ANY(%s)",
                                              (list(ids),))}

    def _begin(self):
        return self.db.transaction()

    def add_documents(self, batch: list[StoredDocument]) -> int:
        added = 0
        with self._writing(), self.db.cursor() as cur:  # one transaction for the whole batch (or the enclosing one)
            for item in batch:
                doc = item.document
                cur.execute(
                    "INSERT INTO documents (id, name, source, url, title, date, lang, text,"
                    " near_duplicate_of, near_duplicate_score) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                    " ON CONFLICT (id) DO NOTHING RETURNING seq",
                    (doc.id, doc.name, doc.source, doc.url, doc.title, doc.date, item.lang,
                     doc.text, item.near_duplicate_of, item.near_duplicate_score))
                if cur.fetchone() is None:
                    continue
                added += 1
                cur.execute("INSERT INTO analyses VALUES (%s, %s)", (doc.id, item.analysis_json))
                if item.signature:
                    cur.execute("INSERT INTO document_signatures VALUES (%s, %s)",
                                (doc.id, pack_signature(item.signature)))
                    cur.executemany("INSERT INTO document_bands VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                    [(b, doc.id) for b in item.bands])
                rows = []
                for idx, (start, end) in enumerate(item.sentences):
                    text = doc.text[start:end]
                    rows.append((doc.id, idx, start, end, text, tsvector_literal(text)))
                cur.executemany(
                    'INSERT INTO sentences (doc_id, idx, start, "end", text, words)'
                    " VALUES (%s, %s, %s, %s, %s, %s::tsvector)", rows)
        return added

    # -- the reduce phase ----------------------------------------------------------------------
    def save_resolution(self, resolution: Resolution) -> None:
        with self._writing(), self.db.cursor() as cur:
            entities = entity_updates(resolution.entities)  # a statement each for all entities
            cur.executemany(
                "INSERT INTO entities (id, name, label, kb_id, lat, lon, country_code, mentions)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET"
                f" mentions = entities.mentions + excluded.mentions, name = {_FULLER_NAME},"
                " lat = coalesce(entities.lat, excluded.lat),"
                " lon = coalesce(entities.lon, excluded.lon),"
                " country_code = coalesce(entities.country_code, excluded.country_code),"
                " kb_id = coalesce(entities.kb_id, excluded.kb_id)",
                [(e.entity_id, name, e.label, kb_id, lat, lon, cc, n)
                 for e, n, name, kb_id, lat, lon, cc, _, _ in entities])
            cur.executemany("INSERT INTO entity_keys VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            [(b, e.entity_id, key) for e, *_, keys in entities for b, key in sorted(keys)])
            cur.executemany("INSERT INTO entity_variants VALUES (%s, %s) ON CONFLICT DO NOTHING",
                            [(e.entity_id, v) for e, *_, variants, _ in entities for v in sorted(variants)])
            self._save_stories(cur, resolution)
            cur.executemany(
                "INSERT INTO event_mentions VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE"
                " SET doc_seq = excluded.doc_seq, pos = excluded.pos, event_id = excluded.event_id,"
                " doc_id = excluded.doc_id, json = excluded.json", mention_rows(resolution))
            self._save_mention_sentences(cur, resolution)
            cur.executemany("INSERT INTO event_keys (key, event_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                            resolution.event_keys)
            cur.executemany("INSERT INTO event_summaries VALUES (%s, %s, %s) ON CONFLICT (event_id) DO UPDATE"
                            " SET evidence = excluded.evidence, tallies = excluded.tallies",
                            summary_rows(resolution))
            cur.executemany(
                "INSERT INTO events VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " date = excluded.date, type = excluded.type, story_id = excluded.story_id,"
                " flagged = excluded.flagged, json = excluded.json",
                [event_row(ev) for ev in resolution.events])
            cur.execute("DELETE FROM event_entities WHERE event_id = ANY(%s)",
                        ([ev.id for ev in resolution.events],))
            cur.executemany("INSERT INTO event_entities VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            [row for ev in resolution.events for row in event_entity_rows(ev)])
            cur.executemany(
                "INSERT INTO claims VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " doc_id = excluded.doc_id, seq = excluded.seq, json = excluded.json",
                [(c["id"], c["doc_id"], c.get("_seq", 0), claim_json(c)) for c in resolution.claims])
            cur.execute("UPDATE documents SET resolved = 1 WHERE id = ANY(%s)",
                        (list(resolution.doc_ids),))

    def _save_stories(self, cur, resolution: Resolution) -> None:
        cur.executemany("INSERT INTO stories VALUES (%s, %s) ON CONFLICT DO NOTHING",
                        list(resolution.new_stories.items()))
        for absorbed, survivor in sorted(resolution.story_merges.items()):
            cur.execute("UPDATE documents SET story_id = %s WHERE story_id = %s", (survivor, absorbed))
            cur.execute("UPDATE events SET story_id = %s WHERE story_id = %s", (survivor, absorbed))
            cur.execute("INSERT INTO person_stories SELECT entity_id, %s FROM person_stories"
                        " WHERE story_id = %s ON CONFLICT DO NOTHING", (survivor, absorbed))
            cur.execute("DELETE FROM person_stories WHERE story_id = %s", (absorbed,))
            cur.execute("DELETE FROM stories WHERE id = %s", (absorbed,))
        cur.executemany("UPDATE documents SET story_id = %s WHERE id = %s",
                        [(st, d) for d, st in resolution.doc_stories.items()])
        cur.executemany("INSERT INTO document_people VALUES (%s, %s) ON CONFLICT DO NOTHING",
                        resolution.story_people)
        cur.executemany("INSERT INTO person_stories VALUES (%s, %s) ON CONFLICT DO NOTHING",
                        person_story_rows(resolution))

    def event_candidates(self, keys: list[str], limit: int = 64) -> dict[str, dict[str, dict[str, Any] | None]]:
        found: dict[str, list[str]] = {}
        for key, eid in self.db.execute(
                "SELECT key, event_id FROM (SELECT key, event_id, seq, row_number() OVER"
                " (PARTITION BY key ORDER BY seq DESC) AS rn FROM event_keys WHERE key = ANY(%s)) k"
                " WHERE rn <= %s ORDER BY key, seq", (list(keys), limit)):
            found.setdefault(key, []).append(eid)
        ids = sorted({eid for eids in found.values() for eid in eids})
        rows = self.db.execute("SELECT event_id, evidence FROM event_summaries WHERE event_id = ANY(%s)",
                               (ids,)).fetchall()
        return candidate_summaries(found, rows)

    def event_mentions_of(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        return mentions_by_event(self.db.execute(
            "SELECT event_id, json FROM event_mentions WHERE event_id = ANY(%s) ORDER BY doc_seq, pos",
            (list(event_ids),)).fetchall())

    def document_stories(self, doc_ids: list[str]) -> dict[str, tuple[str, int]]:
        return {doc: (story, seq) for doc, story, seq in self.db.execute(
            "SELECT d.id, d.story_id, s.seq FROM documents d JOIN stories s ON s.id = d.story_id"
            " WHERE d.id = ANY(%s)", (list(doc_ids),))}

    def stories_naming(self, person_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        for person, story, seq in self.db.execute(
                "SELECT p.entity_id, p.story_id, s.seq FROM person_stories p"
                " JOIN stories s ON s.id = p.story_id"
                " WHERE p.entity_id = ANY(%s) ORDER BY 1, 3", (list(person_ids),)):
            out.setdefault(person, []).append((story, seq))
        return out

    # -- reading -------------------------------------------------------------------------------
    def _stream(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """Rows fetched from a server-side cursor a thousand at a time: memory stays flat however
        many events a store holds."""
        with self.db.cursor(f"ghatna_{next(_cursor_names)}", withhold=True) as cur:
            cur.itersize = 1000
            cur.execute(sql, params)
            yield from cur

    def events(self) -> Iterator[Event]:
        yield from self._events_in_chunks(self._stream(
            "SELECT json, story_id FROM events ORDER BY date IS NULL, date, id"))

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        terms = parse_query(query)
        rows = self.db.execute(
            'SELECT s.doc_id, d.name, s.text, s.start, s."end" FROM sentences s'
            " JOIN documents d ON d.id = s.doc_id WHERE s.words @@ %(q)s::tsquery"
            " ORDER BY ts_rank(s.words, %(q)s::tsquery) DESC, d.seq, s.idx LIMIT %(n)s",
            {"q": tsquery_literal(terms), "n": int(limit)}).fetchall()
        return [SearchHit(*r, highlighted=highlight(r[2], terms)) for r in rows]

    # == dashboard queries (the API of `ghatna serve`; shared ones in rows.SQLStore) ============
    # PostgreSQL text holds no NUL character, so a value with one matches nothing.
    TRUE = "TRUE"
    LIKE = "ILIKE"  # on "C" text folds ASCII letters only, as SQLite's LIKE

    # Indexes the dashboard's filters and counts are answered from (created with the schema);
    # each filter's index also holds the timeline order (date, undated last, id).
    _QUERY_INDEXES = """
    CREATE INDEX IF NOT EXISTS events_of_type ON events(type, (date IS NULL), date, id);
    CREATE INDEX IF NOT EXISTS events_in_story ON events(story_id, (date IS NULL), date, id);
    CREATE INDEX IF NOT EXISTS events_with_flags ON events((date IS NULL), date, id) WHERE flagged = 1;
    CREATE INDEX IF NOT EXISTS events_on_date ON events(date, id);
    CREATE INDEX IF NOT EXISTS events_dated ON events(id, date);
    CREATE INDEX IF NOT EXISTS event_mentions_by_doc
        ON event_mentions(doc_id, ((json::json ->> 'start')::integer), event_id);
    CREATE INDEX IF NOT EXISTS event_entities_by_role ON event_entities(role, entity_id, event_id);
    CREATE INDEX IF NOT EXISTS entities_by_name ON entities(name);
    CREATE INDEX IF NOT EXISTS entity_variants_by_variant ON entity_variants(variant);
    CREATE INDEX IF NOT EXISTS claims_by_speaker ON claims((json::json #>> '{speaker,entity_id}'));
    CREATE INDEX IF NOT EXISTS claims_by_doc ON claims(doc_id, seq);
    """

    # events with a mention whose trigger starts in a sentence the search matches
    _EVENT_CONDITIONS = event_conditions(
        "%({})s", entity_as_text='CAST(%(entity)s AS TEXT) COLLATE "C"',
        text="e.id IN (SELECT l.event_id FROM mention_sentences l WHERE l.words @@ %(text)s::tsquery)")

    # The same events found through the mentions' JSON: a store opened read-only that has no links.
    _TEXT_THROUGH_MENTIONS = (
        "e.id IN (SELECT m.event_id FROM sentences s JOIN event_mentions m ON m.doc_id = s.doc_id"
        " WHERE s.words @@ %(text)s::tsquery AND (m.json::json ->> 'start')::integer >= s.start"
        ' AND (m.json::json ->> \'start\')::integer < s."end")')

    # The text filter's links, as sqlite.py's, each with its sentence's words: a search finds the
    # events in one index, without visiting the sentences.
    _MENTION_SENTENCES = (
        f"CREATE TABLE IF NOT EXISTS mention_sentences (mention_id {_T} PRIMARY KEY,"
        f" sentence_id BIGINT, event_id {_T} NOT NULL, words TSVECTOR)",
        "CREATE INDEX IF NOT EXISTS mention_sentences_words ON mention_sentences USING GIN (words)")
    _PERSON_STORIES = (
        f"CREATE TABLE IF NOT EXISTS person_stories (entity_id {_T} NOT NULL, story_id {_T} NOT NULL,"
        " PRIMARY KEY (entity_id, story_id))",
        "CREATE INDEX IF NOT EXISTS person_stories_by_story ON person_stories(story_id)")
    _LINK_MENTION = (
        "INSERT INTO mention_sentences VALUES (%(mention)s, "
        + SENTENCE_OF.format(column="id", doc="%(doc)s", start="%(start)s") + ", %(event)s, "
        + SENTENCE_OF.format(column="words", doc="%(doc)s", start="%(start)s")
        + ") ON CONFLICT (mention_id) DO UPDATE SET sentence_id = excluded.sentence_id,"
        " event_id = excluded.event_id, words = excluded.words")
    _LINK_STORED_MENTIONS = (
        "INSERT INTO mention_sentences SELECT m.id, "
        + SENTENCE_OF.format(column="id", doc="m.doc_id", start="(m.json::json ->> 'start')::integer")
        + ", m.event_id, "
        + SENTENCE_OF.format(column="words", doc="m.doc_id", start="(m.json::json ->> 'start')::integer")
        + " FROM event_mentions m ON CONFLICT (mention_id) DO UPDATE SET sentence_id = excluded.sentence_id,"
        " event_id = excluded.event_id, words = excluded.words")
    _VARIANTS = ("(SELECT coalesce(json_agg(variant ORDER BY variant), '[]')::text"
                 " FROM entity_variants WHERE entity_id = e.id)")

    @staticmethod
    def _param(name: str) -> str:
        return f"%({name})s"

    @staticmethod
    def _json_text(column: str, *path: str) -> str:
        return f"{column}::json #>> '{{{','.join(path)}}}'"

    @staticmethod
    def _search_value(text: str) -> str:
        return tsquery_literal(parse_query(text))

    @staticmethod
    def _refused(*values: str | None) -> bool:
        return any("\x00" in v for v in values if v)

    _IN = "{} = ANY(%(ids)s)"
    _IDS = _IN.format("id")

    @staticmethod
    def _id_list(ids: list[str]) -> Any:
        return ids

    def _count_and_page(self, where: EventFilter, cond: str, params: dict[str, Any]) -> tuple[int, list[str]]:
        if where.text:  # the matching events found once, for both the count and the page
            rows = self.db.execute(self._page_sql(cond, ", count(*) OVER ()"), params).fetchall()
            if rows:
                return int(rows[0][1]), [r[0] for r in rows]
        return super()._count_and_page(where, cond, params)
