"""Cross-document resolution: merge quality on the multi-article stories, and the cost of
resolving many event mentions.

    .venv/bin/python bench/resolve.py [--shared ../shared/data] [--mentions 100000] [--show]

- Stories (`stories-hi`: three articles per story with gold events, their mention sentences and
  planted contradictions): each story's articles are run into a fresh store with their
  publication dates. Each found event mention is aligned to the gold event of its type that has
  the mention's sentence in the same article (the one with the same mode; a mention whose
  sentence reports several gold events of its type, none of its mode, is left out). Pairwise
  P/R/F1 over aligned mentions: a pair is predicted together when both are in one merged event,
  gold together when both report one gold event.
  Contradictions: a planted one is flagged when the merged event holding its gold event's
  mentions carries a flag of its field (date -> date_conflict/date_outlier; a number ->
  quantity_conflict naming it). A false flag is a flag on an event that holds no planted
  contradiction.
- Scale: N synthetic event mentions (random types, days, participants and places over a year,
  reported by several documents each) resolved into a SQLite store in batches, as `run` does:
  wall and CPU seconds (CPU: this process alone, whatever else the machine runs) and resident
  memory of the process at N/4, N/2 and N (records are made a batch at a time, as `run` reads
  documents a batch at a time).
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations, islice
from pathlib import Path

from ghatna.pipeline import run
from ghatna.resolve import add_events, merge_mentions
from ghatna.resolve.mentions import MentionRecord, Participant
from ghatna.store import Resolution
from ghatna.store.sqlite import SQLiteStore

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BATCH = 2000  # mentions per resolution (about what 200 articles give)
FLAG_FIELDS = {"date": ("date_conflict", "date_outlier")}


def _same_sentence(ours: str, gold: str) -> bool:
    a, b = ours.strip(), gold.strip()
    return bool(a) and bool(b) and (a in b or b in a)


def story(folder: Path, gold_file: Path, show: bool) -> dict:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "story.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            for d in gold["documents"]:
                text = (folder / d["file"]).read_text(encoding="utf-8")
                fh.write(json.dumps({"id": d["id"], "date": d["date"], "text": text}, ensure_ascii=False) + "\n")
        with SQLiteStore(Path(tmp) / "s.db") as store:
            run([jsonl], store)
            events = list(store.events())
    aligned: list[tuple[str, str]] = []  # (our event id, gold event id) per aligned mention
    for e in events:
        if e.modality != "asserted" or e.negated:
            continue
        for m in e.mentions:
            options = [g for g in gold["events"] if g["type"] == e.type and any(
                gm["doc"] == m.doc_name and _same_sentence(m.sentence, gm["text"]) for gm in g["mentions"])]
            if not options:
                continue
            same_mode = [g for g in options if g["mode"] == e.mode]
            if same_mode or len(options) == 1:  # else: which of several it reports is unclear
                aligned.append((e.id, (same_mode or options)[0]["id"]))
    tp = pred = true = 0
    for (e1, g1), (e2, g2) in combinations(aligned, 2):
        pred += e1 == e2
        true += g1 == g2
        tp += e1 == e2 and g1 == g2
    # contradictions
    holder: dict[str, set[str]] = defaultdict(set)  # gold event -> our events holding its mentions
    for eid, gid in aligned:
        holder[gid].add(eid)
    by_id = {e.id: e for e in events}
    planted = gold.get("contradictions", [])
    found = 0
    planted_events: set[str] = set()
    for c in planted:
        kinds = FLAG_FIELDS.get(c["field"], ("quantity_conflict",))
        ours = [by_id[eid] for eid in holder.get(c["event"], ())]
        planted_events.update(e.id for e in ours)
        hit = any(f.kind in kinds and (f.kind != "quantity_conflict" or f.detail.startswith(c["field"]))
                  for e in ours for f in e.flags)
        found += hit
        if show:
            print(f"  planted {c['event']} {c['field']} {c['values']}: {'FLAGGED' if hit else 'missed'}")
    false_flags = [(e.id, f.kind, f.detail) for e in events for f in e.flags if e.id not in planted_events]
    if show:
        for ff in false_flags:
            print("  false flag:", ff)
    return {"tp": tp, "pred": pred, "true": true, "planted": len(planted), "flagged": found,
            "false_flags": len(false_flags), "events": len(events), "aligned": len(aligned)}


def synthetic_records(n: int, seed: int = 7) -> Iterator[MentionRecord]:
    """`n` mentions of about n/3 events, each reported by up to five documents, made as they are
    used (a run holds one batch of them, not all); the corpus spans more days the larger it is
    (about 10 events a day), the dates drawn over the whole span from the start."""
    rng = random.Random(seed)
    start = date(2022, 1, 1)
    span = max(365, n // 30)
    types = ["PROTEST", "ASSAULT", "COERCE", "REQUEST", "ACCUSE", "MOBILIZE", "CONSULT", "AID"]
    people = [f"ent-p{i}" for i in range(2000)]
    places = [f"ent-l{i}" for i in range(300)]
    made = 0
    doc = 0
    while made < n:
        t = rng.choice(types)
        day = (start + timedelta(days=rng.randrange(span))).isoformat()
        actor, place = rng.choice(people), rng.choice(places)
        for _ in range(rng.randint(1, 5)):
            doc += 1
            yield MentionRecord(
                id=f"m{made}", doc_id=f"d{doc}", doc_name=f"d{doc}.txt", doc_date=day,
                order=(doc, 0), sentence=f"{t} {actor} {place} {day} {rng.random()}", start=0, end=1, trigger=t.lower(), type=t, mode=None,
                modality="asserted", negated=False, date=day, date_text=day,
                actors=[Participant(actor, actor, True)], recipients=[],
                location={"name": place, "entity_id": place, "geonameid": None, "lat": None,
                          "lon": None, "country_code": None, "named": True},
                quantities={"dead": rng.choice([1, 2, 3])} if rng.random() < 0.2 else {})
            made += 1
            if made >= n:
                break


def _rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def scale(n: int) -> list[tuple[int, float, float]]:
    records = synthetic_records(n)
    marks = {max(BATCH, n // 4 // BATCH * BATCH), max(BATCH, n // 2 // BATCH * BATCH), n}
    out = []
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "scale.db") as store:
        t0, c0 = time.perf_counter(), time.process_time()
        done = 0
        for _ in range(0, n, BATCH):
            batch = list(islice(records, BATCH))
            res = Resolution(doc_ids=[])
            add_events(res, merge_mentions(store, batch), batch)
            store.save_resolution(res)
            done += len(batch)
            if done in marks:
                out.append((done, time.perf_counter() - t0, time.process_time() - c0, _rss_mib(),
                            store.stats()["events"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--mentions", type=int, default=100_000)
    ap.add_argument("--show", action="store_true", help="print each planted contradiction and false flag")
    args = ap.parse_args()
    folder = args.shared / "stories-hi"
    total = defaultdict(int)
    print(f"{'story':8} {'events':>6} {'aligned':>7} {'pair P':>7} {'pair R':>7} {'pair F1':>7} {'flagged':>8} {'false':>5}")
    for gold_file in sorted(folder.glob("*.gold.json")):
        name = gold_file.name.split(".")[0]
        if args.show:
            print(name)
        r = story(folder, gold_file, args.show)
        for k, v in r.items():
            total[k] += v
        p = r["tp"] / r["pred"] if r["pred"] else 0.0
        rc = r["tp"] / r["true"] if r["true"] else 0.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        print(f"{name:8} {r['events']:6} {r['aligned']:7} {p:7.3f} {rc:7.3f} {f:7.3f} "
              f"{r['flagged']:>4}/{r['planted']:<3} {r['false_flags']:5}")
    p = total["tp"] / total["pred"] if total["pred"] else 0.0
    rc = total["tp"] / total["true"] if total["true"] else 0.0
    f = 2 * p * rc / (p + rc) if p + rc else 0.0
    print(f"{'all':8} {total['events']:6} {total['aligned']:7} {p:7.3f} {rc:7.3f} {f:7.3f} "
          f"{total['flagged']:>4}/{total['planted']:<3} {total['false_flags']:5}")
    if args.mentions:
        print("\nresolving synthetic mentions (SQLite, batches of 2,000):")
        print(f"{'mentions':>9} {'wall s':>7} {'CPU s':>7} {'per CPU s':>9} {'RSS MiB':>8} {'events':>8}")
        for n, secs, cpu, mib, n_events in scale(args.mentions):
            print(f"{n:9,} {secs:7.1f} {cpu:7.1f} {n / cpu:9,.0f} {mib:8.1f} {n_events:8,}")


if __name__ == "__main__":
    main()
