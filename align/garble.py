"""Per-sentence garble score: the share of a sentence's original text that a garble fixer touched."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .normalize import GARBLE_FIXERS, NormalizeSettings, normalize_text
from .records import Edit, NormalizedParagraph, Paragraph


@dataclass(frozen=True)
class GarbleMeter:
    """A paragraph's garble edits sorted by start, built once and asked for each sentence."""

    edits: tuple[Edit, ...]
    starts: tuple[int, ...]
    longest: int

    @classmethod
    def of(cls, para: NormalizedParagraph) -> GarbleMeter:
        edits = tuple(sorted((e for e in para.edits if e.fixer in GARBLE_FIXERS), key=lambda e: (e.start, e.end)))
        longest = max((e.end - e.start for e in para.edits), default=0)
        return cls(edits, tuple(e.start for e in edits), longest)

    def __call__(self, start: int, end: int) -> tuple[float, tuple[str, ...]]:
        """Garble in [0, 1] and the sorted names of the garble fixers that acted on ``[start, end)``.

        Zero-width edits (an inserted space) count as one character; a ``[masked]`` placeholder
        left in the text counts in full.
        """
        length = max(1, end - start)
        touched = 0
        flags: set[str] = set()
        first = bisect.bisect_left(self.starts, start - self.longest)
        for edit in self.edits[first:]:
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


def sentence_garble(para: NormalizedParagraph, start: int, end: int) -> tuple[float, tuple[str, ...]]:
    """Garble of one span of a paragraph (for many spans, build a ``GarbleMeter`` once)."""
    return GarbleMeter.of(para)(start, end)


def text_garble(zh: str, en: str, settings: NormalizeSettings = NormalizeSettings()) -> float:
    """Garble of a pair known only as text (another tool's corpus): each side is normalized
    as one paragraph and measured as one sentence, the same way as in a run; the worse side counts."""
    worst = 0.0
    for text, lang in ((zh, "zh"), (en, "en")):
        normalized = normalize_text(text, lang, settings)
        para = NormalizedParagraph(Paragraph("", 0, 0, len(text), text, lang), normalized, normalized.edits)
        worst = max(worst, sentence_garble(para, 0, len(text))[0])
    return worst
