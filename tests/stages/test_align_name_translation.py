"""pipeline/stages/align/name_translation.py: English names found in Indonesian text under their
word-by-word translation, one word to one word."""
import pytest

from pipeline.config import ProjectionConfig
from pipeline.core.records import DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.stages.align import MentionProjector, ProjectionForms
from pipeline.stages.align.name_translation import NameTranslator

LEXICON = {"pemerintah": ["government"], "skotlandia": ["scotland", "scottish"], "pahlawan": ["hero"],
           "uni": ["union"], "perlombaan": ["race"], "antariksa": ["space"], "musim": ["season"],
           "semi": ["spring"], "musim semi": ["spring"], "forum": ["forum"], "berencana": ["plans"]}
ENGLISH = {"Scottish Government": "ORG", "Hero of the Soviet Union": "MISC", "Space Race": "EVENT",
           "Spring Forum": "EVENT", "Soviet Union": "GPE", "Scotland": "GPE", "Gordon Brown": "PER",
           "Facebook and Google": "ORG", "Facebook": "ORG", "Google": "ORG"}


def _mentions(text, names):
    return [Mention("d", text.index(n), text.index(n) + len(n), n, label, "id", "model", label) for n, label in names]


@pytest.mark.parametrize("text, names, expected", [
    # head first in Indonesian, words matched one to one, the English label
    ("Kata Pemerintah Skotlandia kemarin.", [], [("Pemerintah Skotlandia", "ORG")]),
    ("Ia dianugerahi Pahlawan Uni Soviet.", [], [("Pahlawan Uni Soviet", "MISC")]),
    ("Selama Perlombaan Antariksa itu.", [], [("Perlombaan Antariksa", "EVENT")]),
    # a lexicon phrase is one unit ('musim semi' = spring)
    ("Di Forum Musim Semi partai.", [], [("Forum Musim Semi", "EVENT")]),
    # a name mention inside gives way to the name; a mention is never cut
    ("Kata Pemerintah Skotlandia.", [("Skotlandia", "GPE")], [("Pemerintah Skotlandia", "ORG")]),
    ("Kata Pemerintah Skotlandia Utara.", [("Skotlandia Utara", "GPE")], []),
    # not one to one: a word left over on either side
    ("Pemerintah Skotlandia Baru datang.", [], [("Pemerintah Skotlandia", "ORG")]),
    ("Pemerintah datang.", [], []),
    # lower-case words are not names; a sentence never opens a name with a function word
    ("kata pemerintah skotlandia", [], []),
    # person names are never translated; a coordination is two names
    ("Gordon Brown tiba.", [], []),
    ("Facebook dan Google hari ini.", [("Facebook", "ORG"), ("Google", "ORG")], []),
    # words split by punctuation are not one name
    ("Pemerintah, Skotlandia.", [], []),
])
def test_names_found_under_their_translation(text, names, expected):
    translator = NameTranslator(ENGLISH, LEXICON)
    found = translator.find(text, _mentions(text, names))
    assert [(text[s:e], label) for s, e, label, _ in found] == expected


def test_the_projector_adds_translated_names_only_with_a_lexicon_and_the_switch_on():
    english = DocRecord(Document("en", "en", "", "The Scottish Government met.", "utf-8"),
                        LanguageResult("en", 0.99, False), segments=[Segment("en", 0, 0, 28, "en", 0.99)])
    english.mentions = [Mention("en", 4, 23, "Scottish Government", "ORG", "en", "model", "ORG")]
    text = "Kata Pemerintah Skotlandia kemarin."

    def indonesian():
        record = DocRecord(Document("id", "id", "", text, "utf-8"), LanguageResult("id", 0.99, False),
                           segments=[Segment("id", 0, 0, len(text), "id", 0.99)])
        record.mentions = _mentions(text, [("Skotlandia", "GPE")])
        return record

    for config, lexicon, expected in [(ProjectionConfig(), LEXICON, [("Pemerintah Skotlandia", "ORG", "projected")]),
                                      (ProjectionConfig(translate=False), LEXICON, [("Skotlandia", "GPE", "model")]),
                                      (ProjectionConfig(), None, [("Skotlandia", "GPE", "model")])]:
        forms = ProjectionForms(config)
        forms.add(english)
        record = indonesian()
        MentionProjector(forms, ["en", "id"], lexicon).project(record)
        assert [(m.text, m.label, m.source) for m in record.mentions] == expected


@pytest.mark.parametrize("text, model, expected", [
    # the model ran a translated name into a person the English text names: both stand, each with its label
    ("Kata Pemerintah Skotlandia Gordon Brown.", [("Pemerintah Skotlandia Gordon Brown", "ORG")],
     [("Pemerintah Skotlandia", "ORG", "projected"), ("Gordon Brown", "PER", "projected")]),
    # a rest that translates to no English name stays part of the mention
    ("Kata Pemerintah Jawa Gordon Brown.", [("Pemerintah Jawa Gordon Brown", "ORG")],
     [("Pemerintah Jawa Gordon Brown", "ORG", "model")]),
])
@pytest.mark.parametrize("source", ["model", "ruler"])  # a head pattern ('Partai ...') runs on over names too
def test_a_translated_rest_of_a_trimmed_mention_stands_as_that_name(text, model, expected, source):
    english = DocRecord(Document("en", "en", "", "The Scottish Government and Gordon Brown met.", "utf-8"),
                        LanguageResult("en", 0.99, False), segments=[Segment("en", 0, 0, 45, "en", 0.99)])
    english.mentions = [Mention("en", 4, 23, "Scottish Government", "ORG", "en", "model", "ORG"),
                        Mention("en", 28, 40, "Gordon Brown", "PER", "en", "model", "PER")]
    record = DocRecord(Document("id", "id", "", text, "utf-8"), LanguageResult("id", 0.99, False),
                       segments=[Segment("id", 0, 0, len(text), "id", 0.99)])
    record.mentions = _mentions(text, model)
    for mention in record.mentions:
        mention.source = source
    forms = ProjectionForms(ProjectionConfig())
    forms.add(english)
    MentionProjector(forms, ["en", "id"], LEXICON).project(record)
    assert [(m.text, m.label, "model" if m.source == source else m.source) for m in record.mentions] == expected


@pytest.mark.parametrize("text, model, curated", [
    # a rest that does not stand as a name on its own: words split by punctuation (lower-case words are
    # trimmed away, never made a name: below)
    ("Kata Pemerintah, Skotlandia Gordon Brown.", [("Pemerintah, Skotlandia Gordon Brown", "ORG")], ()),
    # a curated gazetteer name is never trimmed
    ("Kata Pemerintah Skotlandia Gordon Brown.", [("Pemerintah Skotlandia Gordon Brown", "ORG")],
     ("Pemerintah Skotlandia Gordon Brown",)),
    # a mention that is itself an English name under its translation stays whole, though a form ('Brown')
    # and another name ('Pemerintah Skotlandia' = 'Scottish Government') make it up
    ("Kata Pemerintah Skotlandia Brown.", [("Pemerintah Skotlandia Brown", "ORG")], ()),
])
def test_a_mention_stays_whole_unless_its_rest_stands_as_a_name(text, model, curated):
    english_text = "The Brown Scottish Government, the Scottish Government, Gordon Brown and Brown met."
    english = DocRecord(Document("en", "en", "", english_text, "utf-8"), LanguageResult("en", 0.99, False),
                        segments=[Segment("en", 0, 0, len(english_text), "en", 0.99)])
    english.mentions = [Mention("en", english_text.index(name), english_text.index(name) + len(name), name, label,
                                "en", "model", label)
                        for name, label in [("Brown Scottish Government", "ORG"), ("Scottish Government", "ORG"),
                                            ("Gordon Brown", "PER"), ("Brown", "PER")]]
    english.mentions[-1] = Mention("en", english_text.rindex("Brown"), english_text.rindex("Brown") + 5, "Brown",
                                   "PER", "en", "model", "PER")
    lexicon = {**LEXICON, "brown": ["brown"]}
    record = DocRecord(Document("id", "id", "", text, "utf-8"), LanguageResult("id", 0.99, False),
                       segments=[Segment("id", 0, 0, len(text), "id", 0.99)])
    record.mentions = _mentions(text, model)
    for mention in record.mentions:
        mention.source = "ruler"
    forms = ProjectionForms(ProjectionConfig())
    forms.add(english)
    MentionProjector(forms, ["en", "id"], lexicon, {"id": frozenset(curated)}).project(record)
    assert [(m.text, m.label) for m in record.mentions] == model


def test_a_lower_case_rest_is_trimmed_away_not_made_a_name():
    english = DocRecord(Document("en", "en", "", "The Scottish Government and Gordon Brown met.", "utf-8"),
                        LanguageResult("en", 0.99, False), segments=[Segment("en", 0, 0, 45, "en", 0.99)])
    english.mentions = [Mention("en", 4, 23, "Scottish Government", "ORG", "en", "model", "ORG"),
                        Mention("en", 28, 40, "Gordon Brown", "PER", "en", "model", "PER")]
    text = "Kata Gordon Brown pemerintah skotlandia."
    record = DocRecord(Document("id", "id", "", text, "utf-8"), LanguageResult("id", 0.99, False),
                       segments=[Segment("id", 0, 0, len(text), "id", 0.99)])
    record.mentions = _mentions(text, [("Gordon Brown pemerintah skotlandia", "PER")])
    forms = ProjectionForms(ProjectionConfig())
    forms.add(english)
    MentionProjector(forms, ["en", "id"], LEXICON).project(record)
    assert [(m.text, m.label) for m in record.mentions] == [("Gordon Brown", "PER")]
