"""Plain text: decoding (``io.decode``: byte-order marks, UTF-8, UTF-16 without BOM, GB18030,
Big5 and the rest through charset-normalizer) and paragraph splitting."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..language import language_cuts
from .extracted import Block, Extracted

_BLANK_LINE = re.compile(r"\n[ \t\u3000\xa0]*\n")


def split_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` spans of paragraphs in ``text``.

    Each non-empty line is a paragraph, except inside blocks that look hard-wrapped
    (several lines, most of them long and not ending in sentence punctuation), whose
    lines are kept together as one paragraph.
    """
    pos = 0
    for match in list(_BLANK_LINE.finditer(text)) + [None]:
        block_end = match.start() if match else len(text)
        yield from _block_paragraphs(text, pos, block_end)
        if match:
            pos = match.end() - 1
    return


_SENTENCE_END = tuple("。！？!?.…\"”’)）」』:：")


def _block_paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    lines = []
    offset = start
    for line in text[start:end].split("\n"):
        lines.append((offset, offset + len(line)))
        offset += len(line) + 1
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    if not lines:
        return
    if _looks_hard_wrapped([text[s:e] for s, e in lines]):
        yield _strip_span(text, lines[0][0], lines[-1][1])
        return
    for s, e in lines:
        yield _strip_span(text, s, e)


def _looks_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 3:
        return False
    body = [ln.rstrip() for ln in lines[:-1]]
    long_open = sum(1 for ln in body if 50 <= len(ln) <= 100 and not ln.endswith(_SENTENCE_END))
    return long_open >= 0.6 * len(body)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _language_parts(paragraph: str) -> list[tuple[int, int]]:
    """A paragraph's spans, cut where it changes between a Chinese and an English sentence."""
    cuts = language_cuts(paragraph)
    return list(zip([0, *cuts], [*cuts, len(paragraph)]))


def extract_text(text: str) -> Extracted:
    """Plain text: paragraphs are lines, or blocks of hard-wrapped lines, cut where they change
    between a Chinese and an English sentence; offsets refer to the decoded file itself, and a
    paragraph's location is the line it starts on."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    import bisect

    spans = [_strip_span(text, s + a, s + b) for s, e in split_paragraphs(text)
             for a, b in _language_parts(text[s:e])]
    blocks = tuple(Block(s, e, f"line {bisect.bisect_right(starts, s)}") for s, e in spans if e > s)
    return Extracted(text, blocks, "text")
