"""`/api/events` latency and the dashboard's time to interactive on a store of 100,000 events.

    .venv/bin/python bench/api.py [--events 100000] [--requests 600] [--seconds 120] [--loads 5]

Builds a store of synthetic events (written straight through the store API: documents with
sentences, entities, merged events with their mentions; no extraction), starts the server of
`ghatna serve` on it in a second process pinned to one core, and from this process (on another core when there is
one) sends filtered `/api/events` requests over loopback, one at a time, printing p50/p95 per
kind of filter. Then loads the dashboard in headless Chromium `--loads` times and prints the
time until it is interactive (every view drawn: `body[data-ready]`). Targets: p95 < 100 ms,
interactive < 2 s. The request loop stops at `--requests` or `--seconds`, whichever comes first.
`--db postgresql://...` measures a PostgreSQL store (built there when it holds no events).
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ghatna.schema import DocAnalysis, Document, EntityRef, Event, Flag, Mention, Sentence
from ghatna.store import EntityObservation, Resolution, StoredDocument, is_server_url, open_store

TYPES = ["PROTEST", "ASSAULT", "COERCE", "REQUEST", "ACCUSE", "CONSULT", "AID", "MOBILIZE",
         "SANCTION", "THREATEN", "REJECT", "SUPPORT", "RETREAT", "AGREE", "COOPERATE", "CONCEDE"]
TRIGGERS = {"PROTEST": "प्रदर्शन किया", "ASSAULT": "हमला किया", "COERCE": "गिरफ्तार किया",
            "REQUEST": "अपील की", "ACCUSE": "आरोप लगाया", "CONSULT": "बैठक की"}
PLACES = ["अल्माटी", "नूर-सुल्तान", "अक्ताउ", "झानाओज़ेन", "दिल्ली", "मुंबई", "काबुल", "ढाका",
          "काठमांडू", "कोलंबो", "लाहौर", "पटना"]
PEOPLE = ["टोकायेव", "मासिमोव", "नज़रबायेव", "पुतिन", "मोदी", "शरीफ़", "हसीना", "प्रचंड"]
DOCS_PER_BATCH = 500


def synthetic_store(path: str, n_events: int, seed: int = 7) -> None:
    """`n_events` merged events, each reported by one or two of n_events/5 documents, over
    2,000 people and 600 places in 300 stories, dated across 2019-2022, 5% flagged."""
    rng = random.Random(seed)
    n_docs = max(1, n_events // 5)
    people = [(f"ent-p{i:05d}", f"{PEOPLE[i % len(PEOPLE)]} {i}") for i in range(2000)]
    places = [(f"ent-l{i:05d}", f"{PLACES[i % len(PLACES)]} {i}",
               rng.uniform(5, 50), rng.uniform(60, 95)) for i in range(600)]
    with open_store(path) as store:
        docs: list[tuple[str, str, str | None, str, list[tuple[int, int]]]] = []
        for lo in range(0, n_docs, DOCS_PER_BATCH):
            batch = []
            for d in range(lo, min(n_docs, lo + DOCS_PER_BATCH)):
                sentences, text = [], ""
                for s in range(5):
                    who, where = rng.choice(people)[1], rng.choice(places)[1]
                    sent = f"{where} में {who} ने {s + 1} जनवरी को {TRIGGERS[TYPES[s]]}। "
                    sentences.append((len(text), len(text) + len(sent) - 1))
                    text += sent
                doc = Document(text=text, name=f"doc-{d}.txt", source=f"doc-{d}.txt",
                               date=f"{2019 + d % 4}-{1 + d % 12:02d}-{1 + d % 28:02d}")
                analysis = DocAnalysis(id=doc.id, lang="hi", date=doc.date, text=doc.text,
                                       sentences=[Sentence(a, b) for a, b in sentences])
                batch.append(StoredDocument.of(doc, analysis))
                docs.append((doc.id, doc.name, doc.date, text, sentences))
            store.add_documents(batch)
        ents = [EntityObservation(eid, name, "PER", name) for eid, name in people]
        ents += [EntityObservation(eid, name, "LOC", name, lat=lat, lon=lon, country_code="KZ")
                 for eid, name, lat, lon in places]
        events, mentions = [], []
        stories = {f"sty-{k:04d}": k for k in range(300)}
        doc_story = {d[0]: f"sty-{k % 300:04d}" for k, d in enumerate(docs)}
        for i in range(n_events):
            doc_id, doc_name, doc_date, text, sentences = docs[i % len(docs)]
            a, b = sentences[rng.randrange(len(sentences))]
            sentence = text[a:b]
            actor, recipient = rng.choice(people), rng.choice(people)
            place = rng.choice(places)
            day = rng.randrange(4 * 365)
            date = time.strftime("%Y-%m-%d", time.gmtime(1546300800 + day * 86400))
            flags = [Flag("date_conflict", "sources disagree")] if rng.random() < 0.05 else []
            location = {"name": place[1], "entity_id": place[0], "geonameid": None,
                        "lat": place[2], "lon": place[3], "country_code": "KZ"}
            quantities = {"dead": rng.randrange(5)} if rng.random() < 0.2 else {}
            event = Event(
                id=f"evt-{i:07d}", type=rng.choice(TYPES), mode=None, date=date,
                actors=[EntityRef(actor[1], actor[0])], recipients=[EntityRef(recipient[1], recipient[0])],
                location=location, quantities=quantities,
                mentions=[Mention(doc_id, doc_name, sentence, a, a + 4)], flags=flags,
                confidence=0.7, story_id=doc_story[doc_id])
            events.append(event)
            order = (i % len(docs), i)
            mentions.append((f"m-{i:07d}", order, event.id, doc_id,
                             mention_record(event, order, doc_date, f"m-{i:07d}")))
        store.save_resolution(Resolution(doc_ids=[d[0] for d in docs], entities=ents, events=events,
                                         event_mentions=mentions, new_stories=stories,
                                         doc_stories=doc_story))


def mention_record(event: Event, order: tuple[int, int], doc_date: str | None, mention_id: str) -> dict:
    """The stored report of `event`'s one mention, with the fields resolve/mentions.py keeps
    (its trigger is the sentence's first four characters)."""
    m = event.mentions[0]
    people = {role: [{"name": r.name, "entity_id": r.entity_id, "named": True} for r in refs]
              for role, refs in (("actors", event.actors), ("recipients", event.recipients))}
    return {"id": mention_id, "doc_id": m.doc_id, "doc_name": m.doc_name, "doc_date": doc_date,
            "order": list(order), "sentence": m.sentence, "start": m.start, "end": m.end,
            "trigger": m.sentence[:4], "type": event.type, "mode": None,
            "modality": "asserted", "negated": False, "date": event.date, "date_text": None,
            **people, "location": {**event.location, "named": True}, "quantities": event.quantities, "approx": {},
            "confidence": 0.7, "suspect_date": False}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    cores = sorted(os.sched_getaffinity(0))
    server_core = {cores[0]}
    # what `ghatna serve` runs, without the command line's imports
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ghatna.web import serve;"
         " serve(sys.argv[1], '127.0.0.1', int(sys.argv[2]))", str(db), str(port)],
        preexec_fn=lambda: os.sched_setaffinity(0, server_core),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if len(cores) > 1:
        os.sched_setaffinity(0, set(cores[1:]))  # the load generator stays off the server's core
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start: " + proc.stderr.read().decode()[-2000:])


def queries(rng: random.Random, n_events: int) -> list[tuple[str, dict]]:
    """One of each kind of filter, with values drawn at random."""
    month = f"{rng.randrange(2019, 2023)}-{rng.randrange(1, 13):02d}"
    return [
        ("none", {}),
        ("type", {"type": rng.choice(TYPES)}),
        ("date range", {"start": month + "-01", "end": month}),
        ("type + date", {"type": rng.choice(TYPES), "start": month}),
        ("entity id", {"entity": f"ent-p{rng.randrange(2000):05d}"}),
        ("entity name", {"entity": f"{PEOPLE[0]} {rng.randrange(0, 2000, len(PEOPLE))}"}),
        ("place", {"place": f"ent-l{rng.randrange(600):05d}"}),
        ("flagged", {"flagged": "true"}),
        ("text, common word", {"text": rng.choice(PLACES)}),  # in 1 of 12 sentences
        ("text, rare word", {"text": f"{PEOPLE[0]} {rng.randrange(0, 2000, len(PEOPLE))}"}),
        ("deep page", {"offset": rng.randrange(0, n_events - 100)}),
    ]


def measure_api(base: str, n_events: int, requests: int, seconds: float) -> dict[str, list[float]]:
    rng = random.Random(11)
    times: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for kind, params in queries(rng, n_events):  # warm-up: one of each
            client.get("/api/events", params=params).raise_for_status()
        stop = time.monotonic() + seconds
        done = 0
        while done < requests and time.monotonic() < stop:
            for kind, params in queries(rng, n_events):
                t0 = time.perf_counter()
                r = client.get("/api/events", params=params)
                times.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
                done += 1
    return times


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def measure_page(url: str, loads: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})  # cold cache
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']", timeout=60000)
            out.append(float(page.get_attribute("body", "data-ready-ms")))
            context.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--db", help="keep the synthetic store here, a file or a postgresql:// URL"
                    " (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        if is_server_url(db) or not Path(db).exists():
            with open_store(db) as store:
                empty = store.stats()["events"] == 0
            if empty:
                t0 = time.perf_counter()
                synthetic_store(db, args.events)
                print(f"built {args.events:,} events in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        port = free_port()
        server = start_server(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            times = measure_api(base, args.events, args.requests, args.seconds)
            loads = measure_page(base + "/", args.loads) if args.loads else []
        finally:
            server.terminate()
            server.wait(10)
    every = [t for ts in times.values() for t in ts]
    print(f"/api/events on {args.events:,} events, server on one core, loopback, "
          f"{len(every)} requests one at a time")
    print("| filter | requests | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for kind, ts in [*times.items(), ("all", every)]:
        print(f"| {kind} | {len(ts)} | {statistics.median(ts):.1f} | {percentile(ts, 95):.1f} | {max(ts):.1f} |")
    if loads:
        print(f"\ndashboard time to interactive (ms from navigation, cold cache, {len(loads)} loads): "
              f"best {min(loads):.0f}, median {statistics.median(loads):.0f}, worst {max(loads):.0f}")


if __name__ == "__main__":
    main()
