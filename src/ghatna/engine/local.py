"""The local engine: the map phase in this process (`jobs=1`) or a fork process pool (`jobs>1`)."""
from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
from functools import partial

from ..schema import Document
from . import Engine, Pending, map_document, preload


class LocalEngine(Engine):
    """Holds the process pool for one run; use as a context manager."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, int(jobs))
        self.pool = _forked_pool(self.jobs) if self.jobs > 1 else None
        # two batches in flight: the pool maps the next one while this process stores the last
        self.window = 2 if self.pool is not None else 1

    def submit(self, documents: list[Document], lang: str | None) -> Pending:
        if self.pool is None or len(documents) < 2:
            return super().submit(documents, lang)
        chunksize = max(1, len(documents) // (self.jobs * 4))
        job = self.pool.map_async(partial(map_document, lang=lang), documents, chunksize=chunksize)
        return _Async(job)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None and self.pool is not None:
            self.pool.terminate()
        self.close()


class _Async:
    def __init__(self, job: multiprocessing.pool.AsyncResult) -> None:
        self.job = job

    def result(self):
        return self.job.get()


def _forked_pool(jobs: int) -> multiprocessing.pool.Pool:
    """A pool of `jobs` processes forked from this one once it has loaded the default pack and
    its models: loaded once rather than in every worker, and their pages shared until written
    (frozen out of the collector's way while the workers are forked, so their collections do not
    write them)."""
    preload()
    frozen = gc.get_freeze_count() > 0  # by an earlier run mapping here (engine._settle): stays so
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(jobs)
    finally:
        if not frozen:
            gc.unfreeze()  # this process collects as before
