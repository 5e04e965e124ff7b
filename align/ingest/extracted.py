"""What a format reader gives back: the text it extracted, its blocks (the paragraphs, each
with a location a user can find in the original file) and the blocks it left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..language import language_cuts, language_runs


@dataclass(frozen=True)
class Block:
    """A paragraph of extracted text: ``text[start:end]``, found at ``location`` in the file
    (``line 12``, ``page 3``, ``cue 7 00:00:01,000 --> 00:00:03,500``, ``/html/body/div[2]/p[3]``)."""

    start: int
    end: int
    location: str = ""
    kind: str = ""  # heading, paragraph, list_item, table_cell, caption; "" where the format has no structure


@dataclass(frozen=True)
class Removed:
    """A block of the original file left out of the extracted text (navigation, a running
    header, a page number), with where it was and why."""

    location: str
    text: str
    reason: str
    offset: int = 0  # where it would have been in the extracted text


@dataclass(frozen=True)
class Extracted:
    text: str
    blocks: tuple[Block, ...]
    format: str
    removed: tuple[Removed, ...] = field(default=())
    inline_code: tuple[str, ...] = ()  # the text of inline code elements (HTML <code>): left as written by the normalizer


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uf900" <= ch <= "\ufaff"


def flatten(text: str, dehyphenate: bool = False) -> str:
    r"""One line from wrapped text: lines joined by a space, except between Chinese characters
    and punctuation (no space) and, with ``dehyphenate``, after a hyphen that broke a word.

    >>> flatten("学习\n基础知识"), flatten("Learn basic\n  Bash."), flatten("inter-\nnational", True)
    ('学习基础知识', 'Learn basic Bash.', 'international')
    """
    out = ""
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if not out:
            out = line
        elif dehyphenate and out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[0].islower():
            out = out[:-1] + line
        elif _is_cjk(out[-1]) or _is_cjk(line[0]):
            out += line
        else:
            out += " " + line
    return out


def by_language(text: str) -> list[str]:
    """A line cut where it changes between a Chinese and an English sentence (``language_cuts``)."""
    cuts = language_cuts(text)
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def join_blocks(pieces, fmt: str, removed=()) -> Extracted:
    """Extracted text from ``(text, location)`` or ``(text, location, kind)`` pieces, one
    paragraph each (a piece whose lines or sentences alternate between Chinese and English is
    cut at each change of language, see ``language_runs`` and ``by_language``), separated by
    blank lines; each part keeps the piece's location."""
    parts, blocks, pos = [], [], 0
    for raw, location, *kind in pieces:
        for run in language_runs([piece for line in raw.splitlines() if line.strip() for piece in by_language(line)]):
            text = flatten("\n".join(run))
            if not text:
                continue
            if parts:
                parts.append("\n\n")
                pos += 2
            parts.append(text)
            blocks.append(Block(pos, pos + len(text), location, kind[0] if kind else ""))
            pos += len(text)
    return Extracted("".join(parts), tuple(blocks), fmt, tuple(removed))
