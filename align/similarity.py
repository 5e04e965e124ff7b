"""Similarity arithmetic shared by the aligners and the scorers (plain numpy, no model)."""

from __future__ import annotations

import numpy as np


def knn_mean(a: np.ndarray, b: np.ndarray, k: int, chunk: int = 1024) -> np.ndarray:
    """Mean cosine of each row of ``a`` with its ``k`` most similar rows of ``b`` (chunked).

    >>> knn_mean(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32), 1).tolist()
    [1.0, 1.0]
    """
    if len(a) == 0 or len(b) == 0:
        return np.zeros(len(a), dtype=np.float32)
    k = min(k, len(b))
    out = np.empty(len(a), dtype=np.float32)
    for s in range(0, len(a), chunk):
        block = a[s : s + chunk] @ b.T
        out[s : s + chunk] = np.sort(np.partition(-block, k - 1, axis=1)[:, :k], axis=1).mean(axis=1) * -1
    return out


def ratio_margin(cos, knn_x, knn_y):
    """Ratio margin ``cos / mean(knn_x, knn_y)`` (Artetxe and Schwenk), floats or arrays.

    >>> ratio_margin(0.8, 0.4, 0.4)
    2.0
    """
    out = cos / np.maximum(1e-6, (np.asarray(knn_x) + knn_y) / 2.0)
    return float(out) if np.ndim(out) == 0 else out
