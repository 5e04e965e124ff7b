"""Data files that ship with the package (glossary, masked-word rules) and user additions."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigurationError

def _data_text(name: str) -> str:
    return resources.files("align").joinpath("data", name).read_text(encoding="utf-8")


def read_glossary(text: str, origin: str) -> dict[str, tuple[str, str]]:
    """Parse a glossary TSV (``source<TAB>target[<TAB>note]``, optional header ``source target``)."""
    table: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE), 1):
        if not row or not row[0].strip() or row[0].startswith("#"):
            continue
        if number == 1 and row[0] == "source":
            continue
        if len(row) < 2 or not row[1].strip():
            raise ConfigurationError(f"{origin}:{number}: a glossary line needs a source and a target separated by a tab")
        table[row[0]] = (row[1], row[2] if len(row) > 2 else "")
    return table


@dataclass(frozen=True)
class Glossary:
    """Source phrase -> (target, note), and one compiled pattern that finds any source phrase."""

    pattern: re.Pattern
    table: dict
    signature: str


def _compile_glossary(table: dict[str, tuple[str, str]]) -> Glossary:
    import hashlib

    keys = sorted(table, key=len, reverse=True)
    alternatives = "|".join(re.escape(k) for k in keys)
    pattern = re.compile(rf"(?<![\w*])(?:{alternatives})(?![\w])")
    digest = hashlib.sha1(repr(sorted(table.items())).encode()).hexdigest()[:8]
    return Glossary(pattern, table, digest)


@lru_cache(maxsize=1)
def shipped_glossary() -> Glossary:
    return _compile_glossary(read_glossary(_data_text("glossary.tsv"), "glossary.tsv"))


def load_glossary(paths: tuple[str, ...]) -> Glossary:
    """The shipped glossary extended by the user's TSV files (later files win)."""
    if not paths:
        return shipped_glossary()
    table = dict(shipped_glossary().table)
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise ConfigurationError(f"{path}: glossary file not found")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"{path}: cannot read the glossary ({exc})") from exc
        table.update(read_glossary(text, str(path)))
    return _compile_glossary(table)


@dataclass(frozen=True)
class MaskRule:
    name: str
    left: re.Pattern | None
    right: re.Pattern | None
    fill: str


@lru_cache(maxsize=1)
def masked_word_rules() -> tuple[MaskRule, ...]:
    rules = []
    lines = [ln for ln in _data_text("masked_words.tsv").splitlines() if ln and not ln.startswith("#")]
    for number, row in enumerate(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE), 2):
        if len(row) != 4:
            raise ConfigurationError(f"masked_words.tsv:{number}: expected 4 tab-separated columns, got {len(row)}")
        name, left, right, fill = row
        rules.append(MaskRule(name, re.compile(left) if left else None, re.compile(right) if right else None, fill))
    return tuple(rules)
