"""Language-identification benchmark: accuracy by segment length and segments per second,
for every registered detector (ours: langid_hybrid, the default, also without its Indonesian-vs-Malay
head as ``lh-no-head``; langid, the project's model alone; hybrid; plain seeded langdetect; lingua and
fastText when installed) on the same labelled segments, in one process.

Two sets of labelled text, each cut into word windows with a fixed seed:
- ``heldout``: the held-out lines of FLORES-200 dev (en, id, ms, jv, bjn) and NTREX-128 (en, id, ms)
  defined in configs/langid.yaml (pipeline/training/langid.py ``split_of``), never trained or tuned on;
- ``project``: English and Malay sentences the project wrote (tests/data/lid/) and Indonesian
  sentences from the IndoNLU NER valid splits. Both read ../shared in place (skipped if absent).
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from pipeline.config import DetectConfig
from pipeline.eval.conll import read_iob_tsv
from pipeline.plugins import build_detector
from pipeline.training.langid import BUCKETS, windows

ROOT = Path(__file__).resolve().parent.parent
LID_DATA = ROOT / "tests" / "data" / "lid"
ID_NER = ROOT.parent / "shared" / "data" / "id-ner"


def _detokenize(words) -> str:
    text = " ".join(words)
    return re.sub(r" ([.,;:!?)\]])", r"\1", re.sub(r"([(\[]) ", r"\1", text))


def load_texts() -> dict[str, list[str]]:
    """Sentences per language code."""
    texts = {lang: [l.strip() for l in (LID_DATA / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
                    if l.strip() and not l.startswith("#")] for lang in ("en", "ms")}
    if not ID_NER.exists():
        raise FileNotFoundError(f"{ID_NER} is absent (Indonesian sentences come from ../shared)")
    texts["id"] = [_detokenize(s.words) for split in ("nergrit", "nerp")
                   for s in read_iob_tsv(ID_NER / split / "valid.tsv") if len(s.words) >= 5]
    return texts


def build_samples(per_bucket: int = 200, seed: int = 0) -> list[tuple[str, str, str]]:
    """(language, bucket, text) windows cut from each language's sentences (the training recipe's cutter)."""
    return windows(load_texts(), per_bucket, seed)


def heldout_samples(per_bucket: int = 200, seed: int = 0) -> list[tuple[str, str, str]]:
    """Windows of the held-out FLORES-200 dev / NTREX-128 lines (configs/langid.yaml split)."""
    from pipeline.training.langid import SCORED, SHARED_DATA, collect, load_settings, windows

    if not (SHARED_DATA / "lid").exists():
        raise FileNotFoundError(f"{SHARED_DATA / 'lid'} is absent (held-out sentences come from ../shared)")
    splits, _ = collect(load_settings(), SHARED_DATA)
    return windows({lang: [t for l, t in splits["heldout"] if l == lang] for lang in SCORED}, per_bucket, seed)


def evaluate(detect, samples) -> dict:
    """Accuracy per (language, bucket), the share of each non-processed language called Indonesian
    or English (``called_id_or_en``, per bucket), Malay called Indonesian, and segments per second."""
    started = time.perf_counter()
    predictions = [(detect(text) or [("und", 0.0)])[0][0] for _, _, text in samples]
    seconds = time.perf_counter() - started
    result = {"segments_per_second": round(len(samples) / seconds), "accuracy": {}, "called_id_or_en": {},
              "malay_called_id": None}
    for lang in sorted({l for l, _, _ in samples}, key=lambda l: (l not in ("en", "id", "ms"), l)):
        for bucket in BUCKETS:
            pairs = [(l, p) for (l, b, _), p in zip(samples, predictions) if l == lang and b == bucket]
            if pairs:
                result["accuracy"][f"{lang} {bucket}"] = round(100 * sum(l == p for l, p in pairs) / len(pairs), 1)
                if lang not in ("en", "id"):
                    result["called_id_or_en"][f"{lang} {bucket}"] = round(
                        100 * sum(p in ("id", "en") for _, p in pairs) / len(pairs), 1)
    malay = [p for (l, _, _), p in zip(samples, predictions) if l == "ms"]
    result["malay_called_id"] = round(100 * sum(p == "id" for p in malay) / len(malay), 1)
    return result


COMPARED = ("lingua", "fasttext")  # optional detectors (`.[lid-compare]`), measured when installed
# Named variants of a registered detector (the default without its Indonesian-vs-Malay head).
VARIANTS = {"lh-no-head": DetectConfig(detector="langid_hybrid", id_ms_head=False)}
OURS = ("langid_hybrid", "lh-no-head", "langid", "hybrid", "langdetect")


def run(per_bucket: int = 200, detectors: tuple[str, ...] = OURS + COMPARED,
        sets: tuple[str, ...] = ("heldout", "project")) -> dict:
    """Every named detector on the same samples, per set of samples; optional ones that are not
    installed are listed under ``skipped`` with the reason."""
    from pipeline.errors import ModelError

    makers = {"heldout": heldout_samples, "project": build_samples}
    built = {}
    for name in detectors:
        try:
            built[name] = build_detector(VARIANTS.get(name) or DetectConfig(detector=name), ["en", "id"])
        except ModelError as exc:
            built[name] = str(exc)
    results: dict = {}
    for set_name in sets:
        samples = makers[set_name](per_bucket)
        entry: dict = {"samples": len(samples), "detectors": {}, "skipped": {}}
        for name, detect in built.items():
            if isinstance(detect, str):
                entry["skipped"][name] = detect
            else:
                entry["detectors"][name] = evaluate(detect, samples)
        results[set_name] = entry
    return results


def format_results(all_results: dict) -> str:
    lines = []
    for set_name, results in all_results.items():
        names = list(results["detectors"])
        rows = results["detectors"]
        lines += [f"language id, {set_name} ({results['samples']} segments): accuracy % by language and length "
                  "(words); called id/en % for the other languages",
                  "  " + " " * 20 + "".join(f"{n:>12}" for n in names)]
        for key in rows[names[0]]["accuracy"]:
            lines.append(f"  {key:<20}" + "".join(f"{rows[n]['accuracy'][key]:>12}" for n in names))
        for key in rows[names[0]]["called_id_or_en"]:
            lines.append(f"  {key + ' id/en':<20}" + "".join(f"{rows[n]['called_id_or_en'][key]:>12}" for n in names))
        for key in ("malay_called_id", "segments_per_second"):
            lines.append(f"  {key:<20}" + "".join(f"{rows[n][key]:>12}" for n in names))
        lines += [f"  {name} skipped: {why}" for name, why in results["skipped"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_results(run()))
