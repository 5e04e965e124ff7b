"""The hard rules of pairs of string-file units (method ``keyed``). Their language is
declared by their files, so the checks for documents that read the language of each side
are replaced: the Chinese side must hold Chinese and the English side must not be Chinese.
Placeholders must agree (a translation whose format arguments differ crashes the app or
shows garbage); numbers must agree. URLs may be localised (``developer.android.google.cn``),
and lengths of UI strings vary (``TTS`` is ``语音服务``), so neither is a rule here."""

from __future__ import annotations

import re
from collections import Counter

from ..language import is_han
from ..placeholders import placeholders
from .hardrules import EmptyOrPunctuation, HardRule, MaskedWord, NumberMismatch, RuleResult

KEYED = "keyed"
_POSITION = re.compile(r"^%\d+\$")


def format_arguments(text: str) -> Counter:
    """The placeholders of ``text`` with printf positions set aside (``%1$s`` and ``%s`` are
    the same argument to a translator who reorders them).

    >>> sorted(format_arguments("%1$s of %2$d {name}").elements())
    ['%d', '%s', '{name}']
    """
    return Counter(_POSITION.sub("%", p) for p in placeholders(text).elements() if p != "%%")


class PlaceholderMismatch(HardRule):
    name = "placeholder_mismatch"

    def score(self, zh: str, en: str) -> tuple[Counter, Counter]:
        return format_arguments(zh), format_arguments(en)

    def accept(self, measure) -> bool:
        return measure[0] == measure[1]

    def explain(self, measure) -> str:
        zh, en = measure
        return f"zh has {' '.join(sorted((zh - en).elements())) or '-'}, en has {' '.join(sorted((en - zh).elements())) or '-'}"


class DeclaredLanguage(HardRule):
    """The Chinese value holds Han characters, the English value is not mostly Han."""

    name = "wrong_language"

    def score(self, zh: str, en: str) -> tuple[bool, bool]:
        letters = [ch for ch in en if ch.isalpha()]
        return any(is_han(ch) for ch in zh), sum(is_han(ch) for ch in letters) <= len(letters) / 2

    def accept(self, measure) -> bool:
        return all(measure)

    def explain(self, measure) -> str:
        zh_ok, en_ok = measure
        return "; ".join(([] if zh_ok else ["the Chinese value holds no Chinese"]) +
                         ([] if en_ok else ["the English value is Chinese"]))


def keyed_rules() -> tuple[HardRule, ...]:
    return (EmptyOrPunctuation(), DeclaredLanguage(), NumberMismatch(), PlaceholderMismatch(), MaskedWord())


def check_keyed_rules(zh: str, en: str) -> tuple[RuleResult, ...]:
    """The rules a keyed pair fails, with what was wrong.

    >>> [r.name for r in check_keyed_rules("删除 %1$s？", "Delete %1$s?")]
    []
    >>> [(r.name, r.detail) for r in check_keyed_rules("删除？", "Delete %1$s?")]
    [('placeholder_mismatch', 'zh has -, en has %s')]
    """
    return tuple(r for r in (rule.check(zh, en) for rule in keyed_rules()) if not r.passed)
