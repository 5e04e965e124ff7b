"""The cache folder of a run: the embeddings and translations kept between runs, one place
that says where it is and what its files are called."""

from __future__ import annotations

import os
from pathlib import Path

CACHE = ".align-cache"  # the default cache folder, inside the output folder
EMBEDDINGS = "embeddings.sqlite"
TRANSLATIONS = "translations.sqlite"


def run_cache_dir(given: str | os.PathLike | None, output: Path, user_cache: bool = False) -> Path:
    """The cache folder of a run, as an absolute path (workers on other processes get it):
    ``given``, else the user's cache folder (``user_cache``: a run that writes to standard
    output has no folder of its own to keep it in), else ``OUTPUT/.align-cache``."""
    if given:
        return Path(given).resolve()
    if user_cache:
        from platformdirs import user_cache_dir

        from .. import DISTRIBUTION

        return Path(user_cache_dir(DISTRIBUTION)).resolve()
    return (output / CACHE).resolve()


def embeddings_path(cache_dir: str | os.PathLike) -> Path:
    return Path(cache_dir) / EMBEDDINGS


def translations_path(cache_dir: str | os.PathLike) -> Path:
    return Path(cache_dir) / TRANSLATIONS
