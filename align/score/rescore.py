"""Rescore an existing corpus (JSONL from ``align run``, or any TMX) with the current signals.

Garble comes from the record when the corpus carries it (``align run`` records and TMX
``x-signal-garble`` props): it describes the source text before repair, which the
normalized corpus no longer shows. Otherwise it is measured by running the normalizers on
each side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..embed import Encoder
from ..errors import InputError
from ..export.tmx import read_tmx
from .hardrules import broken_rules
from .metrics import sentence_chrf
from .quality import length_deviation, load_quality_model


@dataclass
class CorpusEntry:
    zh: str
    en: str
    record: dict = field(default_factory=dict)
    garble: float | None = None


def read_corpus(path: Path) -> tuple[list[CorpusEntry], str]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() == ".tmx":
        entries = []
        for unit in read_tmx(path):
            props = dict(unit.props)
            garble = float(props["x-signal-garble"]) if "x-signal-garble" in props else None
            record = {"id": unit.tuid, "zh": unit.zh, "en": unit.en, "props": props}
            entries.append(CorpusEntry(unit.zh, unit.en, record, garble))
        fmt = "tmx"
    else:
        entries = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                zh, en = record["zh"], record["en"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: not a corpus record with 'zh' and 'en' ({exc})") from exc
            garble = record.get("signals", {}).get("garble")
            entries.append(CorpusEntry(zh, en, record, garble))
        fmt = "jsonl"
    if not entries:
        raise InputError(f"{path}: no zh-en pairs found")
    return entries, fmt


def measured_garble(zh: str, en: str) -> float:
    from ..normalize import GARBLE_FIXERS, normalize_text

    worst = 0.0
    for text, lang in ((zh, "zh"), (en, "en")):
        result = normalize_text(text, lang)
        touched = sum(max(1, e.end - e.start) for e in result.edits if e.fixer in GARBLE_FIXERS)
        worst = max(worst, min(1.0, touched / max(1, len(text))))
    return worst


def rescore(entries: list[CorpusEntry], encoder: Encoder, k: int = 4) -> list[dict]:
    """Recompute every signal and the quality for each entry; return updated records."""
    from ..aligner.mining import knn_mean
    from ..pipeline import model_length_ratio

    model = load_quality_model()
    ratio = model_length_ratio()
    zv = encoder.encode([e.zh for e in entries])
    ev = encoder.encode([e.en for e in entries])
    cos = np.sum(zv * ev, axis=1)
    kx, ky = knn_mean(zv, ev, k), knn_mean(ev, zv, k)
    out = []
    for i, entry in enumerate(entries):
        garble = entry.garble if entry.garble is not None else measured_garble(entry.zh, entry.en)
        signals = {
            "cosine": round(float(cos[i]), 4),
            "margin": round(float(cos[i] / max(1e-6, (kx[i] + ky[i]) / 2)), 4),
            "length_deviation": round(length_deviation(len(entry.zh), len(entry.en), ratio), 4),
            "garble": round(float(garble), 4),
        }
        record = dict(entry.record)
        for key, lang, ref in (("zh_translation", "en", entry.en), ("en_translation", "zh", entry.zh)):
            hyp = record.get(key) or ""
            if hyp:
                signals["mt_chrf_zh_en" if key == "zh_translation" else "mt_chrf_en_zh"] = round(sentence_chrf(hyp, ref, lang), 4)
        record["signals"] = signals
        record["quality"] = round(model.score(signals, garble), 4)
        record["rejected_by"] = list(broken_rules(entry.zh, entry.en))
        out.append(record)
    return out
