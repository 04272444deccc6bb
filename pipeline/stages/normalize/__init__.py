"""Stage normalize: one label vocabulary, repaired spans, acronyms, consistent labels (per document),
then entities with content-derived ids (per corpus)."""
from pipeline.stages.normalize.acronyms import all_acronym_definitions
from pipeline.stages.normalize.consistency import CorpusTerms, drop_corpus_terms, normalize_document, normalize_record
from pipeline.stages.normalize.entities import EntityGrouper, entity_id_for, group_entities
from pipeline.stages.normalize.spans import repair_span

__all__ = ["CorpusTerms", "EntityGrouper", "all_acronym_definitions", "drop_corpus_terms", "normalize_document", "normalize_record",
           "entity_id_for", "group_entities", "repair_span"]
