"""pipeline/training/: data preparation for the Indonesian model (training itself is `make train-id`)."""
import json

import pytest

from pipeline.eval.conll import TaggedSentence
from pipeline.config.load import PROJECT_ROOT
from pipeline.config.recipe import DEFAULT_RECIPE, load_recipe
from pipeline.training.train import load_split, unlabelled_lines

from conftest import ID_NER, need_shared


def test_recipe_maps_every_dataset_tag():
    recipe = load_recipe(DEFAULT_RECIPE)
    assert recipe["datasets"]["nergrit"]["labels"] == {"PERSON": "PER", "ORGANISATION": "ORG", "PLACE": "LOC"}
    assert recipe["datasets"]["nerp"]["labels"]["FNB"] is None
    assert recipe["datasets"]["nerui"]["labels"] == {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
    assert recipe["datasets"]["idner"]["labels"] == {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
    assert recipe["datasets"]["idner"]["drop_train_duplicates_of"] == ["nerp"]
    assert recipe["drop_valid_from_train"] is True
    assert recipe["micro_labels"] == ["PER", "ORG", "LOC"]


def test_vectors_read_every_indonesian_side_and_no_malay():
    from pipeline.training.train import unlabelled_sources

    recipe = load_recipe(DEFAULT_RECIPE)
    patterns = recipe["vectors"]["raw"]
    assert "../shared/data/id-raw/*.txt" in patterns and "../shared/data/parallel/en-id/*.id" in patterns
    assert not any(p.endswith("*ind*") for p in patterns)  # would take tatoeba-ind-zsm.zsm_Latn.txt (Malay)
    if ID_NER.exists():
        names = {p.name for p in unlabelled_sources(recipe["vectors"])}
        assert {"ntrex128.ind.txt", "flores200-dev.ind_Latn.txt", "tico19.id", "posp.txt"} <= names
        assert not any(n.endswith((".zsm_Latn.txt", ".msa.txt", ".eng_Latn.txt", ".eng.txt", ".en")) for n in names)


def test_load_split_maps_and_repairs(tmp_path):
    (tmp_path / "nerp").mkdir()
    (tmp_path / "nerp" / "train.tsv").write_text("Ani\tI-PPL\nmakan\tO\nrendang\tB-FNB\ndi\tO\nBali\tI-PLC\n",
                                                 encoding="utf-8")
    recipe = load_recipe(DEFAULT_RECIPE)
    (sentence,) = load_split(recipe, "nerp", "train", tmp_path)
    assert sentence.tags == ("B-PER", "O", "O", "O", "B-LOC")


def test_missing_data_names_the_fix(tmp_path):
    with pytest.raises(SystemExit, match="training data not found"):
        load_split(load_recipe(DEFAULT_RECIPE), "nerp", "train", tmp_path)


@pytest.mark.shared
def test_metrics_card_matches_the_shared_data():
    """The committed model's card records the hashes of the data it was trained on."""
    need_shared(ID_NER)
    from pipeline.core.text import sha256_file
    recipe = load_recipe(DEFAULT_RECIPE)
    card = json.loads((PROJECT_ROOT / recipe["backends"][recipe["default_backend"]]["output"] / "metrics.json").read_text())
    for name, splits in card["data"].items():
        for split, info in splits.items():
            assert sha256_file(ID_NER / info["file"]) == info["sha256"], (name, split)
    for name in recipe["datasets"]:
        assert card["valid_scores"][name]["micro_labels"] == ["PER", "ORG", "LOC"]


def test_committed_models_fit_the_budget():
    """All models under models/ together stay within 25 MiB (the repository budget)."""
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "models"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    size = sum((PROJECT_ROOT / name).stat().st_size for name in tracked.stdout.split())
    assert 0 < size <= 25 * 2**20, f"models/ holds {size / 2**20:.1f} MiB"


@pytest.mark.parametrize("backend, expected_a", [(None, 1), ("stanza", 1), ("spacy", 3)])
def test_backend_may_override_upsampling(tmp_path, backend, expected_a):
    from pipeline.training.train import load_training_data

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        for split in ("train", "valid"):
            (tmp_path / name / f"{split}.tsv").write_text(f"{name}x\tB-P\nkata\tO\n\n", encoding="utf-8")
    recipe = {"seed": 0, "datasets": {n: {"train": f"{n}/train.tsv", "valid": f"{n}/valid.tsv", "upsample": 1,
                                          "labels": {"P": "PER"}} for n in ("a", "b")},
              "backends": {"spacy": {"upsample": {"a": 3}}, "stanza": {}}}
    train, valid = load_training_data(recipe, tmp_path, backend)
    assert sum(s.words[0] == "ax" for s in train) == expected_a and sum(s.words[0] == "bx" for s in train) == 1
    assert sorted(valid) == ["a", "b"]


def test_deduplication_keeps_valid_and_other_datasets_out_of_train(tmp_path):
    from pipeline.training.train import load_training_data

    files = {"a/train.tsv": ["Ani ke Bali .", "Budi di Jakarta .", "Siti di Medan ."],
             "a/valid.tsv": ["Dewi di Bogor ."],
             "b/train.tsv": ["Budi di Jakarta.", "Dewi di Bogor .", "Rudi di Solo ."],  # same as a's, other tokens
             "b/valid.tsv": ["Siti di Medan ."]}
    for name, lines in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("".join("".join(f"{w}\tO\n" for w in line.split()) + "\n" for line in lines),
                                     encoding="utf-8")
    recipe = {"seed": 0, "drop_valid_from_train": True, "backends": {},
              "datasets": {"a": {"train": "a/train.tsv", "valid": "a/valid.tsv", "labels": {}},
                           "b": {"train": "b/train.tsv", "valid": "b/valid.tsv", "labels": {},
                                 "drop_train_duplicates_of": ["a"]}}}
    train, _ = load_training_data(recipe, tmp_path)
    assert sorted(" ".join(s.words) for s in train) == ["Ani ke Bali .", "Budi di Jakarta .", "Rudi di Solo ."]
    recipe["drop_valid_from_train"] = False
    del recipe["datasets"]["b"]["drop_train_duplicates_of"]
    assert len(load_training_data(recipe, tmp_path)[0]) == 6


def test_unlabelled_lines_from_files_skip_repeated_lines(tmp_path):
    (tmp_path / "x.id").write_text("Satu kalimat .\nDua kalimat .\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text("Dua kalimat .\nTiga kalimat .\n", encoding="utf-8")
    lines, dropped = unlabelled_lines([tmp_path / "x.id", tmp_path / "y.txt"], [])
    assert lines == ["Satu kalimat .", "Dua kalimat .", "Tiga kalimat ."] and dropped == 0


HELD_OUT = [TaggedSentence(tuple("pasukan nato meninggalkan kabul pada akhir bulan agustus lalu".split()),
                           ("O",) * 10)]


@pytest.mark.parametrize("line, kept", [
    ("Pasukan NATO meninggalkan Kabul pada akhir bulan Agustus lalu .", False),  # the valid sentence itself
    ("Kemarin pasukan NATO meninggalkan Kabul pada akhir bulan Agustus.", False),  # 8 words in a row shared
    ("Pasukan NATO meninggalkan Kabul pada akhir tahun lalu .", True),  # only 6 words in a row shared
    ("Harga beras naik lagi minggu ini .", True),
])
def test_unlabelled_lines_leave_out_valid_sentences(tmp_path, line, kept):
    (tmp_path / "a.txt").write_text(f"{line}\n\nSatu kalimat lain yang tidak ada hubungannya .\n", encoding="utf-8")
    lines, dropped = unlabelled_lines(tmp_path, HELD_OUT)
    assert (line in lines) is kept
    assert dropped == (0 if kept else 1)
    assert "Satu kalimat lain yang tidak ada hubungannya ." in lines
