"""Words per second of each Indonesian NER backend over the valid splits, on one thread."""
from __future__ import annotations

import time
from pathlib import Path

from pipeline.config import ModelConfig, load_config
from pipeline.eval.conll import read_iob_tsv
from pipeline.plugins import ner_backends

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "id-ner"
BACKENDS = {"spacy": "../models/id_ner_spacy", "stanza": "../models/id_ner_stanza"}


def run() -> list[dict]:
    """Tag each valid split with each installed backend; report words per second."""
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # the stanza extra is optional
        pass
    if not DATA.exists():
        raise FileNotFoundError(f"{DATA} absent")
    config = load_config()
    results = []
    for backend, path in BACKENDS.items():
        if not config.resolve(path).exists():
            continue
        tagger = ner_backends.get(backend, "ner.models.id.backend")(ModelConfig(backend=backend, model=[path], label_map="id_ner"), config)
        for name in ("nergrit", "nerp"):
            sentences = [s.words for s in read_iob_tsv(DATA / name / "valid.tsv")]
            words = sum(len(s) for s in sentences)
            started = time.perf_counter()
            tagger.tag_tokens(sentences)
            seconds = time.perf_counter() - started
            results.append({"backend": backend, "data": name, "words": words, "seconds": round(seconds, 2),
                            "words_per_second": round(words / seconds)})
    return results
