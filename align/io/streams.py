"""Reading inputs the way command-line tools do: ``-`` is standard input, and ``.gz``,
``.xz`` and ``.bz2`` files are decompressed by their extension, with a cap on what they
inflate to (a small file that expands to gigabytes is refused, not read)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import sys
from pathlib import Path
from types import MappingProxyType

from ..errors import InputError

COMPRESSIONS = MappingProxyType({".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open})
STDIN = "-"
DEFAULT_CAP = 512 * 1024 * 1024


def compression_of(path: str | os.PathLike) -> str:
    """The compression suffix of a path (``.gz``, ``.xz``, ``.bz2``) or ``""``."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in COMPRESSIONS else ""


def inner_path(path: str | os.PathLike) -> Path:
    """The path without its compression suffix: ``corpus.tsv.gz`` -> ``corpus.tsv``.

    >>> inner_path("a/corpus.tsv.gz").name, inner_path("notes.md").name
    ('corpus.tsv', 'notes.md')
    """
    path = Path(path)
    return path.with_suffix("") if compression_of(path) else path


def read_input(path: str | os.PathLike, max_bytes: int = DEFAULT_CAP) -> bytes:
    """The bytes of ``path`` (``-``: standard input), decompressed by its extension; more than
    ``max_bytes`` of content is an ``InputError``."""
    name = str(path)
    try:
        if name == STDIN:
            data = sys.stdin.buffer.read(max_bytes + 1)
        elif compression_of(path):
            with COMPRESSIONS[compression_of(path)](path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
    except PermissionError as exc:
        raise InputError(f"{name}: permission denied") from exc
    except (OSError, EOFError, lzma.LZMAError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise InputError(f"{name}: cannot read ({reason})") from exc
    if len(data) > max_bytes:
        raise InputError(f"{name}: more than {max_bytes} bytes{' once decompressed' if compression_of(path) else ''}")
    return data
