"""Scale-out gives the same answers: local and Dask runs, SQLite and PostgreSQL stores, store the
same documents, events (ids included), entities and claims, and export them byte for byte alike."""
import io
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

import pytest

from ghatna.engine import Engine, map_shard
from ghatna.export import BINARY_FORMATS, FORMATS, export
from ghatna.pipeline import run
from ghatna.schema import Document
from ghatna.store import open_store

CORPUS = resources.files("ghatna.demo").joinpath("corpus")


def snapshot(location: str) -> dict:
    """Everything a user can read out of a store, as text."""
    with open_store(location, readonly=True) as s:
        out = {}
        for fmt in FORMATS:
            buf = io.BytesIO() if fmt in BINARY_FORMATS else io.StringIO()
            export(s.events(), fmt, buf)
            out[fmt] = buf.getvalue()
        out["stories"] = s.stories()
        out["entities"] = s.entities()
        out["claims"] = s.claims()
        out["documents"] = s.documents()
        out["stats"] = s.stats()
        # relevance ranks differ (FTS5 bm25, PostgreSQL ts_rank): the hits are the same
        out["search"] = sorted((h.doc_id, h.start, h.highlighted) for h in s.search("कजाकिस्तान", 1000))
    return out


def run_corpus(location: str, **engine) -> None:
    with resources.as_file(CORPUS) as folder, open_store(location) as store:
        report = run([folder], store, date="2022-01-05", batch_size=3, **engine)
    assert report.added == 8 and not report.errors


@pytest.fixture(scope="module")
def local_sqlite(tmp_path_factory):
    location = str(tmp_path_factory.mktemp("local") / "local.db")
    run_corpus(location)
    return snapshot(location)


@pytest.fixture(scope="module")
def dask_engine():
    """The Dask engine with a LocalCluster of two worker processes of its own."""
    pytest.importorskip("distributed")
    from ghatna.engine.dask import DaskEngine

    with DaskEngine(jobs=2) as engine:
        assert engine.workers == 2
        yield engine


def test_dask_with_two_workers_stores_what_a_local_run_stores(local_sqlite, dask_engine, tmp_path):
    location = str(tmp_path / "dask.db")
    run_corpus(location, engine=dask_engine)
    got = snapshot(location)
    assert got["stats"]["events"] > 50
    assert got == local_sqlite


def _setting(key):
    import dask

    return dask.config.get(key)


def test_the_local_cluster_keeps_its_housekeeping_quiet(dask_engine):
    """The workers' settings are the engine's, not Dask's interactive defaults (a profiler
    sampling every 10 ms, health checks every 20 ms), and no dashboard is served."""
    from ghatna.engine.dask import QUIET

    for key, value in QUIET.items():
        assert set(dask_engine.client.run(_setting, key).values()) == {value}, key
    web = dask_engine.cluster.scheduler.http_server.port
    assert web != 8787  # a free port, not Dask's fixed one
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(f"http://127.0.0.1:{web}/status", timeout=10)


def _parent_and_models():
    import os
    import sys

    from ghatna.extract.ner_model import ner_model
    from ghatna.resolve.entities import pack_names
    from ghatna.resolve.geo import geocoder

    # the NER model, and the tables the first place name would otherwise load (resolve.prepare)
    warm = (ner_model.cache_info().currsize == 1 and "indic_transliteration.sanscript" in sys.modules
            and geocoder(pack_names("hi")).loaded)
    return os.getppid(), warm


def test_the_local_clusters_workers_are_forked_from_a_process_that_loaded_the_models(dask_engine):
    """Not started afresh by this process (each loading the models), but forked from one server
    process that loaded them once (engine/preload.py)."""
    import os

    found = set(dask_engine.client.run(_parent_and_models).values())
    assert len(found) == 1
    parent, models = found.pop()
    assert parent != os.getpid() and models
    with open(f"/proc/{parent}/cmdline", "rb") as f:
        command = f.read().replace(b"\0", b" ").decode()
    assert "multiprocessing.forkserver" in command and "ghatna.engine.preload" in command


def test_postgres_stores_and_exports_what_sqlite_does(local_sqlite, pg_url):
    run_corpus(pg_url, jobs=2)
    got = snapshot(pg_url)
    for key in local_sqlite:
        assert got[key] == local_sqlite[key], key


def test_postgres_fed_in_steps_ends_as_sqlite_fed_in_one_run(local_sqlite, pg_url):
    with resources.as_file(CORPUS) as folder:
        files = sorted(folder.iterdir())
        for part in (files[:3], files[3:5], files[5:]):
            with open_store(pg_url) as store:
                run(part, store, date="2022-01-05")
    got = snapshot(pg_url)
    for key in ("events-jsonl", "stories", "entities", "claims"):
        assert got[key] == local_sqlite[key], key


def test_a_second_run_into_postgres_adds_nothing(pg_url):
    run_corpus(pg_url)
    before = snapshot(pg_url)
    with resources.as_file(CORPUS) as folder, open_store(pg_url) as store:
        report = run([folder], store, date="2022-01-05")
    assert report.added == 0 and report.duplicates == 8
    assert snapshot(pg_url) == before


def test_cli_dask_scheduler_into_postgres_matches_local_sqlite(ghatna, local_sqlite, dask_engine, pg_url):
    with resources.as_file(CORPUS) as folder:
        r = ghatna("run", "--db", pg_url, "--engine", "dask", "--scheduler",
                   dask_engine.cluster.scheduler_address, "--date", "2022-01-05", folder)
    assert r.code == 0 and "added 8 document(s)" in r.stderr, r.stderr
    assert ghatna("export", "--db", pg_url, "--format", "acled-csv").stdout == local_sqlite["acled-csv"]
    assert ghatna("search", "शन", "--db", pg_url, "--json").json() == []


def test_without_the_dask_extra_the_dask_engine_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text("पुलिस ने लाठीचार्ज किया।", encoding="utf-8")
    code = ("import sys; sys.modules['distributed'] = None; sys.argv = ['ghatna', 'run', '--engine',"
            " 'dask', 'a.txt']; from ghatna.cli import main; main()")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                       timeout=120)
    assert p.returncode == 2 and "pip install 'ghatna[dask]'" in p.stderr
    assert not (tmp_path / "ghatna.db").exists()


class _ThreadEngine(Engine):
    """An engine whose batches finish in random order (threads with random delays)."""

    window = 3

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(4)
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()

    def submit(self, documents, lang):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

        def job():
            time.sleep(random.random() / 50)
            return map_shard(documents, lang)

        return self.pool.submit(job)

    def stream(self, batches, lang):
        for batch, results in super().stream(batches, lang):
            with self.lock:
                self.in_flight -= 1
            yield batch, results


def test_stream_yields_batches_in_input_order_with_a_bounded_window():
    texts = [f"पुलिस ने {n} लोगों को गिरफ्तार किया।" for n in range(40)]
    batches = [[Document(text=t, name=t, source="x")] for t in texts]
    engine = _ThreadEngine()
    seen = [(b[0].text, r[0].contribution.doc_name) for b, r in engine.stream(iter(batches), "hi")]
    assert seen == [(t, t) for t in texts]
    assert engine.most_in_flight == 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_repeated_batches_later_is_counted_once(tmp_path, jobs):
    """The run remembers only the documents it has drawn and not stored yet (the store knows
    the rest), so a long run holds no id of every document, and still stores each once."""
    texts = [f"पुलिस ने {k} जनवरी को अल्माटी में प्रदर्शनकारियों को गिरफ्तार किया।" for k in range(1, 6)]
    rows = [0, 1, 2, 0, 3, 1, 4, 4, 2]  # in the same batch, the next one, and several later
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("".join(f'{{"id": "d{k}", "text": "{texts[k]}"}}\n' for k in rows), encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as store:
        report = run([jsonl], store, date="2022-01-05", batch_size=2, jobs=jobs)
        assert (report.added, report.duplicates) == (5, 4)
        assert store.stats()["documents"] == 5


class _AheadEngine(Engine):
    """Maps in this process but, like a pool, draws up to three batches before yielding one."""

    window = 3


def test_once_the_input_is_all_drawn_each_batch_is_resolved_as_it_comes(tmp_path, monkeypatch):
    """While the last batches are mapped, the ones before them are resolved (not held until the
    end, when only this process has work left): 7 batches of 2, a transaction every 4 — the
    first 4 resolved together; the 5th and 6th, drawn before the input ran out, together; the 7th
    alone. The store is what resolving it all at once gives."""
    import ghatna.pipeline as pipeline

    texts = [f"पुलिस ने {k} जनवरी को अल्माटी में प्रदर्शनकारियों को गिरफ्तार किया।" for k in range(1, 15)]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("".join(f'{{"id": "d{k}", "text": "{t}"}}\n' for k, t in enumerate(texts)),
                     encoding="utf-8")
    resolved: list[int] = []  # documents a resolution took
    real = pipeline.resolve

    def spy(store, contributions=None):
        if contributions is not None:
            resolved.append(len(contributions))
        return real(store, contributions)

    monkeypatch.setattr(pipeline, "resolve", spy)
    eager = str(tmp_path / "eager.db")
    with open_store(eager) as store:
        assert run([jsonl], store, date="2022-01-05", batch_size=2, engine=_AheadEngine()).resolved == 14
    assert resolved == [8, 4, 2]
    monkeypatch.setattr(pipeline, "resolve", real)
    at_once = str(tmp_path / "at_once.db")
    with open_store(at_once) as store:
        run([jsonl], store, date="2022-01-05", batch_size=14)
    assert snapshot(eager) == snapshot(at_once)


def test_the_forkservers_preload_survives_a_pack_that_fails_to_load():
    """engine/preload.py runs in the server the workers are forked from: a pack that cannot be
    loaded there must not stop it (the first task that needs the pack reports the error)."""
    code = ("import ghatna.engine as e\n"
            "def broken(lang):\n"
            "    raise OSError('no such model file')\n"
            "e.warm = broken\n"
            "import ghatna.engine.preload\n"
            "print('served')\n")
    assert python_prints(code) == "served"


def test_the_local_pools_workers_are_forked_after_the_models_are_loaded():
    """`--jobs N` forks its pool from a process that loaded the default pack's models and tables
    once (engine.preload), so the workers share them rather than each loading its own."""
    code = ("from ghatna.engine.local import LocalEngine\n"
            "from ghatna.extract.ner_model import ner_model\n"
            "from ghatna.resolve.geo import geocoder\n"
            "def loaded():\n"
            "    return ner_model.cache_info().currsize == 1 and geocoder.cache_info().currsize == 1\n"
            "assert not loaded()\n"
            "with LocalEngine(2) as engine:\n"
            "    print(engine.pool.apply(loaded))\n")
    assert python_prints(code) == "True"


def test_forking_the_local_pool_leaves_this_processs_collector_as_it_was():
    """The pool is forked with everything loaded frozen out of the collector's way; afterwards
    this process collects as before: nothing frozen if nothing was, and what an earlier
    in-process run froze (engine._settle) stays frozen."""
    code = ("import gc\n"
            "from ghatna.engine import map_document\n"
            "from ghatna.engine.local import LocalEngine\n"
            "from ghatna.schema import Document\n"
            "with LocalEngine(2):\n"
            "    pass\n"
            "print(gc.get_freeze_count())\n"
            "map_document(Document(text='पुलिस ने 20 लोगों को गिरफ्तार किया।', name='x', source='x'), None)\n"
            "settled = gc.get_freeze_count()\n"
            "with LocalEngine(2):\n"
            "    pass\n"
            "print(settled > 0 and gc.get_freeze_count() >= settled)\n")
    assert python_prints(code).split() == ["0", "True"]


def python_prints(code: str) -> str:
    """What `code` prints, run in a fresh interpreter (which must succeed)."""
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()
