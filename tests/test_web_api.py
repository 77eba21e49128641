"""The JSON API over the demo store, as the dashboard and scripts call it."""
import re

import pytest
from fastapi.testclient import TestClient

from ghatna.store import open_store
from ghatna.web import STATIC, create_app


@pytest.fixture(scope="module")
def api(demo_db):
    return TestClient(create_app(str(demo_db)))


@pytest.fixture(scope="module")
def all_events(api):
    return api.get("/api/events", params={"limit": 500}).json()["events"]


def timeline_key(e):
    return (e["date"] is None, e["date"] or "", e["id"])


def test_events_come_in_timeline_order_with_their_total(api, demo_db, all_events):
    with open_store(str(demo_db), readonly=True) as store:
        stored = [e.id for e in store.events()]
    assert stored and [e["id"] for e in all_events] == stored
    assert all_events == sorted(all_events, key=timeline_key)
    assert api.get("/api/events", params={"limit": 1}).json()["total"] == len(stored)


def test_pages_put_together_give_the_whole_list(api, all_events):
    pages, offset = [], 0
    while offset < len(all_events):
        page = api.get("/api/events", params={"limit": 7, "offset": offset}).json()
        assert page["total"] == len(all_events)
        pages += page["events"]
        offset += 7
    assert [e["id"] for e in pages] == [e["id"] for e in all_events]


def test_type_and_date_filters(api, all_events):
    dated = [e for e in all_events if e["date"] and e["date"][:1].isdigit()]
    assert dated
    some_type = dated[len(dated) // 2]["type"]
    r = api.get("/api/events", params={"type": some_type, "limit": 500}).json()
    assert r["total"] == sum(e["type"] == some_type for e in all_events) == len(r["events"])
    day = dated[len(dated) // 2]["date"][:10]
    month = day[:7]
    r = api.get("/api/events", params={"start": month, "end": month, "limit": 500}).json()
    assert r["events"] and all(e["date"].startswith(month) for e in r["events"])
    assert r["total"] == sum((e["date"] or "").startswith(month) for e in all_events)
    r = api.get("/api/events", params={"start": day, "end": day, "limit": 500}).json()
    assert {e["id"] for e in r["events"]} == {e["id"] for e in all_events if e["date"] == day}


def test_entity_filter_by_id_name_or_any_spelling(api):
    ents = api.get("/api/entities", params={"limit": 500}).json()["entities"]
    person = next(e for e in ents if e["label"] == "PER" and len(e["variants"]) > 1)
    by_id = api.get("/api/events", params={"entity": person["id"], "limit": 500}).json()
    assert by_id["total"] > 0
    for ev in by_id["events"]:
        assert person["id"] in {r["entity_id"] for r in ev["actors"] + ev["recipients"]} | {
            (ev["location"] or {}).get("entity_id")}
    for spelling in (person["name"], *person["variants"]):
        r = api.get("/api/events", params={"entity": spelling, "limit": 500}).json()
        assert {e["id"] for e in by_id["events"]} <= {e["id"] for e in r["events"]}


def test_place_filter_and_the_places_on_the_map(api, all_events):
    places = api.get("/api/places").json()["places"]
    located = [p for p in places if p["lat"] is not None]
    assert located, "the demo's events happen in places with coordinates"
    p = located[0]
    r = api.get("/api/events", params={"place": p["entity_id"], "limit": 500}).json()
    assert r["total"] == p["events"] > 0
    assert all(e["location"]["entity_id"] == p["entity_id"] for e in r["events"])
    assert sum(pl["events"] for pl in places) == sum(e["location"] is not None for e in all_events)


def test_text_filter_finds_events_reported_in_matching_sentences(api):
    r = api.get("/api/events", params={"text": "पुलिस", "limit": 500}).json()
    assert r["total"] > 0
    for ev in r["events"]:
        assert any(re.search(r"(^|\W)पुलिस(\W|$)", m["sentence"]) for m in ev["mentions"])
    assert api.get("/api/events", params={"text": "शन"}).json()["total"] == 0  # a fragment, not a word


def test_flagged_only_and_story_filters(api, all_events):
    stats = api.get("/api/stats").json()
    r = api.get("/api/events", params={"flagged": True, "limit": 500}).json()
    assert r["total"] == stats["flagged"] == sum(bool(e["flags"]) for e in all_events)
    assert all(e["flags"] for e in r["events"])
    stories = api.get("/api/stories").json()["stories"]
    for story in stories:
        r = api.get("/api/events", params={"story": story["id"], "limit": 1}).json()
        assert r["total"] >= 0
    assert api.get("/api/events", params={"story": "no-such-story"}).json()["total"] == 0


def test_event_shows_every_mention_in_its_sentence_with_the_trigger_marked(api, all_events):
    ev = max(all_events, key=lambda e: (len(e["mentions"]), e["id"]))
    detail = api.get(f"/api/events/{ev['id']}").json()
    assert detail["id"] == ev["id"] and len(detail["sources"]) == len(ev["mentions"])
    for source, mention in zip(detail["sources"], ev["mentions"]):
        sentence = "".join(s["text"] for s in source["segments"])
        assert sentence == mention["sentence"]
        triggers = [s for s in source["spans"] if s["kind"] == "trigger"]
        assert triggers
        start = source["sentence_start"]
        assert (triggers[0]["start"] + start, triggers[0]["end"] + start) == (mention["start"], mention["end"])


def test_entity_page_has_all_spellings_events_and_claims(api):
    ents = api.get("/api/entities", params={"q": "टोका"}).json()["entities"]
    assert ents
    e = api.get(f"/api/entities/{ents[0]['id']}").json()
    assert len(e["variants"]) > 1 and e["events_total"] >= len(e["events"]) > 0
    for c in e["claims"]:
        assert c["speaker"]["entity_id"] == e["id"]


def test_document_text_with_highlighted_spans(api, all_events):
    doc_id = all_events[0]["mentions"][0]["doc_id"]
    d = api.get(f"/api/documents/{doc_id}").json()
    assert "".join(s["text"] for s in d["segments"]) == d["text"]
    kinds = {s["kind"] for s in d["spans"]}
    assert {"entity", "trigger", "timex"} <= kinds
    for s in d["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(d["text"])


def test_search_and_claims_and_stats(api):
    hits = api.get("/api/search", params={"q": "प्रदर्शन*"}).json()["hits"]
    assert hits and all("[प्रदर्शन" in h["highlighted"] for h in hits)
    claims = api.get("/api/claims", params={"limit": 3}).json()
    assert claims["total"] >= len(claims["claims"]) > 0
    doc = claims["claims"][0]["doc_id"]
    assert all(c["doc_id"] == doc for c in api.get("/api/claims", params={"doc": doc}).json()["claims"])
    stats = api.get("/api/stats").json()
    assert stats["documents"] == 8 and sum(stats["types"].values()) == stats["events"]


@pytest.mark.parametrize("url", [
    "/api/events?limit=0", "/api/events?limit=501", "/api/events?offset=-1", "/api/events?start=5.1.2022",
    "/api/events?type=drop%20table", "/api/events?text=", "/api/events?text=!!!", "/api/search?q=%20*",
    "/api/entities?label=XYZ", "/api/events?entity=" + "x" * 201, "/api/events/a%20b",
])
def test_bad_parameters_are_refused_with_422(api, url):
    r = api.get(url)
    assert r.status_code == 422, r.text


@pytest.mark.parametrize("url", ["/api/events/evt-nothing", "/api/entities/ent-nothing", "/api/documents/nothing"])
def test_missing_records_are_404(api, url):
    assert api.get(url).status_code == 404


def test_values_are_parameters_not_sql(api):
    assert api.get("/api/events", params={"entity": "x' OR 1=1 --"}).json()["total"] == 0
    assert api.get("/api/entities", params={"q": "%"}).json()["total"] == 0


def test_read_only(api, demo_db):
    before = demo_db.read_bytes()
    assert api.post("/api/events").status_code == 405
    api.get("/api/events")
    assert demo_db.read_bytes() == before


def test_page_and_api_docs_load_nothing_from_outside(api):
    for page in ("/", "/api/docs"):
        html = api.get(page).text
        refs = re.findall(r'(?:src|href|url)\s*[=:]\s*["\']([^"\']+)["\']', html)
        assert refs
        for ref in refs:
            assert not re.match(r"(https?:)?//", ref), ref
            if ref.startswith("/static/"):
                assert api.get(ref).status_code == 200, ref
    for path in STATIC.rglob("*"):
        if path.suffix in (".js", ".css", ".html") and "vendor" not in path.parts:
            assert not re.search(r"(?:src|href|url)\s*[=(:]\s*[\"']?https?://", path.read_text()), path


def test_ghatna_serve_answers_on_loopback(ghatna, demo_db, tmp_path):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    assert ghatna("serve", "--db", tmp_path / "missing.db").code == 2
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ghatna", "serve", "--db", str(demo_db), "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5).json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.2)
        assert stats["documents"] == 8
    finally:
        proc.terminate()
        proc.wait(10)
