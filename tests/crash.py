"""Kill-and-resume trials of `ghatna run`, shared by tests/test_crash_safety.py and bench/crash.py.

A corpus (the demo corpus plus generated articles recombined from its sentences) is run once
cleanly; then, per trial, `ghatna run` is started on a fresh store, SIGKILLed at random moments
(seeded), and finally re-run to the end. The store is compared with the clean one through what
users see: the stored documents, `export --format events-jsonl`, `entities --json` and
`claims --json`.
"""
from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ghatna.text import split_sentences

DATE = "2022-01-06"


def make_corpus(root: Path, n_generated: int = 240, seed: int = 0) -> Path:
    """The demo corpus plus `n_generated` articles (JSON Lines) made of its shuffled sentences."""
    root.mkdir(parents=True, exist_ok=True)
    corpus = resources.files("ghatna.demo").joinpath("corpus")
    sentences: list[str] = []
    for item in sorted(corpus.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".md"):
            continue
        (root / item.name).write_bytes(item.read_bytes())
        if item.name.endswith(".txt"):
            text = item.read_text(encoding="utf-8")
            sentences += [text[s.start:s.end] for s in split_sentences(text) if s.end - s.start > 20]
    rng = random.Random(seed)
    with (root / "generated.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n_generated):
            body = " ".join(rng.sample(sentences, rng.randint(3, 7)))
            date = f"2022-01-{rng.randint(2, 15):02d}"
            fh.write(json.dumps({"id": f"g{i}", "date": date, "text": body}, ensure_ascii=False) + "\n")
    return root


def ghatna(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ghatna", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", timeout=600, **kwargs)


# the batch size of killed runs (and of runs read while they write): small, so a run of a hundred
# documents commits many times (every 4 batches) and a kill can land between any two commits; the
# clean run keeps the default, so the comparison also checks that batch boundaries do not change
# the result
SMALL_BATCH = 8


def start_run(db: Path, corpus: Path, batch_size: int | None = None, jobs: int = 1) -> subprocess.Popen:
    size = ["--batch-size", str(batch_size)] if batch_size else []
    return subprocess.Popen([sys.executable, "-m", "ghatna", "run", "--db", str(db), "--date", DATE,
                             *size, "--jobs", str(jobs), str(corpus)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def snapshot(db: Path) -> dict[str, object]:
    """What a user sees of a store; equal snapshots are the same store."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        documents = con.execute("SELECT id, name, source, date, near_duplicate_of FROM documents"
                                " ORDER BY id").fetchall()
    out: dict[str, object] = {"documents": documents}
    for name, args in (("events", ("export", "--format", "events-jsonl")),
                       ("entities", ("entities", "--json")), ("claims", ("claims", "--json"))):
        r = ghatna(*args, "--db", db)
        assert r.returncode == 0, r.stderr
        out[name] = r.stdout
    return out


def duplicates(snap: dict[str, object]) -> list[str]:
    """Ids that occur twice in a snapshot (none may)."""
    ids = [d[0] for d in snap["documents"]]  # type: ignore[index]
    ids += [json.loads(line)["id"] for line in str(snap["events"]).splitlines()]
    ids += [e["id"] for e in json.loads(str(snap["entities"]))]
    ids += [c["id"] for c in json.loads(str(snap["claims"]))]
    return sorted({i for i in ids if ids.count(i) > 1})


def progress(db: Path) -> tuple[int, int]:
    """(documents stored, documents resolved) in a store, (0, 0) before it has any."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return con.execute("SELECT count(*), coalesce(sum(resolved), 0) FROM documents").fetchone()
    except sqlite3.Error:
        return 0, 0


@dataclass
class Trial:
    seed: int
    kills: list[tuple[float, int, int]]  # (seconds after start, documents stored, resolved) at each kill
    identical: bool
    duplicate_ids: list[str]


def clean_run(db: Path, corpus: Path) -> tuple[dict[str, object], float]:
    started = time.perf_counter()
    p = start_run(db, corpus)
    _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err.decode()
    return snapshot(db), time.perf_counter() - started


def killed_run(db: Path, corpus: Path, clean: dict[str, object], duration: float, seed: int,
               max_kills: int = 3, jobs: int = 1) -> Trial:
    """Runs SIGKILLed at random moments until one ends by itself (or after `max_kills`, one run
    to the end), with `jobs` processes mapping (more than 1: a process pool that maps batches
    ahead, so the last ones are resolved one by one as they come); then the store is compared.
    `duration` is how long a whole run takes; when the
    first run of a trial ends before its moment (a shared machine's timings vary), the store is
    removed and the trial starts again with that run's time as the duration."""
    rng = random.Random(seed)
    kills: list[tuple[float, int, int]] = []
    while True:
        started = time.perf_counter()
        p = start_run(db, corpus, SMALL_BATCH, jobs)
        if len(kills) < max_kills:
            at = rng.uniform(0.1, 1.0) * duration
            try:
                p.wait(timeout=at)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                p.wait()
                p.stderr.close()
                kills.append((round(at, 1), *progress(db)))
                continue
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
        if not kills and duration > 0.5:  # never killed: again, with the time this run took
            duration = 0.9 * (time.perf_counter() - started)
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
            continue
        break
    snap = snapshot(db)
    return Trial(seed, kills, snap == clean, duplicates(snap))
