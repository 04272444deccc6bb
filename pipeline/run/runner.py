"""Wire the stages together: ingest -> detect -> ner -> normalize (per document) -> entities ->
align (per corpus) -> tables.

The per-document part fills one ``DocRecord`` per document and reuses cached records; the corpus
part reads records only. This module knows the order, turns per-document failures into rows,
times the stages and writes the outputs; what each stage does lives in ``pipeline/stages``.
Models are loaded once per run, only for the languages that uncached documents need.
"""
from __future__ import annotations

import logging
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from pipeline import plugins
from pipeline.config import LoadedConfig
from pipeline.core.records import Alignment, DocRecord, Entity
from pipeline.output.rows import build_tables
from pipeline.output.tables import recover_output, write_outputs
from pipeline.resources import Resources
from pipeline.errors import ConfigError
from pipeline.run.cache import DocumentCache
from pipeline.run.lock import OutputLock
from pipeline.run.manifest import build_manifest
from pipeline.stages import align, ner
from pipeline.stages.detect import detect_record
from pipeline.stages.ingest import ingest
from pipeline.stages.normalize import group_record_entities, normalize_record

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
    """NER models loaded on first use, once each; what was loaded is recorded for the manifest."""

    def __init__(self, config: LoadedConfig):
        self.config = config
        self.loaded: dict[str, object] = {}
        self.identities: dict[str, dict] = {}

    def __call__(self, lang: str):
        if lang not in self.loaded:
            model = self.config.settings.ner.models[lang]
            backend = plugins.load_ner_backend(model, self.config, f"ner.models.{lang}.model")
            self.loaded[lang] = backend
            self.identities[lang] = {"backend": model.backend, "name": backend.name, "version": backend.version,
                                     "label_map": model.label_map}
        return self.loaded[lang]


def process_documents(records: list[DocRecord], config: LoadedConfig, resources: Resources, models: ModelPool,
                      stages: tuple[str, ...], timer: StageTimer, show_progress: bool = False) -> None:
    """The per-document stages over a batch of records (detect, then NER, then normalize)."""
    s = config.settings
    progress = _progress(show_progress)
    if "detect" in stages and any(r.ok for r in records):
        detector = plugins.build_detector(s.detect, s.languages, config)
        ok = [r for r in records if r.ok]
        timer("detect", _isolated, progress(ok, "detect", len(ok)), "detect",
              lambda r: detect_record(r, detector, s.detect, s.languages))
    if "ner" in stages:
        timer("ner", ner.annotate_records, records, models, resources, s.ner, s.languages, progress)
    if "normalize" in stages:
        model_names = {lang: m.label_map for lang, m in s.ner.models.items()}
        timer("normalize", _isolated, records, "normalize",
              lambda r: normalize_record(r, model_names, resources.knowledge, s.normalize.acronyms,
                                         s.normalize.propagate, s.normalize.rules))


def run_pipeline(input_dir: Path, output_dir: Path, config: LoadedConfig, until: str = "align",
                 show_progress: bool = False) -> dict:
    """Run the stages up to ``until`` and write the tables they produce plus the manifest."""
    started = datetime.now(timezone.utc)
    stages = STAGES_UNTIL[until]
    timer = StageTimer()
    input_dir, output_dir = check_folders(Path(input_dir), Path(output_dir))
    resources = plugins.load_resources(config)
    records = [DocRecord(doc) for doc in timer("ingest", ingest, input_dir, config.settings.ingest)]
    if not records:
        raise ConfigError(f"--input {input_dir}: no documents found (files matching "
                          f"{', '.join(config.settings.ingest.patterns)}); nothing was written")
    with OutputLock(output_dir):
        return _run_locked(input_dir, output_dir, config, stages, until, records, resources, timer, started,
                           show_progress)


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
                records: list[DocRecord], resources: Resources, timer: StageTimer, started: datetime,
                show_progress: bool) -> dict:
    """The run proper, while this process holds the output folder."""
    recover_output(output_dir)  # staging left by a run that died: finish it or drop it
    cache = DocumentCache(Path(output_dir), config) if "ner" in stages else None
    todo: list[DocRecord] = []
    for index, record in enumerate(records):
        if not record.ok:
            continue  # ingest already made it a skipped or error row
        cached = cache.load(record.document) if cache else None
        if cached is None:
            todo.append(record)
        else:
            records[index] = cached
    models = ModelPool(config)
    process_documents(todo, config, resources, models, stages, timer, show_progress)
    if cache:
        for record in todo:
            if record.document.status in ("ok", "skipped"):  # error rows are retried next run
                cache.save(record)

    entities: list[Entity] = []
    alignments: list[Alignment] = []
    if "normalize" in stages:
        entities = timer("entities", group_record_entities, records, resources.knowledge)
    if "align" in stages:
        alignments = timer("align", align.align, entities, plugins.alignment_methods(config, resources),
                           resources.knowledge, config.settings.align.min_score, resources.shared.get("names"))
        align.relabel_mentions(records, alignments)

    table_started = time.perf_counter()
    tables = build_tables(records, entities, alignments, until)
    processed = [r.doc_id for r in todo]
    manifest = build_manifest(config, input_dir, started, records, processed, models.identities, tables,
                              timer.seconds)
    write_outputs(Path(output_dir), tables, manifest, config.settings.tables.formats)
    manifest["stage_seconds"]["tables"] = round(time.perf_counter() - table_started, 3)
    return manifest
