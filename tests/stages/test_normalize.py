"""pipeline/stages/normalize/: acronyms, span repair, keys, consistency, entities."""
import pytest

from pipeline.core.records import Mention
from pipeline.core.text import normalized_key
from pipeline.resources import Knowledge
from pipeline.stages.normalize import (all_acronym_definitions, entity_id_for, group_entities, normalize_document,
                                       repair_span)
from pipeline.resources import GazetteerEntry


@pytest.mark.parametrize("text, expected", [
    ("The Resolute Support Mission (RSM) was a NATO-led effort", [("RSM", "Resolute Support Mission")]),
    ("melalui Tim Rekonstruksi Provinsi (PRT) multinasional", [("PRT", "Tim Rekonstruksi Provinsi")]),
    ("dan Status of Forces Agreement (SOFA) antara NATO", [("SOFA", "Status of Forces Agreement")]),
    ("Perserikatan Bangsa-Bangsa (PBB) dan", [("PBB", "Perserikatan Bangsa-Bangsa")]),
    ("the NATO Training Mission-Iraq (NTM-I) ran", [("NTM-I", "NATO Training Mission-Iraq")]),
    ("Amerika Serikat (AS) dan Jerman", [("AS", "Amerika Serikat")]),
    ("International Security Assistance Force (ISAF)", [("ISAF", "International Security Assistance Force")]),
    ("the Afghan National Defense and Security Forces (ANDSF) took over",
     [("ANDSF", "Afghan National Defense and Security Forces")]),
    ("RSM (Resolute Support Mission) began in 2015", [("RSM", "Resolute Support Mission")]),
    ("Uni Eropa (UE) dan", [("UE", "Uni Eropa")]),
    ("Dewan Keamanan (DK) PBB", [("DK", "Dewan Keamanan")]),
    # negatives
    ("ISAF ended in 2014 (2014) and", []),                          # a parenthesised year
    ("the mission (Afghanistan) ended", []),                         # a gloss that is one proper name
    ("the capital (the city of Kabul) was", []),                     # a lowercase gloss
    ("Kabul (KBL) airport", []),                                     # letters not at word starts
    ("dipimpin NATO (Resolute Support) untuk", []),                  # a gloss, not a long form of NATO
    ("forces (see above) left", []),
    ("the alliance (NATO) decided", []),                             # acronym without its long form nearby
    ("Afghanistan (AF)", []),                                        # one word cannot carry two initials
    ("Resolute Support Mission. (RSM)", []),                         # the long form never crosses a sentence end
])
def test_acronym_definitions(text, expected):
    assert [(d.acronym, d.long_form) for d in all_acronym_definitions(text)] == expected


def test_reordered_acronym_is_marked():
    (definition,) = all_acronym_definitions("Tim Rekonstruksi Provinsi (PRT)")
    assert definition.how == "reordered"


@pytest.mark.parametrize("span, expected", [
    ("The Resolute Support Mission (", "Resolute Support Mission"),
    ("NATO's", "NATO"),
    ("Afghanistan’s", "Afghanistan"),
    ("“Taliban”", "Taliban"),
    ("the U.S. Army.", "U.S. Army"),
    ("U.S.", "U.S."),
    ("(RSM)", "RSM"),
    ("NTM-I (Iraq)", "NTM-I (Iraq)"),
    ("the", "the"),
    ("((", ""),
])
def test_repair_span(span, expected):
    start, end = repair_span(span, 0, len(span))
    assert span[start:end] == expected


@pytest.mark.parametrize("a, b", [("NATO's", "NATO"), ("Türkiye", "turkiye"), ("The Taliban", "Taliban"),
                                  ("Mazar-i-Sharif", "mazar i sharif")])
def test_normalized_key_equates_variants(a, b):
    assert normalized_key(a) == normalized_key(b)


KNOWLEDGE = Knowledge({"m": {"PERSON": "PER", "ORG": "ORG", "WORK_OF_ART": "MISC", "GPE": "GPE"}},
                      {"en": [GazetteerEntry("en", "NATO", "ORG", ("North Atlantic Treaty Organization",), "Q7184")]})


def _mentions(text, spans):
    return [Mention("d", s, e, text[s:e], lab, "en", "model") for s, e, lab in spans]


def test_acronym_labels_and_propagation():
    text = "The Resolute Support Mission (RSM) began. RSM trained troops. Later RSM ended. Kabul. Kabul again."
    kabul = text.index("Kabul")
    spans = [(0, 30, "WORK_OF_ART"), (42, 45, "PERSON"), (kabul, kabul + 5, "GPE")]
    result, definitions = normalize_document(text, "d", "en", _mentions(text, spans), {"en": "m"}, KNOWLEDGE)
    by_text = {}
    for m in result:
        by_text.setdefault(m.text, set()).add((m.label, m.source))
        assert text[m.start:m.end] == m.text
    assert by_text["Resolute Support Mission"] == {("MISC", "model")}
    assert {label for label, _ in by_text["RSM"]} == {"MISC"}   # the long form's label, everywhere
    assert ("MISC", "acronym") in by_text["RSM"]
    assert by_text["Kabul"] == {("GPE", "model"), ("GPE", "propagated")}


def test_gazetteer_beats_model_votes():
    text = "NATO met. NATO said. NATO left."
    mentions = _mentions(text, [(0, 4, "PERSON"), (10, 14, "PERSON"), (21, 25, "ORG")])
    result, _ = normalize_document(text, "d", "en", mentions, {"en": "m"}, KNOWLEDGE)
    assert {m.label for m in result} == {"ORG"}


def test_entities_group_aliases_and_ids_are_content_derived():
    mentions = [Mention("a", 0, 4, "NATO", "ORG", "en", "model", "ORG"),
                Mention("b", 0, 34, "North Atlantic Treaty Organization", "ORG", "en", "model", "ORG"),
                Mention("b", 40, 46, "NATO's", "ORG", "en", "model", "ORG"),
                Mention("b", 50, 55, "Kabul", "GPE", "en", "model", "GPE")]
    entities = group_entities(mentions, [], KNOWLEDGE)
    nato = next(e for e in entities if e.canonical == "NATO")
    assert nato.n_mentions == 3 and nato.n_docs == 2 and nato.external_id == "Q7184"
    assert nato.entity_id == entity_id_for("en", "nato")
    reversed_entities = group_entities(list(reversed(mentions)), [], KNOWLEDGE)
    assert [e.entity_id for e in reversed_entities] == [e.entity_id for e in entities]
