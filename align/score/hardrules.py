"""Hard rules in the bicleaner-hardrules manner: a pair that breaks one is marked ``rejected_by``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ..language import detect_language

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+", re.I)


def chinese_numeral_value(text: str) -> int | None:
    """Value of a Chinese numeral, or None.

    >>> chinese_numeral_value("二十五"), chinese_numeral_value("一百零八"), chinese_numeral_value("三万")
    (25, 108, 30000)
    """
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            unit = _ZH_UNITS[ch]
            if unit >= 10_000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def numbers(text: str, lang: str) -> set[str]:
    """Normalized numbers in a text (full-width digits, thousands separators, Chinese numerals)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    found = {str(float(n)).removesuffix(".0") for n in _NUMBER.findall(text)}
    if lang == "zh":
        for m in _ZH_NUMERAL.finditer(text):
            value = chinese_numeral_value(m.group())
            if value is not None and (len(m.group()) > 1 or value >= 10):
                found.add(str(value))
    return found


def number_mismatch(zh: str, en: str) -> bool:
    """Both sides carry numbers and share none of them.

    >>> number_mismatch("售出520份", "sold 520 copies"), number_mismatch("售出520份", "sold 250 copies")
    (False, True)
    """
    a, b = numbers(zh, "zh"), numbers(en, "en")
    return bool(a) and bool(b) and not (a & b)


def url_mismatch(zh: str, en: str) -> bool:
    a, b = set(_URL.findall(zh)), set(_URL.findall(en))
    return (bool(a) or bool(b)) and a != b


def identical(zh: str, en: str) -> bool:
    return zh.strip().lower() == en.strip().lower()


def wrong_language(zh: str, en: str) -> bool:
    """A side that is not in its language (URLs and e-mail addresses are ignored)."""
    zh, en = _URL.sub(" ", zh), _URL.sub(" ", en)
    return detect_language(zh) != "zh" or detect_language(en) != "en"


def punctuation_only(zh: str, en: str) -> bool:
    def empty(t: str) -> bool:
        return not any(ch.isalnum() for ch in t)

    return empty(zh) or empty(en)


def extreme_length(zh: str, en: str, length_ratio: float = 3.0) -> bool:
    """A side over 1,000 characters (3,000 in English), or lengths more than 6 times off the
    expected ratio (``length_ratio`` English characters per Chinese one) either way."""
    if len(zh) > 1000 or len(en) > 3000:
        return True
    ratio = (len(en) + 5) / (length_ratio * len(zh) + 5)
    return ratio > 6 or ratio < 1 / 6


HARD_RULES: dict[str, Callable[[str, str], bool]] = {
    "empty_or_punctuation": punctuation_only,
    "identical": identical,
    "wrong_language": wrong_language,
    "number_mismatch": number_mismatch,
    "url_mismatch": url_mismatch,
}


def broken_rules(zh: str, en: str, length_ratio: float) -> tuple[str, ...]:
    """Names of the hard rules the pair breaks, in a fixed order."""
    broken = [name for name, rule in HARD_RULES.items() if rule(zh, en)]
    if extreme_length(zh, en, length_ratio):
        broken.append("extreme_length")
    return tuple(broken)
