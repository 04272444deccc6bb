"""pipeline/run/engines.py: shards, engine choice, byte-identical tables on every engine and worker
count (fake parts in milliseconds; the real models on raw/ and 200 synthetic documents), and a Dask
worker killed mid-run."""
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.config import RunConfig, load_config
from pipeline.core.records import DocRecord, Document
from pipeline.run.engines import choose_engine
from pipeline.run.runner import make_shards, run_pipeline

from conftest import ROOT, SHARED, need_shared

from benchmarks import fake_parts

TABLES = ("documents", "segments", "mentions", "entities", "alignments")


def _table_bytes(out: Path) -> dict[str, bytes]:
    return {f"{name}.{ext}": (out / f"{name}.{ext}").read_bytes() for name in TABLES for ext in ("parquet", "csv")}


def _record(doc_id: str, size: int) -> DocRecord:
    return DocRecord(Document(doc_id, doc_id, "", "x" * size, "utf-8"))


def _with_bytes_left(records: list[DocRecord]) -> list[tuple[DocRecord, int]]:
    """Each record with the text bytes from it to the end (what the runner takes from file sizes)."""
    sizes = [len(r.document.text) for r in records]
    return [(r, sum(sizes[i:])) for i, r in enumerate(records)]


def test_shards_depend_on_sizes_only():
    records = [_record(f"d{i}", 100 * (i % 7 + 1)) for i in range(50)]
    by_bytes = RunConfig(target_seconds=1.0, bytes_per_second=1000, tail_split=1)
    shards = [[r.doc_id for r in s] for s in make_shards(_with_bytes_left(records), by_bytes)]
    assert [d for s in shards for d in s] == [r.doc_id for r in records]
    assert all(sum(100 * (int(d[1:]) % 7 + 1) for d in s[:-1]) < 1000 for s in shards)
    for workers in (1, 2, 8):  # the worker count never changes a shard
        assert [[r.doc_id for r in s] for s in make_shards(_with_bytes_left(records),
                                                            by_bytes.model_copy(update={"workers": workers}))] == shards
    assert [len(s) for s in make_shards(_with_bytes_left(records), RunConfig(shard_size=20))] == [20, 20, 10]


@pytest.mark.parametrize("tail_split, expected_sizes", [
    (1, [10, 10, 10, 10, 10, 10]),          # every shard full (1,000 bytes)
    (4, [10, 10, 10, 8, 6, 4, 3, 3, 2, 2, 2]),   # a shard is at most a quarter of the work left, at least 200 bytes
])
def test_tail_shards_shrink(tail_split, expected_sizes):
    records = _with_bytes_left([_record(f"d{i:02d}", 100) for i in range(60)])
    settings = RunConfig(target_seconds=1.0, bytes_per_second=1000, min_shard_seconds=0.2, tail_split=tail_split)
    sizes = [len(s) for s in make_shards(records, settings)]
    assert sum(sizes) == 60
    assert sizes == expected_sizes


def test_engine_choice():
    assert choose_engine(RunConfig(engine="auto", workers=2), 2) == ("processes", 2)
    assert choose_engine(RunConfig(engine="auto", workers=2), 1) == ("local", 1)   # one shard: no pool to start
    assert choose_engine(RunConfig(engine="auto", workers=1), 5) == ("local", 1)
    assert choose_engine(RunConfig(engine="dask", workers=3), 1) == ("dask", 3)
    assert choose_engine(RunConfig(engine="local", workers=3), 9) == ("local", 1)


def _fake_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(n):
        text = (f"Report {i}: the Alliance sent Advisers to Kabul and Herat in {2000 + i}.\n"
                if i % 2 else f"Laporan {i}: pasukan dari Jakarta dan Bandung dilatih di Makassar pada {2000 + i}.\n")
        (folder / f"doc_{i:03d}.txt").write_text(text * (1 + i % 3), encoding="utf-8")
    return folder


def _fake_run(source, out, engine, workers, extra=()):
    config = load_config(None, fake_parts.OVERRIDES + ["run.shard_size=4", *extra])
    return run_pipeline(source, out, config, engine=engine, workers=workers, worker_imports=("benchmarks.fake_parts",))


def test_process_pool_gives_the_local_tables(tmp_path):
    source = _fake_corpus(tmp_path / "in", 30)
    local = _fake_run(source, tmp_path / "local", "local", 1)
    pool = _fake_run(source, tmp_path / "pool", "processes", 2)
    assert local["execution"]["shards"] == pool["execution"]["shards"] == 8
    assert pool["execution"]["engine"] == "processes" and pool["execution"]["workers"] == 2
    # How many of the two workers took a shard depends on the machine's load (one fast worker may take
    # all eight millisecond shards before the other has started), so only the range is fixed.
    assert 1 <= pool["execution"]["worker_processes"] <= 2
    assert _table_bytes(tmp_path / "local") == _table_bytes(tmp_path / "pool")
    assert pool["processed"] == local["processed"] == sorted(local["processed"])
    # Every shard was cached as it finished: a rerun processes nothing.
    again = _fake_run(source, tmp_path / "pool", "processes", 2)
    assert again["processed"] == [] and again["execution"]["shards"] == 0
    assert _table_bytes(tmp_path / "local") == _table_bytes(tmp_path / "pool")


def test_projection_searched_on_forked_processes_gives_the_same_tables(tmp_path):
    source = _fake_corpus(tmp_path / "in", 120)  # enough documents for forked.MIN_DOCUMENTS
    one = _fake_run(source, tmp_path / "one", "processes", 1)
    two = _fake_run(source, tmp_path / "two", "processes", 2)
    assert one["execution"]["corpus_processes"] == 1
    assert two["execution"]["corpus_processes"] == min(2, len(os.sched_getaffinity(0)))
    # it forks only where that is safe: not in a test process that earlier tests left with threads or torch
    assert two["execution"]["projection_processes"] in (1, two["execution"]["corpus_processes"])
    assert one["rows"]["mentions"] > 0
    assert _table_bytes(tmp_path / "one") == _table_bytes(tmp_path / "two")


@pytest.mark.slow
def test_dask_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path):
    from dask.distributed import Client, LocalCluster

    source = _fake_corpus(tmp_path / "in", 40)
    local = _fake_run(source, tmp_path / "local", "local", 1)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    killed = []

    def kill_a_busy_worker():
        deadline, first_busy = time.time() + 120, None
        while time.time() < deadline and not killed:
            busy = [addr for addr, keys in client.processing().items() if any("shard-" in str(k) for k in keys)]
            if busy and first_busy is None:
                first_busy = time.time()
            if busy and time.time() - first_busy > 1.5:  # mid-run: some shards finished, one is running
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.05)

    try:
        killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
        killer.start()
        # A slow model (0.2 s per text) so the run lasts long enough to be interrupted.
        result = _fake_run(source, tmp_path / "dask", "dask", 2,
                           ["ner.models.en.model=sleep-0.2", "ner.models.id.model=sleep-0.2",
                            f"run.scheduler={cluster.scheduler_address}"])
        killer.join(timeout=5)
    finally:
        client.close()
        cluster.close()
    assert killed, "no worker was killed: the run finished too fast"
    assert result["execution"]["engine"] == "dask"
    assert sorted(result["processed"]) == sorted(local["processed"]) and len(result["processed"]) == 40
    dask_tables = _table_bytes(tmp_path / "dask")
    # The slow model only changes the (unused) model name: the rows must equal the local run's.
    assert dask_tables == _table_bytes(tmp_path / "local")


@pytest.mark.models
@pytest.mark.slow
def test_raw_tables_are_byte_identical_on_every_engine(tmp_path):
    outputs = {}
    for engine, workers in (("local", 1), ("processes", 2), ("dask", 2)):
        out = tmp_path / f"{engine}-{workers}"
        config = load_config(None, ["run.shard_size=2"])  # several shards even on five documents
        manifest = run_pipeline(ROOT / "raw", out, config, engine=engine, workers=workers)
        assert manifest["execution"]["shards"] == 3
        outputs[(engine, workers)] = _table_bytes(out)
    first = outputs[("local", 1)]
    for key, tables in outputs.items():
        assert tables == first, key


@pytest.mark.models
@pytest.mark.shared
@pytest.mark.slow
def test_synthetic_tables_are_byte_identical_on_every_engine_and_worker_count(tmp_path):
    need_shared(SHARED / "data" / "lid")
    from benchmarks.synthetic import write_corpus

    source = write_corpus(tmp_path / "in", 200, "mixed", words=60)
    outputs = {}
    for engine, workers in (("local", 1), ("processes", 1), ("processes", 2), ("dask", 2)):
        out = tmp_path / f"{engine}-{workers}"
        config = load_config(None, ["run.shard_size=25"])
        manifest = run_pipeline(source, out, config, engine=engine, workers=workers)
        assert manifest["execution"]["shards"] == 8 and len(manifest["processed"]) == 200
        # the projection search ran on forked processes too (pipeline/run/forked.py), except with one worker
        assert manifest["execution"]["corpus_processes"] == min(workers, len(os.sched_getaffinity(0)))
        outputs[(engine, workers)] = _table_bytes(out)
    first = outputs[("local", 1)]
    for key, tables in outputs.items():
        assert tables == first, key


def test_cli_rejects_negative_workers_and_unknown_engines(tmp_path, capsys):
    from pipeline.cli import main

    (tmp_path / "in").mkdir()
    assert main(["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--workers", "-1"]) == 2
    assert "--workers -1" in capsys.readouterr().err
    assert main(["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--engine", "spark"]) == 2


def test_run_section_is_validated():
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="run.engine"):
        load_config(None, ["run.engine=threads"])
    with pytest.raises(ConfigError, match="run.torch_threads"):
        load_config(None, ["run.torch_threads=0"])
    with pytest.raises(ConfigError, match="run.malloc_trim_mb"):
        load_config(None, ["run.malloc_trim_mb=-1"])


# Allocates 16 MB twice, touching every page; prints the page faults of the second time.
REALLOCATE = """
import resource, sys
from pipeline.run.engines import keep_freed_memory
print(keep_freed_memory(int(sys.argv[1])))
def touch():
    block = bytearray(16 << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
touch()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
touch()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="run.malloc_trim_mb tunes glibc's allocator only")
@pytest.mark.parametrize("trim_mb, kept", [(0, False), (64, True)])
def test_freed_memory_is_reused_without_page_faults(trim_mb, kept):
    # In a fresh process: the setting is process-wide. With glibc's defaults the second 16 MB block
    # faults its 4,096 pages in afresh (the first went back to the OS when freed); kept, it reuses them.
    run = subprocess.run([sys.executable, "-c", REALLOCATE, str(trim_mb)], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    was_set, faults = run.stdout.split()
    assert was_set == str(kept)
    assert (int(faults) < 400) == kept
