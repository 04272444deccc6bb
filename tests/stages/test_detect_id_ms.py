"""The Indonesian-vs-Malay head of detector langid_hybrid (models/lid/id_ms.bin.xz, pipeline/stages/detect.py)."""
import math

import pytest

from pipeline.config import DetectConfig
from pipeline.errors import ConfigError, ModelError
from pipeline.plugins import build_detector
from pipeline.stages.detect import id_ms_log_odds, resplit_id_ms
from pipeline.stages.langid_model import HEAD_FILE, bigram_features, featurize, log_odds_features


@pytest.mark.parametrize("candidates, expected", [
    ([("id", 0.5), ("ms", 0.5)], 0.0),
    ([("id", 0.9), ("ms", 0.1)], math.log(9)),
    ([("ms", 0.8), ("id", 0.2), ("en", 0.0)], math.log(0.25)),
    ([("id", 1.0)], math.log(1.0) - math.log(1e-300)),   # a language left out has probability 0
    ([("en", 1.0)], 0.0),
])
def test_id_ms_log_odds(candidates, expected):
    assert id_ms_log_odds(candidates) == pytest.approx(expected)


@pytest.mark.parametrize("candidates, score, top, ms_share", [
    ([("id", 0.6), ("ms", 0.3), ("en", 0.1)], 0.0, "id", 0.5),   # id/ms tie: id first by name
    ([("id", 0.6), ("ms", 0.3), ("en", 0.1)], 3.0, "ms", 1 / (1 + math.exp(-3))),
    ([("ms", 0.9), ("id", 0.1)], -2.0, "id", 1 / (1 + math.exp(2))),
    ([("id", 0.5), ("ms", 0.5)], 500.0, "ms", 1.0),               # clamped, no overflow
    ([("id", 0.4), ("en", 0.6)], 5.0, "en", 1 / (1 + math.exp(-5))),  # other languages keep their share
])
def test_resplit_keeps_the_group_mass(candidates, score, top, ms_share):
    before = dict(candidates)
    after = resplit_id_ms(candidates, score)
    probs = dict(after)
    assert after[0][0] == top
    assert probs["id"] + probs["ms"] == pytest.approx(before.get("id", 0) + before.get("ms", 0))
    assert probs["ms"] == pytest.approx((before.get("id", 0) + before.get("ms", 0)) * ms_share)
    assert probs.get("en") == before.get("en")
    assert [p for _, p in after] == sorted((p for _, p in after), reverse=True)


@pytest.mark.parametrize("log_odds, n_words, clip, expected", [
    (0.0, 5, 30.0, {"log_odds": 0.0, "log_odds_per_word": 0.0}),
    (15.0, 5, 30.0, {"log_odds": 0.5, "log_odds_per_word": 0.1}),
    (-90.0, 3, 30.0, {"log_odds": -1.0, "log_odds_per_word": -1 / 3}),
    (690.0, 0, 30.0, {"log_odds": 1.0, "log_odds_per_word": 1.0}),   # no words: per word = whole
])
def test_log_odds_features(log_odds, n_words, clip, expected):
    assert log_odds_features(log_odds, n_words, clip) == pytest.approx(expected)


@pytest.mark.parametrize("tokens, pairs", [
    (["kerana", "itu"], ["b\tkerana itu"]),
    (["a"], []),
    ([], []),
    (["oleh", "sebab", "itu"], ["b\toleh sebab", "b\tsebab itu"]),
])
def test_bigram_features(tokens, pairs):
    assert bigram_features(tokens) == pairs


def test_featurize_with_word_pairs_is_case_insensitive():
    plain, pairs = featurize("OLEH SEBAB itu", 3), featurize("oleh sebab ITU", 3, word_bigrams=True)
    assert "b\toleh sebab" in pairs and not any(f.startswith("b\t") for f in plain)
    assert sum(v * v for v in pairs.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("values, ok", [
    ({"id_ms_shift": 0.5}, True), ({"id_ms_shift": -10.0}, True), ({"id_ms_shift": 11.0}, False),
    ({"id_ms_head": False}, True), ({"id_ms_head": "yes"}, False),
])
def test_head_settings_are_validated(values, ok):
    from pydantic import ValidationError
    if ok:
        DetectConfig(**values)
    else:
        with pytest.raises((ValidationError, ConfigError)):
            DetectConfig(**values)


def test_missing_head_says_how_to_train_it(tmp_path):
    from conftest import ROOT
    if not (ROOT / "models" / "lid" / "model.bin.xz").exists():
        pytest.skip("models/lid/model.bin.xz is absent: make train-lid")
    (tmp_path / "model.bin.xz").write_bytes((ROOT / "models" / "lid" / "model.bin.xz").read_bytes())
    with pytest.raises(ModelError, match="make train-lid"):
        build_detector(DetectConfig(detector="langid_hybrid", model=str(tmp_path)), ["en", "id"])
    detect = build_detector(DetectConfig(detector="langid_hybrid", model=str(tmp_path), id_ms_head=False), ["en", "id"])
    assert detect("Pemerintah kota berjanji memperbaiki jalan yang rusak.")[0][0] == "id"


@pytest.fixture(scope="module")
def head_detector():
    from conftest import ROOT
    if not (ROOT / "models" / "lid" / HEAD_FILE).exists():
        pytest.skip(f"models/lid/{HEAD_FILE} is absent: make train-lid")
    return build_detector(DetectConfig(detector="langid_hybrid"), ["en", "id"])


def test_head_loads_within_budget():
    from conftest import ROOT
    from pipeline.stages.langid_model import IdMsHead
    path = ROOT / "models" / "lid" / HEAD_FILE
    if not path.exists():
        pytest.skip(f"models/lid/{HEAD_FILE} is absent: make train-lid")
    head = IdMsHead.load(ROOT / "models" / "lid")
    assert head.model.labels == ["ms"] and set(head.dense) == {"log_odds", "log_odds_per_word"}
    assert head.dense["log_odds"] < 0   # the hybrid's id-vs-ms log-odds speaks against Malay
    total = sum(p.stat().st_size for p in (ROOT / "models" / "lid").glob("*.xz"))
    assert total <= 10 * 2**20


@pytest.mark.parametrize("text, lang", [
    ("Kerajaan Malaysia mengumumkan bahawa bantuan kewangan akan diberikan kepada semua rakyat yang layak.", "ms"),
    ("Pemerintah Indonesia mengumumkan bahwa bantuan akan diberikan kepada semua warga yang berhak.", "id"),
    ("Polis berkata suspek ditahan kerana memandu dalam keadaan mabuk di lebuh raya.", "ms"),
    ("Polisi mengatakan tersangka ditahan karena mengemudi dalam keadaan mabuk di jalan tol.", "id"),
    ("PEMERINTAH MENAIKKAN HARGA BAHAN BAKAR MULAI PEKAN DEPAN", "id"),   # ALL-CAPS: judged lower-cased
    ("PEMERINTAH MENAIKKAN HARGA BENSIN", "id"),
    ("FLOOD WATERS RISE IN THE NORTH", "en"),
    ("KERAJAAN NEGERI BERKATA BAHAWA KERJA-KERJA MEMBAIKI JALAN AKAN BERMULA", "ms"),
    ("The government announced new measures for the security of the northern cities.", "en"),
    ("Wong-wong padha ngumpul ing alun-alun kanggo nonton pagelaran wayang nganti wengi.", "jv"),
])
def test_head_languages(head_detector, text, lang):
    assert head_detector(text)[0][0] == lang


@pytest.mark.parametrize("text, expected", [
    ("PEMERINTAH MENAIKKAN HARGA BENSIN", True),
    ("FLOOD WATERS RISE IN THE NORTH", True),
    ("NATO and ISAF trained them", False),
    ("NATO", False),
    ("BANJIR DI Jakarta UTARA HARI INI", True),
    ("", False),
])
def test_mostly_all_caps(text, expected):
    from pipeline.stages.detect import mostly_all_caps
    assert mostly_all_caps(text) is expected


def test_shift_favours_indonesian(head_detector):
    text = "Kerajaan negeri berkata kerja-kerja membaiki jalan akan bermula."
    favoured = build_detector(DetectConfig(detector="langid_hybrid", id_ms_shift=10.0), ["en", "id"])
    assert dict(favoured(text))["id"] > dict(head_detector(text))["id"]


def test_head_training_is_deterministic(tmp_path):
    pytest.importorskip("sklearn", reason="scikit-learn is only for make train-lid (.[train])")
    from pipeline.stages.langid_model import IdMsHead, LangIdModel, save_model
    from pipeline.training.langid import _head_settings, fit_id_ms
    rows = [("id", "dia tidak datang karena hujan"), ("id", "yaitu para warga"), ("id", "polisi bilang begitu"),
            ("ms", "dia tidak datang kerana hujan"), ("ms", "iaitu para warga"), ("ms", "polis berkata begitu")] * 3
    spec = {"ngram_max": 3, "word_bigrams": True, "dense": ["log_odds", "log_odds_per_word"], "log_odds_clip": 30.0,
            "min_df": 1, "tol": 1e-4, "max_iter": 200, "prune_below": 0.0}
    log_odds = [2.0 if label == "id" else -2.0 for label, _ in rows]
    digests = []
    for run in ("a", "b"):
        features, weights, bias, dense = fit_id_ms(rows, log_odds, spec, 3.0, 0)
        path = save_model(tmp_path / run, ["ms"], features, weights, bias, _head_settings(spec, dense, 0.0))
        head = IdMsHead(LangIdModel.load(path))
        assert head.ms_score("tidak datang kerana hujan", -2.0) > 0 > head.ms_score("tidak datang karena hujan", 2.0)
        digests.append(head.sha256)
    assert digests[0] == digests[1]
