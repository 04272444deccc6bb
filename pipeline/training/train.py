"""Recipe for the Indonesian NER model: shared IndoNLU TSV -> trained spaCy pipeline + metrics card.

Run with ``make train-id`` (or ``python -m pipeline.training``). Reads
``configs/train_id.yaml``; model selection uses the valid splits only, the test
splits are never read.
"""
from __future__ import annotations

import argparse
import os
import json
import lzma
import platform
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path


from pipeline.config.load import PROJECT_ROOT, parse_override
from pipeline.config.recipe import DEFAULT_RECIPE, load_recipe
from pipeline.core.text import sha256_file
from pipeline.errors import ConfigError
from pipeline.eval.conll import TaggedSentence, map_tags, read_iob_tsv, repair_iob
from pipeline.eval.scoring import score_ner


def load_split(recipe: dict, dataset: str, split: str, data_dir: Path) -> list[TaggedSentence]:
    """One dataset split with its tags mapped to our labels and IOB noise repaired."""
    spec = recipe["datasets"][dataset]
    path = data_dir / spec[split]
    if not path.exists():
        raise SystemExit(
            f"training data not found: {path}. Set data_dir in configs/train_id.yaml "
            "or pass --data-dir to the IndoNLU id-ner folder."
        )
    return [
        TaggedSentence(s.words, tuple(repair_iob(map_tags(s.tags, spec["labels"]))))
        for s in read_iob_tsv(path)
    ]


HELD_OUT_NGRAM = 8  # an unlabelled line sharing this many consecutive words with a valid sentence is dropped


def _word_ngrams(words, n: int = HELD_OUT_NGRAM) -> set[tuple[str, ...]]:
    lowered = [w.lower() for w in words if any(ch.isalnum() for ch in w)]
    return {tuple(lowered[i:i + n]) for i in range(len(lowered) - n + 1)}


def unlabelled_sources(spec: dict) -> list[Path]:
    """The unlabelled text files of a ``vectors``/``pretrain`` section, sorted: ``raw`` (glob patterns
    relative to the project root) or, as before, every ``*.txt`` under ``raw_dir``."""
    patterns = spec.get("raw") or [str(Path(spec["raw_dir"]) / "*.txt")]
    return sorted({path.resolve() for pattern in patterns for path in PROJECT_ROOT.glob(pattern)})


def unlabelled_lines(raw_dir: Path | list[Path], held_out: list[TaggedSentence]) -> tuple[list[str], int]:
    """Lines of the unlabelled text (``*.txt`` under ``raw_dir``, sorted, or the given files) that
    share no 8-word sequence with a held-out sentence, and how many were dropped. A line already
    kept from an earlier file is not repeated (FLORES and NTREX are both in lid/ and parallel/).

    The unlabelled files include IndoNLU POSP, which holds about 800 of NERP's valid sentences:
    vectors learnt from them would make the valid scores (our model selection) optimistic.
    """
    held = set().union(*(_word_ngrams(s.words) for s in held_out)) if held_out else set()
    paths = sorted(Path(raw_dir).glob("*.txt")) if isinstance(raw_dir, (str, Path)) else list(raw_dir)
    kept, seen, dropped = [], set(), 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if not line or line in seen:
                    continue
                if held and _word_ngrams(re.findall(r"\w+", line)) & held:
                    dropped += 1
                else:
                    kept.append(line)
                    seen.add(line)
    return kept, dropped


def to_docbin(nlp, sentences: list[TaggedSentence], path: Path) -> None:
    """Write sentences as a spaCy DocBin (tokens kept as given: gold_preproc)."""
    from spacy.tokens import Doc, DocBin

    docbin = DocBin()
    for sentence in sentences:
        doc = Doc(nlp.vocab, words=list(sentence.words), ents=list(sentence.tags))
        docbin.add(doc)
    docbin.to_disk(path)


def train_word2vec(recipe: dict, sentences: list[TaggedSentence], workdir: Path,
                   held_out: list[TaggedSentence] = ()) -> Path | None:
    """Word2vec vectors (text format) from the unlabelled Indonesian text (minus lines overlapping
    ``held_out``, the valid sentences) plus the training sentences; None when the recipe has no
    ``vectors`` section.

    gensim (a training-only extra) is the standard word2vec implementation; the vectors
    end up inside the trained model, so the pipeline itself never needs gensim.
    """
    spec = recipe.get("vectors")
    if not spec:
        return None
    import spacy
    from gensim.models import Word2Vec

    tokenizer = spacy.blank("id").tokenizer
    lines, dropped = unlabelled_lines(unlabelled_sources(spec), list(held_out))
    print(f"word2vec: {len(lines)} unlabelled lines ({dropped} overlapping the valid splits left out)")
    corpus = [list(s.words) for s in sentences] + [[t.text for t in tokenizer(line)] for line in lines]
    # One worker: word2vec is only reproducible single-threaded.
    model = Word2Vec(corpus, vector_size=int(spec["dim"]), window=5, min_count=int(spec["min_count"]),
                     sg=1, epochs=int(spec["epochs"]), seed=int(recipe["seed"]), workers=1)
    words = model.wv.index_to_key[: int(spec["max_words"])]
    text_path = workdir / "vectors.txt"
    with open(text_path, "w", encoding="utf-8") as out:
        out.write(f"{len(words)} {model.wv.vector_size}\n")
        for word in words:
            out.write(word + " " + " ".join(f"{v:.5f}" for v in model.wv[word]) + "\n")
    return text_path


def spacy_vectors(text_path: Path, workdir: Path) -> Path:
    """A blank Indonesian spaCy pipeline holding the vectors, for ``[initialize] vectors``."""
    import spacy
    from spacy.training.initialize import convert_vectors

    nlp = spacy.blank("id")
    convert_vectors(nlp, text_path, truncate=0, prune=-1, name="id_ner_word2vec")
    vectors_dir = workdir / "vectors_model"
    nlp.to_disk(vectors_dir)
    return vectors_dir


def pretrain_tok2vec(recipe: dict, config_path: Path, vectors_dir: Path | None, overrides: dict,
                     workdir: Path, held_out: list[TaggedSentence] = ()) -> Path | None:
    """``spacy pretrain`` (character objective) of the tok2vec on the unlabelled Indonesian text;
    returns the weights file for ``paths.init_tok2vec``, or None when ``pretrain.epochs`` is 0."""
    spec = recipe.get("pretrain") or {}
    epochs = int(spec.get("epochs", 0))
    if epochs <= 0:
        return None
    from spacy.cli.init_config import fill_config
    from spacy.training.pretrain import pretrain
    from spacy.util import load_config

    raw_path = workdir / "raw.jsonl"
    lines, _ = unlabelled_lines(unlabelled_sources(spec), list(held_out))
    with open(raw_path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps({"text": line}, ensure_ascii=False) + "\n" for line in lines)
    filled = workdir / "pretrain.cfg"
    fill_config(filled, config_path, pretraining=True, silent=True)  # adds spaCy's [pretraining] defaults
    config = load_config(filled, overrides={
        **{k: v for k, v in overrides.items() if k.startswith("components.tok2vec")},
        "paths.raw_text": str(raw_path), "paths.vectors": str(vectors_dir) if vectors_dir else None,
        "system.seed": int(recipe["seed"]), "pretraining.max_epochs": epochs}, interpolate=True)
    out_dir = workdir / "pretrain"
    pretrain(config, out_dir, use_gpu=-1, silent=False)
    return out_dir / f"model{epochs - 1}.bin"


def _sentence_key(words) -> str:
    """A sentence compared across datasets: lower-cased letters and digits only (the same news
    sentence is cased and punctuated differently: idner-news-2k drops quotes that NERP keeps)."""
    return re.sub(r"\W+", "", "".join(words).lower())


def load_training_data(recipe: dict, data_dir: Path, backend: str | None = None
                       ) -> tuple[list[TaggedSentence], dict[str, list[TaggedSentence]]]:
    """Shuffled training sentences (upsampled per recipe; a backend may override a dataset's
    ``upsample``) and the valid split of each dataset.

    Deduplication, when the recipe asks: ``drop_valid_from_train`` keeps every sentence of any
    valid split out of every train split; a dataset's ``drop_train_duplicates_of`` drops from its
    train split the sentences that the named datasets' train splits already hold."""
    seed = int(recipe["seed"])
    overrides = (recipe.get("backends", {}).get(backend) or {}).get("upsample", {}) if backend else {}
    names = sorted(recipe["datasets"])
    splits = {name: load_split(recipe, name, "train", data_dir) for name in names}
    valid = {name: load_split(recipe, name, "valid", data_dir) for name in names}
    held = {_sentence_key(s.words) for name in names for s in valid[name]} if recipe.get("drop_valid_from_train") else set()
    train: list[TaggedSentence] = []
    for name in names:
        spec = recipe["datasets"][name]
        drop = held | {_sentence_key(s.words) for other in spec.get("drop_train_duplicates_of", []) for s in splits[other]}
        sentences = [s for s in splits[name] if _sentence_key(s.words) not in drop or not _sentence_key(s.words)]
        if len(sentences) < len(splits[name]):
            print(f"{name} train: {len(splits[name]) - len(sentences)} of {len(splits[name])} sentences dropped "
                  "(in a valid split or in another dataset's train split)")
        upsample = int(overrides.get(name, spec.get("upsample", 1)))
        train += sentences * upsample
    random.Random(seed).shuffle(train)
    return train, valid


def metrics_card(recipe: dict, data_dir: Path, backend: str, output: Path, tagger, valid: dict,
                 training_seconds: float, extra: dict) -> dict:
    """Score the trained model on each valid split and write ``metrics.json`` beside it."""
    import spacy

    scores = {name: score_ner(tagger, sentences, recipe["micro_labels"])
              for name, sentences in sorted(valid.items())}
    card = {
        "model": output.name,
        "backend": backend,
        "trained_with": "make train-id (pipeline/training/train.py)",
        "data": {name: {split: {"file": spec[split], "sha256": sha256_file(data_dir / spec[split])}
                        for split in ("train", "valid")}
                 for name, spec in sorted(recipe["datasets"].items())},
        "recipe": {k: v for k, v in recipe.items() if k != "data_dir"},
        "valid_scores": scores,
        "training_seconds": round(training_seconds, 1),
        "versions": {"python": platform.python_version(), "spacy": spacy.__version__,
                     **{k: v for k, v in extra.pop("versions", {}).items()}},
        "size_bytes": sum(p.stat().st_size for p in output.rglob("*") if p.is_file()),
        **extra,
    }
    (output / "metrics.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return card


def train_spacy(recipe: dict, data_dir: Path, output: Path, overrides: dict) -> dict:
    """Train the spaCy backend, copy the best model to ``output`` and return its metrics card."""
    import spacy
    from spacy.cli.train import train as spacy_train

    from pipeline.stages.ner.backends import SpacyTagger

    train_sentences, valid = load_training_data(recipe, data_dir, "spacy")
    held_out = [s for name in sorted(valid) for s in valid[name]]  # the dev set; kept out of the unlabelled text
    config_path = PROJECT_ROOT / recipe["backends"]["spacy"]["config"]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="train-id-") as workdir:
        work = Path(workdir)
        blank = spacy.blank("id")
        to_docbin(blank, train_sentences, work / "train.spacy")
        to_docbin(blank, held_out, work / "dev.spacy")
        all_overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                         "system.seed": int(recipe["seed"]), **overrides}
        vectors = train_word2vec(recipe, train_sentences, work, held_out)
        vectors_dir = spacy_vectors(vectors, work) if vectors is not None else None
        if vectors_dir is not None:
            all_overrides.update({"paths.vectors": str(vectors_dir),
                                  "components.tok2vec.model.embed.include_static_vectors": True})
        weights = pretrain_tok2vec(recipe, config_path, vectors_dir, all_overrides, work, held_out)
        train_config = config_path
        if weights is not None or all_overrides.get("paths.init_tok2vec"):
            if weights is not None:
                all_overrides["paths.init_tok2vec"] = str(weights)
            # spaCy loads init_tok2vec only when the config has a [pretraining] section to
            # say which layer the weights belong to; an empty one skips them silently.
            from spacy.cli.init_config import fill_config

            train_config = work / "train.cfg"
            fill_config(train_config, config_path, pretraining=True, silent=True)
        spacy_train(train_config, work / "out", overrides=all_overrides, use_gpu=-1)
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(work / "out" / "model-best", output)
    describe_spacy_model(output)
    seconds = time.time() - started
    tagger = SpacyTagger(spacy.load(output))
    return metrics_card(recipe, data_dir, "spacy", output, tagger, valid, seconds,
                        {"spacy_config": config_path.name, "overrides": overrides})


def describe_spacy_model(output: Path) -> None:
    """Name, version, sources and licence in the model's meta.json (shown in every run's manifest)."""
    from pipeline import __version__

    meta_path = output / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update({
        "name": "ner_indonlu", "version": __version__, "license": "MIT",
        "description": "Indonesian NER (PER, ORG, LOC, EVENT) trained by `make train-id` on IndoNLU "
                       "NERGRIT + NERP with word2vec vectors from IndoNLU unlabelled text",
        "sources": [{"name": "IndoNLU NERGRIT and NERP", "url": "https://github.com/IndoNLP/indonlu",
                     "license": "MIT"}],
    })
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def train_stanza(recipe: dict, data_dir: Path, output: Path, overrides: dict) -> dict:
    """Train stanza's BiLSTM-CRF NER tagger on the same data and vectors; needs the ``stanza`` extra."""
    try:
        import stanza
        import torch
        from stanza.models import ner_tagger
    except ImportError as exc:
        raise SystemExit(f"stanza training needs stanza and torch ({exc}); run: "
                         ".venv/bin/pip install -e '.[train]'") from None
    from pipeline.stages.ner.backends import PACKED_PRETRAIN, StanzaTagger

    train_sentences, valid = load_training_data(recipe, data_dir, "stanza")
    held_out = [s for name in sorted(valid) for s in valid[name]]  # the dev set; kept out of the unlabelled text
    spec = recipe["backends"]["stanza"]
    started = time.time()
    torch.manual_seed(int(recipe["seed"]))
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="train-id-stanza-") as workdir:
        work = Path(workdir)
        for name, sentences in (("train", train_sentences), ("dev", held_out)):
            rows = [[{"text": w, "ner": t} for w, t in zip(s.words, s.tags)] for s in sentences]
            (work / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        vectors = train_word2vec(recipe, train_sentences, work, held_out)
        args = ["--mode", "train", "--shorthand", "id_indonlu", "--train_file", str(work / "train.json"),
                "--eval_file", str(work / "dev.json"), "--save_dir", str(work / "out"),
                "--save_name", "id_ner_stanza.pt", "--seed", str(recipe["seed"]), "--cpu", "--scheme", "bio"]
        args += ["--wordvec_file", str(vectors)] if vectors else ["--no_pretrain"]
        for key, value in {**spec.get("args", {}), **overrides}.items():
            args += [f"--{key}"] if value is True else [f"--{key}", str(value)]
        ner_tagger.main(args)
        shutil.copy(work / "out" / "id_ner_stanza.pt", output / "ner.pt")
        if vectors:
            from stanza.models.common.pretrain import Pretrain

            pretrain = Pretrain(str(output / "pretrain.pt"), str(vectors), save_to_file=True)
            pretrain.load()
            # Committed xz-compressed (lossless, 7.6 -> 4.3 MB: models/ has a 25 MiB budget); the tagger
            # unpacks it at load. xz output depends only on the bytes and the preset: deterministic.
            packed = output / PACKED_PRETRAIN
            packed.write_bytes(lzma.compress((output / "pretrain.pt").read_bytes(), preset=6))
            (output / "pretrain.pt").unlink()
    seconds = time.time() - started
    tagger = StanzaTagger(output)
    return metrics_card(recipe, data_dir, "stanza", output, tagger, valid, seconds,
                        {"stanza_args": [a.replace(workdir, "<workdir>") for a in args[args.index("--scheme"):]],
                         "versions": {"stanza": stanza.__version__, "torch": torch.__version__}})


def _parse_overrides(pairs: list[str]) -> dict:
    """``--set key=value`` pairs as {dotted key: YAML value}, parsed as the pipeline's --set is."""
    overrides = {}
    for pair in pairs:
        parts, value = parse_override(pair)
        overrides[".".join(parts)] = value
    return overrides


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: train one backend and print its valid scores."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipe", type=Path, default=DEFAULT_RECIPE)
    parser.add_argument("--backend", choices=["spacy", "stanza"], default=None,
                        help="default: the recipe's default_backend")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="IndoNLU id-ner folder (default: data_dir of the recipe)")
    parser.add_argument("--output", type=Path, default=None, help="where to write the model")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="spaCy config override (--set training.dropout=0.3) or stanza "
                             "argument (--set hidden_dim=128)")
    args = parser.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0":
        # stanza builds its vocabularies from sets, whose order follows Python's per-process string
        # hashing: without a fixed hash seed two runs with the same seed train different models.
        os.execve(sys.executable, [sys.executable, "-m", "pipeline.training", *(argv if argv is not None else sys.argv[1:])],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    try:
        recipe = load_recipe(args.recipe)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    data_dir = args.data_dir or (PROJECT_ROOT / recipe["data_dir"])
    backend = args.backend or recipe["default_backend"]
    output = args.output or (PROJECT_ROOT / recipe["backends"][backend]["output"])
    train = train_spacy if backend == "spacy" else train_stanza
    card = train(recipe, data_dir.resolve(), output, _parse_overrides(args.overrides))
    for name, report in card["valid_scores"].items():
        print(f"{name} valid micro F1 (PER/ORG/LOC): {report['micro']['f1']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
