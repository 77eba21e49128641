"""The dashboard's queries give the same answers from every kind of store: the demo corpus and an
undated article, run into SQLite and into PostgreSQL, asked the same filters."""
import shutil
import sqlite3
import time
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from ghatna.demo import run_demo
from ghatna.pipeline import run
from ghatna.store import EmptyQuery, EventFilter, open_store
from ghatna.store.query import index_words, parse_query
from ghatna.web import create_app

UNDATED = ("पटना में किसानों ने बिजली के बिल के खिलाफ प्रदर्शन किया।"
           " पुलिस ने पटना में किसान नेताओं को गिरफ्तार किया।\n")


@pytest.fixture(scope="module")
def locations(tmp_path_factory, postgres_server):
    """A SQLite file and a PostgreSQL URL (a schema of its own) holding the same corpus."""
    import psycopg

    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute("DROP SCHEMA IF EXISTS dashboard_queries CASCADE")
        con.execute("CREATE SCHEMA dashboard_queries")
    folder = tmp_path_factory.mktemp("queries")
    article = folder / "undated.txt"
    article.write_text(UNDATED, encoding="utf-8")
    places = [str(folder / "q.db"), f"{postgres_server}&options=-csearch_path%3Ddashboard_queries"]
    for where in places:
        with open_store(where) as store:
            run_demo(store)
            run([article], store)
    return places


@pytest.fixture(scope="module")
def stores(locations):
    opened = [open_store(where, readonly=True) for where in locations]
    yield opened
    for s in opened:
        s.close()


def same(stores, method, *args):
    """What `method` answers from each store, which must all be equal; the first answer."""
    answers = [getattr(s, method)(*args) for s in stores]
    assert answers[1] == answers[0], (method, args)
    return answers[0]


def test_the_corpus_has_what_the_filters_need(stores):
    sqlite = stores[0]
    events = list(sqlite.events())
    assert events and events[-1].date is None and events[0].date  # undated events last
    assert sqlite.event_facets()["flagged"] > 0
    assert sqlite.claims() and any(len(e["variants"]) > 1 for e in sqlite.entities())


def filters(store):
    """A handful of filters, each of which keeps some events of the corpus."""
    events = list(store.events())
    dated = [e for e in events if e.date and e.date[:1].isdigit()]
    middle = dated[len(dated) // 2]
    entity = next(e for e in store.entities() if len(e["variants"]) > 1)
    place = store.query_places(EventFilter(), 1)[0]["entity_id"]
    m = events[-1].mentions[0]
    word = store.document(m.doc_id)["text"][m.start:m.end]  # an undated event's trigger
    return [
        EventFilter(),
        EventFilter(start=middle.date[:7]),
        EventFilter(end=middle.date[:7]),
        EventFilter(start=middle.date[:4], end=middle.date[:10]),
        EventFilter(type=middle.type),
        EventFilter(entity=entity["id"]),
        EventFilter(entity=entity["variants"][-1]),
        EventFilter(place=place),
        EventFilter(story=middle.story_id),
        EventFilter(text=word),
        EventFilter(text=word[:2] + "*"),
        EventFilter(text="अल्माटी"),
        EventFilter(flagged=True),
        EventFilter(type=middle.type, place=place, start="2000"),
        EventFilter(entity="no such thing"),
    ]


def test_events_and_places_are_equal_for_every_filter(stores):
    kept = 0
    for where in filters(stores[0]):
        page = same(stores, "query_events", where, 500)
        assert page.total == len(page.items)
        kept += bool(page.items)
        same(stores, "query_places", where)
        same(stores, "query_places", where, 2)
        for offset in (0, 3, 50):  # pages come in the same timeline order
            same(stores, "query_events", where, 4, offset)
    assert kept >= 13


def test_facets_entities_and_claims_are_equal(stores):
    assert same(stores, "event_facets")["types"]
    ents = same(stores, "query_entities", None, None, 500).items
    assert len(ents) > 10
    for e in ents[:5]:
        assert same(stores, "entity", e["id"]) == e
    assert same(stores, "entity", "ent-none") is None
    for text, label in [("csto", None), ("टोकाय", "PER"), (None, "LOC"), ("%", None), ("_", "ORG")]:
        same(stores, "query_entities", text, label, 500)
        same(stores, "query_entities", text, label, 2, 1)
    assert same(stores, "query_entities", "csto", None, 10).total == 1  # ASCII case folded
    claims = same(stores, "query_claims", None, None, 500).items
    speaker, doc = claims[-1]["speaker"]["entity_id"], claims[-1]["doc_id"]
    assert same(stores, "query_claims", speaker, None, 500).items
    assert same(stores, "query_claims", None, doc, 500).items
    same(stores, "query_claims", speaker, doc, 3, 1)


def test_a_search_with_no_words_is_refused_by_every_store(stores):
    for s in stores:
        with pytest.raises(EmptyQuery):
            s.query_events(EventFilter(text="*"), 10)


def test_serve_answers_from_a_postgres_store(locations):
    answers = []
    for where in locations:
        api = TestClient(create_app(where))
        answers.append([api.get("/api/events", params={"limit": 500, "flagged": "true"}).json(),
                        api.get("/api/stats").json(),
                        api.get("/api/places").json()])
    assert answers[0][0]["events"] and answers[1] == answers[0]


def test_a_postgres_api_keeps_its_connections_and_closes_them_at_shutdown(locations):
    import psycopg

    url = locations[1] + "&application_name=ghatna-api-test"
    watch = psycopg.connect(locations[1], autocommit=True)

    def backends() -> set[int]:
        return {pid for (pid,) in watch.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'ghatna-api-test'")}

    app = create_app(url)
    with TestClient(app) as api:
        answers = [api.get("/api/events", params={"limit": 3, "offset": i}).status_code for i in range(30)]
        kept = backends()
        assert answers == [200] * 30
        assert 1 <= len(kept) <= 4  # one per worker thread that answered, not one per request
        # the server ends them (a restart): each is checked before its next use, and replaced
        watch.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      " WHERE application_name = 'ghatna-api-test'")
        app.state.readers.check_after = 0
        assert [api.get("/api/stats").status_code for _ in range(5)] == [200] * 5
        assert backends() and not backends() & kept
    deadline = time.monotonic() + 10
    while backends() and time.monotonic() < deadline:  # closed at shutdown
        time.sleep(0.05)
    assert not backends()
    watch.close()


def source_words(store):
    """{event id: [the index words of each source sentence]} in timeline order, read from the
    documents' analyses (not through the store's search)."""
    out = {}
    for ev in store.events():
        sentences = []
        for m in ev.mentions:
            analysis = store.analysis(m.doc_id)
            for s in analysis.sentences:
                if s.start <= m.start < s.end:
                    sentences.append(index_words(analysis.text[s.start:s.end]))
        out[ev.id] = sentences
    return out


def matches(words, terms):
    return all(any(w.startswith(t.text.lower()) if t.prefix else w == t.text.lower() for w in words)
               for t in terms)


def test_text_filter_keeps_exactly_the_events_a_source_sentence_of_which_matches(stores, monkeypatch):
    sources = source_words(stores[0])
    counts = Counter(w for sentences in sources.values() for s in sentences for w in set(s))
    common = [w for w, _ in counts.most_common(3)]
    rare = sorted(w for w, n in counts.items() if n == 1)[:2]
    two = next(s for sentences in sources.values() for s in sentences if len(set(s)) > 3)
    queries = [*common, *rare, common[0][:2] + "*", f"{two[0]} {two[-1]}", "अल्माटी"]
    events = {e.id: e for e in stores[0].events()}
    tried = 0
    for q, many in [(q, many) for q in queries for many in (2000, 0)]:
        monkeypatch.setattr(stores[0], "MANY_TEXT_HITS", many)  # 0: every page read off the index
        terms = parse_query(q)
        wanted = [eid for eid, sentences in sources.items() if any(matches(s, terms) for s in sentences)]
        assert wanted, q
        for extra in ({}, {"type": events[wanted[-1]].type}, {"start": "2022-01-06"}, {"flagged": True}):
            where = EventFilter(text=q, **extra)
            kept = [eid for eid in wanted
                    if (not extra.get("type") or events[eid].type == extra["type"])
                    and (not extra.get("start") or (events[eid].date or "") >= "2022-01-06" and
                         (events[eid].date or "")[:1].isdigit())
                    and (not extra.get("flagged") or events[eid].flags)]
            page = same(stores, "query_events", where, 500)
            assert [e.id for e in page.items] == kept and page.total == len(kept), (q, extra)
            for offset in (1, 3):  # pages of the same order
                page = same(stores, "query_events", where, 2, offset)
                assert [e.id for e in page.items] == kept[offset:offset + 2] and page.total == len(kept)
            tried += bool(kept)
    assert tried >= 24


def test_text_filter_answers_alike_without_the_sentence_links(stores):
    """The links are an index: searching through the mentions' JSON (as a store written before
    them is searched read-only) finds the same events."""
    for store in stores:
        linked = store._EVENT_CONDITIONS
        for q in ("पुलिस", "ने", "अल्मा*", "कजाकिस्तान में"):
            for where in (EventFilter(text=q), EventFilter(text=q, start="2022-01-06", type="ASSAULT")):
                with_links = [store.query_events(where, 500, 0), store.query_places(where)]
                store._EVENT_CONDITIONS = {**linked, "text": store._TEXT_THROUGH_MENTIONS}
                try:
                    assert [store.query_events(where, 500, 0), store.query_places(where)] == with_links
                finally:
                    store._EVENT_CONDITIONS = linked


def test_a_store_written_before_the_links_is_linked_when_next_opened_for_writing(locations, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(locations[0], old)
    with sqlite3.connect(old) as db:
        db.execute("DROP TABLE mention_sentences")
        db.execute("DELETE FROM meta WHERE key = 'mention_sentences'")
    where = EventFilter(text="पुलिस")
    with open_store(locations[0], readonly=True) as s:
        expected = s.query_events(where, 500)
    with open_store(str(old), readonly=True) as s:  # read-only: searched without the links
        assert s.query_events(where, 500) == expected
    with open_store(str(old)):
        pass
    with open_store(str(old), readonly=True) as s:
        assert "mention_sentences" in s._EVENT_CONDITIONS["text"]
        assert s.query_events(where, 500) == expected and expected.total > 3
