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
    # a lower-case term's acronym, English order or Indonesian (head first)
    ("the magnetic resonance imaging (MRI) scan", [("MRI", "magnetic resonance imaging")]),
    ("disebut resonansi magnetik nuklir (NMR) yang", [("NMR", "resonansi magnetik nuklir")]),
    ("dia berbicara di depan ketua mahkamah (MK)", []),   # two lower-case words fit two letters too easily
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
    # a parenthesis the span opens and never closes is cut off
    ("World Health Organization (WHO", "World Health Organization"),
    ("Callejon del Beso (Alley of the Kiss", "Callejon del Beso"),
    ("(WHO", "WHO"),
    ("Alley (of the (Kiss) Beso", "Alley"),   # the outermost unclosed one
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


@pytest.mark.parametrize("forms, grouped", [
    # an English people in the plural is one entity with its singular ...
    ([("Italians", "NORP"), ("Italian", "NORP")], True),
    ([("Assyrians", "NORP"), ("Assyrian", "NORP"), ("Assyrian", "NORP")], True),
    # ... only for nationalities and groups, one word, in English
    ([("Williams", "PER"), ("William", "PER")], False),
    ([("Fine Arts", "NORP"), ("Fine Art", "NORP")], False),
    ([("Congress", "NORP"), ("Congres", "NORP")], False),
])
def test_a_plural_nationality_is_one_entity_with_its_singular(forms, grouped):
    mentions = [Mention(f"d{i}", 0, len(text), text, label, "en", "model", label) for i, (text, label) in enumerate(forms)]
    entities = group_entities(mentions, [], KNOWLEDGE)
    assert (len(entities) == 1) == grouped
    if grouped:
        assert entities[0].n_mentions == len(forms) and entities[0].label == "NORP"
    indonesian = [Mention(m.doc_id, m.start, m.end, m.text, m.label, "id", "model", m.label) for m in mentions]
    assert len(group_entities(indonesian, [], KNOWLEDGE)) == len({f for f, _ in forms})


# --- issue 15: evidence for acronyms, places from knowledge, designators, language names ---

from pipeline.config.load import PROJECT_ROOT  # noqa: E402
from pipeline.resources import PlaceKnowledge, load_places  # noqa: E402

PLACES = PlaceKnowledge(load_places(PROJECT_ROOT / "configs" / "places.yaml"), use_libraries=False)
ID_KNOWLEDGE = Knowledge({"id_ner": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}},
                         {"id": [GazetteerEntry("id", "Perserikatan Bangsa-Bangsa", "ORG", ("PBB",))]}, PLACES)

# Hand-written news sentences (not from any dataset): common-noun abbreviations next to named ones.
NEWS = ("Pemerintah menaikkan harga bahan bakar minyak (BBM) pekan lalu. Antrean BBM terjadi di Jakarta. "
        "Izin hak pengusahaan hutan (HPH) dicabut. Kasus virus avian influenza (AI) atau flu burung meningkat. "
        "Harga gabah kering panen (GKP) turun. Harga Bahan Bakar Minyak (BBM) naik. Badan Nasional Penanggulangan Bencana (BNPB) mengirim bantuan. "
        "Juru bicara BNPB mengatakan hal itu. Perserikatan Bangsa-Bangsa (PBB) ikut membantu.")


def _id_mentions(text, spans):
    return [Mention("d", s, e, text[s:e], lab, "id", "model", model_lang="id") for s, e, lab in spans]


def test_common_noun_acronyms_are_not_entities():
    # the model tagged the institution's acronym once; nothing else
    bnpb = NEWS.index("BNPB mengatakan")
    model = _id_mentions(NEWS, [(bnpb, bnpb + 4, "ORG")])
    result, definitions = normalize_document(NEWS, "d", "id", model, {"id": "id_ner"}, ID_KNOWLEDGE)
    found = {m.text for m in result}
    assert not found & {"BBM", "HPH", "AI", "GKP", "bahan bakar minyak", "hak pengusahaan hutan"}
    assert {"BNPB", "Badan Nasional Penanggulangan Bencana", "PBB"} <= found
    assert {d.acronym for d in definitions} == {"BNPB", "PBB"}


def test_acronym_rule_without_evidence_check_is_the_old_behaviour():
    from pipeline.config import NormalizeRules
    result, _ = normalize_document(NEWS, "d", "id", [], {"id": "id_ner"}, ID_KNOWLEDGE,
                                   rules=NormalizeRules(acronym_evidence=False))
    assert "BBM" in {m.text for m in result}


def test_model_evidence_keeps_a_lowercase_long_form():
    text = "diperiksa komisi pemberantasan korupsi (KPK) kemarin. KPK juga"
    spans = [(10, 38, "ORG")]     # the model tagged the long form itself
    result, definitions = normalize_document(text, "d", "id", _id_mentions(text, spans), {"id": "id_ner"},
                                             ID_KNOWLEDGE)
    assert [d.acronym for d in definitions] == ["KPK"]


@pytest.mark.parametrize("text, span, expected_text, expected_label", [
    ("dikirim ke kota Berlin kemarin", "kota Berlin", "Berlin", "LOC"),
    ("di provinsi Jawa Tengah", "provinsi Jawa Tengah", "Jawa Tengah", "LOC"),
    ("di Kota Kinabalu", "Kota Kinabalu", "Kota Kinabalu", "LOC"),          # a capitalised designator is the name
    ("mendarat di bandara Chuuk Island", "bandara Chuuk Island", "Chuuk Island", "LOC"),   # airport
    ("ditulis dalam bahasa Inggris dan", "Inggris", "Inggris", "MISC"),      # a language, not a place
    ("ditulis dalam bahasa Inggris dan", "bahasa Inggris", "Inggris", "MISC"),
    ("melintasi Laut China Selatan", "Laut China Selatan", "Laut China Selatan", "LOC"),
    ("tiba di Inggris", "Inggris", "Inggris", "GPE"),
])
def test_designators_language_names_and_places(text, span, expected_text, expected_label):
    start = text.index(span)
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(start, start + len(span), "LOC")]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE)
    assert [(m.text, m.label) for m in result] == [(expected_text, expected_label)]



@pytest.mark.parametrize("text, span, label, expected", [
    ("bersama Bapak Mandagi, para muridnya", "Bapak Mandagi", "PER", "Mandagi"),
    ("kata Nona Steinem kemarin", "Nona Steinem", "PER", "Steinem"),
    ("kata pak Harto", "pak Harto", "PER", "Harto"),                    # any case
    ("menurut Ibu Kota Nusantara", "Ibu Kota Nusantara", "LOC", "Ibu Kota Nusantara"),  # persons only
    ("kata Bapak dan", "Bapak", "PER", "Bapak"),                         # nothing after the title
])
def test_person_titles_are_not_part_of_the_name(text, span, label, expected):
    start = text.index(span)
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(start, start + len(span), label)]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE)
    assert [m.text for m in result] == [expected]


def test_person_titles_rule_can_be_switched_off():
    from pipeline.config import NormalizeRules
    text = "bersama Bapak Mandagi, para muridnya"
    start = text.index("Bapak")
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(start, start + 13, "PER")]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE, rules=NormalizeRules(person_titles=False))
    assert [m.text for m in result] == ["Bapak Mandagi"]


@pytest.mark.parametrize("text, expected", [
    ("Inggris\n\nSainsbury", ["Inggris", "Sainsbury"]),
    ("Facebook \n Tim Berners", ["Facebook", "Tim Berners"]),
    ("Tim Berners-Lee", ["Tim Berners-Lee"]),
    ("\nPalu", ["Palu"]),
])
def test_line_parts(text, expected):
    from pipeline.stages.normalize.spans import line_parts
    assert [text[s:e] for s, e in line_parts(text, 0, len(text))] == expected


COUNTRIES = {"Italia", "Korea Utara", "Korea", "Indonesia", "Inggris"}
COMMON = {"utara", "latin", "timur", "post"}


@pytest.mark.parametrize("span, expected", [
    ("Italia Juve", "Italia"),
    ("Italia Molinari", "Italia"),
    ("Korea Utara Pyongyang", "Korea Utara"),      # the longest country name counts
    ("Korea Utara", ""),                           # an ordinary word after the country: one name
    ("Indonesia Timur", ""),
    ("Juve Italia", ""),                           # the country last: left to the model
    ("Italia juve", ""),                           # lowercase next word
    ("Italia", ""),
])
def test_leading_country_end(span, expected):
    from pipeline.stages.normalize.spans import leading_country_end
    end = leading_country_end(span, 0, len(span), COUNTRIES.__contains__, lambda w: w.lower() in COMMON)
    assert span[:end] == expected


@pytest.mark.parametrize("text, span, label, expected", [
    ("klub raksasa Italia Juve dengan", "Italia Juve", "LOC", [("Italia", "GPE"), ("Juve", "LOC")]),
    ("ke Korea Utara kemarin", "Korea Utara", "LOC", [("Korea Utara", "GPE")]),
    ("kata Italia Molinari", "Italia Molinari", "ORG", [("Italia Molinari", "ORG")]),   # places only
    ("judul Inggris\n\nSainsbury berencana", "Inggris\n\nSainsbury", "ORG", [("Inggris", "ORG"), ("Sainsbury", "ORG")]),
])
def test_spans_cut_at_line_breaks_and_after_a_leading_country(text, span, label, expected):
    start = text.index(span)
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(start, start + len(span), label)]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE)
    assert [(m.text, m.label) for m in result] == expected


@pytest.mark.parametrize("text, expected", [
    ("Boots, Superdrug", ["Boots", "Superdrug"]),
    ("Boots, Superdrug, Debenhams", ["Boots", "Superdrug", "Debenhams"]),
    ("Palu, capital", ["Palu, capital"]),          # no capitalised word after the comma
    ("Sainsbury", ["Sainsbury"]),
    ("Suffolk University Political Research Center/Boston Globe",
     ["Suffolk University Political Research Center", "Boston Globe"]),
    ("AC/DC", ["AC/DC"]),
    ("Elvie/Mother", ["Elvie/Mother"]),
])
def test_list_parts(text, expected):
    from pipeline.stages.normalize.spans import list_parts
    assert [text[s:e] for s, e in list_parts(text, 0, len(text))] == expected


@pytest.mark.parametrize("text, expected", [
    ("Xining provinsi Qinghai", "provinsi Qinghai"),
    ("Liupanshui provinsi Guizhou", "provinsi Guizhou"),
    ("Jakarta ibu kota Indonesia", "ibu kota Indonesia"),     # a designator of several words
    ("Xining Provinsi Qinghai", ""),                          # capitalised: part of a name
    ("pusat provinsi Qinghai", ""),                           # no name before it
    ("Xining provinsi", ""),
])
def test_inner_designator_start(text, expected):
    from pipeline.stages.normalize.spans import inner_designator_start
    start = inner_designator_start(text, 0, len(text), ("provinsi", "kota", "ibu kota"))
    assert (text[start:] if start else "") == expected


@pytest.mark.parametrize("text, expected", [
    ("Yunnan province", "Yunnan"),
    ("Qinghai Province", "Qinghai Province"),   # capitalised: the name's own
    ("Quebec City", "Quebec City"),
    ("province", "province"),
])
def test_trim_designator_tail(text, expected):
    from pipeline.stages.normalize.spans import trim_designator_tail
    assert text[:trim_designator_tail(text, 0, len(text), ("province", "city"))] == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("Saham Marks & Spencer turun", [("Marks", "ORG"), ("Spencer", "PER")], [("Marks & Spencer", "ORG")]),
    ("galangan Blohm & Voss", [("Blohm", "ORG"), ("Voss", "ORG")], [("Blohm & Voss", "ORG")]),
    ("Marks dan Spencer", [("Marks", "PER"), ("Spencer", "PER")], [("Marks", "PER"), ("Spencer", "PER")]),
])
def test_names_joined_by_an_ampersand_are_one(text, spans, expected):
    located = [(text.index(form), text.index(form) + len(form), label) for form, label in spans]
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, located), {"id": "id_ner"}, ID_KNOWLEDGE)
    assert [(m.text, m.label) for m in result] == expected

@pytest.mark.parametrize("text, expected", [
    ("Saham Marks and Spencer turun", ["Marks and Spencer"]),
    ("Bintang Game of Thrones Kit Harington", ["Game of Thrones"]),     # Bintang: Indonesian; a name after
    ("serial HBO Game of Thrones.", ["Game of Thrones"]),               # a name before
    ("Ia bertemu Trump. Bank of England menaikkan bunga", ["Bank of England"]),   # never across a full stop
    ("Kata Bank of England. Carney mengatakan", ["Bank of England"]),
    ("pabrik Škoda and Volkswagen", ["Škoda and Volkswagen"]),          # capitals beyond ASCII
    ("U.S. Department of Justice", ["Department of Justice"]),          # 'U.S.' ends in a full stop
    ("Florida Fish and Wildlife Commission (FWC)", ["Florida Fish and Wildlife Commission"]),  # a place: kept
    ("Jaksa Agung District of Columbia", ["District of Columbia"]),
    ("Menteri Luar Negeri dan Presiden", []),                           # Indonesian 'dan' joins nothing
    ("kota of the", []),
])
def test_verbatim_english_names(text, expected):
    from pipeline.stages.normalize.spans import verbatim_english_names
    indonesian_words = {"bintang", "jaksa", "agung", "saham", "kata"}
    spans = verbatim_english_names(text, ("of", "and", "the"), lambda w: w.lower() in indonesian_words,
                                   leading_names=frozenset({"HBO"}), trailing_names=frozenset({"Kit Harington", "HBO"}))
    assert [text[s:e] for s, e in spans] == expected


@pytest.mark.parametrize("text, spans, verbatim, expected", [
    # the pieces the model found become one name, labelled by its last piece (English names end in their head)
    ("di Rumah Sakit Brigham and Women's Hospital kemarin", [("Brigham", "PER"), ("Women's Hospital", "ORG")],
     True, [("Brigham and Women's Hospital", "ORG", "verbatim")]),
    ("bintang Game of Thrones datang", [], True, [("Game of Thrones", "ORG", "verbatim")]),
    # a span that would cut a mention is left alone
    ("Jaksa Agung District of Columbia", [("Agung District", "ORG")], True, [("Agung District", "ORG", "model")]),
    ("di Rumah Sakit Brigham and Women's Hospital kemarin", [("Brigham", "PER"), ("Women's Hospital", "ORG")],
     False, [("Brigham", "PER", "model"), ("Women's Hospital", "ORG", "model")]),
])
def test_an_english_name_kept_verbatim_is_one_mention(text, spans, verbatim, expected):
    from pipeline.config import NormalizeRules
    located = [(text.index(form), text.index(form) + len(form), label) for form, label in spans]
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, located), {"id": "id_ner"}, ID_KNOWLEDGE,
                                   rules=NormalizeRules(verbatim_english_names=verbatim))
    assert [(m.text, m.label, m.source) for m in result] == expected


@pytest.mark.parametrize("english, expected", [
    # language id cut the name out of its Indonesian sentence: the English segment is the name itself
    ("Brigham and Women's Hospital", [("Brigham and Women's Hospital", "ORG", "verbatim")]),
    # a quoted English sentence: its 'and' is ordinary English, two names
    ("Brigham and Women's Hospital staff said", [("Brigham", "PER", "model"), ("Women's Hospital", "ORG", "model")]),
])
def test_an_english_segment_with_other_english_words_joins_nothing(english, expected):
    text = f"Menurut {english} kemarin"
    located = [(text.index(form), text.index(form) + len(form), label)
               for form, label in (("Brigham", "PER"), ("Women's Hospital", "ORG"))]
    start = text.index(english)
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, located), {"id": "id_ner"}, ID_KNOWLEDGE,
                                   english_segments=[(start, start + len(english))])
    assert [(m.text, m.label, m.source) for m in result] == expected


@pytest.mark.parametrize("text, time_zones, expected", [
    ("Insiden itu terjadi sekitar pukul 19:30 BST.", True, "TIME"),
    ("antara pukul 12.00 dan 13.00 BST", True, "TIME"),
    ("dimulai 7 p.m. BST", True, "TIME"),
    ("Perusahaan BST mengumumkan", True, "ORG"),       # no clock time before it: a name
    ("Insiden itu terjadi sekitar pukul 19:30 BST.", False, "ORG"),
])
def test_a_time_zone_after_a_clock_time_is_part_of_the_time(text, time_zones, expected):
    from pipeline.config import NormalizeRules
    start = text.index("BST")
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(start, start + 3, "ORG")]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE, rules=NormalizeRules(time_zones=time_zones))
    assert [(m.text, m.label) for m in result] == [("BST", expected)]


def test_a_time_zone_is_decided_per_occurrence_after_the_label_vote():
    # the same letters as a name elsewhere in the text keep the voted label; after the clock time: TIME
    text = "Laga mulai pukul 19:30 BST. Stasiun TV BST menyiarkannya."
    spans = [(m.start(), m.end(), "ORG") for m in __import__("re").finditer("BST", text)]
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, spans), {"id": "id_ner"}, ID_KNOWLEDGE)
    assert [(m.start, m.label) for m in result] == [(spans[0][0], "TIME"), (spans[1][0], "ORG")]


# --- issue 17: entities grouped in passes over records (memory grows with forms, not mentions) ---

from pipeline.core.records import AcronymDefinition, DocRecord, Document, LanguageResult  # noqa: E402
from pipeline.stages.normalize import EntityGrouper  # noqa: E402


def _doc_record(doc_id, mentions, acronyms=()):
    return DocRecord(Document(doc_id, doc_id, "", "", "utf-8"), LanguageResult("en", 0.99, False),
                     mentions=list(mentions), acronyms=list(acronyms))


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 0, 2]])
def test_grouper_result_does_not_depend_on_record_order(order):
    records = [
        _doc_record("a", [Mention("a", 0, 3, "PRT", "ORG", "en", "model", "ORG")],
                    [AcronymDefinition("PRT", 40, 0, 35, "Provincial Reconstruction Team", "initials")]),
        _doc_record("b", [Mention("b", 0, 30, "Provincial Reconstruction Team", "ORG", "en", "model", "ORG"),
                          Mention("b", 40, 43, "PRT", "GPE", "en", "model", "GPE")]),
        _doc_record("c", [Mention("c", 0, 5, "Kabul", "GPE", "en", "model", "GPE")]),
    ]
    grouper = EntityGrouper(KNOWLEDGE)
    for i in order:
        grouper.add(records[i])
    grouper.close()
    for i in order:
        grouper.assign(records[i])
    entities = grouper.entities()
    prt = next(e for e in entities if e.canonical == "Provincial Reconstruction Team")
    assert (prt.n_mentions, prt.n_docs, prt.label, prt.aliases) == (3, 2, "ORG", ["PRT"])
    assert {m.entity_id for r in records[:2] for m in r.mentions} == {prt.entity_id}
    assert {m.label for r in records[:2] for m in r.mentions} == {"ORG"}


def test_grouper_applies_alignment_labels_but_keeps_numeric_mentions():
    record = _doc_record("a", [Mention("a", 0, 5, "Herat", "LOC", "id", "model", "LOC"),
                               Mention("a", 9, 13, "2014", "DATE", "id", "numeric", "DATE")])
    grouper = EntityGrouper(KNOWLEDGE)
    grouper.add(record)
    grouper.close()
    herat = next(e for e in grouper.entities() if e.canonical == "Herat")
    grouper.assign(record, {herat.entity_id: "GPE"})
    assert [m.label for m in record.mentions] == ["GPE", "DATE"]
    assert herat.n_docs == 0 and grouper.entities()[0].n_docs == 1

@pytest.mark.parametrize("text, span, taken, expected", [
    ("pemimpin Moon Jae-in dalam", "Moon Jae", [], "Moon Jae-in"),                # Korean given name
    ("tahun ini, Hans-Peter Bartels, kepala", "Peter Bartels", [], "Hans-Peter Bartels"),
    ("kota Mazar-i-Sharif di", "Mazar", [], "Mazar-i-Sharif"),
    ("pemrotes anti-Erdogan di", "Erdogan", [], "Erdogan"),                      # a lowercase prefix stays out
    ("the US-China trade war", "US", ["China"], "US"),                           # the other part is a mention
    ("the US-China trade war", "China", ["US"], "China"),
    ("Ri Yong Ho berbicara", "Yong Ho", [], "Yong Ho"),                          # no hyphen: unchanged
    ("skor 1-0 untuk", "1", [], "1"),                                            # digits are not words
    ("a Netherlands-based group", "Netherlands", [], "Netherlands"),             # a compound, not a name
    ("the Al-Qaeda-linked group", "Al-Qaeda", [], "Al-Qaeda"),
    ("Jokowi-nya", "Jokowi", [], "Jokowi"),                                      # a clitic
    ("Presiden Lee Myung-bak dan", "Lee Myung", [], "Lee Myung-bak"),
])
def test_complete_words(text, span, taken, expected):
    from pipeline.stages.normalize.spans import complete_words

    start = text.index(span)
    spans = [(text.index(t), text.index(t) + len(t)) for t in taken]
    s, e = complete_words(text, start, start + len(span), spans)
    assert text[s:e] == expected


def test_complete_words_joins_the_halves_of_one_person_name():
    from pipeline.stages.normalize.spans import complete_words

    text = "tahun ini, Hans-Peter Bartels, kepala"
    hans, peter = (11, 15), (16, 29)
    assert text[slice(*peter)] == "Peter Bartels"
    assert complete_words(text, *peter, [hans], [hans]) == (11, 29)          # both PER: one name
    assert complete_words(text, *peter, [hans], []) == peter                 # a mention of its own stays


@pytest.mark.parametrize("whole_words, expected", [(True, "Moon Jae-in"), (False, "Moon Jae")])
def test_whole_words_rule_is_switchable(whole_words, expected):

    from pipeline.config import NormalizeRules

    text = "Presiden Moon Jae-in berkata"
    start = text.index("Moon")
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(start, start + 8, "PER")]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE, rules=NormalizeRules(whole_words=whole_words))
    assert [m.text for m in result] == [expected]


def test_two_person_halves_become_one_mention():
    text = "Awal tahun ini, Hans-Peter Bartels, kepala komite"
    hans, peter = text.index("Hans"), text.index("Peter")
    result, _ = normalize_document(text, "d", "id", _id_mentions(text, [(hans, hans + 4, "PER"),
                                                                        (peter, peter + 13, "PER")]),
                                   {"id": "id_ner"}, ID_KNOWLEDGE)
    assert [m.text for m in result] == ["Hans-Peter Bartels"]


@pytest.mark.parametrize("text, form", [
    ("NATO and NATO's allies; NATO-led, UNATO, NATO_x, NATO", "NATO"),
    ("Kabul kabul Kabul-Herat Kabul.", "Kabul"),
    ("aaa aa aa", "aa"),
    ("Ré Ré1 éRé Ré", "Ré"),
    ("", "X"),
])
def test_occurrences_are_what_the_whole_word_regex_finds(text, form):
    import re
    from pipeline.stages.normalize.consistency import _occurrences
    expected = [(m.start(), m.end()) for m in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", text)]
    assert _occurrences(text, form) == expected


@pytest.mark.parametrize("text, kept", [
    ("A magnetic resonance imaging (MRI) scan. The MRI showed Kabul.", False),   # a term: no mention
    ("The Magnetic Resonance Institute (MRI) met. The MRI left Kabul.", True),   # a name
    ("Alat resonansi magnetik nuklir (MRI) di Kabul. MRI itu baru.", True),       # initials do not fit: no definition
])
def test_an_acronym_defined_by_a_lower_case_term_is_no_name(text, kept):
    spans = [(i, i + 3, "ORG") for i in range(len(text)) if text.startswith("MRI", i)]
    spans.append((text.index("Kabul"), text.index("Kabul") + 5, "GPE"))
    result, _ = normalize_document(text, "d", "en", _mentions(text, spans), {"en": "m"}, KNOWLEDGE)
    assert ("MRI" in {m.text for m in result}) == kept
    assert "Kabul" in {m.text for m in result}


def test_term_acronyms_are_recorded_for_the_corpus_and_the_rule_can_be_switched_off():
    from pipeline.config import NormalizeRules
    from pipeline.core.records import DocRecord, Document, LanguageResult
    from pipeline.stages.normalize import drop_corpus_terms, normalize_record

    text = "An extravehicular activity (EVA) took hours. The EVA ended."
    spans = [(i, i + 3, "ORG") for i in range(len(text)) if text.startswith("EVA", i)]
    for rule, terms in ((True, ["EVA"]), (False, [])):
        record = DocRecord(Document("d", "d.txt", "h", text, "utf-8"), LanguageResult("en", 0.99, False),
                           mentions=_mentions(text, spans))
        normalize_record(record, {"en": "m"}, KNOWLEDGE, rules=NormalizeRules(term_acronyms=rule))
        assert record.terms == terms
        assert ("EVA" in {m.text for m in record.mentions}) != rule
    drop_corpus_terms(record, {"EVA"}, KNOWLEDGE)   # what the corpus step does with every document's terms
    assert "EVA" not in {m.text for m in record.mentions}


@pytest.mark.parametrize("text, form, common", [
    ("Epidemic\n\nThe epidemic grew in March.", "Epidemic", True),        # capitalised only in a headline
    ("The Coronavirus spreads. A coronavirus is a virus.", "Coronavirus", True),   # once each way
    ("levels of apelin rose", "apelin", True),                           # a model mention in lower case
    ("Labour won. The Labour leader said labour costs rose, as Labour said.", "Labour", False),  # 3 names, 1 word
    ("We met the Alliance. The Alliance said the alliance held.", "Alliance", False),
    ("Paris is big. In Paris, people walk.", "Paris", False),            # never in lower case
    ("The MERS outbreak; mers is not written so.", "MERS", False),        # all capitals: acronyms' own rules
    ("Buy an iPhone. The iphone sold.", "iPhone", False),                  # a capital inside the word
    ("Nord Stream opened. The stream ran.", "Nord Stream", False),         # two words
])
def test_a_one_word_form_written_in_lower_case_as_often_is_a_common_word(text, form, common):
    from pipeline.stages.normalize.consistency import is_common_word

    assert is_common_word(text, form) == common


@pytest.mark.parametrize("rule, source, kept", [
    (True, "model", False),   # the rule drops the model's mention
    (False, "model", True),   # switched off: kept
    (True, "ruler", True),    # curated patterns decide for themselves
])
def test_common_words_drop_only_model_mentions_and_can_be_switched_off(rule, source, kept):
    from pipeline.config import NormalizeRules

    text = "Pneumonia\n\nThe pneumonia cases rose in Kabul."
    mentions = _mentions(text, [(0, 9, "ORG"), (text.index("Kabul"), text.index("Kabul") + 5, "GPE")])
    mentions[0] = Mention(mentions[0].doc_id, 0, 9, "Pneumonia", "ORG", "en", source, "ORG", model_lang="en")
    result, _ = normalize_document(text, "d", "en", mentions, {"en": "m"}, KNOWLEDGE,
                                   rules=NormalizeRules(common_words=rule))
    assert ("Pneumonia" in {m.text for m in result}) == kept
    assert "Kabul" in {m.text for m in result}


@pytest.mark.parametrize("text, span, others, expected", [
    ("estimates by the Federal Reserve Bank of St. Louis. The lockdown", "Federal Reserve Bank of", [],
     "Federal Reserve Bank of St. Louis"),        # 'St.' keeps its stop, 'Louis.' ends the name
    ("The Organisation for Economic Co-operation and Development has", "Organisation for Economic Co-operation and",
     [], "Organisation for Economic Co-operation and Development"),
    ("menurut Kementerian Riset dan Teknologi kemarin", "Kementerian Riset dan", [], "Kementerian Riset dan Teknologi"),
    ("Kementerian Riset dan Teknologi Bambang Brodjonegoro", "Kementerian Riset dan", ["Bambang Brodjonegoro"],
     "Kementerian Riset dan Teknologi"),           # a mention further on stops the name before itself
    ("Reserve Bank of St. Louis President James", "Reserve Bank of", ["St. Louis"],
     "Reserve Bank of St. Louis"),                 # a mention right after the joiner is taken whole, and ends it
    ("Reserve Bank of St. Louis, wabah", "Reserve Bank of", ["Louis"], "Reserve Bank of St. Louis"),   # after 'St.' too
    ("Reserve Bank of St. Louis, wabah", "Reserve Bank of", ["St", "Louis"], "Reserve Bank of St. Louis"),
    ("Reserve Bank of St. Louis, wabah", "Reserve Bank of", ["St.", "Louis"], "Reserve Bank of St. Louis"),
    ("The Embassy of the U.S. The ambassador", "Embassy of the", [], "Embassy of the U.S."),
    ("the Bank of Ávila said", "Bank of", [], "Bank of Ávila"),
    ("the Bank of England said", "Bank of ", [], "Bank of England"),   # trailing white space in the span
    ("the Bank of the city", "Bank of", [], "Bank"),   # nothing capitalised after it: the joiner goes
    ("the Bank of\nEngland", "Bank of", [], "Bank"),   # a line break is no space inside a name
    ("the Bank of England said", "Bank of England", [], "Bank of England"),   # no dangling joiner: as given
])
def test_a_span_never_ends_with_a_joiner(text, span, others, expected):
    from pipeline.stages.normalize.spans import close_dangling_joiner

    start = text.index(span)
    spans = [(text.index(o), text.index(o) + len(o)) for o in others]
    s, e = close_dangling_joiner(text, start, start + len(span), frozenset({"of", "and", "the", "dan"}), spans)
    assert text[s:e] == expected


JOINER_KNOWLEDGE = Knowledge({"m": {"ORG": "ORG", "GPE": "GPE", "PERSON": "PER"}}, {}, PLACES)   # places.yaml joiners


@pytest.mark.parametrize("text, lang, spans, rule, expected", [
    ("Estimates by the Federal Reserve Bank of St. Louis were high.", "en",
     [("Federal Reserve Bank of", "ORG"), ("St. Louis", "GPE")], True, {"Federal Reserve Bank of St. Louis"}),
    ("Estimates by the Federal Reserve Bank of St. Louis were high.", "en",
     [("Federal Reserve Bank of", "ORG"), ("St. Louis", "GPE")], False, {"Federal Reserve Bank of", "St. Louis"}),
    # the grown span is repaired afterwards and still kept (a possessive, a quote, a designator)
    ("the Bank of England's rate", "en", [("Bank of", "ORG")], True, {"Bank of England"}),
    ('He said "Bank of England" rose.', "en", [('"Bank of', "ORG")], True, {"Bank of England"}),
    ("ke Universitas Washington di St. Louis kemarin", "id", [("Universitas Washington di", "ORG")], True,
     {"Universitas Washington di St. Louis"}),
    # a span another repair widened is no grown span ('Moon Jae' -> 'Moon Jae-in', the title trimmed)
    ("kata Bapak Moon Jae-in kemarin", "id", [("Bapak Moon Jae", "PERSON")], True, {"Moon Jae-in"}),
])
def test_dangling_joiners_rule_in_normalize(text, lang, spans, rule, expected):
    from pipeline.config import NormalizeRules

    mentions = [Mention("d", text.index(f), text.index(f) + len(f), f, label, lang, "model") for f, label in spans]
    result, _ = normalize_document(text, "d", lang, mentions, {lang: "m"}, JOINER_KNOWLEDGE,
                                   rules=NormalizeRules(dangling_joiners=rule))
    assert {m.text for m in result} == expected


@pytest.mark.parametrize("text, lang, parts, rule, expected", [
    ("from Trinidad and Tobago, Egypt", "en", [("Trinidad", "ORG"), ("Tobago", "GPE")], True,
     {("Trinidad and Tobago", "GPE")}),            # the country list's label, whatever the parts said
    ("dari Bosnia dan Herzegovina datang", "id", [("Bosnia", "GPE"), ("Herzegovina", "GPE")], True,
     {("Bosnia dan Herzegovina", "GPE")}),
    ("from Trinidad and Tobago, Egypt", "en", [("Trinidad", "GPE"), ("Tobago", "GPE")], False,
     {("Trinidad", "GPE"), ("Tobago", "GPE")}),    # switched off
    ("from Egypt and Iran came", "en", [("Egypt", "GPE"), ("Iran", "GPE")], True,
     {("Egypt", "GPE"), ("Iran", "GPE")}),         # the whole is no known name
])
def test_two_mentions_joined_into_a_known_country_are_one(text, lang, parts, rule, expected):
    from pipeline.config import NormalizeRules

    knowledge = Knowledge({"m": {"GPE": "GPE", "ORG": "ORG"}}, {}, PLACES)   # its country list: pycountry, places.yaml
    mentions = [Mention("d", text.index(p), text.index(p) + len(p), p, label, lang, "model") for p, label in parts]
    result, _ = normalize_document(text, "d", lang, mentions, {lang: "m"}, knowledge,
                                   rules=NormalizeRules(joined_known_names=rule))
    assert {(m.text, m.label) for m in result} == expected


@pytest.mark.parametrize("text, form, label, kept", [
    ("Pneumonia\n\nThe pneumonia cases rose.", "Pneumonia", "ORG", False),
    ("Theresa May spoke. May said the deal may pass.", "May", "PERSON", True),    # persons: surnames are words too
    ("Ribavirin: ribavirin was recommended.", "Ribavirin", "PERSON", False),     # ... never capitalised inside a sentence
    ("March\n\nThey march in March.", "March", "DATE", True),                    # dates and numbers
    ("Turkey\n\nA turkey farm.", "Turkey", "GPE", True),                          # a name the gazetteer knows
    ("Hartnup\n\nThe hartnup test.", "Hartnup", "ORG", False),
])
def test_common_words_spare_persons_dates_and_known_names(text, form, label, kept):
    from pipeline.config import NormalizeRules

    knowledge = Knowledge({"m": {"ORG": "ORG", "PERSON": "PER", "DATE": "DATE", "GPE": "GPE"}},
                          {"en": [GazetteerEntry("en", "Turkey", "GPE")]}, PLACES)
    start = text.rindex(form) if form == "May" else text.index(form)
    mentions = [Mention("d", start, start + len(form), form, label, "en", "model")]
    result, _ = normalize_document(text, "d", "en", mentions, {"en": "m"}, knowledge, propagate=False,
                                   rules=NormalizeRules(common_words=True))
    assert (form in {m.text for m in result}) == kept
