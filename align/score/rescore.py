"""Rescore an existing corpus (read by ``io.corpus``: JSONL from ``align run``, any TMX, XLIFF,
PO, TSV or Moses pair) with the current signals, by one ``Judge`` for the whole corpus.

The signals come from the same computation as in ``align run`` (``signals.pair_signals``).
Two of them depend on what the corpus no longer holds, and are read from the record when
the corpus carries them (``align run`` records and TMX ``x-signal-*`` props): garble (the
source text before repair) and the margin (measured against the documents the pair came
from). Otherwise garble is measured by running the normalizers and the margin against the
whole corpus. The quality model is the one of the pair's method (``x-method``, ``method``),
``parallel`` where the corpus does not say.
Signals that cannot be recomputed (MT chrF without the translations) are kept as read.
A rescoring's signatures (``rescoring_signatures``) name what it scored and filtered with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..embed import Encoder
from ..garble import text_garble
from ..io.corpus import CorpusEntry
from .judge import ToJudge, judge_pairs
from .quality import QualityModel, load_quality_model
from .audit import filter_audit
from .dedup import DUPLICATE
from .select import BELOW_MIN_QUALITY, REJECTED_BY_RULE, Judged, SelectSettings, decide
from .signals import SIGNALS, SignalSettings


@dataclass(frozen=True)
class Rescored:
    entry: CorpusEntry
    signals: dict
    quality: float
    rejected_by: tuple[str, ...]
    rule_details: tuple[str, ...] = ()


def _garble(entry: CorpusEntry) -> float:
    value = entry.signals.get("garble")
    return float(value) if isinstance(value, (int, float)) else text_garble(entry.zh, entry.en)


def _recorded(entry: CorpusEntry, same_encoder: bool) -> dict:
    """The signals of an entry the corpus measured better than a rescoring can: its cosine
    when this same encoder measured it (encoding a text again in another batch only adds
    float noise, which can flip a rounded value), its margin (against the documents the
    pair came from) and MT chrF (the translations are not in the corpus)."""
    numeric = {n: v for n, v in entry.signals.items() if isinstance(v, (int, float))}
    keep = {"margin"} | ({"cosine"} if same_encoder else set())
    recorded = {n: v for n, v in numeric.items() if n in keep}
    computed = {"mt_chrf_zh_en": bool(entry.zh_translation), "mt_chrf_en_zh": bool(entry.en_translation)}
    recorded.update({n: v for n, v in numeric.items() if n.startswith("mt_chrf") and not computed.get(n)})
    return recorded


def rescore(entries, encoder: Encoder, k: int = 4, model: QualityModel | None = None,
            measured_by: str = "", progress=None) -> list[Rescored]:
    """Recompute every signal, the hard rules and the quality of each entry, with the model
    of its method, by one judge for the whole corpus: the margin of an entry whose corpus does
    not record one is measured against the whole corpus, and bitext pairs expect the length
    ratio of the corpus's own bitext pairs. Where the corpus was measured by this same encoder
    (``measured_by``), its cosines are kept."""
    same_encoder = bool(measured_by) and measured_by == encoder.signature
    entries = list(entries)
    zv = encoder.encode_alone([e.zh for e in entries], progress)
    ev = encoder.encode_alone([e.en for e in entries], progress)
    items = [ToJudge(e.zh, e.en, e.method, zv[i], ev[i], _garble(e), e.zh_translation, e.en_translation,
                     _recorded(e, same_encoder)) for i, e in enumerate(entries)]
    judged = judge_pairs(items, model or load_quality_model(), zv, ev, k, progress, encoder)
    return [Rescored(e, j.signals, j.quality, j.rejected_by, j.rule_details) for e, j in zip(entries, judged)]


def rescoring_signatures(read: Mapping[str, str], encoder_signature: str, model: QualityModel, k: int,
                         select: SelectSettings, margins_recorded: bool = False) -> dict[str, str]:
    """The signatures of a rescored corpus: those of what the rescoring scored and filtered
    with (the signals, the encoder, the quality model, the selection) replace the ones the
    corpus carried (``read``), where they stood; the others (how its pairs were found: the
    aligners, normalization) are kept as read. A margin every pair recorded is kept, and so
    is its signature (``margins_recorded``).

    >>> from .quality import load_quality_model
    >>> s = rescoring_signatures({"encoder": "old", "parallel": "p"}, "new", load_quality_model(), 4, SelectSettings(0.8))
    >>> list(s)[:2], s["encoder"], s["parallel"], "min_quality:0.8" in s["select"], s["signal:margin"]
    (['encoder', 'parallel'], 'new', 'p', True, 'ratio-margin|k:4|enc:new|higher-is-better')
    """
    described = SignalSettings(encoder_signature, model.length_ratio, k)
    signals = {f"signal:{s.name}": s.describe(described) for s in SIGNALS}
    if margins_recorded and "signal:margin" in read:
        signals["signal:margin"] = read["signal:margin"]
    return {**read, **signals, "encoder": encoder_signature, "quality": model.signature, "select": select.signature()}


@dataclass(frozen=True)
class RescoreSummary:
    pairs: int
    kept: int
    mean_quality_kept: float | None
    below_min_quality: int = 0
    rejected_by_rule: dict = field(default_factory=dict)  # rule name -> pairs it rejected
    duplicates: int = 0
    filters: dict = field(default_factory=dict)  # what each filter left out (score.audit.filter_audit)
    quality_signature: str = ""
    signatures: dict = field(default_factory=dict)  # what the rescoring scored and filtered with (rescoring_signatures)
    signature: str = ""  # their short id, which every JSONL record written carries

    def as_dict(self) -> dict:
        return {"pairs": self.pairs, "kept": self.kept, "mean_quality_kept": self.mean_quality_kept,
                "below_min_quality": self.below_min_quality, "rejected_by_rule": self.rejected_by_rule,
                "duplicates": self.duplicates, "filters": self.filters, "quality_signature": self.quality_signature,
                "signature": self.signature, "signatures": self.signatures}

    def why_dropped(self) -> str:
        """What left the dropped pairs out, in a few words ("" when every pair was kept).

        >>> RescoreSummary(3, 0, None, 1, {"url_mismatch": 2}).why_dropped()
        'dropped: 1 below --min-quality, 2 by url_mismatch'
        """
        parts = ([f"{self.below_min_quality} below --min-quality"] if self.below_min_quality else []) + [
            f"{n} by {rule}" for rule, n in sorted(self.rejected_by_rule.items())] + (
            [f"{self.duplicates} duplicates"] if self.duplicates else [])
        return "dropped: " + ", ".join(parts) if parts else ""


def _judged(r: Rescored, number: int) -> Judged:
    record, unit = r.entry.record or {}, r.entry.unit
    name = str(record.get("id") or (unit.tuid if unit else "") or number + 1)
    return Judged(r.entry.zh, r.entry.en, r.quality, r.rejected_by, r.rule_details, name)


def filter_rescored(rescored: list[Rescored], settings: SelectSettings, quality_signature: str = ""
                    ) -> tuple[list[Rescored], RescoreSummary]:
    """The pairs the accept decision keeps, and a summary (the mean quality is over kept pairs;
    the dropped ones are counted by what dropped them, and audited)."""
    items = [_judged(r, n) for n, r in enumerate(rescored)]
    verdicts = decide(items, settings)
    kept = [r for r, v in zip(rescored, verdicts) if v is None]
    rules = Counter(name for r, v in zip(rescored, verdicts) if v is not None and v.reason == REJECTED_BY_RULE
                    for name in r.rejected_by if name not in settings.no_rules)
    count = Counter(v.reason for v in verdicts if v is not None)
    mean = round(float(np.mean([r.quality for r in kept])), 4) if kept else None
    return kept, RescoreSummary(len(rescored), len(kept), mean, count[BELOW_MIN_QUALITY], dict(sorted(rules.items())),
                                count[DUPLICATE], filter_audit(items, verdicts, settings), quality_signature)
