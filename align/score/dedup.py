"""Duplicate pairs, by one of four modes (``--dedup``):

- ``pair``: both texts the same once white space, punctuation, symbols, width and case are
  set aside;
- ``source`` / ``target``: the same Chinese (English) text, so set aside, whatever the other
  side (a target text translated from several sources, or one source with several targets);
- ``near``: both texts the same once numbers are also set aside (``Page 3 of 5`` and ``Page 4
  of 5`` are one template).

Of each set of duplicates the pair of the best quality is kept (the first of equals); the
others are listed with the reason ``duplicate`` and the id of the pair kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from types import MappingProxyType

from ..errors import ConfigurationError

DUPLICATE = "duplicate"
DEDUP_MODES = ("pair", "source", "target", "near")
_DIGITS = re.compile(r"\d+")


def squeeze(text: str, numbers: bool = False) -> str:
    """The text with white space, punctuation, symbols, width and case set aside (and with
    ``numbers``, each run of digits, of any width, made ``0``).

    >>> squeeze("你好，世界！") == squeeze("你好 世界"), squeeze("Page １２ of 5", numbers=True)
    (True, 'page0of0')
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if numbers:
        text = _DIGITS.sub("0", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def dedup_key(zh: str, en: str, mode: str = "pair") -> tuple[str, ...]:
    """What two pairs share when they are duplicates under ``mode``.

    >>> dedup_key("你好，世界！", "Hello,  world!") == dedup_key("你好 世界", "hello world")
    True
    >>> dedup_key("第3页", "Page 3", "near") == dedup_key("第4页", "Page 4", "near")
    True
    """
    if mode == "source":
        return (squeeze(zh),)
    if mode == "target":
        return (squeeze(en),)
    if mode in ("pair", "near"):
        return squeeze(zh, mode == "near"), squeeze(en, mode == "near")
    raise ConfigurationError(f"unknown dedup mode {mode!r}: choose among {', '.join(DEDUP_MODES)}")


SHARED = MappingProxyType({"pair": "the same texts as", "source": "the same Chinese as",
                           "target": "the same English as", "near": "the same texts but for numbers as"})


def duplicate_of(items: Sequence[tuple[str, str, float]], mode: str = "pair") -> list[int | None]:
    """For each ``(zh, en, quality)``: ``None`` when it is kept, else the index of the item kept
    in its stead (the best quality of its duplicates, the first of equals).

    >>> duplicate_of([("你好", "Hello", 0.7), ("你好！", "hello", 0.9), ("再见", "Bye", 0.5)])
    [1, None, None]
    """
    best: dict[tuple[str, ...], int] = {}
    keys = [dedup_key(zh, en, mode) for zh, en, _ in items]
    for n, (key, (_, _, quality)) in enumerate(zip(keys, items)):
        if key not in best or quality > items[best[key]][2]:
            best[key] = n
    return [None if best[key] == n else best[key] for n, key in enumerate(keys)]
