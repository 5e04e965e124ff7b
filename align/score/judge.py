"""One judgement of a pair, the same for ``align run`` and for rescoring: its signals, the
hard rules it breaks and its quality under the model of its method."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..language import translatable_length
from .hardrules import check_rules
from ..errors import InputError
from .keyed import KEYED, check_keyed_rules
from .quality import QualityModel, read_quality_model
from .metrics import SentenceChrf
from .optional import SELECTABLE_NAMES
from .signals import PairEvidence, pair_signals


@dataclass(frozen=True)
class Judgement:
    signals: dict
    quality: float
    rejected_by: tuple[str, ...]  # the hard rules the pair breaks
    rule_details: tuple[str, ...]  # what each of them found


def judge(evidence: PairEvidence, method: str, model: QualityModel, length_ratio: float,
          recorded: Mapping[str, float] | None = None, chrf: SentenceChrf | None = None) -> Judgement:
    """Judge one pair. ``length_ratio`` is the expected ratio for its method
    (``QualityModel.length_ratio_for``); ``recorded`` holds signals measured before that
    the evidence cannot give again (a margin against the documents a pair came from), and
    they replace the computed ones; ``chrf``: the MT-signal scorer of a run of judgements."""
    signals = {**pair_signals(evidence, length_ratio, chrf), **(recorded or {})}
    failed = (check_keyed_rules(evidence.zh, evidence.en) if method == KEYED
              else check_rules(evidence.zh, evidence.en, length_ratio))
    zh_chars = translatable_length(evidence.zh, "zh")
    return Judgement(signals, round(model.score(signals, signals["garble"], method, zh_chars), 4),
                     tuple(r.name for r in failed), tuple(r.detail for r in failed))


def quality_model(path: str | None = None) -> QualityModel:
    """The model that judges pairs: the file at ``path`` (``align calibrate`` writes one), else
    the shipped one; a file whose model asks for a signal ``align`` does not compute is refused."""
    model = read_quality_model(path)
    for logistic in (model.default, *model.methods.values()):
        unknown = [f for f in logistic.features if f not in SELECTABLE_NAMES]
        if unknown:
            raise InputError(f"{path}: the model asks for the signal {unknown[0]!r}, which align does not compute")
    return model
