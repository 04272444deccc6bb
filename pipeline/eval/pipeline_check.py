"""A held-out check of the whole pipeline (not only the model) on real news: documents built from an
IOB TSV split (detokenized sentences, ~10 per document, written to a temporary folder, never kept),
``python -m pipeline run`` over them, and the mentions scored against the gold spans mapped to
character offsets (exact span and label, micro-averaged over PER/ORG/LOC; GPE counts as LOC, since
the datasets have no GPE).

Configurations: the model alone (every rule off), all rules on, and each rule switched off in turn
(ablation). Each run is a subprocess of the real command line, so what is measured is what users run.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.tags import tag_spans
from pipeline.eval.conll import SpanScores, TaggedSentence, map_tags, read_iob_tsv, repair_iob
from pipeline.output.tables import read_table

SCORED = ("PER", "ORG", "LOC")
TAG_MAP = {"PERSON": "PER", "PER": "PER", "ORGANIZATION": "ORG", "ORG": "ORG", "LOCATION": "LOC", "LOC": "LOC",
           "GPE": "LOC"}
SCORE_MAP = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}   # pipeline label -> scored label

# Every rule's switch (configs/pipeline.yaml); the model alone has them all off.
RULES = {
    "gazetteer": "ner.rules.gazetteer",
    "name_patterns": "ner.rules.name_patterns",
    "law_patterns": "ner.rules.law_patterns",
    "structural_patterns": "ner.rules.structural_patterns",
    "numeric": "ner.rules.numeric",
    "acronyms": "normalize.acronyms",
    "acronym_evidence": "normalize.rules.acronym_evidence",
    "term_acronyms": "normalize.rules.term_acronyms",
    "propagate": "normalize.propagate",
    "known_labels": "normalize.rules.known_labels",
    "place_knowledge": "normalize.rules.place_knowledge",
    "language_names": "normalize.rules.language_names",
    "designators": "normalize.rules.designators",
    "whole_words": "normalize.rules.whole_words",
    "person_titles": "normalize.rules.person_titles",
    "line_breaks": "normalize.rules.line_breaks",
    "lists": "normalize.rules.lists",
    "ampersand_names": "normalize.rules.ampersand_names",
    "verbatim_english_names": "normalize.rules.verbatim_english_names",
    "time_zones": "normalize.rules.time_zones",
    "country_prefix": "normalize.rules.country_prefix",
}

NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "”", "’"}
NO_SPACE_AFTER = {"(", "[", "{", "“", "‘"}


@dataclass
class GoldDocument:
    doc_id: str                        # as the pipeline names it: the file name (with .txt)
    text: str
    spans: set[tuple[int, int, str]]   # character offsets, scored label


def detokenize(words: tuple[str, ...]) -> tuple[str, list[tuple[int, int]]]:
    """A sentence's text from its tokens (no space before closing punctuation, none inside quotes or
    brackets) and each token's character offsets in it."""
    text = ""
    offsets = []
    open_quote = False
    previous = ""
    for word in words:
        space = bool(text)
        if word in NO_SPACE_BEFORE or previous in NO_SPACE_AFTER:
            space = False
        if word == '"':
            if open_quote:
                space = False
            open_quote = not open_quote
        elif previous == '"' and open_quote:
            space = False
        text += " " if space else ""
        offsets.append((len(text), len(text) + len(word)))
        text += word
        previous = word
    return text, offsets


def build_documents(sentences: list[TaggedSentence], per_document: int = 10) -> list[GoldDocument]:
    """Group sentences into documents of ``per_document`` sentences with gold spans in character offsets."""
    documents = []
    for first in range(0, len(sentences), per_document):
        text, spans = "", set()
        for sentence in sentences[first:first + per_document]:
            sentence_text, offsets = detokenize(sentence.words)
            base = len(text) + (1 if text else 0)
            text += (" " if text else "") + sentence_text
            tags = repair_iob(map_tags(sentence.tags, TAG_MAP | _other_tags(sentence)))
            for start, end, label in tag_spans(tags):
                if label in SCORED:
                    spans.add((base + offsets[start][0], base + offsets[end - 1][1], label))
        documents.append(GoldDocument(f"doc{first // per_document:04d}.txt", text + "\n", spans))
    return documents


def _other_tags(sentence: TaggedSentence) -> dict[str, None]:
    """Tags outside PER/ORG/LOC are not scored (mapped to O)."""
    return {t.partition("-")[2]: None for t in sentence.tags if t != "O" and t.partition("-")[2] not in TAG_MAP}


def write_documents(documents: list[GoldDocument], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        (folder / doc.doc_id).write_text(doc.text, encoding="utf-8")


def score_output(output: Path, documents: list[GoldDocument]) -> dict:
    """Exact-span scores of an output folder's mentions against the gold documents."""
    rows = read_table(output, "mentions").to_pylist()
    predicted: dict[str, set] = {doc.doc_id: set() for doc in documents}
    for row in rows:
        label = SCORE_MAP.get(row["label"])
        if label and row["doc_id"] in predicted:
            predicted[row["doc_id"]].add((row["start_char"], row["end_char"], label))
    scores = SpanScores()
    for doc in documents:
        scores.add(doc.spans, predicted[doc.doc_id])
    report = scores.report(SCORED)
    statuses = Counter(r["status"] for r in read_table(output, "documents").to_pylist())
    report["documents"] = dict(statuses)
    return report


def configurations(rules: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Name -> --set overrides: the model alone, all rules, and all rules but one (each in turn)."""
    rules = rules or RULES
    configs = {"model_alone": [f"{key}=false" for key in rules.values()], "all_rules": []}
    for name, key in rules.items():
        configs[f"without_{name}"] = [f"{key}=false"]
    return configs


def run_pipeline_cli(input_dir: Path, output_dir: Path, overrides: list[str], config: Path | None = None) -> None:
    command = [sys.executable, "-m", "pipeline", "run", "--input", str(input_dir), "--output", str(output_dir),
               "--quiet"]
    if config:
        command += ["--config", str(config)]
    for override in overrides:
        command += ["--set", override]
    subprocess.run(command, check=True)


def evaluate_pipeline(data: Path, per_document: int = 10, config: Path | None = None,
                      only: list[str] | None = None, workdir: Path | None = None) -> dict:
    """Build documents from ``data``, run the pipeline under each configuration, score each run.

    The documents live in a temporary folder (``workdir`` to keep them for inspection)."""
    documents = build_documents(read_iob_tsv(data), per_document)
    configs = configurations()
    if only:
        configs = {name: sets for name, sets in configs.items() if name in only}
    with tempfile.TemporaryDirectory(prefix="pipeline-check-") as tmp:
        root = Path(workdir) if workdir else Path(tmp)
        write_documents(documents, root / "input")
        results = {}
        for name, overrides in configs.items():
            output = root / f"out_{name}"
            run_pipeline_cli(root / "input", output, overrides, config)
            results[name] = score_output(output, documents)
    report = {"data": str(data), "documents": len(documents), "gold_mentions": sum(len(d.spans) for d in documents),
              "per_document": per_document, "results": results}
    if "all_rules" in results:
        full = results["all_rules"]["micro"]["f1"]
        report["deltas"] = {name.removeprefix("without_"): round(full - r["micro"]["f1"], 2)
                            for name, r in results.items() if name.startswith("without_")}
        if "model_alone" in results:
            report["pipeline_minus_model"] = round(full - results["model_alone"]["micro"]["f1"], 2)
    return report


def format_pipeline_report(report: dict) -> str:
    lines = [f"{report['data']}: {report['documents']} documents of {report['per_document']} sentences, "
             f"{report['gold_mentions']} gold PER/ORG/LOC mentions (GPE scored as LOC)",
             f"{'configuration':<28}{'P':>8}{'R':>8}{'F1':>8}{'PER':>8}{'ORG':>8}{'LOC':>8}  rule's delta"]
    for name, r in report["results"].items():
        per = {lab: r["per_label"].get(lab, {}).get("f1", 0.0) for lab in SCORED}
        delta = report.get("deltas", {}).get(name.removeprefix("without_"), "") if name.startswith("without_") else ""
        lines.append(f"{name:<28}{r['micro']['precision']:>8.2f}{r['micro']['recall']:>8.2f}{r['micro']['f1']:>8.2f}"
                     f"{per['PER']:>8.2f}{per['ORG']:>8.2f}{per['LOC']:>8.2f}  {delta}")
    if "pipeline_minus_model" in report:
        lines.append(f"all rules - model alone: {report['pipeline_minus_model']:+.2f} F1")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.eval.pipeline_check", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="IOB TSV (e.g. ../shared/data/id-ner/nerui/dev.tsv)")
    parser.add_argument("--per-document", type=int, default=10)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="configuration names (default: all)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the documents and outputs here (default: a temporary folder, deleted)")
    args = parser.parse_args(argv)
    report = evaluate_pipeline(args.data, args.per_document, args.config, args.only, args.workdir)
    print(format_pipeline_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
