"""The Dask engine: shards of documents mapped on Dask workers, for corpus-scale runs.

By default a `LocalCluster` of `jobs` worker processes with one thread each (the map phase is
pure Python, so threads would only contend for the GIL); with a scheduler address, the cluster
already running there (`dask scheduler` / `dask worker` on other machines, each with ghatna
installed). Each batch of the pipeline is one task; at most `2 × workers` are in flight, and
results come back in input order, so the store, the ids and the merged events are the same as
the local engine gives, and memory does not grow with the corpus.

Dask is an optional extra (`pip install 'ghatna[dask]'`) and is imported only here.
"""
from __future__ import annotations

from ..schema import Document
from . import Engine, EngineUnavailable, Pending, map_shard


def import_distributed():
    try:
        import distributed
    except ImportError as e:
        raise EngineUnavailable(
            "the dask engine needs the dask extra: pip install 'ghatna[dask]'") from e
    return distributed


def _warm(lang: str | None) -> bool:
    """Load the language pack and models in a worker before the first shard arrives."""
    from ..analyse import analyse

    analyse(Document(text="तैयारी।", name="warm", source="warm"), lang or "hi")
    return True


class DaskEngine(Engine):
    def __init__(self, jobs: int = 1, scheduler: str | None = None, *, warm: bool = True) -> None:
        distributed = import_distributed()
        self.cluster = None
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as e:
                raise EngineUnavailable(f"no Dask scheduler at {scheduler}: {e}") from e
        else:
            self.cluster = distributed.LocalCluster(
                n_workers=max(1, int(jobs)), threads_per_worker=1, processes=True,
                dashboard_address=":0", silence_logs=40)  # any free port; logging.ERROR
            self.client = distributed.Client(self.cluster)
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.workers = workers
        self.window = 2 * workers
        if warm:
            self.client.run(_warm, None)

    def submit(self, documents: list[Document], lang: str | None) -> Pending:
        # pure=False: two runs over the same shard are two tasks (the scheduler must not hand
        # back a result it still holds from an earlier run with different code or data)
        return self.client.submit(map_shard, documents, lang, pure=False)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
