"""The ``evaluate`` commands: score the configured NER model on an IOB file, or an output folder's
alignments against a gold list."""
from __future__ import annotations

import time

from pipeline.config import ModelConfig, load_config
from pipeline.config.load import PROJECT_ROOT
from pipeline.config.recipe import dataset_label_map, load_recipe
from pipeline.errors import ConfigError
from pipeline.eval.conll import TaggedSentence, map_tags, read_iob_tsv, repair_iob
from pipeline.eval.scoring import aligned_forms, read_gold_alignments, score_alignments, score_ner
from pipeline.output.tables import read_table
from pipeline.plugins import load_ner_backend, load_resources, ner_backends


def evaluate_ner_command(args) -> dict:
    """``evaluate ner``: score the configured (or given) model for a language on an IOB TSV file."""
    config = load_config(args.config)
    configured = config.settings.ner.models.get(args.lang)
    if configured is None:
        raise ConfigError(f"{config.path}: ner.models.{args.lang}: no model configured for '{args.lang}'")
    backend_name = args.backend or configured.backend
    ner_backends.get(backend_name, key="--backend" if args.backend else f"ner.models.{args.lang}.backend")
    if args.model:
        models = [args.model]
    elif backend_name == configured.backend:
        models = configured.model
    else:  # another backend than configured: its model from the training recipe (models/id_ner_<backend>)
        spec = load_recipe()["backends"].get(backend_name)
        if spec is None:
            raise ConfigError(f"--backend {backend_name}: no such backend in configs/train_id.yaml; pass --model")
        models = [str(PROJECT_ROOT / spec["output"])]
    model = ModelConfig(backend=backend_name, model=models, label_map=configured.label_map)
    try:
        gold = read_iob_tsv(args.data)
    except OSError as exc:
        raise ConfigError(f"--data {args.data}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise ConfigError(f"--data {exc}") from None
    tag_map = dataset_label_map(load_recipe())
    unknown = sorted({t.partition("-")[2] for s in gold for t in s.tags if t != "O"} - set(tag_map))
    if unknown:
        raise ConfigError(f"--data {args.data}: unknown tag label(s) {', '.join(unknown)}; "
                          "add them to a dataset's labels in configs/train_id.yaml")
    gold = [TaggedSentence(s.words, tuple(repair_iob(map_tags(s.tags, tag_map)))) for s in gold]
    backend = load_ner_backend(model, config, key="--model" if args.model else f"ner.models.{args.lang}.model")
    label_map = load_resources(config).knowledge.label_maps[model.label_map]

    class Mapped:
        def tag_tokens(self, sentences):
            return [{(s, e, label_map.get(lab, "MISC")) for s, e, lab in spans}
                    for spans in backend.tag_tokens(sentences)]

    started = time.perf_counter()
    report = score_ner(Mapped(), gold, ("PER", "ORG", "LOC"))
    seconds = time.perf_counter() - started
    report.update({"data": str(args.data), "lang": args.lang, "backend": model.backend,
                   "model": backend.name, "seconds": round(seconds, 2),
                   "words_per_second": round(report["words"] / seconds) if seconds else None})
    return report


def evaluate_align_command(args) -> dict:
    """``evaluate align``: score an output folder's alignments against a gold TSV."""
    try:
        table = read_table(args.output, "alignments").to_pylist()
    except OSError as exc:
        raise ConfigError(f"--output {args.output}: no alignments.parquet there ({exc}); run the pipeline first") from None
    try:
        entities = read_table(args.output, "entities").to_pylist()
    except OSError as exc:
        raise ConfigError(f"--output {args.output}: no entities.parquet there ({exc}); run the pipeline first") from None
    gold = read_gold_alignments(args.gold)
    report = score_alignments(aligned_forms(table, entities), gold)
    # The same by the terms shown alone (how earlier figures were scored), for comparison.
    terms_only = score_alignments([(r["en_term"], r["id_term"]) for r in table], gold)
    report["terms_only"] = {key: terms_only[key] for key in ("correct", "gold_found", "precision", "recall")}
    report["gold_file"] = str(args.gold)
    return report


def format_report(report: dict) -> str:
    """Human-readable lines for an evaluation report."""
    if "per_label" in report:
        lines = [f"{report['data']}: {report['sentences']} sentences, {report['words']} words, "
                 f"backend {report['backend']} ({report['model']}), {report['words_per_second']} words/s",
                 f"{'label':<8}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}"]
        rows = list(report["per_label"].items()) + [("micro*", report["micro"])]
        for label, s in rows:
            lines.append(f"{label:<8}{s['precision']:>8.2f}{s['recall']:>8.2f}{s['f1']:>8.2f}"
                         f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
        lines.append(f"* micro average over {', '.join(report['micro_labels'])}")
        return "\n".join(lines)
    lines = [f"alignments: {report['predicted']} predicted, {report['gold']} gold; precision {report['precision']:.2f}, "
             f"recall {report['recall']:.2f}, F1 {report['f1']:.2f}"]
    if "terms_only" in report:
        lines.append(f"  (by the terms shown alone: precision {report['terms_only']['precision']:.2f}, "
                     f"recall {report['terms_only']['recall']:.2f})")
    lines += [f"  wrong:  {w}" for w in report["wrong"]] + [f"  missed: {m}" for m in report["missed"]]
    return "\n".join(lines)
