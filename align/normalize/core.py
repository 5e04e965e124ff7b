"""The fixer machinery: apply named fixers in order, log every change with offsets in the original."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..records import Edit, Normalized
from .protect import protected_spans, touches_protected


@dataclass(frozen=True)
class Change:
    """A change a fixer proposes on the text it was given: replace ``text[start:end]``."""

    start: int
    end: int
    replacement: str
    kind: str = "repair"  # repair | remove | flag
    note: str = ""


@dataclass(frozen=True)
class Fixer:
    """A small named fixer. ``find`` returns non-overlapping changes for a text.

    ``garble`` says whether what it finds is damage from machine translation or the
    source site (it counts towards a sentence's garble score) or only cosmetic.
    """

    name: str
    langs: frozenset[str]
    find: Callable[[str], Iterable[Change]]
    garble: bool = False
    description: str = ""
    default: bool = True  # on unless switched off; opt-in fixers say False


def apply_changes(text: str, offsets: Sequence[int], changes: Iterable[Change], fixer: str):
    """Apply sorted, non-overlapping changes; return new text, new offsets and edits."""
    pieces: list[str] = []
    new_offsets: list[int] = []
    edits: list[Edit] = []
    pos = 0
    for change in sorted(changes, key=lambda c: (c.start, c.end)):
        if change.start < pos:
            continue  # overlapping proposal: the earlier one wins
        before = text[change.start : change.end]
        if change.kind != "flag" and before == change.replacement:
            continue
        pieces.append(text[pos : change.start])
        new_offsets.extend(offsets[pos : change.start])
        orig_start, orig_end = offsets[change.start], offsets[change.end]
        after = before if change.kind == "flag" else change.replacement
        edits.append(Edit(fixer, change.kind, orig_start, orig_end, before, after, change.note))
        pieces.append(after)
        span = change.end - change.start
        new_offsets.extend(offsets[change.start + min(k, span - 1)] if span else orig_start for k in range(len(after)))
        pos = change.end
    pieces.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(pieces), new_offsets, edits


def run_fixers(text: str, fixers: Sequence[Fixer], code: tuple[str, ...] = ()) -> Normalized:
    """Run ``fixers`` in order over ``text``; each sees the output of the one before. Code,
    identifiers, URLs and markup are protected (``protect.protected_spans``, with the inline
    ``code`` its reader found): a change that reaches into them is dropped."""
    offsets = list(range(len(text) + 1))
    edits: list[Edit] = []
    for fixer in fixers:
        changes = list(fixer.find(text))
        if changes:
            spans = protected_spans(text, code)
            ends = [e for _, e in spans]
            changes = [c for c in changes if not touches_protected(c.start, c.end, spans, ends, c.kind == "remove")]
        if not changes:
            continue
        text, offsets, new_edits = apply_changes(text, offsets, changes, fixer.name)
        edits.extend(new_edits)
    return Normalized(text, tuple(edits), tuple(offsets))


_CHUNK = 120


def text_chunks(text: str, size: int = _CHUNK):
    """Cut ``text`` into pieces of about ``size`` characters at white space or after
    punctuation, so that whole-text fixers and diffs stay linear on megabyte paragraphs."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind(" "), window.rfind("\n"), window.rfind("。"), window.rfind("，"), window.rfind("."))
            if cut > size // 4:
                end = start + cut + 1
        yield start, text[start:end]
        start = end


def chunked_changes(text: str, fix, note: str = "") -> list[Change]:
    """Changes made by a whole-string fixer ``fix``, computed chunk by chunk."""
    changes: list[Change] = []
    for offset, chunk in text_chunks(text):
        fixed = fix(chunk)
        if fixed != chunk:
            changes.extend(Change(c.start + offset, c.end + offset, c.replacement, c.kind, c.note)
                           for c in diff_changes(chunk, fixed, note))
    return changes


def diff_changes(before: str, after: str, note: str = "") -> list[Change]:
    """Express the difference between two strings as changes (for whole-text fixers like ftfy)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        Change(i1, i2, after[j1:j2], note=note)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
