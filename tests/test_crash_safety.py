"""A run killed at any moment and re-run ends with exactly the store a clean run gives; readers
work while a run writes. (bench/crash.py runs more kill trials on a bigger corpus.)"""
import json
import time

import pytest

from .crash import SMALL_BATCH, clean_run, duplicates, ghatna, killed_run, make_corpus, start_run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    corpus = make_corpus(root / "corpus", n_generated=90)
    clean, seconds = clean_run(root / "clean.db", corpus)
    return root, corpus, clean, seconds


def test_a_clean_run_stores_everything_once(corpus):
    _, _, clean, _ = corpus
    assert len(clean["documents"]) >= 95 and clean["events"] and json.loads(clean["entities"])
    assert duplicates(clean) == []


@pytest.mark.parametrize("seed", [1])
def test_runs_killed_at_random_moments_then_resumed_give_the_clean_store(corpus, seed):
    root, folder, clean, seconds = corpus
    trial = killed_run(root / f"killed{seed}.db", folder, clean, seconds, seed)
    assert trial.kills, "the run was never killed"
    assert trial.duplicate_ids == []
    assert trial.identical, trial


def test_readers_work_while_a_run_writes(corpus):
    root, folder, clean, _ = corpus
    db = root / "busy.db"
    run = start_run(db, folder, SMALL_BATCH)
    exports = []
    try:
        while run.poll() is None:
            r = ghatna("export", "--db", db, "--format", "events-jsonl")
            if r.returncode == 2 and "no store" in r.stderr:  # not created yet
                time.sleep(0.05)
                continue
            assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
            exports.append([json.loads(line)["id"] for line in r.stdout.splitlines()])
            assert ghatna("search", "--db", db, "--json", "पुलिस").returncode == 0
    finally:
        run.wait(timeout=600)
    assert run.returncode == 0, run.stderr.read().decode()
    assert len(exports) >= 2
    final = [json.loads(line)["id"] for line in clean["events"].splitlines()]
    for ids in exports:  # every export saw a committed state: a part of the final events, no repeats
        assert len(ids) == len(set(ids)) and set(ids) <= set(final)


@pytest.mark.parametrize("content", [b"", b"hello, not a database"])
def test_a_file_that_is_no_store_is_a_usage_error_for_readers_and_writers(tmp_path, content):
    db = tmp_path / "x.db"
    db.write_bytes(content)
    r = ghatna("export", "--db", db)
    assert r.returncode == 2 and "ghatna store" in r.stderr and "Traceback" not in r.stderr
    if content:
        r = ghatna("run", "--db", db, tmp_path)
        assert r.returncode == 2 and "not a ghatna store" in r.stderr
