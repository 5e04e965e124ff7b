"""TMX 1.4b writer and reader (lxml). One ``<tu>`` per pair, scores and provenance as ``<prop>``."""

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


def build_tmx(units: Iterable[TranslationUnit], header_props: Iterable[tuple[str, str]] = (),
              srclang: str = "zh") -> tuple[bytes, int]:
    """Serialize units into TMX 1.4b bytes; return them and the number of characters dropped
    because XML 1.0 cannot hold them."""
    dropped = 0
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root, "header",
        creationtool="align", creationtoolversion=__version__, segtype="sentence",
        **{"o-tmf": "align"}, adminlang="en", srclang=srclang, datatype="plaintext",
    )
    for ptype, value in header_props:
        value, n = xml_safe(value)
        dropped += n
        etree.SubElement(header, "prop", type=ptype).text = value
    body = etree.SubElement(root, "body")
    for unit in units:
        tu = etree.SubElement(body, "tu", tuid=unit.tuid)
        for ptype, value in unit.props:
            value, n = xml_safe(value)
            dropped += n
            etree.SubElement(tu, "prop", type=ptype).text = value
        for lang, text in (("zh", unit.zh), ("en", unit.en)):
            text, n = xml_safe(text)
            dropped += n
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)
    return data, dropped


def write_tmx(path: str | os.PathLike, units: Iterable[TranslationUnit],
              header_props: Iterable[tuple[str, str]] = ()) -> int:
    data, dropped = build_tmx(units, header_props)
    with atomic_writer(path, "wb") as handle:
        handle.write(data)
    return dropped


def read_tmx(path: str | os.PathLike) -> list[TranslationUnit]:
    """Read the zh/en pairs of any TMX file (language codes like ``zh-CN`` and ``en-US`` accepted)."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable TMX file ({exc})") from exc
    units = []
    for number, tu in enumerate(tree.iter("tu")):
        texts: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().split("-")[0]
            seg = tuv.find("seg")
            if seg is not None:
                texts[lang] = "".join(seg.itertext())
        if "zh" in texts and "en" in texts:
            props = tuple((p.get("type", ""), p.text or "") for p in tu.findall("prop"))
            units.append(TranslationUnit(tu.get("tuid") or str(number), texts["zh"], texts["en"], props))
    return units
