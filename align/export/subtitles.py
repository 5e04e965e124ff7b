"""``corpus.srt`` and ``corpus.vtt`` (``--format srt``, ``--format vtt``): a bilingual subtitle
file, one cue per pair holding its Chinese line and its English line.

A cue is timed from the cues its sentences came from (their provenance location, written by
the subtitle readers: ``cue 3 00:00:01,000 --> 00:00:03,500``): from the first start to the
last end of either side, or (``side`` ``zh`` or ``en``: ``--cue-times``) of that side only,
for two files timed to different releases of a video. Cues are in time order; where two
overlap, the earlier one ends when the later one starts (or the later one starts when the
earlier ends, when cutting would leave nothing), and the number of cues so adjusted (and the
largest change) is reported. Pairs with no timed sentence (from a file that is not
subtitles) are left out of these files and counted. With ``keep_unaligned``, a cue that no
pair used is kept with its one language.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from pathlib import Path

from ..io.atomic import write_text
from ..records import cue_time as cue_span
from .formats import one_line

SUBTITLE_FORMATS = ("srt", "vtt")
CUE_TIMES = ("both", "zh", "en")  # --cue-times: which side's cues time a pair's cue
APART_MS = 1000  # two files whose pairs are shown this far apart (the median) are timed to different releases


@dataclass(frozen=True)
class Cue:
    start: int  # milliseconds
    end: int
    text: str


@dataclass(frozen=True)
class SubtitleReport:
    """What a subtitle file holds: its cues, the cues whose times were adjusted (overlaps),
    the pairs left out for want of cue times, the one-language cues kept, and how much later
    the Chinese cues of a pair are shown than its English ones (the median, in milliseconds;
    None without pairs timed on both sides): two releases timed apart show here."""

    cues: int
    adjusted: int
    untimed: int
    one_language: int = 0
    zh_later: int | None = None
    largest: int = 0  # the largest change of a cue's start or end, in milliseconds

    def as_dict(self) -> dict:
        return {"cues": self.cues, "times_adjusted": self.adjusted, "largest_adjustment_ms": self.largest,
                "pairs_without_cue_times": self.untimed, "one_language_cues": self.one_language,
                "zh_later_ms": self.zh_later}


def _span(entries: list[dict]) -> tuple[int, int] | None:
    """The first to the last time of the entries' cues (a cue written to end before it
    starts counts from its end to its start); None when none has a cue time."""
    times = [t for span in (cue_span(e.get("location", "")) for e in entries) if span is not None for t in span]
    return (min(times), max(times)) if times else None


def _cue_text(*lines: str) -> str:
    return "\n".join(one_line(line).replace("-->", "->") for line in lines if line.strip())


def zh_later(records: list[dict]) -> int | None:
    """The median of how much later a pair's Chinese cues are shown than its English ones
    (the middles of their spans), in milliseconds; None when no pair is timed on both sides.

    >>> zh_later([{"provenance": {"zh": [{"location": "cue 1 00:00:03,500 --> 00:00:05,500"}],
    ...                           "en": [{"location": "cue 1 00:00:01,000 --> 00:00:03,000"}]}}])
    2500
    """
    apart = []
    for record in records:
        zh, en = (_span(record.get("provenance", {}).get(lang, [])) for lang in ("zh", "en"))
        if zh is not None and en is not None:
            apart.append((zh[0] + zh[1] - en[0] - en[1]) / 2)
    return round(statistics.median(apart)) if apart else None


def pair_cues(records: list[dict], unaligned: list[dict] = (), side: str = "both") -> tuple[list[Cue], int]:
    """The cues of pairs (and of unaligned sentences, one language each), in time order, and
    the number of pairs with no cue time. ``side`` ``zh`` or ``en``: a pair is timed by the
    cues of that side (by both where that side has no time)."""
    cues, untimed = [], 0
    for record in records:
        provenance = record.get("provenance", {})
        span = (_span(provenance.get(side, [])) if side != "both" else None) or _span(
            provenance.get("zh", []) + provenance.get("en", []))
        if span is None:
            untimed += 1
            continue
        cues.append(Cue(span[0], span[1], _cue_text(record["zh"], record["en"])))
    used = {(e.get("file"), e.get("location")) for r in records for lang in ("zh", "en")
            for e in r.get("provenance", {}).get(lang, [])}
    for item in unaligned:  # a cue no pair used, with its one language
        where = item.get("provenance", {})
        span = _span([where]) if (where.get("file"), where.get("location")) not in used else None
        if span is not None and item.get("lang") in ("zh", "en") and item["text"].strip():
            cues.append(Cue(span[0], span[1], _cue_text(item["text"])))
    return sorted(cues, key=lambda c: (c.start, c.end)), untimed  # cues of the same times in corpus order


def without_overlaps(cues: list[Cue]) -> tuple[list[Cue], int]:
    """Cues in time order made not to overlap: the earlier ends when the later starts, or (when
    both start together: two pairs of one cue, such as ``Alright. So taking a step back,``)
    the two share the time from that start to the later end of the two, by the length of
    their text; and how many changed.

    >>> without_overlaps([Cue(0, 2000, "a"), Cue(1000, 3000, "bb"), Cue(1000, 3000, "cc")])
    ([Cue(start=0, end=1000, text='a'), Cue(start=1000, end=2000, text='bb'), Cue(start=2000, end=3000, text='cc')], 2)
    """
    out: list[Cue] = []
    adjusted = 0
    for cue in cues:
        if out and cue.start < out[-1].end:
            previous = out[-1]
            if cue.start > previous.start:
                out[-1] = Cue(previous.start, cue.start, previous.text)
            else:
                end = max(cue.end, previous.end, previous.start + 2)
                share = len(previous.text) / (len(previous.text) + len(cue.text))
                cut = previous.start + int((end - previous.start) * share)
                cut = min(max(cut, previous.start + 1), end - 1)
                out[-1], cue = Cue(previous.start, cut, previous.text), Cue(cut, end, cue.text)
            adjusted += 1
        out.append(cue)
    return out, adjusted


def _srt(cues: list[Cue]) -> str:
    import srt

    ms = datetime.timedelta(milliseconds=1)
    return srt.compose([srt.Subtitle(n, c.start * ms, c.end * ms, c.text) for n, c in enumerate(cues, 1)], reindex=False)


def _vtt_time(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _vtt(cues: list[Cue]) -> str:
    from webvtt import Caption, WebVTT

    return WebVTT(captions=[Caption(_vtt_time(c.start), _vtt_time(c.end), c.text) for c in cues]).content


def write_subtitles(stem: Path, formats, records: list[dict], unaligned: list[dict] = (),
                    side: str = "both") -> SubtitleReport | None:
    """``stem.srt`` and/or ``stem.vtt`` of ``records`` (``corpus.jsonl`` records), as
    ``formats`` ask, with the one-language cues of ``unaligned`` records, timed by ``side``
    (``pair_cues``); None when neither is asked."""
    wanted = [fmt for fmt in SUBTITLE_FORMATS if fmt in formats]
    if not wanted:
        return None
    timed, untimed = pair_cues(records, unaligned, side)
    cues, adjusted = without_overlaps(timed)
    largest = max((max(abs(a.start - b.start), abs(a.end - b.end)) for a, b in zip(timed, cues)), default=0)
    for fmt in wanted:
        write_text(stem.with_name(f"{stem.name}.{fmt}"), _srt(cues) if fmt == "srt" else _vtt(cues))
    return SubtitleReport(len(cues), adjusted, untimed, len(cues) - (len(records) - untimed), zh_later(records),
                          largest)
