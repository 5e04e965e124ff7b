"""Corpus file formats: TMX, JSONL, TSV (a header line, then zh, en, quality, method and the
signals a rescoring cannot measure again) and Moses (two aligned text files: texts only).

A format is named with ``--format`` or read from the output file's extension; an extension
that names no format is an error rather than a silent JSONL file.
"""

from __future__ import annotations

from types import MappingProxyType

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError
from ..io.streams import STDIN, inner_path
from ..io.atomic import atomic_writer

FORMATS = ("tmx", "jsonl", "tsv", "moses")
EXTENSIONS = MappingProxyType({".tmx": "tmx", ".jsonl": "jsonl", ".json": "jsonl", ".tsv": "tsv"})
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write ``path`` in: ``fmt`` if given, else from the extension.

    ``-`` (standard output) is JSONL unless ``fmt`` says; a compression suffix is looked through.

    >>> format_for(Path("out.tsv")), format_for(Path("corpus"), "moses"), format_for(Path("c.jsonl.gz")), format_for(Path("-"))
    ('tsv', 'moses', 'jsonl', 'jsonl')
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise ConfigurationError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
        if str(path) == STDIN and fmt == "moses":
            raise ConfigurationError("moses writes two files: give -o PREFIX, not -")
        return fmt
    if str(path) == STDIN:
        return "jsonl"
    found = EXTENSIONS.get(inner_path(path).suffix.lower())
    if found is None:
        raise ConfigurationError(f"{path}: the extension names no corpus format; use .tmx, .jsonl or .tsv, "
                                 f"or name one ({', '.join(FORMATS)})")
    return found


def one_line(text: str) -> str:
    """Text on one line: tabs and line breaks become single spaces.

    >>> one_line("a\\tb\\nc")
    'a b c'
    """
    return _LINE_BREAKS.sub(" ", text).strip()


# The TSV columns after the texts and the quality: how the pair was found, and the signals
# that depend on what the file does not hold (the documents around the pair, the text before
# repair), so that ``align score corpus.tsv`` judges each pair as the run did.
TSV_HEADER = ("zh", "en", "quality", "method", "margin", "garble")


@dataclass(frozen=True)
class TextPair:
    zh: str
    en: str
    quality: float
    method: str = ""
    margin: float | None = None
    garble: float | None = None


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def write_tsv(path: Path, pairs: Iterable[TextPair]) -> int:
    """A header line (``TSV_HEADER``), then one pair per line."""
    count = 0
    with atomic_writer(path) as handle:
        handle.write("\t".join(TSV_HEADER) + "\n")
        for p in pairs:
            handle.write(f"{one_line(p.zh)}\t{one_line(p.en)}\t{p.quality:.4f}\t{p.method}\t{_cell(p.margin)}\t"
                         f"{_cell(p.garble)}\n")
            count += 1
    return count


def moses_paths(prefix: Path) -> tuple[Path, Path]:
    """``corpus`` -> ``corpus.zh``, ``corpus.en`` (a ``.moses`` suffix is dropped)."""
    base = prefix.with_suffix("") if prefix.suffix.lower() == ".moses" else prefix
    return base.with_name(base.name + ".zh"), base.with_name(base.name + ".en")


def write_moses(prefix: Path, pairs: Iterable[TextPair]) -> int:
    zh_path, en_path = moses_paths(prefix)
    pairs = list(pairs)
    with atomic_writer(zh_path) as zh, atomic_writer(en_path) as en:
        for p in pairs:
            zh.write(one_line(p.zh) + "\n")
            en.write(one_line(p.en) + "\n")
    return len(pairs)
