"""Where a run's processes spend their time, sampled with py-spy: the client (reading, storing,
resolving) and, with `--engine dask`, each worker (mapping, and Dask's own messages).

    pip install py-spy   # a profiler, not a dependency of ghatna
    .venv/bin/python bench/spy.py [--engine dask] [--jobs 2] [--docs 1000] [--seconds 9]

The corpus is bench/scale.py's (ILTIMEX replicated with variations). py-spy samples each process
100 times a second from outside (it needs permission to trace them: root, or ptrace allowed); a
sample is put in the first of these that its stack holds: the map (`map_document`), resolving,
storing documents, the rest of the pipeline, (de)serialising, Dask and its event loop (including
waiting in `select`), anything else. Then the frames most often on top of each process's stack.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402  (bench/scale.py)

CATEGORIES = (  # (name, any of these in a frame of the stack)
    ("map", ("map_document",)),
    ("resolve", ("resolve/",)),
    ("store documents", ("add_documents",)),
    ("pipeline, other", ("pipeline.py",)),
    ("(de)serialise", ("pickle", "serialize", "protocol/core")),
    ("dask, event loop", ("distributed/", "tornado/", "asyncio/", "selectors.py")),
)


def category(frames: list[str]) -> str:
    for name, marks in CATEGORIES:
        if any(mark in frame for frame in frames for mark in marks):
            return name
    return "other"


def summarise(label: str, raw: Path, top: int) -> None:
    """One process's samples (py-spy's raw format: `frame;frame;... count` a line)."""
    by_category: Counter[str] = Counter()
    on_top: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames, n = stack.split(";"), int(count)
        total += n
        by_category[category(frames)] += n
        on_top[frames[-1]] += n
    if not total:
        print(f"\n{label}: no samples")
        return
    print(f"\n{label}: {total} samples")
    print("| where | share |")
    print("|---|---:|")
    for name, n in by_category.most_common():
        print(f"| {name} | {100 * n / total:.1f}% |")
    for frame, n in on_top.most_common(top):
        print(f"    {100 * n / total:5.1f}%  {frame[:110]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="dask", choices=("local", "dask"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=9.0, help="how long to sample (from the run's start)")
    ap.add_argument("--top", type=int, default=6, help="frames listed per process")
    ap.add_argument("--data", type=Path, default=scale.DEFAULT_DATA)
    ap.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    args = ap.parse_args()
    if not shutil.which(args.py_spy) and not Path(args.py_spy).exists():
        raise SystemExit("py-spy not found: pip install py-spy (or give --py-spy PATH)")
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data} (the ../shared data sets are needed)")

    from ghatna.analyse import analyse
    from ghatna.engine import open_engine
    from ghatna.pipeline import run
    from ghatna.schema import Document
    from ghatna.store import open_store

    analyse(Document(text="पुलिस ने ५ जनवरी को लाठीचार्ज किया।", name="warm", source="warm"), "hi")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = scale.make_corpus(args.data, args.docs, Path(tmp) / "corpus.jsonl")
        engine = open_engine(args.engine, args.jobs)
        workers = ([("worker " + str(k + 1), pid) for k, pid in
                    enumerate(engine.client.run(os.getpid).values())] if args.engine == "dask" else [])
        processes = [("client", os.getpid())] + workers
        spies = [(label, Path(tmp) / f"spy-{k}.txt", subprocess.Popen(
            [args.py_spy, "record", "--pid", str(pid), "--format", "raw", "--duration",
             str(max(1, round(args.seconds))), "--nonblocking", "-o", str(Path(tmp) / f"spy-{k}.txt")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)) for k, (label, pid) in enumerate(processes)]
        time.sleep(0.5)  # the samplers attach
        with open_store(Path(tmp) / "spy.db") as store, engine:
            started = time.perf_counter()
            report = run([corpus], store, engine=engine)
            seconds = time.perf_counter() - started
        for _, _, spy in spies:
            spy.wait()
        print(f"{report.added} articles, engine {args.engine}, {args.jobs} jobs: {seconds:.1f} s "
              f"({os.cpu_count()} cores); the first {args.seconds:.0f} s sampled")
        for label, raw, _ in spies:
            if raw.exists():
                summarise(label, raw, args.top)
            else:
                print(f"\n{label}: py-spy wrote nothing (is tracing this process allowed?)")


if __name__ == "__main__":
    main()
