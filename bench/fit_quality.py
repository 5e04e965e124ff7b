"""Fit the combined quality model on MAC-dev and report ROC-AUC on held-back chapters.

Positives: gold beads. Negatives: near misses (a bead's Chinese with the neighbouring bead's
English, or with only part of its own English), shifted pairs (two to five beads away)
and shuffled pairs (a random bead of the same chapter). The model is a logistic regression
(Newton's method, numpy) over the signals ``cosine``, ``margin`` and ``length_deviation``;
it is fitted on the training chapters only, so the held-back figures describe the model
that ships. With ``--write``, replaces the top-level model of ``align/data/quality_model.json``
(the per-method models are kept: ``bench/quality_model_file.py``).

    python bench/fit_quality.py [--train 001,002,003,004] [--write]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import chapters, mac_dev_dir, read_chapter  # noqa: E402

from align.similarity import knn_mean  # noqa: E402
from align.embed import get_encoder  # noqa: E402
from align.score.quality import length_deviation  # noqa: E402

FEATURES = ("cosine", "length_deviation")


def examples(zh, en, gold, encoder, rng):
    beads = [b for b in gold if b.src and b.tgt]
    zh_single = encoder.encode(zh)
    en_single = encoder.encode(en)
    items = []  # (zh_ids, en_ids, label, kind)
    for n, bead in enumerate(beads):
        items.append((bead.src, bead.tgt, 1, "gold"))
        if n + 1 < len(beads):
            items.append((bead.src, beads[n + 1].tgt, 0, "near-miss"))
        if len(bead.tgt) > 1:
            items.append((bead.src, bead.tgt[:1], 0, "near-miss"))
        shift = rng.randint(2, 5)
        if n + shift < len(beads):
            items.append((bead.src, beads[n + shift].tgt, 0, "shifted"))
        other = beads[rng.randrange(len(beads))]
        if other is not bead:
            items.append((bead.src, other.tgt, 0, "shuffled"))
    zh_texts = ["".join(zh[i] for i in z) for z, _, _, _ in items]
    en_texts = [" ".join(en[j] for j in e) for _, e, _, _ in items]
    zv, ev = encoder.encode(zh_texts), encoder.encode(en_texts)
    cos = np.sum(zv * ev, axis=1)
    kx = knn_mean(zv, en_single, 4)
    ky = knn_mean(ev, zh_single, 4)
    margin = cos / ((kx + ky) / 2)
    lengths = [(len(z), len(e)) for z, e in zip(zh_texts, en_texts)]
    labels = np.array([it[2] for it in items])
    kinds = [it[3] for it in items]
    return cos, margin, lengths, labels, kinds


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x1 @ w, -60, 60)))
        grad = x1.T @ (p - y) + l2 * w
        hess = (x1 * (p * (1 - p))[:, None]).T @ x1 + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def histogram(values: np.ndarray, bins: int = 10) -> list[int]:
    counts, _ = np.histogram(values, bins=bins, range=(0, 1))
    return counts.tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default="001,002,003,004")
    parser.add_argument("--write", action="store_true", help="write align/data/quality_model.json")
    parser.add_argument("--encoder", default="use")
    args = parser.parse_args()
    root = mac_dev_dir()
    train_names = args.train.split(",")
    encoder = get_encoder(args.encoder)
    rng = random.Random(13)
    data = {}
    for name in chapters(root):
        zh, en, gold, _ = read_chapter(root, name)
        data[name] = examples(zh, en, gold, encoder, rng)
    # The expected length ratio is measured on the training gold beads.
    gold_ratios = [e / max(1, z) for n in train_names for (z, e), y in zip(data[n][2], data[n][3]) if y == 1]
    ratio = float(np.median(gold_ratios))

    def matrix(names):
        rows, labels, kinds = [], [], []
        for n in names:
            cos, margin, lengths, y, k = data[n]
            dev = [length_deviation(z, e, ratio) for z, e in lengths]
            rows.append(np.column_stack([cos, dev]))
            labels.append(y)
            kinds += k
        return np.vstack(rows), np.concatenate(labels), kinds

    x_train, y_train, _ = matrix(train_names)
    test_names = [n for n in data if n not in train_names]
    x_test, y_test, kinds_test = matrix(test_names)
    w = fit_logistic(x_train, y_train)
    p_test = 1 / (1 + np.exp(-(x_test @ w[:-1] + w[-1])))
    kinds_test = np.array(kinds_test)
    print(f"expected en/zh character ratio: {ratio:.3f}")
    print(f"weights: {dict(zip(FEATURES, np.round(w[:-1], 4)))} bias {w[-1]:.4f}")
    print(f"held-back chapters {','.join(test_names)}: {int(y_test.sum())} gold, {int((1 - y_test).sum())} negatives")
    print(f"ROC-AUC all negatives: {roc_auc(p_test, y_test):.4f}")
    for kind in ("near-miss", "shifted", "shuffled"):
        mask = (kinds_test == "gold") | (kinds_test == kind)
        print(f"ROC-AUC gold vs {kind}: {roc_auc(p_test[mask], y_test[mask]):.4f}")
    print("quality histogram, bins of 0.1 from 0 to 1:")
    print(f"  gold      {histogram(p_test[kinds_test == 'gold'])}")
    for kind in ("near-miss", "shifted", "shuffled"):
        print(f"  {kind:9} {histogram(p_test[kinds_test == kind])}")
    if args.write:
        from quality_model_file import write_quality_model

        write_quality_model(encoder.signature, default={
            "features": list(FEATURES),
            "weights": [round(float(v), 6) for v in w[:-1]],
            "bias": round(float(w[-1]), 6),
            "length_ratio": round(ratio, 4),
            "trained_on": f"MAC-dev chapters {args.train}; gold beads vs near-miss, shifted and shuffled pairs",
        })


if __name__ == "__main__":
    main()
