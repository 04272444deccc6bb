"""Shared fixtures: paths, the real corpus (skipped when ../shared is absent), pipeline runs."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
ID_NER = SHARED / "data" / "id-ner"
EN_DOC = "000_bfd6623a55b397c0"
ID_DOC = "001_4425e063a098025e"
EN_DOC_2 = "002_bf039bbfd1596b93"


def need_shared(path: Path) -> Path:
    """Skip the calling test, with a reason, when a ../shared resource is absent (a user's clone)."""
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (real corpus / training data) is only on project machines")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return need_shared(CORPUS)


@pytest.fixture(scope="session")
def corpus_run(corpus_dir, tmp_path_factory) -> Path:
    """One full pipeline run over ../shared/corpus, shared by the end-to-end tests."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("corpus_out")
    assert main(["run", "--input", str(corpus_dir), "--output", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="session")
def raw_run(tmp_path_factory) -> Path:
    """One full pipeline run over the project's own sample documents in raw/."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("raw_out")
    assert main(["run", "--input", str(ROOT / "raw"), "--output", str(out), "--quiet"]) == 0
    return out


def rows(output: Path, table: str) -> list[dict]:
    """A table of an output folder as a list of dicts."""
    from pipeline.output.tables import read_table

    return read_table(output, table).to_pylist()
