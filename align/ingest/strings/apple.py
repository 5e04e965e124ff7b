"""Apple plural and catalog files: ``.stringsdict`` (a property list; one unit per plural form
of each key) and String Catalogs, ``.xcstrings`` (JSON holding every language: stale keys are
``obsolete``, strings not ``translated`` are ``unfinished``)."""

from __future__ import annotations

import plistlib
import re
from xml.parsers.expat import ExpatError

from ...errors import InputError
from .jsonfiles import load_json
from .units import StringFile, StringUnit, numbered

_VARIABLE = re.compile(r"%#@(\w+)@")


def _stringsdict_units(key: str, entry: dict) -> list[StringUnit]:
    """A key's forms: the format with its (first) variable replaced by each form's text."""
    fmt = entry.get("NSStringLocalizedFormatKey")
    if not isinstance(fmt, str):
        return []
    m = _VARIABLE.search(fmt)
    rule = entry.get(m.group(1)) if m else None
    if not isinstance(rule, dict):
        return [StringUnit(key, fmt)]
    return [StringUnit(key, fmt[:m.start()] + text + fmt[m.end():], plural=form)
            for form, text in rule.items() if isinstance(text, str) and not form.startswith("NSStringFormat")]


def read_stringsdict(data: bytes, path: str) -> StringFile:
    try:
        tree = plistlib.loads(data)
    except (plistlib.InvalidFileException, ExpatError, ValueError) as exc:
        raise InputError(f"not a readable .stringsdict file ({type(exc).__name__})") from exc
    if not isinstance(tree, dict):
        raise InputError("not a .stringsdict file (not a dictionary)")
    units = [u for key, entry in tree.items() if isinstance(entry, dict) for u in _stringsdict_units(str(key), entry)]
    return StringFile(path, "stringsdict", numbered(units))


def _catalog_units(key: str, entry: dict, localization: dict) -> list[StringUnit]:
    note = entry.get("comment") if isinstance(entry.get("comment"), str) else ""
    stale = "obsolete" if entry.get("extractionState") == "stale" else ""

    def unit(value: dict, form: str = "") -> StringUnit | None:
        string = value.get("stringUnit") if isinstance(value, dict) else None
        if not isinstance(string, dict) or not isinstance(string.get("value"), str):
            return None
        state = stale or ("" if string.get("state", "translated") == "translated" else "unfinished")
        return StringUnit(key, string["value"], note, plural=form, state=state)

    plural = ((localization.get("variations") or {}).get("plural") or {}) if isinstance(localization, dict) else {}
    found = [unit(v, form) for form, v in plural.items()] if isinstance(plural, dict) and plural else [unit(localization)]
    return [u for u in found if u is not None]


def read_xcstrings(data: bytes, path: str) -> StringFile:
    tree = load_json(data, "String Catalog")
    strings = tree.get("strings") if isinstance(tree, dict) else None
    if not isinstance(strings, dict):
        raise InputError("not a String Catalog (.xcstrings without \"strings\")")
    source = str(tree.get("sourceLanguage") or "en")
    languages: dict[str, list[StringUnit]] = {source: []}
    for key, entry in strings.items():
        if not isinstance(entry, dict) or entry.get("shouldTranslate") is False:
            continue
        localizations = entry.get("localizations") if isinstance(entry.get("localizations"), dict) else {}
        if source not in localizations:  # the key is the source text
            languages[source].append(StringUnit(key, key, entry.get("comment") or ""))
        for locale, value in localizations.items():
            languages.setdefault(locale, []).extend(_catalog_units(key, entry, value))
    return StringFile(path, "xcstrings", locale=source,
                      languages=tuple((locale, numbered(units)) for locale, units in languages.items()))
