"""A very large document through `ghatna run`: time, parts stored and peak memory.

    .venv/bin/python bench/large.py [--mb 2 20 50] [--seed 0]

Writes, for each size, one plain-text file of that many megabytes (UTF-8 Hindi: paragraphs of
the demo corpus's sentences in random order, so no two paragraphs repeat), runs `ghatna run` on
it in a fresh process and prints the wall time, the documents stored (the file's parts, cut at
paragraph breaks, ingest/parts.py) and the run's peak resident memory; and, in another fresh
process, the peak memory of only reading the file into its parts (`read_inputs`). Memory that
stays flat as the file grows is the point.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from ghatna.ingest.parts import MAX_CHARS
from ghatna.text import split_sentences


# the measured process's own peak resident memory (KB): VmHWM, not ru_maxrss, which Linux starts
# a child at the resident size its parent had when it forked (this bench holds the whole file)
PEAK = ("def peak_kb():\n    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n            return int(line.split()[1])\n")


def demo_sentences() -> list[str]:
    out = []
    for item in resources.files("ghatna.demo").joinpath("corpus").iterdir():
        if item.name.endswith(".txt"):
            text = item.read_text(encoding="utf-8")
            out += [text[s.start:s.end] for s in split_sentences(text) if s.end - s.start > 20]
    return sorted(out)


def write_big(path: Path, megabytes: float, seed: int) -> int:
    rng = random.Random(seed)
    sentences = demo_sentences()
    size, n, chars = 0, 0, 0
    with path.open("w", encoding="utf-8") as fh:
        while size < megabytes * 1_000_000:
            n += 1
            para = f"अनुच्छेद {n}। " + " ".join(rng.sample(sentences, rng.randint(3, 8))) + "\n\n"
            fh.write(para)
            size += len(para.encode("utf-8"))
            chars += len(para)
    return chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[2, 20])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(f"parts of at most {MAX_CHARS} characters\n")
    print("| file MB | characters | documents stored | seconds | peak RSS MB (run) | peak RSS MB (reading only) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for mb in args.mb:
        with tempfile.TemporaryDirectory() as tmp:
            big = Path(tmp) / "big.txt"
            chars = write_big(big, mb, args.seed)
            db = Path(tmp) / "big.db"
            script = (PEAK + "import sys\nfrom ghatna.cli import main\nsys.argv = ['ghatna', 'run',"
                      f" '--db', {str(db)!r}, '--date', '2022-01-06', {str(big)!r}]\n"
                      "try:\n    main()\nfinally:\n    print(peak_kb(), file=sys.stderr)\n")
            started = time.perf_counter()
            p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if p.returncode != 0:
                raise SystemExit(p.stderr)
            peak_kb = int(p.stderr.strip().splitlines()[-1])
            stored = int(p.stderr.split(" documents,")[0].rsplit(" ", 1)[1])
            read = (PEAK + "from ghatna.ingest import read_inputs\n"
                    f"for _ in read_inputs([{str(big)!r}]):\n    pass\n"
                    "print(peak_kb())\n")
            read_kb = int(subprocess.run([sys.executable, "-c", read], capture_output=True,
                                         text=True, check=True).stdout)
            print(f"| {mb:g} | {chars} | {stored} | {seconds:.0f} | {peak_kb / 1024:.0f}"
                  f" | {read_kb / 1024:.0f} |")


if __name__ == "__main__":
    main()
