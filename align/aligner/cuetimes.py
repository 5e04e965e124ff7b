"""Cue times as evidence for the parallel aligner, when both sides are subtitles.

A subtitle sentence carries the time its cue is shown (``Sentence.cue_time``, from the
location the subtitle readers write). Cues shown at the same time most likely say the same
thing, whatever their words: a name, ``Thank you``, a line of a song, a cue too short for its
text to show much. A bead whose sentences carry times on both sides gains

    weight / 2 * ( sum over its sentences s of  counts(s) * (covered(s) - floor)
                   - apart * sum over its Chinese-English sentence pairs never shown together of max(counts) )

``covered(s)``: the share of the sentence's time that the other side's span covers (1: shown
only while the other side is, 0: never). Summed over sentences, cutting a span into beads
one way or another earns the same: time says which cues go together, not how many beads they
make; the pairs ``apart`` (sharing under ``APART`` of the shorter cue's time) make a bead
that joins cues shown at different times cost, such as a ``(Laughter)`` cue joined to the line
after it. ``counts(s)`` is 1 for a short text (``short_text``: a few words) and ``LONG_TEXT``
for a longer one: time is as strong as the text where the text is weak, and a sentence with
words enough to show what it translates is decided by its text (the similarity of a clear
translation outweighs its time).

Two releases are often timed apart (an intro cut, another start) or run at another speed (a
film at 25 frames a second from a 23.976 one is 4% shorter): before the times are compared,
the Chinese times are mapped onto the English ones by the text's surest links (the anchors
of the alignment): moved by their median time difference, and stretched too where their
times drift apart (``time_map``), so that neither costs anything.

The weights are constants of the aligner, not run settings (tuned on ``bench/subtitles-ted``
with ``bench/subtitle_timing.py``); text that carries no cue times is aligned as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIMING_WEIGHT = 0.3  # tuned on bench/subtitles-ted (bench/subtitle_timing.py)
TIMING_FLOOR = 0.5
SURE_LINK = 0.5  # the least anchor similarity whose time difference estimates the shift
MIN_SURE_LINKS = 3
DRIFT = 0.001  # a rate between the two timings this far from 1 is taken out (under it: a shift only)
MAX_DRIFT = 0.1  # a rate further from 1 than this is no frame-rate change: a shift only
SPREAD_MS = 10_000  # the least time between two sure links whose slope estimates the rate
SHORT_WORDS, SHORT_CHARS = 4, 6  # a text of fewer words (English) or characters (Chinese) is short
LONG_TEXT = 0.3  # how much the time of a sentence that is not short counts (a short one's counts 1)
TIMING_APART = 0.25  # the cost (in sentences' worth of coverage) of two sentences of a bead never shown together
APART = 0.2  # two cues sharing less than this share of the shorter one are never shown together


def short_text(sentence) -> bool:
    """A few words (``Thank you,``, a name, ``谢谢``, a line of a song): too little text to
    show on its own what it translates.

    >>> from types import SimpleNamespace as S
    >>> short_text(S(text="Thank you,", lang="en")), short_text(S(text="祝大家好梦", lang="zh"))
    (True, True)
    >>> short_text(S(text="I'm a sleep researcher.", lang="en"))
    False
    """
    text = sentence.text.strip()
    if sentence.lang == "en":
        return len(text.split()) < SHORT_WORDS
    return sum(ch.isalnum() for ch in text) < SHORT_CHARS


def cue_times(sentences) -> np.ndarray | None:
    """Each sentence's cue start and end in milliseconds (NaN for a sentence of no cue) and how
    much its time counts (1 for a short text, ``LONG_TEXT`` for a longer one), or None when
    no sentence has a cue time."""
    spans = [s.cue_time for s in sentences]
    if all(span is None for span in spans):
        return None
    return np.array([(*(span if span is not None else (np.nan, np.nan)), 1.0 if short_text(s) else LONG_TEXT)
                     for s, span in zip(sentences, spans)], dtype=np.float64)


def _sure(src: np.ndarray, tgt: np.ndarray, links) -> tuple[np.ndarray, np.ndarray]:
    """The middles of the source and target cues of ``links`` at least ``SURE_LINK`` similar."""
    pairs = [(src[i, :2].mean(), tgt[j, :2].mean()) for i, j, sim in links if sim >= SURE_LINK]
    pairs = np.array([p for p in pairs if np.isfinite(p).all()], dtype=np.float64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def time_map(src: np.ndarray, tgt: np.ndarray, links) -> tuple[float, float]:
    """``(rate, shift)`` mapping source times onto target times (``rate * t + shift``) by
    the sure links: the rate is the median slope between links at least ``SPREAD_MS`` apart
    (Theil-Sen), taken only where it is ``DRIFT`` to ``MAX_DRIFT`` away from 1, else 1; the
    shift is then the median difference left.

    >>> t = np.array([[n * 20_000, n * 20_000 + 1000] for n in range(5)], dtype=float)
    >>> time_map(t, t + 1500, [(0, 0, 0.9), (1, 1, 0.8), (2, 2, 0.7)])
    (1.0, 1500.0)
    >>> fast = t.copy(); fast[:, :2] = t[:, :2] * 25 / 24 + 800
    >>> rate, shift = time_map(t, fast, [(n, n, 0.9) for n in range(5)]); round(rate, 4), round(shift)
    (1.0417, 800)
    """
    x, y = _sure(src, tgt, links)
    if len(x) < MIN_SURE_LINKS:
        return 1.0, 0.0
    i, j = np.triu_indices(len(x), 1)
    apart = np.abs(x[j] - x[i]) >= SPREAD_MS
    rate = float(np.median((y[j] - y[i])[apart] / (x[j] - x[i])[apart])) if apart.any() else 1.0
    rate = rate if DRIFT <= abs(rate - 1.0) <= MAX_DRIFT else 1.0
    return rate, float(np.median(y - rate * x))


@dataclass(frozen=True)
class TimeEvidence:
    """The cue times of both sides (``(n, 3)`` and ``(m, 3)`` arrays of ``cue_times``: start and
    end, NaN where a sentence has none, and how much the sentence's time counts) and how much
    their agreement weighs."""

    src: np.ndarray
    tgt: np.ndarray
    weight: float = TIMING_WEIGHT
    floor: float = TIMING_FLOOR
    apart: float = TIMING_APART

    @classmethod
    def of(cls, src: np.ndarray | None, tgt: np.ndarray | None, links=()) -> TimeEvidence | None:
        """The evidence of two sides' times, the source mapped onto the target's timing
        (``time_map`` of the text's ``links``); None unless both sides have times."""
        if src is None or tgt is None:
            return None
        rate, shift = time_map(src, tgt, links)
        moved = src.copy()
        moved[:, :2] = moved[:, :2] * rate + shift
        return cls(moved, tgt)

    def coverage(self, a: int, b: int, i0: int, js: np.ndarray) -> np.ndarray:
        """For the beads of source sentences ``i0 .. i0+a-1`` and target sentences
        ``j .. j+b-1`` (each ``j`` of ``js``): the sum over their sentences of the share of each
        sentence's time that the other side's span covers, less ``floor`` (NaN where a
        sentence has no time)."""
        src = self.src[i0:i0 + a]
        s_start, s_end = np.fmin.reduce(src[:, 0]), np.fmax.reduce(src[:, 1])
        t_start, t_end = self.tgt[js, 0], self.tgt[js, 1]
        for k in range(1, b):
            t_start, t_end = np.fmin(t_start, self.tgt[js + k, 0]), np.fmax(t_end, self.tgt[js + k, 1])
        total = np.zeros(len(js))
        for start, end, counts in src:
            total = total + counts * (_covered(start, end, t_start, t_end) - self.floor)
        for k in range(b):
            tgt = self.tgt[js + k]
            total = total + tgt[:, 2] * (_covered(tgt[:, 0], tgt[:, 1], s_start, s_end) - self.floor)
            for start, end, counts in src:  # a Chinese and an English sentence of the bead never shown together
                apart = _shared(start, end, tgt[:, 0], tgt[:, 1]) < APART
                total = total - self.apart * np.maximum(counts, tgt[:, 2]) * apart
        return total

    def gain(self, a: int, b: int, i0: int, js: np.ndarray) -> np.ndarray:
        """What the times add to each bead's gain (0 where a sentence has no time)."""
        return np.nan_to_num(self.weight / 2.0 * self.coverage(a, b, i0, js), nan=0.0)


def _shared(start, end, other_start, other_end):
    """The share of the shorter of two times that both share (NaN where a time is missing)."""
    inter = np.clip(np.minimum(end, other_end) - np.maximum(start, other_start), 0, None)
    return inter / np.maximum(np.minimum(end - start, other_end - other_start), 1.0)


def _covered(start, end, other_start, other_end):
    """The share of ``start .. end`` inside ``other_start .. other_end`` (NaN where a time is missing)."""
    inter = np.clip(np.minimum(end, other_end) - np.maximum(start, other_start), 0, None)  # NaN stays NaN
    return inter / np.maximum(end - start, 1.0)
