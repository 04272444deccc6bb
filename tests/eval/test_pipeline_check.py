"""pipeline/eval/pipeline_check.py: documents from IOB sentences, gold character offsets, configurations."""
from pipeline.eval.conll import TaggedSentence
from pipeline.eval.pipeline_check import RULES, build_documents, configurations, detokenize


def test_detokenize_places_punctuation_and_offsets():
    words = ("Kata", "Joko", "Widodo", "(", "Jokowi", ")", ",", '"', "kami", "siap", '"', ".")
    text, offsets = detokenize(words)
    assert text == 'Kata Joko Widodo (Jokowi), "kami siap".'
    assert [text[s:e] for s, e in offsets] == list(words)


def test_gold_spans_map_to_character_offsets():
    sentences = [TaggedSentence(("JK", "ke", "Washington", "DC", "."), ("B-PERSON", "O", "B-LOCATION", "I-LOCATION", "O")),
                 TaggedSentence(("Kata", "KPK", "."), ("O", "B-ORGANIZATION", "O")),
                 TaggedSentence(("Ada", "Piala", "Dunia", "."), ("O", "B-EVENT", "I-EVENT", "O"))]
    (doc,) = build_documents(sentences, per_document=10)
    assert sorted((doc.text[s:e], label) for s, e, label in doc.spans) == \
        [("JK", "PER"), ("KPK", "ORG"), ("Washington DC", "LOC")]     # EVENT is not scored
    assert doc.text == "JK ke Washington DC. Kata KPK. Ada Piala Dunia.\n"


def test_configurations_switch_each_rule_off_in_turn():
    configs = configurations()
    assert len(configs["model_alone"]) == len(RULES) and configs["all_rules"] == []
    assert configs["without_numeric"] == ["ner.rules.numeric=false"]
    assert len(configs) == len(RULES) + 2
