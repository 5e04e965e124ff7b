"""Choosing a reader: by ``--input-format``, else by extension, else by sniffing the content."""

from __future__ import annotations

import re
from types import MappingProxyType

from ..errors import ConfigurationError
from .extracted import Extracted
from ..io.decode import decode_bytes
from .text import extract_text

INPUT_FORMATS = ("text", "html", "markdown", "docx", "pdf", "srt", "vtt", "ass", "epub")
BY_EXTENSION = MappingProxyType({
    ".txt": "text", ".text": "text", "": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".docx": "docx", ".pdf": "pdf", ".srt": "srt", ".vtt": "vtt",
    ".ass": "ass", ".ssa": "ass", ".epub": "epub",
})
SUBTITLES = ("srt", "vtt", "ass")


def format_of(path, data: bytes) -> str:
    """The format of a file: its extension, else what its first bytes say."""
    head = data[:2048].lstrip()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    if data.startswith(b"PK\x03\x04") and b"application/epub+zip" in data[:200]:
        return "epub"
    known = BY_EXTENSION.get(path.suffix.lower())
    if known in SUBTITLES:  # a subtitle file named for another subtitle format (a .vtt saved as .srt) is read as it is
        return subtitle_format(head) or known
    if known:
        return known
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "html"
    return subtitle_format(head) or "text"


def subtitle_format(head: bytes) -> str | None:
    r"""The subtitle format the first bytes of a file show (a byte-order mark aside), or None.

    >>> subtitle_format(b"WEBVTT\n\n"), subtitle_format(b"[Script Info]\n"), subtitle_format(b"hi")
    ('vtt', 'ass', None)
    >>> subtitle_format(b"\xef\xbb\xbf1\r\n00:00:01,000 --> 00:00:02,000\r\n")
    'srt'
    """
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"WEBVTT"):
        return "vtt"
    if head.startswith(b"[Script Info]"):
        return "ass"
    if re.match(rb"\d+\s*\r?\n\d\d:\d\d:\d\d,\d{3} --> ", head):
        return "srt"
    return None


def extract(data: bytes, fmt: str, expanded_bytes: int = 256 * 1024 * 1024) -> tuple[Extracted, str]:
    """The extracted text of a file in format ``fmt``, and the encoding it was read in; a
    .docx may inflate to ``expanded_bytes`` at most."""
    if fmt not in INPUT_FORMATS or fmt == "epub":  # an EPUB is a book of documents: ingest.read_documents
        raise ConfigurationError(f"unknown input format {fmt!r}: use {', '.join(INPUT_FORMATS)}")
    if fmt == "docx":
        from .office import extract_docx

        return extract_docx(data, expanded_bytes), "docx"
    if fmt == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(data), "pdf"
    text, encoding = decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "html":
        from .html import extract_html

        return extract_html(text), encoding
    if fmt == "markdown":
        from .markdown import extract_markdown

        return extract_markdown(text), encoding
    if fmt in ("srt", "vtt", "ass"):
        from .subtitles import extract_ass, extract_srt, extract_vtt

        return {"srt": extract_srt, "vtt": extract_vtt, "ass": extract_ass}[fmt](text), encoding
    return extract_text(text), encoding
