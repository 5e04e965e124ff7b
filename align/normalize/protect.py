"""Protected spans: code, identifiers, URLs and markup that no fixer may change.

Localisation tools never let a filter see markup as text (inline codes become placeholders).
The normalizer does the same with one mechanism: before each fixer runs, the spans below
are found in its input, and a change that reaches into one of them is dropped. A change
that takes out a whole block around such a span (a caption with a link) still applies.
"""

from __future__ import annotations

import bisect
import re

from ..language import URL_PATTERN

_PATTERNS = (
    r"``[^`\n]+``|`[^`\n]+`",  # inline code (Markdown, reST)
    URL_PATTERN,  # URLs
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>",  # HTML and XML tags
    r"\{\{.*?\}\}|\{#[^}\s]*\}|\{%.*?%\}",  # template shortcodes and anchors (Hugo, Jinja)
    r":[\w.+-]+:(?=`)",  # reST roles (:func:`x`)
    r"::(?=\s|$)",  # reST literal-block marker
    r"\]\([^)\s]*\)",  # Markdown link targets
    r"(?<![\w.])(?:--?|\.)[A-Za-z][\w.-]*",  # options and field paths (--all, .spec.replicas)
    r"\b[\w.-]*[_\\/=$][\w./\\=$-]*[\w/]",  # snake_case, paths, assignments
    r"\b[a-z]+(?:[A-Z][a-z0-9]+){2,}\b|\b[a-z]+[A-Z][a-z0-9]*\.\w+",  # lowerCamelCase identifiers of 3+ parts, a.b
)
_PROTECTED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def protected_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that fixers leave alone, in order.

    >>> t = "Set `minAvailable` in .spec.selector, see https://k8s.io/docs/。"
    >>> [t[s:e] for s, e in protected_spans(t)]
    ['`minAvailable`', '.spec.selector', 'https://k8s.io/docs/']
    >>> t = "Use :func:`open` ::"
    >>> [t[s:e] for s, e in protected_spans(t)]
    [':func:', '`open`', '::']
    """
    return [m.span() for m in _PROTECTED.finditer(text)]


def touches_protected(start: int, end: int, spans: list[tuple[int, int]], ends: list[int] | None = None) -> bool:
    """Whether a change of ``[start, end)`` reaches into one of the sorted, disjoint ``spans``
    without taking it out whole (an insertion strictly inside a span counts).

    >>> spans = [(4, 18)]
    >>> touches_protected(7, 7, spans), touches_protected(18, 18, spans), touches_protected(0, 30, spans)
    (True, False, False)
    """
    ends = ends if ends is not None else [e for _, e in spans]
    k = bisect.bisect_right(ends, start)
    while k < len(spans) and spans[k][0] < max(end, start + 1):
        s, e = spans[k]
        if start == end:
            if s < start < e:
                return True
        elif not (start <= s and e <= end and (start, end) != (s, e)):
            return True
        k += 1
    return False
