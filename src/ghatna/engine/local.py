"""The local engine: the map phase in this process (`jobs=1`) or a process pool (`jobs>1`)."""
from __future__ import annotations

import multiprocessing
from functools import partial

from ..schema import Document
from . import MapResult, map_document


def map_batch(documents: list[Document], lang: str | None, jobs: int,
              pool: multiprocessing.pool.Pool | None = None) -> list[MapResult]:
    if pool is None or jobs <= 1 or len(documents) < 2:
        return [map_document(d, lang) for d in documents]
    chunksize = max(1, len(documents) // (jobs * 4))
    return pool.map(partial(map_document, lang=lang), documents, chunksize=chunksize)


class LocalEngine:
    """Holds the process pool for one run; use as a context manager."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, int(jobs))
        self.pool = multiprocessing.get_context("fork").Pool(self.jobs) if self.jobs > 1 else None

    def map(self, documents: list[Document], lang: str | None) -> list[MapResult]:
        return map_batch(documents, lang, self.jobs, self.pool)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None and self.pool is not None:
            self.pool.terminate()
        self.close()


