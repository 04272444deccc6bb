"""Stage detect: language per document and per segment (sentence).

The detector is chosen by name (``detect.detector``) from the registry. The
default wraps langdetect with a fixed seed, since langdetect is random otherwise.
Short or low-confidence segments take the document's language: a 3-word
sentence is too little evidence to send it to the other language's model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from pipeline.config import DetectConfig
from pipeline.ingest import Document
from pipeline.registry import detectors

# A detector maps text to (language, probability) pairs, best first.
Detector = Callable[[str], list[tuple[str, float]]]

WORD = re.compile(r"\w+", re.UNICODE)
# Sentence end: . ! ? (optionally followed by a closing quote/bracket), then space,
# then something that can start a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")


@dataclass
class Segment:
    """A sentence-sized span of a document with its language."""

    doc_id: str
    seg_id: int
    start: int
    end: int
    lang: str
    score: float


@detectors.register("langdetect")
def make_langdetect(config: DetectConfig) -> Detector:
    """langdetect, seeded so the same text always gets the same answer."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = config.seed
    init_factory()
    from langdetect.detector_factory import _factory

    def detect(text: str) -> list[tuple[str, float]]:
        detector = _factory.create()
        detector.append(text)
        try:
            return [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:  # no letters at all
            return []

    return detect


def split_segments(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over ``text``: lines first, then sentence punctuation; whitespace trimmed."""
    spans = []
    for line in re.finditer(r"[^\r\n]+", text):
        cursor = line.start()
        pieces = [m.start() for m in SENTENCE_END.finditer(line.group())]
        bounds = [line.start() + p for p in pieces] + [line.end()]
        for bound in bounds:
            chunk = text[cursor:bound]
            stripped_left = len(chunk) - len(chunk.lstrip())
            start, end = cursor + stripped_left, cursor + len(chunk.rstrip())
            if end > start:
                spans.append((start, end))
            cursor = bound
    return spans


def _best(candidates: list[tuple[str, float]], allowed: list[str] | None = None) -> tuple[str, float]:
    for lang, prob in candidates:
        if allowed is None or lang in allowed:
            return lang, prob
    return "und", 0.0


def detect_document(doc: Document, detect: Detector, config: DetectConfig,
                    languages: list[str]) -> tuple[str, float, list[Segment]]:
    """Language of a document and of each of its segments."""
    doc_lang, doc_score = _best(detect(doc.text))
    segments = []
    for seg_id, (start, end) in enumerate(split_segments(doc.text)):
        text = doc.text[start:end]
        lang, score = doc_lang, doc_score
        if len(WORD.findall(text)) >= config.min_segment_words:
            candidates = detect(text)
            seg_lang, seg_score = _best(candidates)
            if seg_lang != doc_lang and seg_score >= config.min_segment_score and (
                    seg_lang in languages or doc_lang not in languages):
                lang, score = seg_lang, seg_score
            else:
                # Agreeing (or too uncertain to disagree): keep the document language,
                # scored by what the segment itself says about it.
                score = dict(candidates).get(doc_lang, 0.0)
        segments.append(Segment(doc.doc_id, seg_id, start, end, lang, round(score, 4)))
    return doc_lang, round(doc_score, 4), segments


def is_mixed(doc_lang: str, segments: list[Segment]) -> bool:
    """True when some segment is in another language than the document."""
    return any(s.lang != doc_lang for s in segments)


def build_detector(config: DetectConfig) -> Detector:
    """The detector named in ``detect.detector``, from the registry."""
    return detectors.get(config.detector)(config)
