"""pipeline/stages/align/project.py: names one language's model found, projected where the same
string stands in the other language's documents."""
import pytest

from pipeline.config import ProjectionConfig
from pipeline.core.records import DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.stages.align import MentionProjector, ProjectionForms


def _record(doc_id, lang, text, names):
    """A record whose model found ``names``: (surface form, label), located in ``text``."""
    record = DocRecord(Document(doc_id, doc_id, "", text, "utf-8"), LanguageResult(lang, 0.99, False),
                       segments=[Segment(doc_id, 0, 0, len(text), lang, 0.99)])
    record.mentions = [Mention(doc_id, text.index(form), text.index(form) + len(form), form, label, lang, "model",
                               label) for form, label in names]
    return record


ENGLISH = _record("en.txt", "en", "Mayor Eric Garcetti of Los Angeles met the Senate and the Red Cross in May.",
                  [("Eric Garcetti", "PER"), ("Los Angeles", "GPE"), ("Senate", "ORG"), ("Red Cross", "ORG"),
                   ("May", "DATE")])


@pytest.mark.parametrize("text, spans, expected", [
    # the Indonesian model missed both names: both projected, with the English label
    ("Wali kota Eric Garcetti dari Los Angeles bertemu Senat.", [],
     [("Eric Garcetti", "PER"), ("Los Angeles", "GPE")]),
    # a name the Indonesian model found is left alone; only the gap gets a projection
    ("Eric Garcetti dari Los Angeles.", [("Eric Garcetti", "PER")], [("Los Angeles", "GPE")]),
    # never inside or across an existing mention
    ("Gubernur Los Angeles County tiba.", [("Los Angeles County", "LOC")], []),
    # a longer string is not a match for a part of it: whole tokens only
    ("Los Angelesnya ramai.", [], []),
    # numeric mentions are never projected (May), nor is a form that is an ordinary Indonesian word
    ("Pada May lalu, Senate bersidang.", [], [("Senate", "ORG")]),
    # lower-case occurrences are not names
    ("los angeles dan eric garcetti", [], []),
])
def test_projection_into_indonesian(text, spans, expected):
    forms = ProjectionForms(ProjectionConfig())
    forms.add(ENGLISH)
    indonesian = _record("id.txt", "id", text, spans)
    forms.add(_record("other_id.txt", "id", "Presiden Joko Widodo.", [("Joko Widodo", "PER")]))
    before = len(indonesian.mentions)
    added = MentionProjector(forms, ["en", "id"]).project(indonesian)
    got = [(m.text, m.label) for m in indonesian.mentions if m.source == "projected"]
    assert got == expected and added == len(expected) == len(indonesian.mentions) - before
    assert all(indonesian.document.text[m.start:m.end] == m.text and m.lang == "id" and m.seg_id == 0
               for m in indonesian.mentions if m.source == "projected")


def test_projection_goes_both_ways_and_never_within_a_language():
    forms = ProjectionForms(ProjectionConfig())
    forms.add(ENGLISH)
    forms.add(_record("id.txt", "id", "Presiden Joko Widodo.", [("Joko Widodo", "PER")]))
    projector = MentionProjector(forms, ["en", "id"])
    english = _record("en2.txt", "en", "Joko Widodo spoke; Eric Garcetti listened.", [])
    assert projector.project(english) == 1
    assert [(m.text, m.label, m.source) for m in english.mentions] == [("Joko Widodo", "PER", "projected")]


def test_short_forms_and_switched_off_settings():
    forms = ProjectionForms(ProjectionConfig(min_chars=20))
    forms.add(ENGLISH)
    assert MentionProjector(forms, ["en", "id"]).project(_record("id.txt", "id", "Eric Garcetti tiba.", [])) == 0


def test_second_pass_reuses_the_first_search_and_never_adds_twice(monkeypatch):
    """The corpus step projects every record in both of its passes (records read back afresh):
    the second gets the first's spans without searching, and one record projected twice keeps one copy."""
    forms = ProjectionForms(ProjectionConfig())
    forms.add(ENGLISH)
    projector = MentionProjector(forms, ["en", "id"])
    text = "Eric Garcetti dari Los Angeles."
    first = _record("id.txt", "id", text, [])
    assert projector.project(first) == 2
    monkeypatch.setattr(MentionProjector, "_search", staticmethod(lambda *args: pytest.fail("searched again")))
    again = _record("id.txt", "id", text, [])
    assert projector.project(again) == 2
    assert [(m.start, m.text, m.label) for m in again.mentions] == [(m.start, m.text, m.label) for m in first.mentions]
    assert projector.project(again) == 0 and len(again.mentions) == 2


def _numeric(record, text, label="CARDINAL"):
    start = record.document.text.index(text)
    record.mentions.append(Mention(record.doc_id, start, start + len(text), text, label, record.language.lang,
                                   "rule", label))
    record.mentions.sort(key=lambda m: (m.start, m.end))
    return record


@pytest.mark.parametrize("id_text, numbers, expected_projected, expected_numbers", [
    # a number wholly inside the name: the name replaces it
    ("Proyek Nord Stream 2 ditunda.", ["2"], ["Nord Stream 2"], []),
    # a number the name would cut: no projection, the number stays
    ("Proyek Nord Stream 2,5 ditunda.", ["2,5"], [], ["2,5"]),
    # numbers elsewhere are left alone
    ("Nord Stream 2 senilai 11 miliar.", ["11"], ["Nord Stream 2"], ["11"]),
])
def test_a_projected_name_may_hold_a_whole_number(id_text, numbers, expected_projected, expected_numbers):
    forms = ProjectionForms(ProjectionConfig())
    forms.add(_record("en.txt", "en", "The Nord Stream 2 pipeline.", [("Nord Stream 2", "ORG")]))
    indonesian = _record("id.txt", "id", id_text, [])
    for number in numbers:
        _numeric(indonesian, number)
    MentionProjector(forms, ["en", "id"]).project(indonesian)
    assert [m.text for m in indonesian.mentions if m.source == "projected"] == expected_projected
    assert [m.text for m in indonesian.mentions if m.source == "rule"] == expected_numbers


@pytest.mark.parametrize("id_form, designators, english_text, expected", [
    # the Indonesian name without its designator is sought in English ('Pidie Jaya regency')
    ("Kabupaten Pidie Jaya", {"id": ("kabupaten",)}, "The Pidie Jaya regency was hit.", ["Pidie Jaya"]),
    ("Provinsi Aceh", {"id": ("provinsi",)}, "Aceh province was hit.", ["Aceh"]),
    # two-word designators too
    ("Ibu Kota Jakarta", {"id": ("ibu kota",)}, "Jakarta is the capital.", ["Jakarta"]),
    # without the designator list, only the whole form is sought
    ("Kabupaten Pidie Jaya", {}, "The Pidie Jaya regency was hit.", []),
    # a designator alone leaves no name: only the form as written is sought
    ("Kabupaten", {"id": ("kabupaten",)}, "The Kabupaten office.", ["Kabupaten"]),
])
def test_designators_are_left_out_of_projected_forms(id_form, designators, english_text, expected):
    forms = ProjectionForms(ProjectionConfig(), designators)
    forms.add(_record("id.txt", "id", f"Gempa di {id_form}.", [(id_form, "GPE")]))
    english = _record("en.txt", "en", english_text, [])
    MentionProjector(forms, ["en", "id"]).project(english)
    assert [(m.text, m.label) for m in english.mentions if m.source == "projected"] == [(t, "GPE") for t in expected]
    assert set(forms.labels["id"]) == {id_form, *expected}  # the form as written, and the name without designator


@pytest.mark.parametrize("id_text, config, expected", [
    # the Indonesian spelling of an English one-word name (same phonetic key: c -> k)
    ("Pasukan tiba di Damaskus kemarin.", ProjectionConfig(), [("Damaskus", "GPE")]),
    # the form as written is found too, as before
    ("Pasukan tiba di Damascus kemarin.", ProjectionConfig(), [("Damascus", "GPE")]),
    # lower case is no name; an ordinary Indonesian word is never a variant
    ("pasukan tiba di damaskus.", ProjectionConfig(), []),
    # switched off, or the form too short for variants
    ("Pasukan tiba di Damaskus kemarin.", ProjectionConfig(spelling_variants=False), []),
    ("Pasukan tiba di Damaskus kemarin.", ProjectionConfig(min_variant_chars=9), []),
])
def test_spelling_variants_of_one_word_forms_are_projected(id_text, config, expected):
    forms = ProjectionForms(config)
    forms.add(_record("en.txt", "en", "Troops reached Damascus.", [("Damascus", "GPE")]))
    indonesian = _record("id.txt", "id", id_text, [])
    MentionProjector(forms, ["en", "id"]).project(indonesian)
    assert [(m.text, m.label) for m in indonesian.mentions if m.source == "projected"] == expected


def test_an_ordinary_word_is_never_a_spelling_variant():
    # 'Kamera' (camera) has the phonetic key of the English form 'Camera', but is an Indonesian word
    forms = ProjectionForms(ProjectionConfig())
    forms.add(_record("en.txt", "en", "Camera Obscura played.", [("Camera", "ORG")]))
    indonesian = _record("id.txt", "id", "Kamera itu mahal.", [])
    assert MentionProjector(forms, ["en", "id"]).project(indonesian) == 0


@pytest.mark.parametrize("ratio, expected", [
    # London is frequent in Indonesian text, but more so in English: a name, projected; Internet is
    # more frequent in Indonesian than in English (wordfreq): an ordinary Indonesian word, not projected
    (1.0, [("London", "GPE")]),
    (0.0, []),     # frequency alone (the old rule): both are ordinary words
])
def test_a_name_frequent_in_both_languages_is_still_a_name(ratio, expected):
    forms = ProjectionForms(ProjectionConfig(common_word_ratio=ratio))
    forms.add(_record("en.txt", "en", "He lives in London and uses the Internet.", [("London", "GPE"), ("Internet", "MISC")]))
    indonesian = _record("id.txt", "id", "Dia tinggal di London dan memakai Internet.", [])
    MentionProjector(forms, ["en", "id"]).project(indonesian)
    assert [(m.text, m.label) for m in indonesian.mentions] == expected


def test_a_form_is_found_with_either_apostrophe():
    forms = ProjectionForms(ProjectionConfig())
    forms.add(_record("en.txt", "en", "Burt's Bees grew.", [("Burt's Bees", "ORG")]))
    indonesian = _record("id.txt", "id", "Penjualan Burt’s Bees naik.", [])
    assert MentionProjector(forms, ["en", "id"]).project(indonesian) == 1
    assert [(m.text, m.label) for m in indonesian.mentions] == [("Burt’s Bees", "ORG")]


@pytest.mark.parametrize("source, english_names, expected", [
    # an English name the Indonesian text kept verbatim replaces the pieces the English model cut it into
    ("verbatim", [("Marks", "ORG"), ("Spencer", "PER")], [("Marks and Spencer", "ORG", "projected")]),
    # the same form found by a model goes into gaps only: the pieces stay
    ("model", [("Marks", "ORG"), ("Spencer", "PER")], [("Marks", "ORG", "model"), ("Spencer", "PER", "model")]),
    # never over a mention it would cut, nor over the whole name already found (its label stands)
    ("verbatim", [("Spencer said", "ORG")], [("Spencer said", "ORG", "model")]),
    ("verbatim", [("Marks and Spencer", "PER")], [("Marks and Spencer", "PER", "model")]),
])
def test_a_verbatim_english_name_replaces_its_pieces(source, english_names, expected):
    forms = ProjectionForms(ProjectionConfig())
    indonesian = _record("id.txt", "id", "Saham Marks and Spencer turun.", [("Marks and Spencer", "ORG")])
    indonesian.mentions[0].source = source
    forms.add(indonesian)
    english = _record("en.txt", "en", "Shares in Marks and Spencer said so.", english_names)
    MentionProjector(forms, ["en", "id"]).project(english)
    assert [(m.text, m.label, m.source) for m in english.mentions] == expected


TRIM_ENGLISH = _record("en3.txt", "en", "Writer Dustin Lance Black studied at Harvard and met Jeane Freeman of the Red Cross.",
                       [("Dustin Lance Black", "PER"), ("Harvard", "ORG"), ("Jeane Freeman", "PER"), ("Red Cross", "ORG")])


@pytest.mark.parametrize("text, model, expected", [
    # a place abbreviation of the text's own language run into the name: both stand, each with its label
    ("Penulis AS Dustin Lance Black tiba.", [("AS Dustin Lance Black", "ORG")],
     [("AS", "GPE"), ("Dustin Lance Black", "PER")]),
    # lower-case words and an ALL-CAPS abbreviation are not part of the name
    ("Di kampus Dustin Lance Black tiba.", [("kampus Dustin Lance Black", "LOC")], [("Dustin Lance Black", "PER")]),
    ("Kata Jeane Freeman MSP hari ini.", [("Jeane Freeman MSP", "PER")], [("Jeane Freeman", "PER")]),
    ("Di stasiun 9 Red Cross.", [("stasiun 9 Red Cross", "LOC")], [("Red Cross", "ORG")]),
    # a number alone may belong to the name ('Nord Stream 2')
    ("Di Red Cross 9.", [("Red Cross 9", "LOC")], []),
    # a known place run into the name stands on its own ('London' in 'Stamford Bridge London')
    ("Di Jeane Freeman London.", [("Jeane Freeman London", "PER")], [("Jeane Freeman", "PER"), ("London", "GPE")]),
    # ... but a designator is part of the name, though a place of that name exists ('Kota', India)
    ("Di Kota Dustin Lance Black.", [("Kota Dustin Lance Black", "GPE")], []),
    # a capitalised word that may belong to the name stays: the mention is kept whole, even when the
    # language's model took it for a place ('Ri' of 'Ri Yong Ho' was taken for one by both models)
    ("Ada Profesor Dustin Lance Black.", [("Profesor Dustin Lance Black", "PER")], []),
    ("Menurut Negara Dustin Lance Black.", [("Negara Dustin Lance Black", "PER")], []),
    # a one-word form trims too, but a capitalised rest stays part of the name ('Universitas Harvard')
    ("Ia di kampus Harvard.", [("kampus Harvard", "ORG")], [("Harvard", "ORG")]),
    ("Ia di Universitas Harvard.", [("Universitas Harvard", "ORG")], []),
    # a rest that is another name of two or more words stands on its own; two person names never split
    ("Red Cross Jeane Freeman.", [("Red Cross Jeane Freeman", "LOC")], [("Red Cross", "ORG"), ("Jeane Freeman", "PER")]),
    ("Red Cross & Jeane Freeman.", [("Red Cross & Jeane Freeman", "ORG")], [("Red Cross", "ORG"), ("Jeane Freeman", "PER")]),
    ("Harvard Jeane Freeman.", [("Harvard Jeane Freeman", "LOC")], []),
    ("Dustin Lance Black Jeane Freeman.", [("Dustin Lance Black Jeane Freeman", "PER")], []),
    # a known place is one name, though the other language has a part of it ('Korea Utara', 'Korea')
    ("Di London Jeane Freeman.", [("London Jeane Freeman", "GPE")], []),
    # a mention that is itself a form stays
    ("Jeane Freeman tiba.", [("Jeane Freeman", "PER")], []),
])
def test_a_form_inside_a_model_mention_trims_it(text, model, expected):
    forms = ProjectionForms(ProjectionConfig(), {"id": ("kota",)},
                            place_label=lambda lang, text: "GPE" if text in ("London", "Kota", "London Jeane Freeman") else "")
    forms.add(TRIM_ENGLISH)
    forms.add(_record("other_id.txt", "id", "Presiden AS tiba di Negara, Kota dan London.",
                      [("AS", "GPE"), ("Negara", "GPE"), ("Kota", "GPE"), ("London", "GPE")]))
    indonesian = _record("id.txt", "id", text, model)
    MentionProjector(forms, ["en", "id"]).project(indonesian)
    got = [(m.text, m.label) for m in indonesian.mentions if m.source == "projected"]
    assert got == expected
    if expected:  # the trimmed mention gives way to its parts
        assert [(m.text, m.label) for m in indonesian.mentions] == expected
    else:
        assert [(m.text, m.label) for m in indonesian.mentions] == model
    indonesian = _record("id.txt", "id", text, model)
    forms_off = ProjectionForms(ProjectionConfig(trim_mentions=False))
    forms_off.add(TRIM_ENGLISH)
    MentionProjector(forms_off, ["en", "id"]).project(indonesian)
    assert [(m.text, m.label) for m in indonesian.mentions] == model  # switched off: untouched


@pytest.mark.parametrize("english_text, english_names, expected", [
    # the English model found part of the name, or cut it in two: the Indonesian model's whole name stands
    ("Six Flags St. Louis opened.", [("St. Louis", "GPE")], [("Six Flags St. Louis", "ORG", "projected")]),
    ("Partizan Belgrade won.", [("Partizan", "GPE"), ("Belgrade", "GPE")], [("Partizan Belgrade", "ORG", "projected")]),
    # never over a person (what a longer form adds to one is a title), never a form with digits (a score
    # run into a name) or quotation marks, never cutting a mention
    ("Dr. Christine Ford spoke.", [("Christine Ford", "PER")], [("Christine Ford", "PER", "model")]),
    ("Livi 11 fans.", [("Livi", "ORG")], [("Livi", "ORG", "model")]),
    ('Hans" Geiger said.', [("Geiger", "ORG")], [("Geiger", "ORG", "model")]),
    ("Six Flags St. Louis Park opened.", [("St. Louis Park", "GPE")], [("St. Louis Park", "GPE", "model")]),
])
def test_a_form_widens_the_mentions_it_covers(english_text, english_names, expected):
    indonesian = _record("id.txt", "id", "Six Flags St. Louis, Partizan Belgrade, Dr. Christine Ford, Livi 11, "
                                         'Hans" Geiger.',
                         [("Six Flags St. Louis", "ORG"), ("Partizan Belgrade", "ORG"), ("Dr. Christine Ford", "PER"),
                          ("Livi 11", "ORG"), ('Hans" Geiger', "PER")])
    for widen, want in ((True, expected), (False, [(f, label, "model") for f, label in english_names])):
        forms = ProjectionForms(ProjectionConfig(widen_mentions=widen))
        forms.add(indonesian)
        english = _record("en.txt", "en", english_text, english_names)
        MentionProjector(forms, ["en", "id"]).project(english)
        assert [(m.text, m.label, m.source) for m in english.mentions] == want


@pytest.mark.parametrize("text, mentions, inner, opening", [
    # capitalised words inside a sentence, after a word, a comma or a quotation mark opened there
    ("The aircraft was headed to Irkutsk and crashed.", [], ["Irkutsk"], ["The"]),
    ('The group performed the show "Troy" in Istanbul.', [], ["Troy", "Istanbul"], ["The"]),
    # a number may close a run; a run opening a sentence or a line is told apart
    ("He won the Formula 1 title.\nSophocles wrote plays.", [], ["Formula 1"], ["He", "Sophocles"]),
    # a run touching a mention is the mention's business
    ("Flights to New South Wales resumed.", [("New South Wales", "GPE")], [], ["Flights"]),
    ("Flights to New South Wales resumed.", [("Wales", "GPE")], [], ["Flights"]),
    # a single quotation mark opened inside a sentence, not an apostrophe inside a word
    ("He said 'Troy' was old, as O'Brien did.", [], ["Troy"], ["He"]),
    # any white space but a line break is passed over: after '.' and a no-break space a sentence opens
    ("It ended.\u00a0Homer left.", [], [], ["It", "Homer"]),
])
def test_capitalised_runs(text, mentions, inner, opening):
    from pipeline.stages.align.project import capitalised_runs

    record = _record("en.txt", "en", text, mentions)
    assert capitalised_runs(text, record.mentions) == (inner, opening)


def test_a_name_both_languages_write_where_no_model_found_one_is_projected_into_both():
    english = _record("en.txt", "en", "The aircraft was headed to Irkutsk and to Bank Street.", [])
    indonesian = _record("id.txt", "id", "Pesawat itu menuju Irkutsk dan Bank Street. Bank itu tutup.", [])
    for shared, expected in ((True, ["Irkutsk"]), (False, [])):
        english.mentions, indonesian.mentions = [], []
        forms = ProjectionForms(ProjectionConfig(shared_names=shared),
                                place_label=lambda lang, text: "GPE" if text == "Irkutsk" else "")
        forms.add(english)
        forms.add(indonesian)
        projector = MentionProjector(forms, ["en", "id"])
        for record in (english, indonesian):
            projector.project(record)
            # 'Bank Street' is a shared run too but 'Bank' alone is an ordinary word: only whole runs
            got = [(m.text, m.label) for m in record.mentions if m.text != "Bank Street"]
            assert got == [(name, "GPE") for name in expected]
        if shared:
            assert forms.shared_names() == {"Irkutsk": "GPE", "Bank Street": "MISC"}


def test_abbreviations_and_codes_are_no_capitalised_runs():
    from pipeline.stages.align.project import capitalised_runs

    text = "Levels of ALT, CD4 and D-dimer rose, as in the Irkutsk study."
    assert capitalised_runs(text, []) == (["Irkutsk"], ["Levels"])


def test_a_mention_a_widened_form_covers_is_not_trimmed_as_well():
    english = _record("en.txt", "en", "Red Cross and the Red Cross London Marathon.",
                      [("Red Cross", "ORG"), ("Red Cross London Marathon", "EVENT")])
    forms = ProjectionForms(ProjectionConfig(), place_label=lambda lang, text: "GPE" if text == "London" else "")
    forms.add(english)
    forms.add(_record("other_id.txt", "id", "Di London.", [("London", "GPE")]))
    indonesian = _record("id.txt", "id", "Lari Red Cross London Marathon.", [("Red Cross London", "ORG")])
    MentionProjector(forms, ["en", "id"]).project(indonesian)
    assert [(m.text, m.label) for m in indonesian.mentions] == [("Red Cross London Marathon", "EVENT")]
