"""Formulas in a PDF: a text line set mostly in math fonts (TeX's CMMI, CMSY, CMEX, AMS
symbols, Cambria Math, STIX Math, Symbol) or in math symbols (operators, arrows, Greek
letters), with at most one word of prose, is a display formula or a piece of one (a
subscript, a limit, a fraction bar's numerator) and is left out of the text; so is an
equation number ``(3)`` on a page that has a formula. Glyphs a font gives no Unicode for
(pdfminer writes ``(cid:48)``) are taken out of the text."""

from __future__ import annotations

import re
import unicodedata

_MATH_FONT = re.compile(r"^(?:CM(?:MI|SY|EX|BSY|MIB)\d|MSAM|MSBM|EU[FS]M|RSFS|MT(?:MI|SY|EX)|Symbol|LMMath|.*Math)", re.I)
_UNMAPPED = re.compile(r"\(cid:\d+\)")
_PROSE_WORD = re.compile(r"[A-Za-z]{3,}")
_EQUATION_NUMBER = re.compile(r"^\s*\((?:\d{1,3}|[A-Z]?\d{1,3}[.\-]\d{1,3}[a-z]?)\)\s*$")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_RELATION = re.compile("[=<>≤≥≠≈≡∈∉⊂⊆∝→⇒←↔]")
_LOOSE_WORD = re.compile(r"(?<![\w.])[a-z]{4,}(?![\w.(])")


def is_math_char(ch: str, fontname: str) -> bool:
    """Whether a glyph is mathematics: set in a math font, or a math symbol, an arrow or a
    Greek letter in any font.

    >>> is_math_char("x", "ABCDEF+CMMI10"), is_math_char("∑", "Times"), is_math_char("x", "CMR10")
    (True, True, False)
    """
    if _MATH_FONT.match(fontname.split("+")[-1]) or _UNMAPPED.fullmatch(ch):
        return True
    first = ch[:1]
    return bool(first) and (unicodedata.category(first) == "Sm" or "\u0370" <= first <= "\u03ff"
                            or "\u2190" <= first <= "\u23ff" or "\u27c0" <= first <= "\u2bff"
                            or "\U0001d400" <= first <= "\U0001d7ff")


def line_math(chars) -> tuple[str, int, int]:
    """A line's glyphs (``(text, fontname)``) as the line's prose (math glyphs written as
    spaces), and how many glyphs it has and how many of them are mathematics."""
    prose, total, math = [], 0, 0
    for text, fontname in chars:
        if not text.strip():
            prose.append(" ")
            continue
        total += 1
        if is_math_char(text, fontname):
            math += 1
            prose.append(" ")
        else:
            prose.append(text)
    return "".join(prose), total, math


def is_formula(prose: str, total: int, math: int) -> bool:
    """Whether a line is (part of) a formula: half of its glyphs or more are mathematics, or a
    quarter with no word of prose (``tx.depth = max{...} + 1`` set in italics), and it has
    at most one word of three letters or more outside math fonts and no Chinese.

    >>> is_formula(*line_math([(c, "CMMI10" if c.isalpha() else "CMR10") for c in "H(x) = y + 1"]))
    True
    >>> is_formula(*line_math([(c, "CMR10") for c in "where x is the nonce of the block"]))
    False
    """
    if not total or not math or _CJK.search(prose):
        return False
    words = len(_PROSE_WORD.findall(prose))
    return words <= 1 and (math >= total / 2 or (words == 0 and math >= total / 4))


def is_display_formula(text: str, x0: float, x1: float, left: float, right: float, size: float) -> bool:
    """Whether a line alone in its box is a displayed equation set in text fonts
    (``Dr = MIN DIFFICULTY + DIFFICULTY SCALE * log2 Lr``): centred between the column's
    margins ``left`` and ``right``, clear of both, with a relation sign (``=``, ``≤``,
    ``∈``, ``→``), no sentence mark at its end and at most two words of prose.

    >>> is_display_formula("tx.depth = max {parent.depth | parent ∈ tx.parents} + 1", 175, 420, 64, 532, 10)
    True
    >>> is_display_formula("The ledger = the chain of all blocks accepted so far", 175, 420, 64, 532, 10)
    False
    """
    em = max(size, 1)
    centred = x0 >= left + 3 * em and x1 <= right - 3 * em and abs((x0 + x1) / 2 - (left + right) / 2) <= 3 * em
    return (centred and bool(_RELATION.search(text)) and not _CJK.search(text) and not text.rstrip().endswith(".")
            and len(_LOOSE_WORD.findall(text)) <= 2)


_PIECE_WORD = re.compile(r"[A-Za-z]{5,}")


def is_formula_piece(text: str) -> bool:
    """Short text with no prose in it (no Chinese, no word of five letters or more, at most 16
    characters besides spaces and symbol-font glyphs): ``log(``, ``_Ex``, ``≈0.001463``.

    >>> is_formula_piece("log("), is_formula_piece("≈0.001463"), is_formula_piece("Assuming that")
    (True, True, False)
    """
    kept = re.sub(r"\s|[\ue000-\uf8ff]|\(cid:\d+\)", "", text)
    return 0 < len(kept) <= 16 and not _CJK.search(kept) and not _PIECE_WORD.search(kept)


def is_equation_number(text: str) -> bool:
    """``(3)``, ``(2.1)``, ``(A.4)``: the number of a displayed equation, alone on its line."""
    return bool(_EQUATION_NUMBER.match(text))


def without_unmapped(text: str) -> tuple[str, str]:
    """Text without the glyphs its font gives no Unicode for, and those glyphs.

    >>> without_unmapped("the state S(cid:48) of the node")
    ('the state S of the node', '(cid:48)')
    """
    found = _UNMAPPED.findall(text)
    if not found:
        return text, ""
    return re.sub(r"\s{2,}", " ", _UNMAPPED.sub("", text)), " ".join(found)
