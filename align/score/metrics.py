"""Translation metrics via sacrebleu: corpus and sentence BLEU, chrF, chrF++ and TER.

Each score travels with sacrebleu's signature, so a number is never separated from how it
was made. Chinese targets use BLEU's ``zh`` tokenizer and TER's Asian support.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def make_metrics(target_lang: str):
    """The metric objects for a target language, by name."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    if target_lang not in TARGET_LANGS:
        raise InputError(f"unknown target language {target_lang!r}: use zh or en")
    zh = target_lang == "zh"
    return {
        "BLEU": BLEU(tokenize="zh" if zh else "13a"),
        "chrF": CHRF(),
        "chrF++": CHRF(word_order=2),
        "TER": TER(asian_support=zh),
    }


def check_lines(hyps: Sequence[str], refs: Sequence[Sequence[str]], names: Sequence[str]) -> None:
    if not hyps:
        raise InputError(f"{names[0]}: empty file")
    for ref, name in zip(refs, names[1:]):
        if len(ref) != len(hyps):
            raise InputError(f"{name}: {len(ref)} lines, but the hypothesis has {len(hyps)}")


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], target_lang: str) -> list[MetricScore]:
    out = []
    for name, metric in make_metrics(target_lang).items():
        result = metric.corpus_score(list(hyps), [list(r) for r in refs])
        out.append(MetricScore(name, float(result.score), str(metric.get_signature()),
                               name != "TER", str(result)))
    return out


def sentence_metrics(target_lang: str):
    """The metrics for per-line scores: BLEU with effective order, as sacrebleu recommends
    for single sentences (so it warns about none)."""
    from sacrebleu.metrics import BLEU

    metrics = make_metrics(target_lang)
    metrics["BLEU"] = BLEU(tokenize="zh" if target_lang == "zh" else "13a", effective_order=True)
    return metrics


def sentence_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], target_lang: str
                    ) -> tuple[list[dict], dict[str, str]]:
    """Per-line scores, and the signature of each metric as used for them."""
    metrics = sentence_metrics(target_lang)
    rows = []
    for i, hyp in enumerate(hyps):
        row = {"line": i + 1}
        for name, metric in metrics.items():
            row[name] = round(float(metric.sentence_score(hyp, [r[i] for r in refs]).score), 4)
        rows.append(row)
    return rows, {name: str(metric.get_signature()) for name, metric in metrics.items()} if rows else {}


def sentence_chrf(hyp: str, ref: str, target_lang: str) -> float:
    """chrF of one translation against one reference, in [0, 1] (for per-pair MT signals).

    >>> round(sentence_chrf("She wears sunglasses.", "She wears sunglasses.", "en"), 2)
    1.0
    """
    from sacrebleu.metrics import CHRF

    if not hyp.strip() or not ref.strip():
        return 0.0
    return float(CHRF().sentence_score(hyp, [ref]).score) / 100.0
