"""Placeholders and inline markup of software strings: ``%1$s``, ``%d``, ``%@``, ``{0}``,
``{name}``, ``{{count}}``, ``%{name}``, ``$USER$``, Qt's ``%1`` and ``%n``, and tags such as
``<b>``…``</b>``.

A CAT tool must not let a translator edit them, so a TMX segment holds them as inline
elements: a placeholder as ``<ph>``, a pair of tags as ``<bpt>``/``<ept>``, a tag without its
partner as ``<it>``. ``placeholder_markup`` gives that segment content; ``placeholders`` the
placeholders a text holds, which both sides of a pair must share (an app crashes on a
format string whose arguments differ).
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from .io.tmx import append_text

_PLACEHOLDER = (
    r"\{\{[-\s]*[\w.\-]+(?:\s*,[^{}]*)?\s*\}\}"  # {{count}}, {{- name}} (i18next, vue, Angular)
    r"|\{[\w.\-]+(?:\s*,\s*\w+(?:\s*,[^{}]*)?)?\}"  # {0}, {name}, {0,number} (ICU, .NET, Java MessageFormat)
    r"|%\([\w.\-]+\)[-+#0]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %(name)s (Python)
    r"|%\{[\w.\-]+\}"  # %{name} (Ruby, Rails)
    r"|%(?:\d+\$)?[-+#0]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcsSpaA@]"  # printf, %@
    r"|%L?\d{1,2}(?![\d$])|%n"  # %1, %L1, %n (Qt)
    r"|%%"
    r"|\$[A-Za-z_][A-Za-z0-9_]*\$|\$\d+"  # $USER$, $1 (Chrome messages)
)
_TAG = r"</?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"
_TOKEN = re.compile(f"(?P<ph>{_PLACEHOLDER})|(?P<tag>{_TAG})")
_ICU_TOKEN = re.compile(f"(?P<ph>{_PLACEHOLDER}|#)|(?P<tag>{_TAG})")  # in an ICU plural branch, # is the number
_SPACE = re.compile(r"\s+")


def _tokens(hash_arg: bool) -> re.Pattern:
    return _ICU_TOKEN if hash_arg else _TOKEN


def placeholders(text: str, hash_arg: bool = False) -> Counter:
    """The placeholders of ``text`` (white space inside braces set aside), with their counts;
    with ``hash_arg`` (an ICU plural branch) ``#`` too.

    >>> sorted(placeholders("%1$s has {{ count }} new {name}").elements())
    ['%1$s', '{name}', '{{count}}']
    >>> placeholders("100% sure, 50 %") == Counter()
    True
    >>> sorted(placeholders("Copied %1 of %n files (%L2)").elements())
    ['%1', '%L2', '%n']
    >>> sorted(placeholders("# files", hash_arg=True).elements()), placeholders("Issue #5") == Counter()
    (['#'], True)
    """
    return Counter(_SPACE.sub("", m.group("ph")) for m in _tokens(hash_arg).finditer(text) if m.group("ph"))


def _tag_name(tag: str) -> str:
    return re.match(r"</?([\w:.-]+)", tag).group(1).lower()


def _partners(tokens: list[re.Match]) -> dict[int, int]:
    """Which opening tag (by token index) each closing tag closes."""
    open_tags: list[int] = []
    partner: dict[int, int] = {}
    for n, m in enumerate(tokens):
        tag = m.group("tag")
        if not tag or tag.endswith("/>"):
            continue
        if tag.startswith("</"):
            k = next((k for k in reversed(open_tags) if _tag_name(tokens[k].group("tag")) == _tag_name(tag)), None)
            if k is not None:
                open_tags = open_tags[:open_tags.index(k)]
                partner[n], partner[k] = k, n
        else:
            open_tags.append(n)
    return partner


def placeholder_markup(text: str, hash_arg: bool = False) -> str:
    """The TMX ``<seg>`` content of ``text`` with its placeholders and tags as inline
    elements (with ``hash_arg``, an ICU plural branch, ``#`` too); ``""`` when it has none.

    >>> placeholder_markup("Delete %1$s?")
    'Delete <ph x="1">%1$s</ph>?'
    >>> placeholder_markup("Click <b>here</b>")
    'Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept>'
    >>> placeholder_markup("# items", hash_arg=True)
    '<ph x="1">#</ph> items'
    """
    tokens = list(_tokens(hash_arg).finditer(text))
    if not tokens:
        return ""
    try:
        return _markup(text, tokens)
    except ValueError:  # a character XML 1.0 cannot hold: the segment is written as plain text
        return ""


def _markup(text: str, tokens: list[re.Match]) -> str:
    partner = _partners(tokens)
    seg = etree.Element("seg")
    seg.text, last, pairs = "", 0, {}
    for n, m in enumerate(tokens):
        append_text(seg, text[last:m.start()])
        last = m.end()
        if m.group("ph"):
            element = etree.SubElement(seg, "ph", x=str(n + 1))
        elif n in partner and n < partner[n]:
            pairs[n] = str(len(pairs) + 1)
            element = etree.SubElement(seg, "bpt", i=pairs[n])
        elif n in partner:
            element = etree.SubElement(seg, "ept", i=pairs[partner[n]])
        elif m.group("tag").endswith("/>"):
            element = etree.SubElement(seg, "ph", x=str(n + 1))
        else:
            element = etree.SubElement(seg, "it", pos="end" if m.group("tag").startswith("</") else "begin")
        element.text = m.group(0)
    append_text(seg, text[last:])
    inner = etree.tostring(seg, encoding="unicode")
    return inner[inner.index(">") + 1: inner.rindex("<")]
