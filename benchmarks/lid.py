"""Language-identification benchmark: accuracy by segment length and segments per second,
for the configured detector and plain (seeded) langdetect, on the same labelled segments.

Labelled text: English and Malay sentences the project wrote (tests/data/lid/), Indonesian
sentences from the IndoNLU NER valid splits read in place from ../shared (skipped if absent).
Segments are word windows cut from each language's text with a fixed seed.
"""
from __future__ import annotations

import random
import re
import time
from pathlib import Path

from pipeline.config import DetectConfig
from pipeline.eval.conll import read_iob_tsv
from pipeline.plugins import build_detector

ROOT = Path(__file__).resolve().parent.parent
LID_DATA = ROOT / "tests" / "data" / "lid"
ID_NER = ROOT.parent / "shared" / "data" / "id-ner"
BUCKETS = {"2-4": (2, 4), "5-9": (5, 9), "10-20": (10, 20), "21+": (21, 40)}


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
    """(language, bucket, text) windows cut from each language's sentences."""
    rng = random.Random(seed)
    samples = []
    for lang, sentences in sorted(load_texts().items()):
        order = sentences[:]
        rng.shuffle(order)
        stream = " ".join(order).split()
        for bucket, (low, high) in BUCKETS.items():
            for _ in range(per_bucket):
                length = rng.randint(low, high)
                start = rng.randrange(0, len(stream) - length)
                samples.append((lang, bucket, " ".join(stream[start:start + length])))
    return samples


def evaluate(detect, samples) -> dict:
    """Accuracy per (language, bucket), Malay called Indonesian, and segments per second."""
    started = time.perf_counter()
    predictions = [(detect(text) or [("und", 0.0)])[0][0] for _, _, text in samples]
    seconds = time.perf_counter() - started
    result = {"segments_per_second": round(len(samples) / seconds), "accuracy": {}, "malay_called_id": None}
    for lang in ("en", "id", "ms"):
        for bucket in BUCKETS:
            pairs = [(l, p) for (l, b, _), p in zip(samples, predictions) if l == lang and b == bucket]
            if pairs:
                result["accuracy"][f"{lang} {bucket}"] = round(100 * sum(l == p for l, p in pairs) / len(pairs), 1)
    malay = [p for (l, _, _), p in zip(samples, predictions) if l == "ms"]
    result["malay_called_id"] = round(100 * sum(p == "id" for p in malay) / len(malay), 1)
    return result


COMPARED = ("lingua", "fasttext")  # optional detectors (`.[lid-compare]`), measured when installed


def run(per_bucket: int = 200, detectors: tuple[str, ...] = ("hybrid", "langdetect") + COMPARED) -> dict:
    """Every named detector on the same samples; optional ones that are not installed are
    listed under ``skipped`` with the reason."""
    from pipeline.errors import ModelError

    samples = build_samples(per_bucket)
    results: dict = {"samples": len(samples), "detectors": {}, "skipped": {}}
    for name in detectors:
        try:
            detect = build_detector(DetectConfig(detector=name), ["en", "id"])
        except ModelError as exc:
            results["skipped"][name] = str(exc)
            continue
        results["detectors"][name] = evaluate(detect, samples)
    return results


def format_results(results: dict) -> str:
    names = list(results["detectors"])
    rows = results["detectors"]
    lines = [f"language id ({results['samples']} segments): accuracy % by language and length (words)",
             "  " + " " * 20 + "".join(f"{n:>12}" for n in names)]
    for key in rows[names[0]]["accuracy"]:
        lines.append(f"  {key:<20}" + "".join(f"{rows[n]['accuracy'][key]:>12}" for n in names))
    for key in ("malay_called_id", "segments_per_second"):
        lines.append(f"  {key:<20}" + "".join(f"{rows[n][key]:>12}" for n in names))
    lines += [f"  {name} skipped: {why}" for name, why in results["skipped"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_results(run()))
