"""The accept decision: which scored pairs are exported, and why the others are not.

One decision serves ``align run`` and ``align score CORPUS``: a pair that breaks a hard rule
is left out unless rejected pairs are kept; then a pair below the minimum quality is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigurationError
from ..records import Pair, Unaligned
from ..signature import settings_signature

REJECTED_BY_RULE = "rejected_by_rule"
BELOW_MIN_QUALITY = "below_min_quality"
# The threshold align run and align score keep pairs at: quality estimates the probability
# that a pair is a translation, so 0.5 keeps the pairs more likely right than wrong
# (bench/quality.py, bench/calibrate.py give what it keeps and drops on each benchmark).
DEFAULT_MIN_QUALITY = 0.5


@dataclass(frozen=True)
class SelectSettings:
    min_quality: float = DEFAULT_MIN_QUALITY  # the command line's default too
    keep_rejected: bool = False
    dedup: bool = False  # keep one copy of pairs with the same texts (see ``score.dedup``)

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_quality <= 1.0:
            raise ConfigurationError(f"min_quality {self.min_quality} is outside [0, 1]")

    def signature(self) -> str:
        return settings_signature("select", self)


@dataclass(frozen=True)
class Verdict:
    """Why a pair is left out: a reason code and a human-readable detail."""

    reason: str
    detail: str


def rules_text(rejected_by: Sequence[str], details: Sequence[str] = ()) -> str:
    """``number_mismatch (zh has 1992, en has 2023),identical``.

    >>> rules_text(("number_mismatch", "identical"), ("zh has 5", ""))
    'number_mismatch (zh has 5),identical'
    """
    details = tuple(details) + ("",) * (len(rejected_by) - len(details))
    return ",".join(f"{name} ({detail})" if detail else name for name, detail in zip(rejected_by, details))


def verdict(quality: float, rejected_by: Sequence[str], settings: SelectSettings,
            details: Sequence[str] = ()) -> Verdict | None:
    """``None`` when the pair is kept, else why it is left out.

    >>> verdict(0.9, (), SelectSettings(0.5)) is None
    True
    >>> verdict(0.9, ("identical",), SelectSettings(0.5)).reason
    'rejected_by_rule'
    >>> verdict(0.4, (), SelectSettings(0.5)).detail
    'quality 0.4000 < 0.5'
    """
    if rejected_by and not settings.keep_rejected:
        return Verdict(REJECTED_BY_RULE, rules_text(rejected_by, details))
    if quality < settings.min_quality:
        return Verdict(BELOW_MIN_QUALITY, f"quality {quality:.4f} < {settings.min_quality}")
    return None


def select_pairs(pairs: list[Pair], settings: SelectSettings) -> tuple[list[Pair], list[Unaligned]]:
    """Kept pairs, and an ``Unaligned`` for every sentence of each pair left out."""
    kept, dropped = [], []
    for pair in pairs:
        why = verdict(pair.quality, pair.rejected_by, settings, pair.rule_details)
        if why is None:
            kept.append(pair)
            continue
        for s in pair.zh + pair.en:
            other = pair.en_text if s.lang == "zh" else pair.zh_text
            dropped.append(Unaligned(s, why.reason, f"{why.detail}; paired with: {other[:200]}", pair))
    return kept, dropped
