"""The lexicon builder (pipeline/training/lexicon.py): parsing and normalisation on tiny inputs,
the committed artifact, determinism of a full build (needs ../shared), the README section."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.training import lexicon as lb
from conftest import ROOT, SHARED, need_shared

ARTIFACT = ROOT / "models" / "lexicon"


@pytest.mark.parametrize("text, expected", [
    ("Macedonia's", ["macedonia"]),
    ("Zárate", ["zarate"]),
    ("Bangsa-Bangsa", ["bangsa", "bangsa"]),
    ("U.S.", ["u", "s"]),
    ("  Teluk   Persia ", ["teluk", "persia"]),
])
def test_tokens_match_the_aligner_normalisation(text, expected):
    assert lb.tokens(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("konstitusi", "konstitusi"),
    ("Undang-Undang", "undang"),         # reduplication is one word
    ("undang-undang dasar", None),      # a phrase
    ("ke-10", None),
    ("2nd", "2nd"),
    ("10", None),                       # bare numbers are no words
])
def test_one_word(text, expected):
    assert lb.one_word(text) == expected


def test_readers_and_word_pairs(tmp_path):
    freedict = tmp_path / "f.tsv"
    freedict.write_text("english\tpos\tindonesian\nconstitution\tn\tkonstitusi\nconstitution\tn\tundang-undang dasar\n"
                        "egypt\tpn\tMesir\npersian gulf\tpn\tTeluk Persia\n\tn\tkosong\n", encoding="utf-8")
    wiktionary = tmp_path / "w.tsv"
    wiktionary.write_text("english\tpos\tgloss\ttarget\nRed Sea\tprop\tsea\tLaut Merah\nprovince\tn\tregion\tprovinsi\n",
                          encoding="utf-8")
    nusax = tmp_path / "n.csv"
    nusax.write_text(",indonesian,english\n0,abu,ash\n1,,empty\n", encoding="utf-8")
    rows = lb.read_freedict(freedict)
    assert len(rows) == 4  # the row with an empty English side is dropped
    assert lb.dictionary_words(rows) == {("konstitusi", "constitution"), ("mesir", "egypt")}
    assert lb.dictionary_names(rows) == {("egypt", "Mesir"), ("persian gulf", "Teluk Persia")}
    assert lb.dictionary_names(lb.read_wiktionary(wiktionary)) == {("Red Sea", "Laut Merah")}
    assert lb.dictionary_words(lb.read_nusax(nusax)) == {("abu", "ash")}


@pytest.mark.parametrize("en, expected", [
    ("organization", "organisasi"),
    ("organisation", "organisasi"),
    ("constitutional", "konstitusional"),
    ("university", "universitas"),
    ("democratic", "demokratik"),
])
def test_cognate_key(en, expected):
    assert lb.cognate_key_en(en) == expected


def test_cognates_need_both_vocabularies():
    pairs = lb.cognates({"organization", "university", "military"}, {"organisasi", "universitas", "tentara"})
    assert pairs == {("organisasi", "organization"), ("universitas", "university")}


@pytest.mark.parametrize("word, relative", [
    ("provincial", "province"),
    ("constitutional", "constitution"),
    ("national", "nation"),
    ("presidential", "president"),
])
def test_english_derivations_meet(word, relative):
    stem = lb.make_en_stemmer()
    assert lb.en_derivation_key(word, stem) & lb.en_derivation_key(relative, stem)


def test_morph_en_adds_derived_forms_of_a_translation():
    stem = lb.make_en_stemmer()
    entries = {("provinsi", "province"): {}, ("umum", "general"): {}}
    added = lb.morph_en(entries, {"province", "provincial", "provinces", "general", "generation"}, stem)
    assert ("provinsi", "provincial") in added
    assert ("umum", "generation") not in added


def test_morph_id_backs_off_to_the_stem():
    entries = {("polisi", "police"): {"dictionary": True}, ("aman", "safe"): {"dictionary": True},
               ("negara", "country"): {"dictionary": True},
               ("keamanan", "security"): {"dictionary": True}}
    added = lb.morph_id(entries, {"kepolisian", "keamanan", "negaranya", "diamankan"})
    # keamanan has its own entry; diamankan is no nominal confix: no back-off
    assert added == {("kepolisian", "police"), ("negaranya", "country")}


def test_threshold_is_the_smallest_reaching_the_target_precision():
    scores = {("rumah", "house"): 0.9, ("rumah", "big"): 0.3, ("besar", "big"): 0.2, ("besar", "house"): 0.25}
    reference = {("rumah", "house"), ("besar", "big")}
    dev = [(["rumah", "besar"], ["big", "house"])]
    threshold, curve = lb.choose_threshold(scores, dev, reference, lb.make_en_stemmer())
    # links: rumah->house (0.9, right), besar->house (0.25, wrong): precision 0.5 up to 0.25, 1.0 above
    assert threshold == 0.3
    assert dict((t, p) for t, _, p in curve)[0.25] == 0.5


def test_dev_split_is_a_function_of_the_text():
    assert lb.is_dev(["a", "b"], ["c"]) == lb.is_dev(["a", "b"], ["c"])
    share = sum(lb.is_dev([str(n)], ["x"]) for n in range(2000)) / 2000
    assert 0.05 < share < 0.15


def test_heldout_lines_are_the_yardstick_stories():
    from benchmarks.heldout_align import SETS, heldout_lines, source_of

    yardsticks = [SETS[name][0] for name in sorted(SETS) if source_of(name) == "ntrex128"]
    assert lb.HELDOUT_NTREX == sum(yardsticks, ())
    for source, ranges in (("flores200-dev", lb.HELDOUT_FLORES), ("tico19", lb.HELDOUT_TICO)):
        lines = [n for name in SETS if source_of(name) == source
                 for first, last in SETS[name][0] for n in range(first, last + 1)]
        assert sorted(lines) == [n for first, last in ranges for n in range(first, last + 1)]
        assert len(heldout_lines(source)) == len(lines)
        assert lb.HELDOUT_LINES[source] == ranges
    # the yardsticks share no line
    lines = [{n for first, last in stories for n in range(first, last + 1)} for stories in yardsticks]
    assert all(not a & b for i, a in enumerate(lines) for b in lines[i + 1:])
    assert len(heldout_lines()) == sum(map(len, lines))


def test_committed_lexicon_is_loadable_and_small():
    from pipeline.resources import load_lexicon, load_glossary

    lexicon = load_lexicon(ARTIFACT / "lexicon.tsv")
    assert "konstitusi" in lexicon and "constitution" in lexicon["konstitusi"]
    assert "mesir" in lexicon and "egypt" in lexicon["mesir"]
    assert (ARTIFACT / "lexicon.tsv").stat().st_size < 5_000_000
    names = {(p.en, p.id) for p in load_glossary(ARTIFACT / "names.tsv")}
    assert ("Greece", "Yunani") in names and ("Persian Gulf", "Teluk Persia") in names
    card = (ARTIFACT / "CARD.md").read_text(encoding="utf-8")
    assert "share-alike" in card and "sha256" in card and "threshold" in card.lower()


@pytest.mark.shared
@pytest.mark.slow
def test_build_is_byte_identical(tmp_path):
    need_shared(SHARED / "data" / "lexicon")
    outputs = []
    for seed in ("0", "12345"):  # different hash seeds: no set or dict order may leak into the files
        out = tmp_path / f"build_{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, OMP_NUM_THREADS="1")
        subprocess.run([sys.executable, "-m", "pipeline.training.lexicon", "--shared", str(SHARED),
                        "--output", str(out)], check=True, cwd=ROOT, env=env, capture_output=True)
        outputs.append(out)
    for name in ("lexicon.tsv", "names.tsv", "CARD.md"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
        assert (outputs[0] / name).read_bytes() == (ARTIFACT / name).read_bytes(), f"committed {name} is stale"


def test_readme_says_where_the_lexicon_comes_from():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The bilingual lexicon"):]
    section = section[:section.find("\n## ", 3)]
    for needed in ("make build-lexicon", "CC BY-SA", "share-alike", "FreeDict", "Wiktionary", "NusaX",
                   "IBM Model 1", "CLDR", "models/lexicon/"):
        assert needed in section, needed


@pytest.mark.parametrize("row, expected", [
    (("navy", "angkatan laut", "n"), {("angkatan laut", "navy")}),
    (("supreme court", "mahkamah agung", "n"), {("mahkamah agung", "supreme court")}),
    (("Persian Gulf", "Teluk Persia", "pn"), set()),                 # proper nouns go to names.tsv
    (("navy", "angkatan", "n"), set()),                              # one word: a word entry, not a phrase
    (("law", "undang-undang", "n"), set()),                          # reduplication is one word
    (("twenty one", "dua puluh satu 21", "num"), set()),             # letters only
    (("orphan", "anak yatim piatu", "n"), {("anak yatim piatu", "orphan")}),
    (("x", "satu dua tiga empat", "n"), set()),                      # at most 3 Indonesian words
])
def test_dictionary_phrases(row, expected):
    assert lb.dictionary_phrases([row]) == expected
