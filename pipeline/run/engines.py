"""Where the per-document stages run: in this process, in a process pool, or on Dask workers.

An engine takes shards (lists of ``DocRecord`` with their texts) and gives back the processed
records, shard by shard, as they finish. Every engine runs the same function on a shard (the
runner's ``process_shard``: detect -> ner -> normalize via ``process_documents``), and each worker
process builds its models once (the runner's ``worker_state``, a cached loader: the first shard a
process gets loads what it needs, later shards reuse it). Models are never pickled: only the
config travels. This module knows nothing of the stages.

Shards are formed by the runner from document sizes alone, never from the number of workers, so
every engine and worker count feeds the models the same batches and gives byte-identical tables.

- ``local``: the calling process.
- ``processes``: ``concurrent.futures.ProcessPoolExecutor`` over ``forkserver`` (a fresh server
  process forks the workers: never a fork of a process whose torch threads are running).
- ``dask``: ``dask.distributed`` on a ``LocalCluster`` or an existing scheduler (``run.scheduler``).
  A shard whose worker dies is run again elsewhere (``run.retries``); its records come back once,
  because the driver takes each shard's result from its one future.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, NamedTuple

from pipeline.config import LoadedConfig, RunConfig
from pipeline.core.records import DocRecord
from pipeline.errors import ConfigError, PipelineError

log = logging.getLogger("pipeline")

ENGINES = ("local", "processes", "dask")


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to build its state: the config, the stages to run, torch threads, the
    freed memory it keeps (``keep_freed_memory``), and modules to import first (plug-ins
    registered outside the package, e.g. by tests)."""

    config: LoadedConfig
    stages: tuple[str, ...]
    torch_threads: int = 1
    imports: tuple[str, ...] = ()
    token: str = field(default="", compare=False)
    malloc_trim_mb: int = 0

    @property
    def key(self) -> tuple:
        return (self.token or self.config.hash, self.stages, self.torch_threads, self.imports, self.malloc_trim_mb)


class ShardResult(NamedTuple):
    """One processed shard: its index, records, seconds per stage and the models the worker loaded."""

    index: int
    records: list[DocRecord]
    seconds: dict[str, float]
    models: dict[str, dict]
    worker: int  # process id, for the manifest and tests


# The function an engine runs on each shard (runner.process_shard): module-level, so it pickles by name.
Work = Callable[[WorkerSpec, int, list[DocRecord]], ShardResult]


def _init_process_worker(init, spec: WorkerSpec) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", str(spec.torch_threads))
    if init is not None:
        init(spec)


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc's largest mmap threshold on 64-bit machines


def keep_freed_memory(trim_mb: int) -> bool:
    """Let this process keep up to ``trim_mb`` MB of freed heap for reuse instead of handing it back to
    the OS at once (glibc's M_TRIM_THRESHOLD), and take allocations up to 32 MB from the heap (a fixed
    M_MMAP_THRESHOLD, glibc's largest). NER frees and reallocates its batch tensors: with glibc's
    defaults each batch faulted fresh zeroed pages in again (about 540,000 page faults per worker over
    1,500 documents, 1.3 s of system time, more under contention). Process-wide and for the rest of the
    process's life (with the local engine: the calling process). 0, or not Linux with glibc: nothing
    changes. True when the trim threshold was set."""
    if trim_mb <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # musl and other C libraries without mallopt keep their defaults
        log.debug("run.malloc_trim_mb: this C library has no mallopt; its defaults stay")
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX)
    done = bool(mallopt(M_TRIM_THRESHOLD, trim_mb * 1024 * 1024))
    if not done:
        log.debug("run.malloc_trim_mb: mallopt refused M_TRIM_THRESHOLD=%d MB", trim_mb)
    return done


def local_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def free_cores() -> int:
    """Cores this process may use that are not busy with other work (1-minute load average)."""
    cores = local_cores()
    try:
        busy = int(os.getloadavg()[0] + 0.5)
    except (OSError, AttributeError):  # no load average (Windows has no getloadavg)
        busy = 0
    return max(1, cores - busy)


def choose_engine(settings: RunConfig, n_shards_at_least: int) -> tuple[str, int]:
    """The engine and worker count for ``run.engine``/``run.workers``; ``auto`` is ``processes`` when
    more than one core is free and there is more than one shard of work, else ``local``."""
    workers = settings.workers or free_cores()
    engine = settings.engine
    if engine == "auto":
        engine = "processes" if workers > 1 and n_shards_at_least > 1 else "local"
    if engine == "local":
        workers = 1
    return engine, workers


class Engine:
    """Runs shards; ``map`` yields their results as they finish, keeping a few shards in flight."""

    name = "local"

    def __init__(self, work: Work, spec: WorkerSpec, workers: int = 1, init: Callable | None = None):
        self.work = work
        self.spec = spec
        self.workers = workers
        self.init = init

    def map(self, shards: Iterable[tuple[int, list[DocRecord]]]) -> Iterator[ShardResult]:
        for index, records in shards:
            yield self.work(self.spec, index, records)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalEngine(Engine):
    """The calling process (models load here, once)."""


class ProcessEngine(Engine):
    """A pool of worker processes on this machine, each loading the models once (initializer)."""

    name = "processes"

    def __init__(self, work: Work, spec: WorkerSpec, workers: int, init: Callable | None = None):
        super().__init__(work, spec, workers, init)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                        initializer=_init_process_worker, initargs=(init, spec))

    def map(self, shards):
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        in_flight = set()
        try:
            for index, records in shards:
                in_flight.add(self.pool.submit(self.work, self.spec, index, records))
                if len(in_flight) >= 2 * self.workers:
                    done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while in_flight:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        except BrokenProcessPool as exc:
            raise PipelineError(f"a worker process died ({exc}); the finished shards are cached, "
                                "the previous outputs are untouched: run again to finish") from None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine(Engine):
    """dask.distributed: a LocalCluster of ``workers`` single-threaded processes, or the scheduler at
    ``scheduler``. Records go out and come back with the tasks; the corpus step stays on the client."""

    name = "dask"

    def __init__(self, work: Work, spec: WorkerSpec, workers: int, scheduler: str | None = None, retries: int = 2):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("run.engine=dask needs dask.distributed: .venv/bin/pip install -e . "
                              "(it is a dependency of the project)") from None
        super().__init__(work, spec, workers)
        for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                     "distributed.core", "distributed.http.proxy"):
            logging.getLogger(name).setLevel(logging.ERROR)  # Dask logs every start and stop at INFO
        self.retries = retries
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ConfigError(f"run.scheduler {scheduler}: no Dask scheduler answers there ({exc})") from None
            self.workers = len(self.client.scheduler_info().get("workers", {})) or workers
        else:
            import dask

            # No dashboard, so no use for the workers' statistical profiler, which samples every
            # thread's stack every 10 ms: off, it made a 150-document run 10 % faster (24.8 -> 22.3 s).
            # Dask also starts workers with MALLOC_TRIM_THRESHOLD_=65536 (memory back to the OS at once,
            # for long-lived clusters); for NER batches it doubled system time and made NER ~25 % slower.
            environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
                       if k != "MALLOC_TRIM_THRESHOLD_"}
            with dask.config.set({"distributed.worker.profile.enabled": False,
                                  "distributed.nanny.pre-spawn-environ": environ}):
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR,
                                            worker_class="distributed.Nanny")
            self.client = Client(self.cluster)
        self._spec = self.client.scatter(spec, broadcast=True, hash=False)

    def map(self, shards):
        import uuid

        from dask.distributed import as_completed
        from distributed.scheduler import KilledWorker

        run = uuid.uuid4().hex[:8]
        pending = as_completed()
        count = 0
        try:
            for index, records in shards:
                pending.add(self.client.submit(self.work, self._spec, index, records, key=f"shard-{run}-{index}",
                                               retries=self.retries, pure=False))
                count += 1
                if count >= 2 * self.workers:
                    future = next(pending)
                    count -= 1
                    yield future.result()
                    future.release()
            for future in pending:
                yield future.result()
                future.release()
        except KilledWorker as exc:
            raise PipelineError(f"Dask gave up on a shard whose workers kept dying ({exc}); the finished shards "
                                "are cached, the previous outputs are untouched: run again to finish") from None

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def open_engine(name: str, work: Work, spec: WorkerSpec, workers: int, settings: RunConfig,
                init: Callable[[WorkerSpec], object] | None = None) -> Engine:
    """The engine called ``name`` running ``work(spec, index, records)`` on each shard with ``workers``
    workers; ``init(spec)`` starts each pool process (loading what it will need)."""
    if name == "local":
        return LocalEngine(work, spec, 1)
    if name == "processes":
        return ProcessEngine(work, spec, workers, init)
    if name == "dask":
        return DaskEngine(work, spec, workers, settings.scheduler, settings.retries)
    raise ConfigError(f"run.engine: unknown engine '{name}'; known: {', '.join(ENGINES)}")
