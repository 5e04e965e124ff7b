"""XLIFF 1.2 inline elements as TMX 1.4b ones: the text a translator reads, and the markup a
TMX segment holds so that a CAT tool gets the tags back.

``<g>`` (a paired tag around text) becomes ``<bpt>``/``<ept>`` around the text, ``<x/>``
(a placeholder) a ``<ph>``, ``<bx/>``/``<ex/>`` an ``<it>``, ``<mrk>`` a ``<hi>``; XLIFF's
own ``<bpt>``, ``<ept>``, ``<ph>`` and ``<it>`` keep their native code. The text leaves the
codes out (``Click <g id="1">Save</g>`` reads ``Click Save``).
"""

from __future__ import annotations

from lxml import etree

from .tmx import append_text

_CODES = ("bpt", "ept", "ph", "it")


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _native(element) -> str:
    """An XLIFF inline element written as the native code a TMX code element holds."""
    attrs = "".join(f' {k}="{v}"' for k, v in element.attrib.items())
    return f"<{_local(element.tag)}{attrs}/>"


def _convert(source, target, counter: list[int]) -> list[str]:
    """Append to ``target`` (a TMX element) the TMX form of ``source``'s content; return its text."""
    text = [source.text or ""]
    append_text(target, source.text)
    for child in source:
        name = _local(child.tag)
        counter[0] += 1
        if name == "g":
            number = str(counter[0])
            etree.SubElement(target, "bpt", i=number).text = _native(child).replace("/>", ">")
            text += _convert(child, target, counter)
            etree.SubElement(target, "ept", i=number).text = f"</{name}>"
        elif name == "mrk":
            hi = etree.SubElement(target, "hi")
            text += _convert(child, hi, counter)
        elif name == "x":
            etree.SubElement(target, "ph", x=str(counter[0])).text = _native(child)
        elif name in ("bx", "ex"):
            etree.SubElement(target, "it", pos="begin" if name == "bx" else "end").text = _native(child)
        elif name in _CODES:
            code = etree.SubElement(target, name)
            for key in ("i", "x", "pos", "type"):
                value = child.get(key) or (child.get("id") if key in ("i", "x") and name != "it" else None)
                if value and (key != "i" or name in ("bpt", "ept")) and (key != "x" or name in ("ph", "bpt", "it")):
                    code.set(key, value)
            if name == "it" and not code.get("pos"):
                code.set("pos", "begin")
            code.text = "".join(child.itertext())
        append_text(target, child.tail)
        text.append(child.tail or "")
    return text


def inline_segment(element) -> tuple[str, str]:
    """The text of an XLIFF ``<source>`` or ``<target>`` and, when it has inline elements, the
    content of the TMX ``<seg>`` that keeps them ("" otherwise).

    >>> xml = '<source xmlns="urn:oasis:names:tc:xliff:document:1.2">Click <g id="1">Save</g>, <x id="2"/>.</source>'
    >>> inline_segment(etree.fromstring(xml))
    ('Click Save, .', 'Click <bpt i="1">&lt;g id="1"&gt;</bpt>Save<ept i="1">&lt;/g&gt;</ept>, <ph x="2">&lt;x id="2"/&gt;</ph>.')
    """
    if len(element) == 0:
        return element.text or "", ""
    seg = etree.Element("seg")
    text = "".join(_convert(element, seg, [0]))
    inner = etree.tostring(seg, encoding="unicode")
    return text, inner[inner.index(">") + 1: inner.rindex("<")]
