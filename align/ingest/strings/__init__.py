"""Software string files, read as typed units (key, text, notes, position, plural form):
Android ``strings.xml``, JSON message files, Flutter ``.arb``, Java ``.properties``, Apple
``.strings``/``.stringsdict``/``.xcstrings``, YAML locale files, ``.resx`` and Qt ``.ts``.

A string file is recognised by its extension and, for the extensions other files share
(``.xml``, ``.json``, ``.yml``, ``.ts``), by where it lies or what it starts with: an
``.xml`` in an Android ``values*`` folder, a ``.json``/``.yml`` whose name or folder names a
locale (``zh-CN.json``, ``locales/en/app.json``, ``client.en.yml``), a ``.ts`` that is Qt XML.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import MappingProxyType

from ...errors import InputError
from .locales import Locale, Placed, parse_tag, place
from .units import StringFile, StringUnit

__all__ = ["Locale", "Placed", "StringFile", "StringUnit", "is_string_file", "parse_tag", "place", "read_string_file",
           "relative_path", "string_format"]

_BY_EXTENSION = MappingProxyType({
    ".strings": "strings", ".stringsdict": "stringsdict", ".xcstrings": "xcstrings", ".properties": "properties",
    ".arb": "arb", ".resx": "resx"})
_LOCALE_NAMED = MappingProxyType({".json": "json", ".yml": "yaml", ".yaml": "yaml"})
MAX_BYTES = 64 * 1024 * 1024


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(512)
    except OSError:
        return b""


def string_format(path: Path, relative: str) -> str | None:
    """The string-file format of ``path`` (``relative``: its path inside its input folder),
    None for a file that is not a string file."""
    suffix = path.suffix.lower()
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    parent = path.parent.name
    if suffix == ".xml" and (parent == "values" or parent.startswith("values-")):
        return "android"
    if suffix in _LOCALE_NAMED and place(relative).locale.lang:
        return _LOCALE_NAMED[suffix]
    if suffix == ".ts" and (b"<TS" in _head(path) or b"<!DOCTYPE TS" in _head(path)):
        return "qt"
    return None


def is_string_file(path: Path, root: Path | None) -> bool:
    """Whether a file found among the inputs (``root``: the folder it was found in) is a string file."""
    return string_format(path, relative_path(path, root)) is not None


def relative_path(path: Path, root: Path | None) -> str:
    """A file's path inside its input folder, with ``/`` (its name when given alone)."""
    return path.name if root is None else os.path.relpath(path, root).replace(os.sep, "/")


def _reader(fmt: str):
    from . import android, apple, dotnet, jsonfiles, properties, yamlfiles

    return {"android": android.read_android, "json": jsonfiles.read_json, "arb": jsonfiles.read_arb,
            "strings": properties.read_apple_strings, "stringsdict": apple.read_stringsdict,
            "xcstrings": apple.read_xcstrings, "yaml": yamlfiles.read_yaml, "resx": dotnet.read_resx,
            "qt": dotnet.read_qt}[fmt]


def read_string_file(path: Path, fmt: str, zh_expected: bool = False, max_bytes: int = MAX_BYTES) -> StringFile:
    """The units of one string file; ``InputError`` (a one-line reason) when it cannot be read.
    ``zh_expected``: its path says it is Chinese (a .properties file must then be UTF-8)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a FIFO, device or socket)")
        if info.st_size > max_bytes:
            raise InputError(f"{info.st_size} bytes, over the {max_bytes}-byte cap of a string file")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from exc
    if fmt == "properties":
        from .properties import read_properties

        return read_properties(data, str(path), zh_expected)
    try:
        return _reader(fmt)(data, str(path))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, UnicodeError) as exc:
        raise InputError(f"not a readable {fmt} string file ({type(exc).__name__})") from exc
