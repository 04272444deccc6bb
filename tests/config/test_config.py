"""pipeline/config/ plus name and resource checks: validation errors name the file and the key; exit code 2."""
import pytest

from pipeline.cli import main
from pipeline.config import DEFAULT_CONFIG, load_config
from pipeline.errors import ConfigError
from pipeline.plugins import load_resources
from pipeline.resources import load_gazetteer, load_glossary, load_name_patterns


def test_default_config_loads():
    config = load_config()
    assert config.settings.languages == ["en", "id"]
    assert len(config.hash) == 64


@pytest.mark.parametrize("override, value", [
    ("align.methods.glossary.enabled=false", False),
    ("detect.seed=7", 7),
    ("languages=[en]", ["en"]),
])
def test_set_overrides_apply(override, value):
    config = load_config(None, [override])
    key = override.split("=")[0]
    node = config.settings.model_dump()
    for part in key.split("."):
        node = node[part]
    assert node == value


@pytest.mark.parametrize("override, key_in_message", [
    ("detect.sed=1", "detect.sed: unknown key"),
    ("ner.batch_size=many", "ner.batch_size"),
    ("detect.detector=nope", "detect.detector: unknown language detector 'nope'"),
    ("align.methods.magic.enabled=true", "align.methods.magic"),
    ("ner.models.id.backend=nope", "ner.models.id.backend"),
    ("align.min_score=2", "align.min_score"),
    ("normalize.gazetteer=missing.yaml", "normalize.gazetteer: file not found"),
    ("ner.models.id=null", "ner.models.id"),
    ("novalue", "expected dotted.key=value"),
    ("normalize.name_patterns=missing.yaml", "normalize.name_patterns: file not found"),
    ("align.methods.translation.support_score=0.9", "support_score (0.9) must not exceed min_score (0.6)"),
])
def test_bad_values_name_the_key(override, key_in_message):
    with pytest.raises(ConfigError) as error:
        validate([override])
    assert key_in_message in str(error.value)


def validate(overrides):
    """What a run checks before any work: the config, its registry names and every resource file."""
    return load_resources(load_config(None, overrides))


@pytest.mark.parametrize("overrides, expected_lines", [
    (["detect.sed=1", "ner.batch_size=many", "align.min_score=2"], 3),
    (["normalize.gazetteer=missing.yaml", "normalize.labels=missing.yaml"], 2),
    (["detect.detector=nope", "ner.models.id.backend=nope"], 2),
])
def test_every_problem_is_listed_at_once(overrides, expected_lines):
    with pytest.raises(ConfigError) as error:
        validate(overrides)
    lines = str(error.value).splitlines()
    assert len(lines) == expected_lines and "more)" not in str(error.value)
    for override in overrides:
        assert any(override.split("=")[0] in line for line in lines)


def test_cli_exits_2_on_bad_config(tmp_path, capsys):
    code = main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "o"), "--set", "detect.sed=1"])
    assert code == 2
    assert capsys.readouterr().err.strip() == ("error: --set detect.sed: unknown key "
                                               "(check the spelling against configs/pipeline.yaml)")


def test_file_errors_name_the_file_and_set_errors_name_set(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("detect:\n  sed: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(user, ["align.min_score=2"])
    assert str(error.value).splitlines() == [
        f"{user}: detect.sed: unknown key (check the spelling against configs/pipeline.yaml)",
        "--set align.min_score: Input should be less than or equal to 1 (got 2)"]


@pytest.mark.parametrize("content, check", [
    ("align:\n  min_score: 0.7\n", lambda s: s.align.min_score == 0.7 and s.align.methods["glossary"].enabled),
    ("align:\n  methods:\n    glossary: {enabled: false}\n",
     lambda s: not s.align.methods["glossary"].enabled and s.align.methods["translation"].enabled),
    ("languages: [en]\n", lambda s: s.languages == ["en"] and "id" in s.ner.models),
])
def test_a_small_override_file_is_merged_over_the_defaults(tmp_path, content, check):
    user = tmp_path / "sub" / "mine.yaml"
    user.parent.mkdir()
    user.write_text(content, encoding="utf-8")
    config = load_config(user)
    assert check(config.settings)
    # Paths the defaults set still point into configs/, wherever the override file lives.
    assert config.resolve(config.settings.normalize.gazetteer) == DEFAULT_CONFIG.parent / "gazetteer.yaml"
    validate_config = load_resources(config)
    assert validate_config.knowledge.gazetteer


def test_override_paths_resolve_against_their_own_file(tmp_path):
    (tmp_path / "my_glossary.tsv").write_text("en\tid\tlabel\nRed Sea\tLaut Merah\tLOC\n", encoding="utf-8")
    user = tmp_path / "mine.yaml"
    user.write_text("align:\n  methods:\n    glossary: {path: my_glossary.tsv}\n", encoding="utf-8")
    resources = load_resources(load_config(user))
    assert [p.en for p in resources.method_data["glossary"]] == ["Red Sea"]


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_config(tmp_path / "nope.yaml")


def test_gazetteer_errors_name_entry(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("en:\n  - {name: NATO, label: ORGANIZATION}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"g.yaml: en\[0\].label: 'ORGANIZATION' is not a label"):
        load_gazetteer(path)
    path.write_text("en:\n  - {name: NATO, label: ORG, alias: [x]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"en\[0\].alias: unknown key"):
        load_gazetteer(path)


@pytest.mark.parametrize("content, message", [
    ("id:\n  - {head: Kementerian}\n", r"p.yaml: id\[0\]: expected a mapping with 'label' and exactly one of"),
    ("id:\n  - {head: Kementerian, tail: X, label: ORG}\n", r"id\[0\]: expected a mapping with 'label'"),
    ("id:\n  - {head: '', label: ORG}\n", r"id\[0\].head: expected a non-empty string"),
    ("id:\n  - {pattern: 'Resolusi {nama}', label: LAW}\n", r"id\[0\].pattern: unknown placeholder \{nama\}"),
    ("id:\n  - {pattern: 'Resolusi (', label: LAW}\n", r"id\[0\].pattern: not a valid regular expression"),
    ("id:\n  - {head: Perjanjian, label: LAW, group: laws}\n", r"id\[0\].group: 'laws' is not a group"),
    ("id:\n  - {head: Misi, label: ORG, connector: [di]}\n", r"id\[0\].connector: unknown key"),
    ("id:\n  - {head: Misi, label: ORGANISATION}\n", r"id\[0\].label: 'ORGANISATION' is not a label"),
])
def test_name_pattern_errors_name_entry(tmp_path, content, message):
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_name_patterns(path)


def test_glossary_needs_its_columns(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("english\tid\tlabel\nNATO\tNATO\tORG\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing column"):
        load_glossary(path)


def test_unreadable_gazetteer_stops_at_load(tmp_path):
    bad = tmp_path / "gazetteer.yaml"
    bad.write_text("en: [ {name: NATO, label: ORG\n", encoding="utf-8")  # unclosed: not YAML
    with pytest.raises(ConfigError, match="gazetteer.yaml: not valid YAML"):
        validate([f"normalize.gazetteer={bad}"])


def test_unknown_label_map_name(tmp_path):
    with pytest.raises(ConfigError, match="ner.models.id.label_map: 'nope' is not in"):
        validate(["ner.models.id.label_map=nope"])


@pytest.mark.models
def test_missing_model_exits_2_naming_the_key(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("NATO trained the Afghan army in Kabul for many years.", encoding="utf-8")
    code = main(["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"),
                 "--set", "ner.models.en.model=/nonexistent/model"])
    assert code == 2
    err = capsys.readouterr().err
    assert "ner.models.en.model" in err and "no spaCy model could be loaded" in err and "make setup" in err
    assert not (tmp_path / "out").exists()


def test_method_path_may_be_a_list_read_in_order(tmp_path):
    from pipeline.resources import load_lexicon

    top, base = tmp_path / "top.tsv", tmp_path / "base.tsv"
    top.write_text("id\ten\ndewan\tcouncil\n", encoding="utf-8")
    base.write_text("id\ten\tsource\ndewan\tboard\tfreedict\ndewan\tcouncil\taligned\nmisi\tmission\tfreedict\n",
                    encoding="utf-8")
    assert load_lexicon([top, base]) == {"dewan": ["council", "board"], "misi": ["mission"]}
    config = load_config(None, [f"align.methods.translation.path=[{top}, {base}]"])
    assert config.settings.align.methods["translation"].paths == [str(top), str(base)]
    assert load_resources(config).method_data["translation"]["dewan"] == ["council", "board"]


@pytest.mark.parametrize("override, message", [
    ("align.methods.translation.path=[]", "align.methods.translation.path"),
    ("align.methods.translation.path=[lexicon_id_en.tsv, missing.tsv]", "align.methods.translation.path: file not found"),
    ("align.resources.names=missing.tsv", "align.resources.names: file not found"),
    ("align.resources.nope=glossary.tsv", "align.resources.nope: unknown shared alignment resource 'nope'"),
])
def test_method_and_shared_resource_paths_are_checked(override, message):
    with pytest.raises(ConfigError, match=message):
        validate([override])


def test_names_table_loads_once_with_its_labels_checked(tmp_path):
    from pipeline.resources import load_names

    config = load_config()
    resources = load_resources(config)
    names = resources.shared["names"]
    assert {e.code for e in names.lookup("id", "suriah")} >= {"SY"} and names.label("en", "egypt") == "GPE"
    # both methods that declared the names table get the one loaded object
    from pipeline.plugins import alignment_methods
    needs = [m.needs["names"] for m in alignment_methods(config, resources) if m.needs]
    assert len(needs) == 2 and all(n is names for n in needs)
    bad = tmp_path / "names.tsv"
    bad.write_text("en\tid\tlabel\tsource\nEgypt\tMesir\tCOUNTRY\tcldr\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="row 2.label: 'COUNTRY' is not a label"):
        load_names(bad)
    with pytest.raises(ConfigError, match="missing column"):
        bad.write_text("en\tid\nEgypt\tMesir\n", encoding="utf-8")
        load_names(bad)
