# Bilingual entity pipeline. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= raw
OUT ?= processed
CONFIG ?= configs/pipeline.yaml
SET ?=
SET_ARGS := $(foreach s,$(SET),--set $(s))
RUN_ARGS := --input $(RAW) --output $(OUT) --config $(CONFIG) $(SET_ARGS)

.DEFAULT_GOAL := help
.PHONY: help setup run detect ner align tables report diff test test-fast train-id train-id-spacy train-lid evaluate-id evaluate-id-pipeline bench bench-lid evaluate-align-heldout build-lexicon clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "  variables: RAW=$(RAW) OUT=$(OUT) CONFIG=$(CONFIG) SET='key=value ...'; for diff: OLD= NEW= FAIL_ON="

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed ## create .venv and install the project with test extras

run: setup ## process RAW (default raw/) into OUT (default processed/)
	$(PY) -m pipeline run $(RUN_ARGS)

detect: setup ## stage detect only: documents + segments tables
	$(PY) -m pipeline detect $(RUN_ARGS)

ner: setup ## up to NER and normalization: + mentions + entities tables
	$(PY) -m pipeline ner $(RUN_ARGS)

align: setup ## all stages, same as run
	$(PY) -m pipeline align $(RUN_ARGS)

tables: setup ## check OUT's tables against the declared schemas
	$(PY) -m pipeline tables --output $(OUT)

report: setup ## write OUT/report.html: highlighted documents, entities, alignments, charts (one file, no network)
	$(PY) -m pipeline report $(OUT)

diff: setup ## compare two output folders on stable keys: make diff OLD=dir NEW=dir [FAIL_ON=added,removed,changed]
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make diff OLD=<output dir> NEW=<output dir> [FAIL_ON=added]" >&2; exit 2; }
	$(PY) -m pipeline diff $(OLD) $(NEW) $(if $(FAIL_ON),--fail-on $(FAIL_ON))

test: setup ## run the whole test suite (import floors first: lint-imports)
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q

test-fast: setup ## unit tests only (no model loading, no ../shared), plus the import floors
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -m "not models and not shared and not slow"

$(VENV)/.train-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[train,test]'
	touch $@

train-id: $(VENV)/.train-installed ## retrain the default Indonesian NER model (stanza, ~1 h) into models/ (needs ../shared/data)
	OMP_NUM_THREADS=1 $(PY) -m pipeline.training

train-id-spacy: $(VENV)/.train-installed ## train the other backend (spaCy, ~30 min) into models/id_ner_spacy
	OMP_NUM_THREADS=1 $(PY) -m pipeline.training --backend spacy

train-lid: $(VENV)/.train-installed ## retrain the language-id model (models/lid, deterministic; needs ../shared/data/lid)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pipeline.training.langid

evaluate-id: setup ## score the Indonesian model on the four valid/dev splits (BACKEND=spacy for the other)
	for split in nergrit/valid nerp/valid nerui/dev idner-news-2k/dev; do \
	  $(PY) -m pipeline evaluate ner --lang id $(if $(BACKEND),--backend $(BACKEND)) --data ../shared/data/id-ner/$$split.tsv || exit 1; done

NERUI_DEV ?= ../shared/data/id-ner/nerui/dev.tsv
evaluate-id-pipeline: setup ## the whole pipeline on held-out news (NER-UI dev): model alone vs all rules vs each rule off
	$(PY) -m pipeline.eval.pipeline_check --data $(NERUI_DEV) --json benchmarks/pipeline_id.json

SCALE_RSS_SIZES ?= 1000,5000
bench: setup ## benchmarks: NER throughput, language id, alignment scaling, scale-out (SCALE_RSS_SIZES=1000,5000,20000 adds the 20k memory probe, ~15 min; SCALE=0 skips scale)
	SCALE_RSS_SIZES=$(SCALE_RSS_SIZES) $(PY) -m benchmarks.run

$(VENV)/.lid-compare-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[lid-compare,test]'
	touch $@

bench-lid: $(VENV)/.lid-compare-installed ## language-id benchmark: our detector vs langdetect, lingua, fastText
	$(PY) -m benchmarks.lid

HELDOUT_OUT ?=
HELDOUT ?= a b c d e f g h i j k l m n o
evaluate-align-heldout: setup ## score alignment on the golds A-H (NTREX news), I-K (FLORES-200) and L-O (TICO-19; O the last held-out one) (documents built from ../shared into a temp folder; HELDOUT=n for one; HELDOUT_OUT=dir keeps the runs in dir/a ... dir/o)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for set in $(HELDOUT); do \
	  out=$${HELDOUT_OUT:+$$HELDOUT_OUT/$$set}; out=$${out:-$$tmp/out-$$set}; \
	  gold=$$($(PY) -c "from benchmarks.heldout_align import SETS; print(SETS['$$set'][1])") && \
	  echo "== held-out gold $$set ($$gold)" && \
	  $(PY) -m benchmarks.heldout_align build "$$tmp/docs-$$set" --set $$set && \
	  $(PY) -m pipeline run --input "$$tmp/docs-$$set" --output "$$out" --config $(CONFIG) $(SET_ARGS) --quiet && \
	  $(PY) -m pipeline evaluate align --gold "$$gold" --output "$$out" && \
	  $(PY) -m benchmarks.heldout_align methods "$$out" --set $$set || exit 1; \
	done

build-lexicon: $(VENV)/.train-installed ## build the bilingual lexicon models/lexicon/ from ../shared/data (dictionaries, aligned parallel text, CLDR names)
	OMP_NUM_THREADS=1 $(PY) -m pipeline.training.lexicon

clean: setup ## remove what the pipeline wrote in OUT (tables, manifest, report, OUT/.pipeline cache) and nothing else
	$(PY) -m pipeline clean --output $(OUT)
	rm -rf .pytest_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
