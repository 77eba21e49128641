"""`ghatna run` as a library call: read inputs, skip what the store has, analyse the rest in
batches on an engine (engine/: this process, a process pool, or Dask workers; results come back
in input order), store each batch, and resolve a few batches together in the transaction that
stores them. Re-running with the same inputs adds nothing; a run killed part-way and re-run ends
with the store a clean run gives."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from .engine import Engine, MapResult, fewer_collections, open_engine
from .ingest import NEAR_DUPLICATE_THRESHOLD, InputError, estimated_jaccard, read_inputs
from .resolve import BATCH_MENTIONS, resolve
from .resolve.contribution import Contribution
from .schema import Document
from .store import Store, StoredDocument

BATCH_SIZE = 64
# batches written in one transaction: the pages each batch rewrites (an index's last leaf, a busy
# event's summary) reach the log once for all of them (SQLite's log on 1,000 articles: 97 KB an
# article with a commit a batch, 61 with one every 4); a run killed before a commit re-does them
COMMIT_EVERY = 4
# and no more text than this in a batch: a batch's analyses take about 140 bytes a character
BATCH_CHARS = 250_000


@dataclass
class RunReport:
    added: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    resolved: int = 0
    errors: list[InputError] = field(default_factory=list)


def _batches(items: Iterable[Document | InputError], size: int,
             on_error: Callable[[InputError], None]) -> Iterator[list[Document]]:
    batch: list[Document] = []
    chars = 0
    for item in items:
        if isinstance(item, InputError):
            on_error(item)
            continue
        batch.append(item)
        chars += len(item.text)
        if len(batch) >= size or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _with_near_duplicates(store: Store, fresh: list[Document], results: list[MapResult],
                          report: RunReport) -> list[StoredDocument]:
    """The batch as the store takes it, each document marked with the stored or earlier
    document of this batch it nearly copies, if any."""
    stored: list[StoredDocument] = []
    batch_bands: dict[str, list[int]] = {}  # band -> index in `stored`, this batch only
    stored_dups = store.near_duplicates([(r.bands, r.signature) for r in results], NEAR_DUPLICATE_THRESHOLD)
    for doc, res, dup in zip(fresh, results, stored_dups):
        item = StoredDocument(doc, res.lang, res.sentences, res.analysis_json, res.signature, res.bands)
        for i in {i for b in res.bands for i in batch_bands.get(b, ())}:
            other = stored[i]
            score = estimated_jaccard(res.signature, other.signature)
            if score >= NEAR_DUPLICATE_THRESHOLD and (dup is None or score > dup[1]):
                dup = (other.document.id, score)
        if dup is not None:
            item.near_duplicate_of, item.near_duplicate_score = dup[0], round(dup[1], 3)
            report.near_duplicates += 1
        for b in res.bands:
            batch_bands.setdefault(b, []).append(len(stored))
        stored.append(item)
    return stored


def run(inputs: Iterable[str | Path], store: Store, *, date: str | None = None,
        lang: str | None = None, jobs: int = 1, engine: str | Engine = "local",
        scheduler: str | None = None,
        on_error: Callable[[InputError], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
        batch_size: int = BATCH_SIZE) -> RunReport:
    report = RunReport()

    def error(e: InputError) -> None:
        report.errors.append(e)
        if on_error:
            on_error(e)

    seen: set[str] = set()  # ids of documents drawn but not stored yet (the store knows the rest)
    read_all = False  # every input batch has been drawn: what is left is on the workers

    def fresh_batches() -> Iterator[list[Document]]:
        """Each input batch less what the store or this run already has."""
        nonlocal read_all
        for batch in _batches(read_inputs(inputs, default_date=date), batch_size, error):
            known = store.known_documents(d.id for d in batch)
            fresh: list[Document] = []
            for d in batch:
                if d.id in known or d.id in seen:
                    report.duplicates += 1
                else:
                    seen.add(d.id)
                    fresh.append(d)
            if on_progress and len(fresh) < len(batch):
                on_progress(len(batch) - len(fresh))
            yield fresh
            del batch, fresh
        read_all = True

    own = not isinstance(engine, Engine)  # an engine passed in stays open for the next run
    # what the documents stored in the open transaction bring to resolving them (compact: the
    # analyses themselves are not held)
    contributions: dict[str, Contribution] = {}

    def resolve_stored() -> None:
        # in the transaction that stored them (resolve.BATCH: 4 batches of 64 documents, fewer
        # if they report many events), while the workers map the next batches; an event many of
        # them report is written once (the store is the same as resolving batch by batch or all
        # at the end: resolve/__init__.py)
        if contributions:
            report.resolved += resolve(store, contributions)
            contributions.clear()

    with fewer_collections(), open_engine(engine, jobs, scheduler) if own else nullcontext(engine) as executor, \
            ExitStack() as writing:
        for i, (fresh, results) in enumerate(executor.stream(fresh_batches(), lang)):
            if i % COMMIT_EVERY == 0:
                resolve_stored()
                writing.close()  # commits
                writing.enter_context(store.transaction())
            report.added += store.add_documents(_with_near_duplicates(store, fresh, results, report))
            seen.difference_update(d.id for d in fresh)  # not held for the rest of a long run
            contributions.update((d.id, r.contribution) for d, r in zip(fresh, results))
            if read_all or sum(len(c.records) for c in contributions.values()) >= BATCH_MENTIONS:
                # what it would resolve in one go, not held longer; and once the input is all
                # drawn, each batch as it comes, while the workers map the last ones (rather than
                # the last few batches together after they have finished)
                resolve_stored()
            if on_progress:
                on_progress(len(fresh))
            del fresh, results  # let go of this batch before the next one is read and mapped
        resolve_stored()
    report.resolved += resolve(store)  # documents a killed earlier run stored but did not resolve
    return report
