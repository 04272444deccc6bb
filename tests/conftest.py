"""Shared fixtures: paths, the real corpus (skipped when ../shared is absent), pipeline runs."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import plugins

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
ID_NER = SHARED / "data" / "id-ner"
EN_DOC = "000_bfd6623a55b397c0.txt"   # doc_ids keep their file suffix
ID_DOC = "001_4425e063a098025e.txt"
EN_DOC_2 = "002_bf039bbfd1596b93.txt"


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


# ---------------------------------------------------------------- fake parts (no models, milliseconds)

SEEN: dict[str, list[str]] = {}


class FakeBackend:
    """Tags every capitalised word as ORG (a label both label maps know); fails on 'BOOM', and
    behaves as if Ctrl-C were pressed on 'CTRLC'."""

    version = "0"

    def __init__(self, lang):
        self.name = f"fake-{lang}"
        self.lang = lang

    def annotate(self, texts):
        SEEN.setdefault(self.lang, []).extend(texts)
        if any("BOOM" in t for t in texts):
            raise RuntimeError("the model cannot read this")
        if any("CTRLC" in t for t in texts):
            raise KeyboardInterrupt  # what Ctrl-C raises in the middle of a model call
        results = []
        for text in texts:
            spans, cursor = [], 0
            for word in text.split():
                start = text.index(word, cursor)
                cursor = start + len(word)
                clean = word.strip(".,")
                if clean[:1].isupper() and clean.lower() not in ("the", "di"):
                    spans.append((start, start + len(clean), "ORG"))
            results.append((spans, len(text.split())))
        return results


ENGLISH = {"the", "of", "and", "was", "by", "its"}
INDONESIAN = {"di", "oleh", "dan", "yang", "selama", "dilatih", "pasukan", "beberapa", "tahun", "setiap", "para"}


def fake_detector(settings, processed=None):
    """English when the text has more English than Indonesian function words, otherwise Indonesian."""
    def detect(text):
        words = text.lower().replace(".", " ").split()
        english = sum(w in ENGLISH for w in words) > sum(w in INDONESIAN for w in words)
        return [("en", 0.99), ("id", 0.01)] if english else [("id", 0.99), ("en", 0.01)]
    return detect


@pytest.fixture
def fake_parts():
    """Registers a fake NER backend and language detector; yields the --set overrides selecting them."""
    plugins.ner_backends.register("fake", lambda model, config: FakeBackend(model.model[0]))
    plugins.detectors.register("fake", fake_detector)
    SEEN.clear()
    yield ["detect.detector=fake", "ner.models.en.backend=fake", "ner.models.en.model=en",
           "ner.models.id.backend=fake", "ner.models.id.model=id"]
    plugins.ner_backends._plugins.pop("fake")
    plugins.detectors._plugins.pop("fake")


