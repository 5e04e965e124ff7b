"""Duplicate pairs: the same texts, or the same once white space, punctuation, width and case
are set aside. The best-scored copy is kept; the others are reported."""

from __future__ import annotations

import unicodedata

from ..records import Pair, Unaligned

DUPLICATE = "duplicate"


def dedup_key(zh: str, en: str) -> tuple[str, str]:
    """The texts with white space, punctuation, symbols, width and case set aside.

    >>> dedup_key("你好，世界！", "Hello,  world!") == dedup_key("你好 世界", "hello world")
    True
    """
    def squeeze(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).casefold()
        return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")

    return squeeze(zh), squeeze(en)


def dedup_pairs(pairs: list[Pair]) -> tuple[list[Pair], list[Unaligned]]:
    """Kept pairs in their order, and an ``Unaligned`` (reason ``duplicate``) for each sentence
    of a dropped copy, naming the pair that was kept."""
    best: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        key = dedup_key(pair.zh_text, pair.en_text)
        if key not in best or pair.quality > best[key].quality:
            best[key] = pair
    kept_ids = {id(p) for p in best.values()}
    kept, dropped = [], []
    for pair in pairs:
        if id(pair) in kept_ids:
            kept.append(pair)
            continue
        winner = best[dedup_key(pair.zh_text, pair.en_text)]
        detail = f"same text as the pair of {winner.zh[0].id} and {winner.en[0].id}"
        dropped.extend(Unaligned(s, DUPLICATE, detail, pair) for s in pair.zh + pair.en)
    return kept, dropped
