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


_LATIN_WORD = re.compile(r"[A-Za-z0-9_]")


def _code_pattern(code: str) -> str:
    """A code text as a pattern that does not match inside a longer word (``s`` is not
    found in ``class``); a code of punctuation alone (``!``, ``:?``) only where it stands
    apart from words and Chinese text (``看到 ! 就``, ``（;）``, not ``真好!``)."""
    if not any(ch.isalnum() for ch in code):
        return r"(?<!\w)" + re.escape(code) + r"(?!\w)"
    head = r"(?<![A-Za-z0-9_])" if _LATIN_WORD.match(code[0]) else ""
    tail = r"(?![A-Za-z0-9_])" if _LATIN_WORD.match(code[-1]) else ""
    return head + re.escape(code) + tail


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def protected_spans(text: str, code: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """The spans of ``text`` that fixers leave alone, in order and disjoint: the patterns
    above, and each occurrence of ``code`` (inline code a reader found in the markup).

    >>> t = "Set `minAvailable` in .spec.selector, see https://k8s.io/docs/。"
    >>> [t[s:e] for s, e in protected_spans(t)]
    ['`minAvailable`', '.spec.selector', 'https://k8s.io/docs/']
    >>> t = "Use :func:`open` ::"
    >>> [t[s:e] for s, e in protected_spans(t)]
    [':func:', '`open`', '::']
    >>> t = "调用dbg!宏，与 println! 相反：s 不在 class 里，不带 ! 真好!"
    >>> [t[s:e] for s, e in protected_spans(t, ("println!", "dbg!", "s", "!"))]
    ['dbg!', 'println!', 's', '!']
    """
    spans = [m.span() for m in _PROTECTED.finditer(text)]
    if code:
        found = re.compile("|".join(_code_pattern(c) for c in code))
        spans = _merged(spans + [m.span() for m in found.finditer(text) if m.end() > m.start()])
    return spans


def touches_protected(start: int, end: int, spans: list[tuple[int, int]], ends: list[int] | None = None,
                      removal: bool = True) -> bool:
    """Whether a change of ``[start, end)`` reaches into one of the sorted, disjoint ``spans``
    without taking it out whole (an insertion strictly inside a span counts); a change that is
    not a ``removal`` may not take one out whole either (`` !`` around code ``!`` is not ``！``).

    >>> spans = [(4, 18)]
    >>> touches_protected(7, 7, spans), touches_protected(18, 18, spans), touches_protected(0, 30, spans)
    (True, False, False)
    >>> touches_protected(0, 30, spans, removal=False)
    True
    """
    ends = ends if ends is not None else [e for _, e in spans]
    k = bisect.bisect_right(ends, start)
    while k < len(spans) and spans[k][0] < max(end, start + 1):
        s, e = spans[k]
        if start == end:
            if s < start < e:
                return True
        elif not (removal and start <= s and e <= end and (start, end) != (s, e)):
            return True
        k += 1
    return False
