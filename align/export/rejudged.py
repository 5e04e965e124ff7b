"""Pairs of an output folder judged again by a quality model (``align apply --quality-model``):
the pairs a review did not correct get the model's quality through the one rescoring path
(``score.rescore``: their recorded margin, and their cosine where the run's encoder measured
it, are kept); the pairs a reviewer checked keep quality 1.0. Nothing is dropped: the
records keep the rules they broke and their place, and the run's signatures name the model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..score.judge import quality_model
from ..score.quality import QualityModel
from ..io.corpus import record_entry
from ..score.rescore import rescore
from ..score.signals import SIGNALS, SignalSettings
from .records import signature_id


@dataclass(frozen=True)
class Rejudged:
    records: tuple[list[dict], ...]  # each list of records as given, the unreviewed ones judged again
    signatures: dict[str, str]  # the run's signatures, the quality model's and its length ratio's changed
    signature: str  # their short id, carried by every record
    rejudged: int  # pairs judged again


def rejudge_signatures(signatures: dict[str, str], model: QualityModel, k: int) -> dict[str, str]:
    """The run's ``signatures`` with those that depend on the quality model (the model itself,
    the expected length ratio of ``length_deviation``) naming ``model``."""
    described = SignalSettings(signatures.get("encoder", ""), model.length_ratio, k)
    length = next(s for s in SIGNALS if s.name == "length_deviation")
    return {**signatures, "quality": model.signature, "signal:length_deviation": length.describe(described)}


def _judged_again(record: dict, signals: dict, quality: float, signature: str) -> dict:
    new = dict(record["signals"])
    new.update({name: value for name, value in signals.items() if name in new})
    return {**record, "quality": quality, "signals": new, "signature": signature}


def rejudge(groups: Sequence[list[dict]], model_path: str, encoder, signatures: dict[str, str], k: int = 4) -> Rejudged:
    """Every record of ``groups`` (the corpus, the mined pairs) that a reviewer did not check
    judged by the model at ``model_path`` with ``encoder``, each group as one corpus (as
    ``align score`` judges a file); every record then carries the short id of the new
    signatures."""
    model = quality_model(model_path)
    new_signatures = rejudge_signatures(signatures, model, k)
    signature = signature_id(new_signatures)
    out, rejudged = [], 0
    for records in groups:
        todo = [n for n, r in enumerate(records) if not r.get("reviewed")]
        rescored = rescore([record_entry(records[n]) for n in todo], encoder, model=model,
                           measured_by=signatures.get("encoder", "")) if todo else []
        again = [{**r, "signature": signature} for r in records]
        for n, r in zip(todo, rescored):
            again[n] = _judged_again(records[n], r.signals, r.quality, signature)
        out.append(again)
        rejudged += len(todo)
    return Rejudged(tuple(out), new_signatures, signature, rejudged)
