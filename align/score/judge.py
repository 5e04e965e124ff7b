"""One judge of pairs, the same for ``align run`` and for rescoring: built once per group of
related documents (a run) or per corpus (rescoring), it holds the quality model, the expected
length ratio of each method (measured once on the pairs it judges, where the model measures it
per file), the hard rules of each method (built once) and one chrF scorer; it finds the
k nearest neighbours of every pair in one batch, then gives each pair its signals, the hard
rules it breaks and its quality under the model of its method."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from ..errors import InputError
from ..language import translatable_length
from ..similarity import knn_mean
from .hardrules import HardRule, RuleResult, hard_rules
from .keyed import KEYED, keyed_rules
from .metrics import SentenceChrf
from .optional import SELECTABLE_NAMES, derived_signals, optional_signals, wanted
from .quality import QualityModel, read_quality_model
from .signals import PairEvidence, pair_signals


@dataclass(frozen=True)
class Judgement:
    signals: dict
    quality: float
    rejected_by: tuple[str, ...]  # the hard rules the pair breaks
    rule_details: tuple[str, ...]  # what each of them found


@dataclass(frozen=True)
class ToJudge:
    """One pair to judge: its texts and method, the vectors of its sides, its garble, the
    machine translations of its sides (``""``: none), and the signals measured before that
    its evidence cannot give again (a margin against the documents the pair came from), which
    replace the computed ones."""

    zh: str
    en: str
    method: str
    zh_vec: np.ndarray
    en_vec: np.ndarray
    garble: float
    zh_translation: str = ""
    en_translation: str = ""
    recorded: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Judge:
    """The judge of one group or one corpus. ``ratios`` and ``rules`` are by the pair's method."""

    model: QualityModel
    ratios: Mapping[str, float]
    rules: Mapping[str, tuple[HardRule, ...]]
    chrf: SentenceChrf = field(default_factory=SentenceChrf, compare=False)

    @classmethod
    def of(cls, model: QualityModel, pairs: Iterable[tuple[str, str, str]]) -> Judge:
        """The judge of the ``(method, zh, en)`` pairs of one group or corpus: the length ratio
        of each method the model judges by, once (measured on the pairs judged by it where the
        model measures it per file: bitext and keyed pairs), and the rules of each method, once."""
        texts: dict[str, list[tuple[str, str]]] = {}
        methods: set[str] = set()
        for method, zh, en in pairs:
            methods.add(method)
            texts.setdefault(model.judged_as(method), []).append((zh, en))
        by_model = {judged: model.length_ratio_for(judged, group) for judged, group in texts.items()}
        ratios = {method: by_model[model.judged_as(method)] for method in sorted(methods)}
        rules = {method: keyed_rules() if method == KEYED else hard_rules(ratio) for method, ratio in ratios.items()}
        return cls(model, MappingProxyType(ratios), MappingProxyType(rules))

    def broken(self, zh: str, en: str, method: str) -> tuple[RuleResult, ...]:
        """The hard rules of ``method`` the pair breaks, with what each found."""
        return tuple(r for r in (rule.check(zh, en) for rule in self.rules[method]) if not r.passed)

    def judge(self, evidence: PairEvidence, method: str, recorded: Mapping[str, float] | None = None) -> Judgement:
        """Judge one pair of ``method`` (one the judge was built for); the optional signals the
        model weighs that derive from the others are derived here (``derived_signals``)."""
        signals = {**pair_signals(evidence, self.ratios[method], self.chrf), **(recorded or {})}
        failed = self.broken(evidence.zh, evidence.en, method)
        zh_chars = translatable_length(evidence.zh, "zh")
        signals.update(derived_signals(signals, zh_chars, wanted(self.model)))
        return Judgement(signals, round(self.model.score(signals, signals["garble"], method, zh_chars), 4),
                         tuple(r.name for r in failed), tuple(r.detail for r in failed))

    def judge_all(self, items: Sequence[ToJudge], zh_space: np.ndarray, en_space: np.ndarray, k: int,
                  progress: Callable | None = None, encoder=None) -> list[Judgement]:
        """Judge every pair of ``items``; each side's k nearest neighbours are looked for in one
        batch, the Chinese side's among ``en_space`` (English vectors) and the English side's
        among ``zh_space``. The optional signals the model weighs (none for the shipped one)
        are measured on ``items`` as one file (``encoder``: whose store the second one shares)."""
        if not items:
            return []
        extra = optional_signals([(item.zh, item.en) for item in items], wanted(self.model), encoder, k)
        kx = knn_mean(np.stack([item.zh_vec for item in items]), en_space, k)
        ky = knn_mean(np.stack([item.en_vec for item in items]), zh_space, k)
        numbered = list(enumerate(items))
        out = []
        for i, item in progress(numbered, desc="rescore", unit="pair") if progress else numbered:
            evidence = PairEvidence(item.zh, item.en, item.zh_vec, item.en_vec, float(kx[i]), float(ky[i]),
                                    item.garble, item.zh_translation, item.en_translation)
            out.append(self.judge(evidence, item.method, {**extra[i], **item.recorded}))
        return out


def judge_pairs(items: Sequence[ToJudge], model: QualityModel, zh_space: np.ndarray, en_space: np.ndarray,
                k: int, progress: Callable | None = None, encoder=None) -> list[Judgement]:
    """Judge the pairs of one group or corpus by one judge built for them (``Judge.judge_all``)."""
    return Judge.of(model, ((item.method, item.zh, item.en) for item in items)).judge_all(
        items, zh_space, en_space, k, progress, encoder)


def quality_model(path: str | None = None) -> QualityModel:
    """The model that judges pairs: the file at ``path`` (``align calibrate`` writes one), else
    the shipped one; a file whose model asks for a signal ``align`` does not compute is refused."""
    model = read_quality_model(path)
    for logistic in (model.default, *model.methods.values()):
        unknown = [f for f in logistic.features if f not in SELECTABLE_NAMES]
        if unknown:
            raise InputError(f"{path}: the model asks for the signal {unknown[0]!r}, which align does not compute")
    return model
