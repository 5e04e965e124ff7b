"""Writing flat TOML (``key = value`` lines of strings, numbers, booleans and lists of them):
what ``align config`` prints and ``--config`` reads back with ``tomllib``."""

from __future__ import annotations

import json
import math


def toml_value(value) -> str:
    """A TOML literal for a setting.

    >>> toml_value("a\\\\b"), toml_value(True), toml_value([1, "x"]), toml_value(0.5)
    ('"a\\\\\\\\b"', 'true', '[1, "x"]', '0.5')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no TOML form")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string: JSON's escapes are TOML's
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise ValueError(f"{type(value).__name__} has no TOML form")


def dumps_flat(settings: dict) -> str:
    """``key = value`` lines, in the order given.

    >>> print(dumps_flat({"output": "out", "formats": ["tmx"]}), end="")
    output = "out"
    formats = ["tmx"]
    """
    return "".join(f"{key} = {toml_value(value)}\n" for key, value in settings.items())
