"""The alignment search on synthetic embeddings: known paths must be recovered exactly."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.io.beads import format_bead, parse_bead, read_beads
from align.aligner.documents import classify_pair
from align.aligner.mining import MiningSettings, mine
from align.aligner.parallel import ParallelSettings, align_parallel, anchor_chain, band_from_anchors
from align.records import OverlapEmbeddings
from align.records import Bead

DIM = 256


def unit(v):
    return v / np.linalg.norm(v)


def overlaps(vectors, max_overlap=4):
    """Overlap embeddings as a perfect encoder would make them: the normalized sum of members."""
    n = len(vectors)
    layers = np.zeros((max_overlap, n, DIM), dtype=np.float32)
    for k in range(max_overlap):
        for i in range(n - k):
            layers[k, i] = unit(np.sum(vectors[i : i + k + 1], axis=0))
    return OverlapEmbeddings(layers, np.full(n, 20.0, dtype=np.float32))


def synthetic(shapes, seed=0, noise=0.25):
    """Build a source and target whose true alignment has the given bead shapes.

    A bead of shape (a, b) carries a + b - 1 random meaning components, partitioned into
    sentences differently on the two sides so that sentence boundaries cross (for 2-2:
    source [c1+c2, c3], target [c1, c2+c3]). ``(1, 0)`` and ``(0, 1)`` beads are sentences
    with no counterpart.
    """
    rng = np.random.default_rng(seed)
    src, tgt, gold = [], [], []
    for a, b in shapes:
        gold.append(Bead(tuple(range(len(src), len(src) + a)), tuple(range(len(tgt), len(tgt) + b))))
        if a == 0 or b == 0:
            src += [unit(rng.normal(size=DIM)) for _ in range(a)]
            tgt += [unit(rng.normal(size=DIM)) for _ in range(b)]
            continue
        comps = [rng.normal(size=DIM) for _ in range(a + b - 1)]
        src_parts = [sum(comps[:b])] + comps[b:]
        tgt_parts = comps[: b - 1] + [sum(comps[b - 1 :])]
        src += [unit(p + noise * rng.normal(size=DIM)) for p in src_parts]
        tgt += [unit(p + noise * rng.normal(size=DIM)) for p in tgt_parts]
    return overlaps(np.array(src)), overlaps(np.array(tgt)), gold


def pairs_only(beads):
    return [(b.src, b.tgt) for b in beads if b.src and b.tgt]


def test_one_to_one_path_is_recovered():
    src, tgt, gold = synthetic([(1, 1)] * 30)
    assert pairs_only(align_parallel(src, tgt)) == pairs_only(gold)


def test_insertions_and_deletions_are_recovered():
    shapes = [(1, 1)] * 5 + [(0, 1)] + [(1, 1)] * 5 + [(1, 0)] + [(1, 1)] * 5 + [(0, 1), (0, 1)] + [(1, 1)] * 4
    src, tgt, gold = synthetic(shapes, seed=1)
    beads = align_parallel(src, tgt)
    assert pairs_only(beads) == pairs_only(gold)
    assert sorted(i for b in beads for i in b.src) == list(range(src.vectors.shape[1]))
    assert sorted(j for b in beads for j in b.tgt) == list(range(tgt.vectors.shape[1]))


@pytest.mark.parametrize("shape", [(1, 2), (2, 1), (1, 3), (3, 1), (1, 4), (4, 1)])
def test_many_to_many_beads_are_recovered(shape):
    shapes = [(1, 1)] * 6 + [shape] + [(1, 1)] * 6 + [shape] + [(1, 1)] * 6
    src, tgt, gold = synthetic(shapes, seed=2, noise=0.15)
    assert pairs_only(align_parallel(src, tgt)) == pairs_only(gold)


def test_long_documents_use_a_band_not_a_full_matrix():
    src, tgt, gold = synthetic([(1, 1)] * 3000, seed=3)
    beads = align_parallel(src, tgt, ParallelSettings(anchor_window=50))
    correct = len(set(pairs_only(beads)) & set(pairs_only(gold)))
    assert correct / len(gold) > 0.99


def test_anchor_chain_is_monotone_and_maximal():
    idx = np.array([[0, 5], [1, 0], [2, 1], [3, 2]])
    sims = np.array([[0.9, 0.1], [0.8, 0.95], [0.9, 0.1], [0.9, 0.1]], dtype=np.float32)
    chain = anchor_chain(idx, sims)
    assert chain == [(0, 0), (1, 1), (2, 2), (3, 3)]
    lo, hi = band_from_anchors(chain, 4, 4, 1)
    assert lo[0] == 0 and hi[-1] == 4 and all(lo <= hi)


def test_mining_finds_planted_pairs_only():
    rng = np.random.default_rng(5)
    shared = [rng.normal(size=DIM) for _ in range(5)]
    src = [unit(rng.normal(size=DIM)) for _ in range(40)]
    tgt = [unit(rng.normal(size=DIM)) for _ in range(60)]
    planted = [(3, 10), (12, 44), (20, 2), (31, 31), (39, 59)]
    for (i, j), v in zip(planted, shared):
        src[i] = unit(v + 0.2 * rng.normal(size=DIM))
        tgt[j] = unit(v + 0.2 * rng.normal(size=DIM))
    beads = mine(overlaps(np.array(src), 2), overlaps(np.array(tgt), 2), MiningSettings(max_run=1))
    assert sorted((b.src[0], b.tgt[0]) for b in beads) == planted


def test_mining_joins_a_sentence_split_in_two():
    rng = np.random.default_rng(6)
    src = [unit(rng.normal(size=DIM)) for _ in range(20)]
    tgt = [unit(rng.normal(size=DIM)) for _ in range(20)]
    meaning = rng.normal(size=DIM)
    half_a, half_b = rng.normal(size=DIM), rng.normal(size=DIM)
    src[7] = unit(meaning)
    tgt[4] = unit(meaning + 2.0 * half_a)
    tgt[5] = unit(meaning - 2.0 * half_a)
    del half_b
    beads = mine(overlaps(np.array(src), 2), overlaps(np.array(tgt), 2))
    joined = [b for b in beads if 7 in b.src or {4, 5} & set(b.tgt)]
    assert [(b.src, b.tgt) for b in joined] == [((7,), (4, 5))]
    # the other candidates are chance pairs of random sentences (mutual best from margin 1.0,
    # left to the quality to judge), all weaker than the joined bead
    assert all(b.score < joined[0].score for b in beads if b is not joined[0])


def test_pair_classification():
    src, tgt, _ = synthetic([(1, 1)] * 20, seed=7)
    assert classify_pair("z", "e", src.vectors[0], tgt.vectors[0]).kind == "parallel"
    rng = np.random.default_rng(8)
    noise = np.array([unit(rng.normal(size=DIM)) for _ in range(20)], dtype=np.float32)
    assert classify_pair("z", "e", src.vectors[0], noise).kind == "unrelated"


def test_bead_format_round_trip():
    for text in ["[0,1]:[0]", "[5]:[]", "[]:[7]", "[2]:[3,4,5]"]:
        assert format_bead(parse_bead(text)) == text
    assert len(read_beads("[0]:[0]\n\n[1]:[1,2]\n")) == 2


def _random_overlaps(vectors, max_overlap=4):
    n, dim = vectors.shape
    layers = np.zeros((max_overlap, n, dim), np.float32)
    for k in range(max_overlap):
        for i in range(n - k):
            v = vectors[i : i + k + 1].sum(axis=0)
            layers[k, i] = v / (np.linalg.norm(v) or 1.0)
    return OverlapEmbeddings(layers, np.full(n, 30.0, np.float32))


def _covers_in_order(beads, n, m):
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    return src == list(range(n)) and tgt == list(range(m))


@st.composite
def alignment_problems(draw):
    """Random or planted embeddings for n and m from 0 to 80, with long insertions and
    deletions on either side."""
    n = draw(st.integers(0, 80))
    m = draw(st.integers(0, 80))
    seed = draw(st.integers(0, 2**16))
    planted = draw(st.booleans())
    rng = np.random.default_rng(seed)
    src = rng.normal(size=(n, 16)).astype(np.float32)
    tgt = rng.normal(size=(m, 16)).astype(np.float32)
    if planted and n and m:
        k = min(n, m)
        cut = draw(st.integers(0, k))
        # the first `cut` targets translate the first sources, the last ones the last sources:
        # everything in between is an insertion on the longer side
        tgt[:cut] = src[:cut] + 0.1 * tgt[:cut]
        rest = k - cut
        if rest:
            tgt[m - rest :] = src[n - rest :] + 0.1 * tgt[m - rest :]
    return src, tgt


@given(alignment_problems())
@settings(max_examples=150)
def test_parallel_alignment_never_fails_and_covers_every_sentence(problem):
    src, tgt = problem
    beads = align_parallel(_random_overlaps(src), _random_overlaps(tgt))
    assert _covers_in_order(beads, len(src), len(tgt))


@pytest.mark.parametrize("n, m", [(1, 6), (6, 1), (1, 40), (40, 67), (67, 40)])
def test_uneven_inputs_that_lost_the_band(n, m):
    """Shapes that made the band lose the path in 0.1 (one heading against a paragraph,
    a block missing in the middle)."""
    rng = np.random.default_rng(n * 100 + m)
    src = rng.normal(size=(n, 16)).astype(np.float32)
    tgt = rng.normal(size=(m, 16)).astype(np.float32)
    k = min(n, m)
    tgt[: k // 2] = src[: k // 2]
    tgt[m - (k - k // 2) :] = src[n - (k - k // 2) :]
    beads = align_parallel(_random_overlaps(src), _random_overlaps(tgt))
    assert _covers_in_order(beads, n, m)


def test_paragraphs_that_translate_each_other_are_mined_first():
    from align.aligner.mining import mine_paragraphs

    rng = np.random.default_rng(11)
    base = rng.normal(size=(12, 16)).astype(np.float32)  # 6 paragraphs of 2 sentences each side
    zh = base.copy()
    en_order = [3, 0, 5, 1, 4, 2]  # English paragraphs in another order; paragraph 4 has no partner
    en = np.concatenate([base[2 * p : 2 * p + 2] + 0.2 * rng.normal(size=(2, 16)).astype(np.float32) for p in en_order])
    en[8:10] = rng.normal(size=(2, 16))
    zh_keys = [("zh", i // 2) for i in range(12)]
    en_keys = [("en", i // 2) for i in range(12)]
    ok = np.ones(12, bool)
    found = mine_paragraphs(_random_overlaps(zh), zh_keys, ok, _random_overlaps(en), en_keys, ok,
                            MiningSettings(paragraph_threshold=1.1))
    pairs = sorted((z[0] // 2, e[0] // 2) for z, e, _ in found)
    assert pairs == sorted((p, n) for n, p in enumerate(en_order) if n != 4)
    assert all(z[1] - z[0] == 2 and e[1] - e[0] == 2 for z, e, _ in found)


def test_the_encoders_memo_is_bounded_and_changes_no_vector():
    """A run of ``encode`` calls keeps at most ``memo_limit`` vectors between calls, and a call
    made after the memo emptied gets the vectors a new encoder gives it."""
    import numpy as np

    from align.embed import get_encoder

    def new_encoder():  # a new encoder (an empty memo) over the one loaded model: loading is not tested here
        encoder = get_encoder("use")
        encoder._model = model
        return encoder

    first = get_encoder("use")
    first.encode(["甲。"])
    model = first._model
    bounded, unbounded = new_encoder(), new_encoder()
    bounded.memo_limit = 3
    calls = [["甲。", "乙。"], ["丙。", "丁。"], ["甲。", "戊。", "己。", "庚。"], ["乙。"]]
    for texts in calls:
        fresh = new_encoder().encode(texts)  # what a new encoder gives this call
        assert np.array_equal(bounded.encode(texts), fresh)
        assert len(bounded._memo) <= bounded.memo_limit
        unbounded.encode(texts)
    assert len(unbounded._memo) == 7


def test_a_pair_of_one_sentence_documents_with_their_link_is_parallel():
    """One link covers a one-sentence document: parallel (two links are asked of longer ones)."""
    import numpy as np

    from align.aligner.documents import classify_pair

    one = np.array([[0.6, 0.8, 0.0]])
    assert classify_pair("a.zh", "a.en", one, one).kind == "parallel"
    two = np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]])
    unrelated = np.array([[0.0, 0.6, -0.8], [1.0, 0.0, 0.0]])
    assert classify_pair("b.zh", "b.en", two, np.vstack([one, unrelated[:1]])).kind != "parallel"  # one link of two


def test_mining_candidates_are_mutual_best_from_margin_one_and_the_quality_decides():
    """A translation among sentences on one topic is each other's best, but its margin over
    the neighbourhood is small: below 1.2 (the old candidate threshold) it used to be lost
    before the quality model saw it; now every mutual best from margin 1.0 is a candidate,
    and the mined model decides (a weak one stays under the default minimum quality)."""
    from align.score.quality import load_quality_model
    from align.score.select import DEFAULT_MIN_QUALITY

    rng = np.random.default_rng(0)
    topic = rng.normal(size=64)
    zh = [unit(topic + 0.9 * rng.normal(size=64)) for _ in range(12)]
    en = [unit(topic + 0.9 * rng.normal(size=64)) for _ in range(12)]
    meaning = rng.normal(size=64)
    zh[4] = unit(topic + 0.9 * rng.normal(size=64) + 0.5 * meaning)
    en[7] = unit(topic + 0.9 * rng.normal(size=64) + 0.5 * meaning)

    def emb(vectors):
        return OverlapEmbeddings(np.array(vectors, np.float32)[None], np.full(len(vectors), 20.0, np.float32))

    found = {(b.src, b.tgt): b.score for b in mine(emb(zh), emb(en), MiningSettings(max_run=1))}
    assert 1.0 <= found[((4,), (7,))] < 1.2
    assert ((4,), (7,)) not in {(b.src, b.tgt) for b in mine(emb(zh), emb(en), MiningSettings(max_run=1, threshold=1.2))}
    model = load_quality_model()
    weak = {"cosine": 0.45, "margin": 1.05, "length_deviation": 0.1, "copied_tokens": 0.0, "garble": 0.0}
    close = {"cosine": 0.8, "margin": 1.15, "length_deviation": 0.1, "copied_tokens": 0.0, "garble": 0.0}
    assert model.score(weak, method="mined") < DEFAULT_MIN_QUALITY <= model.score(close, method="mined")


def test_no_paragraph_pair_without_a_neighbourhood_to_measure_its_margin():
    """One paragraph a side (two comparable texts without blank lines): the ratio margin of
    the only pair is 1.0 whatever the texts, so it is no evidence that the paragraphs
    translate each other; their sentences are left to sentence mining."""
    from align.aligner.mining import mine_paragraphs

    rng = np.random.default_rng(12)
    zh = rng.normal(size=(6, 16)).astype(np.float32)
    en = zh + 0.6 * rng.normal(size=(6, 16)).astype(np.float32)  # related texts (cosine well above chance)
    ok = np.ones(6, bool)
    settings = MiningSettings(paragraph_threshold=1.0)
    one = [("zh", 0)] * 6, [("en", 0)] * 6
    assert mine_paragraphs(_random_overlaps(zh), one[0], ok, _random_overlaps(en), one[1], ok, settings) == []
    six = [("zh", i) for i in range(6)], [("en", i) for i in range(6)]  # six paragraphs a side: margins measured
    assert mine_paragraphs(_random_overlaps(zh), six[0], ok, _random_overlaps(en), six[1], ok, settings)
