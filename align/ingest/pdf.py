"""PDF (pdfminer.six layout analysis): the text lines of each page in reading order, made
into blocks as the page prints them. A paragraph's lines are joined, across pdfminer's text
boxes too (a line that reaches the right margin without a sentence mark goes on in the next
line, so Chinese set with wide line spacing is not cut at every line end); a heading (a larger
font) and a list item (a bullet or a number) are blocks of their own. A hyphen at a line end
is mended only where the word is not really hyphenated (``pdf_text.mend_hyphen``), symbol-font
glyphs (private-use characters: Wingdings bullets) are taken out, and Chinese spaced out by
justification is closed up. Running headers and footers, page numbers, contents lines (dot
leaders and a page number), captions and the labels of figures and tables (short text inside
or right under a drawn area, ``pdf_figures``) are left out and reported."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, replace

from ..errors import InputError
from .extracted import Extracted, Removed, _is_cjk, flatten, join_blocks
from .pdf_columns import LEFT, RIGHT, Placed, reading_order
from .pdf_figures import Area, drawing_areas, figure_texts, is_caption, is_label, labels_area
from .pdf_formulas import (is_display_formula, is_equation_number, is_formula, is_formula_piece, line_math,
                           without_unmapped)
from .pdf_text import Spellings, clean_line, ends_sentence, is_list_start, join_lines

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$", re.I)
_CONTENTS_LINE = re.compile(r"^.{1,200}?(?:\s*(?:\.\s?){4,}|\s*(?:…|·|·\s?){3,}|\t)\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$", re.I)
_ROMAN = re.compile(r"^\s*(?:[-–—]\s*)?(?:[ivxlc]{1,7}|[IVXLC]{1,7})(?:\s*[-–—])?\s*$")
_EDGE = 2  # boxes at the top and at the bottom of a page where running headers and footers are
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """A text line of a page: its text as pdfminer reads it, its box and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    box: int
    bullet: bool = False  # a symbol-font bullet opened it (taken out of the text)
    column: int = 0  # pdf_columns: FULL, LEFT or RIGHT
    formula: bool = False  # set mostly in math fonts and symbols (pdf_formulas)
    math: int = 0  # how many of its glyphs are mathematics


def _line_size(line) -> float:
    from pdfminer.layout import LTChar

    sizes = sorted(round(ch.size, 1) for ch in line if isinstance(ch, LTChar) and ch.get_text().strip())
    return sizes[len(sizes) // 2] if sizes else 0.0


@dataclass(frozen=True)
class Page:
    """A page: its text boxes in reading order (each the list of its lines), its drawn areas,
    the text lines inside its figures, and the numbers of its top and bottom boxes."""

    boxes: list[list[Line]]
    areas: list[Area]
    figure_text: list[str]
    height: float
    edges: frozenset[int] = frozenset()


def _lines(box, number: int, column: int) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextLine

    out = []
    for line in box:
        if isinstance(line, LTTextLine) and line.get_text().strip():
            glyphs = [(ch.get_text(), ch.fontname if isinstance(ch, LTChar) else "") for ch in line]
            prose, total, math = line_math(glyphs)
            out.append(Line(line.get_text().rstrip("\n"), line.x0, line.x1, line.y1, line.y0, _line_size(line), number,
                            column=column, formula=is_formula(prose, total, math), math=math))
    return out


def _displays(boxes: list[list[Line]], body: float) -> list[list[Line]]:
    """The boxes with each one-line box that is a displayed equation in text fonts marked as a
    formula (``is_display_formula``, between the margins of the body lines of its column)."""
    out = []
    for box in boxes:
        if len(box) == 1 and not box[0].formula:
            line = box[0]
            column = [ln for b in boxes for ln in b if ln.column == line.column and abs(ln.size - body) <= 1] or [line]
            left, right = min(ln.x0 for ln in column), max(ln.x1 for ln in column)
            if is_display_formula(line.text, line.x0, line.x1, left, right, line.size):
                box = [replace(line, formula=True)]
        out.append(box)
    return _formula_pieces(out)


def _beside(line: Line, other: Line) -> bool:
    """Whether two lines sit side by side on a page: the same height, at most two characters apart."""
    em = 2 * max(line.size, other.size, 1)
    return (line.bottom < other.top and other.bottom < line.top
            and line.x0 - em <= other.x1 and other.x0 - em <= line.x1)


def _formula_pieces(boxes: list[list[Line]]) -> list[list[Line]]:
    """The boxes with the pieces of an equation that pdfminer gives one by one (``log(``,
    ``.0)R``, ``≈0.001463``: short boxes of no prose, ``is_formula_piece``) marked as a formula
    where they sit beside a formula or a math glyph, or beside a piece so marked."""
    anchors = [ln for box in boxes for ln in box if ln.formula or ln.math]
    pieces = {n for n, box in enumerate(boxes)
              if all(ln.formula or is_formula_piece(ln.text) for ln in box) and not all(ln.formula for ln in box)}
    marked: set[int] = set()
    while True:
        found = {n for n in pieces - marked if any(_beside(ln, a) for ln in boxes[n] for a in anchors)}
        if not found:
            break
        marked |= found
        anchors += [ln for n in found for ln in boxes[n]]
    return [[replace(ln, formula=True) for ln in box] if n in marked else box for n, box in enumerate(boxes)]


def _first_x0(box) -> float:
    from pdfminer.layout import LTTextLine

    lines = [line for line in box if isinstance(line, LTTextLine) and line.get_text().strip()]
    return max(lines, key=lambda line: line.y1).x0 if lines else box.x0


def _edges(placed: list[Placed]) -> frozenset[int]:
    """The numbers of the ``_EDGE`` boxes at the top of a page and at its bottom."""
    by_top = sorted(placed, key=lambda b: (-b.top, b.x0))
    return frozenset(b.number for b in by_top[:_EDGE] + by_top[-_EDGE:])


def _pages(data: bytes):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    for page in extract_pages(io.BytesIO(data), laparams=LAParams(all_texts=True)):
        found = [el for el in page if isinstance(el, LTTextContainer) and el.get_text().strip()]
        placed = [Placed(el.x0, el.x1, el.y1, el.y0, n, len(el.get_text().strip()), _first_x0(el)) for n, el in enumerate(found)]
        order = reading_order(placed, page.width)
        boxes = [_lines(found[box.number], n, column) for n, (box, column) in enumerate(order)]
        renumbered = {box.number: n for n, (box, _) in enumerate(order)}
        yield Page(boxes, drawing_areas(page), figure_texts(page), page.height,
                   frozenset(renumbered[k] for k in _edges(placed)))


def _running_lines(pages: list[Page]) -> set[str]:
    """Box texts (digits masked) among the first two or the last two boxes of at least half of
    the pages (two or more), and the place (``_band``) where a page's top line stands apart
    on at least half of them: a header that names each page's section."""
    if len(pages) < 2:
        return set()
    edges = Counter()
    for page in pages:
        edges.update({_box_key(b) for n, b in enumerate(page.boxes) if n in page.edges})
        edges.update({_band(page, n) for n in page.edges} - {""})
    return {k for k, n in edges.items() if n >= max(2, len(pages) / 2)}


def _band(page: Page, n: int) -> str:
    """Where box ``n`` stands when it is one line at the very top of its page (boxes beside it
    aside: a page number), set apart from the box under it by one and a half lines or more but
    no more than eight (``@top 786``); else "". (At the foot of a page the last line of a full
    page stands at the same place on every page.)"""
    box = page.boxes[n]
    if len(box) != 1 or len(page.boxes) < 2:
        return ""
    line, size = box[0], max(box[0].size, 1)
    others = [b for k, b in enumerate(page.boxes) if k != n and not (b[-1].bottom < line.top and line.bottom < b[0].top)]
    if len(others) < 3:
        return ""  # too little on the page to tell a header from the text
    if all(line.top > b[0].top for b in others) and 1.5 * size <= line.bottom - max(b[0].top for b in others) <= 8 * size:
        return f"@top {round(line.top)}"
    return ""


def _box_key(box: list[Line]) -> str:
    return _DIGITS.sub("#", flatten("\n".join(line.text for line in box)))


def _furniture(box: list[Line], edge: bool, running: set[str], page: Page, body: float) -> str:
    """Why a whole box is left out ("" when it is text): a page number (among the top or bottom
    boxes of the page: a number set apart mid-page is a section number or a cell), a running
    header or footer, a caption or a figure label (not in
    a larger font than the body: a heading in a shaded band stays)."""
    text = flatten("\n".join(line.text for line in box))
    if edge and (_PAGE_NUMBER.match(text) or _ROMAN.match(text)):
        return "page number"
    if edge and (_box_key(box) in running or _band(page, page.boxes.index(box)) in running - {""}):
        return "running header" if box[0].top > page.height / 2 else "running footer"
    if len(box) <= 3 and is_caption(text):
        return "caption"
    lines = [line.text.strip() for line in box]
    if box[0].size <= body + 0.5 and is_label(lines, box[0].size) and labels_area(min(ln.x0 for ln in box), max(ln.x1 for ln in box),
                                                    box[0].top, box[-1].bottom, box[0].size, page.areas):
        return "figure label"
    return ""


def _line_text(line: Line, formulas: bool, removed: list, where: str) -> tuple[str, bool]:
    """A line's text as the body's (symbol-font and unmapped glyphs taken out, reported), or
    "" where the line is a formula, an equation number (on a page with formulas) or a
    contents line, reported with its reason; and whether a symbol-font bullet opened it."""
    text, glyphs, bullet = clean_line(line.text)
    text, unmapped = without_unmapped(text)
    if glyphs:
        removed.append(Removed(where, glyphs, "symbol-font glyph (a bullet or an icon)"))
    reason = ("formula" if line.formula or (formulas and is_equation_number(text))
              else "contents line (dot leaders and a page number)" if _CONTENTS_LINE.match(text) else "")
    if reason:
        removed.append(Removed(where, line.text.strip(), reason))
        return "", bullet
    if unmapped:
        removed.append(Removed(where, unmapped, "glyph with no Unicode in the PDF's font"))
    return (text if text.strip() else ""), bullet


def _page_lines(page: Page, running: set[str], number: int, removed: list, body: float) -> list[Line]:
    """The lines of a page that are text, cleaned (``clean_line``); the rest reported."""
    lines, where = [], f"page {number}"
    removed.extend(Removed(where, text, "figure label") for text in page.figure_text)
    formulas = any(line.formula for box in page.boxes for line in box)
    for n, box in enumerate(page.boxes):
        reason = _furniture(box, n in page.edges, running, page, body)
        if reason:
            removed.append(Removed(where, flatten("\n".join(line.text for line in box)), reason))
            continue
        for line in box:
            text, bullet = _line_text(line, formulas, removed, where)
            if text:
                lines.append(replace(line, text=text, bullet=bullet))
    return lines


def _continues(prev: Line, line: Line, right: float, body: float, item: float | None = None) -> bool:
    """Whether ``line`` goes on with the paragraph that ``prev`` ends: the rest of the same
    printed line (split by a wide space), the second line of a heading in the same box, or a line that is not a new font size, list item or
    indented first line, where ``prev`` reaches the right margin; in another of pdfminer's
    boxes, only where ``prev`` has no sentence mark (or ``line`` hangs under the marker of a
    list ``item`` opened at ``item``) and the gap is a line's; from the foot of the left
    column to the head of the right one, only where ``prev`` has no sentence mark."""
    size = max(prev.size, 1)
    if line.column == prev.column and abs(line.top - prev.top) < 0.3 * size and 0 <= line.x0 - prev.x1 < 3 * size:
        return True
    if prev.size > body + 1 and abs(line.size - prev.size) <= 0.5 and _heading_goes_on(prev, line):
        return True
    across = prev.column == LEFT and line.column == RIGHT
    hanging = item is not None and line.x0 > item + size / 2
    if abs(line.size - prev.size) > 1 or line.bullet or is_list_start(line.text) or (
            not across and item is None and line.x0 > prev.x0 + size):
        return False
    slack = (2 if _is_cjk(prev.text[-1]) else 6) * size  # ragged-right Latin ends a word early
    if prev.x1 < right - slack:
        return False  # a line that ends well before the margin ends its paragraph (or is a heading)
    if across:
        return not ends_sentence(prev.text) and prev.size <= body + 1
    if line.box == prev.box:
        return True
    gap = prev.bottom - line.top
    return ((not ends_sentence(prev.text) or hanging) and -0.5 * size <= gap <= 1.5 * size
            and (_under(line, prev) or hanging) and prev.size <= body + 1)


def _under(line: Line, prev: Line) -> bool:
    """Whether ``line`` starts where a line of ``prev``'s paragraph would: at its left edge,
    or up to four characters left of it (``prev`` opened the paragraph with an indent)."""
    size = max(prev.size, 1)
    return prev.x0 - 4 * size <= line.x0 <= prev.x0 + 2 * size


def _heading_goes_on(prev: Line, line: Line) -> bool:
    """Whether ``line`` is the second line of the heading ``prev`` opens (the same larger
    size): in the same box, or right under it, starting where it starts or centred with it,
    and not a numbered heading of its own."""
    if is_list_start(line.text) or line.text[:1].isdigit() or ends_sentence(prev.text):
        return False
    if line.box == prev.box:
        return True
    size = max(prev.size, 1)
    return (0 <= prev.bottom - line.top <= size
            and (abs(line.x0 - prev.x0) <= size or abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) <= 2 * size))


def _right_margin(line: Line, lines: list[Line], body: float) -> float:
    """Where most full lines of ``line``'s column end: the third quartile of the right edges
    of the lines that start where it starts (a column, give or take an indent), in its own
    type size where three lines or more are set in it (an abstract in smaller type is set
    narrower than the body), else in the body's."""
    near = [ln for ln in lines if abs(ln.x0 - line.x0) <= 3 * max(line.size, 1)]
    own = [ln.x1 for ln in near if abs(ln.size - line.size) <= 0.5]
    column = own if len(own) >= 3 else [ln.x1 for ln in near if abs(ln.size - body) <= 1]
    ends = sorted(column or [line.x1])
    return ends[int(0.75 * (len(ends) - 1))]


def _kind(lines: list[Line], body: float) -> str:
    if lines[0].size > body + 1 and len(lines) <= 3:
        return "heading"
    return "list_item" if lines[0].bullet or is_list_start(lines[0].text) else "paragraph"


def _page_groups(lines: list[Line], body: float) -> list[list[Line]]:
    """A page's lines grouped into blocks (``_continues``)."""
    groups: list[list[Line]] = []
    for n, line in enumerate(lines):
        opened = groups[-1][0] if groups else line
        item = opened.x0 if opened.bullet or is_list_start(opened.text) else None
        if n and _continues(lines[n - 1], line, _right_margin(lines[n - 1], lines, body), body, item):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _over_the_page(prev: Line, prev_page: list[Line], line: Line, body: float) -> bool:
    """Whether the first line of a page goes on with the paragraph that ended the page before:
    that one reached the margin with no sentence mark, and this one is body text in its column."""
    slack = (2 if _is_cjk(prev.text[-1]) else 6) * max(prev.size, 1)
    return (not ends_sentence(prev.text) and prev.x1 >= _right_margin(prev, prev_page, body) - slack
            and abs(line.size - prev.size) <= 1 and abs(prev.size - body) <= 1 and not line.bullet
            and not is_list_start(line.text) and (_under(line, prev) or (prev.column, line.column) == (RIGHT, LEFT)))


def _blocks(page_lines: list[list[Line]], body: float) -> list[tuple[list[Line], int]]:
    """The blocks of the document with the page each starts on; a paragraph broken by a page
    end is one block."""
    blocks: list[tuple[list[Line], int]] = []
    for number, lines in enumerate(page_lines, 1):
        groups = _page_groups(lines, body)
        previous = page_lines[number - 2] if number > 1 else []
        if groups and blocks and previous and blocks[-1][0][-1] is previous[-1] \
                and _over_the_page(previous[-1], previous, groups[0][0], body):
            blocks[-1][0].extend(groups.pop(0))
        blocks.extend((group, number) for group in groups)
    return blocks


def _body_size(pages) -> float:
    """The font size of most of the text (by characters)."""
    sizes = Counter()
    for page in pages:
        for box in page.boxes:
            for line in box:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def extract_pdf(data: bytes) -> Extracted:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pages = list(_pages(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError("encrypted PDF (no password given)") from exc
    except PDFSyntaxError as exc:
        raise InputError(f"not a readable PDF ({exc})") from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise InputError(f"not a readable PDF ({type(exc).__name__})") from exc
    body = _body_size(pages)
    pages = [replace(page, boxes=_displays(page.boxes, body)) for page in pages]
    running = _running_lines(pages)
    removed: list[Removed] = []
    page_lines = [_page_lines(page, running, number, removed, body) for number, page in enumerate(pages, 1)]
    spellings = Spellings.of(line.text for lines in page_lines for line in lines)
    pieces = [(join_lines([line.text for line in group], spellings), f"page {number}", _kind(group, body))
              for group, number in _blocks(page_lines, body)]
    return join_blocks(pieces, "pdf", removed)
