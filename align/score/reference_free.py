"""Reference-free estimates of translation quality: embedding similarity of source and
hypothesis, and round-trip chrF where a model for the reverse direction is available.
These are estimates, and are labelled as such wherever they are printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..embed import Encoder
from ..errors import InputError
from ..language import detect_language
from ..translate import get_translator
from ..translate.store import no_model_reason, resolve_model
from .metrics import SentenceChrf, corpus_scores


@dataclass(frozen=True)
class RoundTrip:
    back: list[str] | None  # the hypotheses translated back, or None when no model was found
    note: str


@dataclass
class ReferenceFreeResult:
    embedding_cosine_mean: float
    embedding_signature: str
    round_trip_chrf: float | None
    round_trip_note: str
    round_trip_signature: str | None = None
    lines: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = {"estimate": "reference-free", "embedding_cosine_mean": self.embedding_cosine_mean,
               "embedding_signature": self.embedding_signature, "round_trip_chrf": self.round_trip_chrf,
               "round_trip_note": self.round_trip_note}
        if self.round_trip_signature:
            out["round_trip_signature"] = self.round_trip_signature
        return out


def round_trip(hyps: list[str], direction: str, mt_model: str | Path | None) -> RoundTrip:
    """Translate the hypotheses back into the source language, if a model is available."""
    model = resolve_model(direction, mt_model)
    if model is None:
        return RoundTrip(None, f"unavailable: {no_model_reason(direction)} (give one with --mt-model)")
    translator = get_translator(model.engine, direction, model.path)
    back = [t.text for t in translator.translate(hyps)]
    return RoundTrip(back, f"back-translated {direction} with {translator.engine} {model.path}")


def reference_free(sources: list[str], hyps: list[str], encoder: Encoder,
                   mt_model: str | Path | None = None) -> ReferenceFreeResult:
    """Corpus and per-line estimates for hypotheses ``hyps`` of ``sources`` (no reference)."""
    if len(sources) != len(hyps):
        raise InputError(f"{len(hyps)} hypotheses for {len(sources)} sources")
    src_lang, hyp_lang = detect_language(" ".join(sources)), detect_language(" ".join(hyps))
    if {src_lang, hyp_lang} != {"zh", "en"}:
        raise InputError(f"reference-free scoring needs Chinese and English: found {src_lang} in the sources, "
                         f"{hyp_lang} in the hypotheses")
    cos = np.sum(encoder.encode(sources) * encoder.encode(hyps), axis=1)
    trip = round_trip(hyps, f"{hyp_lang}-{src_lang}", mt_model)
    result = ReferenceFreeResult(round(float(cos.mean()), 4), f"cos|enc:{encoder.signature}", None, trip.note)
    if trip.back is not None:
        [chrf] = [s for s in corpus_scores(trip.back, [sources], src_lang) if s.name == "chrF"]
        result.round_trip_chrf = round(chrf.score, 2)
        result.round_trip_signature = chrf.signature
    line_chrf = SentenceChrf()
    for i, c in enumerate(cos):
        row = {"line": i + 1, "embedding_cosine": round(float(c), 4)}
        if trip.back is not None:
            row["round_trip_chrf"] = round(100 * line_chrf(trip.back[i], sources[i], src_lang), 2)
        result.lines.append(row)
    return result
