"""The dashboard's queries give the same answers from every kind of store: the demo corpus and an
undated article, run into SQLite and into PostgreSQL, asked the same filters."""
import pytest
from fastapi.testclient import TestClient

from ghatna.demo import run_demo
from ghatna.pipeline import run
from ghatna.store import EmptyQuery, EventFilter, open_store
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
