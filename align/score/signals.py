"""The signals a pair is judged by, computed in one place for ``align run`` and for rescoring.

Each signal has a name, a direction and a signature (``signal_specs``); ``pair_signals``
computes them from a pair's texts, embeddings, neighbourhoods, garble and translations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..language import translatable_length
from ..similarity import ratio_margin
from .copied import copied_token_agreement
from .metrics import sentence_chrf
from .quality import length_deviation


@dataclass(frozen=True)
class Signal:
    """A named quality signal. ``higher_is_better`` gives its direction."""

    name: str
    higher_is_better: bool
    signature: str

    def describe(self) -> str:
        return f"{self.signature}|{'higher' if self.higher_is_better else 'lower'}-is-better"


SIGNAL_NAMES = ("cosine", "margin", "length_deviation", "copied_tokens", "garble", "mt_chrf_zh_en", "mt_chrf_en_zh")


def signal_specs(encoder_signature: str, ratio: float, k: int) -> tuple[Signal, ...]:
    return (
        Signal("cosine", True, f"cos|enc:{encoder_signature}"),
        Signal("margin", True, f"ratio-margin|k:{k}|enc:{encoder_signature}"),
        Signal("length_deviation", False, f"abs-log-len|ratio:{ratio:.3f}|bitext:per-file-ratio|translatable"),
        Signal("copied_tokens", True, "copied-token-agreement|numbers+latin+placeholders"),
        Signal("garble", False, "garble|normalize"),
        Signal("mt_chrf_zh_en", True, "chrF2|MT(zh)->en vs en|sacrebleu"),
        Signal("mt_chrf_en_zh", True, "chrF2|MT(en)->zh vs zh|char|sacrebleu"),
    )


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


def pair_signals(evidence: PairEvidence, length_ratio: float) -> dict[str, float]:
    """Every signal of a pair, rounded to 4 places (the precision written to the outputs).

    >>> e = PairEvidence("你好。", "Hello.", np.array([1.0, 0]), np.array([1.0, 0]), 0.5, 0.5, 0.0)
    >>> pair_signals(e, 3.0)
    {'cosine': 1.0, 'margin': 2.0, 'length_deviation': 0.1719, 'copied_tokens': 0.0, 'garble': 0.0}
    """
    cos = float(evidence.zh_vec @ evidence.en_vec)
    values = {
        "cosine": round(cos, 4),
        "margin": round(ratio_margin(cos, float(evidence.zh_knn), float(evidence.en_knn)), 4),
        "length_deviation": round(length_deviation(translatable_length(evidence.zh, "zh"),
                                                   translatable_length(evidence.en, "en"), length_ratio), 4),
        "copied_tokens": copied_token_agreement(evidence.zh, evidence.en),
        "garble": round(float(evidence.garble), 4),
    }
    if evidence.zh_translation:
        values["mt_chrf_zh_en"] = round(sentence_chrf(evidence.zh_translation, evidence.en, "en"), 4)
    if evidence.en_translation:
        values["mt_chrf_en_zh"] = round(sentence_chrf(evidence.en_translation, evidence.zh, "zh"), 4)
    return values
