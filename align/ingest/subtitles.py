"""Subtitles (.srt with ``srt``, .vtt with ``webvtt-py``, .ass/.ssa with ``pysubs2``): each cue's lines, grouped by
language (a dual-language cue gives a Chinese and an English paragraph), located by cue
number and timing; styling tags are dropped.

Cues are read in time order (a file whose cues are stored out of order, as some editors
append them, is read as it is shown). Automatic captions (YouTube's) roll: each cue shows
the line of the cue before it again above its new line, and a cue of a few milliseconds
holds the line alone; in a file where most cues begin with the line the cue before ended
with, those repeated lines are left out (logged as removed), so each line is read once, in
the cue where it first appears. Of an ASS script, the dialogue events are the cues (override
tags dropped, ``\\N`` a line break); comments and drawings are left out (logged)."""

from __future__ import annotations

import io
import re
import warnings

from ..errors import InputError
from ..language import detect_language
from ..records import cue_time
from .extracted import Extracted, Removed, join_blocks

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.,]*>|\{\\[^}]*\}")
_ASS_BREAK = re.compile(r"\\[Nn]")  # a line break written the ASS way, left in converted files
REPEATED = "repeated line of a rolling caption"
BILINGUAL = 0.3  # a file whose pieces are this share Chinese and as much English is bilingual


def _lines(content: str) -> list[str]:
    """A cue's lines without styling tags, blank lines left out."""
    return [ln for ln in (_TAGS.sub("", raw).replace("\\h", " ").strip()
                          for raw in _ASS_BREAK.sub("\n", content).splitlines()) if ln]


def _cue_pieces(lines: list[str], location: str):
    """Consecutive lines of one language form one paragraph: ``(text, location, lang)``."""
    groups: list[tuple[str, list[str]]] = []
    for line in lines:
        lang = detect_language(line)
        if groups and groups[-1][0] == lang:
            groups[-1][1].append(line)
        else:
            groups.append((lang, [line]))
    for lang, group in groups:
        yield "\n".join(group), location, lang


def rolls(cues: list[tuple[str, list[str]]]) -> bool:
    """Whether captions roll: at least half of the cues after the first begin with the line
    the cue before ended with, and at least a quarter show a new line below it (a line said
    again and again, as in a song, is no rolling).

    >>> rolls([("1", ["a"]), ("2", ["a", "b"]), ("3", ["b", "c"])]), rolls([("1", ["a"]), ("2", ["a"]), ("3", ["a"])])
    (True, False)
    """
    repeats = [cur for (_, prev), (_, cur) in zip(cues, cues[1:]) if prev and cur and cur[0] == prev[-1]]
    rolled = sum(1 for lines in repeats if len(lines) > 1)
    return len(cues) > 1 and 2 * len(repeats) >= len(cues) - 1 and 4 * rolled >= len(cues) - 1


def _new_lines(previous: list[str], lines: list[str]) -> list[str]:
    """``lines`` less its first lines where they repeat the last lines of ``previous``."""
    for k in range(min(len(previous), len(lines)), 0, -1):
        if lines[:k] == previous[-k:]:
            return lines[k:]
    return lines


def _extracted(cues: list[tuple[str, list[str]]], fmt: str, removed=()) -> Extracted:
    """Extracted text of ``(location, lines)`` cues, put in time order (by start, then end;
    cues shown at the same time stay in file order)."""
    cues = sorted(cues, key=lambda cue: cue_time(cue[0]))
    pieces, removed, rolling = [], list(removed), rolls(cues)
    for n, (location, lines) in enumerate(cues):
        new = _new_lines(cues[n - 1][1], lines) if rolling and n else lines
        if len(new) < len(lines):
            removed.append(Removed(location, "\n".join(lines[:len(lines) - len(new)]), REPEATED))
        pieces.extend(_cue_pieces(new, location))
    return join_blocks([(text, where) for text, where, _ in chinese_first(pieces)], fmt, removed)


def chinese_first(pieces: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``(text, location, lang)`` pieces of a bilingual subtitle file (at least ``BILINGUAL``
    of them Chinese and as many English) with its Chinese first: one timeline in two
    languages, read as a Chinese and an English subtitle file are (each piece keeps its cue
    time), so the two are aligned as two files are, whatever the cut of each; the pieces of
    any other file in time order.

    >>> [t for t, _, _ in chinese_first([("Hi.", "", "en"), ("你好。", "", "zh"), ("Bye.", "", "en"), ("再见。", "", "zh")])]
    ['你好。', '再见。', 'Hi.', 'Bye.']
    """
    langs = [lang for _, _, lang in pieces]
    if min(langs.count("zh"), langs.count("en")) < BILINGUAL * len(langs):
        return pieces
    return sorted(pieces, key=lambda piece: piece[2] != "zh")


def extract_srt(text: str) -> Extracted:
    import srt

    try:
        cues = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        raise InputError(f"not a readable SubRip file ({type(exc).__name__})") from exc
    return _extracted([(f"cue {cue.index if cue.index is not None else n} {srt.timedelta_to_srt_timestamp(cue.start)}"
                        f" --> {srt.timedelta_to_srt_timestamp(cue.end)}", _lines(cue.content))
                       for n, cue in enumerate(cues, 1)], "srt")


def extract_vtt(text: str) -> Extracted:
    import webvtt

    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as exc:  # webvtt raises its own parse errors
        raise InputError(f"not a readable WebVTT file ({type(exc).__name__})") from exc
    return _extracted([(f"cue {n} {caption.start} --> {caption.end}", _lines(caption.text))
                       for n, caption in enumerate(captions, 1)], "vtt")


def _stamp(ms: int) -> str:
    """``HH:MM:SS,mmm`` of a time in milliseconds, as a cue location writes it (an srt one).

    >>> _stamp(3_723_004)
    '01:02:03,004'
    """
    import datetime

    import srt

    return srt.timedelta_to_srt_timestamp(datetime.timedelta(milliseconds=ms))


def extract_ass(text: str) -> Extracted:
    import pysubs2

    try:
        with warnings.catch_warnings():  # a field it cannot parse is taken as its default, with a warning
            warnings.simplefilter("ignore", RuntimeWarning)
            events = pysubs2.SSAFile.from_string(text, format_="ass").events
    except Exception as exc:  # pysubs2 raises its own and the standard parse errors
        raise InputError(f"not a readable ASS/SSA file ({type(exc).__name__})") from exc
    cues, removed = [], []
    for n, event in enumerate(events, 1):
        location = f"cue {n} {_stamp(max(0, event.start))} --> {_stamp(max(0, event.end))}"
        if event.is_comment or event.is_drawing:
            removed.append(Removed(location, event.text[:300], "comment" if event.is_comment else "drawing"))
        else:
            cues.append((location, _lines(event.plaintext)))
    return _extracted(cues, "ass", removed)
