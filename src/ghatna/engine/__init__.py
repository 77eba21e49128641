"""Executors of the map phase. Each turns a stream of document batches into (batch, results)
pairs in input order, with a bounded number of batches in flight, so memory stays flat however
long the stream is; the pipeline does not care which one ran them.

An engine implements `submit(documents, lang)`, returning something with `.result()` (a pending
batch), and `window`, how many batches may be pending at once; `Engine.stream` does the rest.
"""
from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from ..analyse import analyse
from ..ingest import lsh_bands, minhash_signature
from ..langs import DEFAULT_LANG
from ..resolve import prepare
from ..resolve.contribution import Contribution, contribution_of
from ..schema import Document
from ..store.rows import analysis_json
from ..text import word_norms

ENGINES = ("local", "dask")


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (its extra is not installed, no scheduler answers)."""


def require_engine(name: str) -> None:
    """Raise EngineUnavailable, saying what to install, if engine `name` cannot be imported."""
    if name == "dask":
        from .dask import import_distributed

        import_distributed()


@dataclass
class MapResult:
    """What the map phase gives the process that stores and resolves: what is stored of the
    analysis (its JSON, its language and sentences), not the analysis itself, and the document's
    part of resolving; written here, on the workers, rather than there."""

    lang: str
    sentences: list[tuple[int, int]]  # (start, end)
    analysis_json: str  # rows.analysis_json
    signature: list[int]
    bands: list[str]
    contribution: Contribution  # resolve/contribution.py


def map_document(document: Document, lang: str | None) -> MapResult:
    """Everything per-document and pure: the analysis, the near-duplicate signature, and the
    document's part of resolving (written here so that the one process resolving does less)."""
    analysis = analyse(document, lang)
    if analysis.lang not in _settled:
        _settle(analysis.lang)
    signature = minhash_signature(analysis.text, word_norms(analysis.tokens))
    analysis.tokens = []  # internal to the map phase: not stored, and costly to ship between processes
    contribution = contribution_of({"id": document.id, "name": document.name, "date": document.date}, analysis)
    return MapResult(analysis.lang, [(s.start, s.end) for s in analysis.sentences], analysis_json(analysis), signature,
                     lsh_bands(signature), contribution)


_settled: set[str] = set()


def _settle(lang: str) -> None:
    """After a process's first document in a language, that pack's tables (name lists, NER
    weights, grammars) are loaded and stay for the life of the process: move them out of the
    cyclic garbage collector's way (`gc.freeze`), which otherwise walks them all again at every
    full collection (about 0.5 ms an article on ILTIMEX), and collect less often."""
    _settled.add(lang)
    gc.freeze()
    gc.set_threshold(*fewer_collections_threshold())


# Objects allocated between two collections of the youngest generation (Python's default: 700).
# An article allocates tens of thousands, nearly all freed by reference counting, so at 700 the
# collector ran about 2 times an article and walked the older generations every 10 and 100 runs;
# at 20,000 it spends 0.2 ms an article rather than 0.45 (4,000 ILTIMEX articles).
GC_YOUNG = 20_000


def fewer_collections_threshold() -> tuple[int, int, int]:
    young, middle, old = gc.get_threshold()
    return max(young, GC_YOUNG), middle, old


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The garbage collector's thresholds for a run, put back after it."""
    before = gc.get_threshold()
    gc.set_threshold(*fewer_collections_threshold())
    try:
        yield
    finally:
        gc.set_threshold(*before)


def warm(lang: str | None) -> bool:
    """Load the language pack, its models and the tables names and places are looked up in
    (resolve.prepare), before a process maps its first document (without them, a worker's first
    shard took 0.6 s longer). Run in each Dask worker, and in the process the local pool and the
    Dask workers are forked from, so they share one copy."""
    analyse(Document(text="तैयारी।", name="warm", source="warm"), lang or DEFAULT_LANG)
    prepare(lang)
    return True


def preload() -> None:
    """`warm(None)` in a process others are forked from, which must go on whatever happens: a
    pack that cannot be loaded fails again, with its message, in the first document needing it."""
    try:
        warm(None)
    except Exception:  # noqa: BLE001
        pass


def map_shard(documents: list[Document], lang: str | None) -> list[MapResult]:
    """One shard, in order: the unit of work a worker gets."""
    return [map_document(d, lang) for d in documents]


class Pending(Protocol):
    def result(self) -> list[MapResult]: ...


class Done:
    """A batch mapped in this process: already finished."""

    def __init__(self, results: list[MapResult]) -> None:
        self.results = results

    def result(self) -> list[MapResult]:
        return self.results


class Engine:
    window = 1

    def submit(self, documents: list[Document], lang: str | None) -> Pending:
        return Done(map_shard(documents, lang))

    def map(self, documents: list[Document], lang: str | None) -> list[MapResult]:
        return self.submit(documents, lang).result()

    def stream(self, batches: Iterable[list[Document]], lang: str | None
               ) -> Iterator[tuple[list[Document], list[MapResult]]]:
        """Map every batch; yield each with its results in input order, whatever order the
        workers finish in. At most `window` batches are submitted and not yet yielded, and the
        next input batch is only drawn once there is room; a yielded batch is not held here
        (with `window` 1, only one batch is in memory while the caller lets go of the last)."""
        pending: deque[tuple[list[Document], Pending]] = deque()

        def oldest() -> tuple[list[Document], list[MapResult]]:
            done, job = pending.popleft()
            return done, job.result()

        for batch in batches:
            if batch:
                pending.append((batch, self.submit(batch, lang)))
            del batch  # not held while the next batch is read and mapped
            if len(pending) >= self.window:
                yield oldest()
        while pending:
            yield oldest()

    def close(self) -> None:
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_engine(name: str = "local", jobs: int = 1, scheduler: str | None = None) -> Engine:
    """`local`: this process or a process pool of `jobs`; `dask`: a LocalCluster of `jobs`
    single-threaded worker processes, or the cluster at `scheduler`."""
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(jobs, scheduler)
    if name != "local":
        raise ValueError(f"unknown engine {name!r}: choose {' or '.join(ENGINES)}")
    from .local import LocalEngine

    return LocalEngine(jobs)
