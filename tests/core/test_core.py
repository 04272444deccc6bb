"""pipeline/core/: the one spelling of each shared text concept, tag decoding, label compatibility."""
from collections import Counter

import pytest

from pipeline.core.labels import labels_compatible
from pipeline.core.records import Segment, seg_id_at
from pipeline.core.tags import tag_spans
from pipeline.core.text import is_acronym, majority, normalized_key, overlaps, strip_diacritics, trim_designator


@pytest.mark.parametrize("form, key", [("NATO's", "nato"), ("The Taliban", "taliban"), ("Türkiye", "turkiye"),
                                       ("Mazar-i-Sharif", "mazar i sharif"), ("  Dewan  Keamanan ", "dewan keamanan"),
                                       ("N.F.L.", "nfl"), ("U.S. Navy", "us navy"), ("Burt’s Bees", "burt bees"),
                                       # mojibake (UTF-8 read as Windows-1252) keys like the name it garbles
                                       ("Fatih ErkoÃ§", "fatih erkoc"), ("MÃ¼slÃ¼m GÃ¼rses", "muslum gurses"),
                                       ("Apolloâ€“Soyuz", "apollo soyuz"), ("SÃ£o Paulo", "sao paulo"),
                                       ("IÅŸÄ±k", normalized_key("Işık"))])
def test_normalized_key(form, key):
    assert normalized_key(form) == key


@pytest.mark.parametrize("form, expected", [("NATO", True), ("NTM-I", True), ("PRT", True), ("Nato", False),
                                            ("N", False), ("U.S.", False)])
def test_is_acronym(form, expected):
    assert is_acronym(form) is expected


@pytest.mark.parametrize("a, b, expected", [((0, 4), (4, 8), False), ((0, 5), (4, 8), True), ((2, 3), (0, 9), True),
                                            ((5, 9), (0, 5), False)])
def test_overlaps_is_half_open(a, b, expected):
    assert overlaps(*a, *b) is expected and overlaps(*b, *a) is expected


@pytest.mark.parametrize("votes, winner", [({"ORG": 2, "PER": 1}, "ORG"), ({"PER": 1, "ORG": 1}, "ORG"),
                                           ({"GPE": 3}, "GPE")])
def test_majority_breaks_ties_alphabetically(votes, winner):
    assert majority(Counter(votes)) == winner


@pytest.mark.parametrize("tags, spans", [
    (["B-PER", "I-PER", "O", "B-LOC"], {(0, 2, "PER"), (3, 4, "LOC")}),
    (["I-ORG", "I-ORG", "B-ORG"], {(0, 2, "ORG"), (2, 3, "ORG")}),           # a stray I- opens a span
    (["B-PER", "I-LOC"], {(0, 1, "PER"), (1, 2, "LOC")}),                    # a label change closes one
    (["S-LOC", "B-ORG", "E-ORG", "O"], {(0, 1, "LOC"), (1, 3, "ORG")}),      # BIOES, as stanza emits it
])
def test_tag_spans_reads_iob_and_bioes(tags, spans):
    assert tag_spans(tags) == spans


@pytest.mark.parametrize("a, b, expected", [("GPE", "LOC", True), ("ORG", "ORG", True), ("ORG", "PER", False),
                                            ("DATE", "DATE", False)])
def test_labels_compatible(a, b, expected):
    assert labels_compatible(a, b) is expected


def test_strip_diacritics_and_segment_lookup():
    assert strip_diacritics("Türkiye café") == "Turkiye cafe"
    segments = [Segment("d", 0, 0, 10, "en", 1.0), Segment("d", 1, 11, 20, "id", 1.0)]
    assert [seg_id_at(segments, offset) for offset in (0, 10, 11, 19)] == [0, 0, 1, 1]


DESIGNATORS = ("kota", "provinsi", "kabupaten", "daerah istimewa")


@pytest.mark.parametrize("text, start, end, any_case, trimmed", [
    ("di kota Berlin", 3, 14, False, "Berlin"),
    ("provinsi Jawa Tengah", 0, 20, False, "Jawa Tengah"),
    ("Kota Kinabalu", 0, 13, False, "Kota Kinabalu"),            # capitalised: part of the name
    ("Kabupaten Pidie Jaya", 0, 20, True, "Pidie Jaya"),         # any case: trimmed
    ("daerah  istimewa Yogyakarta", 0, 27, False, "Yogyakarta"),  # a two-word designator, any spacing
    ("kota besar", 0, 10, False, "kota besar"),                  # no capitalised name follows
    ("kota Berlin", 0, 5, False, "kota "),                       # the name lies outside the span
    ("kotamadya Bogor", 0, 15, False, "kotamadya Bogor"),        # a designator is a whole word
])
def test_trim_designator(text, start, end, any_case, trimmed):
    assert text[trim_designator(text, start, end, DESIGNATORS, any_case=any_case):end] == trimmed
    assert trim_designator(text, start, end, set(DESIGNATORS), any_case=any_case) == \
        trim_designator(text, start, end, DESIGNATORS, any_case=any_case)


def test_trim_designator_without_designators_keeps_the_span():
    assert trim_designator("kota Berlin", 0, 11, ()) == 0
