"""Errors a user can cause, each carrying what happened, why, and what to do."""


class PipelineError(Exception):
    """Base class for errors reported to the user without a traceback."""

    exit_code = 1


class ConfigError(PipelineError):
    """Invalid configuration or usage: the message names the file and the key (exit 2)."""

    exit_code = 2


class ModelError(ConfigError):
    """A configured model cannot be loaded (exit 2: it is a configuration problem)."""
