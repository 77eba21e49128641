"""Fuzzing the map phase: hostile texts through every extractor, counting what breaks.

    .venv/bin/python bench/fuzz.py [--cases 10000] [--seed 0] [--show 5]

Generates `--cases` texts (tests/strategies.py: arbitrary Unicode; pack words and example
sentences mixed with other scripts, stray marks and pathological punctuation), each with a random
or no publication date, and runs every extractor of `analyse()` over each one in order. An
exception in one extractor is counted against it and the next extractor still runs on that case;
after each extractor the analysis invariants are checked (ghatna/invariants.py: spans inside the
text and inside one sentence). Prints one row per extractor; the target is zero everywhere.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.strategies

from ghatna.analyse import EXTRACTORS, prepare  # noqa: E402
from ghatna.invariants import analysis_problems  # noqa: E402
from ghatna.schema import Document  # noqa: E402
from tests.strategies import DATES, texts  # noqa: E402


def name_of(extract) -> str:
    return extract.__module__.rsplit(".", 1)[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=5, help="failing cases to print per extractor")
    args = ap.parse_args()

    names = ["sentences"] + [name_of(e) for e in EXTRACTORS]
    cases: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    chars = 0

    def report(name: str, what: str, text: str, date: str | None) -> None:
        if shown[name] < args.show:
            shown[name] += 1
            print(f"--- {name}: {what}\n    date={date!r} text={text!r}", file=sys.stderr)

    @seed(args.seed)
    @settings(max_examples=args.cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(texts(), DATES)
    def one(text: str, date: str | None) -> None:
        nonlocal chars
        chars += len(text)
        analysis, pack = prepare(Document(text=text, name="fuzz", source="fuzz", date=date), "hi")
        cases["sentences"] += 1
        problems = analysis_problems(analysis)
        if problems:
            broken["sentences"] += 1
            report("sentences", problems[0], text, date)
        for extract in EXTRACTORS:
            name = name_of(extract)
            cases[name] += 1
            try:
                extract(analysis, pack)
            except Exception as e:  # noqa: BLE001 -- counted and shown, not raised
                crashes[name] += 1
                frame = traceback.extract_tb(e.__traceback__)[-1]
                report(name, f"{type(e).__name__}: {e} ({Path(frame.filename).name}:{frame.lineno})",
                       text, date)
                continue
            found = analysis_problems(analysis)
            new = [p for p in found if p not in problems]  # only what this extractor added
            problems = found
            if new:
                broken[name] += 1
                report(name, new[0], text, date)

    started = time.perf_counter()
    one()
    seconds = time.perf_counter() - started
    print(f"{cases['sentences']} cases, {chars} characters, seed {args.seed}, {seconds:.1f} s\n")
    print("| extractor | cases | unhandled exceptions | analyses breaking an invariant |")
    print("|---|---:|---:|---:|")
    for name in names:
        print(f"| {name} | {cases[name]} | {crashes[name]} | {broken[name]} |")
    if sum(crashes.values()) or sum(broken.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
