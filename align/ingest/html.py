"""HTML: the main text by trafilatura, each paragraph located by its element path in the
page, and every text block of the page that was left out (menus, footers, share bars)
reported as removed."""

from __future__ import annotations

import re

from dataclasses import replace
from types import MappingProxyType

from .extracted import Extracted, Removed, flatten, join_blocks
from .notes import drop_note_marks

BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li td th dd dt blockquote pre figcaption caption a span div".split())
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SCAN = 5000  # how far ahead an extracted paragraph is looked for among the page's blocks


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _page_blocks(tree) -> list[tuple[str, str, str]]:
    """``(squeezed text, element path, text)`` of every element that holds text of its own,
    in document order (scripts and styles aside)."""
    root = tree.getroottree()
    out = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "template", "head", "title"):
            continue
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        if el.tag in BLOCK_TAGS and own.strip():
            text = flatten(el.text_content())
            out.append((_squeeze(text), root.getpath(el), text))
    return out


_KINDS = MappingProxyType({"head": "heading", "item": "list_item", "cell": "table_cell"})
_CONTAINERS = frozenset({"p", "item", "cell", "head", "quote"})
_FRAGMENT_KINDS = MappingProxyType({**{f"h{n}": "heading" for n in range(1, 7)}, "li": "list_item", "td": "table_cell", "th": "table_cell",
                   **dict.fromkeys(("p", "blockquote", "dd", "dt", "figcaption", "caption"), "paragraph")})
_WHOLE_PAGE = re.compile(r"<(?:html|body)\b", re.I)


def _main_paragraphs(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The main text's paragraphs (text, block kind) by trafilatura, and its code blocks."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(html, output_format="xml", include_comments=False, include_tables=True,
                              include_images=False, include_links=False, include_formatting=False,
                              deduplicate=False, favor_precision=True)
    if not xml:
        return [], []
    root = etree.fromstring(xml.encode("utf-8"))
    body = root.find("main") if root.find("main") is not None else root
    paragraphs, code = [], []
    for el in body.iter():
        inside = any(a.tag in _CONTAINERS for a in el.iterancestors())
        if el.tag == "code" and not inside:
            code.append("".join(el.itertext()))  # a code block (<pre>), not a paragraph
        elif el.tag in _CONTAINERS and not inside and not any(c.tag in ("p", "item", "cell", "list", "table") for c in el):
            paragraphs.append((flatten("".join(el.itertext())), _KINDS.get(el.tag, "paragraph")))
    return paragraphs, code


def locate(paragraphs: list[str], page: list[tuple[str, str, str]]) -> tuple[list[str], set[int]]:
    """The element path of each paragraph (searched forward in page order) and the page
    blocks used."""
    paths, used, at = [], set(), 0
    for n, para in enumerate(paragraphs):
        key, found = _squeeze(para), None
        for k in range(at, min(len(page), at + _SCAN)):
            if page[k][0] == key or (key and key in page[k][0] and len(page[k][0]) < 2 * len(key) + 20):
                found = k
                break
        if found is None:
            paths.append(f"paragraph {n}")
            continue
        paths.append(page[found][1])
        used.add(found)
        at = found + 1
    return paths, used


def _has_blocks(el) -> bool:
    return any(isinstance(d.tag, str) and (d.tag in _FRAGMENT_KINDS or d.tag in ("pre", "div", "ul", "ol", "table"))
               for d in el.iterdescendants())


FURNITURE = "not main text (navigation, header, footer or sidebar)"
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
_FURNITURE_NAMES = re.compile(r"^(?:nav|navbar|navigation|menu|sidebar|side-bar|breadcrumbs?|toc-sidebar|site-(?:nav|header|footer|menu)"
                              r"|page-(?:header|footer)|footer|header|masthead|toolbar|share|social|cookie[\w-]*|skip-link)$", re.I)


def _is_furniture(el) -> bool:
    """A page's navigation, banner, footer or sidebar: ``<nav>``, ``<aside>``, ``<menu>``,
    ``<form>``, a ``<header>`` or ``<footer>`` outside an article, a landmark role, or a class
    or id that names one (``sidebar``, ``breadcrumb``, ``site-footer``)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("nav", "aside", "menu", "form"):
        return True
    if tag in ("header", "footer") and not any(a.tag in ("article", "main", "section") for a in el.iterancestors()):
        return True
    if (el.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    names = (el.get("class") or "").split() + (el.get("id") or "").split()
    return any(_FURNITURE_NAMES.match(name) for name in names)


def _fragment_blocks(el, out: list, removed: list, root, kind: str = "paragraph", furniture: bool = False) -> None:
    """Paragraphs of an HTML fragment (no ``<html>``/``<body>``: a template page), or of a
    whole page read whole, in document order: each block element's text with its inline
    elements (``<code>``, ``<a>``, ``<i>``, ``<span>``) inside it, and loose text between
    blocks as a paragraph of its own; ``<pre>`` is code and left out, and with ``furniture``
    so are navigation, headers, footers and sidebars (``_is_furniture``)."""
    run: list[str] = [el.text or ""]

    def flush() -> None:
        text = flatten("".join(run))
        if text:
            out.append((text, root.getpath(el), kind))
        run.clear()

    for child in el:
        if not isinstance(child.tag, str) or child.tag in ("script", "style", "noscript", "template"):
            run.append(child.tail or "")
            continue
        if furniture and _is_furniture(child):
            flush()
            left_out = flatten("\n".join(child.itertext()))
            if left_out:
                removed.append(Removed(root.getpath(child), left_out, FURNITURE))
            run.append(child.tail or "")
            continue
        block = child.tag in _FRAGMENT_KINDS or child.tag in ("pre", "div", "ul", "ol", "table", "tr", "thead",
                                                              "tbody", "section", "article", "main", "dl")
        if not block and not _has_blocks(child):
            run.append(child.text_content() + (child.tail or ""))
            continue
        flush()
        if child.tag == "pre":
            removed.append(Removed(root.getpath(child), child.text_content(), "code block"))
        else:
            _fragment_blocks(child, out, removed, root, _FRAGMENT_KINDS.get(child.tag, kind), furniture)
        run.append(child.tail or "")
    flush()


def extract_fragment(text: str) -> Extracted:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fragment_fromstring(text, create_parent="div")
    except Exception:  # lxml raises several types on broken markup
        return Extracted("", (), "html")
    pieces, removed = [], []
    _fragment_blocks(tree, pieces, removed, tree.getroottree())
    return _with_code(join_blocks(pieces, "html", removed), tree)


_STRUCTURED = re.compile(r"^(?:(?:Article|Section|Clause|Rule|Chapter|Part)\s+[\dIVXLC]+\b|§\s*\d|第[一二三四五六七八九十百千零〇两\d]+[条章节款编]"
                         r"|\d+(?:\.\d+)+\.?\s)")
KEEP_SHARE = 0.75  # main-text extraction that keeps less of a page's text than this is not trusted


def _structured(pieces) -> bool:
    """A legal text or a specification: three or more blocks open with an article or section
    number (``Article 3``, ``第十二条``, ``4.2.1``)."""
    return sum(1 for p in pieces if _STRUCTURED.match(p[0])) >= 3


def _whole_page(tree) -> tuple[list, list]:
    """Every block of a page's body in document order, less its navigation, headers,
    footers, sidebars and code (``_fragment_blocks`` with ``furniture``)."""
    body = tree.find(".//body")
    pieces: list = []
    removed: list = []
    _fragment_blocks(body if body is not None else tree, pieces, removed, tree.getroottree(), furniture=True)
    return pieces, removed


def read_whole(main: list[str], whole: list) -> bool:
    """Whether a page is read whole rather than through main-text extraction: the extraction
    kept less than ``KEEP_SHARE`` of the text outside the page's navigation, headers, footers
    and sidebars, or the page is structured (a law, a specification) and the extraction left
    out a block of it.

    >>> read_whole(["Article 1 Scope."], [("Article 1 Scope.",), ("Article 2 Terms of the grant.",)])
    True
    >>> read_whole(["A long story of a street."], [("A long story of a street.",), ("Share",)])
    False
    """
    kept = sum(len(_squeeze(p)) for p in main)
    total = sum(len(_squeeze(p[0])) for p in whole)
    if total and kept < KEEP_SHARE * total:
        return True
    if not _structured(whole):
        return False
    main_text = {_squeeze(p) for p in main}
    return any(_squeeze(p[0]) not in main_text for p in whole if _STRUCTURED.match(p[0]))


def decode_page(data: bytes):
    """An XHTML page (an EPUB's: UTF-8, or UTF-16 with a byte-order mark) as an lxml tree;
    None when it holds no markup lxml can read."""
    from lxml import etree
    from lxml import html as lxml_html

    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    text = _XML_DECLARATION.sub("", data.decode(encoding, errors="replace"))
    try:
        return lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


_INLINE_CODE = ("code", "kbd", "samp", "tt", "var")


def inline_code(tree) -> tuple[str, ...]:
    """The texts of a page's inline code elements (``<code>``, ``<kbd>``, ``<samp>``, ``<tt>``,
    ``<var>`` outside ``<pre>``), flattened as paragraphs are, longest first: the names a
    fixer must not touch (``println!`` is not Chinese ``！``).

    >>> from lxml import html
    >>> inline_code(html.fromstring("<p>调用 <code>dbg!</code> 宏</p><pre><code>x = 1;</code></pre>"))
    ('dbg!',)
    """
    found = {flatten(el.text_content()) for el in tree.iter(*_INLINE_CODE)
             if not any(a.tag == "pre" for a in el.iterancestors())}
    return tuple(sorted((c for c in found if c), key=lambda c: (-len(c), c)))


def _with_code(extracted: Extracted, tree) -> Extracted:
    return replace(extracted, inline_code=inline_code(tree)) if tree is not None else extracted


def page_blocks(tree, fmt: str = "html") -> Extracted:
    """The paragraphs of a whole page's ``<body>`` by its block elements (as a fragment's),
    located by their element path in the page, with its inline code; a book page's note
    references and back-links are left out (``notes.drop_note_marks``)."""
    body = tree.find(".//body")
    if body is None:
        return Extracted("", (), fmt)
    pieces, removed = [], drop_note_marks(body) if fmt == "epub" else []
    _fragment_blocks(body, pieces, removed, tree.getroottree())
    return _with_code(join_blocks(pieces, fmt, removed), tree)


def extract_html(text: str) -> Extracted:
    """A whole page through trafilatura (boilerplate reported as removed), or read whole
    less its furniture where trafilatura would lose the body (``read_whole``); a fragment
    (a template page with no ``<html>`` or ``<body>``) through its block elements."""
    from lxml import html as lxml_html

    text = _XML_DECLARATION.sub("", text)
    if not _WHOLE_PAGE.search(text[:100_000]):
        return extract_fragment(text)
    found, code = _main_paragraphs(text)
    paragraphs = [p for p, _ in found]
    try:
        tree = lxml_html.fromstring(text)
    except Exception:  # lxml raises several types on broken markup; the page text is then unlocated
        tree = None
    if tree is not None:
        whole, whole_removed = _whole_page(tree)
        if whole and read_whole(paragraphs, whole):
            return _with_code(join_blocks(whole, "html", whole_removed), tree)
    page = _page_blocks(tree) if tree is not None else []
    return _with_code(join_blocks(*_located_main(found, code, page)), tree)


def _located_main(found, code, page) -> tuple[list, str, list]:
    """trafilatura's paragraphs located in the page, and the page's other blocks as removed."""
    paragraphs = [p for p, _ in found]
    paths, used = locate(paragraphs, page)
    kept = {_squeeze(p) for p in paragraphs + code}
    removed, seen = [], set()
    for k, (key, path, block_text) in enumerate(page):
        if k in used or not key or key in kept or any(key in p for p in kept if len(key) < len(p)):
            continue
        if any(path.startswith(s + "/") for s in seen):
            continue  # inside a block already reported
        seen.add(path)
        removed.append(Removed(path, block_text, FURNITURE))
    removed += [Removed("pre", block, "code block") for block in code]
    return [(p, path, kind) for (p, kind), path in zip(found, paths)], "html", removed
