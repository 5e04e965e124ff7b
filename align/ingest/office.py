"""Word documents (python-docx): body paragraphs and table cells in document order, then
footnotes, each located (``paragraph 3``, ``table 1 row 2 cell 1``, ``footnote 4``). The
table of contents, captions and the sections' running headers and footers are left out and
reported."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .extracted import Extracted, Removed, join_blocks

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(element) -> str:
    """The text of a ``w:p``: its runs' text, tabs and breaks as spaces."""
    parts = []
    for node in element.iter():
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            parts.append(" ")
    return "".join(parts)


CONTENTS = "contents line (a Word table of contents)"
_PRINTED_CONTENTS = re.compile(r"^.{1,200}?(?:\s*(?:\.\s?){4,}|\s*(?:…|·){3,})\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$", re.I)


class _Fields:
    """Which Word fields are open at a point of the body (``w:fldChar`` begin and end, the
    field's instruction in ``w:instrText``): a paragraph inside a ``TOC`` field, or holding a
    ``PAGEREF _Toc`` field, is a line of a table of contents."""

    def __init__(self) -> None:
        self.stack: list[str] = []

    def in_contents(self, paragraph) -> bool:
        found = "TOC" in self.stack
        for node in paragraph.iter(f"{W}fldChar", f"{W}instrText", f"{W}fldSimple"):
            if node.tag == f"{W}fldChar":
                kind = node.get(f"{W}fldCharType")
                if kind == "begin":
                    self.stack.append("")
                elif kind == "end" and self.stack:
                    self.stack.pop()
                continue
            instruction = (node.text if node.tag == f"{W}instrText" else node.get(f"{W}instr")) or ""
            if node.tag == f"{W}instrText" and self.stack and not self.stack[-1]:
                self.stack[-1] = instruction.split()[0].upper() if instruction.split() else ""
            found = found or instruction.split()[:1] == ["TOC"] or instruction.strip().upper().startswith("PAGEREF _TOC")
        return found


def _contents_part(sdt) -> bool:
    """A content control that Word made for a table of contents."""
    return any("Table of Contents" in (g.get(f"{W}val") or "") for g in sdt.iter(f"{W}docPartGallery"))


CAPTION = "caption"


def _caption_styles(document) -> frozenset[str]:
    """The ids of the paragraph styles named ``Caption`` (Word's id is ``Caption`` in English
    and ``a3`` or the like in other languages; the name stays ``caption``)."""
    from docx.enum.style import WD_STYLE_TYPE

    return frozenset(s.style_id for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH
                     and (s.name or "").lower() == "caption") | {"Caption"}


def _is_caption(paragraph, caption_styles: frozenset[str]) -> bool:
    """A figure or table caption: a paragraph in the ``Caption`` style or holding a ``SEQ``
    field (Word's figure and table numbers; ``SEQ Equation`` numbers a formula)."""
    if any(s.get(f"{W}val") in caption_styles for s in paragraph.iterchildren(f"{W}pPr") for s in s.iterchildren(f"{W}pStyle")):
        return True
    for node in paragraph.iter(f"{W}instrText", f"{W}fldSimple"):
        words = ((node.text if node.tag == f"{W}instrText" else node.get(f"{W}instr")) or "").split()
        if words[:1] == ["SEQ"] and words[1:2] != ["Equation"]:
            return True
    return False


def _body_pieces(body, removed: list, caption_styles: frozenset[str] = frozenset()):
    counts = {"paragraph": 0, "table": 0}
    fields = _Fields()
    for child in _body_children(body):
        if child.tag == f"{W}p":
            counts["paragraph"] += 1
            text, location = _paragraph_text(child), f"paragraph {counts['paragraph']}"
            contents = fields.in_contents(child) or _is_contents_control(child) or _PRINTED_CONTENTS.match(text.strip())
            if contents or _is_caption(child, caption_styles):
                if text.strip():
                    removed.append(Removed(location, text.strip(), CONTENTS if contents else CAPTION))
                continue
            yield text, location
        elif child.tag == f"{W}tbl":
            counts["table"] += 1
            for r, row in enumerate(child.iterchildren(f"{W}tr"), 1):
                for c, cell in enumerate(row.iterchildren(f"{W}tc"), 1):
                    text = "\n".join(_paragraph_text(p) for p in cell.iter(f"{W}p"))
                    yield text, f"table {counts['table']} row {r} cell {c}"


def _is_contents_control(paragraph) -> bool:
    return any(a.tag == f"{W}sdt" and _contents_part(a) for a in paragraph.iterancestors())


def _body_children(body):
    """The paragraphs and tables of the body in order, inside content controls (``w:sdt``) too."""
    for child in body.iterchildren():
        if child.tag == f"{W}sdt":
            for content in child.iterchildren(f"{W}sdtContent"):
                yield from _body_children(content)
        else:
            yield child


def _footnotes(document):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/footnotes.xml":
            try:
                root = etree.fromstring(part.blob, parser)
            except etree.XMLSyntaxError as exc:
                raise InputError(f"broken footnotes in the Word document ({exc.msg})") from exc
            for note in root.iter(f"{W}footnote"):
                raw = note.get(f"{W}id", "0")
                number = int(raw) if raw.lstrip("-").isdigit() else 0
                if number > 0:
                    yield "\n".join(_paragraph_text(p) for p in note.iter(f"{W}p")), f"footnote {number}"


def _headers_and_footers(document):
    """The running headers and footers of each section (python-docx reads them apart from the
    body), reported as left out: ``section 1 header``, ``section 2 first-page footer``."""
    seen = set()
    for number, section in enumerate(document.sections, 1):
        for kind, part in (("header", section.header), ("first-page header", section.first_page_header),
                           ("even-page header", section.even_page_header), ("footer", section.footer),
                           ("first-page footer", section.first_page_footer), ("even-page footer", section.even_page_footer)):
            if part.is_linked_to_previous:
                continue  # no part of its own: the previous section's, already reported
            text = "\n".join(_paragraph_text(p) for p in part._element.iter(f"{W}p")).strip()
            if text and (kind, text) not in seen:
                seen.add((kind, text))
                reason = "running header" if kind.endswith("header") else "running footer"
                yield Removed(f"section {number} {kind}", text, reason)


MAX_EXPANDED_BYTES = 256 * 1024 * 1024  # what the parts of a .docx may inflate to, all together


def check_expansion(data: bytes, cap: int = MAX_EXPANDED_BYTES) -> None:
    """Refuse a zip (a .docx) whose members would inflate past ``cap`` (a zip bomb, a huge image part)."""
    import zipfile

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(f"not a readable Word document ({type(exc).__name__})") from exc
    total = sum(m.file_size for m in members)
    if total > cap:
        raise InputError(f"the Word document inflates to {total} bytes, over the {cap}-byte cap (--max-expanded-size)")


def extract_docx(data: bytes, expanded_bytes: int = MAX_EXPANDED_BYTES) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_expansion(data, expanded_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable Word document ({type(exc).__name__})") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors on a damaged file
        raise InputError(f"not a readable Word document ({type(exc).__name__})") from exc
    removed: list[Removed] = list(_headers_and_footers(document))
    pieces = list(_body_pieces(document.element.body, removed, _caption_styles(document))) + list(_footnotes(document))
    return join_blocks(pieces, "docx", removed)
