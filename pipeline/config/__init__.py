"""Configuration floor: the schema of ``configs/pipeline.yaml`` and its loading. Imports only ``core``."""
from pipeline.config.load import DEFAULT_CONFIG, PROJECT_ROOT, LoadedConfig, apply_override, load_config, safe_load_yaml
from pipeline.config.schema import (AlignConfig, AlignMethodConfig, DetectConfig, IngestConfig, ModelConfig,
                                    NerConfig, NerRules, NormalizeConfig, NormalizeRules, PipelineConfig, ProjectionConfig,
                                    RunConfig, TablesConfig)

__all__ = ["DEFAULT_CONFIG", "PROJECT_ROOT", "LoadedConfig", "apply_override", "load_config", "safe_load_yaml", "AlignConfig",
           "AlignMethodConfig", "DetectConfig", "IngestConfig", "ModelConfig", "NerConfig", "NerRules", "NormalizeConfig",
           "NormalizeRules", "PipelineConfig", "ProjectionConfig", "RunConfig", "TablesConfig"]
