"""Calibrated quality: a logistic model per method, fitted on what the pipeline outputs, so
that ``quality`` estimates the probability that a pair is right.

Data, all through ``align.run.run`` (the signals are the product's own):
- parallel: each MAC-dev chapter as a Chinese and an English document; a pair is right when
  its lines are exactly those of a gold bead;
- mined: the mining benchmark (``bench/mining.py``, seeds 1-3); a pair is right when all its
  sentences come from one hidden true pair.
Each chapter is held out in turn (the model is fitted on the other five and predicts the
sixth); the printed reliability tables and expected calibration error (ECE, ten bins) are
from those held-out predictions. ``--write`` fits on all chapters and replaces the ``parallel``
and ``mined`` models of ``align/data/quality_model.json`` (the others are kept).

    python bench/calibrate.py [--write] [--data examples.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import DEFAULT_MAC_DEV  # noqa: E402
from fit_quality import fit_logistic  # noqa: E402
from mining import NAMES, construct, pair_owner  # noqa: E402
from quality_model_file import write_quality_model  # noqa: E402

FEATURES = ("cosine", "margin", "length_deviation")


def parallel_examples(mac: Path, encoder, config) -> list[tuple[str, dict, int]]:
    from align.io.beads import read_beads
    from align.run import run

    out = []
    for name in NAMES:
        gold = {(tuple(b.src), tuple(b.tgt)) for b in read_beads((mac / "gold" / f"{name}.align").read_text()) if b.src and b.tgt}
        with tempfile.TemporaryDirectory() as tmp:
            for lang in ("zh", "en"):
                (Path(tmp) / f"{name}.{lang}.txt").write_text((mac / lang / f"{name}.txt").read_text(encoding="utf-8"),
                                                                encoding="utf-8")
            result = run([Path(tmp)], config, encoder)
        for p in result.all_pairs:
            if p.method != "parallel":
                continue
            key = (tuple(sorted({s.paragraph for s in p.zh})), tuple(sorted({s.paragraph for s in p.en})))
            out.append((name, p.signals, int(key in gold)))
    return out


def mined_examples(mac: Path, encoder, config, seeds=(1, 2, 3)) -> list[tuple[str, dict, int]]:
    from align.run import run

    out = []
    for seed in seeds:
        construction = construct(mac, NAMES, seed)
        with tempfile.TemporaryDirectory() as tmp:
            for file, text in construction.texts.items():
                (Path(tmp) / file).write_text(text, encoding="utf-8")
            result = run([Path(tmp)], config, encoder)
        for p in result.all_pairs:
            if p.method == "mined":
                out.append((p.zh[0].doc_id.split(".")[0], p.signals, int(pair_owner(p, construction.owner) is not None)))
    return out


def design(rows) -> tuple[np.ndarray, np.ndarray, list[str]]:
    x = np.array([[r[1][f] for f in FEATURES] for r in rows], dtype=float)
    return x, np.array([r[2] for r in rows], dtype=float), [r[0] for r in rows]


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``w`` from ``fit_logistic``: one weight per feature, then the intercept."""
    return 1.0 / (1.0 + np.exp(-np.clip(np.hstack([x, np.ones((len(x), 1))]) @ w, -60, 60)))


def held_out(rows) -> tuple[np.ndarray, np.ndarray]:
    x, y, chapters = design(rows)
    p = np.zeros(len(y))
    for name in NAMES:
        test = np.array([c == name for c in chapters])
        if test.any() and (~test).any():
            p[test] = predict(fit_logistic(x[~test], y[~test]), x[test])
    return p, y


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> tuple[list[tuple], float]:
    table, ece = [], 0.0
    for b in range(bins):
        inside = (p >= b / bins) & ((p < (b + 1) / bins) if b < bins - 1 else (p <= 1))
        if inside.any():
            table.append((b / bins, (b + 1) / bins, int(inside.sum()), float(p[inside].mean()), float(y[inside].mean())))
            ece += inside.sum() / len(p) * abs(p[inside].mean() - y[inside].mean())
    return table, float(ece)


def report(method: str, rows) -> dict:
    p, y = held_out(rows)
    table, ece = reliability(p, y)
    print(f"\n{method}: {len(rows)} pairs, {int(y.sum())} right; held-out chapters, ten bins")
    print(f"{'bin':>11} {'pairs':>6} {'predicted':>9} {'observed':>8}")
    for lo, hi, n, pred, obs in table:
        print(f"{lo:.1f}-{hi:.1f} {n:>8} {pred:>9.3f} {obs:>8.3f}")
    print(f"expected calibration error {ece:.4f}")
    return {"ece": round(ece, 4), "pairs": len(rows)}


def main() -> None:
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.score.select import SelectSettings
    from align.translate.stage import TranslateSettings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mac-dev", default=str(DEFAULT_MAC_DEV))
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--data", help="keep the examples in this JSON file (reused when it exists)")
    args = parser.parse_args()
    mac = Path(args.mac_dev)
    encoder = get_encoder("use")
    config = RunConfig(translate=TranslateSettings(mode="none"), select=SelectSettings(0.0, keep_rejected=True))
    cache = Path(args.data) if args.data else None
    if cache and cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
    else:
        data = {"parallel": parallel_examples(mac, encoder, config), "mined": mined_examples(mac, encoder, config)}
        if cache:
            cache.write_text(json.dumps(data), encoding="utf-8")
    figures = {method: report(method, rows) for method, rows in data.items()}
    if args.write:
        models = {}
        for method, rows in data.items():
            x, y, _ = design(rows)
            w = fit_logistic(x, y)
            models[method] = {
                "features": list(FEATURES), "weights": [round(float(v), 6) for v in w[:-1]], "bias": round(float(w[-1]), 6),
                "trained_on": f"{len(rows)} {method} pairs of align run on MAC-dev chapters 001-006"
                              + (" (mining benchmark, seeds 1-3)" if method == "mined" else ""),
                "held_out_ece": figures[method]["ece"],
            }
        write_quality_model(encoder.signature, methods=models)


if __name__ == "__main__":
    main()
