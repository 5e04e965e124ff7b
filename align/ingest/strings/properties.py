"""Java ``.properties`` (``key = value``, ``\\uXXXX`` escapes, lines continued by a backslash,
``#``/``!`` comments as notes) and Apple ``.strings`` (``"key" = "value";`` with ``/* */``
comments, in UTF-8 or UTF-16)."""

from __future__ import annotations

import re
from types import MappingProxyType

from ...errors import InputError
from .units import StringFile, StringUnit, numbered

_JAVA_ESCAPES = MappingProxyType({"t": "\t", "n": "\n", "r": "\r", "f": "\f"})


def unescape_java(text: str) -> str:
    r"""A .properties key or value with its escapes decoded.

    >>> unescape_java(r"Caf\u00e9\tand\ a \\ slash")
    'Café\tand a \\ slash'
    """
    def one(m: re.Match) -> str:
        body = m.group(1)
        if body.startswith("u") and len(body) == 5:
            return chr(int(body[1:], 16))
        return _JAVA_ESCAPES.get(body, body)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", one, text, flags=re.S)


def _logical_lines(text: str):
    """(first line number, logical line) with continuations joined."""
    lines = text.split("\n")
    k = 0
    while k < len(lines):
        start, line = k + 1, lines[k].rstrip("\r")
        while (len(line) - len(line.rstrip("\\"))) % 2 == 1 and k + 1 < len(lines):
            k += 1
            line = line[:-1] + lines[k].rstrip("\r").lstrip(" \t\f")
        yield start, line
        k += 1


def decode_properties(data: bytes, zh_expected: bool) -> str:
    """UTF-8 (Java 9 and later), else ISO-8859-1 with ``\\u`` escapes (the old standard) for
    a file not expected to hold Chinese; a Chinese file in another encoding (GBK) is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if zh_expected:
            raise InputError("not UTF-8 (a Chinese .properties file in another encoding, such as GBK: "
                             "convert it to UTF-8 or \\uXXXX escapes)") from exc
        return data.decode("latin-1")


def read_properties(data: bytes, path: str, zh_expected: bool = False) -> StringFile:
    text = decode_properties(data, zh_expected)
    units, notes = [], []
    for _, line in _logical_lines(text):
        stripped = line.lstrip(" \t\f")
        if not stripped:
            notes = []
            continue
        if stripped[0] in "#!":
            notes.append(stripped[1:].strip())
            continue
        m = re.match(r"((?:\\.|[^\\=:\s])*)\s*[=:]?\s*(.*)$", stripped, re.S)
        units.append(StringUnit(unescape_java(m.group(1)), unescape_java(m.group(2)), "\n".join(notes)))
        notes = []
    return StringFile(path, "properties", numbered(units))


_APPLE_TOKEN = re.compile(r'\s*(?:/\*(?P<block>.*?)\*/|//(?P<line>[^\n]*)|"(?P<quoted>(?:\\.|[^"\\])*)"'
                          r'|(?P<bare>[\w.\-]+)|(?P<punct>[=;]))', re.S)
_APPLE_ESCAPES = MappingProxyType({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "0": "\0"})


def unescape_apple(text: str) -> str:
    r"""A quoted .strings value with its escapes decoded.

    >>> unescape_apple(r'Say \"hi\"\n\U00e9')
    'Say "hi"\né'
    """
    def one(m: re.Match) -> str:
        body = m.group(1)
        return chr(int(body[1:], 16)) if body[0] in "uU" and len(body) == 5 else _APPLE_ESCAPES.get(body, body)

    return re.sub(r"\\([uU][0-9a-fA-F]{4}|.)", one, text, flags=re.S)


def decode_apple(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not a readable .strings file (neither UTF-8 nor UTF-16 with a BOM)") from exc


def _apple_tokens(text: str):
    pos = 0
    while pos < len(text):
        m = _APPLE_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip():
                raise InputError(f"not a readable .strings file (unexpected text at character {pos})")
            return
        pos = m.end()
        yield m


def read_apple_strings(data: bytes, path: str) -> StringFile:
    units, note, pending = [], "", []
    for m in _apple_tokens(decode_apple(data)):
        if m.group("block") is not None or m.group("line") is not None:
            note = (m.group("block") if m.group("block") is not None else m.group("line")).strip()
        elif m.group("punct") == ";":
            if len(pending) != 2:
                raise InputError("not a readable .strings file (a line is not \"key\" = \"value\";)")
            units.append(StringUnit(pending[0], pending[1], note))
            pending, note = [], ""
        elif m.group("punct") != "=":
            pending.append(unescape_apple(m.group("quoted")) if m.group("quoted") is not None else m.group("bare"))
    return StringFile(path, "strings", numbered(units))
