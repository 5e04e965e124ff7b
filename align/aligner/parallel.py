"""Monotonic many-to-many sentence alignment of parallel texts, in the manner of Bertalign.

Two steps, both linear in document length:

1. Anchors: each source sentence's top-k most similar target sentences (searched in
   chunks, within a diagonal window for very long documents) are chained into the
   highest-scoring monotone path of 1-1 links (a weighted longest-increasing-subsequence).
2. A dynamic programme in a band around that path, over beads from 0-1/1-0 up to 1-4,
   4-1, 2-2, 2-3 and 3-2. A bead's gain is the cosine of the embeddings of its joined
   sentences, less a length-ratio penalty and a per-extra-sentence penalty; skipping a
   sentence costs a fixed penalty.

The inputs are plain arrays (overlap embeddings and sentence lengths), so the search can be
tested on synthetic vectors and fed by any encoder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..records import Bead, Candidate, OverlapEmbeddings, Sentence
from ..signature import settings_signature
from .cuetimes import TimeEvidence, cue_times

WALL = 1e6  # the join cost of a boundary no bead crosses

BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2),
)


@dataclass(frozen=True)
class ParallelSettings:
    """Settings of the parallel aligner; defaults tuned on MAC-dev (see ``bench/mac_dev.py``)."""

    top_k: int = 3
    band: int = 8
    skip: float = -0.05
    merge_penalty: float = 0.05
    length_weight: float = 0.1
    mt_weight: float = 0.0
    max_bead: int = 4
    anchor_window: int = 2000
    margin: float = 1.0
    size_exponent: float = 0.5
    margin_sample: int = 64
    trim: float = 0.03
    trim_alone: float = 0.05
    block_join: float = 0.1  # cost of a bead joining two paragraphs or list items on one side (see ``join_costs``)
    heading_join: float = 0.4  # cost of a bead joining a heading to the block next to it

    def signature(self) -> str:
        return settings_signature("par", self)

    def bead_types(self) -> tuple[tuple[int, int], ...]:
        return tuple((a, b) for a, b in BEAD_TYPES if max(a, b) <= self.max_bead)


def top_k_targets(src: np.ndarray, tgt: np.ndarray, k: int, window: int, chunk: int = 512):
    """For each source row, the indices and similarities of its ``k`` best target rows.

    Memory stays linear: rows are processed in chunks, and when the target is longer than
    ``2 * window`` only a diagonal window of targets is searched.
    """
    n, m = len(src), len(tgt)
    k = min(k, m)
    idx = np.zeros((n, k), dtype=np.int64)
    sims = np.full((n, k), -1.0, dtype=np.float32)
    if n == 0 or m == 0 or k == 0:
        return idx[:, :0], sims[:, :0]
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        if m <= 2 * window:
            lo, hi = 0, m
        else:
            centre_lo = int(start * m / n)
            centre_hi = int(stop * m / n)
            lo, hi = max(0, centre_lo - window), min(m, centre_hi + window)
        block = src[start:stop] @ tgt[lo:hi].T
        kk = min(k, hi - lo)
        part = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        part_sims = np.take_along_axis(block, part, axis=1)
        order = np.argsort(-part_sims, axis=1, kind="stable")
        idx[start:stop, :kk] = np.take_along_axis(part, order, axis=1) + lo
        sims[start:stop, :kk] = np.take_along_axis(part_sims, order, axis=1)
    return idx, sims


def anchor_chain(idx: np.ndarray, sims: np.ndarray) -> list[tuple[int, int]]:
    """Highest-weight chain of candidate links ``(i, j)`` with both coordinates strictly increasing."""
    n = idx.shape[0]
    if n == 0 or idx.shape[1] == 0:
        return []
    m = int(idx.max()) + 1
    tree = np.zeros(m + 1)  # Fenwick tree of prefix maxima of chain weights, by target index
    tree_arg = np.full(m + 1, -1, dtype=np.int64)
    points_i, points_j, best, back = [], [], [], []

    def query(j: int) -> tuple[float, int]:  # max over targets < j
        value, arg = 0.0, -1
        while j > 0:
            if tree[j] > value:
                value, arg = tree[j], tree_arg[j]
            j -= j & -j
        return value, arg

    def update(j: int, value: float, arg: int) -> None:
        j += 1
        while j <= m:
            if value > tree[j]:
                tree[j], tree_arg[j] = value, arg
            j += j & -j

    for i in range(n):
        row = []
        for j, s in zip(idx[i], sims[i]):
            if s <= 0:
                continue
            prev_value, prev_arg = query(int(j))
            row.append((int(j), prev_value + float(s), prev_arg))
        for j, value, prev_arg in row:
            points_i.append(i)
            points_j.append(j)
            best.append(value)
            back.append(prev_arg)
            update(j, value, len(best) - 1)
    if not best:
        return []
    p = int(np.argmax(best))
    chain = []
    while p != -1:
        chain.append((points_i[p], points_j[p]))
        p = back[p]
    return chain[::-1]


def band_from_anchors(anchors: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """For each prefix length ``i`` in ``0..n``, the range ``[lo[i], hi[i]]`` of target prefix lengths."""
    points = [(0, 0)] + [(i + 0.5, j + 0.5) for i, j in anchors] + [(n, m)]
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    grid = np.arange(n + 1)
    centre = np.interp(grid, xs, ys)
    lo = np.floor(centre).astype(np.int64) - width
    hi = np.ceil(centre).astype(np.int64) + width
    # Where consecutive anchors jump further in the target than in the source (an insertion),
    # open the band over the whole jump.
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if (y1 - y0) - (x1 - x0) > width:
            a, b = int(np.floor(x0)), int(np.ceil(x1))
            lo[a : b + 1] = np.minimum(lo[a : b + 1], int(np.floor(y0)) - width)
            hi[a : b + 1] = np.maximum(hi[a : b + 1], int(np.ceil(y1)) + width)
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 0, m)
    lo[0], hi[n] = 0, m
    # Keep the band monotone so that every cell can be reached.
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    # Every row must overlap the one before (a source sentence taken alone moves one row
    # down in the same column), so that a path from (0, 0) to (n, m) always exists.
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return lo, hi


def _mix(a: np.ndarray, b: np.ndarray, weight: float) -> np.ndarray:
    mixed = (1 - weight) * a + weight * b
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return mixed / norms


def _neighbourhood(vectors: np.ndarray, other: np.ndarray, sample: int) -> np.ndarray:
    """Mean similarity of each (overlap) vector to an evenly spaced sample of the other side's
    sentences: how close the vector is to everything, subtracted to curb hubness."""
    if len(other) == 0:
        return np.zeros(vectors.shape[:2], dtype=np.float32)
    picks = np.unique(np.linspace(0, len(other) - 1, min(sample, len(other))).astype(np.int64))
    reference = other[picks]
    return np.stack([layer @ reference.T for layer in vectors]).mean(axis=2)


@dataclass
class BeadScorer:
    """The gain of a bead: similarity of its joined sentences (optionally mixed with the MT
    signal, less the neighbourhood mean, scaled by bead size), less a length-ratio penalty
    and a per-extra-sentence penalty."""

    src: OverlapEmbeddings
    tgt: OverlapEmbeddings
    settings: ParallelSettings
    src_mt: OverlapEmbeddings | None = None
    src_joins: np.ndarray | None = None  # cost of joining each sentence to the one before (see ``join_costs``)
    tgt_joins: np.ndarray | None = None
    times: TimeEvidence | None = None  # cue times of both sides (subtitles): their agreement adds to the gain

    def __post_init__(self) -> None:
        settings = self.settings
        self.use_mt = self.src_mt is not None and settings.mt_weight > 0
        self.ratio = float(self.tgt.lengths.sum()) / max(1.0, float(self.src.lengths.sum()))
        self.src_cum = np.concatenate([[0.0], np.cumsum(self.src.lengths)])
        self.tgt_cum = np.concatenate([[0.0], np.cumsum(self.tgt.lengths)])
        self.src_base = _neighbourhood(self.src.vectors, self.tgt.singles, settings.margin_sample) if settings.margin else None
        self.src_join_cum = np.cumsum(self.src_joins) if self.src_joins is not None else None
        self.tgt_join_cum = np.cumsum(self.tgt_joins) if self.tgt_joins is not None else None
        self.tgt_base = _neighbourhood(self.tgt.vectors, self.src.singles, settings.margin_sample) if settings.margin else None

    def skip_gain(self, a: int, b: int) -> float:
        """The gain of leaving one sentence out (``a``-``b`` is 1-0 or 0-1)."""
        return self.settings.skip

    def gain(self, a: int, b: int, i0: int, js: np.ndarray) -> np.ndarray:
        """Gains of the beads of ``a`` source sentences from ``i0`` and ``b`` target sentences
        from each of ``js``."""
        settings = self.settings
        cos = self.tgt.vectors[b - 1][js] @ self.src.vectors[a - 1][i0]
        if self.use_mt:
            mt_cos = self.tgt.vectors[b - 1][js] @ self.src_mt.vectors[a - 1][i0]
            cos = (1 - settings.mt_weight) * cos + settings.mt_weight * mt_cos
        src_len = self.src_cum[i0 + a] - self.src_cum[i0]
        tgt_len = self.tgt_cum[js + b] - self.tgt_cum[js]
        dev = np.log((tgt_len + 10.0) / (self.ratio * src_len + 10.0))
        if settings.margin:
            cos = cos - settings.margin * 0.5 * (self.src_base[a - 1][i0] + self.tgt_base[b - 1][js])
        if settings.size_exponent:
            cos = cos * ((a + b) / 2.0) ** settings.size_exponent
        gain = cos - settings.length_weight * dev**2 - settings.merge_penalty * (a + b - 2)
        if self.times is not None:
            gain = gain + self.times.gain(a, b, i0, js)
        return gain - self.join_cost(a, b, i0, js)

    def join_cost(self, a: int, b: int, i0: int, js: np.ndarray) -> np.ndarray:
        """What joining blocks costs the beads: the costs of the block boundaries each side's
        sentences cross, when only one side crosses any (a bead covers a block of one side
        with consecutive blocks of the other, never blocks of both); ``inf`` across a wall."""
        src = float(self.src_join_cum[i0 + a - 1] - self.src_join_cum[i0]) if self.src_join_cum is not None else 0.0
        tgt = (self.tgt_join_cum[js + b - 1] - self.tgt_join_cum[js]) if self.tgt_join_cum is not None \
            else np.zeros(len(js))
        cost = src + tgt
        return np.where((cost >= WALL) | ((src > 0) & (tgt > 0)), np.inf, cost)


def fill_band(lo: np.ndarray, hi: np.ndarray, m: int, types: tuple[tuple[int, int], ...],
              scorer: BeadScorer) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The dynamic programme over the band: best score of each cell ``(i, j)`` (prefixes of
    ``i`` source and ``j`` target sentences) and the bead type that reaches it."""
    n = len(lo) - 1
    score = [np.full(hi[i] - lo[i] + 1, -np.inf) for i in range(n + 1)]
    choice = [np.full(hi[i] - lo[i] + 1, -1, dtype=np.int8) for i in range(n + 1)]
    score[0][0 - lo[0]] = 0.0
    skip_target = types.index((0, 1))
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1)
        row = score[i]
        for t, (a, b) in enumerate(types):
            if a > i or t == skip_target:
                continue
            prev_i = i - a
            j0 = js - b
            ok = (j0 >= lo[prev_i]) & (j0 <= hi[prev_i])
            if not ok.any():
                continue
            prev = np.full(len(js), -np.inf)
            prev[ok] = score[prev_i][j0[ok] - lo[prev_i]]
            ok &= np.isfinite(prev)
            if not ok.any():
                continue
            if a == 0 or b == 0:
                gain = np.full(len(js), scorer.skip_gain(a, b))
            else:
                gain = np.full(len(js), -np.inf)
                ok &= j0 + b <= m
                gain[ok] = scorer.gain(a, b, prev_i, j0[ok])
            cand = prev + gain
            better = cand > row
            row[better] = cand[better]
            choice[i][better] = t
        _skip_targets(row, choice[i], scorer.skip_gain(0, 1), skip_target)
    return score, choice


def _skip_targets(row: np.ndarray, choice: np.ndarray, skip: float, t: int) -> None:
    """Chains of skipped target sentences along one row, in place: the best of reaching each
    cell directly or from any cell to its left by skipping the targets between them."""
    if len(row) < 2:
        return
    steps = np.arange(len(row)) * skip
    best_left = np.maximum.accumulate(row - steps) + steps  # max over k <= j of row[k] + (j - k) * skip
    from_left = np.concatenate([[-np.inf], best_left[:-1] + skip])
    better = from_left > row
    row[better] = from_left[better]
    choice[better] = t


def backtrack(score: list[np.ndarray], choice: list[np.ndarray], lo: np.ndarray, m: int,
              types: tuple[tuple[int, int], ...]) -> list[Bead]:
    """The beads of the best path through a filled band, in order."""
    beads: list[Bead] = []
    i, j = len(lo) - 1, m
    while i > 0 or j > 0:
        t = int(choice[i][j - lo[i]])
        if t < 0:
            raise RuntimeError("alignment band lost the path")  # cannot happen with a monotone band
        a, b = types[t]
        i0, j0 = i - a, j - b
        gain = float(score[i][j - lo[i]] - score[i0][j0 - lo[i0]])
        beads.append(Bead(tuple(range(i0, i)), tuple(range(j0, j)), round(gain, 6)))
        i, j = i0, j0
    return beads[::-1]


def align_parallel(
    src: OverlapEmbeddings,
    tgt: OverlapEmbeddings,
    settings: ParallelSettings = ParallelSettings(),
    src_mt: OverlapEmbeddings | None = None,
    blocks: tuple[np.ndarray, np.ndarray] | None = None,
    joins: tuple[np.ndarray, np.ndarray] | None = None,
    times: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
) -> list[Bead]:
    """Align two sentence sequences; return beads covering every sentence, in order.

    ``src_mt`` optionally holds embeddings of a machine translation of the source into the
    target language (same overlaps). Its similarity to the target is monolingual, hence
    sharper; it is mixed into each bead's similarity with weight ``settings.mt_weight``.
    ``blocks`` gives each source and target sentence its block number (a heading, a list
    item, a table cell, a paragraph of a structured document): a bead never joins sentences
    of two blocks. ``joins`` gives instead the cost of joining each sentence to the one before
    (see ``join_costs``): block boundaries become evidence the search weighs. ``times`` gives
    each source and target sentence its cue's start and end (``cuetimes.cue_times``): where
    both sides have them, their agreement is evidence too (see ``cuetimes``).
    """
    n, m = src.vectors.shape[1], tgt.vectors.shape[1]
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    if joins is None and blocks is not None:
        joins = tuple(np.concatenate([[0.0], np.where(np.diff(b) != 0, WALL, 0.0)]) for b in blocks)
    src_joins, tgt_joins = joins if joins is not None else (None, None)
    use_mt = src_mt is not None and settings.mt_weight > 0
    anchor_src = _mix(src.singles, src_mt.singles, settings.mt_weight) if use_mt else src.singles
    idx, sims = top_k_targets(anchor_src, tgt.singles, settings.top_k, settings.anchor_window)
    anchors = anchor_chain(idx, sims)
    evidence = TimeEvidence.of(*times, _anchor_links(anchors, idx, sims))
    scorer = BeadScorer(src, tgt, settings, src_mt, src_joins, tgt_joins, evidence)
    lo, hi = band_from_anchors(anchors, n, m, settings.band)
    types = settings.bead_types()
    score, choice = fill_band(lo, hi, m, types, scorer)
    beads = backtrack(score, choice, lo, m, types)
    return trim_beads(beads, src, tgt, settings.trim, settings.trim_alone) if settings.trim is not None else beads


def _anchor_links(anchors: list[tuple[int, int]], idx: np.ndarray, sims: np.ndarray) -> list[tuple[int, int, float]]:
    """The anchors with their similarity: ``(i, j, similarity)``."""
    return [(i, j, float(sims[i][list(idx[i]).index(j)])) for i, j in anchors]


def _bead_cos(src: OverlapEmbeddings, tgt: OverlapEmbeddings, s: tuple[int, ...], t: tuple[int, ...]) -> float:
    return float(src.vectors[len(s) - 1][s[0]] @ tgt.vectors[len(t) - 1][t[0]])


def trim_beads(beads: list[Bead], src: OverlapEmbeddings, tgt: OverlapEmbeddings,
               threshold: float, alone: float) -> list[Bead]:
    """Split off an edge sentence of a many-sentence bead when the bead without it is more
    similar by at least ``threshold`` and the sentence on its own is less similar than
    ``alone`` to the other side: it adds nothing (an intro line, a caption)."""
    out: list[Bead] = []
    for bead in beads:
        s, t = bead.src, bead.tgt
        if not s or not t or len(s) + len(t) <= 2:
            out.append(bead)
            continue
        full = _bead_cos(src, tgt, s, t)
        options = []
        if len(s) > 1:
            options += [("src", 0, s[1:], t), ("src", -1, s[:-1], t)]
        if len(t) > 1:
            options += [("tgt", 0, s, t[1:]), ("tgt", -1, s, t[:-1])]
        best = max(options, key=lambda o: _bead_cos(src, tgt, o[2], o[3]))
        gain = _bead_cos(src, tgt, best[2], best[3]) - full
        if gain < threshold:
            out.append(bead)
            continue
        side, edge, keep_s, keep_t = best
        alone_cos = _bead_cos(src, tgt, (s[edge],), t) if side == "src" else _bead_cos(src, tgt, s, (t[edge],))
        if alone_cos >= alone:
            out.append(bead)
            continue
        dropped = Bead((s[edge],), ()) if side == "src" else Bead((), (t[edge],))
        kept = Bead(keep_s, keep_t, bead.score)
        out.extend([dropped, kept] if edge == 0 else [kept, dropped])
    return out


def block_numbers(sentences) -> np.ndarray:
    """The block number of each sentence: a new block starts where the paragraph (or the
    document) changes between two sentences of which one comes from a structured block
    (a heading, a paragraph, a list item, a table cell). Plain-text paragraphs have no kind,
    so beads may join them, as translators of prose join and split paragraphs."""
    numbers = np.zeros(len(sentences), dtype=np.int64)
    for k in range(1, len(sentences)):
        prev, cur = sentences[k - 1], sentences[k]
        changed = (prev.doc_id, prev.paragraph) != (cur.doc_id, cur.paragraph)
        numbers[k] = numbers[k - 1] + (changed and bool(prev.kind or cur.kind))
    return numbers


def _fragment(sentence) -> bool:
    """A word or two (``kind``, ``Deployment``, ``节点``): too little to show that it belongs to
    a bead of the block beside it, so no bead joins it to that block."""
    text = sentence.text.strip()
    return len(text.split()) < 3 if sentence.lang == "en" else len(text) < 4


def join_costs(sentences, settings: ParallelSettings) -> np.ndarray:
    """The cost of a bead joining each sentence to the one before it: 0 inside a block (and
    between plain-text paragraphs, which translators join and split freely),
    ``settings.block_join`` between two paragraphs or list items (a paragraph one side splits
    into a list), ``settings.heading_join`` where a heading meets the block next to it (a
    heading the other side wrote into its paragraph), and a wall at a table cell or a change
    of document or next to a fragment of a word or two (see ``_fragment``)."""
    costs = np.zeros(len(sentences))
    for k in range(1, len(sentences)):
        prev, cur = sentences[k - 1], sentences[k]
        if (prev.doc_id, prev.paragraph) == (cur.doc_id, cur.paragraph) or not (prev.kind or cur.kind):
            continue
        kinds = {prev.kind, cur.kind}
        if prev.doc_id != cur.doc_id or "table_cell" in kinds or _fragment(prev) or _fragment(cur):
            costs[k] = WALL
        else:
            costs[k] = settings.heading_join if "heading" in kinds else settings.block_join
    return costs


def _excerpt(sentences, lang: str) -> str:
    text = " ".join(s.text for s in sentences) if lang == "en" else "".join(s.text for s in sentences)
    return text if len(text) <= 50 else text[:49] + "…"


def skip_details(beads: list[Bead], zh_sents, en_sents) -> dict[int, str]:
    """For each sentence a bead leaves alone (by its position: Chinese ``i``, English
    ``~j``), what it lay between on the other side: the partners of the pairs before and
    after it, so that a user can look there for its translation."""
    befores, last = [], None
    for k, b in enumerate(beads):
        befores.append(last)
        last = k if b.src and b.tgt else last
    afters, nxt = [None] * len(beads), None
    for k in range(len(beads) - 1, -1, -1):
        afters[k] = nxt
        nxt = k if beads[k].src and beads[k].tgt else nxt
    out: dict[int, str] = {}
    for k, bead in enumerate(beads):
        if bead.src and bead.tgt:
            continue
        before, after = befores[k], afters[k]
        side, other_lang, name = ("tgt", "en", "English") if bead.src else ("src", "zh", "Chinese")
        others = en_sents if bead.src else zh_sents

        def text(p: int) -> str:
            return _excerpt([others[i] for i in getattr(beads[p], side)], other_lang)

        if before is None and after is None:
            where = f"no {name} sentence was paired in this document pair"
        elif before is None:
            where = f"no {name} partner before «{text(after)}»"
        elif after is None:
            where = f"no {name} partner after «{text(before)}»"
        else:
            where = f"no {name} partner between «{text(before)}» and «{text(after)}»"
        for i in bead.src:
            out[i] = where
        for j in bead.tgt:
            out[~j] = where
    return out


def align_sentences(zh: tuple, en: tuple, settings: ParallelSettings, method: str, group: int
                    ) -> tuple[list[Candidate], list[tuple[Sentence, str]]]:
    """Align two runs of sentences given as ``(sentences, embeddings)``: the pairs found, as
    candidates of ``method`` in ``group``, and the sentences the alignment skipped, each with
    what it lay between (see ``skip_details``). A bead joins structured blocks of one side
    only at a cost (see ``join_costs``)."""
    (zh_sents, zh_emb), (en_sents, en_emb) = zh, en
    candidates, skipped = [], []
    beads = align_parallel(zh_emb, en_emb, settings, joins=(join_costs(zh_sents, settings), join_costs(en_sents, settings)),
                           times=(cue_times(zh_sents), cue_times(en_sents)))
    details = skip_details(beads, zh_sents, en_sents)
    for bead in beads:
        if bead.src and bead.tgt:
            candidates.append(Candidate(tuple(zh_sents[i] for i in bead.src), tuple(en_sents[j] for j in bead.tgt),
                                        method, zh_emb.run(bead.src[0], len(bead.src)),
                                        en_emb.run(bead.tgt[0], len(bead.tgt)), group))
        else:
            skipped += [(zh_sents[i], details[i]) for i in bead.src] + [(en_sents[j], details[~j]) for j in bead.tgt]
    return candidates, skipped
