"""Note references and back-links in a book's pages: the ``1`` of ``<a epub:type="noteref">1</a>``
and the ``↩`` that leads back from the note are marks, not text. Left in, ``blowing.1`` ends an
English sentence and ``1我们`` opens the next Chinese one. The notes themselves are text, and
stay where the page has them."""

from __future__ import annotations

import re

from .extracted import Removed

_NOTE_TYPES = frozenset({"noteref", "backlink", "doc-noteref", "doc-backlink"})
_NOTE_CLASSES = re.compile(r"(?i)^(?:footnote-ref|footnote-reference|footnote-back|footnote-backref|noteref|"
                           r"fnref|footnote-link|backlink)$")
_MARK_TEXT = re.compile(r"^\[?(?:\d{1,3}|[*†‡§¶a-z]|[ivx]{1,4})\]?$")
_ARROWS = re.compile(r"^[↩↑^\ufe0e\ufe0f]+$")


def _is_note_mark(el) -> bool:
    """An element that is a note reference or a back-link: by its ``epub:type`` or ``role``,
    by a class converters give it (pandoc, Sphinx), or a superscript whose only text is a mark
    (``1``, ``[2]``, ``*``) that links inside the book, or a link whose text is an arrow
    (``↩``). A plain link with a number (``Figure <a href="#f3">3</a>``) is text."""
    kinds = {v.lower() for name, value in el.attrib.items() if name.endswith("type") or name == "role"
             for v in value.split()}
    if kinds & _NOTE_TYPES or any(_NOTE_CLASSES.match(c) for c in (el.get("class") or "").split()):
        return True
    text = "".join(el.itertext()).strip()
    links = [el] if el.tag == "a" else list(el.iter("a"))
    if not any("#" in (a.get("href") or "") for a in links):
        return False
    superscript = el.tag == "sup" or el.find(".//sup") is not None
    return bool(_ARROWS.match(text)) if el.tag == "a" and not superscript else bool(_MARK_TEXT.match(text))


def drop_note_marks(tree) -> list[Removed]:
    """Take the note references and back-links out of a page (their tails stay), and say
    where they were.

    >>> from lxml import html
    >>> page = html.fromstring('<p>blowing.<a epub:type="noteref" href="#n1">1</a> We sat.<sup><a href="#n2">2</a></sup>'
    ...                        ' See Figure <a href="#f3">3</a>.<a href="#r1">↩︎</a></p>')
    >>> [r.text for r in drop_note_marks(page)], page.text_content()
    (['1', '2', '↩︎'], 'blowing. We sat. See Figure 3.')
    """
    root = tree.getroottree()
    marks = [el for el in tree.iter("a", "sup") if _is_note_mark(el)]
    removed = []
    for el in marks:
        if el.getparent() is None or any(a in marks for a in el.iterancestors()):
            continue
        removed.append(Removed(root.getpath(el), el.text_content(), "note reference or back-link"))
        el.drop_tree()
    return removed
