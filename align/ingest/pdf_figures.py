"""Figures and tables of a PDF page as pdfminer.six's layout gives them: the areas drawn on
the page (``LTFigure``: an image or a form; ``LTCurve``, ``LTRect``, ``LTLine``: vector
drawings and table rules, merged where they touch), and the text that labels them: short
lines inside or right under a drawn area (``figure label``) and captions (``Figure 3:``,
``Table 2.``, ``图 3``, ``表 2``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CAPTION = re.compile(r"^\s*(?:(?:figure|fig\.|table|tab\.|exhibit)\s*\d+(?:[.\-–]\d+)*\s*[.:：]"
                      r"|[图表]\s*\d+(?:[.\-–]\d+)*(?:[\s:：]|$))", re.I)
_SENTENCE_MARK = re.compile(r"[。！？.!?；;]['\"”’)）]*\s*$")
_TOUCH = 2.0  # points: drawings this close belong to one area
_SMALLEST = 12.0  # points: an area narrower or lower than this is a rule or an underline


@dataclass(frozen=True)
class Area:
    """A drawn area of a page in PDF coordinates (``y`` grows upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    curved: bool = True  # holds a curve or a slanted line, not only a grid of rules (a table)

    def touches(self, other: Area) -> bool:
        return (self.x0 - _TOUCH <= other.x1 and other.x0 - _TOUCH <= self.x1
                and self.y0 - _TOUCH <= other.y1 and other.y0 - _TOUCH <= self.y1)

    def union(self, other: Area) -> Area:
        return Area(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1),
                    self.curved or other.curved)


def _merged(areas: list[Area]) -> list[Area]:
    """Areas that touch merged into one, until none touch."""
    merged: list[Area] = []
    for area in sorted(areas, key=lambda a: (a.x0, a.y0)):
        while True:
            near = next((n for n, m in enumerate(merged) if m.touches(area)), None)
            if near is None:
                break
            area = area.union(merged.pop(near))
        merged.append(area)
    return merged


def drawing_areas(page) -> list[Area]:
    """The figures of a page and its vector drawings (curves, rectangles and lines merged where
    they touch), less rules and underlines (thinner or shorter than ``_SMALLEST``), frames or
    backgrounds (more than half of the page) and tables (drawings of rectangles and straight
    rules only: their cells are text)."""
    from pdfminer.layout import LTCurve, LTFigure, LTLine, LTRect

    def curved(el) -> bool:
        return not isinstance(el, LTRect) and not (isinstance(el, LTLine) and (abs(el.x0 - el.x1) < 1 or abs(el.y0 - el.y1) < 1))

    figures = [Area(el.x0, el.y0, el.x1, el.y1) for el in page if isinstance(el, LTFigure)]
    drawn = [Area(el.x0, el.y0, el.x1, el.y1, curved(el)) for el in page if isinstance(el, LTCurve)]
    drawings = [a for a in _merged(drawn) if a.curved]
    page_size = max(page.width * page.height, 1.0)
    return [a for a in figures + drawings if a.x1 - a.x0 >= _SMALLEST and a.y1 - a.y0 >= _SMALLEST
            and (a.x1 - a.x0) * (a.y1 - a.y0) <= page_size / 2]


def figure_texts(page) -> list[str]:
    """The text lines pdfminer finds inside the figures of a page (with ``all_texts``)."""
    from pdfminer.layout import LTFigure, LTTextLine

    def lines(element):
        for child in element:
            if isinstance(child, LTTextLine):
                yield child.get_text().strip()
            elif hasattr(child, "__iter__") and not isinstance(child, str):
                yield from lines(child)

    return [text for el in page if isinstance(el, LTFigure) for text in lines(el) if text]


def is_caption(text: str) -> bool:
    """A figure or table caption: ``Figure 3: ...``, ``Fig. 2.``, ``Table 2.``, ``图 3 ...``, ``表2``.

    >>> is_caption("图 3 区块链结构"), is_caption("Table 2. Fees"), is_caption("Figure 1: Chain")
    (True, True, True)
    >>> is_caption("图3显示了区块链。"), is_caption("Table 2 shows the fees.")
    (False, False)
    """
    return bool(_CAPTION.match(text))


def is_label(lines: list[str], size: float) -> bool:
    """Short text that names part of a drawing: at most three lines, each short (under 40
    characters, 16 Chinese ones) and none ending a sentence."""
    return len(lines) <= 3 and all(len(t) <= (16 if re.search("[\u4e00-\u9fff]", t) else 40)
                                   and not _SENTENCE_MARK.search(t) for t in lines) and size > 0


def labels_area(x0: float, x1: float, top: float, bottom: float, size: float, areas: list[Area]) -> bool:
    """Whether a box (its edges) lies inside a drawn area, or right under one (within a line's height)."""
    for a in areas:
        inside = a.x0 - _TOUCH <= (x0 + x1) / 2 <= a.x1 + _TOUCH and a.y0 - _TOUCH <= (top + bottom) / 2 <= a.y1 + _TOUCH
        under = x0 < a.x1 and a.x0 < x1 and a.y0 - 1.5 * max(size, 1) <= top <= a.y0 + _TOUCH
        if inside or under:
            return True
    return False
