"""Corpus scores of one or more systems against references, as ``align score --ref`` prints
them: sacrebleu's metrics and the neural ones (``neural.py``), each with its signature, over
every line or (``--exclude-flagged``) over the lines no system has a flag on."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace

from .flags import FlaggedSystems
from .metrics import MetricScore, corpus_scores
from .neural import NEURAL, CometSettings, NeuralLines, check_neural, comet_scorer


def split_names(names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """sacrebleu's metric names, and the neural ones.

    >>> split_names(("bleu", "comet", "chrf"))
    (('bleu', 'chrf'), ('comet',))
    """
    return tuple(n for n in names if n not in NEURAL), tuple(n for n in names if n in NEURAL)


@dataclass(frozen=True)
class SystemScores:
    corpus: list[list[MetricScore]]  # per system: sacrebleu's metrics, then the neural ones
    neural: list[list[NeuralLines]]  # per system: the per-line scores of each neural metric


def score_systems(outputs: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], sources: Sequence[str] | None,
                  target_lang: str, names: Sequence[str], flagged: FlaggedSystems,
                  comet: CometSettings = CometSettings(), n_bootstrap: int = 1) -> SystemScores:
    """Every system's corpus scores over ``flagged.kept``, the signatures saying when lines
    were left out."""
    lexical, neural_names = split_names(names)
    check_neural(neural_names, comet, sources is not None, bool(refs))
    kept_refs = [flagged.select(r) for r in refs]
    corpus, neural = [], []
    with ExitStack() as stack:
        scorer = stack.enter_context(comet_scorer(comet)) if neural_names else None
        for hyps in outputs:
            scores = [replace(s, signature=flagged.sign(s.signature)) for s in corpus_scores(
                flagged.select(hyps), kept_refs, target_lang, lexical, n_bootstrap)] if lexical else []
            lines = [scorer.score_lines(n, sources, hyps, refs) for n in neural_names]
            corpus.append(scores + [n.corpus(flagged.kept, flagged.note) for n in lines])
            neural.append(lines)
    return SystemScores(corpus, neural)
