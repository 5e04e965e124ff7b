"""Numbers in Chinese and English text, normalised so that both sides can be compared.

Chinese: Arabic and full-width digits, Chinese numerals (``二十五``, ``两千``, ``三点五``,
``百分之二十``; cn2an), year digits (``一九九二``, ``一八四〇``), digits with a Chinese
scale (``250万``, ``3.5亿``, ``1,900 多万``) and decades (``20 世纪 80 年代``: 1980).
English: digits (with thousands separators, ordinal suffixes and scale words: ``2.5
million``; money with ``bn``/``m``: ``£2.8bn``), clock times as hours and minutes
(``7.55am``: 7 and 55, as ``7 时 55 分``), number words (``two``, ``twenty-five``, ``a
hundred``), ordinal words (``seventh``) and month names (next to a day or year:
``October 1, 2023``; alone, weak: ``in June``; May only next to a number).

Each number is *strong* or *weak*. Weak numbers are the ones a word can hold without
meaning a quantity: a single Chinese numeral character (``一个``, ``十分``, ``第五``) and
English number words. Weak numbers can confirm a match but never prove a mismatch alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

_ZH_NUMERAL = re.compile(r"(?:百分之)?[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
_ZH_DIGIT_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*[多余]?\s*([万亿])")
_ZH_DECADE = re.compile(r"(?:(\d{2})\s*世纪|上世纪)\s*(\d)0\s*年代")  # 20 世纪 80 年代: the 1980s
_NOT_NUMBERS = frozenset({"千万", "万万", "一一", "万一", "一万万"})  # words, not quantities
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_EN_SCALES = MappingProxyType({"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
                               "trillion": 1_000_000_000_000})
_EN_DIGIT_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(hundred|thousand|million|billion|trillion)\b", re.I)
_EN_MONEY_SCALE = re.compile(r"[£$€¥]\s?(\d+(?:\.\d+)?)\s?(bn|m|tn)\b")  # £2.8bn, $100m
_MONEY_SCALES = MappingProxyType({"m": 1_000_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000})
_EN_CLOCK = re.compile(r"\b(\d{1,2})[.:](\d{2})\s*(?=[ap]\.?m\b)", re.I)  # 7.55am: hours and minutes, as 7 时 55 分
_EN_MONTH = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b")
_UNITS = tuple(("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen").split())
_TENS = tuple("twenty thirty forty fifty sixty seventy eighty ninety".split())
_ORDINALS = MappingProxyType({
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "hundredth": 100, "thousandth": 1000,
})
_MONTHS = tuple("january february march april may june july august september october november december".split())
_MONTH_NEAR_NUMBER = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?(?=\s+\d)|(?<=\d\s)(January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\b")


@dataclass(frozen=True, order=True)
class Number:
    value: str  # canonical: "1840", "3.5", "2000000"
    strong: bool = True


def canonical(value: float) -> str:
    """``1840.0 -> '1840'``, ``3.50 -> '3.5'``.

    >>> canonical(1840.0), canonical(3.5), canonical(2.5e6)
    ('1840', '3.5', '2500000')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


@lru_cache(maxsize=4096)
def zh_numeral_value(span: str) -> float | None:
    """The value of a Chinese numeral, or None.

    >>> zh_numeral_value("一九九二"), zh_numeral_value("两千零五"), zh_numeral_value("百分之二十")
    (1992.0, 2005.0, 20.0)
    """
    import cn2an

    try:
        return float(cn2an.cn2an(span.removeprefix("百分之"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def zh_numbers(text: str) -> tuple[Number, ...]:
    """Numbers in Chinese text.

    >>> [n.value for n in zh_numbers("一八四〇年，售出250万份，第五条")]
    ['2500000', '1840', '5']
    >>> [n.value for n in zh_numbers("20 世纪 80 年代，上世纪50年代，1,900 多万")]
    ['1980', '1950', '19000000']
    """
    text = _plain(text)
    found: list[Number] = []
    scaled: set[int] = set()
    for m in _ZH_DECADE.finditer(text):
        century = int(m.group(1)) - 1 if m.group(1) else 19
        found.append(Number(str(century * 100 + int(m.group(2)) * 10)))
        scaled.update(range(m.start(), m.end()))
    for m in _ZH_DIGIT_SCALE.finditer(text):
        found.append(Number(canonical(float(m.group(1)) * (10_000 if m.group(2) == "万" else 100_000_000))))
        scaled.update(range(m.start(), m.end()))
    for m in _DIGITS.finditer(text):
        if m.start() not in scaled:
            found.append(Number(canonical(float(m.group()))))
    for m in _ZH_NUMERAL.finditer(text):
        span = m.group()
        if span in _NOT_NUMBERS or m.start() in scaled:
            continue
        value = zh_numeral_value(span)
        if value is not None:
            found.append(Number(canonical(value), strong=len(span) > 1))
    return tuple(found)


def _word_values() -> dict[str, int]:
    values = {w: i for i, w in enumerate(_UNITS)}
    values.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
    return values


_WORD_VALUES = MappingProxyType(_word_values())
_NUMBER_WORDS = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|trillion|and)(?:[\s-]+|\b))+", re.I)


def words_value(phrase: str) -> int | None:
    """The value of English number words.

    >>> words_value("twenty-five"), words_value("a hundred and eight"), words_value("two million")
    (25, 108, 2000000)
    """
    tokens = [t for t in re.split(r"[\s-]+", phrase.lower().strip()) if t and t != "and"]
    if not tokens or tokens == ["a"]:
        return None
    total, current, seen = 0, 0, False
    for token in tokens:
        if token == "a":
            current = max(current, 1)
        elif token in _WORD_VALUES:
            current += _WORD_VALUES[token]
            seen = True
        elif token in _EN_SCALES:
            scale = _EN_SCALES[token]
            current = max(current, 1) * scale
            seen = True
            if scale >= 1000:
                total, current = total + current, 0
    return total + current if seen else None


def en_numbers(text: str) -> tuple[Number, ...]:
    """Numbers in English text.

    >>> [n.value for n in en_numbers("On October 1, 2023, 2.5 million people, the seventh, twenty-five")]
    ['2500000', '1', '2023', '10', '25', '7']
    >>> [(n.value, n.strong) for n in en_numbers("In June, £2.8bn at 7.55am")]
    [('2800000000', True), ('7', True), ('55', True), ('6', False)]
    """
    text = _plain(text)
    found: list[Number] = []
    scaled: set[int] = set()
    for m in _EN_DIGIT_SCALE.finditer(text):
        found.append(Number(canonical(float(m.group(1)) * _EN_SCALES[m.group(2).lower()])))
        scaled.update(range(m.start(), m.end()))
    for m in _EN_MONEY_SCALE.finditer(text):
        found.append(Number(canonical(float(m.group(1)) * _MONEY_SCALES[m.group(2)])))
        scaled.update(range(m.start(1), m.end()))
    for m in _EN_CLOCK.finditer(text):
        found += [Number(str(int(m.group(1)))), Number(str(int(m.group(2))))]
        scaled.update(range(m.start(), m.end()))
    for m in _DIGITS.finditer(text):
        if m.start() not in scaled:
            found.append(Number(canonical(float(m.group()))))
    named = {m.start() for m in _MONTH_NEAR_NUMBER.finditer(text)}
    for m in _EN_MONTH.finditer(text):  # a month named alone: weak, as a translation may write 6 月
        if m.start() not in named:
            found.append(Number(str(_MONTHS.index(m.group(1).lower()) + 1), strong=False))
    for m in _MONTH_NEAR_NUMBER.finditer(text):
        name = (m.group(1) or m.group(2)).lower()
        month = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name[:3]))
        found.append(Number(str(month)))
    for m in _NUMBER_WORDS.finditer(text):
        if any(i in scaled for i in range(m.start(), m.end())):
            continue
        value = words_value(m.group())
        if value is not None:
            found.append(Number(str(value), strong=False))
    for m in re.finditer(r"\b(" + "|".join(_ORDINALS) + r")\b", text, re.I):
        found.append(Number(str(_ORDINALS[m.group(1).lower()]), strong=False))
    return tuple(found)


@dataclass(frozen=True)
class NumberComparison:
    """The numbers of each side that the other side does not have (strong ones; weak ones
    only where a side has no strong number), and whether the sides share any number."""

    zh_only: tuple[str, ...]
    en_only: tuple[str, ...]
    shared: tuple[str, ...]
    zh_strong: bool
    en_strong: bool

    @property
    def agree(self) -> bool:
        """Numbers agree unless the sides contradict each other (each has a strong number the
        other lacks) or share none while one side has a strong number. One side leaving out a
        number the other has (a date not translated) is not a disagreement."""
        if not (self.zh_only or self.en_only):
            return True
        if self.zh_only and self.en_only and (self.zh_strong or self.en_strong):
            contradiction = not self.shared or (self.zh_strong and self.en_strong)
            return not contradiction
        return True

    def explain(self) -> str:
        parts = []
        if self.zh_only:
            parts.append(f"zh has {' '.join(self.zh_only)}")
        if self.en_only:
            parts.append(f"en has {' '.join(self.en_only)}")
        return ", ".join(parts)


def _unmatched(numbers: tuple[Number, ...], other: set[str]) -> tuple[str, ...]:
    strong = {n.value for n in numbers if n.strong}
    pool = strong or {n.value for n in numbers}
    return tuple(sorted(pool - other, key=float))


def compare_numbers(zh: str, en: str) -> NumberComparison:
    """Which numbers of one side are missing from the other.

    >>> compare_numbers("1992年10月1日", "October 1, 2023").explain()
    'zh has 1992, en has 2023'
    >>> compare_numbers("第五条", "Article 7").explain()
    'zh has 5, en has 7'
    >>> compare_numbers("一八四〇年", "in 1840").agree, compare_numbers("2月16日表示，从10年缩短到1年", "from 10 years to 1").agree
    (True, True)
    """
    a, b = zh_numbers(zh), en_numbers(en)
    a_values, b_values = {n.value for n in a}, {n.value for n in b}
    return NumberComparison(_unmatched(a, b_values), _unmatched(b, a_values), tuple(sorted(a_values & b_values)),
                            any(n.strong for n in a), any(n.strong for n in b))
