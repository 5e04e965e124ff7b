"""Markdown (markdown-it-py): headings, paragraphs, list items and table cells become
paragraphs, located by their line; front matter, code blocks and raw HTML are left out
(and reported); inline code stays in its sentence, with its backticks."""

from __future__ import annotations

import re
from types import MappingProxyType

from .extracted import Extracted, Removed, join_blocks

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)\n", re.S)
_SKIPPED = MappingProxyType({"fence": "code block", "code_block": "code block", "html_block": "raw HTML"})


def inline_text(token) -> str:
    """The plain text of an inline token: emphasis and link markup dropped, inline code kept
    with its backticks, images by their alt text dropped, line breaks as spaces."""
    parts = []
    for child in token.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "code_inline":
            parts.append(f"`{child.content}`")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def extract_markdown(text: str) -> Extracted:
    from markdown_it import MarkdownIt

    removed, offset_lines = [], 0
    match = _FRONT_MATTER.match(text)
    if match:
        removed.append(Removed("line 1", match.group()[:300], "front matter"))
        offset_lines = match.group().count("\n")
        text = text[match.end():]
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    pieces = []
    for token in tokens:
        if token.type == "inline" and token.map:
            pieces.append((inline_text(token), f"line {token.map[0] + 1 + offset_lines}"))
        elif token.type in _SKIPPED and token.map:
            removed.append(Removed(f"line {token.map[0] + 1 + offset_lines}", token.content[:300], _SKIPPED[token.type]))
    return join_blocks(pieces, "markdown", removed)
