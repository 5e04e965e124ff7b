"""Script-based language identification for Chinese, English and everything else.

Chinese and English are told apart by their scripts; a Latin-script text counts as
English only when enough of its words are common English words (``wordfreq``), so
French or German paragraphs come out as ``other``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")
_INLINE_CODE = re.compile(r"`[^`\n]*`")


def without_inline_code(text: str) -> str:
    """The text with `inline code` spans blanked (commands are no language).

    >>> without_inline_code("学习 `df` 和 `mount`。")
    '学习   和  。'
    """
    return _INLINE_CODE.sub(" ", text)
_OTHER_LATIN_LANGS = ("fr", "de", "es", "it", "pt", "nl")


def is_han(ch: str) -> bool:
    """True for CJK unified ideographs (the Han characters of Chinese text)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2EBEF
        or 0xF900 <= code <= 0xFAFF
    )


def _is_kana_or_hangul(ch: str) -> bool:
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF


@lru_cache(maxsize=50_000)
def is_english_word(word: str) -> bool:
    """A common English word that is not more common in a neighbouring Latin-script language."""
    from wordfreq import zipf_frequency

    english = zipf_frequency(word, "en")
    if english < 3.0:
        return False
    return english >= max(zipf_frequency(word, lang) for lang in _OTHER_LATIN_LANGS) - 0.5


def english_word_share(text: str) -> float:
    """Share of the words of ``text`` that are common English words."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(is_english_word(w) for w in words) / len(words)


def detect_language(text: str) -> str:
    """Return ``"zh"``, ``"en"`` or ``"other"`` for a paragraph.

    >>> detect_language("Sora是一个AI视频模型。")
    'zh'
    >>> detect_language("She wears sunglasses and red lipstick.")
    'en'
    >>> detect_language("Она носит солнцезащитные очки.")
    'other'
    """
    han = latin = other = kana = 0
    for ch in text:
        if is_han(ch):
            han += 1
        elif _is_kana_or_hangul(ch):
            kana += 1
        elif ch.isalpha():
            if "LATIN" in unicodedata.name(ch, ""):
                latin += 1
            else:
                other += 1
    letters = han + latin + other + kana
    if letters == 0:
        return "other"
    # A Han character carries about as much text as a short English word.
    if kana > max(2, 0.2 * (han + kana)):
        return "other"
    if han * 3 >= latin and han >= max(1, 0.5 * other):
        return "zh"
    if latin >= other and latin > 0:
        if _WORD.search(text) is None:
            return "other"
        words = _WORD.findall(text)
        if len(words) <= 3 or english_word_share(text) >= 0.4:
            return "en"
    return "other"
