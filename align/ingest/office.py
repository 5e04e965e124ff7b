"""Word documents (python-docx): body paragraphs and table cells in document order, then
footnotes, each located (``paragraph 3``, ``table 1 row 2 cell 1``, ``footnote 4``)."""

from __future__ import annotations

import io

from ..errors import InputError
from .extracted import Extracted, join_blocks

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


def _body_pieces(body):
    paragraph = table = 0
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            paragraph += 1
            yield _paragraph_text(child), f"paragraph {paragraph}"
        elif child.tag == f"{W}tbl":
            table += 1
            for r, row in enumerate(child.iterchildren(f"{W}tr"), 1):
                for c, cell in enumerate(row.iterchildren(f"{W}tc"), 1):
                    text = "\n".join(_paragraph_text(p) for p in cell.iter(f"{W}p"))
                    yield text, f"table {table} row {r} cell {c}"


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
    pieces = list(_body_pieces(document.element.body)) + list(_footnotes(document))
    return join_blocks(pieces, "docx")
