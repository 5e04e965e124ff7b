"""Hard rules in the bicleaner-hardrules manner, each with ``score`` and ``accept`` apart (as
OpusFilter separates them): ``score`` measures the pair, ``accept`` decides on the measure,
``explain`` says what was wrong in a few words. A pair that fails a rule is marked
``rejected_by`` with the rule's name, and the explanation travels with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..language import NEUTRAL, URL_PATTERN, block_language, detect_language, is_han, without_inline_code
from .numbers import NumberComparison, compare_numbers

_URL = re.compile(URL_PATTERN + r"|[\w.+-]+@[\w-]+\.[\w.]*\w", re.I)
_LATIN_TOKEN = re.compile(r"[A-Za-z][\w.+#/-]*")


@dataclass(frozen=True)
class RuleResult:
    name: str
    passed: bool
    detail: str = ""


class HardRule:
    """A named rule: ``score(zh, en)`` measures, ``accept(measure)`` decides."""

    name = "rule"
    checks = ""  # what the rule checks, in a few words (align rules lists it)

    def score(self, zh: str, en: str):  # pragma: no cover - abstract
        raise NotImplementedError

    def accept(self, measure) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def explain(self, measure) -> str:
        return ""

    def check(self, zh: str, en: str) -> RuleResult:
        measure = self.score(zh, en)
        passed = self.accept(measure)
        return RuleResult(self.name, passed, "" if passed else self.explain(measure))


def without_urls(text: str) -> str:
    return _URL.sub(" ", text)


class EmptyOrPunctuation(HardRule):
    name = "empty_or_punctuation"
    checks = "a side has no letter or digit (only punctuation, symbols or space)"

    def score(self, zh: str, en: str) -> tuple[bool, bool]:
        return any(ch.isalnum() for ch in zh), any(ch.isalnum() for ch in en)

    def accept(self, measure) -> bool:
        return all(measure)

    def explain(self, measure) -> str:
        return "no letters or digits on the " + " and ".join(s for s, ok in zip(("zh", "en"), measure) if not ok) + " side"


class Identical(HardRule):
    name = "identical"
    checks = "both sides are the same text, case aside (an untranslated copy)"

    def score(self, zh: str, en: str) -> bool:
        return zh.strip().lower() == en.strip().lower()

    def accept(self, measure) -> bool:
        return not measure

    def explain(self, measure) -> str:
        return "both sides are the same text"


def chinese_side_language(zh: str) -> str:
    """``zh`` when the text is Chinese once inline code, URLs and Latin words (commands,
    product names) are set aside; else what ``detect_language`` says of it."""
    rest = _LATIN_TOKEN.sub(" ", without_inline_code(without_urls(zh)))
    if any(is_han(ch) for ch in rest) and detect_language(rest) == "zh":
        return "zh"
    return detect_language(zh)


def english_side_language(en: str) -> str:
    """What the English side is once inline code and URLs are set aside: English unless its
    words belong to another language (a heading of product names is English here)."""
    lang = block_language(without_inline_code(without_urls(en)))
    return "en" if lang == NEUTRAL else lang


class WrongLanguage(HardRule):
    name = "wrong_language"
    checks = ("a side is not in its language (inline code, URLs, commands and Latin product names "
              "in the Chinese do not count)")

    def score(self, zh: str, en: str) -> tuple[str, str]:
        return chinese_side_language(zh), english_side_language(en)

    def accept(self, measure) -> bool:
        return measure == ("zh", "en")

    def explain(self, measure) -> str:
        return f"sides read as {measure[0]} and {measure[1]}"


class NumberMismatch(HardRule):
    name = "number_mismatch"
    checks = ("each side has a number the other lacks, or they share none (Chinese numerals, full-width "
              "digits, 250万 = 2.5 million, number words normalised first)")

    def score(self, zh: str, en: str) -> NumberComparison:
        return compare_numbers(without_urls(zh), without_urls(en))

    def accept(self, measure: NumberComparison) -> bool:
        return measure.agree

    def explain(self, measure: NumberComparison) -> str:
        return measure.explain()


class UrlMismatch(HardRule):
    name = "url_mismatch"
    checks = "the sides hold different URLs or e-mail addresses"

    def score(self, zh: str, en: str) -> tuple[set[str], set[str]]:
        return set(_URL.findall(zh)), set(_URL.findall(en))

    def accept(self, measure) -> bool:
        a, b = measure
        return a == b

    def explain(self, measure) -> str:
        a, b = measure
        return f"zh has {' '.join(sorted(a - b)) or '-'}, en has {' '.join(sorted(b - a)) or '-'}"


@dataclass(frozen=True)
class ExtremeLength(HardRule):
    """A side over 1,000 characters (3,000 in English), or lengths more than ``factor`` times
    off the expected ratio (``length_ratio`` English characters per Chinese one) either way."""

    length_ratio: float
    factor: float = 6.0
    name: str = "extreme_length"
    checks = ("a side over 1,000 characters (3,000 in English), or lengths more than 6 times off the expected "
              "ratio either way (a short pair within it passes: names, labels, numbers with units)")

    def score(self, zh: str, en: str) -> tuple[int, int, float]:
        return len(zh), len(en), (len(en) + 5) / (self.length_ratio * len(zh) + 5)

    def accept(self, measure) -> bool:
        zh_len, en_len, ratio = measure
        return zh_len <= 1000 and en_len <= 3000 and 1 / self.factor <= ratio <= self.factor

    def explain(self, measure) -> str:
        zh_len, en_len, ratio = measure
        return f"{zh_len} zh and {en_len} en characters ({ratio:.1f} times the expected length)"


class MaskedWord(HardRule):
    """A censored word that normalization could not restore (``masked_words`` wrote its
    placeholder): the text lacks a word, and a translation memory must not hold the mark."""

    name = "masked_word"
    checks = "a side holds the [masked] mark of a censored word no rule restored"

    def score(self, zh: str, en: str) -> tuple[bool, bool]:
        from ..normalize.fixers import PLACEHOLDER

        return PLACEHOLDER in zh, PLACEHOLDER in en

    def accept(self, measure) -> bool:
        return not any(measure)

    def explain(self, measure) -> str:
        return "a censored word could not be restored on the " + " and ".join(
            side for side, masked in zip(("zh", "en"), measure) if masked) + " side"


def hard_rules(length_ratio: float) -> tuple[HardRule, ...]:
    """The rules in the order they are reported."""
    return (EmptyOrPunctuation(), Identical(), WrongLanguage(), NumberMismatch(), UrlMismatch(),
            ExtremeLength(length_ratio), MaskedWord())


RULE_NAMES = tuple(rule.name for rule in hard_rules(1.0))


def rule_descriptions() -> tuple[tuple[str, str], ...]:
    """Each rule's name and what it checks, in the order they are reported."""
    return tuple((rule.name, rule.checks) for rule in hard_rules(1.0))


def check_rules(zh: str, en: str, length_ratio: float) -> tuple[RuleResult, ...]:
    """The rules the pair fails, with what was wrong."""
    return tuple(r for r in (rule.check(zh, en) for rule in hard_rules(length_ratio)) if not r.passed)


def broken_rules(zh: str, en: str, length_ratio: float) -> tuple[str, ...]:
    """Names of the hard rules the pair breaks, in a fixed order.

    >>> broken_rules("第五条", "Article 7", 4.0), broken_rules("一八四〇年", "In 1840.", 4.0)
    (('number_mismatch',), ())
    """
    return tuple(r.name for r in check_rules(zh, en, length_ratio))
