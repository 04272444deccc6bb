"""Train the language-identification model (``make train-lid`` / ``python -m pipeline.training.langid``).

Reads configs/langid.yaml (``train``) and the sentences under ../shared/data; writes
models/lid/model.bin.xz and models/lid/metrics.json (the card's numbers). Deterministic: the same inputs
give the same bytes (single-threaded lbfgs, sorted features, seeded sampling, no timestamps).

Split: line n of each line-parallel corpus (FLORES-200 dev, NTREX-128) is
held out in all its languages when sha256("salt:corpus:n") % modulo == heldout_residue; dev lines
(dev_residue) choose the settings; the final model is fitted on train + dev and scored once on the
held-out lines (reported, never used to choose).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from pipeline.core.text import sha256_file
from pipeline.stages.langid_model import (HEAD_FILE, WORD, IdMsHead, LangIdModel, featurize, log_odds_features,
                                          save_model)

ROOT = Path(__file__).resolve().parents[2]   # the project root
CONFIG = ROOT / "configs" / "langid.yaml"
SHARED_DATA = ROOT.parent / "shared" / "data"
BUCKETS = {"2-4": (2, 4), "5-9": (5, 9), "10-20": (10, 20), "21+": (21, 40)}
SCORED = ("en", "id", "ms", "jv", "bjn")
LICENCES = {
    "lid/flores200-dev": "CC BY-SA 4.0", "lid/ntrex128": "CC BY-SA 4.0", "lid/tatoeba": "CC BY 2.0 FR",
    "parallel/en-id/tico19": "CC0", "parallel/en-id/tatoeba": "CC BY 2.0 FR",
    "parallel/en-id/nusax": "CC BY-SA 4.0", "id-raw/": "MIT (IndoNLU)", "id-ner/": "MIT (IndoNLU)",
    "wordfreq": "wordfreq 3.1.1 data: CC BY-SA 4.0",
}


def load_settings(path: Path = CONFIG) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["train"]


def split_of(corpus: str, line: int, split: dict) -> str:
    """'heldout', 'dev' or 'train' for line ``line`` (0-based) of a line-parallel corpus."""
    digest = int(hashlib.sha256(f"{split['salt']}:{corpus}:{line}".encode()).hexdigest(), 16) % split["modulo"]
    return "heldout" if digest == split["heldout_residue"] else "dev" if digest == split["dev_residue"] else "train"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _licence(name: str) -> str:
    return next((lic for prefix, lic in LICENCES.items() if name.startswith(prefix)), "see ../shared/README.md")


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    tokens = WORD.findall(text.lower())
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def collect(settings: dict, data: Path) -> tuple[dict[str, list[tuple[str, str]]], list[dict]]:
    """Sentences per split: {'train'|'dev'|'heldout': [(label, text), ...]} and the input files used."""
    splits: dict[str, list[tuple[str, str]]] = {"train": [], "dev": [], "heldout": [], "group_train": [],
                                                 "group_dev": []}
    inputs = []
    for corpus, files in settings["parallel"].items():
        for label, name in files.items():
            path = data / name
            inputs.append({"file": name, "sha256": sha256_file(path), "licence": _licence(name), "role": "parallel"})
            for n, line in enumerate(_lines(path)):
                if line.strip():
                    part = split_of(corpus, n, settings["split"])
                    splits[part].append((label, line.strip()))
                    if part != "heldout" and label in settings["group"]:
                        splits["group_" + part].append((label, line.strip()))
    heldout = {text.lower() for _, text in splits["heldout"]}
    blocked: set[tuple[str, ...]] = set()
    for name in settings.get("exclude_overlap_with", []):
        path = data / name
        inputs.append({"file": name, "sha256": sha256_file(path), "licence": _licence(name), "role": "excluded overlap"})
        sentence: list[str] = []
        for row in _lines(path) + [""]:
            if row.strip():
                sentence.append(row.split("\t")[0])
            elif sentence:
                blocked |= _shingles(" ".join(sentence))
                sentence = []
    for label, names in settings["extra"].items():
        for name in names:
            path = data / name
            kept = [l.strip() for l in _lines(path) if l.strip() and l.strip().lower() not in heldout
                    and not (_shingles(l) & blocked)][:settings["max_extra_lines"]]
            inputs.append({"file": name, "sha256": sha256_file(path), "licence": _licence(name), "role": "train only",
                           "lines_used": len(kept)})
            splits["train"] += [(label, text) for text in kept]
            if name in settings.get("group_extra", []):
                splits["group_train"] += [(label, text) for text in kept]
    return splits, inputs


def background(settings: dict, seed: int) -> list[tuple[str, str]]:
    """Pseudo-sentences in other languages, sampled from wordfreq's lists (seeded)."""
    from wordfreq import get_frequency_dict

    spec = settings["background"]
    out = []
    for lang in spec["wordfreq"]:
        table = get_frequency_dict(lang, "best")
        vocab = sorted(((f, w) for w, f in table.items() if WORD.fullmatch(w)), key=lambda p: (-p[0], p[1]))
        vocab = vocab[:spec["top_words"]]
        words = [w for _, w in vocab]
        weights = [math.sqrt(f) for f, _ in vocab]
        rng = random.Random(f"{seed}:{lang}")
        label = spec.get("rename", {}).get(lang, lang)
        for _ in range(spec["sentences"]):
            out.append((label, " ".join(rng.choices(words, weights=weights, k=rng.randint(3, 25)))))
    return out


def windows(sentences: dict[str, list[str]], per_bucket: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """(language, bucket, text) word windows cut from each language's shuffled sentence stream,
    as benchmarks/lid.py cuts them."""
    rng = random.Random(seed)
    samples = []
    for lang, lines in sorted(sentences.items()):
        order = lines[:]
        rng.shuffle(order)
        stream = " ".join(order).split()
        for bucket, (low, high) in BUCKETS.items():
            for _ in range(per_bucket):
                length = rng.randint(low, high)
                start = rng.randrange(0, len(stream) - length)
                samples.append((lang, bucket, " ".join(stream[start:start + length])))
    return samples


def score(predict, samples) -> dict:
    """Per language and bucket: accuracy, and the share called id or en (for the other languages)."""
    result = {}
    for lang in sorted({s[0] for s in samples}):
        for bucket in BUCKETS:
            preds = [(predict(t) or [("und", 0.0)])[0][0] for l, b, t in samples if l == lang and b == bucket]
            if not preds:
                continue
            entry = {"accuracy": round(100 * sum(p == lang for p in preds) / len(preds), 1)}
            if lang not in ("en", "id"):
                entry["called_id_or_en"] = round(100 * sum(p in ("id", "en") for p in preds) / len(preds), 1)
            result[f"{lang} {bucket}"] = entry
    return result


@functools.lru_cache(maxsize=None)
def _featurize(text: str, ngram_max: int, word_bigrams: bool = False) -> dict[str, float]:
    return featurize(text, ngram_max, word_bigrams)


def _matrix(records: list[tuple[str, str]], index: dict[str, int], ngram_max: int, word_bigrams: bool = False,
            dense: list[list[float]] | None = None):
    """Rows of L2-normalised sparse features; ``dense``: extra columns per row, after the sparse ones."""
    from scipy.sparse import csr_matrix

    indptr, cols, vals = [0], [], []
    width = len(dense[0]) if dense else 0
    for row, (_, text) in enumerate(records):
        kept = sorted((index[f], v) for f, v in _featurize(text, ngram_max, word_bigrams).items() if f in index)
        norm = math.sqrt(sum(v * v for _, v in kept)) or 1.0
        cols += [i for i, _ in kept]
        vals += [v / norm for _, v in kept]
        if dense:
            cols += [len(index) + k for k in range(width)]
            vals += dense[row]
        indptr.append(len(cols))
    return csr_matrix((np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int64), np.array(indptr)),
                      shape=(len(records), len(index) + width))


def fit(records: list[tuple[str, str]], ngram_max: int, alpha: float, min_df: int):
    """(labels, features, weights, bias) of multinomial naive Bayes with equal class priors
    (smoothing ``alpha``) over every label; features seen in fewer than ``min_df`` lines are dropped."""
    from sklearn.naive_bayes import MultinomialNB

    df: dict[str, int] = {}
    for _, text in records:
        for f in _featurize(text, ngram_max):
            df[f] = df.get(f, 0) + 1
    features = sorted(f for f, c in df.items() if c >= min_df)
    index = {f: i for i, f in enumerate(features)}
    labels = sorted({label for label, _ in records})
    y = np.array([labels.index(label) for label, _ in records])
    model = MultinomialNB(alpha=alpha, fit_prior=False)
    model.fit(_matrix(records, index, ngram_max), y)
    weights = model.feature_log_prob_.T.astype(np.float32)
    weights -= weights.mean(axis=1, keepdims=True)  # same predictions; rows near 0 say nothing
    return labels, features, weights, np.zeros(len(labels), dtype=np.float32)


def fit_group(records: list[tuple[str, str]], group: list[str], features: list[str], ngram_max: int, C: float,
              seed: int, tol: float, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression among the close languages only (``group``: id, ms, jv, bjn), on their
    line-parallel sentences, over the main model's features: (weights features x group, bias)."""
    from sklearn.linear_model import LogisticRegression

    rows = [(l, t) for l, t in records if l in group]
    index = {f: i for i, f in enumerate(features)}
    y = np.array([group.index(l) for l, _ in rows])
    model = LogisticRegression(C=C, max_iter=max_iter, tol=tol, class_weight="balanced", random_state=seed)
    model.fit(_matrix(rows, index, ngram_max), y)
    weights, bias = model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)
    if len(group) == 2:  # binary: one column for the second class; softmax over [0, score] is the same
        weights = np.hstack([np.zeros_like(weights), weights])
        bias = np.concatenate([np.zeros_like(bias), bias])
    return weights, bias


def prune(features, weights, group_weights, below: float):
    """Drop features whose every weight (both heads) is below ``below`` in absolute value."""
    keep = (np.abs(weights).max(axis=1) >= below) | (np.abs(group_weights).max(axis=1) >= below)
    return [f for f, k in zip(features, keep) if k], weights[keep], group_weights[keep]


def train(settings: dict, data: Path, output: Path, per_bucket: int = 200, log=print) -> dict:
    seed = settings.get("seed", 0)
    splits, inputs = collect(settings, data)
    extra = background(settings, seed)
    group = settings["group"]
    by_lang = lambda rows: {lang: [t for l, t in rows if l == lang] for lang in SCORED}  # noqa: E731
    dev_samples = windows(by_lang(splits["dev"]), per_bucket, seed)
    grid, best = [], None
    started = time.perf_counter()
    log(f"  {len(splits['train'])} train, {len(splits['dev'])} dev, {len(splits['heldout'])} held-out sentences, "
        f"{len(extra)} background")
    lr = (seed, settings["tol"], settings["max_iter"])

    def build(train_rows, group_rows, ngram_max, alpha, C, scale=1.0):
        labels, features, weights, bias = fit(train_rows + extra, ngram_max, alpha, settings["min_df"])
        group_weights, group_bias = fit_group(group_rows, group, features, ngram_max, C, *lr)
        features, weights, group_weights = prune(features, weights, group_weights, settings["prune_below"])
        return labels, features, weights, bias, group_weights, group_bias

    for ngram_max in settings["grid"]["ngram_max"]:
        for alpha in settings["grid"]["alpha"]:
            for C in settings["grid"]["C"]:
                parts = build(splits["train"], splits["group_train"], ngram_max, alpha, C)
                model = _in_memory(parts, {"ngram_max": ngram_max}, group)
                scores = score(model.predict, dev_samples)
                mean = round(sum(v["accuracy"] for k, v in scores.items() if not k.endswith("2-4")) /
                             sum(1 for k in scores if not k.endswith("2-4")), 2)
                grid.append({"ngram_max": ngram_max, "alpha": alpha, "C": C, "dev_mean_accuracy_5plus": mean,
                             "dev": scores})
                log(f"  dev: ngram_max={ngram_max} alpha={alpha} C={C}: mean accuracy (5+ words) {mean}, "
                    f"{len(parts[1])} features, {time.perf_counter() - started:.0f} s")
                if best is None or mean > best[0]:
                    best = (mean, ngram_max, alpha, C, model)
    _, ngram_max, alpha, C, dev_model = best
    scale = fit_scale(dev_model, dev_samples)
    log(f"  probability scale (dev log-loss): {scale}; final fit on train + dev: ngram_max={ngram_max} "
        f"alpha={alpha} C={C}")
    chosen = {"ngram_max": ngram_max, "alpha (naive Bayes smoothing)": alpha, "C (group logistic regression)": C,
              "scale": scale, "min_df": settings["min_df"], "prune_below": settings["prune_below"],
              "group": group, "group head": "logistic regression, lbfgs, class_weight balanced, "
              f"tol {settings['tol']}, max_iter {settings['max_iter']}, on line-parallel sentences only",
              "features": "lower-cased words + char 1..n-grams of space-padded words, 1+log(count), L2-normalised",
              "seed": seed}
    labels, features, weights, bias, group_weights, group_bias = build(
        splits["train"] + splits["dev"], splits["group_train"] + splits["group_dev"], ngram_max, alpha, C)
    path = save_model(output, labels, features, weights, bias, {"ngram_max": ngram_max, "scale": scale},
                      group, group_weights, group_bias)
    model = LangIdModel.load(path)
    heldout_samples = windows(by_lang(splits["heldout"]), per_bucket, seed)
    heldout = score(model.predict, heldout_samples)
    head_metrics = None
    if settings.get("id_ms_head"):
        from pipeline.config import DetectConfig
        from pipeline.stages.detect import make_hybrid_detector, make_langid_hybrid_detector

        # The hybrid as the pipeline runs it (configs/pipeline.yaml uses DetectConfig's defaults).
        hybrid = make_hybrid_detector(DetectConfig(), ["en", "id"])
        head_metrics = train_id_ms_head(settings["id_ms_head"], splits, dev_samples, dev_model, hybrid, seed,
                                        output, log)
        detector = make_langid_hybrid_detector(DetectConfig(detector="langid_hybrid", model=str(output)), ["en", "id"])
        head_metrics["heldout_langid_hybrid"] = score(detector, heldout_samples)
    counts = {split: {lang: sum(1 for l, _ in rows if l == lang) for lang in sorted({l for l, _ in rows})}
              for split, rows in splits.items()}
    metrics = {
        "model": {"file": path.name, "sha256": model.sha256, "bytes": path.stat().st_size,
                  "labels": labels, "features": len(features)},
        "licence": "CC BY-SA 4.0 (share-alike): trained on CC BY-SA 4.0 sentences (FLORES-200, NTREX-128, "
                   "NusaX) and wordfreq's CC BY-SA 4.0 lists",
        "split": settings["split"], "sentences": counts,
        "background": {"source": "wordfreq 3.1.1 lists, seeded pseudo-sentences",
                       "languages": sorted({l for l, _ in extra}), "per_language": settings["background"]["sentences"]},
        "inputs": inputs, "settings": chosen, "grid": grid,
        "heldout_windows_per_bucket": per_bucket, "heldout": heldout,
    }
    if head_metrics:
        metrics["id_ms_head"] = head_metrics
    (output / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return metrics


def _id_ms_rows(splits: dict, parts: tuple[str, ...], group_extra_ms: bool = True) -> dict[str, list[str]]:
    """The head's sentences: Indonesian from the group's line-parallel lines (+ group_extra), Malay from
    every Malay line of ``parts`` (Malay text is scarce; Tatoeba's Malay is in 'train' only)."""
    rows: dict[str, list[str]] = {"id": [], "ms": []}
    for part in parts:
        rows["id"] += [t for l, t in splits["group_" + part] if l == "id"]
        rows["ms"] += [t for l, t in splits[part] if l == "ms"]
    return rows


def fit_id_ms(rows: list[tuple[str, str]], log_odds: list[float], spec: dict, C: float, seed: int):
    """Binary logistic regression Malay (1) vs Indonesian (0) over words, word pairs and char n-grams
    (+ the dense log-odds features): (features, weights n x 1, bias, dense weights)."""
    from sklearn.linear_model import LogisticRegression

    from pipeline.stages.langid_model import words

    ngram_max, bigrams = spec["ngram_max"], spec["word_bigrams"]
    df: dict[str, int] = {}
    for _, text in rows:
        for f in _featurize(text, ngram_max, bigrams):
            df[f] = df.get(f, 0) + 1
    features = sorted(f for f, c in df.items() if c >= spec["min_df"])
    index = {f: i for i, f in enumerate(features)}
    dense = [[log_odds_features(lo, len(words(text)), spec["log_odds_clip"])[name] for name in spec["dense"]]
             for (_, text), lo in zip(rows, log_odds)]
    y = np.array([label == "ms" for label, _ in rows], dtype=np.int64)
    model = LogisticRegression(C=C, max_iter=spec["max_iter"], tol=spec["tol"], random_state=seed)
    model.fit(_matrix(rows, index, ngram_max, bigrams, dense), y)
    coef = model.coef_[0]
    sparse, dense_weights = coef[:len(features)], coef[len(features):]
    keep = np.abs(sparse) >= spec["prune_below"] if spec["prune_below"] > 0 else np.ones(len(features), dtype=bool)
    return ([f for f, k in zip(features, keep) if k], sparse[keep].astype(np.float32).reshape(-1, 1),
            np.array([model.intercept_[0]], dtype=np.float32),
            {name: round(float(w), 6) for name, w in zip(spec["dense"], dense_weights)})


def _head_settings(spec: dict, dense_weights: dict, threshold: float) -> dict:
    return {"ngram_max": spec["ngram_max"], "word_bigrams": spec["word_bigrams"], "dense_weights": dense_weights,
            "log_odds_clip": spec["log_odds_clip"], "threshold": threshold}


def _decide(base: list[str], scores: list[float | None], threshold: float) -> list[str]:
    """The detector's answer with the head applied as detect.py applies it: where the answer is id or ms
    (``scores`` not None), Malay when the head's score exceeds ``threshold``."""
    return [b if s is None else ("ms" if s > threshold else "id") for b, s in zip(base, scores)]


def _id_ms_summary(samples, predictions) -> dict:
    """Per bucket: Indonesian accuracy and Malay called id or en (%)."""
    out = {}
    for bucket in BUCKETS:
        ids = [p for (l, b, _), p in zip(samples, predictions) if l == "id" and b == bucket]
        mss = [p for (l, b, _), p in zip(samples, predictions) if l == "ms" and b == bucket]
        out[bucket] = {"id": round(100 * sum(p == "id" for p in ids) / len(ids), 1),
                       "ms_called_id_or_en": round(100 * sum(p in ("id", "en") for p in mss) / len(mss), 1)}
    return out


def train_id_ms_head(spec: dict, splits: dict, dev_samples, regional_model: LangIdModel, hybrid, seed: int,
                     output: Path, log=print) -> dict:
    """Choose C and the threshold on the dev windows (head fitted on the training lines), refit on
    train + dev lines, save ``HEAD_FILE`` in ``output``; returns the metrics entry."""
    from pipeline.stages.detect import id_ms_log_odds

    _featurize.cache_clear()  # the main model's sentences are done with (keeps the peak memory down)

    def window_rows(parts):
        cut = windows(_id_ms_rows(splits, parts), spec["windows_per_bucket"], f"id-ms-head:{seed}")
        return [(lang, text) for lang, _, text in cut]

    def log_odds_of(rows):
        return [id_ms_log_odds(hybrid(text)) for _, text in rows]

    samples = [s for s in dev_samples if s[0] in ("id", "ms")]
    base, open_ = [], []
    for _, _, text in samples:
        top = (regional_model.predict(text) or [("und", 0.0)])[0][0]
        answer = hybrid(text) if top not in ("jv", "bjn") else [(top, 1.0)]
        base.append((answer or [("und", 0.0)])[0][0])
        open_.append(base[-1] in ("id", "ms"))
    baseline = _id_ms_summary(samples, base)
    buckets = [b for b in BUCKETS if b != "2-4"]
    train_rows = window_rows(("train",))
    train_log_odds = log_odds_of(train_rows)
    dev_log_odds = [id_ms_log_odds(hybrid(text)) for _, _, text in samples]
    grid, best = [], None
    for C in spec["C"]:
        features, weights, bias, dense_weights = fit_id_ms(train_rows, train_log_odds, spec, C, seed)
        head = IdMsHead(LangIdModel(["ms"], features, weights.astype(np.float16).astype(np.float32), bias,
                                    _head_settings(spec, dense_weights, 0.0)))
        scores = [head.ms_score(text, lo) if o else None for (_, _, text), lo, o in zip(samples, dev_log_odds, open_)]
        for threshold in spec["thresholds"]:
            summary = _id_ms_summary(samples, _decide(base, scores, threshold))
            keeps_id = all(summary[b]["id"] >= baseline[b]["id"] for b in buckets)
            malay = sum(summary[b]["ms_called_id_or_en"] for b in buckets)
            indonesian = sum(summary[b]["id"] for b in buckets)
            grid.append({"C": C, "threshold": threshold, "dev": summary, "keeps_indonesian": keeps_id})
            key = (keeps_id, -malay, indonesian)
            if best is None or key > best[0]:
                best = (key, C, threshold, summary)
        log(f"  id/ms head dev: C={C}: {len(features)} features, dense weights {dense_weights}")
    _, C, threshold, chosen_dev = best
    log(f"  id/ms head: chosen C={C} threshold={threshold}: dev {chosen_dev} (without the head: {baseline})")
    final_rows = window_rows(("train", "dev"))
    features, weights, bias, dense_weights = fit_id_ms(final_rows, log_odds_of(final_rows), spec, C, seed)
    path = save_model(output / "_head", ["ms"], features, weights, bias, _head_settings(spec, dense_weights, threshold))
    target = output / HEAD_FILE
    path.replace(target)
    path.parent.rmdir()
    head = IdMsHead.load(target)
    return {"file": HEAD_FILE, "sha256": head.sha256, "bytes": target.stat().st_size, "features": len(features),
            "training_windows": len(final_rows), "C": C, "threshold": threshold, "dense_weights": dense_weights,
            "selection": "dev windows: Indonesian accuracy at 5-9/10-20/21+ at least the detector's without the "
                         "head, then fewest Malay windows called id/en",
            "dev_without_head": baseline, "dev_chosen": chosen_dev, "grid": grid}


def fit_scale(model: LangIdModel, samples, grid=(1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 200)) -> float:
    """The factor on the linear scores that gives the dev windows the lowest log-loss."""
    rows = [(model.labels.index(lang), model.scores(text)) for lang, _, text in samples]
    rows = [(i, s) for i, s in rows if s is not None]
    best = None
    for scale in grid:
        loss = 0.0
        for i, s in rows:
            z = scale * s.astype(np.float64) + model.bias
            z -= z.max()
            loss -= z[i] - math.log(np.exp(z).sum())
        if best is None or loss < best[0]:
            best = (loss, float(scale))
    return best[1]


def _in_memory(parts, settings: dict, group: list[str]) -> LangIdModel:
    """The model as it will be saved (float16 weights), without writing it."""
    labels, features, weights, bias, group_weights, group_bias = parts
    return LangIdModel(labels, features, weights.astype(np.float16).astype(np.float32), bias, settings, "",
                       group, group_weights.astype(np.float16).astype(np.float32), group_bias)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.training.langid", description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="the shared data folder (../shared/data)")
    parser.add_argument("--output", type=Path, default=None, help="default: train.output in the config")
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    if not (args.data / "lid").exists():
        print(f"{args.data / 'lid'} is absent: the training sentences are in ../shared/data/lid", file=sys.stderr)
        return 2
    output = args.output or (args.config.parent / settings["output"]).resolve()
    metrics = train(settings, args.data, output, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps({k: metrics["model"][k] for k in ("sha256", "bytes", "features")}))
    for key, value in metrics["heldout"].items():
        print(f"  heldout {key:<10} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
