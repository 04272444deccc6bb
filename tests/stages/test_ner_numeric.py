"""pipeline/stages/ner/numeric.py and the rule mentions' merging: Indonesian numeric and temporal entities."""
import pytest

from pipeline.config.load import PROJECT_ROOT
from pipeline.core.records import Mention
from pipeline.resources import load_numeric_patterns
from pipeline.stages.ner.blocks import merge_rule_mentions
from pipeline.stages.ner.numeric import NumericRuler

RULER = NumericRuler(load_numeric_patterns(PROJECT_ROOT / "configs" / "numeric_patterns.yaml")["id"])


@pytest.mark.parametrize("text, expected", [
    # DATE
    ("pada 12 Desember 2014 lalu", [("12 Desember 2014", "DATE")]),
    ("berlaku 1 Mei 2021.", [("1 Mei 2021", "DATE")]),
    ("sejak Juni 2004 di", [("Juni 2004", "DATE")]),
    ("pada tahun 2014 ini", [("tahun 2014", "DATE")]),
    ("Senin (12/12) lalu", [("Senin (12/12)", "DATE")]),
    ("Kamis, 5 Maret 2020", [("Kamis, 5 Maret 2020", "DATE")]),
    ("tanggal 17/08/1945", [("17/08/1945", "DATE")]),
    ("pada 29 Februari 2016", [("29 Februari 2016", "DATE")]),
    ("sejak 2014", [("2014", "DATE")]),
    ("pada tahun 1990-an", [("tahun 1990-an", "DATE")]),
    ("memasuki abad ke-21", [("abad ke-21", "DATE")]),
    ("31 Februari 2014", [("31", "CARDINAL"), ("Februari 2014", "DATE")]),   # no such day
    # TIME
    ("pukul 10.00 WIB", [("pukul 10.00 WIB", "TIME")]),
    ("sekitar pukul 07.30 pagi", [("pukul 07.30 pagi", "TIME")]),
    ("mulai 19.00 WITA", [("19.00 WITA", "TIME")]),
    # MONEY
    ("dana Rp 5 miliar", [("Rp 5 miliar", "MONEY")]),
    ("seharga Rp5.000 per", [("Rp5.000", "MONEY")]),
    ("sebesar 5 juta dolar AS", [("5 juta dolar AS", "MONEY")]),
    ("bantuan US$ 3 juta", [("US$ 3 juta", "MONEY")]),
    ("senilai 2,5 triliun rupiah", [("2,5 triliun rupiah", "MONEY")]),
    # PERCENT
    ("naik 30 persen", [("30 persen", "PERCENT")]),
    ("turun 30%", [("30%", "PERCENT")]),
    ("sekitar 2,5 persen", [("2,5 persen", "PERCENT")]),
    # QUANTITY
    ("sejauh 5 kilometer", [("5 kilometer", "QUANTITY")]),
    ("sebanyak 10 ribu ton", [("10 ribu ton", "QUANTITY")]),
    # CARDINAL
    ("10 monyet", [("10", "CARDINAL")]),
    ("ratusan ribu orang", [("ratusan ribu", "CARDINAL")]),
    ("tiga negara", [("tiga", "CARDINAL")]),
    # ORDINAL
    ("putaran kedua", [("kedua", "ORDINAL")]),
    ("untuk ke-3 kalinya", [("ke-3", "ORDINAL")]),
    ("tahap ketiga", [("ketiga", "ORDINAL")]),
    # not numbers of their own
    ("antara kedua negara", []),                     # 'both'
    ("Kedua negara sepakat", []),
    ("pesawat F-16 dan G20", []),                    # parts of names
    ("COVID-19", []),
])
def test_numeric_rules(text, expected):
    assert [(text[s:e], label) for s, e, label in RULER.find(text)] == expected


def _m(start, end, label, source, text="x" * 40):
    return Mention("d", start, end, text[start:end], label, "id", source)


def test_rule_mentions_yield_to_names_and_replace_model_parts():
    # 'Resolusi Dewan Keamanan PBB 2189' (ruler LAW) keeps its number; 'Desember' (model) goes inside a date
    named = [_m(0, 32, "LAW", "ruler"), _m(40, 48, "PER", "model"), _m(60, 76, "EVENT", "model")]
    rules = [_m(28, 32, "CARDINAL", "rule"), _m(37, 53, "DATE", "rule"), _m(72, 76, "DATE", "rule")]
    merged = merge_rule_mentions(named, rules)
    assert [(m.start, m.end, m.model_label) for m in merged] == [(0, 32, "LAW"), (37, 53, "DATE"), (60, 76, "EVENT")]


@pytest.mark.models
@pytest.mark.shared
def test_issue_15_acceptance_on_the_real_indonesian_document(tmp_path):
    """../shared/corpus/001_...: the dates are DATE and the resolution is LAW, through the whole pipeline."""
    import shutil

    from pipeline.cli import main
    from pipeline.output.tables import read_table
    from conftest import CORPUS, ID_DOC, need_shared

    source = need_shared(CORPUS / ID_DOC)
    (tmp_path / "in").mkdir()
    shutil.copy(source, tmp_path / "in" / source.name)
    assert main(["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--quiet"]) == 0
    found = {(m["text"], m["label"]) for m in read_table(tmp_path / "out", "mentions").to_pylist()}
    for expected in [("12 Desember 2014", "DATE"), ("1 Mei 2021", "DATE"),
                     ("Resolusi Dewan Keamanan PBB 2189", "LAW")]:
        assert expected in found, f"{expected} not in {sorted(found)}"
