"""The Dask engine: shards of documents mapped on Dask workers, for corpus-scale runs.

By default a `LocalCluster` of `jobs` worker processes with one thread each (the map phase is
pure Python, so threads would only contend for the GIL); with a scheduler address, the cluster
already running there (`dask scheduler` / `dask worker` on other machines, each with ghatna
installed). Each batch of the pipeline is split into one shard per worker, a few batches are in
flight at once, and results come back in input order, so the store, the ids and the merged
events are the same as the local engine gives, and memory does not grow with the corpus.

Dask is an optional extra (`pip install 'ghatna[dask]'`) and is imported only here.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ..resolve import prepare
from ..schema import Document
from . import Engine, EngineUnavailable, MapResult, Pending, map_shard
from . import warm as warm_worker


def import_distributed():
    try:
        import distributed
    except ImportError as e:
        raise EngineUnavailable(
            "the dask engine needs the dask extra: pip install 'ghatna[dask]'") from e
    return distributed


MIN_SHARD = 4

# A local cluster's housekeeping, made quieter: Dask's defaults suit an interactive cluster with a
# dashboard, a statistical profiler sampling each worker every 10 ms and event-loop health checks
# every 20 ms; idle, those kept about a tenth of a core busy on a 2-core machine, and under load
# the profiler walks the mapping thread's stack a hundred times a second. Nothing of ghatna reads
# them. (A cluster at --scheduler keeps its own settings.)
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


def forked_workers() -> dict[str, str]:
    """Dask settings that start a local cluster's workers as forks of one server process that
    imported ghatna and loaded the default language pack's models (engine/preload.py), rather
    than as fresh interpreters that each load them (Dask's default, spawn). The server is started
    from a clean interpreter and has no threads of this process's, so forking it is safe (unlike
    forking this process); the models are read from disk once, and the workers share their pages
    until they write them (gc.freeze keeps the collector from doing so). Where the platform has no
    forkserver: no change."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return {}
    import dask
    from distributed.utils import get_mp_context

    method = {"distributed.worker.multiprocessing-method": "forkserver"}
    with dask.config.set(method):
        get_mp_context()  # Dask sets its own list of modules to preload, once
    multiprocessing.get_context("forkserver").set_forkserver_preload(["distributed", "ghatna.engine.preload"])
    return method


class _Shards:
    """A batch's shards on the cluster; `result()` is their results joined in input order."""

    def __init__(self, futures: list) -> None:
        self.futures = futures

    def result(self) -> list[MapResult]:
        return [r for f in self.futures for r in f.result()]


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
            import dask

            with dask.config.set({**QUIET, **forked_workers()}):
                self.cluster = distributed.LocalCluster(
                    n_workers=max(1, int(jobs)), threads_per_worker=1, processes=True,
                    # no dashboard; Dask's own web routes (health, metrics) on any free port
                    dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"},
                    silence_logs=40)  # logging.ERROR
                self.client = distributed.Client(self.cluster)
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.workers = workers
        # batches in flight: enough that every worker has a shard while this process stores and
        # resolves the oldest (a 64-document batch gives at most 16 shards of MIN_SHARD)
        self.window = max(3, workers // 4)
        if warm:
            # the workers load their models while this process loads what it resolves with
            with ThreadPoolExecutor(1) as pool:
                workers_warm = pool.submit(self.client.run, warm_worker, None)
                prepare()
                workers_warm.result()

    def submit(self, documents: list[Document], lang: str | None) -> Pending:
        """One batch, split into a shard per worker (at least MIN_SHARD documents each), so a
        batch is mapped by all workers at once and comes back while the next ones run."""
        size = max(MIN_SHARD, -(-len(documents) // self.workers))
        # pure=False: two runs over the same shard are two tasks (the scheduler must not hand
        # back a result it still holds from an earlier run with different code or data)
        return _Shards([self.client.submit(map_shard, documents[i:i + size], lang, pure=False)
                        for i in range(0, len(documents), size)])

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
