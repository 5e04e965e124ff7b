"""HTML: the main text by trafilatura, each paragraph located by its element path in the
page, and every text block of the page that was left out (menus, footers, share bars)
reported as removed."""

from __future__ import annotations

import re

from .extracted import Extracted, Removed, flatten, join_blocks

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


def _main_paragraphs(html: str) -> list[str]:
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(html, output_format="xml", include_comments=False, include_tables=True,
                              include_images=False, include_links=False, include_formatting=False,
                              deduplicate=False, favor_precision=True)
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    body = root.find("main") if root.find("main") is not None else root
    leaves = [el for el in body.iter() if el.tag in ("p", "head", "item", "cell", "quote", "code")
              and not any(child.tag in ("p", "item", "cell", "list", "table") for child in el)]
    return [flatten("".join(el.itertext())) for el in leaves]


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


def extract_html(text: str) -> Extracted:
    from lxml import html as lxml_html

    text = _XML_DECLARATION.sub("", text)
    paragraphs = _main_paragraphs(text)
    try:
        tree = lxml_html.fromstring(text)
    except Exception:  # lxml raises several types on broken markup; the page text is then unlocated
        tree = None
    page = _page_blocks(tree) if tree is not None else []
    paths, used = locate(paragraphs, page)
    kept = {_squeeze(p) for p in paragraphs}
    removed, seen = [], set()
    for k, (key, path, block_text) in enumerate(page):
        if k in used or not key or key in kept or any(key in p for p in kept if len(key) < len(p)):
            continue
        if any(path.startswith(s + "/") for s in seen):
            continue  # inside a block already reported
        seen.add(path)
        removed.append(Removed(path, block_text[:300], "not main text (navigation, header, footer or sidebar)"))
    return join_blocks(zip(paragraphs, paths), "html", removed)
