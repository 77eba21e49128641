"""Map-phase throughput on real Hindi news: documents/second and peak memory.

    .venv/bin/python bench/throughput.py [--data ../shared/data/iltimex-hi/dev.jsonl] [--repeat 5] [--jobs 1]

Reads the ILTIMEX articles (200 real Hindi news articles), runs `analyse()` over all of them
`--repeat` times (each pass on fresh Document objects) and prints a table. Peak memory is the
process's maximum resident set size, so run it in a fresh process.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

from ghatna.analyse import EXTRACTORS, analyse
from ghatna.langs import load_pack
from ghatna.schema import DocAnalysis
from ghatna.text import split_sentences, tokenize
from ghatna.engine.local import LocalEngine
from ghatna.schema import Document

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/iltimex-hi/dev.jsonl"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data} (the ../shared data sets are needed)")
    records = load(args.data)
    chars = sum(len(r["text"]) for r in records)
    docs = [Document(text=r["text"], name=r["id"], source=r["id"], record_id=r["id"]) for r in records]
    analyse(docs[0], "hi")  # warm the language pack
    n_sent = 0
    c0 = _cpu_seconds()
    t0 = time.perf_counter()
    with LocalEngine(args.jobs) as engine:
        for _ in range(args.repeat):
            fresh = [Document(text=d.text, name=d.name, source=d.source, record_id=d.record_id) for d in docs]
            n_sent += sum(len(r.sentences) for r in engine.map(fresh, "hi"))
    elapsed = time.perf_counter() - t0
    cpu = _cpu_seconds() - c0  # CPU time (with the pool's workers): less disturbed by a busy machine
    n = len(docs) * args.repeat
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"map phase (analyse + near-duplicate signature), {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, jobs={args.jobs}")
    print("| articles | avg chars | sentences | seconds | docs/s | sentences/s | docs/CPU-s | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {n} | {chars // len(records)} | {n_sent} | {elapsed:.2f} | {n / elapsed:.0f} | "
          f"{n_sent / elapsed:.0f} | {n / cpu:.0f} | {peak_mb:.0f} |")
    if args.jobs == 1:
        print("each extractor alone, articles per CPU-second: " + ", ".join(
            f"{name} {rate:.0f}" for name, rate in per_extractor(docs)))


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (a pool's workers, once
    it is closed)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def per_extractor(docs: list[Document]) -> list[tuple[str, float]]:
    """Articles per CPU-second of each extractor alone, run in pipeline order on the same articles
    (this process's CPU time, like docs/CPU-s above: less disturbed by a busy machine)."""
    pack = load_pack("hi")
    analyses = []
    for d in docs:
        a = DocAnalysis(id=None, lang="hi", date="2012-06-01", text=d.text)
        a.sentences = split_sentences(a.text, pack.abbreviations)
        a.tokens = tokenize(a.text)
        analyses.append(a)
    rates = []
    for extract in EXTRACTORS:
        t0 = time.process_time()
        for a in analyses:
            extract(a, pack)
        rates.append((extract.__module__.rsplit(".", 1)[-1], len(analyses) / (time.process_time() - t0)))
    return rates


if __name__ == "__main__":
    main()
