"""Per-pair quality: named signals with a direction and a signature, combined by a logistic model.

The model's coefficients ship in ``align/data/quality_model.json``; ``bench/fit_quality.py``
refits them on MAC-dev (gold beads against shifted, shuffled and near-miss pairs).
Garble cannot be learnt from clean data, so it enters as a documented multiplicative
penalty: ``quality = sigmoid(w . features + b) * (1 - garble_penalty * garble)``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

GARBLE_PENALTY = 0.5


def length_deviation(zh_chars: float, en_chars: float, ratio: float) -> float:
    """|log(en / (ratio * zh))|, smoothed for short texts: 0 is the expected length ratio.

    >>> round(length_deviation(10, 30, 3.0), 3)
    0.0
    """
    return abs(math.log((en_chars + 10.0) / (ratio * zh_chars + 10.0)))


@dataclass(frozen=True)
class QualityModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    length_ratio: float  # English characters per Chinese character, as fitted
    trained_on: str
    signature: str

    def score(self, values: dict[str, float], garble: float = 0.0) -> float:
        z = self.bias + sum(w * values[f] for f, w in zip(self.features, self.weights))
        p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
        return p * (1.0 - GARBLE_PENALTY * min(1.0, max(0.0, garble)))

    def score_many(self, matrix: np.ndarray) -> np.ndarray:
        z = self.bias + matrix @ np.asarray(self.weights)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))


@lru_cache(maxsize=1)
def load_quality_model() -> QualityModel:
    data = json.loads(resources.files("align").joinpath("data", "quality_model.json").read_text(encoding="utf-8"))
    return QualityModel(
        features=tuple(data["features"]),
        weights=tuple(data["weights"]),
        bias=float(data["bias"]),
        length_ratio=float(data["length_ratio"]),
        trained_on=data["trained_on"],
        signature=data["signature"],
    )
