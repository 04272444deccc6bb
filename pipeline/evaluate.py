"""Evaluation: NER against IOB TSV files, alignment against a gold list."""
from __future__ import annotations

from typing import Iterable, Protocol, Sequence

from pipeline.conll import SpanScores, Span, TaggedSentence, iob_to_spans


class PretokenizedTagger(Protocol):
    """Anything that labels pre-tokenized sentences with entity spans (token offsets)."""

    def tag_tokens(self, sentences: Sequence[Sequence[str]]) -> list[set[Span]]: ...


def score_ner(tagger: PretokenizedTagger, sentences: list[TaggedSentence],
              micro_labels: Iterable[str]) -> dict:
    """Entity-level precision/recall/F1 of a tagger on gold sentences (exact span + label)."""
    predicted = tagger.tag_tokens([s.words for s in sentences])
    scores = SpanScores()
    for sentence, spans in zip(sentences, predicted):
        scores.add(iob_to_spans(sentence.tags), spans)
    report = scores.report(micro_labels)
    report["sentences"] = len(sentences)
    report["words"] = sum(len(s.words) for s in sentences)
    return report


def dataset_label_map() -> dict[str, str | None]:
    """Every dataset tag the training recipe knows (all its datasets) plus our own labels."""
    from pipeline.config import LABELS
    from pipeline.training import DEFAULT_RECIPE, load_recipe

    mapping: dict[str, str | None] = {label: label for label in LABELS}
    for spec in load_recipe(DEFAULT_RECIPE)["datasets"].values():
        mapping.update(spec["labels"])
    return mapping


def evaluate_ner_command(args) -> dict:
    """``evaluate ner``: score the configured (or given) model for a language on an IOB TSV file."""
    import time

    from pipeline.config import ModelConfig, load_config
    from pipeline.conll import map_tags, read_iob_tsv, repair_iob
    from pipeline.errors import ConfigError
    from pipeline.registry import ner_backends
    from pipeline.resources import load_label_maps

    config = load_config(args.config)
    configured = config.settings.ner.models.get(args.lang)
    if configured is None:
        raise ConfigError(f"{config.path}: ner.models.{args.lang}: no model configured for '{args.lang}'")
    backend_name = args.backend or configured.backend
    if args.model:
        models = [args.model]
    elif backend_name == configured.backend:
        models = configured.model
    else:  # another backend than configured: its model from the training recipe (models/id_ner_<backend>)
        from pipeline.training import DEFAULT_RECIPE, PROJECT_ROOT, load_recipe

        spec = load_recipe(DEFAULT_RECIPE)["backends"].get(backend_name)
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
    tag_map = dataset_label_map()
    unknown = sorted({t.partition("-")[2] for s in gold for t in s.tags if t != "O"} - set(tag_map))
    if unknown:
        raise ConfigError(f"--data {args.data}: unknown tag label(s) {', '.join(unknown)}; "
                          "add them to a dataset's labels in configs/train_id.yaml")
    gold = [TaggedSentence(s.words, tuple(repair_iob(map_tags(s.tags, tag_map)))) for s in gold]
    backend = ner_backends.get(model.backend)(model, config)
    label_map = load_label_maps(config.resolve(config.settings.normalize.labels))[model.label_map]

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


def read_gold_alignments(path) -> list[dict]:
    """Gold pairs: TSV with columns type, en, id, en_aliases, id_aliases (aliases '|'-separated)."""
    import csv

    from pipeline.errors import ConfigError
    from pipeline.normalize import normalized_key

    rows = []
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader((l for l in handle if l.strip() and not l.startswith("#")), delimiter="\t")
            for row in reader:
                en = [row["en"], *filter(None, (row.get("en_aliases") or "").split("|"))]
                ind = [row["id"], *filter(None, (row.get("id_aliases") or "").split("|"))]
                rows.append({"type": row["type"], "en": row["en"], "id": row["id"],
                             "en_keys": {normalized_key(f) for f in en},
                             "id_keys": {normalized_key(f) for f in ind}})
    except (OSError, KeyError) as exc:
        raise ConfigError(f"--gold {path}: cannot read a TSV with columns type, en, id, en_aliases, "
                          f"id_aliases ({exc})") from None
    return rows


def score_alignments(predicted: list[tuple[str, str]], gold: list[dict]) -> dict:
    """Precision over predicted (en_term, id_term) pairs and recall over gold rows."""
    from pipeline.normalize import normalized_key

    def matches(pair, row):
        return normalized_key(pair[0]) in row["en_keys"] and normalized_key(pair[1]) in row["id_keys"]

    correct = [p for p in predicted if any(matches(p, row) for row in gold)]
    found = [row for row in gold if any(matches(p, row) for p in predicted)]
    precision = len(correct) / len(predicted) if predicted else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"predicted": len(predicted), "gold": len(gold), "correct": len(correct), "gold_found": len(found),
            "precision": round(100 * precision, 2), "recall": round(100 * recall, 2), "f1": round(100 * f1, 2),
            "wrong": sorted(f"{p[0]} = {p[1]}" for p in predicted if p not in correct),
            "missed": sorted(f"{r['en']} = {r['id']}" for r in gold if r not in found)}


def evaluate_align_command(args) -> dict:
    """``evaluate align``: score an output folder's alignments against a gold TSV."""
    from pipeline.errors import ConfigError
    from pipeline.tables import read_table

    try:
        table = read_table(args.output, "alignments").to_pylist()
    except OSError as exc:
        raise ConfigError(f"--output {args.output}: no alignments.parquet there ({exc}); run the pipeline first") from None
    report = score_alignments([(r["en_term"], r["id_term"]) for r in table], read_gold_alignments(args.gold))
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
    lines += [f"  wrong:  {w}" for w in report["wrong"]] + [f"  missed: {m}" for m in report["missed"]]
    return "\n".join(lines)
