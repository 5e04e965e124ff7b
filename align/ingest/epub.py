"""EPUB 2 and 3: the chapters of a book in spine order, each XHTML page read with the HTML
reader's block structure, titled from the navigation document (EPUB 3) or the NCX (EPUB 2).

Covers, the navigation and contents pages, and copyright or colophon pages are left out and
reported with their reason. A page the navigation does not name, after one it names, goes on
the chapter before it: Calibre and other converters split a long chapter into files at a size
limit, and only the first is in the navigation. The zip is checked before anything is inflated: a broken zip,
one that would inflate past the cap (a zip bomb), or one with no package document is refused
with its reason (the file is then skipped, as any bad input).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, replace
from urllib.parse import unquote

from ..errors import InputError
from .extracted import Extracted, Removed

OPF = "{http://www.idpf.org/2007/opf}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
MAX_MEMBERS = 10000  # zip entries an EPUB may hold
MAX_RATIO = 200  # how much one member may inflate (a zip bomb inflates thousands of times)
LEFT_OUT = (("cover", "cover"), ("toc", "contents page"), ("landmarks", "contents page"),
            ("copyright-page", "copyright page"), ("colophon", "colophon"), ("nav", "navigation"))
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")


@dataclass(frozen=True)
class Chapter:
    """A chapter of the spine: the position of its first page (0-based, among all spine pages),
    that page's file inside the EPUB, its title from the navigation, and its text (each block
    located by its page and element path: the pages that continue it are in it too)."""

    position: int
    href: str
    title: str
    extracted: Extracted

    def continued(self, more: Extracted) -> Chapter:
        """The chapter with a page that continues it appended (blocks, removed blocks and
        inline code, at their offsets in the joined text)."""
        first = self.extracted
        shift = len(first.text) + 2
        blocks = first.blocks + tuple(replace(b, start=b.start + shift, end=b.end + shift) for b in more.blocks)
        removed = first.removed + tuple(replace(r, offset=r.offset + shift) for r in more.removed)
        code = tuple(dict.fromkeys(first.inline_code + more.inline_code))
        return replace(self, extracted=replace(first, text=f"{first.text}\n\n{more.text}", blocks=blocks,
                                               removed=removed, inline_code=code))


def _located(extracted: Extracted, path: str) -> Extracted:
    """A page's blocks and removed blocks located by the page's file too."""
    return replace(extracted, blocks=tuple(replace(b, location=f"{path} {b.location}".strip()) for b in extracted.blocks),
                   removed=tuple(replace(r, location=f"{path} {r.location}".strip()) for r in extracted.removed))


@dataclass(frozen=True)
class Book:
    chapters: tuple[Chapter, ...]
    removed: tuple[Removed, ...]  # pages left out (cover, contents, copyright), with their reason


def open_epub(data: bytes, expanded_bytes: int) -> zipfile.ZipFile:
    """The EPUB's zip, checked: readable, not too many members, not inflating past
    ``expanded_bytes`` in all nor a member by more than ``MAX_RATIO`` times."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise InputError(f"not a readable EPUB (broken zip: {type(exc).__name__})") from exc
    if len(members) > MAX_MEMBERS:
        raise InputError(f"an EPUB of {len(members)} zip entries (more than {MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    if total > expanded_bytes:
        raise InputError(f"the EPUB inflates to {total} bytes, over the {expanded_bytes}-byte cap (--max-expanded-size)")
    for m in members:
        if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(1, m.compress_size):
            raise InputError(f"{m.filename} in the EPUB inflates {m.file_size // max(1, m.compress_size)} times "
                             "(a zip bomb?)")
    return archive


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError as exc:
        raise InputError(f"the EPUB names {name!r}, which it does not hold") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError(f"not a readable EPUB ({name}: {type(exc).__name__})") from exc


def _xml(data: bytes, what: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not a readable EPUB (broken {what}: {exc.msg})") from exc


def _package(archive: zipfile.ZipFile):
    """The package document (OPF) and its folder inside the zip."""
    container = _xml(_read(archive, "META-INF/container.xml"), "META-INF/container.xml")
    rootfile = container.find(f".//{CONTAINER}rootfile")
    path = rootfile.get("full-path") if rootfile is not None else None
    if not path:
        raise InputError("not a readable EPUB (no package document in META-INF/container.xml)")
    return _xml(_read(archive, path), path), posixpath.dirname(path)


def _href(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(href.split("#", 1)[0])))


def _nav_titles(archive, base: str, manifest: dict, spine_toc: str | None) -> dict[str, str]:
    """The title of each page from the EPUB 3 navigation document, else the EPUB 2 NCX."""
    from lxml import html as lxml_html

    titles: dict[str, str] = {}
    nav = next((item for item in manifest.values() if "nav" in item[2].split()), None)
    if nav is not None:
        tree = lxml_html.fromstring(_read(archive, nav[0]))
        for link in tree.iter("a"):
            target = _href(posixpath.dirname(nav[0]), link.get("href", ""))
            titles.setdefault(target, " ".join(link.text_content().split()))
    elif spine_toc in manifest:
        ncx_path = manifest[spine_toc][0]
        for point in _xml(_read(archive, ncx_path), ncx_path).iter(f"{NCX}navPoint"):
            label, content = point.find(f"{NCX}navLabel/{NCX}text"), point.find(f"{NCX}content")
            if label is not None and content is not None:
                titles.setdefault(_href(posixpath.dirname(ncx_path), content.get("src", "")),
                                  " ".join((label.text or "").split()))
    return titles


def _manifest(opf, base: str) -> dict[str, tuple[str, str, str]]:
    """Each manifest item by id: its path in the zip, media type and properties."""
    return {item.get("id"): (_href(base, item.get("href", "")), item.get("media-type", ""), item.get("properties", ""))
            for item in opf.iter(f"{OPF}item") if item.get("id") and item.get("href")}


def _guide(opf, base: str) -> dict[str, str]:
    """EPUB 2 guide: the type of each page it names (cover, toc, copyright-page, ...)."""
    return {_href(base, ref.get("href", "")): ref.get("type", "").lower() for ref in opf.iter(f"{OPF}reference")}


def _left_out(kinds: set[str], path: str, text: str) -> str:
    """Why a page is left out ("" when it is kept): a cover, contents or navigation,
    copyright page or colophon, by its declared type, or a cover by its name."""
    for kind, reason in LEFT_OUT:
        if kind in kinds:
            return reason
    if "cover" in posixpath.basename(path).lower() and len(text) < 300:
        return "cover"
    return ""


def _page_kinds(tree) -> set[str]:
    """The ``epub:type`` values of a page's body and its top-level sections."""
    kinds: set[str] = set()
    body = tree.find(".//body")
    for el in ([body] + [c for c in body if isinstance(c.tag, str)]) if body is not None else []:
        for name, value in el.attrib.items():
            if name.endswith("type") and name != "type":
                kinds.update(value.lower().split())
    return kinds


def prose(extracted: Extracted) -> Extracted:
    """A book's paragraphs as prose: translators join and split them, so an aligned pair may
    join two (as in plain text); headings, list items and table cells stay blocks of their own."""
    return replace(extracted, blocks=tuple(replace(b, kind="") if b.kind == "paragraph" else b for b in extracted.blocks))


def extract_epub(data: bytes, expanded_bytes: int = 256 * 1024 * 1024) -> Book:
    """The chapters of an EPUB in spine order, and the pages left out."""
    from .html import decode_page, page_blocks

    archive = open_epub(data, expanded_bytes)
    opf, base = _package(archive)
    manifest = _manifest(opf, base)
    spine = opf.find(f"{OPF}spine")
    if spine is None:
        raise InputError("not a readable EPUB (its package document has no spine)")
    titles = _nav_titles(archive, base, manifest, spine.get("toc"))
    guide = _guide(opf, base)
    chapters, removed = [], []
    for position, ref in enumerate(spine.iter(f"{OPF}itemref")):
        path, media, properties = manifest.get(ref.get("idref"), ("", "", ""))
        if not path or media not in _HTML_TYPES:
            continue
        tree = decode_page(_read(archive, path))
        text = " ".join(tree.text_content().split()) if tree is not None else ""
        reason = _left_out(_page_kinds(tree) | set(properties.split()) | {guide.get(path, "")}, path, text) \
            if tree is not None else "not readable XHTML"
        if reason:
            removed.append(Removed(path, text[:300], f"{reason} (left out of the book's text)"))
            continue
        extracted = _located(prose(page_blocks(tree, "epub")), path)
        if not extracted.blocks:
            continue
        if chapters and chapters[-1].title and path not in titles:
            chapters[-1] = chapters[-1].continued(extracted)  # a page of a split chapter
        else:
            chapters.append(Chapter(position, path, titles.get(path, ""), extracted))
    return Book(tuple(chapters), tuple(removed))
