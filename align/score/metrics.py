"""Translation metrics via sacrebleu: corpus and sentence BLEU, chrF, chrF++ and TER.

Each score travels with sacrebleu's signature, so a number is never separated from how it
was made. Chinese targets use BLEU's ``zh`` tokenizer and TER's Asian support (with the
normalisation it needs). Several systems are compared by sacrebleu's paired tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..errors import InputError

TARGET_LANGS = ("zh", "en")


@dataclass(frozen=True)
class MetricScore:
    name: str
    score: float
    signature: str
    higher_is_better: bool
    detail: str = ""

    def as_dict(self) -> dict:
        return {"metric": self.name, "score": round(self.score, 4), "signature": self.signature,
                "higher_is_better": self.higher_is_better, "detail": self.detail}


METRICS = ("bleu", "chrf", "chrf++", "ter")  # sacrebleu's -m names, and chrF++ (chrF with word order 2)
TITLES = MappingProxyType({"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"})


def make_metrics(target_lang: str, names: Sequence[str] = METRICS):
    """The metric objects for a target language, by display name. Chinese targets use BLEU's
    ``zh`` tokenizer and TER with Asian support *and* normalisation: sacrebleu applies
    ``asian_support`` only when ``normalized`` is on (``TER(asian_support=True)`` alone scores
    every Chinese input 100)."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    if target_lang not in TARGET_LANGS:
        raise InputError(f"unknown target language {target_lang!r}: use zh or en")
    unknown = [n for n in names if n not in METRICS]
    if unknown:
        raise InputError(f"unknown metric {unknown[0]!r}: use {', '.join(METRICS)}")
    zh = target_lang == "zh"
    build = {
        "bleu": lambda: BLEU(tokenize="zh" if zh else "13a"),
        "chrf": lambda: CHRF(),
        "chrf++": lambda: CHRF(word_order=2),
        "ter": lambda: TER(asian_support=zh, normalized=zh),
    }
    return {TITLES[n]: build[n]() for n in dict.fromkeys(names)}


def check_lines(hyps: Sequence[str], refs: Sequence[Sequence[str]], names: Sequence[str]) -> None:
    if not hyps:
        raise InputError(f"{names[0]}: empty file")
    for ref, name in zip(refs, names[1:]):
        if len(ref) != len(hyps):
            raise InputError(f"{name}: {len(ref)} lines, but the hypothesis has {len(hyps)}")


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], target_lang: str,
                  names: Sequence[str] = METRICS, n_bootstrap: int = 1) -> list[MetricScore]:
    """Corpus scores with sacrebleu's signatures; with ``n_bootstrap`` > 1, each with its
    bootstrap mean and 95% confidence interval (as ``sacrebleu --confidence``)."""
    out = []
    for name, metric in make_metrics(target_lang, names).items():
        result = metric.corpus_score(list(hyps), [list(r) for r in refs], n_bootstrap=n_bootstrap)
        out.append(MetricScore(name, float(result.score), str(metric.get_signature()), name != "TER", str(result)))
    return out


@dataclass(frozen=True)
class SystemComparison:
    """A paired significance test of systems against the first (the baseline), as
    ``sacrebleu --paired-bs`` or ``--paired-ar``: per metric, each system's score, its
    mean and 95% interval, and the p-value of its difference from the baseline."""

    signatures: dict
    rows: list  # one dict a system: {"system": name, metric: {"score", "mean", "ci", "p_value"}}

    def as_dict(self) -> dict:
        return {"signatures": self.signatures, "systems": self.rows}


def compare_systems(systems: Sequence[tuple[str, Sequence[str]]], refs: Sequence[Sequence[str]], target_lang: str,
                    names: Sequence[str] = METRICS, test: str = "bs", samples: int = 0) -> SystemComparison:
    """Paired bootstrap resampling (``test="bs"``) or approximate randomization (``"ar"``)
    of every system against the first, by sacrebleu's ``PairedTest``."""
    from sacrebleu.significance import PairedTest

    metrics = make_metrics(target_lang, names)
    paired = PairedTest([(n, list(h)) for n, h in systems], metrics, [list(r) for r in refs], test_type=test,
                        n_samples=samples)
    signatures, columns = paired()
    rows = []
    for k, (name, _) in enumerate(systems):
        row = {"system": name}
        for metric in metrics:
            result = columns[metric][k]
            row[metric] = {"score": round(float(result.score), 4),
                           "mean": None if result.mean is None else round(float(result.mean), 4),
                           "ci": None if result.ci is None else round(float(result.ci), 4),
                           "p_value": None if result.p_value is None else round(float(result.p_value), 4)}
        rows.append(row)
    return SystemComparison({m: str(sig.format()) for m, sig in signatures.items()}, rows)


def sentence_metrics(target_lang: str, names: Sequence[str] = METRICS):
    """The metrics for per-line scores: BLEU with effective order, as sacrebleu recommends
    for single sentences (so it warns about none)."""
    from sacrebleu.metrics import BLEU

    metrics = make_metrics(target_lang, names)
    if "BLEU" in metrics:
        metrics["BLEU"] = BLEU(tokenize="zh" if target_lang == "zh" else "13a", effective_order=True)
    return metrics


def sentence_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], target_lang: str,
                    names: Sequence[str] = METRICS) -> tuple[list[dict], dict[str, str]]:
    """Per-line scores, and the signature of each metric as used for them."""
    metrics = sentence_metrics(target_lang, names)
    rows = []
    for i, hyp in enumerate(hyps):
        row = {"line": i + 1}
        for name, metric in metrics.items():
            row[name] = round(float(metric.sentence_score(hyp, [r[i] for r in refs]).score), 4)
        rows.append(row)
    return rows, {name: str(metric.get_signature()) for name, metric in metrics.items()} if rows else {}


class SentenceChrf:
    """chrF of one translation against one reference, in [0, 1] (for per-pair MT signals):
    one sacrebleu ``CHRF`` built on first use and kept for every pair the scorer sees.

    >>> round(SentenceChrf()("She wears sunglasses.", "She wears sunglasses.", "en"), 2)
    1.0
    """

    def __init__(self) -> None:
        self._metric = None

    def __call__(self, hyp: str, ref: str, target_lang: str) -> float:
        if not hyp.strip() or not ref.strip():
            return 0.0
        if self._metric is None:
            from sacrebleu.metrics import CHRF

            self._metric = CHRF()
        return float(self._metric.sentence_score(hyp, [ref]).score) / 100.0