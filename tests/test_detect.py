"""pipeline/detect.py: segmentation offsets and deterministic language identification."""
import pytest

from pipeline.config import DetectConfig
from pipeline.detect import build_detector, detect_document, split_segments
from pipeline.ingest import Document

EN = "NATO trained the Afghan security forces in Kabul for many years after the war."
ID = "NATO melatih pasukan keamanan Afghanistan di Kabul selama bertahun-tahun setelah perang."


@pytest.mark.parametrize("text, expected", [
    ("One. Two is here.", ["One.", "Two is here."]),
    ("Heading\nBody text here! Next one?", ["Heading", "Body text here!", "Next one?"]),
    ("  padded line  \r\n\r\nsecond", ["padded line", "second"]),
    ("U.S. forces left. They did.", ["U.S. forces left.", "They did."]),
    ("", []),
])
def test_split_segments_offsets(text, expected):
    spans = split_segments(text)
    assert [text[s:e] for s, e in spans] == expected


def test_detection_is_deterministic_and_routes_sentences():
    detector = build_detector(DetectConfig())
    doc = Document("d", "d.txt", "", " ".join([ID] * 3 + [EN]), "utf-8")
    first = detect_document(doc, detector, DetectConfig(), ["en", "id"])
    second = detect_document(doc, build_detector(DetectConfig()), DetectConfig(), ["en", "id"])
    assert first == second
    lang, score, segments = first
    assert lang == "id" and score > 0.9
    assert [s.lang for s in segments] == ["id", "id", "id", "en"]


def test_short_segments_take_document_language():
    detector = build_detector(DetectConfig())
    doc = Document("d", "d.txt", "", EN + "\nIrak.\n" + EN, "utf-8")
    _, _, segments = detect_document(doc, detector, DetectConfig(min_segment_words=4), ["en", "id"])
    assert [s.lang for s in segments] == ["en", "en", "en"]
