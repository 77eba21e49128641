"""What every SQL store (sqlite.py, postgres.py) does alike: how records become rows and back,
and the reads that are the same SQL in both (`SQLStore`; each store names its parameter mark)."""
from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import orjson

from ..schema import DocAnalysis, Event, Mention
from .base import EntityObservation, EventFilter, Page, Store
from .query import like_escape


def dump_json(value: Any) -> str:
    """JSON as the store keeps it: compact UTF-8 text. orjson writes an analysis in 0.03 ms
    rather than json.dumps's 0.17; it does not write integers beyond 64 bits (a figure such as
    `100 शंख`), which the standard library then writes. Keys that are not strings are written as
    strings, as the standard library writes them. Read back with json.loads, which keeps every
    integer exact (orjson would read one beyond 64 bits as a float)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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


def best_near_duplicate(rows: Iterable[tuple[str, bytes]], signature: list[int],
                        threshold: float) -> tuple[str, float] | None:
    """Of (doc id, packed signature) rows, the most similar at or above `threshold` (the first
    of equals)."""
    import numpy as np

    from ..ingest import estimated_jaccards

    rows = list(rows)
    if not rows:
        return None
    theirs = np.frombuffer(b"".join(bytes(blob) for _, blob in rows), dtype=np.uint64)
    scores = estimated_jaccards(signature, theirs.reshape(len(rows), -1))
    best = int(scores.argmax())
    return (rows[best][0], float(scores[best])) if scores[best] >= threshold else None


def nearest_of_each(items: list[tuple[list[str], list[int]]], holders: dict[str, list[str]],
                    signatures: dict[str, bytes], threshold: float) -> list[tuple[str, float] | None]:
    """For each (bands, signature), `best_near_duplicate` among the stored documents holding
    any of its bands (`holders`: band -> doc ids; `signatures`: doc id -> packed signature),
    taken in doc id order as a per-document query would give them."""
    out: list[tuple[str, float] | None] = []
    for bands, signature in items:
        ids = sorted({d for b in bands for d in holders.get(b, ()) if d in signatures})
        out.append(best_near_duplicate([(d, signatures[d]) for d in ids], signature, threshold)
                   if ids else None)
    return out


def analysis_json(analysis: DocAnalysis) -> str:
    """The stored analysis: its JSON without the text (kept once, in documents)."""
    payload = analysis.to_json()
    del payload["text"]
    return dump_json(payload)


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
            dump_json(payload))


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
    return [(mid, order[0], order[1], eid, doc, dump_json(payload))
            for mid, order, eid, doc, payload in resolution.event_mentions]


# {column} of the sentence of document {doc} that position {start} lies in
SENTENCE_OF = ("(SELECT s.{column} FROM sentences s WHERE s.doc_id = {doc} AND s.start <= {start}"
               ' AND s."end" > {start} ORDER BY s.idx LIMIT 1)')


def mention_sentence_rows(resolution) -> list[dict[str, Any]]:
    """{mention, doc, start (of the trigger), event} of each resolved mention: the values that
    link it to the sentence its trigger starts in (the stores' _LINK_MENTION)."""
    return [{"mention": mid, "doc": doc, "start": payload.get("start"), "event": eid}
            for mid, _, eid, doc, payload in resolution.event_mentions]


def event_conditions(mark: str, text: str, entity_as_text: str | None = None) -> dict[str, str]:
    """The condition on `events e` of each EventFilter field, each binding its value by the field's
    name written as `mark` writes it (":{}", "%({})s"); `text` is the store's own text condition,
    `entity_as_text` how it writes the bound entity as a value of a text column."""
    m = {name: mark.format(name) for name in ("start", "end", "type", "entity", "place", "story")}
    return {
        "start": f"e.date >= {m['start']} AND e.date < ':'",  # ':' follows the digits: no XXXX-MM-DD
        "end": f"e.date <= {m['end']} AND e.date >= '0'",
        "type": f"e.type = {m['type']}",
        "entity": "e.id IN (SELECT event_id FROM event_entities WHERE entity_id IN ("
                  f"SELECT {entity_as_text or m['entity']}"
                  f" UNION SELECT id FROM entities WHERE name = {m['entity']}"
                  f" UNION SELECT entity_id FROM entity_variants WHERE variant = {m['entity']}))",
        "place": f"e.id IN (SELECT event_id FROM event_entities WHERE entity_id = {m['place']}"
                 " AND role = 'location')",
        "story": f"e.story_id = {m['story']}",
        "text": text,
        "flagged": "e.flagged = 1",
    }


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
    return [(eid, dump_json(evidence), dump_json(tallies))
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


def person_story_rows(resolution) -> list[tuple[str, str]]:
    """(person, story) of every person a newly resolved document names, in its final story."""
    return sorted({(person, resolution.doc_stories[doc]) for person, doc in resolution.story_people})


def claim_json(claim: dict[str, Any]) -> str:
    return dump_json({k: v for k, v in claim.items() if k != "_seq"})


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
    _grouped = False  # inside transaction(): the writes join it and commit at its end

    # -- writes: a batch's own transaction, or the enclosing `transaction()` ------------------
    def _begin(self) -> AbstractContextManager:
        """A transaction of the driver's: committed when the block ends, rolled back if it raises."""
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._grouped:
            yield
            return
        self._grouped = True
        try:
            with self._begin():
                yield
        finally:
            self._grouped = False

    def _writing(self) -> AbstractContextManager:
        """A write's transaction: its own, or the enclosing `transaction()`."""
        return nullcontext() if self._grouped else self._begin()

    def near_duplicates(self, items, threshold):
        holders: dict[str, list[str]] = {}
        bands = sorted({b for bands, _ in items for b in bands})
        for band, doc in self.db.execute(f"SELECT band, doc_id FROM document_bands WHERE {self._IN.format('band')}",
                                         {"ids": self._id_list(bands)}):
            holders.setdefault(band, []).append(doc)
        docs = sorted({d for docs in holders.values() for d in docs})
        signatures = dict(self.db.execute(
            f"SELECT doc_id, signature FROM document_signatures WHERE {self._IN.format('doc_id')}",
            {"ids": self._id_list(docs)}).fetchall())
        return nearest_of_each(items, holders, signatures, threshold)

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

    def unresolved_documents(self) -> list[dict[str, Any]]:
        return [{"id": r[0], "seq": r[1], "name": r[2], "date": r[3]} for r in self.db.execute(
            "SELECT id, seq, name, date FROM documents WHERE resolved = 0 ORDER BY seq")]

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

    # == dashboard queries (the API of `ghatna serve`) ===========================================
    # Only fixed SQL fragments, chosen by which filters are present; every value is bound by name.
    # What differs between the databases is named by each store: its TRUE, its LIKE, how a named
    # parameter (`_param`) and a field of a JSON column (`_json_text`) are written, its
    # _EVENT_CONDITIONS, _VARIANTS and _IDS, and how a page of events is found (`_count_and_page`).
    TRUE = "1"
    LIKE = "LIKE"  # folds ASCII letters only
    _EVENT_CONDITIONS: dict[str, str]  # one condition on `events e` per EventFilter field
    _VARIANTS: str  # the JSON array (text) of entity e's spellings, in code-point order

    @staticmethod
    def _param(name: str) -> str:
        return ":" + name

    @staticmethod
    def _json_text(column: str, *path: str) -> str:
        return f"json_extract({column}, '$.{'.'.join(path)}')"

    @staticmethod
    def _search_value(text: str) -> str:
        """The bound value of the text filter: the search query as the database reads it."""
        raise NotImplementedError

    @staticmethod
    def _refused(*values: str | None) -> bool:
        """Whether a value can match nothing in this database (PostgreSQL: it holds NUL)."""
        return False

    # -- the text filter's links: which sentence each event mention's trigger starts in ---------
    # An index from a matching sentence to its events, so the filter need not read the mentions'
    # JSON. Kept with the mentions (`_save_mention_sentences` in save_resolution).
    _MENTION_SENTENCES: tuple[str, ...]  # the table and its index
    _LINK_MENTION: str  # writes one mention_sentence_rows row
    _LINK_STORED_MENTIONS: str  # links every stored mention
    _TEXT_THROUGH_MENTIONS: str  # the text condition without the links (same events, slower)

    def _link_mention_sentences(self, readonly: bool) -> None:
        """Link the mentions of a store written before the links were kept, once, when it is
        first opened for writing; opened read-only, such a store is searched without them."""
        if self._upgraded("mention_sentences"):
            return
        if readonly:
            self._EVENT_CONDITIONS = {**self._EVENT_CONDITIONS, "text": self._TEXT_THROUGH_MENTIONS}
            return
        self._upgrade("mention_sentences", (*self._MENTION_SENTENCES, self._LINK_STORED_MENTIONS))

    def _upgraded(self, key: str) -> bool:
        """Whether the store has what meta key `key` marks (a table added after its first run)."""
        return self.db.execute(f"SELECT 1 FROM meta WHERE key = {self.P}", (key,)).fetchone() is not None

    def _upgrade(self, key: str, statements: Iterable[str]) -> None:
        """Add what `key` marks (create, then fill from what the store holds), and mark it."""
        for sql in statements:
            self.db.execute(sql)
        self.db.execute(f"INSERT INTO meta VALUES ({self.P}, '1')", (key,))

    # -- which stories name each person (resolve/stories.py asks, per resolution batch) --------
    # One row per person and story, re-pointed when stories merge: reading a person's stories
    # costs what they number, not what the documents naming the person number (document_people).
    _PERSON_STORIES: tuple[str, ...]  # the table and its index
    _FILL_PERSON_STORIES = (
        "INSERT INTO person_stories SELECT DISTINCT p.entity_id, d.story_id FROM document_people p"
        " JOIN documents d ON d.id = p.doc_id WHERE d.story_id IS NOT NULL")

    def _keep_person_stories(self) -> None:
        """Create the table, and fill it once for a store written before it was kept (opened for
        writing: only the reduce phase reads it)."""
        if not self._upgraded("person_stories"):
            self._upgrade("person_stories", (*self._PERSON_STORIES, self._FILL_PERSON_STORIES))

    def _save_mention_sentences(self, cursor: Any, resolution) -> None:
        cursor.executemany(self._LINK_MENTION, mention_sentence_rows(resolution))

    # the rows whose column {} is one of the values bound as `ids` (the value `_id_list` makes of
    # a list); _IDS: the events whose ids are
    _IN = "{} IN (SELECT value FROM json_each(:ids))"
    _IDS = _IN.format("id")

    @staticmethod
    def _id_list(ids: list[str]) -> Any:
        return dump_json(ids)

    def query_events(self, where: EventFilter, limit: int, offset: int = 0) -> Page:
        cond, params = self._event_conditions(where)
        if cond is None:
            return Page(0, [])
        total, ids = self._count_and_page(where, cond, {**params, "limit": int(limit), "offset": int(offset)})
        # the page's ids from the indexes first, then only their records
        records = {r[0]: r[1:] for r in self.db.execute(
            f"SELECT id, json, story_id FROM events WHERE {self._IDS}", {"ids": self._id_list(ids)})}
        return Page(total, self.with_sources([event_from(*records[i]) for i in ids]))

    def _count_and_page(self, where: EventFilter, cond: str, params: dict[str, Any]) -> tuple[int, list[str]]:
        """How many events meet `cond` (the conditions of `where`), and the ids of those on the
        page `params` asks for (`limit` from `offset` on), in timeline order."""
        total = self.db.execute(f"SELECT count(*) FROM events e WHERE {cond}", params).fetchone()[0]
        return int(total), [r[0] for r in self.db.execute(self._page_sql(cond), params)]

    def _page_sql(self, cond: str, also: str = "") -> str:
        return (f"SELECT e.id{also} FROM events e WHERE {cond} ORDER BY e.date IS NULL, e.date, e.id"
                f" LIMIT {self._param('limit')} OFFSET {self._param('offset')}")

    def query_places(self, where: EventFilter, limit: int = 1000) -> list[dict[str, Any]]:
        cond, params = self._event_conditions(where)
        if cond is None:
            return []
        located = ("event_entities ee" if cond == self.TRUE else  # no filter: no need to visit the events
                   f"event_entities ee JOIN events e ON e.id = ee.event_id AND {cond}")
        rows = self.db.execute(
            "SELECT g.entity_id, g.n, en.name, en.lat, en.lon, en.country_code FROM"
            f" (SELECT ee.entity_id, count(*) AS n FROM {located} WHERE ee.role = 'location'"
            "  GROUP BY ee.entity_id) g LEFT JOIN entities en ON en.id = g.entity_id"
            f" ORDER BY g.n DESC, g.entity_id LIMIT {self._param('limit')}",
            {**params, "limit": int(limit)}).fetchall()
        keys = ("entity_id", "events", "name", "lat", "lon", "country_code")
        places = [dict(zip(keys, r)) for r in rows]
        for p in places:
            p["events"] = int(p["events"])
            if p["name"] is None:  # a place no entity stands for: as its events name it
                (loc,) = self.db.execute(
                    f"SELECT {self._json_text('e.json', 'location')} FROM event_entities ee JOIN events e"
                    f" ON e.id = ee.event_id WHERE ee.entity_id = {self.P} AND ee.role = 'location'"
                    " ORDER BY ee.event_id LIMIT 1", (p["entity_id"],)).fetchone()
                loc = json.loads(loc) if loc else {}
                p.update({k: loc.get(k) for k in ("name", "lat", "lon", "country_code")})
        return places

    def event_facets(self) -> dict[str, Any]:
        def one(sql: str) -> Any:
            return self.db.execute(sql).fetchone()[0]

        types = {t: int(n) for t, n in self.db.execute(
            "SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type")}
        # each answered from an index (the stores' _QUERY_INDEXES), not by reading every event
        return {"types": types,
                "first_date": one("SELECT min(date) FROM events WHERE date >= '0' AND date < ':'"),
                "last_date": one("SELECT max(date) FROM events WHERE date >= '0' AND date < ':'"),
                "flagged": int(one("SELECT count(*) FROM events WHERE flagged = 1")),
                "undated": int(one("SELECT count(*) FROM events WHERE date IS NULL"))}

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        if self._refused(entity_id):
            return None
        rows = self._entity_records(f"e.id = {self._param('id')}", {"id": entity_id})
        return rows[0] if rows else None

    def query_entities(self, text: str | None, label: str | None, limit: int,
                       offset: int = 0) -> Page:
        if self._refused(text, label):
            return Page(0, [])
        like = self._param("like")
        cond, params = self._where({
            "like": (f"(e.name {self.LIKE} {like} ESCAPE '\\' OR e.id IN (SELECT entity_id FROM"
                     f" entity_variants WHERE variant {self.LIKE} {like} ESCAPE '\\'))",
                     text and "%" + like_escape(text) + "%"),
            "label": (f"e.label = {self._param('label')}", label)})
        total = self.db.execute(f"SELECT count(*) FROM entities e WHERE {cond}", params).fetchone()[0]
        return Page(int(total), self._entity_records(
            f"{cond} ORDER BY e.mentions DESC, e.name, e.id"
            f" LIMIT {self._param('limit')} OFFSET {self._param('offset')}",
            {**params, "limit": int(limit), "offset": int(offset)}))

    def _entity_records(self, cond: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows = self.db.execute(
            f"SELECT {', '.join('e.' + c for c in ENTITY_COLUMNS)}, {self._VARIANTS}"
            f" FROM entities e WHERE {cond}", params).fetchall()
        return [{**dict(zip(ENTITY_COLUMNS, r[:-1])), "variants": json.loads(r[-1])} for r in rows]

    def query_claims(self, speaker: str | None, doc_id: str | None, limit: int,
                     offset: int = 0) -> Page:
        if self._refused(speaker, doc_id):
            return Page(0, [])
        cond, params = self._where({
            "speaker": (f"{self._json_text('c.json', 'speaker', 'entity_id')} = {self._param('speaker')}",
                        speaker),
            "doc_id": (f"c.doc_id = {self._param('doc_id')}", doc_id)})
        total = self.db.execute(f"SELECT count(*) FROM claims c WHERE {cond}", params).fetchone()[0]
        rows = self.db.execute(
            f"SELECT c.json FROM claims c JOIN documents d ON d.id = c.doc_id WHERE {cond}"
            f" ORDER BY d.seq, c.seq LIMIT {self._param('limit')} OFFSET {self._param('offset')}",
            {**params, "limit": int(limit), "offset": int(offset)})
        return Page(int(total), [json.loads(p) for (p,) in rows])

    def _where(self, conditions: dict[str, tuple[str, Any]]) -> tuple[str, dict[str, Any]]:
        """The WHERE clause of the conditions given a value ({param: (sql, value)}), and the
        values bound."""
        conds, params = [self.TRUE], {}
        for name, (sql, value) in conditions.items():
            if value:
                conds.append(sql)
                params[name] = value
        return " AND ".join(conds), params

    def _event_conditions(self, where: EventFilter, **fragments: str) -> tuple[str | None, dict[str, Any]]:
        """The WHERE clause (fixed fragments only, _EVENT_CONDITIONS or those named) and the bound
        values of a filter; None for a filter no event can meet."""
        conds, params = [self.TRUE], {}
        for name, sql in {**self._EVENT_CONDITIONS, **fragments}.items():
            value = getattr(where, name)
            if value is None or value is False or value == "":
                continue
            if name != "text" and isinstance(value, str) and self._refused(value):
                return None, {}
            conds.append(sql)
            if name == "end":
                value = value + "\x7f"  # inclusive: 2022-01 keeps 2022-01-31
            elif name == "text":
                value = self._search_value(value)
            if name != "flagged":
                params[name] = value
        return " AND ".join(conds), params
