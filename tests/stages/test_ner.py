"""pipeline/stages/ner/: blocks, ruler, merging (unit); real models on real sentences (marked)."""
import pytest

from pipeline.config import load_config
from pipeline.core.records import Mention, Segment, seg_id_at
from pipeline.stages.ner import backends
from pipeline.stages.ner.blocks import make_blocks, merge_mentions
from pipeline.stages.ner.ruler import GazetteerRuler
from pipeline.plugins import ner_backends

from conftest import CORPUS, ID_DOC, need_shared


def _segs(spec):
    return [Segment("d", i, s, e, lang, 1.0) for i, (s, e, lang) in enumerate(spec)]


@pytest.mark.parametrize("spec, max_chars, expected", [
    ([(0, 10, "id"), (11, 20, "id"), (21, 30, "en"), (31, 40, "id")], 1000,
     [("id", 0, 20), ("en", 21, 30), ("id", 31, 40)]),
    ([(0, 600, "en"), (601, 1200, "en")], 1000, [("en", 0, 600), ("en", 601, 1200)]),
    ([(0, 2500, "en")], 1000, [("en", 0, 1000), ("en", 1000, 2000), ("en", 2000, 2500)]),
])
def test_make_blocks(spec, max_chars, expected):
    assert [(b.lang, b.start, b.end) for b in make_blocks(_segs(spec), max_chars)] == expected


def test_ruler_prefers_longest_whole_word_match():
    ruler = GazetteerRuler([{"name": "Resolute Support Mission", "label": "ORG", "aliases": ["Resolute Support"]},
                            {"name": "NATO", "label": "ORG"}])
    text = "NATO's Resolute Support Mission and Resolute Support; NATOX is not NATO"
    found = [(text[s:e], lab) for s, e, lab in ruler.find(text)]
    assert found == [("NATO", "ORG"), ("Resolute Support Mission", "ORG"), ("Resolute Support", "ORG"),
                     ("NATO", "ORG")]


def _pattern(lang, label, head="", tail="", connectors=()):
    from pipeline.resources import NamePattern
    return NamePattern(lang, label, head, tail, tuple(connectors))


@pytest.mark.parametrize("text, expected", [
    ("melatih Pasukan Keamanan Irak di Baghdad.", [("Pasukan Keamanan Irak", "ORG"), ("Baghdad", "GPE")]),
    ("dengan Kementerian Pertahanan Irak.", [("Kementerian Pertahanan Irak", "ORG")]),
    # connectors only where the pattern allows them, and only before a name word
    ("Misi Pelatihan NATO di Irak (NTM-I)", [("Misi Pelatihan NATO di Irak", "ORG")]),
    ("Misi ini di Irak", [("Irak", "GPE")]),
    # a lowercase head is a common noun, not a name
    ("pasukan keamanan Irak", [("Irak", "GPE")]),
    # a curated name starting at the same place wins over a longer pattern match
    ("Misi Dukungan Tegas Baru", [("Misi Dukungan Tegas", "ORG")]),
    ("KTT Istanbul bulan Juni", [("KTT Istanbul", "EVENT")]),
    ("at the Istanbul Summit in June", [("Istanbul Summit", "EVENT")]),
])
def test_ruler_name_patterns(text, expected):
    ruler = GazetteerRuler([{"name": "Irak", "label": "GPE"}, {"name": "Baghdad", "label": "GPE"},
                            {"name": "NATO", "label": "ORG"}, {"name": "Misi Dukungan Tegas", "label": "ORG"}],
                           [_pattern("id", "ORG", head="Pasukan"), _pattern("id", "ORG", head="Kementerian"),
                            _pattern("id", "ORG", head="Misi", connectors=["di"]),
                            _pattern("id", "EVENT", head="KTT"), _pattern("en", "EVENT", tail="Summit")])
    assert [(text[s:e], label) for s, e, label in ruler.find(text)] == expected


def test_ruler_wins_over_overlapping_model_mention():
    model = [Mention("d", 0, 14, "The NATO force", "ORG", "en", "model"),
             Mention("d", 20, 25, "Kabul", "GPE", "en", "model")]
    ruler = [Mention("d", 4, 8, "NATO", "ORG", "en", "ruler")]
    assert [m.text for m in merge_mentions(model, ruler)] == ["NATO", "Kabul"]


def test_seg_id_at():
    segs = _segs([(0, 10, "en"), (11, 20, "en")])
    assert [seg_id_at(segs, o) for o in (0, 10, 11, 19)] == [0, 0, 1, 1]


@pytest.mark.models
def test_english_model_finds_domain_entities():
    config = load_config()
    backend = ner_backends.get("spacy", "test")(config.settings.ner.models["en"], config)
    text = "NATO trained Afghan forces in Kabul while Jens Stoltenberg visited Brussels in 2019."
    (spans, n_tokens), = backend.annotate([text])
    found = {text[s:e]: label for s, e, label in spans}
    assert found.get("NATO") == "ORG" and found.get("Kabul") == "GPE" and found.get("Jens Stoltenberg") == "PERSON"
    assert n_tokens == 14  # 13 words and the final period


@pytest.mark.models
@pytest.mark.shared
def test_english_backend_runs_ner_alone_with_the_same_entities():
    """The shared tok2vec feeds only the excluded tagger and parser: dropped, with the same entities."""
    config = load_config()
    backend = ner_backends.get("spacy", "test")(config.settings.ner.models["en"], config)
    assert backend.nlp.pipe_names == ["ner"]
    text = need_shared(CORPUS / "000_bfd6623a55b397c0.txt").read_text(encoding="utf-8")
    full = backends.import_spacy(config).load(backend.nlp.path, exclude=backends.UNUSED_SPACY_COMPONENTS)
    assert full.pipe_names == ["tok2vec", "ner"]
    assert [(e.start_char, e.end_char, e.label_) for e in full(text).ents] == \
        [(e.start_char, e.end_char, e.label_) for e in backend.nlp(text).ents]


@pytest.mark.models
@pytest.mark.shared
def test_indonesian_model_finds_entities_in_real_sentences():
    text = need_shared(CORPUS / ID_DOC).read_text(encoding="utf-8")
    config = load_config()
    model = config.settings.ner.models["id"]
    backend = ner_backends.get(model.backend, "test")(model, config)
    sentences = [line for line in text.splitlines() if line.strip()]
    found = set()
    for (spans, _), sentence in zip(backend.annotate(sentences), sentences):
        found |= {(sentence[s:e], label) for s, e, label in spans}
    names = {name for name, label in found if label in ("PER", "ORG", "LOC")}
    for expected in ("NATO", "Afghanistan", "Kabul", "Irak", "Libya"):
        assert expected in names, f"{expected} not found; model found {sorted(found)}"


def _configured_ruler(lang, groups=None):
    from pipeline.config.load import PROJECT_ROOT
    from pipeline.resources import load_gazetteer, load_name_patterns
    configs = PROJECT_ROOT / "configs"
    entries = load_gazetteer(configs / "gazetteer.yaml")[lang]
    return GazetteerRuler([e.__dict__ for e in entries], load_name_patterns(configs / "name_patterns.yaml")[lang], groups)


@pytest.mark.parametrize("lang, text, expected", [
    ("id", "menurut Resolusi Dewan Keamanan PBB 2189 yang", [("Resolusi Dewan Keamanan PBB 2189", "LAW")]),
    ("id", "Undang-Undang Nomor 34 Tahun 2004 tentang TNI", [("Undang-Undang Nomor 34 Tahun 2004", "LAW")]),
    ("id", "sesuai UU 34/2004 itu", [("UU 34/2004", "LAW")]),
    ("id", "Perjanjian Lisabon dan Konvensi Jenewa", [("Perjanjian Lisabon", "LAW"), ("Konvensi Jenewa", "LAW")]),
    ("id", "Satuan Tugas Khusus di Pangkalan Udara Halim Perdanakusuma",
     [("Satuan Tugas Khusus", "ORG"), ("Pangkalan Udara Halim Perdanakusuma", "LOC")]),
    ("id", "Kepolisian Daerah Metro Jaya", [("Kepolisian Daerah Metro Jaya", "ORG")]),
    ("en", "under UN Security Council Resolution 1973 and Resolution 2189",
     [("UN Security Council Resolution 1973", "LAW"), ("Resolution 2189", "LAW")]),
    ("en", "the Status of Forces Agreement (SOFA)", [("Status of Forces Agreement", "LAW")]),
    ("en", "flew from Bagram Air Base", [("Bagram Air Base", "LOC")]),
    # names do not swallow acronyms
    ("id", "Dewan Gubernur RDG Bank Indonesia", [("Dewan Gubernur", "ORG"), ("Indonesia", "GPE")]),
    ("id", "Badan Nasional Penanggulangan Bencana BNPB", [("Badan Nasional Penanggulangan Bencana", "ORG")]),
    ("id", "Dewan Keamanan PBB", [("Dewan Keamanan PBB", "ORG")]),          # a curated acronym stays
])
def test_law_and_force_patterns(lang, text, expected):
    assert [(text[s:e], label) for s, e, label in _configured_ruler(lang).find(text)] == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("id", "sejak Perang Dingin berakhir", [("Perang Dingin", "EVENT")]),
    ("id", "pada Perang Dunia II dan", [("Perang Dunia II", "EVENT")]),
    ("id", "setelah Perang Dunia kedua berakhir", [("Perang Dunia kedua", "EVENT")]),   # the ordinal is the name's
    ("id", "memenangkan Piala Ryder di Paris", [("Piala Ryder", "EVENT")]),
    ("en", "since World War Two ended", [("World War Two", "EVENT")]),
    ("id", "perang dagang itu", []),                                          # lowercase: not a name
    ("id", "Perang itu berakhir", []),                                        # a head alone is not a name
    ("id", "senator Partai Republik mengatakan", [("Partai Republik", "ORG")]),
    ("id", "anggota Parlemen Eropa dan", [("Parlemen Eropa", "ORG")]),
    ("id", "di Majelis Umum PBB di New York", [("Majelis Umum PBB", "ORG")]),
    ("id", "Departemen Luar Negeri AS", [("Departemen Luar Negeri AS", "ORG")]),
    ("id", "kelompok Front Nusra di", [("Front Nusra", "ORG")]),
    ("id", "Organisasi Trump membantah", [("Organisasi Trump", "ORG")]),
    ("id", "putusan Mahkamah Konstitusi itu", [("Mahkamah Konstitusi", "ORG")]),
    ("id", "di Pengadilan Negeri Jakarta Pusat", [("Pengadilan Negeri Jakarta Pusat", "ORG")]),
    ("en", "since the Korea War ended", [("Korea War", "EVENT")]),
    ("en", "a trade war with", []),
])
def test_structural_patterns(lang, text, expected):
    assert [(text[s:e], label) for s, e, label in _configured_ruler(lang).find(text)] == expected
    assert [(text[s:e], label) for s, e, label in _configured_ruler(lang, ["names", "law"]).find(text)
            if label in ("EVENT",) or text[s:e].split()[0] in ("Partai", "Parlemen", "Majelis", "Departemen",
                                                               "Front", "Organisasi", "Mahkamah", "Pengadilan")] == []


def test_pattern_groups_switch_off():
    text = "Resolusi Dewan Keamanan PBB 2189"
    assert [(text[s:e], label) for s, e, label in _configured_ruler("id", ["names"]).find(text)] == \
        [("Dewan Keamanan PBB", "ORG")]


def test_model_name_around_a_ruler_name_keeps_its_span():
    model = [Mention("d", 0, 16, "Garuda Indonesia", "ORG", "id", "model"),
             Mention("d", 20, 43, "Festival Film Indonesia", "EVENT", "id", "model")]
    ruler = [Mention("d", 7, 16, "Indonesia", "GPE", "id", "ruler"), Mention("d", 34, 43, "Indonesia", "GPE", "id", "ruler")]
    assert [(m.text, m.source) for m in merge_mentions(model, ruler)] == [("Garuda Indonesia", "model"),
                                                                          ("Festival Film Indonesia", "model")]


@pytest.mark.parametrize("text, ruler_span, person, expected", [
    ("mendukung Partai Republik Trump, kata", "Partai Republik Trump", "Trump",
     [("Partai Republik", "ruler"), ("Trump", "model")]),                    # Trump's party
    ("Organisasi Trump membantah", "Organisasi Trump", "Trump", [("Organisasi Trump", "ruler")]),  # the name
    ("Partai Republik Trump", "Partai Republik Trump", None, [("Partai Republik Trump", "ruler")]),  # no person
])
def test_a_person_closing_a_ruler_name_is_its_possessor(text, ruler_span, person, expected):
    def mention(span, label, source):
        start = text.index(span)
        return Mention("d", start, start + len(span), span, label, "id", source)
    model = [mention(person, "PER", "model")] if person else []
    ruler = [mention(ruler_span, "ORG", "ruler")]
    assert [(m.text, m.source) for m in merge_mentions(model, ruler)] == expected


@pytest.mark.slow
def test_lazy_indonesian_tokenizer_gives_spacy_blank_tokens():
    import spacy

    from pipeline.stages.ner.backends import LazyRulesTokenizer

    texts = ["Anak-anak bermain di Jl. Sudirman, a.n. Bpk. Joko dll. pada tgl. 17 Agustus :) ",
             "Kementerian Luar Negeri (Kemlu) mengirim surat kpd. PBB; lihat hlm. 3 dst.\nSelesai.",
             "x" * 3000 + " anak-anak", "", "   \n\t", "Rp10.000,- & 50% s.d. 2021-08-15 (WIB)."]
    full, lazy = spacy.blank("id").tokenizer, LazyRulesTokenizer("id")
    lazy.prepare(texts[:2])
    assert 0 < len(lazy.added) < 100  # only the cases these texts contain
    for text in texts + texts[::-1]:  # the 3,000-letter word adds every case: still the same tokens
        assert [(t.text, t.idx) for t in lazy(text)] == [(t.text, t.idx) for t in full(text)], text


# --- issue 17: fixed cost; spaCy imported without torch unless a spaCy model needs it ---

@pytest.mark.slow  # two fresh interpreters importing spaCy and torch
@pytest.mark.parametrize("needs_torch, thinc_has_torch", [(False, False), (True, True)])
def test_spacy_is_imported_without_torch_unless_a_model_needs_it(needs_torch, thinc_has_torch):
    import subprocess
    import sys

    script = (
        "from pipeline.config import load_config\n"
        "from pipeline.stages.ner.backends import import_spacy\n"
        f"config = load_config(None, ['ner.models.en.needs_torch={str(needs_torch).lower()}'])\n"
        "spacy = import_spacy(config)\n"
        "import thinc.compat, torch\n"  # torch itself still imports afterwards (for stanza)
        "print(thinc.compat.has_torch, torch.tensor([1]).sum().item())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(thinc_has_torch), "1"]


@pytest.mark.slow  # a fresh interpreter importing spaCy
def test_spacy_is_imported_without_its_command_line_which_still_imports_later():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pipeline.config import load_config\n"
        "from pipeline.stages.ner.backends import import_spacy\n"
        "spacy = import_spacy(load_config(None, []))\n"
        "print('spacy.cli' in sys.modules, 'typer' in sys.modules)\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.info), spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True", "True"]


@pytest.mark.models
@pytest.mark.slow  # a fresh interpreter loading the committed Indonesian model
def test_the_stanza_tagger_loads_without_a_training_optimizer_and_leaves_no_temporary_files(tmp_path):
    """stanza's trainer always builds an SGD optimizer, whose construction imports torch._dynamo (~2.5 s);
    the tagger never steps it: loaded without it, it still tags, and stanza's function is put back.
    The word vectors unpacked for the load are removed once the tagger is built (it tags without them)."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pipeline.config import load_config\n"
        "from pipeline.run.runner import ModelPool\n"
        "backend = ModelPool(load_config(None, []))('id')\n"
        "from stanza.models.common import utils\n"
        "spans, _ = backend.annotate(['Presiden Joko Widodo tiba di Jakarta.'])[0]\n"
        "import os, tempfile\n"
        "print('torch._dynamo' in sys.modules, utils.get_optimizer.__name__, sorted({l for _, _, l in spans}),\n"
        "      len([n for n in os.listdir(tempfile.gettempdir()) if n.startswith('stanza-pretrain-')]))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "TMPDIR": str(tmp_path)})
    assert out.stdout.split("\n")[-2] == "False get_optimizer ['LOC', 'PER'] 0", out.stdout
