"""Per-sentence garble score: the share of a sentence's original text that a garble fixer touched."""

from __future__ import annotations

from .normalize import GARBLE_FIXERS, NormalizedParagraph


def sentence_garble(para: NormalizedParagraph, start: int, end: int) -> tuple[float, tuple[str, ...]]:
    """Garble in [0, 1] and the sorted names of the garble fixers that acted on ``[start, end)``.

    Zero-width edits (an inserted space) count as one character; a ``[masked]`` placeholder
    left in the text counts in full.
    """
    length = max(1, end - start)
    touched = 0
    flags: set[str] = set()
    for edit in para.edits:
        if edit.fixer not in GARBLE_FIXERS or edit.end < start or edit.start > end:
            continue
        if edit.start == edit.end and not (start <= edit.start <= end):
            continue
        overlap = min(end, edit.end) - max(start, edit.start)
        touched += max(1, overlap)
        flags.add(f"{edit.fixer}:{edit.note}" if edit.kind == "flag" or "placeholder" in edit.note else edit.fixer)
    return min(1.0, touched / length), tuple(sorted(flags))
