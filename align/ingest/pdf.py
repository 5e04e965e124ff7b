"""PDF (pdfminer.six): text boxes in reading order, page by page, lines joined (words broken
by a hyphen at a line end are mended); running headers and footers (the same line at the top
or bottom of most pages) and page numbers are left out and reported."""

from __future__ import annotations

import io
import re
from collections import Counter

from ..errors import InputError
from .extracted import Extracted, Removed, flatten, join_blocks

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$", re.I)
_DIGITS = re.compile(r"\d+")


def _pages(data: bytes):
    """Per page: ``(top, bottom, text)`` of each text box, top to bottom."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        boxes = [(el.y1, el.y0, el.get_text()) for el in page if isinstance(el, LTTextContainer) and el.get_text().strip()]
        yield page.height, sorted(boxes, key=lambda b: -b[0])


def _running_lines(pages) -> set[str]:
    """Lines (digits masked) that open or close at least half of the pages (two or more)."""
    if len(pages) < 2:
        return set()
    edges = Counter()
    for _height, boxes in pages:
        keys = {_DIGITS.sub("#", flatten(b[2])) for b in boxes[:1] + boxes[-1:]}
        edges.update(keys)
    return {k for k, n in edges.items() if n >= max(2, len(pages) / 2)}


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
    running = _running_lines(pages)
    pieces, removed = [], []
    for number, (_height, boxes) in enumerate(pages, 1):
        for n, (_top, _bottom, text) in enumerate(boxes):
            line = flatten(text, dehyphenate=True)
            edge = n in (0, len(boxes) - 1)
            if _PAGE_NUMBER.match(line):
                removed.append(Removed(f"page {number}", line, "page number"))
            elif edge and _DIGITS.sub("#", line) in running:
                removed.append(Removed(f"page {number}", line, "running header or footer"))
            else:
                pieces.append((flatten(text, dehyphenate=True), f"page {number}"))
    return join_blocks(pieces, "pdf", removed)
