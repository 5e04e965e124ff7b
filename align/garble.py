"""Per-sentence garble score: the share of a sentence's original text that a garble fixer touched."""

from __future__ import annotations

import bisect
from functools import lru_cache

from .records import Paragraph
from .normalize import GARBLE_FIXERS, NormalizedParagraph, NormalizeSettings, normalize_text


@lru_cache(maxsize=256)
def _garble_edits(para: NormalizedParagraph):
    """The paragraph's garble edits sorted by start, and their starts (for bisection)."""
    edits = sorted((e for e in para.edits if e.fixer in GARBLE_FIXERS), key=lambda e: (e.start, e.end))
    return edits, [e.start for e in edits]


@lru_cache(maxsize=256)
def _longest_edit(para: NormalizedParagraph) -> int:
    return max((e.end - e.start for e in para.edits), default=0)


def sentence_garble(para: NormalizedParagraph, start: int, end: int) -> tuple[float, tuple[str, ...]]:
    """Garble in [0, 1] and the sorted names of the garble fixers that acted on ``[start, end)``.

    Zero-width edits (an inserted space) count as one character; a ``[masked]`` placeholder
    left in the text counts in full.
    """
    length = max(1, end - start)
    touched = 0
    flags: set[str] = set()
    edits, starts = _garble_edits(para)
    first = bisect.bisect_left(starts, start - _longest_edit(para))
    for edit in edits[first:]:
        if edit.start > end:
            break
        if edit.end < start:
            continue
        if edit.start == edit.end and not (start <= edit.start <= end):
            continue
        overlap = min(end, edit.end) - max(start, edit.start)
        touched += max(1, overlap)
        flags.add(f"{edit.fixer}:{edit.note}" if edit.kind == "flag" or "placeholder" in edit.note else edit.fixer)
    return min(1.0, touched / length), tuple(sorted(flags))


def text_garble(zh: str, en: str, settings: NormalizeSettings = NormalizeSettings()) -> float:
    """Garble of a pair known only as text (another tool's corpus): each side is normalized
    as one paragraph and measured as one sentence, the same way as in a run; the worse side counts."""
    worst = 0.0
    for text, lang in ((zh, "zh"), (en, "en")):
        normalized = normalize_text(text, lang, settings)
        para = NormalizedParagraph(Paragraph("", 0, 0, len(text), text, lang), normalized, normalized.edits)
        worst = max(worst, sentence_garble(para, 0, len(text))[0])
    return worst
