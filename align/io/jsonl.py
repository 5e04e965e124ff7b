"""JSON Lines: one record a line, UTF-8, lone surrogates escaped, written atomically."""

from __future__ import annotations

import json
import re
import os
from collections.abc import Iterable, Iterator

from ..errors import InputError
from .atomic import atomic_writer


def dumps(record: dict) -> str:
    """One JSONL line: UTF-8 text, keys in the record's order, lone surrogates escaped.

    >>> dumps({"zh": "你好", "bad": "\\ud800"})
    '{"zh": "\\\\u4f60\\\\u597d", "bad": "\\\\ud800"}'
    """
    return json.dumps(record, ensure_ascii=_needs_ascii(record))


def _needs_ascii(record: dict) -> bool:
    """Lone surrogates cannot be written as UTF-8; such records are written with ASCII escapes."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def write_jsonl(path: str | os.PathLike, records: Iterable[dict]) -> int:
    count = 0
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(dumps(record) + "\n")
            count += 1
    return count


def read_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, dict]]:
    """``(line number, record)`` for each non-blank line; a line that is not a JSON object is an error."""
    from .streams import read_input

    try:
        text = read_input(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: not a JSON object")
        if _LONE_SURROGATE.search(line) and _has_lone_surrogate(record):
            raise InputError(f"{path}:{number}: a text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")
        yield number, record


_LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False
