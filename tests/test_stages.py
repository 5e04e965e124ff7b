"""Fast unit tests of the stage functions between alignment and export, on synthetic vectors
(no encoder is loaded): section pairing, groups, unaligned reasons, scoring, selection."""

import numpy as np
import pytest

from align.aligner.documents import PairDecision, PairingSettings, decide_pairs, related_groups
from align.aligner.groups import NO_MATCH, NO_RELATED_DOCUMENT, SKIPPED_BY_PARALLEL
from align.aligner.parallel import ParallelSettings
from align.aligner.sections import build_sections
from align.records import OverlapEmbeddings, Pair, Sentence
from align.score.quality import load_quality_model
from align.score.select import BELOW_MIN_QUALITY, REJECTED_BY_RULE, SelectSettings, select_pairs, verdict

DIM = 64


def unit(rng, n):
    v = rng.normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def sentences(doc, lang, texts, paragraph=0):
    return [Sentence(f"{doc}#{lang}{i}", doc, paragraph, i, lang, t, 0, len(t)) for i, t in enumerate(texts)]


def overlaps(vectors, max_overlap=4):
    """Overlap embeddings whose runs are the normalised sums of their sentences."""
    n = len(vectors)
    layers = np.zeros((max_overlap, n, vectors.shape[1]), np.float32)
    for k in range(max_overlap):
        for i in range(n - k):
            v = vectors[i : i + k + 1].sum(axis=0)
            layers[k, i] = v / np.linalg.norm(v)
    return OverlapEmbeddings(layers, np.full(n, 20.0, np.float32))


def world(seed=0, n=12, noise=0.15):
    """Document A (zh) and its translation B (en), a comparable pair C (zh) / D (en) sharing
    three sentences in another order, and E (en) unrelated to anything."""
    rng = np.random.default_rng(seed)
    base = unit(rng, n)
    zh_a = sentences("A", "zh", [f"中文句子{i}。" for i in range(n)])
    en_b = sentences("B", "en", [f"English sentence {i} here." for i in range(n)])
    zh_c = sentences("C", "zh", [f"比较句子{i}。" for i in range(6)])
    en_d = sentences("D", "en", [f"Comparable sentence {i}." for i in range(6)])
    en_e = sentences("E", "en", [f"Unrelated sentence {i}." for i in range(4)])
    shared = unit(rng, 3)
    c_vecs = np.concatenate([shared, unit(rng, 3)])
    d_vecs = np.concatenate([unit(rng, 3), shared[::-1] + noise * unit(rng, 3)])  # out of order: not parallel
    vectors = {
        "A": base,
        "B": base + noise * unit(rng, n),
        "C": c_vecs,
        "D": d_vecs / np.linalg.norm(d_vecs, axis=1, keepdims=True),
        "E": unit(rng, 4),
    }
    sections = build_sections(zh_a + en_b + zh_c + en_d + en_e)
    embeddings = {}
    for section in sections:
        v = vectors[section.doc_id]
        v = v / np.linalg.norm(v, axis=1, keepdims=True)
        embeddings[section.id] = overlaps(v)
    return sections, embeddings


def test_sections_split_at_language_changes_and_count_per_document():
    sents = sentences("A", "zh", ["一。", "二。"]) + sentences("A", "en", ["One."]) + sentences("B", "zh", ["三。"])
    sections = build_sections(sents)
    assert [s.id for s in sections] == ["A/s0-zh", "A/s1-en", "B/s0-zh"]
    assert [len(s.sentences) for s in sections] == [2, 1, 1]


def test_decide_pairs_classes_parallel_comparable_and_unrelated():
    sections, embeddings = world()
    kinds = {(d.zh_section.split("/")[0], d.en_section.split("/")[0]): d.kind for d in decide_pairs(sections, embeddings)}
    assert kinds[("A", "B")] == "parallel"
    assert kinds[("C", "D")] == "comparable"
    assert kinds.get(("A", "E"), "unrelated") == "unrelated"
    assert kinds.get(("C", "E"), "unrelated") == "unrelated"


def test_decide_pairs_limits_candidates_but_keeps_same_document_sections():
    sections, embeddings = world()
    decisions = decide_pairs(sections, embeddings, PairingSettings(), candidates=1)
    per_zh = {}
    for d in decisions:
        per_zh.setdefault(d.zh_section, []).append(d.en_section)
    assert all(len(v) == 1 for v in per_zh.values())


def decision(zh, en, kind):
    return PairDecision(zh, en, kind, 0, 0.0, 0.0, 0.0)


def test_related_groups_join_through_any_related_decision():
    groups = related_groups([
        decision("a", "x", "parallel"), decision("b", "x", "comparable"),
        decision("c", "y", "unrelated"), decision("d", "z", "comparable"),
    ])
    assert groups == [{"a", "b", "x"}, {"d", "z"}]


def aligned_world(sections, embeddings):
    """The sections aligned and scored on the path ``align run`` takes (``run.align_sections``)."""
    from align.config import RunConfig
    from align.mapper import in_process
    from align.run import Sectioned, align_sections

    decisions = decide_pairs(sections, embeddings)
    return align_sections(Sectioned(sections, embeddings, sections, decisions, {}), {}, RunConfig(),
                          in_process())


def test_every_sentence_is_paired_or_has_a_reason():
    sections, embeddings = world()
    aligned = aligned_world(sections, embeddings)
    all_ids = {s.id for sec in sections for s in sec.sentences}
    in_pairs = [s.id for c in aligned.pairs for s in c.zh + c.en]
    assert len(in_pairs) == len(set(in_pairs))
    assert set(in_pairs) | set(aligned.reasons) == all_ids
    assert not set(in_pairs) & set(aligned.reasons)
    parallel = [c for c in aligned.pairs if c.method == "parallel"]
    assert [(c.zh[0].index, c.en[0].index) for c in parallel] == [(i, i) for i in range(12)]
    mined = [c for c in aligned.pairs if c.method == "mined"]
    assert {(c.zh[0].doc_id, c.en[0].doc_id) for c in mined} == {("C", "D")}
    assert sorted((c.zh[0].index, c.en[0].index) for c in mined) == [(0, 5), (1, 4), (2, 3)]
    assert {aligned.reasons[f"E#en{i}"] for i in range(4)} == {NO_RELATED_DOCUMENT}
    assert aligned.reasons["C#zh4"] == NO_MATCH and aligned.reasons["D#en0"] == NO_MATCH


def test_sentences_the_parallel_aligner_skips_say_so():
    rng = np.random.default_rng(3)
    base = unit(rng, 10)
    extra = unit(rng, 1)
    zh = sentences("A", "zh", [f"句{i}。" for i in range(10)])
    en = sentences("A", "en", [f"S {i}." for i in range(11)])
    sections = build_sections(zh + en)
    en_vecs = np.concatenate([base[:5], extra, base[5:]])
    embeddings = {sections[0].id: overlaps(base), sections[1].id: overlaps(en_vecs)}
    aligned = aligned_world(sections, embeddings)
    assert aligned.reasons == {"A#en5": SKIPPED_BY_PARALLEL}


def pair(quality, rejected=(), details=()):
    zh = tuple(sentences("A", "zh", ["中文。"]))
    en = tuple(sentences("B", "en", ["English."]))
    return Pair(zh, en, "parallel", {}, quality, tuple(rejected), rule_details=tuple(details))


@pytest.mark.parametrize("keep_rejected, expected", [(False, [REJECTED_BY_RULE, BELOW_MIN_QUALITY]), (True, [BELOW_MIN_QUALITY])])
def test_selection_drops_rejected_then_low_quality(keep_rejected, expected):
    pairs = [pair(0.9), pair(0.95, ["number_mismatch"], ["zh has 5, en has 7"]), pair(0.3)]
    kept, dropped = select_pairs(pairs, SelectSettings(0.5, keep_rejected))
    assert [p.quality for p in kept] == ([0.9, 0.95] if keep_rejected else [0.9])
    reasons = [u.reason for u in dropped]
    assert sorted(set(reasons)) == sorted(expected)
    assert len(dropped) == 2 * len(expected)  # both sentences of each dropped pair
    if not keep_rejected:
        assert dropped[0].detail.startswith("number_mismatch (zh has 5, en has 7); paired with: English.")


def test_verdict_is_the_one_accept_decision():
    settings = SelectSettings(0.5)
    assert verdict(0.5, (), settings) is None
    assert verdict(0.49, (), settings).reason == BELOW_MIN_QUALITY
    assert verdict(0.99, ("identical",), settings).reason == REJECTED_BY_RULE
    assert verdict(0.99, ("identical",), SelectSettings(0.5, keep_rejected=True)) is None


def test_scoring_uses_the_quality_model_and_the_group_neighbourhood():
    from align.similarity import knn_mean, ratio_margin

    sections, embeddings = world()
    aligned = aligned_world(sections, embeddings)
    model = load_quality_model()
    pairs = aligned.pairs
    assert pairs and [p.sort_key() for p in pairs] == sorted(p.sort_key() for p in pairs)
    by_id = {s.id: s for s in sections}
    for p in pairs:
        assert set(p.signals) == {"cosine", "margin", "length_deviation", "copied_tokens", "garble"}
        assert p.quality == round(model.score(p.signals, p.signals["garble"], p.method), 4)
        # the margin is measured against the single sentences of the pair's own group of sections
        group = next(g for g in related_groups(decide_pairs(sections, embeddings)) if p.zh[0].id.split("#")[0] in
                     {by_id[x].doc_id for x in g})
        zh_single = np.concatenate([embeddings[x].singles for x in sorted(group) if by_id[x].lang == "zh"])
        en_single = np.concatenate([embeddings[x].singles for x in sorted(group) if by_id[x].lang == "en"])
        zh_sec = next(x for x in group if by_id[x].lang == "zh" and p.zh[0] in by_id[x].sentences)
        en_sec = next(x for x in group if by_id[x].lang == "en" and p.en[0] in by_id[x].sentences)
        zv = embeddings[zh_sec].run(by_id[zh_sec].sentences.index(p.zh[0]), len(p.zh))
        ev = embeddings[en_sec].run(by_id[en_sec].sentences.index(p.en[0]), len(p.en))
        cos = float(zv @ ev)
        expected = ratio_margin(cos, float(knn_mean(zv[None, :], en_single, 4)[0]),
                                float(knn_mean(ev[None, :], zh_single, 4)[0]))
        assert p.signals["margin"] == round(expected, 4) and p.signals["margin"] > 1.0


def test_same_document_candidates_are_the_nearby_sections():
    """An interleaved bilingual document of 200 sections: each Chinese section is classed
    against a bounded number of English sections, not all 100 of them."""
    from align.aligner.documents import candidate_sections, section_centroids

    rng = np.random.default_rng(5)
    sents = []
    for k in range(100):
        sents += sentences("bi", "zh", [f"句{k}。"])
        sents += sentences("bi", "en", [f"Line {k}."])
    sents = [Sentence(f"bi#{s.lang}{n}", s.doc_id, n, n, s.lang, s.text, 0, 1) for n, s in enumerate(sents)]
    sections = build_sections(sents)
    assert len(sections) == 200
    embeddings = {s.id: overlaps(unit(rng, 1)) for s in sections}
    zh = [s for s in sections if s.lang == "zh"]
    en = [s for s in sections if s.lang == "en"]
    chosen = candidate_sections(zh, en, section_centroids(zh + en, embeddings), candidates=3, nearby=4)
    assert max(len(c) for c in chosen) <= 3 + 2 * 4
    middle = zh[50]
    assert {en[i].position for i in chosen[50]} >= {middle.position - 1, middle.position + 1}


def test_run_json_keeps_decisions_with_pairs_and_a_sample():
    from align.export.report import DECISION_SAMPLE, MAX_DECISIONS_PER_DOCUMENT, pairing_report
    from align.records import Prepared, RunResult

    sents = sentences("A", "zh", ["一。"]) + sentences("B", "en", ["One."])
    sections = build_sections(sents)
    decisions = [decision(sections[0].id, sections[1].id, "parallel")]
    decisions += [decision(f"A/s{n}-zh", f"X/s{n}-en", "unrelated") for n in range(500)]
    decisions += [decision(sections[0].id, f"Y/s{n}-en", "comparable") for n in range(100)]
    pair = Pair(tuple(sents[:1]), tuple(sents[1:]), "parallel", {}, 0.9)
    result = RunResult(Prepared([], [], {}, sents), sections, decisions, [pair], [pair], [], {}, {}, "enc", 3.0)
    report = pairing_report(result)
    assert report["decisions"] == 601
    assert report["by_kind"] == {"comparable": 100, "parallel": 1, "unrelated": 500}
    assert [(d["zh_section"], d["en_section"]) for d in report["with_pairs"]] == [(sections[0].id, sections[1].id)]
    assert len(report["without_pairs_sample"]) == DECISION_SAMPLE
    assert MAX_DECISIONS_PER_DOCUMENT >= 1


def interleaved_world(blocks=12, seed=7, order=+1):
    """One document alternating languages: block k's Chinese next to its English."""
    rng = np.random.default_rng(seed)
    sents, vectors = [], {}
    for k in range(blocks):
        base = unit(rng, 2)
        for lang in (("zh", "en") if order > 0 else ("en", "zh")):
            for i in range(2):
                sents.append((lang, f"{lang}{k}.{i}", base[i] + (0.1 * unit(rng, 1)[0] if lang == "en" else 0)))
    sentences_ = []
    counters = {"zh": 0, "en": 0}
    for n, (lang, text, vec) in enumerate(sents):
        sentences_.append(Sentence(f"bi#{lang}{counters[lang]}", "bi", n // 2, counters[lang], lang, text, 0, 1))
        vectors[sentences_[-1].id] = vec
        counters[lang] += 1
    sections = build_sections(sentences_)
    embeddings = {s.id: overlaps(np.stack([vectors[x.id] / np.linalg.norm(vectors[x.id]) for x in s.sentences]))
                  for s in sections}
    return sections, embeddings


@pytest.mark.parametrize("order", [+1, -1])
def test_interleaved_documents_pair_each_section_with_its_neighbour(order):
    from align.aligner.interleaved import align_interleaved, interleaved_documents

    sections, embeddings = interleaved_world(order=order)
    assert interleaved_documents(sections, embeddings) == {"bi": order}
    found = align_interleaved(sections, order, embeddings, ParallelSettings(), 0)
    assert len(found.candidates) == 24 and not found.reasons
    assert all(c.zh[0].text[2:] == c.en[0].text[2:] for c in found.candidates)  # zhK.i with enK.i


def test_a_document_with_two_sections_is_not_interleaved():
    from align.aligner.interleaved import interleaved_documents

    sections, embeddings = world()
    assert interleaved_documents(sections, embeddings) == {}


def test_the_encoder_sees_at_most_max_chars_of_a_text():
    from align.embed import Encoder

    class Recording(Encoder):
        dim = 4

        def __init__(self):
            super().__init__()
            self.seen = []

        def _encode_batch(self, texts):
            self.seen.extend(texts)
            return np.array([[len(t), 1.0, 0.0, 0.0] for t in texts], dtype=np.float32)

    enc = Recording()
    long = "句" * (enc.max_chars + 5000)
    vectors = enc.encode([long, long[: enc.max_chars], "短句。"])
    assert max(len(t) for t in enc.seen) == enc.max_chars and len(enc.seen) == 2
    assert np.array_equal(vectors[0], vectors[1])


def clustered(rng, n, dim=DIM, topics=20):
    centres = rng.normal(size=(topics, dim))
    v = centres[rng.integers(0, topics, n)] + 0.7 * rng.normal(size=(n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_hnsw_search_finds_the_exact_neighbours_and_is_repeatable():
    pytest.importorskip("faiss")
    from align.aligner.nearest import approximate_nearest, exact_nearest

    rng = np.random.default_rng(0)
    index = clustered(rng, 3000)
    queries = index[:300] + 0.05 * unit(rng, 300)
    exact = exact_nearest(queries, index, 8)
    approx = approximate_nearest(queries, index, 8)
    assert [row[0] for row in exact] == list(range(300))  # a query's own row is its nearest
    recall = np.mean([len(set(a) & set(e)) / 8 for a, e in zip(approx, exact)])
    assert recall > 0.95 and [row[0] for row in approx] == list(range(300))
    assert approximate_nearest(queries, index, 8) == approx


def test_exact_search_orders_by_similarity():
    from align.aligner.nearest import exact_nearest

    index = np.eye(4, dtype=np.float32)
    query = np.array([[0.1, 0.9, 0.5, 0.0]], np.float32)
    assert exact_nearest(query, index, 3) == [[1, 2, 0]]
    assert exact_nearest(query, index, 9) == [[1, 2, 0, 3]]


def test_pairing_above_the_approximate_threshold_decides_the_same():
    pytest.importorskip("faiss")
    sections, embeddings = world()
    exact = decide_pairs(sections, embeddings, PairingSettings(), candidates=2)
    approximate = decide_pairs(sections, embeddings, PairingSettings(approximate_above=1), candidates=2)
    assert approximate == exact and {d.kind for d in exact} >= {"parallel", "comparable"}


@pytest.mark.parametrize("damage", ["short", "nan"])
def test_a_damaged_embedding_cache_entry_is_computed_again(tmp_path, damage, caplog):
    import numpy as np

    from align.embed import EmbeddingStore, Encoder

    class Counting(Encoder):
        dim = 4
        calls = 0

        def _encode_batch(self, texts):
            Counting.calls += 1
            return np.tile(np.array([1.0, 2.0, 2.0, 4.0], np.float32), (len(texts), 1))

    store = EmbeddingStore(tmp_path / "embeddings.sqlite")
    first = Counting(store).embed_batch(["a", "b"])
    bad = np.array([1.0, 0.0], np.float32) if damage == "short" else np.full(4, np.nan, np.float32)
    store.put_many("encoder", {"a": bad})
    again = Counting(store).embed_batch(["a", "b"])
    assert Counting.calls == 2 and np.array_equal(first, again)
    assert "damaged vectors" in caplog.text


def test_a_full_cache_disk_degrades_to_no_cache(tmp_path, caplog):
    import sqlite3

    import numpy as np

    from align.embed import EmbeddingStore, Encoder

    class Plain(Encoder):
        dim = 2

        def _encode_batch(self, texts):
            return np.ones((len(texts), 2), np.float32)

    store = EmbeddingStore(tmp_path / "embeddings.sqlite")

    def full(*_):
        raise sqlite3.OperationalError("database or disk is full")

    store.put_many = full
    encoder = Plain(store)
    assert encoder.embed_batch(["a"]).shape == (1, 2) and encoder.store is None
    assert "going on without it" in caplog.text


def test_bitext_files_are_groups_the_mapper_runs(tmp_path):
    """A bitext file's pairs are embedded and judged in a task on the run's mapper, like any
    group; no encoder work happens in the driver for them."""
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.mapper import InProcess, TaskContext
    from align.aligner.work import BitextFile
    from align.run import run

    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("她戴着太阳镜。\tShe wears sunglasses.\n街道是潮湿的。\tThe street is damp.\n", encoding="utf-8")
    encoder = get_encoder("use")

    class Recording(InProcess):
        def __init__(self):
            super().__init__(TaskContext(encoder=encoder))
            self.bitext_items = 0

        def map(self, task, items, desc, progress=None):
            self.bitext_items += sum(1 for batch in items if isinstance(batch, tuple)
                                     for item in batch if isinstance(item, BitextFile))
            return super().map(task, items, desc, progress)

    mapper = Recording()
    before = len(encoder._memo)
    result = run([], RunConfig(bitext=(str(tsv),)), encoder, mapper=mapper)
    assert mapper.bitext_items == 1
    assert [(p.zh_text, p.method) for p in result.all_pairs] == [("她戴着太阳镜。", "bitext"), ("街道是潮湿的。", "bitext")]
    assert len(encoder._memo) == before  # embedded by the task, as a new encoder would


def test_every_kind_of_group_has_its_aligner_and_plans_are_typed():
    import typing

    from align.aligner.work import (GroupSettings, GroupWork, InterleavedDocument, NamedDocumentPair, RelatedGroup,
                                    plan_groups)
    from align.aligner.mining import MiningSettings
    from align.aligner.names import DocumentPair
    from align.aligner.parallel import ParallelSettings
    from align.records import Section
    from align.tasks import GROUP_ALIGNERS

    assert set(GROUP_ALIGNERS) == set(typing.get_args(GroupWork))
    sections = [Section(f"{doc}#{lang}", doc, lang, (Sentence(f"{doc}:{lang}:0", doc, 0, 0, lang, "x", 0, 1),), n)
                for n, (doc, lang) in enumerate((("inter", "zh"), ("inter", "en"), ("a", "zh"), ("b", "en")))]
    embeddings = {s.id: None for s in sections}
    settings = GroupSettings(ParallelSettings(), MiningSettings())
    planned = plan_groups(sections, embeddings, [], {"inter": -1}, {}, settings, [DocumentPair("a", "b", "name")])
    assert [type(p) for p in planned] == [InterleavedDocument, NamedDocumentPair]
    assert [p.number for p in planned] == [0, 1] and planned[0].order == -1 and planned[1].documents == (("a",), ("b",))
    assert [s.id for s in planned[1].sections] == ["a#zh", "b#en"] and planned[0].size == 2
    assert not any(isinstance(p, RelatedGroup) for p in planned)



def test_work_is_handed_out_costliest_first_and_comes_back_in_order():
    from align.mapper import InProcess, map_largest_first

    class Recording(InProcess):
        workers = 2
        seen: list = []

        def map(self, task, items, desc, progress=None):
            self.seen = list(items)
            return super().map(task, items, desc, progress)

    mapper = Recording()
    items = ["bb", "a", "dddd", "ccc"]
    assert map_largest_first(mapper, lambda context, item: item.upper(), items, [len(i) for i in items], "x") == [
        "BB", "A", "DDDD", "CCC"]
    assert mapper.seen == ["dddd", "ccc", "bb", "a"]


def test_few_documents_are_spread_over_the_workers(tmp_path):
    from align.mapper import InProcess
    from align.run import prepare

    class TwoWorkers(InProcess):
        workers = 2
        tasks: list = []

        def map(self, task, items, desc, progress=None):
            if desc == "normalize":
                self.tasks = [len(item.documents) for item in items]
            return super().map(task, items, desc, progress)

    for n in range(6):
        (tmp_path / f"{n}.zh.txt").write_text("她戴着太阳镜。" * (n + 1) + "\n", encoding="utf-8")
        (tmp_path / f"{n}.en.txt").write_text("She wears sunglasses. " * (n + 1) + "\n", encoding="utf-8")
    mapper = TwoWorkers()
    one = prepare([tmp_path])
    two = prepare([tmp_path], mapper=mapper)
    assert mapper.tasks == [2] * 6  # twelve documents: six tasks for two workers (one task of 16 before)
    assert two.sentences == one.sentences and two.paragraphs == one.paragraphs
