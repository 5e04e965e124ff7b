"""The accept decision: which scored pairs are exported, and why the others are not.

One decision serves ``align run`` and ``align score CORPUS``: a pair that breaks a hard rule
is left out unless rejected pairs are kept; then a pair below the minimum quality is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigurationError
from ..records import Pair, Unaligned, bead_id
from ..signature import settings_signature
from .dedup import DEDUP_MODES, DUPLICATE, SHARED, duplicate_of

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
    dedup: str | bool = False  # keep one pair of duplicates: pair, source, target or near (see ``score.dedup``)
    no_rules: tuple[str, ...] = ()  # hard rules switched off: a pair that breaks only these is kept

    def __post_init__(self) -> None:
        from .hardrules import RULE_NAMES

        if not 0.0 <= self.min_quality <= 1.0:
            raise ConfigurationError(f"min_quality {self.min_quality} is outside [0, 1]")
        if self.dedup is None:
            object.__setattr__(self, "dedup", False)
        if self.dedup is True:  # the settings of align 0.1, where --dedup was a switch
            object.__setattr__(self, "dedup", "pair")
        if self.dedup is not False and self.dedup not in DEDUP_MODES:
            raise ConfigurationError(f"unknown dedup mode {self.dedup!r}: choose among {', '.join(DEDUP_MODES)}")
        unknown = [n for n in self.no_rules if n not in RULE_NAMES]
        if unknown:
            raise ConfigurationError(f"unknown rule {unknown[0]!r}: the rules are {', '.join(RULE_NAMES)}")

    def signature(self) -> str:
        return settings_signature("select", self, skip=() if self.no_rules else ("no_rules",))


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
    details = tuple(details) + ("",) * (len(rejected_by) - len(details))
    enforced = [(name, detail) for name, detail in zip(rejected_by, details) if name not in settings.no_rules]
    if enforced and not settings.keep_rejected:
        return Verdict(REJECTED_BY_RULE, rules_text(*zip(*enforced)))
    if quality < settings.min_quality:
        return Verdict(BELOW_MIN_QUALITY, f"quality {quality:.4f} < {settings.min_quality}")
    return None


@dataclass(frozen=True)
class Judged:
    """What the accept decision sees of a pair: its texts, quality, the rules it breaks (with
    what each found) and its id (named when a duplicate of it is left out)."""

    zh: str
    en: str
    quality: float
    rejected_by: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    id: str = ""

    @classmethod
    def of_pair(cls, pair: Pair) -> Judged:
        return cls(pair.zh_text, pair.en_text, pair.quality, pair.rejected_by, pair.rule_details,
                   bead_id([s.id for s in pair.zh], [s.id for s in pair.en]))


def decide(items: Sequence[Judged], settings: SelectSettings) -> list[Verdict | None]:
    """The verdict of each pair: the hard rules (but those switched off), then the minimum
    quality, then (``settings.dedup``) one pair of each set of duplicates among those kept,
    the best, the others left out as ``duplicate``."""
    verdicts = [verdict(j.quality, j.rejected_by, settings, j.details) for j in items]
    if not settings.dedup:
        return verdicts
    kept = [n for n, v in enumerate(verdicts) if v is None]
    winners = duplicate_of([(items[n].zh, items[n].en, items[n].quality) for n in kept], settings.dedup)
    for n, winner in zip(kept, winners):
        if winner is not None:
            w = items[kept[winner]]
            verdicts[n] = Verdict(DUPLICATE, f"{SHARED[settings.dedup]} pair {w.id} (quality {w.quality:.4f}), "
                                             "which is kept")
    return verdicts


def unaligned_of(pair: Pair, why: Verdict) -> list[Unaligned]:
    """An ``Unaligned`` for every sentence of a pair left out, saying why (and with what)."""
    out = []
    for s in pair.zh + pair.en:
        other = pair.en_text if s.lang == "zh" else pair.zh_text
        detail = why.detail if why.reason == DUPLICATE else f"{why.detail}; paired with: {other[:200]}"
        out.append(Unaligned(s, why.reason, detail, pair))
    return out


def select_pairs(pairs: list[Pair], settings: SelectSettings) -> tuple[list[Pair], list[Unaligned]]:
    """Kept pairs, and an ``Unaligned`` for every sentence of each pair left out."""
    verdicts = decide([Judged.of_pair(p) for p in pairs], settings)
    return ([p for p, v in zip(pairs, verdicts) if v is None],
            [u for p, v in zip(pairs, verdicts) if v is not None for u in unaligned_of(p, v)])
