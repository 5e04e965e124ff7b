"""The one exception family of the library. The CLI turns these into one-line messages."""


class AlignError(Exception):
    """Base class for every error the library raises on purpose."""

    exit_code = 1


class InputError(AlignError):
    """Bad input: a missing path, an unreadable or empty file, no text in a language."""

    exit_code = 2


class ConfigurationError(AlignError):
    """An unknown option value, a bad setting, or a malformed user file (glossary, translations)."""

    exit_code = 2


class ModelError(AlignError):
    """A model that cannot be found, loaded or fetched."""

    exit_code = 2


class OutputError(AlignError):
    """An output location that cannot be written."""

    exit_code = 2


class ExecutionError(AlignError):
    """Work that could not run to its end: a worker process that died, a cluster that went away."""

    exit_code = 1
