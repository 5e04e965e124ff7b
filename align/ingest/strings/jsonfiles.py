"""JSON message files: flat or nested key-value files (i18next, vue-i18n, react-intl, ngx-translate;
nested keys joined with dots, list items as ``key[0]``), Chrome ``messages.json``
(``{"key": {"message": …, "description": …}}``), Flutter ``.arb`` (``@key`` metadata as
notes, ``@@locale``) and Apple String Catalogs (``.xcstrings``, every language in one file).
An ICU plural or select is one unit per branch (``icu``); a single root key that is a locale (``{"en": {…}}``) is
not part of the keys."""

from __future__ import annotations

import json

from ...errors import InputError
from .icu import icu_forms
from .locales import parse_tag
from .units import PLURAL_FORMS, StringFile, StringUnit, numbered

_MESSAGE_FIELDS = ("message", "defaultMessage", "string", "translation")
_NOTE_FIELDS = ("description", "comment", "context")
MAX_UNITS = 200_000


def load_json(data: bytes, what: str):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not a readable {what} file (not UTF-8)") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not a readable {what} file (broken JSON: {exc})") from exc


def _message(value: dict) -> tuple[str, str] | None:
    """(text, notes) of a message object (Chrome, react-intl, Smartling), None for a branch."""
    for name in _MESSAGE_FIELDS:
        if isinstance(value.get(name), str) and all(not isinstance(v, dict) or k == "placeholders"
                                                     for k, v in value.items()):
            notes = next((value[n] for n in _NOTE_FIELDS if isinstance(value.get(n), str)), "")
            return value[name], notes
    return None


def split_plural(key: str, text: str, notes: str) -> list[StringUnit]:
    """One unit per branch of an ICU plural or select, else the text as one unit."""
    forms = icu_forms(text)
    return ([StringUnit(key, f.text, notes, plural=f.name, hash_arg=f.hash_arg) for f in forms] if forms
            else [StringUnit(key, text, notes)])


def flatten(tree, prefix: str = "", notes: dict | None = None) -> list[StringUnit]:
    """The string leaves of a nested JSON or YAML tree as units (numbers and booleans are no
    text); a mapping of plural forms (``one``/``other``, Rails) gives one unit per form."""
    notes = notes or {}
    out: list[StringUnit] = []
    stack = [(prefix, tree)]
    while stack:
        key, value = stack.pop()
        if len(out) > MAX_UNITS:
            raise InputError(f"more than {MAX_UNITS} strings (a hostile or generated file?)")
        if isinstance(value, str):
            out += split_plural(key, value, notes.get(key, ""))
        elif isinstance(value, dict):
            message = _message(value)
            if message is not None:
                out += split_plural(key, *message)
            elif value and "other" in value and set(value) <= set(PLURAL_FORMS) and all(isinstance(v, str) for v in value.values()):
                out += [StringUnit(key, v, notes.get(key, ""), plural=str(f)) for f, v in value.items()]
            else:
                stack += [(f"{key}.{k}" if key else str(k), v) for k, v in reversed(list(value.items()))]
        elif isinstance(value, list):
            stack += [(f"{key}[{n}]", v) for n, v in reversed(list(enumerate(value)))]
    return out


def locale_root(tree) -> tuple[str, object]:
    """A tree whose only key is a locale (``{"zh-CN": {…}}``): that locale and the subtree."""
    if isinstance(tree, dict) and len(tree) == 1:
        (key, value), = tree.items()
        if isinstance(key, str) and isinstance(value, dict) and parse_tag(key):
            return key, value
    return "", tree


def suffix_plurals(units: list[StringUnit]) -> list[StringUnit]:
    """i18next plural keys (``items_one``, ``items_other``) named with their form, where the
    file has the ``_other`` key of the same base.

    >>> [u.plural for u in suffix_plurals([StringUnit("n_one", "1"), StringUnit("n_other", "2"), StringUnit("is_one", "x")])]
    ['one', 'other', '']
    """
    from dataclasses import replace

    keys = {u.key for u in units}
    out = []
    for unit in units:
        base, _, form = unit.key.rpartition("_")
        plural = form in PLURAL_FORMS and not unit.plural and f"{base}_other" in keys
        out.append(replace(unit, plural=form) if plural else unit)
    return out


def read_json(data: bytes, path: str) -> StringFile:
    tree = load_json(data, "JSON")
    if not isinstance(tree, dict):
        raise InputError("not a JSON message file (not an object of strings)")
    locale, tree = locale_root(tree)
    return StringFile(path, "json", numbered(suffix_plurals(flatten(tree))), locale)


def read_arb(data: bytes, path: str) -> StringFile:
    tree = load_json(data, "ARB")
    if not isinstance(tree, dict):
        raise InputError("not an ARB file (not an object)")
    units = []
    for key, value in tree.items():
        if key.startswith("@") or not isinstance(value, str):
            continue
        meta = tree.get(f"@{key}")
        note = meta.get("description", "") if isinstance(meta, dict) and isinstance(meta.get("description"), str) else ""
        units += split_plural(key, value, note)
    locale = tree.get("@@locale") if isinstance(tree.get("@@locale"), str) else ""
    return StringFile(path, "arb", numbered(units), locale)
