"""Per-pair quality: named signals with a direction and a signature, combined by a logistic
model per source of evidence.

The coefficients ship in ``align/data/quality_model.json``: ``parallel`` and ``mined`` are
fitted on what ``align run`` outputs (``bench/calibrate.py``); ``bitext``, for pairs given
as they are (TSV, Moses, other tools' TMX), on right pairs against Bicleaner-style noise
in four domains (``bench/quality.py``). Garble cannot be learnt from clean data, so it
enters as a documented multiplicative penalty:
``quality = sigmoid(w . features + b) * (1 - garble_penalty * garble)``; a parallel pair's
quality is also bounded by its own evidence (``own_evidence``).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..language import translatable_length

GARBLE_PENALTY = 0.5
# A pair's own evidence bounds the quality of a pair the aligner placed by its context: its
# cosine (no support at OWN_NONE and below, full at OWN_FULL and above, OWN_FULL_SHORT for a
# short pair, whose few words make any cosine weaker evidence) and its copied tokens (numbers,
# names, identifiers one side has and the other lacks).
OWN_NONE, OWN_FULL, OWN_FULL_SHORT, SHORT_ZH = 0.1, 0.4, 0.5, 12
OWN_EVIDENCE_METHODS = ("parallel",)


def own_evidence(values: dict[str, float], zh_chars: float) -> float:
    """How far a pair's own evidence supports it, in [0, 1]: a parallel bead is placed by the
    run of beads around it, and its model (fitted on what the aligner outputs) leans on that
    run; a bead whose own sentences are not similar (a contents line against a preamble) must
    not inherit its neighbours' confidence.

    >>> own_evidence({"cosine": 0.5, "copied_tokens": 0.0}, 30), own_evidence({"cosine": 0.05, "copied_tokens": 0.0}, 30)
    (1.0, 0.0)
    >>> round(own_evidence({"cosine": 0.3, "copied_tokens": -0.5}, 8), 3)
    0.375
    """
    full = OWN_FULL_SHORT if zh_chars < SHORT_ZH else OWN_FULL
    by_cosine = min(1.0, max(0.0, (values["cosine"] - OWN_NONE) / (full - OWN_NONE)))
    return by_cosine * (1.0 + 0.5 * min(0.0, values.get("copied_tokens", 0.0)))
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
    threshold: float | None = None  # the quality a fitted domain model keeps pairs at (align calibrate)

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

    def score(self, values: dict[str, float], garble: float = 0.0, method: str = BITEXT,
              zh_chars: float | None = None) -> float:
        """The quality; with ``zh_chars`` (the Chinese side's translatable length), a pair of a
        method in ``OWN_EVIDENCE_METHODS`` is also bounded by its own evidence."""
        p = self.model_for(method).probability(values)
        if zh_chars is not None and method in OWN_EVIDENCE_METHODS and method in self.methods:
            p *= own_evidence(values, zh_chars)
        return p * (1.0 - GARBLE_PENALTY * min(1.0, max(0.0, garble)))


def quality_model_from_text(text: str, where: str = "the quality model") -> QualityModel:
    """A model from the text of its file. Its signature ends with a digest of that text, so
    that any change of a coefficient changes the signature of every run that used it."""
    from ..errors import InputError

    try:
        data = json.loads(text)
        threshold = data.get("threshold")
        model = QualityModel(
            default=Logistic.from_dict(data),
            methods={name: Logistic.from_dict(m) for name, m in data.get("methods", {}).items()},
            length_ratio=float(data["length_ratio"]),
            trained_on=str(data["trained_on"]),
            signature=f"{data['signature']}|own-evidence:cos{OWN_NONE}-{OWN_FULL}/{OWN_FULL_SHORT}-short{SHORT_ZH}"
                      f"+copied:{','.join(OWN_EVIDENCE_METHODS)}|model:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}",
            threshold=None if threshold is None else float(threshold),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{where}: not a quality model file ({type(exc).__name__}: {exc})") from None
    for logistic in (model.default, *model.methods.values()):
        if len(logistic.features) != len(logistic.weights):
            raise InputError(f"{where}: {len(logistic.features)} features but {len(logistic.weights)} weights")
    return model


@lru_cache(maxsize=1)
def load_quality_model() -> QualityModel:
    """The shipped model."""
    text = resources.files("align").joinpath("data", "quality_model.json").read_text(encoding="utf-8")
    return quality_model_from_text(text, "align/data/quality_model.json")


def read_quality_model(path: str | None) -> QualityModel:
    """The model of a file (``align calibrate`` writes one); the shipped model for ``None``."""
    from ..errors import InputError

    if path is None:
        return load_quality_model()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the quality model ({exc})") from None
    return quality_model_from_text(text, str(path))
