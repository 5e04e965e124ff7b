"""The reading order of a PDF page's text boxes: top to bottom, and on a page set in two
columns, the left column top to bottom before the right one. A box that spans the middle of
the page (a title, an abstract set across the page, a centred page number) ends the columns
above it: the columns under it are read after it."""

from __future__ import annotations

from dataclasses import dataclass

FULL, LEFT, RIGHT = 0, 1, 2
_GUTTER = 0.02  # of the page's width: how far a column's box may reach past the middle


@dataclass(frozen=True)
class Placed:
    """A box's edges in PDF coordinates (``y`` grows upwards), its number in the page and how
    many characters it holds."""

    x0: float
    x1: float
    top: float
    bottom: float
    number: int
    chars: int = 1
    start: float = -1.0  # where its first line starts (a box may open mid-line, after a wide space)

    @property
    def opening(self) -> float:
        return self.x0 if self.start < 0 else self.start


def _side(box: Placed, width: float) -> int:
    middle, slack = width / 2, _GUTTER * width
    if abs((box.x0 + box.x1) / 2 - middle) <= slack:
        return FULL  # centred on the page: a title, a page number
    if box.x1 <= middle + slack:
        return LEFT
    if box.x0 >= middle - slack:
        return RIGHT
    return FULL


def _two_columns(boxes: list[Placed], sides: dict[int, int]) -> bool:
    """Whether the page is set in two columns: a left box beside a right one (the same height
    on the page), and the columns hold a quarter of the page's text or more on each side (not
    a few labels or equation numbers)."""
    left = [b for b in boxes if sides[b.number] == LEFT]
    right = [b for b in boxes if sides[b.number] == RIGHT]
    total = sum(b.chars for b in boxes) or 1
    return (min(sum(b.chars for b in left), sum(b.chars for b in right)) >= total / 4
            and any(a.bottom < b.top and b.bottom < a.top for a in left for b in right))


def _by_height(boxes: list[Placed]) -> list[Placed]:
    """The boxes top to bottom; boxes whose tops are level (within two points) left to right
    by where their first lines start (the pieces of a justified line pdfminer boxed apart).

    >>> [b.number for b in _by_height([Placed(90, 505, 266, 190, 0, start=427), Placed(113, 273, 266.4, 255, 1)])]
    [1, 0]
    """
    ordered, level = [], []
    for box in sorted(boxes, key=lambda b: (-b.top, b.x0)):
        if level and level[0].top - box.top > 2:
            ordered.extend(sorted(level, key=lambda b: b.opening))
            level = []
        level.append(box)
    return ordered + sorted(level, key=lambda b: b.opening)


def reading_order(boxes: list[Placed], width: float) -> list[tuple[Placed, int]]:
    """The boxes in reading order, each with its column (``FULL``, ``LEFT``, ``RIGHT``).

    >>> boxes = [Placed(50, 550, 800, 780, 0), Placed(50, 290, 760, 500, 1), Placed(310, 550, 760, 600, 2),
    ...          Placed(50, 290, 490, 300, 3), Placed(310, 550, 590, 300, 4), Placed(290, 310, 40, 30, 5)]
    >>> [(b.number, side) for b, side in reading_order(boxes, 600)]
    [(0, 0), (1, 1), (3, 1), (2, 2), (4, 2), (5, 0)]
    """
    by_height = _by_height(boxes)
    sides = {b.number: _side(b, width) for b in boxes}
    if not _two_columns(boxes, sides):
        return [(b, FULL) for b in by_height]
    ordered: list[tuple[Placed, int]] = []
    band: list[Placed] = []
    for box in by_height + [None]:
        if box is None or sides[box.number] == FULL:
            ordered.extend((b, LEFT) for b in band if sides[b.number] == LEFT)
            ordered.extend((b, RIGHT) for b in band if sides[b.number] == RIGHT)
            band = []
            if box is not None:
                ordered.append((box, FULL))
        else:
            band.append(box)
    return ordered
