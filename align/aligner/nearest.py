"""Nearest sections by centroid: exact for small runs, approximate (HNSW, faiss) for large
ones, so that pairing grows near-linearly with the number of documents.

Both searches return, for each query row, the indices of its ``k`` most similar rows of the
index matrix (inner product of unit vectors), most similar first. The HNSW graph is built
on one thread, so that the same input gives the same graph and the same answers.
"""

from __future__ import annotations

import logging

import numpy as np

from .. import DISTRIBUTION

log = logging.getLogger(__name__)

BLOCK = 512  # query rows per matrix product in the exact search
HNSW_NEIGHBOURS = 16  # links per node of the graph (faiss M)
HNSW_BUILD_DEPTH = 40  # efConstruction
HNSW_SEARCH_DEPTH = 128  # efSearch


def exact_nearest(queries: np.ndarray, index: np.ndarray, k: int) -> list[list[int]]:
    """The ``k`` rows of ``index`` most similar to each query, most similar first."""
    k = min(k, len(index))
    out: list[list[int]] = []
    if k == 0:
        return [[] for _ in queries]
    for start in range(0, len(queries), BLOCK):
        sims = queries[start : start + BLOCK] @ index.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < len(index) else np.tile(np.arange(len(index)), (len(sims), 1))
        top.sort(axis=1)  # ties go to the lower index
        best = np.take_along_axis(sims, top, axis=1)
        out.extend(np.take_along_axis(top, np.argsort(-best, axis=1, kind="stable"), axis=1).tolist())
    return out


def approximate_nearest(queries: np.ndarray, index: np.ndarray, k: int) -> list[list[int]]:
    """The same with an HNSW graph over ``index`` (faiss): about log(n) work per query."""
    import faiss

    k = min(k, len(index))
    if k == 0:
        return [[] for _ in queries]
    graph = faiss.IndexHNSWFlat(index.shape[1], HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = HNSW_BUILD_DEPTH
    graph.hnsw.efSearch = max(HNSW_SEARCH_DEPTH, k)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        graph.add(np.ascontiguousarray(index, dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(threads)
    _, found = graph.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return [[int(j) for j in row if j >= 0] for row in found]


def nearest(queries: np.ndarray, index: np.ndarray, k: int, approximate_above: int) -> tuple[list[list[int]], str]:
    """Exact search while ``index`` has at most ``approximate_above`` rows, HNSW beyond (when
    faiss is installed); returns the neighbours and the search used."""
    if len(index) > approximate_above:
        try:
            return approximate_nearest(queries, index, k), "hnsw"
        except ImportError:
            log.warning("%d sections: approximate pairing needs faiss (pip install '" + DISTRIBUTION + "[ray]'); searching "
                        "exactly", len(index))
    return exact_nearest(queries, index, k), "exact"
