"""Evaluation: NER against IOB TSV files, alignment against gold lists (scoring + CLI commands)."""
