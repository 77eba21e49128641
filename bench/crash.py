"""Kill-and-resume: `ghatna run` SIGKILLed at random moments, re-run, compared with a clean run.

    .venv/bin/python bench/crash.py [--trials 10] [--generated 240] [--seed 0] [--jobs 1]

Builds a corpus (the demo corpus plus `--generated` articles made of its sentences, tests/crash.py),
runs it once cleanly, then per trial kills runs on a fresh store at random moments until one
finishes by itself (the killed runs use batches of 8, so they commit every 32 documents and a kill
lands between commits; the clean run keeps the default 64 and one process; `--jobs N` maps the
killed runs on a pool of N), and compares the store with the clean one (documents, events with their ids,
entities, claims). Prints one row per trial; the target is "identical" in every row.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.crash

from tests.crash import clean_run, duplicates, killed_run, make_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--generated", type=int, default=240)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1, help="processes mapping in the killed runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = make_corpus(root / "corpus", args.generated, args.seed)
        clean, seconds = clean_run(root / "clean.db", corpus)
        print(f"clean run: {len(clean['documents'])} documents, "
              f"{len(str(clean['events']).splitlines())} events, {seconds:.1f} s; "
              f"duplicate ids: {len(duplicates(clean))}\n")
        print("| trial | kills: seconds after start (documents stored / resolved) | identical to clean | duplicate ids |")
        print("|---:|---|---|---:|")
        failed = 0
        for i in range(args.trials):
            t = killed_run(root / f"trial{i}.db", corpus, clean, seconds, args.seed * 1000 + i, jobs=args.jobs)
            kills = ", ".join(f"{at:.1f} s ({n}/{r})" for at, n, r in t.kills) or "none"
            print(f"| {i + 1} | {kills} | {'yes' if t.identical else 'NO'} | {len(t.duplicate_ids)} |")
            failed += not t.identical or bool(t.duplicate_ids)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
