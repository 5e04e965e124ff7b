"""Small EPUB 2 and 3 books built in the tests (zipfile and XHTML strings)."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path

XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
         'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head>\n<body{body_type}>\n{body}\n'
         '</body></html>\n')


def page(title: str, paragraphs: list[str], heading: str | None = None, epub_type: str = "", markup: bool = False) -> str:
    body = (f"<h1>{html.escape(heading)}</h1>\n" if heading else "") + "\n".join(
        f"<p>{p if markup else html.escape(p)}</p>" for p in paragraphs)
    return XHTML.format(title=html.escape(title), body=body, body_type=f' epub:type="{epub_type}"' if epub_type else "")


def make_epub(path: Path, chapters: list[tuple[str, list[str]]], *, version: int = 3, lang: str = "en",
              front: list[tuple[str, str, str]] = (), cover: bool = True, markup: bool = False) -> Path:
    """An EPUB of ``chapters`` (title, paragraphs), with a cover page, a navigation document
    (EPUB 3) or an NCX (EPUB 2), and ``front`` pages (file name, epub:type, a text or a list
    of paragraphs) before the chapters. A paragraph's line breaks stay in the XHTML source. A
    chapter titled None is a page that continues the one before (no heading, not in the
    navigation: a converter's split file). ``markup``: the chapters' paragraphs are XHTML as given."""
    files, items, spine = {}, [], []
    if cover:
        files["cover.xhtml"] = page("Cover", ["Cover"], epub_type="cover")
        items.append(('cover', "cover.xhtml", ""))
        spine.append("cover")
    for n, (name, kind, text) in enumerate(front):
        files[name] = page(name, [text] if isinstance(text, str) else list(text), epub_type=kind)
        items.append((f"front{n}", name, ""))
        spine.append(f"front{n}")
    for n, (title, paragraphs) in enumerate(chapters, 1):
        files[f"text/ch{n:02d}.xhtml"] = page(title or "", paragraphs, heading=title, markup=markup)
        items.append((f"ch{n}", f"text/ch{n:02d}.xhtml", ""))
        spine.append(f"ch{n}")
    named = [(n, t) for n, (t, _) in enumerate(chapters, 1) if t is not None]
    links = "".join(f'<li><a href="text/ch{n:02d}.xhtml">{html.escape(t)}</a></li>' for n, t in named)
    if version == 3:
        files["nav.xhtml"] = page("Contents", [], epub_type="").replace(
            "<body>", f'<body><nav epub:type="toc"><ol>{links}</ol></nav>')
        items.append(("nav", "nav.xhtml", ' properties="nav"'))
        spine.append("nav")
    else:
        points = "".join(f'<navPoint id="p{n}" playOrder="{n}"><navLabel><text>{html.escape(t)}</text></navLabel>'
                         f'<content src="text/ch{n:02d}.xhtml"/></navPoint>' for n, t in named)
        files["toc.ncx"] = ('<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
                            f'<head/><docTitle><text>Book</text></docTitle><navMap>{points}</navMap></ncx>')
    manifest = "".join(f'<item id="{i}" href="{h}" media-type="application/xhtml+xml"{p}/>' for i, h, p in items)
    if version == 2:
        manifest += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    itemrefs = "".join(f'<itemref idref="{i}"/>' for i in spine)
    guide = '<guide><reference type="cover" href="cover.xhtml" title="Cover"/></guide>' if version == 2 and cover else ""
    toc = ' toc="ncx"' if version == 2 else ""
    opf = (f'<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" '
           f'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x'
           f'</dc:identifier><dc:title>Book</dc:title><dc:language>{lang}</dc:language></metadata>'
           f'<manifest>{manifest}</manifest><spine{toc}>{itemrefs}</spine>{guide}'
           '</package>')
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                 '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                 '</rootfiles></container>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", container)
        z.writestr("OEBPS/content.opf", opf)
        for name, text in files.items():
            z.writestr(f"OEBPS/{name}", text, compress_type=zipfile.ZIP_DEFLATED)
    return path
