"""NER backends: a loaded model that turns texts into labelled character spans.

spaCy (English, and the optional Indonesian spaCy model) and stanza (the default Indonesian
model, trained by ``make train-id``). Loaders take the model's config section and return a
backend; nothing is downloaded at run time.
"""
from __future__ import annotations

import contextlib
import lzma
import shutil
import sys
import tempfile
import threading
import types
from pathlib import Path
from typing import Protocol, Sequence

from pipeline.config import LoadedConfig, ModelConfig
from pipeline.core.tags import Span, tag_spans
from pipeline.core.text import SENTENCE_PUNCTUATION
from pipeline.errors import ModelError


class NerBackend(Protocol):
    """What the pipeline needs from an NER model."""

    name: str
    version: str

    def annotate(self, texts: Sequence[str]) -> list[tuple[list[tuple[int, int, str]], int]]:
        """For each text: (character spans with labels, number of tokens)."""

    def tag_tokens(self, sentences: Sequence[Sequence[str]]) -> list[set[Span]]:
        """For each pre-tokenized sentence: token spans with labels (for evaluation)."""


class SpacyTagger:
    """A loaded spaCy pipeline used as NER backend."""

    def __init__(self, nlp, batch_size: int = 16):
        self.nlp = nlp
        self.batch_size = batch_size
        self.name = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', 'unknown')}"
        self.version = str(nlp.meta.get("version", "0"))

    def annotate(self, texts):
        return [([(e.start_char, e.end_char, e.label_) for e in doc.ents], len(doc))
                for doc in self.nlp.pipe(texts, batch_size=self.batch_size)]

    def tag_tokens(self, sentences):
        from spacy.tokens import Doc

        docs = (Doc(self.nlp.vocab, words=list(words)) for words in sentences)
        return [{(e.start, e.end, e.label_) for e in doc.ents}
                for doc in self.nlp.pipe(docs, batch_size=256)]


# Components NER does not need; excluding them roughly halves English run time.
UNUSED_SPACY_COMPONENTS = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "morphologizer"]


def drop_unlistened_tok2vec(nlp):
    """Remove a shared ``tok2vec`` component that no remaining component listens to. In the
    en_core_web_* CNN pipelines only the tagger and parser listen to it; NER embeds the tokens
    itself, so with those excluded ``tok2vec`` is computed for nothing (about half of the English
    NER time; the entities are the same). Returns ``nlp``."""
    if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", None):
        nlp.remove_pipe("tok2vec")
    return nlp


def import_spacy(config: LoadedConfig):
    """spaCy, imported without torch unless a configured spaCy model ``needs_torch``: thinc imports
    torch when it is installed (for the stanza backend it is) only to offer PyTorch layers, which
    CNN pipelines never use, and that import is about 2 s of a run that needs no Indonesian model.
    stanza imports torch itself when it loads."""
    needs_torch = any(m.needs_torch for m in config.settings.ner.models.values() if m.backend == "spacy")
    if "spacy" in sys.modules:
        import spacy
        return spacy
    blocked = {} if needs_torch or "torch" in sys.modules else {"torch": None}
    # spaCy's command line (typer, weasel, httpx, jinja2: a quarter of spaCy's import, 0.25 s) comes in
    # only for ``spacy.info``; loading and running a pipeline never uses it. A placeholder stands in
    # while spaCy imports and is removed at once, so a later ``import spacy.cli`` gets the real one.
    if "spacy.cli" not in sys.modules:
        cli, cli_info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
        cli_info.info = _spacy_info
        blocked.update({"spacy.cli": cli, "spacy.cli.info": cli_info})
    sys.modules.update(blocked)  # type: ignore[arg-type]  # None: `import torch` raises ImportError meanwhile
    try:
        import spacy
    finally:
        for name in blocked:
            del sys.modules[name]
    return spacy


def _spacy_info(*args, **kwargs):
    """``spacy.info`` when spaCy was imported by ``import_spacy``: the real one, imported on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def load_spacy_backend(model: ModelConfig, config: LoadedConfig) -> SpacyTagger:
    """The first of ``model.model`` that spaCy can load: an installed package name or a path."""
    spacy = import_spacy(config)

    problems = []
    for candidate in model.model:
        looks_like_path = "/" in candidate or candidate.startswith(".")
        target = str(config.resolve(candidate)) if looks_like_path else candidate
        try:
            nlp = drop_unlistened_tok2vec(spacy.load(target, exclude=UNUSED_SPACY_COMPONENTS))
        except (OSError, ImportError, ValueError) as exc:
            problems.append(f"{candidate}: {str(exc).splitlines()[0][:160]}")
            continue
        if "ner" not in nlp.pipe_names:
            problems.append(f"{candidate}: has no 'ner' component")
            continue
        return SpacyTagger(nlp, config.settings.ner.batch_size)
    raise ModelError(
        "no spaCy model could be loaded (" + "; ".join(problems) + "). "
        "Run `make setup` for the English model, `make train-id-spacy` for the Indonesian spaCy one, "
        "or point ner.models.<lang>.model at an installed model.")


PACKED_PRETRAIN = "pretrain.pt.xz"


class LazyRulesTokenizer:
    """spaCy's Indonesian tokenizer with its ~16,000 special cases (``anak-anak``, ...) added only when
    a text contains them: building all of them took 2-7 s of every run that tokenized Indonesian.

    A special case can only change the tokens of a text that contains its string, so adding, before
    each text, the cases that occur in it gives exactly the tokens of ``spacy.blank("id")``. Cases
    without whitespace lie inside one whitespace-separated word: the word's substrings are looked up.
    """

    MAX_WORD = 2000  # a longer unbroken word: add every case at once instead of enumerating substrings

    def __init__(self, lang: str = "id"):
        import spacy

        base = spacy.util.get_lang_class(lang)

        class Bare(base):
            lang = base.lang

            class Defaults(base.Defaults):
                tokenizer_exceptions: dict = {}

        self.tokenizer = Bare().tokenizer
        self.rules = dict(base.Defaults.tokenizer_exceptions)
        self.longest = max(map(len, self.rules), default=0)
        self.spaced = [key for key in self.rules if any(c.isspace() for c in key)]
        self.added: set[str] = set()
        self._word_keys: dict[str, tuple[str, ...]] = {}

    def _keys_in(self, word: str) -> tuple[str, ...]:
        found = self._word_keys.get(word)
        if found is None:
            rules, n = self.rules, len(word)
            found = tuple({word[i:j] for i in range(n) for j in range(i + 1, min(n, i + self.longest) + 1)
                           if word[i:j] in rules})
            if len(self._word_keys) < 500_000:
                self._word_keys[word] = found
        return found

    def prepare(self, texts) -> None:
        """Add the special cases that occur in ``texts`` (once per batch: adding one empties spaCy's cache)."""
        needed: set[str] = set()
        for text in texts:
            words = set(text.split())
            if any(len(word) > self.MAX_WORD for word in words):
                needed.update(self.rules)
                break
            needed.update(key for key in self.spaced if key in text)
            for word in words:
                needed.update(self._keys_in(word))
        needed -= self.added
        for key in sorted(needed):
            self.tokenizer.add_special_case(key, self.rules[key])
        self.added.update(needed)

    def __call__(self, text: str):
        self.prepare([text])
        return self.tokenizer(text)


_OPTIMIZER_PATCH = threading.Lock()


@contextlib.contextmanager
def _no_training_optimizer():
    """Load stanza's NER trainer without the SGD optimizer it always builds: tagging never steps
    it, and building one imports ``torch._dynamo`` (about 2.5 s of every run that tags Indonesian)."""
    from stanza.models.common import utils

    with _OPTIMIZER_PATCH:  # a module attribute: one load at a time may swap it
        building = utils.get_optimizer
        utils.get_optimizer = lambda *args, **kwargs: None
        try:
            yield
        finally:
            utils.get_optimizer = building


@contextlib.contextmanager
def _pretrain_file(model_dir: Path):
    """The word vectors: ``pretrain.pt``, or ``pretrain.pt.xz`` (committed compressed to keep models/
    within its budget) unpacked into a temporary folder removed when the block ends."""
    pretrain, packed = model_dir / "pretrain.pt", model_dir / PACKED_PRETRAIN
    if pretrain.exists() or not packed.exists():
        yield pretrain
        return
    with tempfile.TemporaryDirectory(prefix="stanza-pretrain-") as folder:
        unpacked = Path(folder) / "pretrain.pt"
        with lzma.open(packed) as source, open(unpacked, "wb") as target:
            shutil.copyfileobj(source, target)
        yield unpacked


class StanzaTagger:
    """stanza's NER tagger trained by `make train-id` (the default for Indonesian), fed tokens from spaCy's Indonesian
    tokenizer (stanza has no downloadable Indonesian NER, and nothing is downloaded at run time)."""

    SENTENCE_END = set(SENTENCE_PUNCTUATION)

    def __init__(self, model_dir: Path, batch_size: int = 32):
        import stanza

        model_dir = Path(model_dir)
        # An empty resources.json beside the model keeps stanza from looking anything up online.
        resources = model_dir / "resources.json"
        if not resources.exists():
            resources.write_text("{}\n", encoding="utf-8")
        # stanza reads the word vectors while it builds the pipeline, never later: an unpacked copy
        # lives only that long (one left per load filled /tmp with 7.6 MB files, one per worker and run).
        with _pretrain_file(model_dir) as pretrain, _no_training_optimizer():
            self.nlp = stanza.Pipeline(
                lang="id", dir=str(model_dir), resources_filepath=str(resources), allow_unknown_language=True,
                processors="tokenize,ner", tokenize_pretokenized=True, download_method=None,
                ner_model_path=str(model_dir / "ner.pt"),
                ner_pretrain_path=str(pretrain) if pretrain.exists() else None,
                ner_batch_size=batch_size, use_gpu=False, logging_level="ERROR")
        self.tokenizer = LazyRulesTokenizer("id")  # = spacy.blank("id").tokenizer, seconds faster to build
        self.name = f"stanza:{model_dir.name}"
        self.version = stanza.__version__

    def _tag(self, sentences: list[list[str]]) -> list[set[Span]]:
        if not sentences:
            return []
        doc = self.nlp(sentences)
        return [tag_spans([t.ner for t in sentence.tokens]) for sentence in doc.sentences]

    def tag_tokens(self, sentences):
        return self._tag([list(words) for words in sentences])

    def annotate(self, texts):
        results = []
        self.tokenizer.prepare(texts)
        for text in texts:
            tokens = [t for t in self.tokenizer(text) if not t.is_space]
            sentences, current = [], []
            for token in tokens:
                current.append(token)
                if token.text in self.SENTENCE_END:
                    sentences.append(current)
                    current = []
            if current:
                sentences.append(current)
            spans = []
            for sentence, found in zip(sentences, self._tag([[t.text for t in s] for s in sentences])):
                for start, end, label in sorted(found):
                    spans.append((sentence[start].idx, sentence[end - 1].idx + len(sentence[end - 1].text), label))
            results.append((spans, len(tokens)))
        return results


def load_stanza_backend(model: ModelConfig, config: LoadedConfig) -> StanzaTagger:
    """A stanza NER model folder (ner.pt + pretrain.pt or pretrain.pt.xz)."""
    try:
        import stanza  # noqa: F401
    except ImportError:
        raise ModelError("the stanza backend needs stanza and torch, which `make setup` installs: "
                         "run `make setup` (or .venv/bin/pip install -e .)") from None
    problems = []
    for candidate in model.model:
        path = config.resolve(candidate)
        if (path / "ner.pt").is_file():
            return StanzaTagger(path, config.settings.ner.batch_size)
        problems.append(f"{path}: no ner.pt")
    raise ModelError("no stanza model found (" + "; ".join(problems) + "); run `make train-id`.")
