"""Pairing the units of a Chinese and an English string file by key (and plural form): never
by position, never by content search. What cannot pair gets its reason: a key on one side
only, a value left untranslated (the Chinese equal to the English), an empty value, a key
the file marks obsolete or unfinished, a plural form the other language does not have, a
key defined twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..ingest.strings.units import StringUnit

NO_PARTNER_KEY = "no_partner_key"
UNTRANSLATED = "untranslated"
EMPTY_VALUE = "empty_value"
OBSOLETE = "obsolete_key"
UNFINISHED = "unfinished_translation"
PLURAL_FORM_MISSING = "plural_form_missing"
DUPLICATE_KEY = "duplicate_key"
_PLURAL_SUFFIXES = ("_zero", "_one", "_two", "_few", "_many", "_other", "_plural")


@dataclass(frozen=True)
class LeftUnit:
    """A unit in no pair: its language, the unit, why, and what the reason is about."""

    lang: str
    unit: StringUnit
    reason: str
    detail: str


@dataclass(frozen=True)
class KeyedPairing:
    pairs: tuple[tuple[StringUnit, StringUnit], ...]  # (zh, en), in the English file's order
    left: tuple[LeftUnit, ...]


def _plural_base(key: str) -> str:
    """``items_one`` -> ``items`` (i18next plural keys), else the key."""
    return next((key[: -len(s)] for s in _PLURAL_SUFFIXES if key.endswith(s)), key)


def _by_key(units: Sequence[StringUnit], lang: str, left: list[LeftUnit]) -> dict[tuple[str, str], StringUnit]:
    """The units by (key, form); a key defined again wins (as in Java and Android), the
    earlier definition is left out with its reason."""
    found: dict[tuple[str, str], StringUnit] = {}
    for unit in units:
        if unit.pair_key in found and found[unit.pair_key].text.strip():
            left.append(LeftUnit(lang, found[unit.pair_key], DUPLICATE_KEY, f"{unit.key} is defined again in the file"))
        found[unit.pair_key] = unit
    return found


def _plain_as_other(units: dict, other_side: dict) -> dict:
    """A plain string whose key the other side gives as plural forms pairs with ``other``."""
    plural_keys = {key for key, form in other_side if form}
    out = {}
    for (key, form), unit in units.items():
        if not form and key in plural_keys and (key, "other") not in units:
            out[(key, "other")] = replace(unit, plural="other")
        else:
            out[(key, form)] = unit
    return out


def _why_single(unit: StringUnit, lang: str, other_keys: set[str]) -> LeftUnit:
    """The reason of a unit whose key the other file lacks."""
    side = "Chinese" if lang == "en" else "English"
    if unit.state == "obsolete":
        return LeftUnit(lang, unit, OBSOLETE, f"{unit.key} is marked obsolete")
    base = _plural_base(unit.key)
    if (unit.plural and unit.key in other_keys) or (base != unit.key and base in {_plural_base(k) for k in other_keys}):
        form = unit.plural or unit.key[len(_plural_base(unit.key)) + 1:]
        return LeftUnit(lang, unit, PLURAL_FORM_MISSING, f"the {side} file has no '{form}' form of {_plural_base(unit.key)}")
    return LeftUnit(lang, unit, NO_PARTNER_KEY, f"{unit.key} is not in the {side} file")


def _judge(zh: StringUnit, en: StringUnit, left: list[LeftUnit]) -> bool:
    """Whether two units of the same key pair; if not, each side that has text is left with its reason."""
    reason, detail = "", ""
    if "obsolete" in (zh.state, en.state):
        reason, detail = OBSOLETE, f"{en.key} is marked obsolete"
    elif not zh.text.strip() or not en.text.strip():
        reason, detail = EMPTY_VALUE, f"the {'Chinese' if not zh.text.strip() else 'English'} value of {en.key} is empty"
    elif "unfinished" in (zh.state, en.state):
        reason, detail = UNFINISHED, f"the translation of {en.key} is marked unfinished"
    elif zh.text.strip() == en.text.strip():
        reason, detail = UNTRANSLATED, f"the Chinese value of {en.key} is the English text"
    if not reason:
        return True
    left.extend(LeftUnit(lang, u, reason, detail) for lang, u in (("zh", zh), ("en", en)) if u.text.strip())
    return False


def pair_by_key(zh_units: Sequence[StringUnit], en_units: Sequence[StringUnit]) -> KeyedPairing:
    """Pair the units of two files by key and plural form.

    >>> zh = [StringUnit("ok", "确定"), StringUnit("new", "新"), StringUnit("name", "Name")]
    >>> en = [StringUnit("ok", "OK"), StringUnit("name", "Name"), StringUnit("old", "Old")]
    >>> found = pair_by_key(zh, en)
    >>> [(z.text, e.text) for z, e in found.pairs], sorted((u.unit.key, u.reason) for u in found.left)
    ([('确定', 'OK')], [('name', 'untranslated'), ('name', 'untranslated'), ('new', 'no_partner_key'), ('old', 'no_partner_key')])
    >>> [u.reason for u in pair_by_key([StringUnit("n_other", "{{count}} 项")], [StringUnit("n_one", "One"), StringUnit("n_other", "{{count}} items")]).left]
    ['plural_form_missing']
    """
    left: list[LeftUnit] = []
    zh, en = _by_key(zh_units, "zh", left), _by_key(en_units, "en", left)
    zh, en = _plain_as_other(zh, en), _plain_as_other(en, zh)
    zh_keys, en_keys = {k for k, _ in zh}, {k for k, _ in en}
    pairs = []
    for key, unit in en.items():
        partner = zh.get(key)
        if partner is None:
            if unit.text.strip():
                left.append(_why_single(unit, "en", zh_keys))
        elif _judge(partner, unit, left):
            pairs.append((partner, unit))
    left += [_why_single(u, "zh", en_keys) for key, u in zh.items() if key not in en and u.text.strip()]
    return KeyedPairing(tuple(pairs), tuple(left))
