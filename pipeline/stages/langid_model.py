"""The project's language-identification model (``models/lid``, trained by ``make train-lid``).

Features, all lower-cased (ALL-CAPS headlines look like any other text): every word, and the
character 1..n-grams of each word padded with spaces; counts are sublinear (1 + log count) and the
vector is L2-normalised. A linear model (naive Bayes log-probabilities, or logistic regression),
scaled by a factor fitted on dev text, turns them into probabilities over the labels (en, id, ms, jv, bjn and background languages).

File format (``model.bin.xz``, xz-compressed): a JSON header line, then one feature string per line (``len(features)``
lines), then the float16 weight matrix (features x labels, little endian) and the float32 bias.
Self-contained on purpose (numpy only), so the file can move to another package as it is.
"""
from __future__ import annotations

import functools
import hashlib
import json
import lzma
import math
import re
import unicodedata
from pathlib import Path

import numpy as np

MODEL_FILE = "model.bin.xz"  # xz-compressed (lossless; keeps models/ within its budget)
FORMAT = "langid-linear-1"
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased letter words (digits and punctuation carry no language)."""
    return WORD.findall(unicodedata.normalize("NFC", text).lower())


def word_features(word: str, ngram_max: int) -> list[str]:
    """The features one (lower-case) word contributes: the word itself and its padded char n-grams."""
    padded = f" {word} "
    out = ["w\t" + word]
    for n in range(1, ngram_max + 1):
        out += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return out


def bigram_features(tokens: list[str]) -> list[str]:
    """Word-pair features of a text's (lower-case) words, in order: ``b\t<word> <next word>``."""
    return [f"b\t{a} {b}" for a, b in zip(tokens, tokens[1:])]


def featurize(text: str, ngram_max: int, word_bigrams: bool = False) -> dict[str, float]:
    """Sparse feature vector of a text (sublinear counts, L2-normalised); {} without letters.
    ``word_bigrams``: also the pairs of consecutive words."""
    counts: dict[str, int] = {}
    tokens = words(text)
    for word in tokens:
        for feature in word_features(word, ngram_max):
            counts[feature] = counts.get(feature, 0) + 1
    for feature in bigram_features(tokens) if word_bigrams else ():
        counts[feature] = counts.get(feature, 0) + 1
    values = {f: 1.0 + math.log(c) for f, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {f: v / norm for f, v in values.items()}


def save_model(path: Path, labels: list[str], features: list[str], weights: np.ndarray, bias: np.ndarray,
               settings: dict, group: list[str] | None = None, group_weights: np.ndarray | None = None,
               group_bias: np.ndarray | None = None) -> Path:
    """Write the model file byte-deterministically (same inputs, same bytes). ``group``: close
    languages (id, ms, jv, bjn) whose share of the probability is split again by their own head."""
    path.mkdir(parents=True, exist_ok=True)
    group = group or []
    header = {"format": FORMAT, "labels": labels, "features": len(features), "settings": settings, "group": group}
    assert all("\n" not in f for f in features)
    parts = [json.dumps(header, sort_keys=True).encode("utf-8") + b"\n",
             "".join(f + "\n" for f in features).encode("utf-8"),
             np.ascontiguousarray(weights, dtype="<f2").tobytes(), np.ascontiguousarray(bias, dtype="<f4").tobytes()]
    if group:
        parts += [np.ascontiguousarray(group_weights, dtype="<f2").tobytes(),
                  np.ascontiguousarray(group_bias, dtype="<f4").tobytes()]
    # xz output depends only on the input and the preset: still byte-deterministic.
    (path / MODEL_FILE).write_bytes(lzma.compress(b"".join(parts), preset=9))
    return path / MODEL_FILE


class LangIdModel:
    """Load once, then ``predict(text)`` -> [(language, probability), ...], best first."""

    def __init__(self, labels: list[str], features: list[str], weights: np.ndarray, bias: np.ndarray,
                 settings: dict, sha256: str = "", group: list[str] | None = None,
                 group_weights: np.ndarray | None = None, group_bias: np.ndarray | None = None):
        self.labels = labels
        self.group = list(group or [])
        self.group_ids = np.array([labels.index(l) for l in self.group], dtype=np.int64)
        self.group_weights = None if group_weights is None else group_weights.astype(np.float32)
        self.group_bias = None if group_bias is None else group_bias.astype(np.float32)
        self.index = {f: i for i, f in enumerate(features)}
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.settings = settings
        self.ngram_max = int(settings["ngram_max"])
        self.word_bigrams = bool(settings.get("word_bigrams", False))
        self.scale = float(settings.get("scale", 1.0))
        self.sha256 = sha256
        self._word_ids = functools.lru_cache(maxsize=200_000)(self._word_ids_uncached)

    @classmethod
    def load(cls, path: str | Path) -> "LangIdModel":
        path = Path(path)
        file = path / MODEL_FILE if path.is_dir() else path
        data = file.read_bytes()
        if file.suffix == ".xz":
            data = lzma.decompress(data)
        end = data.index(b"\n")
        header = json.loads(data[:end])
        if header.get("format") != FORMAT:
            raise ValueError(f"{file}: not a {FORMAT} model")
        n, labels = header["features"], header["labels"]
        cursor = end + 1
        # The n feature lines in one split (a loop of index() calls over ~100,000 lines was a third of the load).
        lines = data[cursor:].split(b"\n", n)[:n]
        if len(lines) < n:
            raise ValueError(f"{file}: truncated feature list")
        features = [line.decode("utf-8") for line in lines]
        cursor += sum(map(len, lines)) + n
        size = n * len(labels) * 2
        weights = np.frombuffer(data, dtype="<f2", count=n * len(labels), offset=cursor).reshape(n, len(labels))
        cursor += size
        bias = np.frombuffer(data, dtype="<f4", count=len(labels), offset=cursor)
        cursor += 4 * len(labels)
        group = header.get("group", [])
        group_weights = group_bias = None
        if group:
            group_weights = np.frombuffer(data, dtype="<f2", count=n * len(group), offset=cursor).reshape(n, len(group))
            group_bias = np.frombuffer(data, dtype="<f4", count=len(group), offset=cursor + 2 * n * len(group))
        return cls(labels, features, weights, bias, header["settings"], hashlib.sha256(data).hexdigest(),
                   group, group_weights, group_bias)

    def _word_ids_uncached(self, word: str) -> tuple[int, ...]:
        index = self.index
        return tuple(index[f] for f in word_features(word, self.ngram_max) if f in index)

    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        counts: dict[int, int] = {}
        tokens = words(text)
        for word in tokens:
            for i in self._word_ids(word):
                counts[i] = counts.get(i, 0) + 1
        if self.word_bigrams:
            index = self.index
            for feature in bigram_features(tokens):
                i = index.get(feature)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
        if not counts:
            return None
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        # The norm is over the known features only; unknown ones have no weight anyway.
        values /= np.sqrt(np.dot(values, values))
        return ids, values

    def scores(self, text: str) -> np.ndarray | None:
        """Linear score per label before ``scale`` and softmax; None for text without known features."""
        vector = self._vector(text)
        return None if vector is None else vector[1] @ self.weights[vector[0]]

    def probabilities(self, text: str) -> np.ndarray | None:
        """Probability per label (``self.labels`` order), or None for text without known features."""
        vector = self._vector(text)
        if vector is None:
            return None
        ids, values = vector
        scores = self.scale * (values @ self.weights[ids]) + self.bias
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        if self.group:
            # The close languages' share is split by the head learnt from their parallel sentences.
            inner = values @ self.group_weights[ids] + self.group_bias
            inner = np.exp(inner - inner.max())
            probs[self.group_ids] = probs[self.group_ids].sum() * inner / inner.sum()
        return probs

    def predict(self, text: str) -> list[tuple[str, float]]:
        probs = self.probabilities(text)
        if probs is None:
            return []
        order = sorted(range(len(self.labels)), key=lambda i: (-probs[i], self.labels[i]))
        return [(self.labels[i], float(probs[i])) for i in order]


HEAD_FILE = "id_ms.bin.xz"  # the Indonesian-vs-Malay head, beside the main model


def log_odds_features(log_odds: float, n_words: int, clip: float) -> dict[str, float]:
    """The head's dense inputs from the word-frequency detector's Indonesian-vs-Malay log-odds:
    the clipped log-odds (scaled to about 1) and its mean per word."""
    value = max(-clip, min(clip, log_odds))
    return {"log_odds": value / clip, "log_odds_per_word": value / clip / max(n_words, 1)}


class IdMsHead:
    """Indonesian vs Malay, decided again (``models/lid/id_ms.bin.xz``, trained by ``make train-lid``).

    A binary logistic regression over case-insensitive words, word pairs and character n-grams,
    plus the word-frequency detector's id-vs-ms log-odds (``log_odds_features``), learnt from word
    windows of the line-parallel Indonesian/Malay training lines. Stored as a one-label linear model
    (label ``ms``); the dense weights and the decision threshold chosen on dev lines are in its settings.
    ``ms_score(text, log_odds) > 0`` means Malay."""

    def __init__(self, model: LangIdModel):
        self.model = model
        self.dense = {k: float(v) for k, v in model.settings["dense_weights"].items()}
        self.clip = float(model.settings["log_odds_clip"])
        self.threshold = float(model.settings["threshold"])
        self.sha256 = model.sha256

    @classmethod
    def load(cls, path: str | Path) -> "IdMsHead":
        path = Path(path)
        return cls(LangIdModel.load(path / HEAD_FILE if path.is_dir() else path))

    def ms_score(self, text: str, log_odds: float, shift: float = 0.0) -> float:
        """Malay-vs-Indonesian score minus the threshold (and ``shift``, which favours Indonesian
        when positive); ``log_odds``: log P(id) - log P(ms) of the word-frequency detector."""
        vector = self.model._vector(text)
        linear = 0.0 if vector is None else float(vector[1] @ self.model.weights[vector[0], 0])
        dense = log_odds_features(log_odds, len(words(text)), self.clip)
        return (linear + float(self.model.bias[0]) + sum(self.dense[k] * v for k, v in dense.items())
                - self.threshold - shift)
