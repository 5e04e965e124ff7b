"""Markdown (markdown-it-py): headings, paragraphs, list items and table cells become
paragraphs with their block kind, located by their line; front matter, code blocks, raw
HTML and Hugo shortcode lines are left out (and reported); inline code stays in its
sentence, with its backticks. Hugo markup is taken out of the text with its meaning kept:
``{#id}`` heading anchors and shortcodes go (``glossary_tooltip`` keeps its ``text``), and
links are reduced to their text; link reference definitions (``[id]: https://...``, the
targets of ``[text][id]`` links: no text of their own) are left out and reported."""

from __future__ import annotations

import re
from types import MappingProxyType

from .extracted import Extracted, Removed, join_blocks

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)\n", re.S)
_SKIPPED = MappingProxyType({"fence": "code block", "code_block": "code block", "html_block": "raw HTML"})
_ANCHOR = re.compile(r"\s*\{#[^}]*\}")
_TOOLTIP = re.compile(r"\{\{\s*[<%]\s*glossary_tooltip\b[^}]*?\btext=\"([^\"]*)\"[^}]*?[>%]\s*\}\}")
_SHORTCODE = re.compile(r"\{\{\s*[<%].*?[>%]\s*\}\}", re.S)
_CONTAINERS = MappingProxyType({"th_open": "table_cell", "td_open": "table_cell", "heading_open": "heading",
                                "list_item_open": "list_item"})


def without_markup(text: str) -> str:
    """Text with Hugo heading anchors and shortcodes taken out; a glossary tooltip keeps its text.

    >>> without_markup('节点心跳 {#node-heart-beats}')
    '节点心跳'
    >>> without_markup('启动一个 {{< glossary_tooltip text="Pod" term_id="pod" >}}。{{< note >}}')
    '启动一个 Pod。'
    """
    text = _ANCHOR.sub("", text.replace("{{ <", "{{<").replace("> }}", ">}}"))
    text = _TOOLTIP.sub(lambda m: m.group(1), text)
    return _SHORTCODE.sub("", text)


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


def block_kind(stack: list[str]) -> str:
    """The kind of the block an inline token sits in, from the open container tokens around it:
    a table cell or heading wins over the list item that holds it."""
    kinds = [_CONTAINERS[t] for t in stack if t in _CONTAINERS]
    for kind in ("table_cell", "heading", "list_item"):
        if kind in kinds:
            return kind
    return "paragraph"


def link_definitions(env: dict, lines: list[str], offset_lines: int) -> list[Removed]:
    """The link reference definitions markdown-it read (``env["references"]``), each as the
    lines the file writes it on.

    >>> from markdown_it import MarkdownIt
    >>> text = "See [the code][home].\\n\\n[home]: https://example.org\\n"
    >>> env = {}
    >>> _ = MarkdownIt("commonmark").parse(text, env)
    >>> [(r.location, r.text) for r in link_definitions(env, text.splitlines(), 0)]
    [('line 3', '[home]: https://example.org')]
    """
    found = []
    for ref in env.get("references", {}).values():
        start, end = ref.get("map") or (None, None)
        if start is not None:
            found.append(Removed(f"line {start + 1 + offset_lines}", "\n".join(lines[start:end]),
                                 "link reference definition (the address of a link, no text)"))
    return sorted(found, key=lambda r: int(r.location.split()[1]))


def extract_markdown(text: str) -> Extracted:
    from markdown_it import MarkdownIt

    removed, offset_lines = [], 0
    match = _FRONT_MATTER.match(text)
    if match:
        removed.append(Removed("line 1", match.group(), "front matter"))
        offset_lines = match.group().count("\n")
        text = text[match.end():]
    env: dict = {}
    tokens = MarkdownIt("commonmark").enable("table").parse(text, env)
    pieces, stack = [], []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type == "inline" and token.map:
            location = f"line {token.map[0] + 1 + offset_lines}"
            raw = inline_text(token)
            kept = without_markup(raw)
            if kept.strip():
                pieces.append((kept, location, block_kind(stack)))
            elif raw.strip():
                removed.append(Removed(location, raw, "shortcode"))
        elif token.type in _SKIPPED and token.map:
            removed.append(Removed(f"line {token.map[0] + 1 + offset_lines}", token.content, _SKIPPED[token.type]))
    removed.extend(link_definitions(env, text.splitlines(), offset_lines))
    return join_blocks(pieces, "markdown", removed)
