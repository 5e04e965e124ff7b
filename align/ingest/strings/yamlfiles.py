"""YAML locale files (Rails and others): a root key that names the locale (``en:``,
``zh-CN:``), nested keys joined with dots, a mapping of plural forms (``one``/``other``) one
unit per form. Read with PyYAML's safe loader; a file with more than ``MAX_ALIASES`` alias
uses (a "billion laughs" bomb) or too many strings is refused."""

from __future__ import annotations

import yaml

from ...errors import InputError
from .jsonfiles import flatten, locale_root
from .units import StringFile, numbered

MAX_ALIASES = 1000


def _guarded_loader(stream):
    """A safe loader that stops after ``MAX_ALIASES`` alias uses."""
    loader = yaml.SafeLoader(stream)
    uses = [0]
    compose = loader.compose_node

    def counted(parent, index):
        if loader.check_event(yaml.AliasEvent):
            uses[0] += 1
            if uses[0] > MAX_ALIASES:
                raise InputError(f"more than {MAX_ALIASES} YAML aliases (an alias bomb?): not read")
        return compose(parent, index)

    loader.compose_node = counted
    return loader


def read_yaml(data: bytes, path: str) -> StringFile:
    try:
        loader = _guarded_loader(data.decode("utf-8-sig"))
        try:
            tree = loader.get_single_data()
        finally:
            loader.dispose()
    except UnicodeDecodeError as exc:
        raise InputError("not a readable YAML file (not UTF-8)") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"not a readable YAML file ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc
    if not isinstance(tree, dict):
        raise InputError("not a YAML locale file (not a mapping of strings)")
    locale, tree = locale_root(tree)
    return StringFile(path, "yaml", numbered(flatten(tree)), locale)
