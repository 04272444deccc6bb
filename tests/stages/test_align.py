"""pipeline/stages/align/: each method and the resolution step on hand-built entities."""
import pytest

from pipeline.core.labels import labels_compatible
from pipeline.core.records import Entity
from pipeline.core.text import normalized_key
from pipeline.plugins import align_entities
from pipeline.stages.align import Candidate, resolve
from pipeline.stages.align.methods import phonetic_key
from pipeline.config import load_config
from pipeline.stages.normalize import entity_id_for


def ent(lang, canonical, label, aliases=()):
    return Entity(entity_id_for(lang, normalized_key(canonical)), canonical, label, lang, list(aliases), 1, 1, "")


def _align(entities, *overrides):
    config = load_config(None, list(overrides))
    return {(a.en.canonical, a.id.canonical): a for a in align_entities(entities, config)}


@pytest.mark.parametrize("en, ind, method", [
    (ent("en", "Kabul", "GPE"), ent("id", "Kabul", "GPE"), "identical"),
    (ent("en", "Iraq", "GPE"), ent("id", "Irak", "GPE"), "transliteration"),
    (ent("en", "Russia", "GPE"), ent("id", "Rusia", "GPE"), "transliteration"),
    (ent("en", "Germany", "GPE"), ent("id", "Jerman", "GPE"), "transliteration"),
    (ent("en", "UN Security Council", "ORG"), ent("id", "Dewan Keamanan PBB", "ORG"), "translation"),
    (ent("en", "Provincial Reconstruction Team", "ORG", ["PRT"]),
     ent("id", "Tim Rekonstruksi Provinsi", "ORG", ["PRT"]), "acronym"),
    (ent("en", "Resolute Support Mission", "ORG", ["RSM"]), ent("id", "Dukungan Tegas", "ORG"), "translation"),
    (ent("en", "Operation Unified Protector", "EVENT"), ent("id", "Operasi Pelindung Bersatu", "EVENT"), "translation"),
])
def test_methods_without_glossary(en, ind, method):
    found = _align([en, ind], "align.methods.glossary.enabled=false")
    assert (en.canonical, ind.canonical) in found
    pair = found[(en.canonical, ind.canonical)]
    assert method in pair.methods and 0 <= pair.score <= 1 and pair.evidence


def test_glossary_pair_and_switch():
    en, ind = ent("en", "European Union", "ORG"), ent("id", "Uni Eropa", "ORG")
    assert _align([en, ind])[("European Union", "Uni Eropa")].method == "glossary"
    only_glossary = [f"align.methods.{m}.enabled=false" for m in ("identical", "transliteration", "acronym", "translation")]
    assert _align([en, ind], "align.methods.glossary.enabled=false", *only_glossary) == {}


def test_incompatible_labels_never_align():
    assert _align([ent("en", "Georgia", "PER"), ent("id", "Georgia", "GPE")]) == {}
    assert labels_compatible("GPE", "LOC") and not labels_compatible("ORG", "GPE")
    assert not labels_compatible("DATE", "DATE")


def test_resolution_keeps_best_partner_and_flags_second():
    e1, i1, i2 = ent("en", "Alpha", "ORG"), ent("id", "Alfa", "ORG"), ent("id", "Alpa", "ORG")
    weak = [Candidate(e1.entity_id, i1.entity_id, "x", 0.9, "a"), Candidate(e1.entity_id, i2.entity_id, "x", 0.7, "b")]
    kept = resolve(weak, [e1], [i1, i2], 0.5)
    assert [(a.id.canonical, a.score) for a in kept] == [("Alfa", 0.9)]
    strong = [Candidate(e1.entity_id, i1.entity_id, "x", 1.0, "a"), Candidate(e1.entity_id, i2.entity_id, "y", 1.0, "b")]
    kept = resolve(strong, [e1], [i1, i2], 0.5)
    assert len(kept) == 2 and any("also aligned with" in a.evidence and "equal evidence" in a.evidence for a in kept)


def test_noisy_or_combines_methods():
    e, i = ent("en", "A", "ORG"), ent("id", "B", "ORG")
    (pair,) = resolve([Candidate(e.entity_id, i.entity_id, "acronym", 0.75, "x"),
                       Candidate(e.entity_id, i.entity_id, "translation", 0.6, "y")], [e], [i], 0.5)
    assert pair.score == pytest.approx(0.9) and pair.methods == ["acronym", "translation"]


@pytest.mark.parametrize("claims, kept", [
    # one method's supporting claim never carries a pair, however many forms repeat it
    ([("translation", 0.45, True)], False),
    ([("translation", 0.45, True), ("translation", 0.40, True)], False),
    # two methods' supporting claims together do (noisy-or 1 - 0.55 * 0.7 = 0.615 >= 0.5)
    ([("translation", 0.45, True), ("transliteration", 0.3, True)], True),
    # ... but only when the combination reaches align.min_score (1 - 0.8 * 0.8 = 0.36)
    ([("translation", 0.2, True), ("transliteration", 0.2, True)], False),
    # a standalone claim needs no company
    ([("translation", 0.6, False)], True),
])
def test_supporting_claims_need_a_second_method(claims, kept):
    e, i = ent("en", "A", "ORG"), ent("id", "B", "ORG")
    candidates = [Candidate(e.entity_id, i.entity_id, m, score, f"{m} {score}", supporting)
                  for m, score, supporting in claims]
    result = resolve(candidates, [e], [i], 0.5)
    assert bool(result) == kept
    if result and any(c.supporting for c in candidates):
        assert "(supporting)" in result[0].evidence


def test_partial_translation_plus_spelled_alike_words_align_only_together():
    """'Korporasi' and 'Minyak' are not in the lexicon: translation matches 2 of 4 words, the
    spelling method 3 of 4 (korporasi ~ corporation, nasional ~ national, libya ~ libyan)."""
    en, ind = ent("en", "Libyan National Oil Corporation", "ORG"), ent("id", "Korporasi Minyak Nasional Libya", "ORG")
    pair = _align([en, ind])[(en.canonical, ind.canonical)]
    assert pair.methods == ["translation", "transliteration"]
    assert "'korporasi' ~ 'corporation'" in pair.evidence and pair.evidence.count("(supporting)") == 2
    for alone in ("translation", "transliteration"):
        other = "transliteration" if alone == "translation" else "translation"
        assert _align([en, ind], f"align.methods.{other}.enabled=false") == {}


def test_spelled_alike_words_ignore_names_sharing_only_identical_words():
    # 'NATO' and 'Afghanistan' are identical words, not spelling evidence
    found = _align([ent("en", "NATO Afghanistan Office", "ORG"), ent("id", "Kantor Afghanistan NATO", "ORG")],
                   "align.methods.translation.enabled=false")
    assert found == {}


@pytest.mark.parametrize("a, b", [("Iraq", "Irak"), ("Afghanistan", "Afganistan"), ("Philippines", "Filipines")])
def test_phonetic_key(a, b):
    assert phonetic_key(a) == phonetic_key(b)
