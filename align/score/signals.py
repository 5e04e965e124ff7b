"""The signals a pair is judged by, computed in one place for ``align run`` and for rescoring.

Each ``Signal`` computes itself from a pair's evidence (texts, embeddings, neighbourhoods,
garble, translations) and describes itself (its signature and direction); ``SIGNALS`` lists
them once, in the order the outputs write them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..language import translatable_length
from ..similarity import ratio_margin
from .copied import copied_token_agreement
from .metrics import SentenceChrf
from .quality import length_deviation


@dataclass(frozen=True)
class PairEvidence:
    """What the signals of one pair are computed from."""

    zh: str
    en: str
    zh_vec: np.ndarray
    en_vec: np.ndarray
    zh_knn: float  # mean similarity of the Chinese side to its k nearest English neighbours
    en_knn: float
    garble: float
    zh_translation: str = ""  # machine translation of the Chinese side into English
    en_translation: str = ""


@dataclass(frozen=True)
class SignalSettings:
    """What a signal's value or signature depends on beyond the pair."""

    encoder_signature: str = ""
    length_ratio: float = 4.0  # the expected English characters per Chinese one
    k: int = 4  # the neighbours of the margin


@dataclass(frozen=True)
class Signal:
    """A named quality signal: how it is computed (``None`` when the evidence cannot give it),
    what its value depends on (``signature``), and its direction."""

    name: str
    higher_is_better: bool
    signature: Callable[[SignalSettings], str]
    compute: Callable[[PairEvidence, SignalSettings, SentenceChrf], float | None]

    def describe(self, settings: SignalSettings) -> str:
        return f"{self.signature(settings)}|{'higher' if self.higher_is_better else 'lower'}-is-better"


def _cosine(e: PairEvidence, s: SignalSettings, chrf: SentenceChrf) -> float:
    return round(float(e.zh_vec @ e.en_vec), 4)


def _margin(e: PairEvidence, s: SignalSettings, chrf: SentenceChrf) -> float:
    return round(ratio_margin(float(e.zh_vec @ e.en_vec), float(e.zh_knn), float(e.en_knn)), 4)


def _length_deviation(e: PairEvidence, s: SignalSettings, chrf: SentenceChrf) -> float:
    return round(length_deviation(translatable_length(e.zh, "zh"), translatable_length(e.en, "en"), s.length_ratio), 4)


def _mt_chrf_zh_en(e: PairEvidence, s: SignalSettings, chrf: SentenceChrf) -> float | None:
    return round(chrf(e.zh_translation, e.en, "en"), 4) if e.zh_translation else None


def _mt_chrf_en_zh(e: PairEvidence, s: SignalSettings, chrf: SentenceChrf) -> float | None:
    return round(chrf(e.en_translation, e.zh, "zh"), 4) if e.en_translation else None


SIGNALS = (
    Signal("cosine", True, lambda s: f"cos|enc:{s.encoder_signature}", _cosine),
    Signal("margin", True, lambda s: f"ratio-margin|k:{s.k}|enc:{s.encoder_signature}", _margin),
    Signal("length_deviation", False,
           lambda s: f"abs-log-len|ratio:{s.length_ratio:.3f}|bitext:per-file-ratio|translatable", _length_deviation),
    Signal("copied_tokens", True, lambda s: "copied-token-agreement|numbers+latin+placeholders",
           lambda e, s, chrf: copied_token_agreement(e.zh, e.en)),
    Signal("garble", False, lambda s: "garble|normalize", lambda e, s, chrf: round(float(e.garble), 4)),
    Signal("mt_chrf_zh_en", True, lambda s: "chrF2|MT(zh)->en vs en|sacrebleu", _mt_chrf_zh_en),
    Signal("mt_chrf_en_zh", True, lambda s: "chrF2|MT(en)->zh vs zh|char|sacrebleu", _mt_chrf_en_zh),
)
SIGNAL_NAMES = tuple(signal.name for signal in SIGNALS)


def pair_signals(evidence: PairEvidence, length_ratio: float, chrf: SentenceChrf | None = None) -> dict[str, float]:
    """Every signal the evidence gives, rounded to 4 places (the precision written to the
    outputs). ``chrf``: the scorer to reuse across pairs (one is made when not given).

    >>> e = PairEvidence("你好。", "Hello.", np.array([1.0, 0]), np.array([1.0, 0]), 0.5, 0.5, 0.0)
    >>> pair_signals(e, 3.0)
    {'cosine': 1.0, 'margin': 2.0, 'length_deviation': 0.1719, 'copied_tokens': 0.0, 'garble': 0.0}
    """
    settings, chrf = SignalSettings(length_ratio=length_ratio), chrf or SentenceChrf()
    values = {signal.name: signal.compute(evidence, settings, chrf) for signal in SIGNALS}
    return {name: value for name, value in values.items() if value is not None}
