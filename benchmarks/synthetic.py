"""Synthetic corpora of any size from real text in ../shared (never copied into the repo).

English: NTREX-128 news sentences and the English documents of ../shared/corpus; Indonesian: NTREX-128 and the FacQA
news passages from ../shared/data/id-raw. Each document takes consecutive sentences from a
deterministic offset until it has about ``words`` words; ``mixed`` corpora alternate English and
Indonesian documents, and every fifth document quotes a few sentences of the other language.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# ../shared/corpus holds two English documents and one Indonesian one (its README): only the English
# ones are English sources (the Indonesian one made the "English only" benchmark corpus route text to stanza).
ENGLISH_CORPUS = ("000_bfd6623a55b397c0.txt", "002_bf039bbfd1596b93.txt")
SOURCES = {"en": [SHARED / "data" / "lid" / "ntrex128.eng.txt", *(SHARED / "corpus" / name for name in ENGLISH_CORPUS)],
           "id": [SHARED / "data" / "lid" / "ntrex128.ind.txt", SHARED / "data" / "id-raw" / "facqa_passages.txt"]}


@lru_cache(maxsize=None)
def sentences(lang: str) -> tuple[str, ...]:
    """The source sentences of one language, in file order."""
    found: list[str] = []
    for source in SOURCES[lang]:
        if not source.exists():
            raise FileNotFoundError(f"{source} is absent: synthetic corpora need ../shared")
        files = sorted(source.glob("*.txt")) if source.is_dir() else [source]
        for path in files:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = re.sub(r"\s+([,.;:!?)])", r"\1", line.strip())  # the passages are tokenized: undo it
                found += [s for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 4]
    return tuple(found)


def document(index: int, lang: str, words: int = 300, quote: str | None = None) -> str:
    """Document ``index`` of a corpus: paragraphs of consecutive sentences, about ``words`` words."""
    pool = sentences(lang)
    cursor = (index * 7919) % len(pool)  # a prime stride: documents start far apart
    paragraphs, current, count = [], [], 0
    while count < words:
        sentence = pool[cursor % len(pool)]
        cursor += 1
        current.append(sentence)
        count += len(sentence.split())
        if len(current) == 4:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    if quote:
        other = sentences(quote)
        start = (index * 104729) % len(other)
        paragraphs.insert(1, " ".join(other[(start + k) % len(other)] for k in range(2)))
    return "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, n: int, mix: str = "mixed", words: int = 300) -> Path:
    """Write ``n`` documents (``mix``: en, id or mixed) into ``folder``; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lang = mix if mix in ("en", "id") else ("en", "id")[i % 2]
        quote = {"en": "id", "id": "en"}[lang] if mix == "mixed" and i % 5 == 4 else None
        (folder / f"{lang}_{i:06d}.txt").write_text(document(i, lang, words, quote), encoding="utf-8")
    return folder
