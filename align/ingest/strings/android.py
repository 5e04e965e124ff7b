"""Android ``res/values*/strings.xml``: ``<string>``, ``<string-array>`` items (key
``NAME[0]``, ``NAME[1]``…) and ``<plurals>`` (one unit per quantity). Strings marked
``translatable="false"`` are left out; ``<xliff:g>`` (text not to translate) keeps its
content; other inline tags (``<b>``, ``<a href>``) stay in the text as written, and
Android's escapes and quoting are decoded (``\\'``, ``\\"``, ``\\n``, ``\\t``, ``\\uXXXX``,
white space collapsed outside double quotes)."""

from __future__ import annotations

import re
from types import MappingProxyType

from lxml import etree

from ...errors import InputError
from .units import StringFile, StringUnit, numbered
from .xmlsafe import local_name, parse_xml

_ESCAPES = MappingProxyType({"n": "\n", "t": "\t", "'": "'", '"': '"', "\\": "\\", "@": "@", "?": "?"})


def decode_android(raw: str) -> str:
    """An Android resource string as the app shows it.

    >>> decode_android("Don\\\\'t  stop\\\\nnow")
    "Don't stop\\nnow"
    >>> decode_android('"  kept  spaces "')
    '  kept  spaces '
    """
    out, quoted, was_quoted, k = [], False, False, 0
    while k < len(raw):
        ch = raw[k]
        if ch == "\\" and k + 1 < len(raw):
            nxt = raw[k + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", raw[k + 2:k + 6]):
                out.append(chr(int(raw[k + 2:k + 6], 16)))
                k += 6
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            k += 2
            continue
        if ch == '"':
            quoted, was_quoted = not quoted, True
        elif ch in " \t\r\n" and not quoted:
            if not out or out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
        k += 1
    text = "".join(out)
    return text if was_quoted else text.strip(" ")


def _inner(element) -> str:
    """An element's content as written: ``<xliff:g>`` reduced to its content, other tags kept."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction inside the string
            parts.append(child.tail or "")
            continue
        name = local_name(child)
        if name == "g":
            parts.append(_inner(child))
        else:
            attrs = "".join(f' {etree.QName(k).localname}="{v}"' for k, v in child.attrib.items())
            parts.append(f"<{name}{attrs}>{_inner(child)}</{name}>" if len(child) or child.text else f"<{name}{attrs}/>")
        parts.append(child.tail or "")
    return "".join(parts)


def _entries(element, note: str) -> list[StringUnit]:
    name = element.get("name") or ""
    if element.get("translatable") == "false" or not name:
        return []
    product = element.get("product")
    key = f"{name}#{product}" if product and product != "default" else name
    kind = local_name(element)
    if kind == "string":
        return [StringUnit(key, decode_android(_inner(element)), note)]
    items = [c for c in element if isinstance(c.tag, str) and local_name(c) == "item"]
    if kind == "string-array":
        return [StringUnit(f"{key}[{n}]", decode_android(_inner(c)), note) for n, c in enumerate(items)]
    if kind == "plurals":
        return [StringUnit(key, decode_android(_inner(c)), note, plural=c.get("quantity") or "other") for c in items]
    return []


def read_android(data: bytes, path: str) -> StringFile:
    root = parse_xml(data, "Android resource")
    if local_name(root) != "resources":
        raise InputError("not an Android resource file (no <resources> root)")
    units, note = [], ""
    for element in root:
        if isinstance(element, etree._Comment):
            note = (element.text or "").strip()
            continue
        if isinstance(element.tag, str):
            units += _entries(element, note)
            note = ""
    return StringFile(path, "android", numbered(units))
