"""Margin-based mining of comparable texts.

Every Chinese sentence (and every run of two) is compared with every English sentence (and
every run of two) of the documents paired with it. A candidate's score is the ratio margin
``cos(x, y) / ((knn(x) + knn(y)) / 2)``, where ``knn`` is a vector's mean similarity to its
k nearest neighbours on the other side. Candidates are kept when they are each other's best
(mutual best), clear a threshold, and share no sentence with a better candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..records import Bead, OverlapEmbeddings
from ..signature import settings_signature
from ..similarity import knn_mean, ratio_margin


@dataclass(frozen=True)
class MiningSettings:
    k: int = 4
    threshold: float = 1.2
    min_cosine: float = 0.35
    max_run: int = 2
    chunk: int = 1024

    def signature(self) -> str:
        return settings_signature("mine", self)


def _runs(emb: OverlapEmbeddings, max_run: int, valid_starts: np.ndarray | None = None):
    """Vectors of single sentences and runs of consecutive sentences, with their spans."""
    n = emb.vectors.shape[1]
    vectors, spans = [], []
    for r in range(min(max_run, emb.vectors.shape[0])):
        for i in range(n - r):
            if valid_starts is not None and not valid_starts[i : i + r + 1].all():
                continue
            vectors.append(emb.vectors[r][i])
            spans.append(tuple(range(i, i + r + 1)))
    dim = emb.vectors.shape[2]
    return (np.stack(vectors) if vectors else np.zeros((0, dim), np.float32)), spans


def _without_breaks(vectors: np.ndarray, spans: list[tuple[int, ...]], breaks: np.ndarray | None):
    if breaks is None:
        return vectors, spans
    keep = [i for i, span in enumerate(spans) if not any(breaks[j] for j in span[:-1])]
    return vectors[keep], [spans[i] for i in keep]


def mine(
    src: OverlapEmbeddings,
    tgt: OverlapEmbeddings,
    settings: MiningSettings = MiningSettings(),
    src_ok: np.ndarray | None = None,
    tgt_ok: np.ndarray | None = None,
    tgt_breaks: np.ndarray | None = None,
    src_breaks: np.ndarray | None = None,
) -> list[Bead]:
    """Mine beads between two sentence collections. ``*_ok`` masks sentences still available;
    ``*_breaks[i]`` true means a run may not join sentences ``i`` and ``i + 1`` (a section boundary)."""
    xs, x_spans = _without_breaks(*_runs(src, settings.max_run, src_ok), src_breaks)
    ys, y_spans = _without_breaks(*_runs(tgt, settings.max_run, tgt_ok), tgt_breaks)
    if len(xs) == 0 or len(ys) == 0:
        return []
    single_x = np.array([len(s) == 1 for s in x_spans])
    single_y = np.array([len(s) == 1 for s in y_spans])
    kx = knn_mean(xs, ys[single_y], settings.k, settings.chunk)
    ky = knn_mean(ys, xs[single_x], settings.k, settings.chunk)
    candidates = []
    best_for_y = np.full(len(ys), -np.inf)
    best_y_for_x = []
    for s in range(0, len(xs), settings.chunk):
        cos = xs[s : s + settings.chunk] @ ys.T
        margin = ratio_margin(cos, kx[s : s + settings.chunk, None], ky[None, :])
        margin[cos < settings.min_cosine] = 0.0
        best_for_y = np.maximum(best_for_y, margin.max(axis=0))
        arg = margin.argmax(axis=1)
        for row, j in enumerate(arg):
            best_y_for_x.append((s + row, int(j), float(margin[row, j]), float(cos[row, j])))
    for i, j, score, cos in best_y_for_x:
        if score >= settings.threshold and score >= best_for_y[j] - 1e-9:
            candidates.append((score, x_spans[i], y_spans[j], cos))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_x: set[int] = set()
    used_y: set[int] = set()
    beads = []
    for score, sx, sy, cos in candidates:
        if used_x.intersection(sx) or used_y.intersection(sy):
            continue
        used_x.update(sx)
        used_y.update(sy)
        beads.append(Bead(sx, sy, round(score, 6)))
    return sorted(beads, key=lambda b: (b.src, b.tgt))
