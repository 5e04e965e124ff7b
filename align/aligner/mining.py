"""Margin-based mining of comparable texts.

Every Chinese sentence (and every run of two) is compared with every English sentence (and
every run of two) of the documents paired with it (a many-to-many bead, runs on both sides,
only on strong evidence, ``run_threshold``; otherwise its sentences are mined one by one). A
candidate's score is the ratio margin
``cos(x, y) / ((knn(x) + knn(y)) / 2)``, where ``knn`` is a vector's mean similarity to its
k nearest neighbours on the other side. Candidates are kept when they are each other's best
(mutual best), reach the margin 1.0, and share no sentence with a better candidate; the
quality of each (``score.quality``, the ``mined`` model) decides which are exported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..records import Bead, OverlapEmbeddings
from ..signature import settings_signature
from ..similarity import knn_mean, ratio_margin


@dataclass(frozen=True)
class MiningSettings:
    # Candidates are mutual best by ratio margin, at 1.0 or above (at least as close as the
    # neighbourhood): which of them are exported is the quality's decision (the mined model
    # weighs cosine, margin and length), not a second margin threshold here. At 1.2 the
    # mining benchmark's candidates held 64% of its hidden pairs, at 1.0 82%
    # (bench/mining.py, seeds 1-3), and precision at the default quality rose.
    k: int = 4
    threshold: float = 1.0
    min_cosine: float = 0.2
    max_run: int = 2
    chunk: int = 1024
    paragraph_threshold: float = 1.0  # paragraphs mined first (0 switches it off), then sentences
    run_threshold: float = 1.3  # the margin a many-to-many bead (2-2) needs (strong evidence); below, its 1-1 core

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


def mutual_best(xs: np.ndarray, ys: np.ndarray, kx: np.ndarray, ky: np.ndarray, settings: MiningSettings,
                threshold: float) -> list[tuple[int, int, float]]:
    """``(i, j, margin)`` for each row ``i`` of ``xs`` whose best row ``j`` of ``ys`` by ratio
    margin has ``i`` as its best too, with a margin of at least ``threshold`` (computed in
    chunks; pairs under ``settings.min_cosine`` count as margin 0)."""
    best_for_y = np.full(len(ys), -np.inf)
    best_y_for_x = []
    for s in range(0, len(xs), settings.chunk):
        cos = xs[s : s + settings.chunk] @ ys.T
        margin = ratio_margin(cos, kx[s : s + settings.chunk, None], ky[None, :])
        margin[cos < settings.min_cosine] = 0.0
        best_for_y = np.maximum(best_for_y, margin.max(axis=0))
        best_y_for_x.extend((s + row, int(j), float(margin[row, j])) for row, j in enumerate(margin.argmax(axis=1)))
    return [(i, j, m) for i, j, m in best_y_for_x if m >= threshold and m >= best_for_y[j] - 1e-9]


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
    candidates = [(score, x_spans[i], y_spans[j]) for i, j, score in mutual_best(xs, ys, kx, ky, settings, settings.threshold)]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_x: set[int] = set()
    used_y: set[int] = set()
    beads, weak_runs = [], False
    for score, sx, sy in candidates:
        if len(sx) > 1 and len(sy) > 1 and score < settings.run_threshold:
            weak_runs = True  # a many-to-many bead on weak evidence: its sentences are mined one by one
            continue
        if used_x.intersection(sx) or used_y.intersection(sy):
            continue
        used_x.update(sx)
        used_y.update(sy)
        beads.append(Bead(sx, sy, round(score, 6)))
    if weak_runs and settings.max_run > 1:
        beads += _singles_left(src, tgt, settings, src_ok, tgt_ok, used_x, used_y)
    return sorted(beads, key=lambda b: (b.src, b.tgt))


def _singles_left(src, tgt, settings: MiningSettings, src_ok, tgt_ok, used_x: set[int], used_y: set[int]) -> list[Bead]:
    """1-1 beads among the sentences no bead took (the core of the weak many-to-many beads)."""
    src_left = np.ones(src.vectors.shape[1], dtype=bool) if src_ok is None else src_ok.copy()
    tgt_left = np.ones(tgt.vectors.shape[1], dtype=bool) if tgt_ok is None else tgt_ok.copy()
    src_left[list(used_x)] = False
    tgt_left[list(used_y)] = False
    if not src_left.any() or not tgt_left.any():
        return []
    return mine(src, tgt, replace(settings, max_run=1), src_left, tgt_left)


def paragraph_spans(paragraph_keys: list, ok: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of consecutive sentences with the same paragraph key, all still available.

    >>> paragraph_spans(["a", "a", "b", "c", "c"], np.array([True, True, True, False, True]))
    [(0, 2), (2, 3)]
    """
    spans, start = [], 0
    for i in range(1, len(paragraph_keys) + 1):
        if i == len(paragraph_keys) or paragraph_keys[i] != paragraph_keys[start]:
            if ok[start:i].all():
                spans.append((start, i))
            start = i
    return spans


def span_vectors(emb: OverlapEmbeddings, spans: list[tuple[int, int]]) -> np.ndarray:
    """The embedding of each span's sentences joined (exact up to the longest overlap
    embedded; the normalised mean of its sentences beyond)."""
    out = np.zeros((len(spans), emb.vectors.shape[2]), np.float32)
    for n, (start, end) in enumerate(spans):
        if end - start <= emb.vectors.shape[0]:
            out[n] = emb.run(start, end - start)
        else:
            v = emb.singles[start:end].mean(axis=0)
            out[n] = v / (np.linalg.norm(v) or 1.0)
    return out


def mine_paragraphs(zh: OverlapEmbeddings, zh_keys: list, zh_ok: np.ndarray, en: OverlapEmbeddings, en_keys: list,
                    en_ok: np.ndarray, settings: MiningSettings = MiningSettings()) -> list[tuple[tuple[int, int], tuple[int, int], float]]:
    """Paragraph pairs that are each other's best by ratio margin, over ``settings.paragraph_threshold``:
    ``(zh span, en span, margin)``, best first; none where a side has ``settings.k`` paragraphs or
    fewer (the k nearest would be all of them, the candidate among them)."""
    xs_spans, ys_spans = paragraph_spans(zh_keys, zh_ok), paragraph_spans(en_keys, en_ok)
    if min(len(xs_spans), len(ys_spans)) <= settings.k:
        return []  # no neighbourhood to measure a margin against (one paragraph a side: margin 1.0 always)
    xs, ys = span_vectors(zh, xs_spans), span_vectors(en, ys_spans)
    kx, ky = knn_mean(xs, ys, settings.k, settings.chunk), knn_mean(ys, xs, settings.k, settings.chunk)
    found = [(xs_spans[i], ys_spans[j], m) for i, j, m in mutual_best(xs, ys, kx, ky, settings, settings.paragraph_threshold)]
    return sorted(found, key=lambda f: (-f[2], f[0], f[1]))
