"""``make build-lexicon``: the bilingual Indonesian -> English lexicon, built from real data.

    python -m pipeline.training.lexicon [--shared ../shared] [--output models/lexicon]

Writes, deterministically (byte-identical across runs and hash seeds):

- ``lexicon.tsv``  word level, columns ``id en source score`` (``load_lexicon`` reads id and en;
  the translation method's ``path`` can point at it). ``source`` lists every source that gave the
  pair (``+``-joined): ``freedict``, ``wiktionary``, ``nusax`` (dictionaries), ``aligned`` (IBM
  Model 1 over the parallel sentences, both directions), ``morph-en`` (English derived forms of a
  translation, Snowball stemmer), ``morph-id`` (Indonesian derived words whose Sastrawi stem has a
  translation), ``cognate`` (loanword spelling correspondences, -isasi ~ -ization).
- ``names.tsv``    whole names, columns ``en id ms label source code``: territories and languages
  from CLDR (babel) in English, Indonesian and Malay, pycountry's ISO 3166 names, and the
  dictionaries' proper-noun entries (Persian Gulf = Teluk Persia). Its en/id/label columns are
  those of the glossary, so it can be tried with ``--set align.methods.glossary.path=...``.
- ``CARD.md``      sources with sha256 and licence, counts per source, the alignment threshold
  and how it was chosen (precision against the dictionaries on held-out sentence pairs).

Self-contained on purpose (it will move to ``pipeline/training/lexicon.py``): it imports nothing
from the pipeline. The NTREX and FLORES lines of the held-out alignment yardsticks
(``benchmarks/heldout_align.py``) are never used here.
"""
from __future__ import annotations

import argparse
import csv
import gettext
import hashlib
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.core.text import sha256_file, strip_diacritics

ROOT = Path(__file__).resolve().parents[2]   # the project root
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_OUTPUT = ROOT / "models" / "lexicon"

PARALLEL = ("flores200-dev", "ntrex128", "tico19", "tatoeba", "nusax-train", "nusax-valid")
LICENCES = {
    "freedict-eng-ind.tsv": "CC BY-SA 3.0 (FreeDict eng-ind 2022.11.18, built from Wiktionary by WikDict)",
    "wiktionary-en-id.tsv": "CC BY-SA 3.0 / GFDL (English Wiktionary translations)",
    "nusax-lexicon.csv": "CC BY-SA 4.0 (IndoNLP/nusax)",
    "flores200-dev": "CC BY-SA 4.0", "ntrex128": "CC BY-SA 4.0", "tico19": "CC0",
    "tatoeba": "CC BY 2.0 FR", "nusax-train": "CC BY-SA 4.0", "nusax-valid": "CC BY-SA 4.0",
}
# NTREX-128 stories of the held-out alignment golds A-H (1-based inclusive line ranges); kept
# in sync with benchmarks/heldout_align.py (STORIES + STORIES_B + ... + STORIES_H) by a test,
# repeated here so that the builder stands alone.
HELDOUT_NTREX = ((114, 129), (279, 297), (462, 467), (488, 513), (604, 627), (745, 769), (989, 1005),
                 (1055, 1065), (1207, 1226), (1461, 1477), (1511, 1522), (1583, 1609), (1700, 1709),
                 (1941, 1949), (1950, 1959),
                 # gold B
                 (1, 16), (330, 338), (383, 395), (396, 441), (628, 637), (638, 652), (883, 895),
                 (896, 918), (1254, 1274), (1769, 1785), (1885, 1898), (1899, 1913), (1914, 1940),
                 (1960, 1988),
                 # gold C
                 (58, 75), (178, 198), (303, 329), (448, 461), (558, 584), (706, 729), (833, 859),
                 (957, 970), (1085, 1106), (1227, 1253), (1357, 1380), (1478, 1501), (1610, 1624),
                 (1745, 1768), (1876, 1884),
                 # gold D
                 (130, 144), (253, 256), (442, 447), (514, 533), (653, 682), (770, 790), (919, 941),
                 (1027, 1040), (1163, 1182), (1294, 1316), (1419, 1446), (1544, 1555), (1682, 1689), (1806, 1826),
                 (1989, 1997),
                 # gold E
                 (76, 96), (199, 225), (346, 356), (468, 487), (683, 690), (791, 811), (865, 882),
                 (1006, 1020), (1119, 1136), (1275, 1293), (1381, 1395), (1523, 1543), (1653, 1681), (1786, 1799),
                 (17, 22),
                 # gold F
                 (23, 43), (149, 166), (298, 302), (534, 542), (543, 557), (691, 705), (812, 821),
                 (942, 956), (1066, 1084), (1183, 1206), (1327, 1335), (1447, 1460), (1625, 1631), (1710, 1730),
                 (1836, 1854),
                 # gold G
                 (44, 57), (97, 113), (145, 148), (167, 177), (226, 252), (257, 271), (272, 278),
                 (339, 345), (357, 376), (377, 382), (585, 597), (598, 603), (730, 744), (822, 832),
                 (860, 864), (971, 988),
                 # gold H
                 (1021, 1026), (1041, 1054), (1107, 1118), (1137, 1162), (1317, 1326), (1336, 1356),
                 (1396, 1407), (1408, 1418), (1502, 1510), (1556, 1576), (1577, 1582), (1632, 1652),
                 (1690, 1699), (1731, 1744), (1800, 1805), (1827, 1835), (1855, 1875))
# FLORES-200 dev lines of held-out golds I, J and K (benchmarks/heldout_align.py STORIES_I/J/K), likewise:
# all of FLORES dev.
HELDOUT_FLORES = ((1, 300), (301, 630), (631, 997))
# TICO-19 lines of held-out golds L, M, N and O (STORIES_L ... STORIES_O), likewise: all of TICO-19.
HELDOUT_TICO = ((1, 360), (361, 1080), (1081, 1800), (1801, 2100))
HELDOUT_LINES = {"ntrex128": HELDOUT_NTREX, "flores200-dev": HELDOUT_FLORES, "tico19": HELDOUT_TICO}

DEV_SHARE = 10          # every 10th usable sentence pair (by a hash of its text) is held out for the threshold
IBM_ITERATIONS = 5
MIN_COOCCURRENCE = 2    # an induced pair must co-occur in at least this many training sentence pairs
TARGET_PRECISION = 0.90 # the smallest threshold whose held-out precision reaches this is chosen
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))
MAX_SENTENCE_WORDS = 60
EN_ADJECTIVE_SUFFIXES = ("ical", "ial", "al", "ic", "ian", "an", "i")  # removed before stemming: provincial ~ province
EN_DERIVED_ENDINGS = EN_ADJECTIVE_SUFFIXES + ("ese", "ish")  # adjectives of a name word (-ism, -ity drift: capital ~ capitalism)
ID_CLITICS = ("nya", "ku", "mu", "lah", "kah", "pun")   # possessive and particle endings, stripped first
ID_NOMINAL_CONFIXES = (("ke", "an"), ("pe", "an"), ("per", "an"))  # kepolisian, pemerintahan: Sastrawi's root

ID_STOPWORDS = frozenset("""yang dan di ke dari untuk pada dengan ini itu dalam tidak akan oleh atau juga
karena ada adalah sebagai telah sudah saya kami kita mereka dia ia anda bahwa tersebut para se nya pun lah
kah bisa dapat harus masih lebih sangat hanya jika saat ketika setelah sebelum antara bagi seperti namun tetapi
tapi agar supaya hingga sampai sejak atas bawah tentang menjadi yaitu yakni bila maka lalu kemudian saja""".split())
EN_STOPWORDS = frozenset("""the a an of in on at to for from by with and or but not no is are was were be been
being has have had do does did will would shall should can could may might must this that these those it its
he she they we you i him her them us me my our your their his as than then there here which who whom whose what
when where why how all any some such into onto over under about after before between through during also just
only very so if because while until up down out off again more most other own same too s t""".split())


# ---------------------------------------------------------------------------------------------- text
def tokens(text: str) -> list[str]:
    """Word tokens as the aligner compares them: diacritics stripped, case-folded, possessive 's
    dropped, split on anything that is not a letter or digit (as pipeline.normalize.normalized_key)."""
    key = strip_diacritics(text).casefold().replace("’", "'")
    key = re.sub(r"'s\b|s'(?=\s|$)", "", key)
    return re.sub(r"[^\w\s]|_", " ", key).split()


def one_word(text: str) -> str | None:
    """The single word a dictionary headword or translation is, or None for a phrase.
    Indonesian reduplication counts as one word (bangsa-bangsa, undang-undang: the aligner sees
    'bangsa bangsa' and keeps each word once)."""
    words = list(dict.fromkeys(tokens(text)))
    return words[0] if len(words) == 1 and not words[0].isdigit() else None


def name_form(text: str) -> str:
    """A whole name, tidied: NFC, single spaces, no surrounding punctuation or parentheses."""
    text = unicodedata.normalize("NFC", re.sub(r"\s*\([^)]*\)", "", text))
    return " ".join(text.split()).strip(" ,;.")


# ----------------------------------------------------------------------------------- dictionaries
def _rows(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def read_freedict(path: Path) -> list[tuple[str, str, str]]:
    """(english, indonesian, pos) rows of the FreeDict TSV (``english pos indonesian``)."""
    return [(r["english"].strip(), r["indonesian"].strip(), r["pos"].strip()) for r in _rows(path)
            if (r.get("english") or "").strip() and (r.get("indonesian") or "").strip()]


def read_wiktionary(path: Path) -> list[tuple[str, str, str]]:
    """(english, indonesian, pos) rows of the Wiktionary TSV (``english pos gloss target``)."""
    return [(r["english"].strip(), r["target"].strip(), r["pos"].strip()) for r in _rows(path)
            if (r.get("english") or "").strip() and (r.get("target") or "").strip()]


def read_nusax(path: Path) -> list[tuple[str, str, str]]:
    """(english, indonesian, '') rows of the NusaX word list (a CSV with one column per language)."""
    rows = _rows(path, ",")
    return [(r["english"].strip(), r["indonesian"].strip(), "") for r in rows
            if (r.get("english") or "").strip() and (r.get("indonesian") or "").strip()]


PROPER = {"pn", "prop", "proper noun", "name"}


def dictionary_words(rows: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """Word-to-word (id, en) pairs of a dictionary; phrases on either side are left to names.tsv."""
    pairs = set()
    for en, ind, _pos in rows:
        e, i = one_word(en), one_word(ind)
        if e and i:
            pairs.add((i, e))
    return pairs


PHRASE_WORDS = (2, 3)   # Indonesian phrases kept as lexicon entries: 2 or 3 words (angkatan laut = navy)


def dictionary_phrases(rows: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """Common-noun Indonesian phrases of a dictionary with their translation (angkatan laut = navy,
    luar negeri = foreign, mahkamah agung = supreme court): (id phrase, en) with the Indonesian side
    2-3 words and the English side 1-3 words, letters only; proper nouns go to names.tsv."""
    pairs = set()
    for en, ind, pos in rows:
        if pos in PROPER:
            continue
        i, e = tokens(name_form(ind)), tokens(name_form(en))
        if PHRASE_WORDS[0] <= len(i) <= PHRASE_WORDS[1] and 1 <= len(e) <= 3 and len(set(i)) == len(i) \
                and all(w.isalpha() for w in i + e):
            pairs.add((" ".join(i), " ".join(e)))
    return pairs


def dictionary_names(rows: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """Whole-name (en, id) pairs from proper-noun entries (Persian Gulf = Teluk Persia)."""
    return {(name_form(en), name_form(ind)) for en, ind, pos in rows
            if pos in PROPER and name_form(en) and name_form(ind) and ind[:1].isupper()}


# ------------------------------------------------------------------------------ parallel sentences
def sentence_pairs(parallel: Path) -> list[tuple[str, list[str], list[str]]]:
    """(corpus, Indonesian tokens, English tokens) of every usable parallel pair, the yardsticks' lines left out."""
    heldout = {name: {n - 1 for first, last in ranges for n in range(first, last + 1)}
               for name, ranges in HELDOUT_LINES.items()}
    pairs = []
    for name in PARALLEL:
        en_lines = (parallel / f"{name}.en").read_text(encoding="utf-8").splitlines()
        id_lines = (parallel / f"{name}.id").read_text(encoding="utf-8").splitlines()
        if len(en_lines) != len(id_lines):
            raise ValueError(f"{parallel / name}: .en has {len(en_lines)} lines, .id {len(id_lines)}")
        for n, (en, ind) in enumerate(zip(en_lines, id_lines)):
            if n in heldout.get(name, ()):
                continue
            e, i = tokens(en), tokens(ind)
            if e and i and len(e) <= MAX_SENTENCE_WORDS and len(i) <= MAX_SENTENCE_WORDS:
                pairs.append((name, i, e))
    return pairs


def is_dev(id_words: list[str], en_words: list[str]) -> bool:
    """Deterministic held-out split by the pair's text (not by position, not by a random generator)."""
    digest = hashlib.sha256((" ".join(id_words) + "\t" + " ".join(en_words)).encode("utf-8")).digest()
    return digest[0] % DEV_SHARE == 0


def train_ibm1(pairs: list[tuple[list[str], list[str]]]) -> dict[str, dict[str, float]]:
    """NLTK IBM Model 1, P(target word | source word), for (source, target) token lists.
    Returns {source: {target: p}}, only for pairs that co-occur (the EM never moves mass elsewhere)."""
    from nltk.translate import AlignedSent, IBMModel1

    bitext = [AlignedSent(target, source) for source, target in pairs]
    model = IBMModel1(bitext, IBM_ITERATIONS)
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for target, row in model.translation_table.items():
        if target is None:
            continue
        for source, p in row.items():
            if source is not None and p > 1e-4:
                table[source][target] = p
    return table


def induced_scores(train: list[tuple[list[str], list[str]]]) -> tuple[dict[tuple[str, str], float], Counter]:
    """(id, en) -> geometric mean of P(en|id) and P(id|en), for content words co-occurring in train."""
    forward = train_ibm1([(i, e) for i, e in train])   # id -> en
    backward = train_ibm1([(e, i) for i, e in train])  # en -> id
    cooc: Counter = Counter()
    for i, e in train:
        for a in set(i) - ID_STOPWORDS:
            for b in set(e) - EN_STOPWORDS:
                cooc[(a, b)] += 1
    scores = {}
    for (a, b), n in cooc.items():
        p = forward.get(a, {}).get(b, 0.0) * backward.get(b, {}).get(a, 0.0)
        if p > 0:
            scores[(a, b)] = math.sqrt(p)
    return scores, cooc


def choose_threshold(scores: dict[tuple[str, str], float], dev: list[tuple[list[str], list[str]]],
                     reference: set[tuple[str, str]], en_stem) -> tuple[float, list[tuple[float, int, float]]]:
    """Precision of induced links on held-out sentence pairs, judged against the dictionaries.

    In each held-out pair, every Indonesian content word the dictionaries know is linked to the
    English word of the pair with the best induced score; a link counts as correct when the
    dictionaries give that translation (compared by English stem) or the two words are the same
    (names). The threshold is the smallest whose links reach TARGET_PRECISION."""
    known: dict[str, set[str]] = defaultdict(set)
    for i, e in reference:
        known[i].add(en_stem(e))
    links = []
    for i_words, e_words in dev:
        targets = set(e_words) - EN_STOPWORDS
        for a in sorted(set(i_words) - ID_STOPWORDS):
            if a not in known:
                continue
            best = max(((scores.get((a, b), 0.0), b) for b in sorted(targets)), default=(0.0, ""))
            if best[0] > 0:
                links.append((best[0], en_stem(best[1]) in known[a] or best[1] == a))
    curve = []
    chosen = None
    for t in THRESHOLDS:
        kept = [ok for s, ok in links if s >= t]
        precision = sum(kept) / len(kept) if kept else 0.0
        curve.append((t, len(kept), round(precision, 4)))
        if chosen is None and kept and precision >= TARGET_PRECISION:
            chosen = t
    return (chosen if chosen is not None else THRESHOLDS[-1]), curve


# ------------------------------------------------------------------------------------- morphology
def make_en_stemmer():
    from nltk.stem.snowball import SnowballStemmer

    snowball = SnowballStemmer("english")
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        if word not in cache:
            cache[word] = snowball.stem(word)
        return cache[word]
    return stem


def en_derivation_key(word: str, stem) -> set[str]:
    """Stems a word can meet its relatives under: its own Snowball stem, and the stem of the word
    with an adjective suffix removed (provincial -> provinc ~ province; constitutional ~ constitution)."""
    keys = {stem(word)}
    for suffix in EN_ADJECTIVE_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            keys.add(stem(word[: -len(suffix)]))
    return {k for k in keys if len(k) >= 4}


def morph_en(entries: dict[tuple[str, str], dict], en_vocab: set[str], stem) -> set[tuple[str, str]]:
    """(id, en') for each entry (id, en) and each English word en' of the vocabulary derived from en."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for word in en_vocab:
        if word.isalpha() and len(word) >= 5:
            for key in en_derivation_key(word, stem):
                by_key[key].add(word)
    added = set()
    for (i, e) in entries:
        if not e.isalpha() or len(e) < 4:
            continue
        for key in sorted(en_derivation_key(e, stem)):
            for other in by_key.get(key, ()):
                # derivations only (adjectives, -ity, -ism ...): inflections are the aligner's business
                if other != e and other[:3] == e[:3] and other.endswith(EN_DERIVED_ENDINGS):
                    added.add((i, other))
    return added


def morph_id(entries: dict[tuple[str, str], dict], id_vocab: set[str]) -> set[tuple[str, str]]:
    """(word, en) for Indonesian words without a translation that reach a dictionary-translated word
    by dropping a possessive/particle ending (negaranya -> negara) or, for the nominal confixes
    ke-an, pe-an, per-an, by Sastrawi's stem (kepolisian -> polisi -> police). Stored as entries."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    translated: dict[str, set[str]] = defaultdict(set)
    for (i, e), info in entries.items():
        if info["dictionary"]:
            translated[i].add(e)
    has_entry = {i for i, _ in entries}
    added = set()
    for word in sorted(id_vocab):
        if word in has_entry or not word.isalpha() or len(word) < 6 or word in ID_STOPWORDS:
            continue
        roots = [word[: -len(c)] for c in ID_CLITICS if word.endswith(c) and len(word) - len(c) >= 4]
        if not any(r in translated for r in roots) and any(
                word.startswith(p) and word.endswith(q) for p, q in ID_NOMINAL_CONFIXES):
            roots.append(stemmer.stem(word))
        for root in roots:
            if root != word and len(root) >= 4:
                for e in translated.get(root, ()):
                    added.add((word, e))
    return added


EN_TO_ID_SUFFIXES = (("isation", "isasi"), ("ization", "isasi"), ("tional", "sional"), ("tion", "si"),
                     ("sion", "si"), ("ity", "itas"), ("ical", "ik"), ("ic", "ik"), ("ism", "isme"))
EN_TO_ID_LETTERS = (("ph", "f"), ("que", "k"), ("x", "ks"), ("c", "k"), ("y", "i"))


def cognate_key_en(word: str) -> str:
    """English spelling rewritten the way Indonesian spells loanwords: organization -> organisasi,
    constitutional -> konstitusional, university -> universitas (one suffix, then letters)."""
    for old, new in EN_TO_ID_SUFFIXES:
        if word.endswith(old):
            word = word[: -len(old)] + new
            break
    for old, new in EN_TO_ID_LETTERS:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


def cognate_key_id(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word.replace("c", "k"))


def cognates(en_vocab: set[str], id_vocab: set[str]) -> set[tuple[str, str]]:
    """(id, en) loanword pairs whose spellings meet under cognate_key_* (7 letters at least)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for word in id_vocab:
        if word.isalpha() and len(word) >= 7:
            by_key[cognate_key_id(word)].add(word)
    pairs = set()
    for word in en_vocab:
        if word.isalpha() and len(word) >= 7:
            for ind in by_key.get(cognate_key_en(word), ()):
                if ind != word:
                    pairs.add((ind, word))
    return pairs


# ------------------------------------------------------------------------------------------ names
def cldr_names() -> list[dict[str, str]]:
    """Territories (countries GPE, regions LOC) and languages (NORP) from CLDR via babel, en/id/ms."""
    from babel import Locale

    locales = {lang: Locale.parse(lang) for lang in ("en", "id", "ms")}
    rows = []
    for kind, label_of in (("territories", lambda code: "LOC" if code.isdigit() else "GPE"),
                           ("languages", lambda code: "NORP")):
        tables = {lang: getattr(loc, kind) for lang, loc in locales.items()}
        for code in sorted(tables["en"]):
            en, ind, ms = (tables[lang].get(code, "") for lang in ("en", "id", "ms"))
            if kind == "territories" and (code in ("ZZ",) or not en or not ind):
                continue
            if kind == "languages" and ("_" in code or not en or not ind):
                continue
            rows.append({"en": name_form(en), "id": name_form(ind), "ms": name_form(ms),
                         "label": label_of(code), "source": f"cldr-{kind}", "code": code})
    return rows


def pycountry_names() -> list[dict[str, str]]:
    """ISO 3166 country names (name, common and official name) with the iso-codes Indonesian translation."""
    import pycountry

    try:
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"]).gettext
    except OSError:  # pragma: no cover - pycountry ships it
        return []
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        ind = translate(country.name)
        if ind == country.name and not country.name.isascii():
            continue
        for attr in ("name", "common_name", "official_name"):
            en = getattr(country, attr, None)
            if en:
                rows.append({"en": name_form(en), "id": name_form(translate(en) if attr == "official_name" else ind),
                             "ms": "", "label": "GPE", "source": "pycountry", "code": country.alpha_2})
    return rows


# ------------------------------------------------------------------------------------------ build
def build(shared: Path, output: Path, log=print) -> dict:
    """Build lexicon.tsv, names.tsv and CARD.md into output; return the counts."""
    lexdir, parallel = shared / "data" / "lexicon", shared / "data" / "parallel" / "en-id"
    stem = make_en_stemmer()
    dictionaries = {"freedict": read_freedict(lexdir / "freedict-eng-ind.tsv"),
                    "wiktionary": read_wiktionary(lexdir / "wiktionary-en-id.tsv"),
                    "nusax": read_nusax(lexdir / "nusax-lexicon.csv")}
    entries: dict[tuple[str, str], dict] = {}

    def add(pair: tuple[str, str], source: str, score: float, dictionary: bool = False):
        info = entries.setdefault(pair, {"sources": set(), "score": 0.0, "dictionary": False})
        info["sources"].add(source)
        info["score"] = max(info["score"], score)
        info["dictionary"] = info["dictionary"] or dictionary

    for name, rows in dictionaries.items():
        for pair in sorted(dictionary_words(rows)):
            add(pair, name, 1.0, dictionary=True)
    reference = {pair for pair, info in entries.items() if info["dictionary"]}

    # Word translations induced from the parallel sentences (held-out part chooses the threshold).
    usable = sentence_pairs(parallel)
    train = [(i, e) for _, i, e in usable if not is_dev(i, e)]
    dev = [(i, e) for _, i, e in usable if is_dev(i, e)]
    log(f"parallel: {len(usable)} sentence pairs ({len(train)} train, {len(dev)} held out for the threshold)")
    scores, cooc = induced_scores(train)
    threshold, curve = choose_threshold(scores, dev, reference, stem)
    induced = {pair: s for pair, s in scores.items() if s >= threshold and cooc[pair] >= MIN_COOCCURRENCE
               and pair[0].isalpha() and pair[1].isalpha() and pair[0] != pair[1] and len(pair[0]) > 1}
    for pair, s in sorted(induced.items()):
        add(pair, "aligned", round(s, 4))

    # Morphology and cognates over the vocabularies of the dictionaries and the training sentences.
    en_vocab = {e for _, e in entries} | {w for _, e in train for w in e}
    id_vocab = {i for i, _ in entries} | {w for i, _ in train for w in i}
    for pair in sorted(cognates(en_vocab, id_vocab)):
        add(pair, "cognate", 0.8)
    for pair in sorted(morph_en(dict(entries), en_vocab, stem)):
        add(pair, "morph-en", round(0.9 * entries[pair]["score"], 4) if pair in entries else 0.8)
    for pair in sorted(morph_id(entries, id_vocab)):
        add(pair, "morph-id", 0.7)

    # Names: CLDR, pycountry, dictionaries' proper nouns; one row per (en, id), first source wins.
    names: dict[tuple[str, str], dict[str, str]] = {}
    for row in cldr_names() + pycountry_names():
        names.setdefault((row["en"], row["id"]), row)
    for source, rows in dictionaries.items():
        for en, ind in sorted(dictionary_names(rows)):
            names.setdefault((en, ind), {"en": en, "id": ind, "ms": "", "label": "MISC", "source": source, "code": ""})
    for row in names.values():  # single-word names are word entries too (Mesir = Egypt)
        e, i = one_word(row["en"]), one_word(row["id"])
        if e and i and e != i:
            add((i, e), "names", 1.0)
    # Common-noun phrases last, so that no morphology or threshold above sees them.
    for name, rows in dictionaries.items():
        for pair in sorted(dictionary_phrases(rows)):
            add(pair, "phrase", 1.0)

    output.mkdir(parents=True, exist_ok=True)
    counts = Counter()
    lines = ["id\ten\tsource\tscore"]
    for (i, e) in sorted(entries):
        info = entries[(i, e)]
        source = "+".join(sorted(info["sources"]))
        counts.update(info["sources"])
        lines.append(f"{i}\t{e}\t{source}\t{info['score']:.4f}")
    (output / "lexicon.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    name_lines = ["en\tid\tms\tlabel\tsource\tcode"]
    for key in sorted(names, key=lambda k: (k[0].casefold(), k[1].casefold(), k)):
        r = names[key]
        name_lines.append("\t".join(r[c].replace("\t", " ") for c in ("en", "id", "ms", "label", "source", "code")))
    (output / "names.tsv").write_text("\n".join(name_lines) + "\n", encoding="utf-8")
    name_counts = Counter(r["source"] for r in names.values())

    report = {"entries": len(entries), "per_source": dict(sorted(counts.items())),
              "only_source": dict(sorted(Counter("+".join(sorted(v["sources"])) for v in entries.values()
                                                 if len(v["sources"]) == 1).items())),
              "names": len(names), "names_per_source": dict(sorted(name_counts.items())),
              "threshold": threshold, "curve": curve, "train_pairs": len(train), "dev_pairs": len(dev)}
    (output / "CARD.md").write_text(card(shared, report), encoding="utf-8")
    return report


def card(shared: Path, report: dict) -> str:
    import babel
    import nltk
    import pycountry  # noqa: F401

    lexdir, parallel = shared / "data" / "lexicon", shared / "data" / "parallel" / "en-id"
    lines = ["# Bilingual lexicon (Indonesian -> English) and names table", "",
             "Built by `make build-lexicon` (`python -m pipeline.training.lexicon`) from `../shared/data`; "
             "deterministic: the same inputs give byte-identical files.", "",
             "## Licence", "",
             "**CC BY-SA 4.0 (share-alike).** The lexicon is derived from CC BY-SA 3.0 dictionaries (FreeDict "
             "eng-ind, English Wiktionary) and CC BY-SA 4.0 data (NusaX word list, FLORES-200 dev, NTREX-128, "
             "NusaX sentences), so it is distributed under the same terms, with attribution to those sources "
             "(and TICO-19 CC0, Tatoeba CC BY 2.0 FR, CLDR Unicode licence via babel, iso-codes LGPL via pycountry). "
             "It is not under the project's MIT licence.", "",
             "## Sources", "", "| file | sha256 | licence |", "| --- | --- | --- |"]
    for name in ("freedict-eng-ind.tsv", "wiktionary-en-id.tsv", "nusax-lexicon.csv"):
        lines.append(f"| data/lexicon/{name} | `{sha256_file(lexdir / name)}` | {LICENCES[name]} |")
    for name in PARALLEL:
        for lang in ("en", "id"):
            lines.append(f"| data/parallel/en-id/{name}.{lang} | `{sha256_file(parallel / f'{name}.{lang}')}` | "
                         f"{LICENCES[name]} |")
    lines += [f"| CLDR via babel {babel.__version__} | (package) | Unicode licence |",
              "| ISO 3166 via pycountry | (package) | LGPL-2.1 (iso-codes data) |",
              f"| NLTK {nltk.__version__} (IBM Model 1, Snowball), PySastrawi 1.2.0 | (packages) | Apache-2.0 / MIT |", "",
              "## Counts", "",
              f"`lexicon.tsv`: {report['entries']} (id, en) word (and phrase) pairs. Entries per source (a pair given by several "
              "sources counts for each):", "", "| source | entries | only this source |", "| --- | --- | --- |"]
    for source, n in report["per_source"].items():
        lines.append(f"| {source} | {n} | {report['only_source'].get(source, 0)} |")
    lines += ["", f"`names.tsv`: {report['names']} whole names (en, id, ms):", "",
              "| source | names |", "| --- | --- |"]
    lines += [f"| {s} | {n} |" for s, n in report["names_per_source"].items()]
    lines += ["", "## How each source is used", "",
              "- dictionaries: word-to-word rows only (a phrase on either side goes to `names.tsv` when it is a "
              "proper noun, else is left out); Indonesian reduplication counts as one word.",
              f"- aligned: NLTK IBM Model 1 ({IBM_ITERATIONS} EM iterations) in both directions over "
              f"{report['train_pairs']} parallel sentence pairs; score = sqrt(P(en|id) P(id|en)); kept when at least "
              f"the threshold and co-occurring in >= {MIN_COOCCURRENCE} pairs; identical pairs are left out (the "
              "aligner tries a word itself anyway). The NTREX-128, FLORES-200 and TICO-19 lines of the held-out "
              "alignment yardsticks (benchmarks/heldout_align.py) are never read.",
              "- morph-en: an English translation's derived adjectives (-al, -ial, -ic, -ian, -an, -i, -ese, -ish; no inflections) "
              "found in the English vocabulary (Snowball stem equal, "
              f"or equal after removing an adjective suffix {', '.join(EN_ADJECTIVE_SUFFIXES)}: provincial ~ province, "
              "constitutional ~ constitution), stored as extra entries.",
              "- morph-id: an Indonesian word with no entry that reaches a dictionary-translated word by dropping a "
              "possessive/particle ending (-nya, -ku, -mu, -lah, -kah, -pun) or, for the nominal confixes ke-an, "
              "pe-an, per-an, by its Sastrawi stem (kepolisian -> polisi -> police), stored as extra entries (score 0.7).",
              "- cognate: loanwords whose spellings meet after rewriting English suffixes and letters the Indonesian way "
              "(-ization/-isation ~ -isasi, -tion ~ -si, -ty ~ -tas, -ic ~ -ik, c ~ k, ph ~ f): organisasi ~ "
              "organization, universitas ~ university; both words must occur in the vocabularies (score 0.8). No "
              "library does this cross-lingually, so it is a small rule table.",
              "- names: single-word names of `names.tsv` are word entries too (mesir = egypt).",
              "- phrase: the dictionaries' common-noun rows whose Indonesian side is 2-3 words and English side "
              "1-3 words (angkatan laut = navy, luar negeri = foreign, mahkamah agung = supreme court); the "
              "translation method reads an Indonesian name's adjacent words as one unit when they form such a "
              "phrase.", "",
              "## Threshold", "",
              f"{report['dev_pairs']} sentence pairs (every pair whose text hash falls in 1/{DEV_SHARE}) are held out of "
              "the aligner's training. In each, every Indonesian content word the dictionaries know is linked to "
              "the English word with the best score; a link is correct when the dictionaries give that translation "
              "(by English Snowball stem) or the words are identical. The threshold is the smallest with held-out "
              f"precision >= {TARGET_PRECISION} (a pessimistic precision: the dictionaries are incomplete).", "",
              f"Chosen threshold: **{report['threshold']}**.", "",
              "| threshold | links | precision |", "| --- | --- | --- |"]
    lines += [f"| {t} | {n} | {p} |" for t, n, p in report["curve"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="build models/lexicon/ from ../shared/data")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "lexicon").exists():
        print(f"{args.shared / 'data' / 'lexicon'} is absent: the lexicon is built from ../shared", file=sys.stderr)
        return 2
    report = build(args.shared, args.output)
    print(f"threshold {report['threshold']} (held-out precision curve in {args.output / 'CARD.md'})")
    print(f"lexicon.tsv: {report['entries']} entries; per source (only this source):")
    for source, n in report["per_source"].items():
        print(f"  {source:<12} {n:>7}  ({report['only_source'].get(source, 0)})")
    print(f"names.tsv: {report['names']} names: " + ", ".join(f"{s} {n}" for s, n in report["names_per_source"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
