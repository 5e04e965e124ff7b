"""TMX 1.4b writer and reader (lxml). One ``<tu>`` per pair, scores and provenance as ``<prop>``.

Reading keeps what a writer needs to give a file back as it came: the header's attributes
and props, each unit's props in order and the language tag of each side (``zh-CN``,
``en-US``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from .. import __version__
from ..errors import InputError
from .atomic import atomic_writer
from .xmlsafe import xml_safe

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


@dataclass(frozen=True)
class TranslationUnit:
    tuid: str
    zh: str
    en: str
    props: tuple[tuple[str, str], ...] = ()
    zh_lang: str = "zh"
    en_lang: str = "en"


@dataclass(frozen=True)
class TmxHeader:
    srclang: str = "zh"
    props: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TmxFile:
    header: TmxHeader
    units: tuple[TranslationUnit, ...]
    other_units: int = 0  # units without both a Chinese and an English variant


def _prop(parent, ptype: str, value: str) -> int:
    value, dropped = xml_safe(value)
    etree.SubElement(parent, "prop", type=ptype).text = value
    return dropped


def tmx_units(units: Iterable[TranslationUnit]) -> tuple[bytes, int]:
    """The ``<tu>`` elements of ``units`` as they stand in a file's body (any run of units can
    be rendered apart, by any worker, and the pieces joined); and the characters dropped."""
    parts, dropped = [], 0
    for unit in units:
        tu = etree.Element("tu", tuid=unit.tuid)
        dropped += sum(_prop(tu, ptype, value) for ptype, value in unit.props)
        for lang, text in ((unit.zh_lang, unit.zh), (unit.en_lang, unit.en)):
            text, n = xml_safe(text)
            dropped += n
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
        etree.indent(tu, space="  ", level=2)
        parts.append(b"    " + etree.tostring(tu, encoding="UTF-8") + b"\n")
    return b"".join(parts), dropped


def tmx_frame(header_props: Iterable[tuple[str, str]] = (), srclang: str = "zh") -> tuple[bytes, bytes, int]:
    """What comes before the units of a TMX 1.4b file and after them, and the characters dropped."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root, "header",
        creationtool="align", creationtoolversion=__version__, segtype="sentence",
        **{"o-tmf": "align"}, adminlang="en", srclang=srclang, datatype="plaintext",
    )
    dropped = sum(_prop(header, ptype, value) for ptype, value in header_props)
    etree.SubElement(root, "body")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)
    head, empty_body, tail = data.rpartition(b"  <body/>\n")
    return head + b"  <body>\n", b"  </body>\n" + tail, dropped


def join_tmx(head: bytes, unit_parts: Iterable[bytes], tail: bytes) -> Iterable[bytes]:
    """The pieces of a TMX file in order (an empty body is written ``<body/>``)."""
    parts = [p for p in unit_parts if p]
    if not parts:
        return [head[: -len(b"  <body>\n")] + b"  <body/>\n" + tail[len(b"  </body>\n"):]]
    return [head, *parts, tail]


def build_tmx(units: Iterable[TranslationUnit], header_props: Iterable[tuple[str, str]] = (),
              srclang: str = "zh") -> tuple[bytes, int]:
    """Serialize units into TMX 1.4b bytes; return them and the number of characters dropped
    because XML 1.0 cannot hold them."""
    head, tail, dropped = tmx_frame(header_props, srclang)
    body, body_dropped = tmx_units(units)
    return b"".join(join_tmx(head, [body], tail)), dropped + body_dropped


def write_tmx(path: str | os.PathLike, units: Iterable[TranslationUnit],
              header_props: Iterable[tuple[str, str]] = (), srclang: str = "zh") -> int:
    data, dropped = build_tmx(units, header_props, srclang)
    with atomic_writer(path, "wb") as handle:
        handle.write(data)
    return dropped


def _variants(tu) -> dict[str, tuple[str, str]]:
    """``{base language: (tag as written, text)}``; the first variant of a language wins."""
    found: dict[str, tuple[str, str]] = {}
    for tuv in tu.findall("tuv"):
        tag = tuv.get(XML_LANG) or tuv.get("lang") or ""
        seg = tuv.find("seg")
        if seg is not None:
            found.setdefault(tag.lower().split("-")[0].split("_")[0], (tag, "".join(seg.itertext())))
    return found


def read_tmx_file(path: str | os.PathLike) -> TmxFile:
    """Read the zh/en pairs of any TMX file (language tags like ``zh-CN`` and ``en-US`` kept)."""
    from .streams import read_input

    data = read_input(path)
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable TMX file ({exc})") from exc
    header = tree.find("header")
    header_record = TmxHeader(
        srclang=(header.get("srclang") if header is not None else None) or "zh",
        props=tuple((p.get("type", ""), p.text or "") for p in header.findall("prop")) if header is not None else (),
    )
    units, other = [], 0
    for number, tu in enumerate(tree.iter("tu")):
        variants = _variants(tu)
        if "zh" not in variants or "en" not in variants:
            other += 1
            continue
        props = tuple((p.get("type", ""), p.text or "") for p in tu.findall("prop"))
        (zh_tag, zh), (en_tag, en) = variants["zh"], variants["en"]
        units.append(TranslationUnit(tu.get("tuid") or str(number), zh, en, props, zh_tag, en_tag))
    return TmxFile(header_record, tuple(units), other)


def read_tmx(path: str | os.PathLike) -> list[TranslationUnit]:
    return list(read_tmx_file(path).units)
