"""Per-pair quality: named signals with a direction and a signature, combined by a logistic
model per source of evidence.

The coefficients ship in ``align/data/quality_model.json``: ``parallel`` and ``mined`` are
fitted on what ``align run`` outputs (``bench/calibrate.py``); ``bitext``, for pairs given
as they are (TSV, Moses, other tools' TMX), on right pairs against Bicleaner-style noise
in four domains (``bench/quality.py``). Garble cannot be learnt from clean data, so it
enters as a documented multiplicative penalty:
``quality = sigmoid(w . features + b) * (1 - garble_penalty * garble)``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from ..language import translatable_length

GARBLE_PENALTY = 0.5
BITEXT = "bitext"  # the method of pairs given as they are, of unknown origin
PER_FILE_RATIO = (BITEXT, "keyed")  # methods whose expected length ratio is measured on their own file


def signed_length_deviation(zh_chars: float, en_chars: float, ratio: float) -> float:
    """log(en / (ratio * zh)), smoothed for short texts: > 0 when the English is longer than
    expected, < 0 when shorter, 0 at the expected length ratio.

    >>> round(signed_length_deviation(10, 60, 3.0), 3), round(signed_length_deviation(10, 30, 3.0), 3)
    (0.56, 0.0)
    """
    return math.log((en_chars + 10.0) / (ratio * zh_chars + 10.0))


def length_deviation(zh_chars: float, en_chars: float, ratio: float) -> float:
    """|signed_length_deviation|: how far a pair is from the expected length ratio.

    >>> round(length_deviation(10, 30, 3.0), 3)
    0.0
    """
    return abs(signed_length_deviation(zh_chars, en_chars, ratio))


def estimated_length_ratio(pairs: Iterable[tuple[str, str]], default: float) -> float:
    """English characters per Chinese one in a file of pairs, measured on the file: the
    median of the smoothed log ratios (robust to the wrong pairs among them), ``default``
    for an empty file. A domain has its own ratio: about 2.4 in software messages and
    documentation, 4 in novels and laws.

    >>> estimated_length_ratio([("你好。", "Hello."), ("谢谢你。", "Thank you.")], 3.0)
    1.326
    """
    logs = sorted(math.log((translatable_length(en, "en") + 10.0) / (translatable_length(zh, "zh") + 10.0))
                  for zh, en in pairs)
    if not logs:
        return default
    mid = len(logs) // 2
    median = logs[mid] if len(logs) % 2 else (logs[mid - 1] + logs[mid]) / 2
    return round(math.exp(median), 4)


@dataclass(frozen=True)
class Logistic:
    """``sigmoid(bias + weights . features)`` over named signals."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[f] for f, w in zip(self.features, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def from_dict(cls, data: dict) -> Logistic:
        return cls(tuple(data["features"]), tuple(float(w) for w in data["weights"]), float(data["bias"]))


@dataclass(frozen=True)
class QualityModel:
    """The quality of a pair: a logistic model per method (``parallel``, ``mined``, ``bitext``),
    fitted so that the value estimates the probability that the pair is a translation, times
    the garble penalty. A method without a model of its own (a corpus that names another
    tool's method) is judged as ``bitext``: pairs of unknown origin."""

    default: Logistic
    methods: dict = field(default_factory=dict, hash=False, compare=False)
    length_ratio: float = 3.0  # English characters per Chinese character, as fitted
    trained_on: str = ""
    signature: str = ""

    def model_for(self, method: str) -> Logistic:
        return self.methods.get(method) or self.methods.get(BITEXT) or self.default

    def length_ratio_for(self, method: str, file_pairs: Iterable[tuple[str, str]]) -> float:
        """The expected length ratio of a pair: fitted for the pairs ``align`` aligned or mined,
        measured on the pairs of its own file (``file_pairs``) for bitext and keyed pairs."""
        return estimated_length_ratio(file_pairs, self.length_ratio) if self.judged_as(method) in PER_FILE_RATIO \
            else self.length_ratio

    def judged_as(self, method: str) -> str:
        """The method whose model judges pairs of ``method``."""
        return method if method in self.methods else BITEXT

    def score(self, values: dict[str, float], garble: float = 0.0, method: str = BITEXT) -> float:
        p = self.model_for(method).probability(values)
        return p * (1.0 - GARBLE_PENALTY * min(1.0, max(0.0, garble)))


@lru_cache(maxsize=1)
def load_quality_model() -> QualityModel:
    """The shipped model. Its signature ends with a digest of the model file, so that any
    change of a coefficient changes the signature of every run that used it."""
    text = resources.files("align").joinpath("data", "quality_model.json").read_text(encoding="utf-8")
    data = json.loads(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return QualityModel(
        default=Logistic.from_dict(data),
        methods={name: Logistic.from_dict(m) for name, m in data.get("methods", {}).items()},
        length_ratio=float(data["length_ratio"]),
        trained_on=data["trained_on"],
        signature=f"{data['signature']}|model:{digest}",
    )
