"""Per-pair quality: named signals with a direction and a signature, combined by a logistic model.

The model's coefficients ship in ``align/data/quality_model.json``; ``bench/fit_quality.py``
refits them on MAC-dev (gold beads against shifted, shuffled and near-miss pairs).
Garble cannot be learnt from clean data, so it enters as a documented multiplicative
penalty: ``quality = sigmoid(w . features + b) * (1 - garble_penalty * garble)``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


GARBLE_PENALTY = 0.5


def length_deviation(zh_chars: float, en_chars: float, ratio: float) -> float:
    """|log(en / (ratio * zh))|, smoothed for short texts: 0 is the expected length ratio.

    >>> round(length_deviation(10, 30, 3.0), 3)
    0.0
    """
    return abs(math.log((en_chars + 10.0) / (ratio * zh_chars + 10.0)))


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
    """The quality of a pair: a logistic model per method (``parallel``, ``mined``), fitted on
    what the pipeline outputs so that the value estimates the probability that the pair is
    right (``bench/calibrate.py``), times the garble penalty. Methods without a model of their
    own (``bitext``, or a corpus that does not say) use the ``parallel`` one."""

    default: Logistic
    methods: dict = field(default_factory=dict, hash=False, compare=False)
    length_ratio: float = 3.0  # English characters per Chinese character, as fitted
    trained_on: str = ""
    signature: str = ""

    def model_for(self, method: str) -> Logistic:
        return self.methods.get(method) or self.methods.get("parallel") or self.default

    def score(self, values: dict[str, float], garble: float = 0.0, method: str = "parallel") -> float:
        p = self.model_for(method).probability(values)
        return p * (1.0 - GARBLE_PENALTY * min(1.0, max(0.0, garble)))


@lru_cache(maxsize=1)
def load_quality_model() -> QualityModel:
    data = json.loads(resources.files("align").joinpath("data", "quality_model.json").read_text(encoding="utf-8"))
    return QualityModel(
        default=Logistic.from_dict(data),
        methods={name: Logistic.from_dict(m) for name, m in data.get("methods", {}).items()},
        length_ratio=float(data["length_ratio"]),
        trained_on=data["trained_on"],
        signature=data["signature"],
    )
