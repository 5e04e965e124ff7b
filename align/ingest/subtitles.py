"""Subtitles (.srt with ``srt``, .vtt with ``webvtt-py``): each cue's lines, grouped by
language (a dual-language cue gives a Chinese and an English paragraph), located by cue
number and timing; styling tags are dropped."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from ..language import detect_language
from .extracted import Extracted, join_blocks

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


def _cue_pieces(lines: list[str], location: str):
    """Consecutive lines of one language form one paragraph."""
    groups: list[tuple[str, list[str]]] = []
    for line in (_TAGS.sub("", ln).strip() for ln in lines):
        if not line:
            continue
        lang = detect_language(line)
        if groups and groups[-1][0] == lang:
            groups[-1][1].append(line)
        else:
            groups.append((lang, [line]))
    for _lang, group in groups:
        yield "\n".join(group), location


def extract_srt(text: str) -> Extracted:
    import srt

    try:
        cues = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        raise InputError(f"not a readable SubRip file ({type(exc).__name__})") from exc
    pieces = []
    for cue in cues:
        where = f"cue {cue.index} {srt.timedelta_to_srt_timestamp(cue.start)} --> {srt.timedelta_to_srt_timestamp(cue.end)}"
        pieces.extend(_cue_pieces(cue.content.splitlines(), where))
    return join_blocks(pieces, "srt")


def extract_vtt(text: str) -> Extracted:
    import webvtt

    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as exc:  # webvtt raises its own parse errors
        raise InputError(f"not a readable WebVTT file ({type(exc).__name__})") from exc
    pieces = []
    for number, caption in enumerate(captions, 1):
        pieces.extend(_cue_pieces(caption.text.splitlines(), f"cue {number} {caption.start} --> {caption.end}"))
    return join_blocks(pieces, "vtt")
