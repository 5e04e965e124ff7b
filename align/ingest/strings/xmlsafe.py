"""Parsing a string file's XML safely: no entities resolved, no network, no huge trees."""

from __future__ import annotations

from lxml import etree

from ...errors import InputError


def parse_xml(data: bytes, what: str):
    """The root element of ``data``, or an ``InputError`` naming ``what`` the file should be."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not a readable {what} file (broken XML: {exc})") from exc


def local_name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""
