"""TMX 1.4b writer and reader (lxml). One ``<tu>`` per pair, scores and provenance as ``<prop>``.

Reading keeps what a writer needs to give a file back as it came: the header's ``srclang``,
``datatype`` and props, each unit's props in order, the language tag of each side
(``zh-CN``, ``en-US``) and the inline markup of each segment (``<bpt>``, ``<ept>``, ``<ph>``,
``<it>``, ``<hi>``), written back as elements. A segment's *text*, which the signals and the
rules see, leaves out the native codes those elements hold (``<bpt>&lt;b&gt;</bpt>``).
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
    zh_markup: str = ""  # the segment's content as XML, where it holds inline elements
    en_markup: str = ""
    segtype: str = ""  # the unit's own segtype ("block": more than one sentence), where not the header's


@dataclass(frozen=True)
class TmxHeader:
    srclang: str = "zh"
    props: tuple[tuple[str, str], ...] = ()
    datatype: str = "plaintext"


NATIVE_CODES = frozenset({"bpt", "ept", "ph", "it"})  # inline elements whose content is markup, not text


def append_text(element, text: str | None) -> None:
    """Add ``text`` after the last child of ``element`` (as its tail), or as its text when it
    has none: how text between inline elements is put into a segment being built."""
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def segment_text(seg) -> str:
    """The text of a ``<seg>``: what a translator reads, without the native codes of its
    inline elements (the text of ``<hi>`` and ``<sub>`` is kept).

    >>> segment_text(etree.fromstring('<seg>A <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> {0}<ph>{0}</ph></seg>'))
    'A bold {0}'
    """
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in NATIVE_CODES and isinstance(child.tag, str):
            parts.append(segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def segment_markup(seg) -> str:
    """The content of a ``<seg>`` as XML when it has inline elements, else ``""``."""
    if len(seg) == 0:
        return ""
    inner = etree.tostring(seg, encoding="unicode", with_tail=False)
    return inner[inner.index(">") + 1 : inner.rindex("<")]


def markup_text(markup: str) -> str:
    """The text of a segment's inline markup, as ``segment_text`` reads it.

    >>> markup_text('Press <ph x="1">{0}</ph> to <bpt i="1">&lt;b&gt;</bpt>save<ept i="1">&lt;/b&gt;</ept>.')
    'Press  to save.'
    """
    return segment_text(etree.fromstring(f"<seg>{markup}</seg>"))


def _segment(tuv, text: str, markup: str) -> int:
    """Append the ``<seg>`` of ``text`` (or of its inline ``markup``) to ``tuv``; the characters dropped."""
    if markup:
        tuv.append(etree.fromstring(f"<seg>{markup}</seg>"))
        return 0
    text, dropped = xml_safe(text)
    etree.SubElement(tuv, "seg").text = text
    return dropped


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
        tu = etree.Element("tu", tuid=unit.tuid, **({"segtype": unit.segtype} if unit.segtype else {}))
        dropped += sum(_prop(tu, ptype, value) for ptype, value in unit.props)
        for lang, text, markup in ((unit.zh_lang, unit.zh, unit.zh_markup), (unit.en_lang, unit.en, unit.en_markup)):
            dropped += _segment(etree.SubElement(tu, "tuv", {XML_LANG: lang}), text, markup)
        etree.indent(tu, space="  ", level=2)
        parts.append(b"    " + etree.tostring(tu, encoding="UTF-8") + b"\n")
    return b"".join(parts), dropped


def tmx_frame(header_props: Iterable[tuple[str, str]] = (), srclang: str = "zh",
              datatype: str = "plaintext") -> tuple[bytes, bytes, int]:
    """What comes before the units of a TMX 1.4b file and after them, and the characters dropped."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root, "header",
        creationtool="align", creationtoolversion=__version__, segtype="sentence",
        **{"o-tmf": "align"}, adminlang="en", srclang=srclang, datatype=datatype,
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
              srclang: str = "zh", datatype: str = "plaintext") -> tuple[bytes, int]:
    """Serialize units into TMX 1.4b bytes; return them and the number of characters dropped
    because XML 1.0 cannot hold them."""
    head, tail, dropped = tmx_frame(header_props, srclang, datatype)
    body, body_dropped = tmx_units(units)
    return b"".join(join_tmx(head, [body], tail)), dropped + body_dropped


def write_tmx(path: str | os.PathLike, units: Iterable[TranslationUnit],
              header_props: Iterable[tuple[str, str]] = (), srclang: str = "zh", datatype: str = "plaintext") -> int:
    data, dropped = build_tmx(units, header_props, srclang, datatype)
    with atomic_writer(path, "wb") as handle:
        handle.write(data)
    return dropped


def _variants(tu) -> dict[str, tuple[str, str, str]]:
    """``{base language: (tag as written, text, markup)}``; the first variant of a language wins."""
    found: dict[str, tuple[str, str, str]] = {}
    for tuv in tu.findall("tuv"):
        tag = tuv.get(XML_LANG) or tuv.get("lang") or ""
        seg = tuv.find("seg")
        if seg is not None:
            found.setdefault(tag.lower().split("-")[0].split("_")[0], (tag, segment_text(seg), segment_markup(seg)))
    return found


def _resolve_entities(tree, path) -> None:
    """Put the character of each HTML entity a file uses without defining it (``&nbsp;``, which
    lxml keeps as a reference when the file names a DTD) in its place; any other undefined
    entity is an ``InputError``."""
    import html.entities

    for node in list(tree.iter(etree.Entity)):
        char = html.entities.html5.get(f"{node.name};")
        if char is None:
            raise InputError(f"{path}: not a readable TMX file (entity {node.text} on line {node.sourceline} is not defined)")
        text = char + (node.tail or "")
        previous, parent = node.getprevious(), node.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(node)


def read_tmx_file(path: str | os.PathLike) -> TmxFile:
    """Read the zh/en pairs of any TMX file (language tags like ``zh-CN`` and ``en-US`` kept)."""
    from .streams import read_input

    data = read_input(path)
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable TMX file ({exc})") from exc
    _resolve_entities(tree, path)
    header = tree.find("header")
    header_record = TmxHeader(
        srclang=(header.get("srclang") if header is not None else None) or "zh",
        props=tuple((p.get("type", ""), p.text or "") for p in header.findall("prop")) if header is not None else (),
        datatype=(header.get("datatype") if header is not None else None) or "plaintext",
    )
    units, other = [], 0
    for number, tu in enumerate(tree.iter("tu")):
        variants = _variants(tu)
        if "zh" not in variants or "en" not in variants:
            other += 1
            continue
        props = tuple((p.get("type", ""), p.text or "") for p in tu.findall("prop"))
        (zh_tag, zh, zh_markup), (en_tag, en, en_markup) = variants["zh"], variants["en"]
        units.append(TranslationUnit(tu.get("tuid") or str(number), zh, en, props, zh_tag, en_tag, zh_markup, en_markup))
    return TmxFile(header_record, tuple(units), other)


def read_tmx(path: str | os.PathLike) -> list[TranslationUnit]:
    return list(read_tmx_file(path).units)
