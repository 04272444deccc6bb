"""Wire the stages together: ingest -> detect -> ner -> normalize (per document) -> entities ->
align (per corpus) -> tables.

The per-document part fills one ``DocRecord`` per document and reuses cached records; the corpus
part reads records only. This module knows the order, turns per-document failures into rows,
times the stages and writes the outputs; what each stage does lives in ``pipeline/stages``.
Models are loaded once per run, only for the languages that uncached documents need.
"""
from __future__ import annotations

import gc
import importlib
import logging
import os
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from pipeline import plugins
from pipeline.config import LoadedConfig, RunConfig
from pipeline.core.records import Alignment, DocRecord, Document, Entity
from pipeline.output.rows import RowWriter
from pipeline.output.tables import OutputStaging, recover_output
from pipeline.resources import Resources
from pipeline.run.cache import DocumentCache
from pipeline.errors import ConfigError
from pipeline.run.engines import (ShardResult, WorkerSpec, choose_engine, keep_freed_memory, local_cores,
                                  open_engine)
from pipeline.run.forked import search_in_parallel
from pipeline.run.lock import OutputLock
from pipeline.run.manifest import build_manifest
from pipeline.run.spill import RecordSpill
from pipeline.stages import align, ner
from pipeline.stages.detect import detect_record
from pipeline.stages.ingest import list_input_files, read_document
from pipeline.stages.normalize import CorpusTerms, EntityGrouper, drop_corpus_terms, normalize_record

log = logging.getLogger("pipeline")

STAGES_UNTIL = {"detect": ("detect",), "ner": ("detect", "ner", "normalize"),
                "align": ("detect", "ner", "normalize", "align")}


class StageTimer:
    """Seconds per stage, in the order the stages ran."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, step, *args):
        started = time.perf_counter()
        result = step(*args)
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)
        return result


def _progress(show: bool):
    def progress(items, desc: str, total: int):
        if not show:
            return items
        from tqdm import tqdm

        return tqdm(items, desc=desc, total=total, unit="doc" if desc == "detect" else "block",
                    disable=not show, file=sys.stderr, leave=False)
    return progress


def _isolated(records: Iterable[DocRecord], stage: str, step) -> None:
    """Apply ``step`` to each ok record; an exception makes that record an error row, never stops the batch."""
    for record in records:
        if not record.ok:
            continue
        try:
            step(record)
        except Exception as exc:  # one bad document never stops the batch
            record.fail(stage, exc)
            log.debug("%s failed in %s", record.doc_id, stage, exc_info=True)


class ModelPool:
    """What the per-document stages load, on first use and once each: the language detector and the
    NER model of each language; what was loaded is recorded for the manifest."""

    def __init__(self, config: LoadedConfig, torch_threads: int | None = None):
        self.config = config
        self.torch_threads = torch_threads if torch_threads is not None else config.settings.run.torch_threads
        self.loaded: dict[str, object] = {}
        self.identities: dict[str, dict] = {}
        self._detector = None
        self.load_seconds = 0.0   # building the detector and loading models: a worker's fixed cost

    def detector(self):
        """The configured language detector (built once: its word lists take seconds)."""
        if self._detector is None:
            started = time.perf_counter()
            s = self.config.settings
            self._detector = plugins.build_detector(s.detect, s.languages, self.config)
            self.load_seconds += time.perf_counter() - started
        return self._detector

    def __call__(self, lang: str):
        if lang not in self.loaded:
            model = self.config.settings.ner.models[lang]
            started = time.perf_counter()
            if model.backend == "stanza" or "torch" in sys.modules:
                set_torch_threads(self.torch_threads)
            backend = plugins.load_ner_backend(model, self.config, f"ner.models.{lang}.model")
            self.load_seconds += time.perf_counter() - started
            self.loaded[lang] = backend
            self.identities[lang] = {"backend": model.backend, "name": backend.name, "version": backend.version,
                                     "label_map": model.label_map}
        return self.loaded[lang]


def set_torch_threads(threads: int) -> None:
    """torch's intra-op threads for this process (set deliberately: its default is one per core,
    which competes with the other workers and made stanza 2-20x slower under load)."""
    try:
        import torch
    except ImportError:  # only the stanza backend needs torch
        return
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def process_documents(records: list[DocRecord], config: LoadedConfig, resources: Resources, models: ModelPool,
                      stages: tuple[str, ...], timer: StageTimer, show_progress: bool = False) -> None:
    """The per-document stages over a batch (a shard) of records (detect, then NER, then normalize)."""
    s = config.settings
    progress = _progress(show_progress)
    loading = models.load_seconds
    if "detect" in stages and any(r.ok for r in records):
        detector = models.detector()
        ok = [r for r in records if r.ok]
        timer("detect", _isolated, progress(ok, "detect", len(ok)), "detect",
              lambda r: detect_record(r, detector, s.detect, s.languages))
    if "ner" in stages:
        loading = models.load_seconds
        timer("ner", ner.annotate_records, records, models, resources, s.ner, s.languages, progress)
        loaded = models.load_seconds - loading  # models load on first use, inside NER: not NER's time
        timer.seconds["ner"] = round(timer.seconds["ner"] - loaded, 3)
    if "normalize" in stages:
        model_names = {lang: m.label_map for lang, m in s.ner.models.items()}
        timer("normalize", _isolated, records, "normalize",
              lambda r: normalize_record(r, model_names, resources.knowledge, s.normalize.acronyms,
                                         s.normalize.propagate, s.normalize.rules))
    if models.load_seconds > loading:
        timer.seconds["load_models"] = round(timer.seconds.get("load_models", 0.0) + models.load_seconds - loading, 3)


_STATE: dict[tuple, tuple[Resources, ModelPool]] = {}
_STATE_LOCK = threading.Lock()
_LAST_RESOURCES: list[tuple[LoadedConfig, Resources]] = []


def process_resources(config: LoadedConfig) -> Resources:
    """The resources of this very ``config`` object, loaded once: the driver's corpus step and a
    local engine's per-document stages share them (loading takes about a second). Only the last
    config's are kept (a new config object, even with equal settings, loads afresh: files may
    have changed)."""
    if not _LAST_RESOURCES or _LAST_RESOURCES[0][0] is not config:
        _LAST_RESOURCES[:] = [(config, plugins.load_resources(config))]
    return _LAST_RESOURCES[0][1]


def worker_state(spec: WorkerSpec) -> tuple[Resources, ModelPool]:
    """This process's resources and model pool for ``spec``, built on first use (once per worker
    process, whatever the engine); the models inside load lazily, per language needed."""
    with _STATE_LOCK:
        state = _STATE.get(spec.key)
        if state is None:
            for module in spec.imports:
                importlib.import_module(module)
            keep_freed_memory(spec.malloc_trim_mb)  # before the models load
            state = (process_resources(spec.config), ModelPool(spec.config, spec.torch_threads))
            _STATE[spec.key] = state
        return state


def process_shard(spec: WorkerSpec, index: int, records: list[DocRecord]) -> ShardResult:
    """What every engine runs on a shard: the per-document stages with this process's cached models."""
    resources, models = worker_state(spec)
    timer = StageTimer()
    process_documents(records, spec.config, resources, models, spec.stages, timer)
    return ShardResult(index, records, timer.seconds, dict(models.identities), os.getpid())


def shard_limits(settings: RunConfig) -> tuple[int, int]:
    """(documents, text bytes) at which a shard is full: ``run.shard_size`` documents if set,
    otherwise about ``target_seconds`` of work at ``bytes_per_second`` (at most ``max_shard_docs``)."""
    if settings.shard_size:
        return settings.shard_size, 0
    return settings.max_shard_docs, int(settings.target_seconds * settings.bytes_per_second)


def make_shards(records: Iterable[tuple[DocRecord, int]], settings: RunConfig) -> Iterator[list[DocRecord]]:
    """Consecutive records grouped into shards by size alone (never by the number of workers, so
    every engine sees the same batches and gives the same tables).

    ``records`` pairs each record with the input bytes from its file to the last file. Near the end
    shards shrink to ``1 / tail_split`` of the work left (never under ``min_shard_seconds``), so
    the workers finish together instead of one running the last full shard alone."""
    max_docs, max_bytes = shard_limits(settings)
    min_bytes = int(settings.min_shard_seconds * settings.bytes_per_second)
    shard: list[DocRecord] = []
    size = limit = 0
    for record, bytes_left in records:
        if not shard and max_bytes:
            limit = min(max_bytes, max(min_bytes, bytes_left // settings.tail_split))
        shard.append(record)
        size += len(record.document.text.encode("utf-8"))
        if len(shard) >= max_docs or (max_bytes and size >= limit):
            yield shard
            shard, size = [], 0
    if shard:
        yield shard


class _Lookahead:
    """An iterator that can tell whether it has at least ``n`` more items (read ahead, kept in order)."""

    def __init__(self, items: Iterable):
        self.items = iter(items)
        self.ahead: list = []

    def has(self, n: int) -> bool:
        while len(self.ahead) < n:
            try:
                self.ahead.append(next(self.items))
            except StopIteration:
                return False
        return True

    def __iter__(self):
        return self

    def __next__(self):
        return self.ahead.pop(0) if self.ahead else next(self.items)


def run_pipeline(input_dir: Path, output_dir: Path, config: LoadedConfig, until: str = "align",
                 show_progress: bool = False, engine: str | None = None, workers: int | None = None,
                 scheduler: str | None = None, worker_imports: tuple[str, ...] = ()) -> dict:
    """Run the stages up to ``until`` and write the tables they produce plus the manifest.

    Documents are read shard by shard: cached ones are taken from the cache, the others go to the
    engine (``run.engine`` or ``engine``) in shards; each processed shard is cached at once. A
    record's rows are built as soon as it is done and its text is dropped, so the driver never
    holds all texts. ``engine``/``workers``/``scheduler`` override the config's ``run`` section."""
    started = datetime.now(timezone.utc)
    stages = STAGES_UNTIL[until]
    timer = StageTimer()
    if scheduler and engine is None:
        engine = "dask"  # --scheduler names a Dask scheduler
    run_settings = config.settings.run.model_copy(update={k: v for k, v in (
        ("engine", engine), ("workers", workers), ("scheduler", scheduler)) if v is not None})
    if run_settings.scheduler and run_settings.engine == "auto":
        run_settings = run_settings.model_copy(update={"engine": "dask"})
    input_dir, output_dir = check_folders(Path(input_dir), Path(output_dir))
    try:
        resources = process_resources(config)
        gc.freeze()  # see _run_locked
        files = timer("ingest", list_input_files, input_dir, config.settings.ingest)
        if not files:
            raise ConfigError(f"--input {input_dir}: no documents found (files matching "
                              f"{', '.join(config.settings.ingest.patterns)}); nothing was written")
        with OutputLock(output_dir):
            recover_output(output_dir)  # staging left by a run that died: finish it or drop it
            return _run_locked(input_dir, output_dir, config, stages, until, files, resources, timer, started,
                               run_settings, worker_imports, show_progress)
    finally:
        gc.unfreeze()  # the frozen objects are ordinary ones again for whatever the caller does next


def check_folders(input_dir: Path, output_dir: Path) -> tuple[Path, Path]:
    """Absolute input and output folders; ConfigError when the output would mix with the input."""
    input_dir, output_dir = input_dir.resolve(), output_dir.resolve()
    if not input_dir.is_dir():
        raise ConfigError(f"--input {input_dir}: not a folder; pass the folder holding the *.txt / *.md documents")
    relation = ("is the input folder" if output_dir == input_dir else
                "is inside the input folder" if output_dir.is_relative_to(input_dir) else
                "contains the input folder" if input_dir.is_relative_to(output_dir) else "")
    if relation:
        raise ConfigError(f"--output {output_dir} {relation} {input_dir}: outputs would be read back as inputs "
                          "or mixed with them; choose an output folder outside the input folder")
    return input_dir, output_dir


def _run_locked(input_dir: Path, output_dir: Path, config: LoadedConfig, stages: tuple[str, ...], until: str,
                files: list[Path], resources: Resources, timer: StageTimer, started: datetime,
                run_settings: RunConfig, worker_imports: tuple[str, ...], show_progress: bool) -> dict:
    """The run proper, while this process holds the output folder: documents read one by one,
    processed in shards on the engine, each finished shard cached and spilled to disk, then the
    corpus step over the spilled records (entities, alignments) and the tables, streamed."""
    RecordSpill.remove_stale(output_dir)  # left by a run that was killed (we hold the lock)
    projection = config.settings.align.projection
    places = resources.knowledge.places
    designators = {lang: places.designators(lang) for lang in config.settings.languages} if places else {}
    forms = align.ProjectionForms(projection, designators, places.place_label if places else None) \
        if "align" in stages and projection.enabled else None
    terms = CorpusTerms()   # acronyms some document defines by a lower-case term and none as a name
    with RecordSpill(output_dir) as spill:
        documents, processed, execution, models = _per_document(input_dir, output_dir, config, stages, files, timer,
                                                                run_settings, worker_imports, show_progress, spill,
                                                                forms, terms)
        # What exists now (modules, resources, models, the projection forms) lives until the run ends:
        # frozen, Python's full collections stop rescanning it. The corpus step makes hundreds of thousands
        # of short-lived objects, and those collections were 0.3 s of an incremental rerun (0.1 s now).
        gc.freeze()
        with OutputStaging(output_dir, config.settings.tables.formats) as staging:
            rows, searched_on = _corpus_step(spill, config, resources, stages, until, staging, timer, forms,
                                             terms.terms(), execution["corpus_processes"])
            execution["projection_processes"] = searched_on
            table_started = time.perf_counter()
            manifest = build_manifest(config, input_dir, started, documents, processed, models, rows, timer.seconds)
            manifest["execution"] = execution
            staging.commit(manifest)
    manifest["stage_seconds"]["tables"] = round(timer.seconds.get("tables", 0.0) + time.perf_counter() - table_started, 3)
    return manifest


def _per_document(input_dir: Path, output_dir: Path, config: LoadedConfig, stages: tuple[str, ...], files: list[Path],
                  timer: StageTimer, run_settings: RunConfig, worker_imports: tuple[str, ...], show_progress: bool,
                  spill: RecordSpill, forms: align.ProjectionForms | None = None, terms: CorpusTerms | None = None
                  ) -> tuple[list[Document], list[str], dict, dict]:
    """Step 1: every document read, taken from the cache or processed on the engine, and spilled at
    its place as soon as it is done (so the driver holds only the shards in flight); each record's
    name forms go to ``forms`` and its term acronyms to ``terms``. Returns the documents (texts
    dropped), the doc_ids processed, the execution record and the models used."""
    cache = DocumentCache(output_dir, config) if "ner" in stages else None
    documents: list[Document] = []  # every input, its text dropped once it is spilled
    processed: list[str] = []
    places: dict[str, int] = {}     # doc_id -> place of a document out at an engine
    bar = _bar(show_progress, len(files))
    bytes_left = _bytes_from_each(files)

    def finish(place: int, record: DocRecord) -> None:
        if forms is not None:
            forms.add(record)  # the name forms cross-lingual projection looks for (one summary per form)
        if terms is not None:
            terms.add(record)
        spill.put(place, record)
        documents[place] = record.document
        record.document.text = ""
        bar.update(1)

    def todo() -> Iterator[tuple[DocRecord, int]]:
        """Documents read one by one; those needing the per-document stages are yielded (with the
        input bytes left from theirs on, for the shard sizes)."""
        for path, left in zip(files, bytes_left):
            record = DocRecord(timer("ingest", read_document, path, input_dir, config.settings.ingest))
            documents.append(record.document)
            place = len(documents) - 1
            if not record.ok:
                finish(place, record)  # ingest already made it a skipped or error row
                continue
            cached = cache.load(record.document) if cache else None
            if cached is None:
                processed.append(record.doc_id)
                places[record.doc_id] = place
                yield record, left
            else:
                finish(place, cached)

    shards = _Lookahead(enumerate(make_shards(todo(), run_settings)))
    engine_name, n_workers = choose_engine(run_settings, 2 if shards.has(2) else 1)
    # The corpus step's projection search may run on as many processes as a run with enough work would
    # use (engine local: one), on this machine's cores, chosen now: after the run, the load average
    # counts this run's own workers. The manifest has this and what ran (projection_processes).
    corpus_processes = min(choose_engine(run_settings, 2)[1], local_cores())
    spec = WorkerSpec(config, stages, run_settings.torch_threads, tuple(worker_imports),
                      malloc_trim_mb=run_settings.malloc_trim_mb)
    models: dict[str, dict] = {}
    workers_seen: set[int] = set()
    n_shards = 0
    if shards.has(1):
        engine_started = time.perf_counter()
        with open_engine(engine_name, process_shard, spec, n_workers, run_settings, init=worker_state) as runner:
            timer.seconds["engine_start"] = round(time.perf_counter() - engine_started, 3)
            for result in runner.map(shards):
                n_shards += 1
                workers_seen.add(result.worker)
                for name, seconds in result.seconds.items():
                    timer.seconds[name] = round(timer.seconds.get(name, 0.0) + seconds, 3)
                models.update(result.models)
                for record in result.records:
                    if cache and record.document.status in ("ok", "skipped"):  # error rows are retried next run
                        cache.save(record)
                    finish(places.pop(record.doc_id), record)
                # Every finished shard is cached before the next one is taken: an interrupted run loses
                # at most the shards in flight.
    bar.close()
    execution = {"engine": engine_name, "workers": n_workers, "shards": n_shards,
                 "worker_processes": len(workers_seen), "shard_limits": list(shard_limits(run_settings)),
                 "tail_split": run_settings.tail_split, "min_shard_seconds": run_settings.min_shard_seconds,
                 "corpus_processes": corpus_processes,
                 "torch_threads": run_settings.torch_threads, "malloc_trim_mb": run_settings.malloc_trim_mb,
                 "ner_batch_size": config.settings.ner.batch_size}
    order = {doc.doc_id: i for i, doc in enumerate(documents)}
    processed.sort(key=order.__getitem__)
    return documents, processed, execution, models


def _bytes_from_each(files: list[Path]) -> list[int]:
    """For each input file, the size in bytes of it and every file after it (0 for a file that
    cannot be read now: reading it will report the problem)."""
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    left, total = [], 0
    for size in reversed(sizes):
        total += size
        left.append(total)
    return left[::-1]


def _corpus_step(spill: RecordSpill, config: LoadedConfig, resources: Resources, stages: tuple[str, ...], until: str,
                 staging: OutputStaging, timer: StageTimer, forms: align.ProjectionForms | None = None,
                 terms: set[str] = frozenset(), processes: int = 1) -> tuple[dict[str, int], int]:
    """Step 2, over the spilled records in doc_id order: entities (pass 1), alignments, then every
    table streamed to ``staging`` (pass 2, which also gives each mention its entity and label).
    With ``forms``, each record first gets its cross-lingual projected mentions (in both passes: a
    pure function of the record and the forms); mentions of the corpus's ``terms`` are dropped then
    (a term is never projected either); the projection search runs on up to ``processes`` forked
    processes (pipeline/run/forked.py: not below 100 documents, nor where forking is unsafe). Returns
    the rows written per table and the processes the projection search ran on (0: none was run)."""
    translation = config.settings.align.methods.get("translation")
    lexicon = resources.method_data.get("translation") if translation is not None and translation.enabled else None
    if forms is not None:
        forms.forget(terms)
    curated = {lang: frozenset(form for entry in entries for form in entry.forms)
               for lang, entries in resources.knowledge.gazetteer.items()}
    projector = align.MentionProjector(forms, config.settings.languages, lexicon, curated) \
        if forms is not None else None
    project = projector.project if projector is not None else (lambda record: 0)
    grouper = EntityGrouper(resources.knowledge, config.settings.normalize.rules.plural_groups)
    entities: list[Entity] = []
    alignments: list[Alignment] = []
    searched_on = 0  # processes the projection search ran on (0: there was none)
    if "normalize" in stages:
        started = time.perf_counter()
        if projector is not None:
            searched_on = search_in_parallel(projector, spill, processes) or 1
        for record in spill.records():
            project(record)
            drop_corpus_terms(record, terms, resources.knowledge)
            grouper.add(record)
        grouper.close()
        entities = grouper.entities()
        timer.seconds["entities"] = round(time.perf_counter() - started, 3)
    if "align" in stages:
        alignments = timer("align", plugins.align_entities, entities, config, resources)
    relabel = align.label_changes(alignments)
    started = time.perf_counter()
    rows = RowWriter(staging, until, entities, alignments)
    for record in spill.records():
        if "normalize" in stages:
            project(record)
            drop_corpus_terms(record, terms, resources.knowledge)
            grouper.assign(record, relabel)
        rows.add(record)
    if "normalize" in stages:
        entities = grouper.entities()  # now with the documents per entity
    rows.finish(entities)
    timer.seconds["tables"] = round(time.perf_counter() - started, 3)
    return staging.close_tables(), searched_on


def _bar(show: bool, total: int):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="documents", unit="doc", file=sys.stderr, leave=False)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass
