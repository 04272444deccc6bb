"""Command line: ``python -m pipeline run|detect|ner|align|tables|evaluate|report|diff``.

Exit status (see ../shared/CONTRACT.md): 0 when the run completed, 2 for bad
usage or configuration, 1 for an unexpected failure.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from pipeline.errors import ConfigError, PipelineError


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, type=Path, help="folder of *.txt / *.md documents")
    parser.add_argument("--output", required=True, type=Path, help="folder for the tables and manifest")
    parser.add_argument("--config", type=Path, default=None, help="pipeline config (default configs/pipeline.yaml)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config key, e.g. --set align.methods.glossary.enabled=false")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--engine", choices=["auto", "local", "processes", "dask"], default=None,
                        help="where the per-document stages run (default: run.engine in the config, auto)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes (default: run.workers; 0: one per free core)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="dask: an existing scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per stage."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    helps = {"run": "all stages: documents, segments, mentions, entities, alignments",
             "detect": "up to language detection: documents, segments",
             "ner": "up to NER and normalization: + mentions, entities",
             "align": "all stages (same as run)"}
    for name, text in helps.items():
        _add_run_arguments(sub.add_parser(name, help=text, description=text))
    tables = sub.add_parser("tables", help="check an output folder's tables against the declared schemas")
    tables.add_argument("--output", required=True, type=Path)
    clean = sub.add_parser("clean", help="remove what the pipeline wrote in an output folder (and nothing else)")
    clean.add_argument("--output", required=True, type=Path)

    evaluate = sub.add_parser("evaluate", help="score NER or alignment against gold data")
    ev = evaluate.add_subparsers(dest="what", required=True)
    ner = ev.add_parser("ner", help="entity-level P/R/F1 on a token<TAB>tag file")
    ner.add_argument("--lang", required=True, choices=["id", "en"])
    ner.add_argument("--data", required=True, type=Path, help="IOB TSV file (token<TAB>tag, blank line between sentences)")
    ner.add_argument("--backend", default=None, help="NER backend (default: the one configured for --lang)")
    ner.add_argument("--model", default=None, help="model name or path (default: the configured one)")
    ner.add_argument("--config", type=Path, default=None)
    ner.add_argument("--json", type=Path, default=None, help="also write the scores as JSON")
    align_ = ev.add_parser("align", help="precision/recall of alignments against a gold TSV")
    align_.add_argument("--gold", required=True, type=Path, help="TSV: type en id en_aliases id_aliases")
    align_.add_argument("--output", required=True, type=Path, help="an output folder holding alignments.parquet")
    align_.add_argument("--json", type=Path, default=None)
    report = sub.add_parser("report", help="write one self-contained HTML report of an output folder")
    report.add_argument("output", type=Path, metavar="OUT", help="an output folder")
    report.add_argument("--html", type=Path, default=None, help="where to write it (default OUT/report.html)")
    report.add_argument("--input", type=Path, default=None,
                        help="where the input documents are (default: the input recorded in OUT/manifest.json)")
    diff = sub.add_parser("diff", help="compare two output folders table by table on stable keys")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--json", type=Path, default=None, help="also write the whole diff as JSON")
    diff.add_argument("--fail-on", default="", metavar="KINDS",
                      help="exit 1 when changes of these kinds are present: added,removed,changed")
    diff.add_argument("--tolerance", type=float, default=1e-9,
                      help="numbers closer than this are equal, e.g. 0.01 for scores (default 1e-9)")
    diff.add_argument("--limit", type=int, default=5, help="rows of each kind shown per table (default 5)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the command, map errors to exit codes."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return _dispatch(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: the previous outputs are untouched; documents already processed are cached, "
              "so a rerun continues from there", file=sys.stderr)
        return 130  # the shell's convention for a run stopped by Ctrl-C (128 + SIGINT)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stdout = open(os.devnull, "w")
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    from pipeline.config import load_config

    if args.command in ("run", "detect", "ner", "align"):
        from pipeline.run.runner import run_pipeline

        config = load_config(args.config, args.overrides)
        until = "align" if args.command == "run" else args.command
        show_progress = not args.quiet and sys.stderr.isatty()
        if args.workers is not None and args.workers < 0:
            raise ConfigError(f"--workers {args.workers}: must be 0 (one per free core) or more")
        manifest = run_pipeline(args.input, args.output, config, until=until, show_progress=show_progress,
                                engine=args.engine, workers=args.workers, scheduler=args.scheduler)
        if not args.quiet:
            statuses = {}
            for item in manifest["inputs"]:
                statuses[item["status"]] = statuses.get(item["status"], 0) + 1
            rows = ", ".join(f"{k} {v}" for k, v in manifest["rows"].items())
            print(f"{len(manifest['inputs'])} documents ({', '.join(f'{v} {k}' for k, v in sorted(statuses.items()))}); "
                  f"rows: {rows}; written to {args.output}")
        return 0
    if args.command == "tables":
        from pipeline.output.tables import check_tables

        problems = check_tables(args.output)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"{args.output}: all tables match the declared schemas")
        return 1 if problems else 0
    if args.command == "clean":
        from pipeline.output.tables import remove_outputs

        removed = remove_outputs(args.output) if args.output.is_dir() else []
        print(f"{args.output}: removed {', '.join(removed) if removed else 'nothing'}")
        return 0
    if args.command == "evaluate":
        from pipeline.eval import commands as evaluate

        report = evaluate.evaluate_ner_command(args) if args.what == "ner" else evaluate.evaluate_align_command(args)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(evaluate.format_report(report))
        return 0
    if args.command == "report":
        from pipeline.output.report import build_report

        if not args.output.is_dir():
            raise ConfigError(f"{args.output}: no such output folder")
        path = build_report(args.output, args.html, input_dir=args.input)
        print(f"report written to {path}")
        return 0
    if args.command == "diff":
        from pipeline.output import diff as table_diff

        try:
            kinds = table_diff.parse_fail_on(args.fail_on)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        for folder in (args.old, args.new):
            if not folder.is_dir():
                raise ConfigError(f"{folder}: no such output folder")
        result = table_diff.diff_outputs(args.old, args.new, tolerance=args.tolerance)
        if args.json:
            table_diff.write_json(result, args.json)
        print(table_diff.format_summary(result, limit=args.limit))
        return 1 if table_diff.fails(result, kinds) else 0
    raise ConfigError(f"unknown command {args.command}")  # pragma: no cover
