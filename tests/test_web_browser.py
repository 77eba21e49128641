"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) against a real
uvicorn server on loopback: it loads without console errors or outside requests, the timeline
and the map show the demo's events, and clicking an event shows its source sentences."""
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from ghatna.web import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is missing (make system installs it)")


def serve_in_thread(store: str):
    """A uvicorn server for the store on a free loopback port, in a daemon thread."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{sock.getsockname()[1]}/"


@pytest.fixture(scope="module")
def dashboard(demo_db):
    server, thread, url = serve_in_thread(str(demo_db))
    yield url
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(dashboard):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.on("request", lambda r: None if r.url.startswith((dashboard, "data:"))
                else problems.append(f"outside request: {r.url}"))
        page.problems = problems
        yield page
        browser.close()


def test_dashboard_shows_the_demo_and_an_events_sources(page, dashboard, demo_db):
    from ghatna.store import open_store

    with open_store(str(demo_db), readonly=True) as store:
        dated = [e for e in store.events() if e.date and e.date[:1].isdigit()]
    page.goto(dashboard)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    assert page.evaluate("state.timeline.itemsData.length") == len(dated) > 0
    assert page.locator("#timeline .vis-item.vis-box").count() > 0  # drawn in the opening window
    assert int(page.locator("#map").get_attribute("data-places")) == page.evaluate(
        "state.markers.getLayers().length") > 0
    assert page.evaluate("state.countries.getLayers().length") > 150  # the world's countries
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'घटना')")
    for part in ("#map", "#timeline", "#panel", "header"):  # every part draws Hindi in the vendored font
        assert "Noto Sans Devanagari" in page.evaluate(
            f"getComputedStyle(document.querySelector('{part}')).fontFamily")

    page.locator("#timeline .vis-item.vis-box").nth(2).click()
    page.wait_for_selector("#panel .source blockquote mark.k-trigger")
    event_id = page.evaluate("decodeURIComponent(location.hash.split('/').pop())")
    event = next(e for e in dated if e.id == event_id)
    quotes = page.locator("#panel .source blockquote").all_inner_texts()
    assert [q.strip() for q in quotes] == [m.sentence for m in event.mentions]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))

    page.click("#lang-toggle")
    assert page.locator("#filters button[type=submit]").inner_text() == "लागू करें"
    assert "घटनाएँ" in page.locator("#count").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-hi.png"))
    page.click("#lang-toggle")

    page.fill("#search-q", "प्रदर्शन*")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#view-search .hits mark")
    assert page.problems == []


def test_the_timeline_asks_for_a_page_at_a_time_and_for_the_window_it_is_moved_to(page, dashboard, demo_db):
    from ghatna.store import EventFilter, open_store

    with open_store(str(demo_db), readonly=True) as store:
        total = store.query_events(EventFilter(), 1).total
    assert total > 40
    page.goto(dashboard + "?page=20")  # pages of 20 events, so the demo's fill several
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    assert page.evaluate("state.events.length") == 20
    assert page.locator("#count").inner_text().startswith(f"20 of {total} ")
    page.click("#panel #more")  # the next page, added to the timeline and the list
    page.wait_for_function("state.events.length === 40")
    assert page.locator("#panel .event-list li").count() == 40
    assert page.evaluate("new Set(state.events.map(e => e.id)).size") == 40
    first_forty = page.evaluate("state.events.map(e => e.id)")

    box = page.locator("#timeline .vis-center").bounding_box()  # dragged to later dates
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + 20, steps=8)
    page.mouse.up()
    page.wait_for_function("state.query.start !== undefined", timeout=10000)
    query = page.evaluate("state.query")
    start, end = query["start"], query["end"]
    with open_store(str(demo_db), readonly=True) as store:
        expected = store.query_events(EventFilter(start=start, end=end), 20)
    assert page.evaluate("state.events.map(e => e.id)") == [e.id for e in expected.items]
    assert page.evaluate("state.total") == expected.total
    assert [e.id for e in expected.items] != first_forty[:20]
    assert page.problems == []


def test_api_docs_page_is_served_from_the_package(page, dashboard):
    page.goto(dashboard + "api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    assert page.locator(".swagger-ui .opblock").count() >= 9
    assert page.problems == []
