"""Fitting the quality model to a domain (``align calibrate``): from a sample of clean pairs,
the synthetic negatives the shipped ``bitext`` model is trained on (shifted neighbours,
random pairs, truncated, extended and half-replaced sentences, a truncated Chinese side),
a logistic regression over the signals the model declares, and what the fit achieves on
the sample, out of fold.

The sample is cut into consecutive blocks of pairs (``CalibrateSettings.block``), dealt into
five folds; each fold's right pairs and negatives are judged as one file (its margin
measured within it, its length ratio its own), as ``align score`` judges a user's file.
Each fold is predicted by the model fitted on the other four, and on these out-of-fold
predictions: the share of right pairs and of each kind of negative kept at the threshold
(kept: at or above it and breaking no hard rule), ROC-AUC, expected calibration error, and
the model's threshold. That threshold is chosen by a policy (``THRESHOLD_POLICIES``); the
default, ``keep-right``, is the highest that keeps 95% of the right pairs, so that a fitted
model never drops most of a corpus silently (a precision target can: partial translations
count as wrong, and a domain whose right pairs score low reaches 95% precision only near
0.9). The other policies' thresholds are reported beside it. The model written is fitted on
every fold.
Pairs labelled wrong (a ``label`` column) join the negatives as ``labelled``.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..errors import ConfigurationError, InputError
from .optional import (OPTIONAL_SIGNALS, SELECTABLE_NAMES, derived_signals, describe, optional_signals,
                       second_encoder)

RIGHT = "right"
LABELLED = "labelled"
# The noise a training file is made of, Bicleaner-style, as shares of the blocks of two right
# pairs: kept right, the Chinese with the next English (shifted neighbour), sides paired at
# random, the English cut short or extended by the next sentence, half the English words
# replaced by words of other sentences, the Chinese cut short.
NOISE = ((RIGHT, 4), ("shifted", 2), ("random", 1), ("truncated", 1), ("extended", 1), ("replaced", 1),
         ("zh_truncated", 1))
NEGATIVE_KINDS = tuple(kind for kind, _ in NOISE if kind != RIGHT) + (LABELLED,)
DEFAULT_FEATURES = ("cosine", "margin", "length_deviation", "copied_tokens")
WRONG_LABELS = frozenset({"wrong", "bad", "0", "no", "false", "negative", "neg"})
RIGHT_LABELS = frozenset({"right", "good", "1", "yes", "true", "positive", "pos", "clean"})


@dataclass(frozen=True)
class Example:
    zh: str
    en: str
    kind: str  # right, or the kind of negative

    @property
    def label(self) -> int:
        return int(self.kind == RIGHT)


def _noisy(part: str, a: tuple[str, str], b: tuple[str, str], vocabulary: list[str], rng: random.Random
           ) -> list[Example]:
    (za, ea), (zb, eb) = a, b
    words = ea.split()
    if part == RIGHT:
        return [Example(za, ea, RIGHT), Example(zb, eb, RIGHT)]
    if part == "shifted":
        return [Example(za, eb, part)]
    if part == "extended":
        return [Example(za, f"{ea} {eb}", part)]
    if part == "truncated" and len(words) >= 4:
        return [Example(za, " ".join(words[:max(1, len(words) // 2 - rng.randint(0, len(words) // 4))]), part)]
    if part == "zh_truncated" and len(za) >= 8:
        return [Example(za[:len(za) // 2], ea, part)]
    if part == "replaced" and words:
        for k in rng.sample(range(len(words)), max(1, len(words) // 2)):
            words[k] = rng.choice(vocabulary)
        return [Example(za, " ".join(words), part)]
    return []


def synthetic_examples(documents: Sequence[Sequence[tuple[str, str]]], seed: int = 3) -> list[Example]:
    """Right pairs and synthetic noise from ``documents`` (each its right pairs in reading
    order): each block of two consecutive right pairs is given one part of ``NOISE``; random
    pairs take each Chinese side of a pool with an English side half the pool away. In a
    shuffled order, the same for the same documents and seed."""
    rng = random.Random(seed)
    vocabulary = [w for doc in documents for _, en in doc for w in en.split()]
    parts = [p for p, weight in NOISE for _ in range(weight)]
    out, pool = [], []
    for doc in documents:
        for start in range(0, len(doc) - 1, 2):
            part = rng.choice(parts)
            if part == "random":
                pool += [doc[start], doc[start + 1]]
            else:
                out += _noisy(part, doc[start], doc[start + 1], vocabulary, rng)
    half = len(pool) // 2
    out += [Example(zh, pool[(n + half) % len(pool)][1], "random") for n, (zh, _) in enumerate(pool)]
    rng.shuffle(out)
    return out


# the fit -------------------------------------------------------------------------------

def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, l2: float = 1e-2,
                 steps: int = 60) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method: one weight per column of ``x``,
    then the intercept. ``weight``: per example (scaled to average 1), default equal."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    weight = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)
    weight = weight * len(weight) / weight.sum()
    w = np.zeros(x1.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x1 @ w, -60, 60)))
        grad = x1.T @ (weight * (p - y)) + l2 * w
        hess = (x1 * (weight * p * (1 - p))[:, None]).T @ x1 + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ w[:-1] + w[-1], -60, 60)))


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """The probability that a right pair scores above a wrong one (ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return None
    order = np.sort(neg)
    below = np.searchsorted(order, pos, "left")
    ties = np.searchsorted(order, pos, "right") - below
    return float((below + ties / 2).sum() / (len(pos) * len(neg)))


def ece(quality: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over ``bins`` equal bins of quality."""
    which = np.minimum((quality * bins).astype(int), bins - 1)
    return float(sum((which == b).sum() / len(quality) * abs(quality[which == b].mean() - labels[which == b].mean())
                     for b in range(bins) if (which == b).any()))


def threshold_for_precision(quality: np.ndarray, labels: np.ndarray, passes: np.ndarray, target: float
                            ) -> tuple[float, float]:
    """The lowest threshold (in steps of 0.01) at which the kept pairs (at or above it, breaking
    no hard rule) are right at least ``target`` of the time, with that precision; the most
    precise threshold when none reaches it."""
    best = (0.99, -1.0)
    for step in range(1, 100):
        t = step / 100
        kept = (quality >= t) & passes
        if not kept.any():
            break
        precision = float(labels[kept].mean())
        if precision >= target:
            return t, round(precision, 4)
        if precision > best[1]:
            best = (t, round(precision, 4))
    return best


def threshold_keeping(quality: np.ndarray, labels: np.ndarray, passes: np.ndarray, keep_right: float) -> float:
    """The highest threshold (in steps of 0.01) that keeps at least ``keep_right`` of the right
    pairs breaking no hard rule (the pairs a threshold decides): of the thresholds keeping that
    many right pairs, the one keeping the fewest wrong pairs of every kind. 0.01 when the
    right pairs cannot be told apart at all."""
    right = quality[(labels == 1) & passes]
    if not len(right):
        return 0.5
    for step in range(99, 0, -1):
        if float((right >= step / 100).mean()) >= keep_right:
            return step / 100
    return 0.01


def threshold_within(quality: np.ndarray, kinds: np.ndarray, passes: np.ndarray, limits: dict[str, float]
                     ) -> float | None:
    """The lowest threshold (in steps of 0.01) that keeps at most ``limits[kind]`` of each kind
    of negative named there (the kinds absent from ``kinds`` aside); None when none does."""
    for step in range(1, 100):
        kept = (quality >= step / 100) & passes
        if all(float(kept[kinds == kind].mean()) <= limit for kind, limit in limits.items() if (kinds == kind).any()):
            return step / 100
    return None


# the sample --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CleanSample:
    """The pairs a model is fitted on: ``documents`` of clean pairs (consecutive blocks of each
    file, in reading order) and the pairs labelled wrong, with the sample's size and digest."""

    documents: tuple[tuple[tuple[str, str], ...], ...]
    wrong: tuple[tuple[str, str], ...]
    files: tuple[str, ...]
    sha256: str

    @property
    def size(self) -> int:
        return sum(len(d) for d in self.documents) + len(self.wrong)


def _label(cells: tuple[str, ...], column: int | None, where: str) -> bool:
    """Whether a row is labelled right (no label column: every pair is)."""
    if column is None:
        return True
    value = cells[column].strip().lower() if column < len(cells) else ""
    if value in WRONG_LABELS:
        return False
    if value in RIGHT_LABELS:
        return True
    raise InputError(f"{where}: label {value!r} is neither right nor wrong")


def read_sample(paths: Sequence[str | Path], block: int, layout=None) -> CleanSample:
    """The pairs of every file (TMX, XLIFF, PO, TSV, Moses), cut into blocks of ``block``
    consecutive pairs (fewer in a file of fewer than 20 blocks); a TSV whose header names a ``label`` column gives right and wrong
    pairs (right, good, 1 / wrong, bad, 0)."""
    from ..io.corpus import TsvLayout, read_bitext

    documents, wrong, digest = [], [], hashlib.sha256()
    for path in paths:
        bitext = read_bitext(path, layout or TsvLayout())
        header = [c.strip().lower() for c in bitext.tsv_header]
        column = header.index("label") if "label" in header else None
        right = []
        for p in bitext.entries:
            digest.update(f"{p.zh}\t{p.en}\n".encode("utf-8"))
            (right if _label(p.cells, column, f"{path}, {p.location}") else wrong).append((p.zh, p.en))
        size = min(block, max(4, len(right) // 20))  # a small file: 20 blocks at least, for five folds
        documents += [tuple(right[n:n + size]) for n in range(0, len(right), size)]
    return CleanSample(tuple(documents), tuple(wrong), tuple(Path(p).name for p in paths), digest.hexdigest())


# judging and measuring -----------------------------------------------------------------------

@dataclass(frozen=True)
class JudgedPart:
    """One part of the sample (training or held out) as ``align score`` judges it as a file."""

    features: np.ndarray
    kinds: np.ndarray
    passes: np.ndarray  # breaks no hard rule

    @property
    def labels(self) -> np.ndarray:
        return (self.kinds == RIGHT).astype(float)


def judge_part(examples: Sequence[Example], features: Sequence[str], encoder, model, second=None) -> JudgedPart:
    """The signals of the examples judged as one bitext file (``rescore``), with the optional
    signals among ``features`` measured on the same file (``second``: the e5 encoder)."""
    from ..io.corpus import CorpusEntry
    from ..language import translatable_length
    from .rescore import rescore

    rescored = rescore([CorpusEntry(e.zh, e.en) for e in examples], encoder, model=model)
    extra = optional_signals([(e.zh, e.en) for e in examples], features, encoder, second=second)
    signals = [{**r.signals, **values} for r, values in zip(rescored, extra)]
    for values, e in zip(signals, examples):
        values.update(derived_signals(values, translatable_length(e.zh, "zh"), features))
    missing = sorted({f for values in signals for f in features if f not in values})
    if missing:
        raise ConfigurationError(f"signal {missing[0]} cannot be computed for the sample's pairs")
    return JudgedPart(np.array([[v[f] for f in features] for v in signals], dtype=float).reshape(-1, len(features)),
                      np.array([e.kind for e in examples]), np.array([not r.rejected_by for r in rescored]))


def keep_rates(quality: np.ndarray, part: JudgedPart, threshold: float) -> dict[str, float]:
    """The share of each kind of pair kept at ``threshold`` (and breaking no hard rule)."""
    kept = (quality >= threshold) & part.passes
    return {kind: round(float(kept[part.kinds == kind].mean()), 4)
            for kind in (RIGHT,) + NEGATIVE_KINDS if (part.kinds == kind).any()}


def _precision(quality: np.ndarray, labels: np.ndarray, passes: np.ndarray, threshold: float) -> float | None:
    kept = (quality >= threshold) & passes
    return round(float(labels[kept].mean()), 4) if kept.any() else None


THRESHOLD_POLICIES = ("keep-right", "precision", "negatives")


def _at(quality: np.ndarray, part: JudgedPart, threshold: float | None) -> dict | None:
    if threshold is None:
        return None
    return {"threshold": threshold, "precision": _precision(quality, part.labels, part.passes, threshold),
            "kept": keep_rates(quality, part, threshold)}


def candidate_thresholds(quality: np.ndarray, part: JudgedPart, settings: CalibrateSettings
                         ) -> dict[str, float | None]:
    """The threshold each policy chooses: ``keep-right`` the highest keeping ``keep_right`` of
    the right pairs, ``precision`` the lowest reaching ``target_precision``, ``negatives`` the
    lowest within the settings' ``negative_limits`` (None when none is)."""
    labels = part.labels
    return {"keep-right": threshold_keeping(quality, labels, part.passes, settings.keep_right),
            "precision": threshold_for_precision(quality, labels, part.passes, settings.target_precision)[0],
            "negatives": threshold_within(quality, part.kinds, part.passes, settings.negative_limits)}


def figures(quality: np.ndarray, part: JudgedPart, settings: CalibrateSettings) -> dict:
    """What a fit achieves on pairs it was not fitted on: the threshold of the policy
    ``settings.threshold_by`` (``keep-right`` when ``negatives`` is out of reach) and what it
    keeps, the other policies' thresholds (``alternatives``) and 0.5, AUC (right against every
    negative, and against shifted neighbours), ECE, and the pairs of each kind."""
    labels = part.labels
    candidates = candidate_thresholds(quality, part, settings)
    policy = settings.threshold_by if candidates[settings.threshold_by] is not None else "keep-right"
    threshold = candidates[policy]
    near = (part.kinds == RIGHT) | (part.kinds == "shifted")
    auc, auc_near = roc_auc(quality, labels), roc_auc(quality[near], labels[near])
    return {
        "pairs": {kind: int((part.kinds == kind).sum()) for kind in (RIGHT,) + NEGATIVE_KINDS
                  if (part.kinds == kind).any()},
        "threshold": threshold,
        "threshold_by": policy,
        "keep_right": settings.keep_right,
        "target_precision": settings.target_precision,
        "negative_limits": settings.negative_limits,
        "precision": _precision(quality, labels, part.passes, threshold),
        "kept_at_threshold": keep_rates(quality, part, threshold),
        "kept_at_0.5": keep_rates(quality, part, 0.5),
        "alternatives": {**{name: _at(quality, part, t) for name, t in candidates.items()},
                         "0.5": _at(quality, part, 0.5)},
        "by_threshold": {str(t / 10): {"precision": _precision(quality, labels, part.passes, t / 10),
                                       "kept": keep_rates(quality, part, t / 10)} for t in range(1, 10)},
        "auc": None if auc is None else round(auc, 4),
        "auc_right_vs_shifted": None if auc_near is None else round(auc_near, 4),
        "ece": round(ece(quality, labels), 4),
    }


# the calibration -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CalibrateSettings:
    features: tuple[str, ...] = DEFAULT_FEATURES
    target_precision: float = 0.95
    keep_right: float = 0.95  # the share of right pairs the keep-right threshold keeps, out of fold
    threshold_by: str = "keep-right"  # the policy of the model's threshold (THRESHOLD_POLICIES)
    max_near: float = 0.05  # the share of shifted neighbours (near misses) the negatives threshold may keep
    max_random: float = 0.005  # and of random pairs
    near_weight: float = 1.0  # the weight in the fit of a shifted neighbour against another negative
    block: int = 50  # consecutive pairs of a block (the unit held out)
    folds: int = 5  # block n is in fold n % folds; each fold is predicted by the model fitted on the others
    seed: int = 3

    def __post_init__(self) -> None:
        unknown = [f for f in self.features if f not in SELECTABLE_NAMES]
        if unknown or not self.features:
            raise ConfigurationError(f"unknown signal {unknown[0] if unknown else '(none)'}: "
                                     f"choose among {', '.join(SELECTABLE_NAMES)}")
        if len(set(self.features)) < len(self.features):
            raise ConfigurationError(f"a signal is named twice: {', '.join(self.features)}")
        if not 0.5 <= self.target_precision < 1.0:
            raise ConfigurationError(f"target precision {self.target_precision} is outside [0.5, 1)")
        if not 0.5 <= self.keep_right < 1.0:
            raise ConfigurationError(f"the share of right pairs to keep, {self.keep_right}, is outside [0.5, 1)")
        if not (0.0 <= self.max_near < 1.0 and 0.0 <= self.max_random < 1.0):
            raise ConfigurationError(f"the shares of near misses and random pairs to keep, {self.max_near} and "
                                     f"{self.max_random}, are outside [0, 1)")
        if not 0.1 <= self.near_weight <= 100:
            raise ConfigurationError(f"the weight of near misses, {self.near_weight}, is outside [0.1, 100]")
        if self.threshold_by not in THRESHOLD_POLICIES:
            raise ConfigurationError(f"unknown threshold policy {self.threshold_by!r}: "
                                     f"choose among {', '.join(THRESHOLD_POLICIES)}")
        if self.block < 2 or self.folds < 2:
            raise ConfigurationError("a block holds at least 2 pairs, and there are at least 2 folds")

    @property
    def negative_limits(self) -> dict[str, float]:
        """The most of each kind of negative the ``negatives`` threshold keeps."""
        return {"shifted": self.max_near, "random": self.max_random}


@dataclass(frozen=True)
class Calibration:
    model: dict  # the model file's content
    figures: dict  # what the fit achieves out of fold


def _examples(documents, wrong, seed: int) -> list[Example]:
    return synthetic_examples(documents, seed) + [Example(z, e, LABELLED) for z, e in wrong]


def _folds(sample: CleanSample, settings: CalibrateSettings) -> list[list[Example]]:
    """The examples of each fold: block ``n`` (and labelled-wrong pair ``n``) is in fold
    ``n % folds``; each fold's negatives are made from its own blocks."""
    k = settings.folds
    folds = [_examples(sample.documents[f::k], sample.wrong[f::k], settings.seed) for f in range(k)]
    if any(len({e.label for e in fold}) < 2 for fold in folds):
        raise InputError(f"the sample is too small: a fold has no right pair or no negative ({sample.size} pairs "
                         f"in blocks of {settings.block}; give a few hundred pairs, or a smaller --block)")
    return folds


def _balanced(kinds: np.ndarray, near_weight: float = 1.0) -> np.ndarray:
    """Weights under which right and wrong pairs weigh the same, a shifted neighbour
    ``near_weight`` times another negative.

    >>> _balanced(np.array(["right", "right", "shifted", "random"]), 3.0).round(3).tolist()
    [0.25, 0.25, 0.375, 0.125]
    """
    right = kinds == RIGHT
    wrong = np.where(right, 0.0, np.where(kinds == "shifted", near_weight, 1.0))
    return np.where(right, 0.5 / right.sum(), 0.5 * wrong / wrong.sum())


def _stacked(parts: Sequence[JudgedPart]) -> JudgedPart:
    return JudgedPart(np.vstack([p.features for p in parts]), np.concatenate([p.kinds for p in parts]),
                      np.concatenate([p.passes for p in parts]))


def calibrate(sample: CleanSample, encoder, settings: CalibrateSettings = CalibrateSettings()) -> Calibration:
    """Fit the quality model on ``sample`` (right and wrong weighing the same) and measure it
    out of fold: each fold is judged as one file and predicted by the model fitted on the
    others; the model written is fitted on every fold."""
    from .quality import load_quality_model

    shipped = load_quality_model()
    second = second_encoder(encoder) if any(f.startswith("e5_") for f in settings.features) else None
    parts = [judge_part(fold, settings.features, encoder, shipped, second) for fold in _folds(sample, settings)]
    predicted = []
    for k, part in enumerate(parts):
        rest = _stacked(parts[:k] + parts[k + 1:])
        weights = _balanced(rest.kinds, settings.near_weight)
        predicted.append(predict(fit_logistic(rest.features, rest.labels, weights), part.features))
    everything = _stacked(parts)
    measured = figures(np.concatenate(predicted), everything, settings)
    w = fit_logistic(everything.features, everything.labels, _balanced(everything.kinds, settings.near_weight))
    return Calibration(_model_file(sample, settings, encoder, w, measured, int(everything.labels.sum())), measured)


def _model_file(sample: CleanSample, settings: CalibrateSettings, encoder, w: np.ndarray, measured: dict,
                right: int) -> dict:
    from .quality import estimated_length_ratio, load_quality_model

    logistic = {"features": list(settings.features), "weights": [round(float(v), 6) for v in w[:-1]],
                "bias": round(float(w[-1]), 6)}
    trained = (f"{sum(measured['pairs'].values())} pairs ({right} right) from {sample.size} clean pairs of "
               f"{', '.join(sample.files)}: right pairs vs shifted, random, truncated, extended, replaced and "
               "zh-truncated pairs" + (", and pairs labelled wrong" if sample.wrong else ""))
    optional = [f for f in settings.features if f in OPTIONAL_SIGNALS]
    signature = (f"calibrated-logreg|domain|bitext:{'+'.join(settings.features)}|enc:{encoder.signature}"
                 + (f"|optional:{describe(optional)}" if optional else "")
                 + (f"|near-weight:{settings.near_weight:g}" if settings.near_weight != 1 else "")
                 + f"|sample:{sample.size}:{sample.sha256[:12]}|seed:{settings.seed}|v1")
    ratio = estimated_length_ratio([p for d in sample.documents for p in d], load_quality_model().length_ratio)
    return {**logistic, "signals": signal_descriptions(settings.features, encoder.signature),
            "length_ratio": ratio, "trained_on": trained, "signature": signature,
            "threshold": measured["threshold"], "threshold_by": measured["threshold_by"],
            "sample": {"pairs": sample.size, "labelled_wrong": len(sample.wrong), "files": list(sample.files),
                       "sha256": sample.sha256},
            "out_of_fold": measured, "methods": {"bitext": {**logistic, "trained_on": trained}}}


def signal_descriptions(features: Sequence[str], encoder_signature: str) -> dict[str, str]:
    """What each signal a model weighs is and how it is measured: the run's own signals by
    their signature, the optional ones (computed only for a model that names them) by theirs."""
    from .signals import SIGNALS, SignalSettings

    own = {s.name: s.describe(SignalSettings(encoder_signature=encoder_signature)) for s in SIGNALS}
    return {f: own[f] if f in own else f"optional|{OPTIONAL_SIGNALS[f].what.format(k=4)}" for f in features}


POLICY_WORDS = MappingProxyType({"keep-right": "the highest keeping {keep_right:.0%} of the right pairs",
                "precision": "the lowest whose kept pairs are {target_precision:.0%} right",
                "negatives": "the lowest keeping at most {negative_limits[shifted]:.1%} of shifted neighbours and "
                             "{negative_limits[random]:.1%} of random pairs",
                "0.5": "the default"})


def _kept_line(at: dict) -> str:
    kept = at["kept"]
    right = kept.get(RIGHT, 0.0)
    wrong = ", ".join(f"{kind} {rate:.1%}" for kind, rate in kept.items() if kind != RIGHT)
    return (f"keeps {right:.1%} of right pairs (drops {1 - right:.1%}), precision {at['precision']}; "
            f"wrong pairs kept: {wrong}")


def figure_lines(measured: dict) -> list[str]:
    """The out-of-fold figures of a calibration as a few lines of text: what the chosen
    threshold keeps and drops, the other policies' thresholds, keep rates by threshold."""
    pairs = ", ".join(f"{kind} {n}" for kind, n in measured["pairs"].items())
    policy = measured["threshold_by"]
    chosen = {"threshold": measured["threshold"], "precision": measured["precision"],
              "kept": measured["kept_at_threshold"]}
    lines = [f"out-of-fold pairs: {pairs}",
             f"AUC {measured['auc']} (right vs shifted neighbours {measured['auc_right_vs_shifted']}), "
             f"ECE {measured['ece']}",
             f"threshold {measured['threshold']} ({policy}: {POLICY_WORDS[policy].format(**measured)}), "
             f"out of fold it {_kept_line(chosen)}"]
    if chosen["kept"].get(RIGHT, 0.0) < 0.5:
        lines.append("warning: this threshold drops most right pairs; give --min-quality, or --threshold-by keep-right")
    lines.append("other thresholds (--min-quality):")
    for name, at in measured["alternatives"].items():
        words = POLICY_WORDS[name].format(**measured)
        lines.append(f"  {name} ({words}): " + ("none" if at is None else f"{at['threshold']}, {_kept_line(at)}"))
    lines.append("by threshold: precision, then the share kept of each kind")
    for t, at in measured["by_threshold"].items():
        lines.append(f"  {t}: {at['precision']}, " + ", ".join(f"{k} {v:.3f}" for k, v in at["kept"].items()))
    return lines
