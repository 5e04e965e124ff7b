"""One Judge per group or corpus: the hard rules built once per method, the k nearest
neighbours found in one batch, the length ratio measured once per method, and the run's
scoring and the rescoring of a corpus both judging through it."""

import numpy as np
import pytest

import align.score.judge as judge_module
from align.records import Candidate, Sentence
from align.score.hardrules import broken_rules
from align.score.judge import Judge, ToJudge, judge_pairs
from align.score.pairs import score_candidates
from align.score.quality import load_quality_model, QualityModel
from align.io.corpus import CorpusEntry
from align.score.rescore import rescore

PAIRS = [("第五条 一切权力属于人民。", "Article 5 All power belongs to the people."),
         ("她戴着太阳镜。", "She wears sunglasses."),
         ("访问 https://kubernetes.io/docs/ 了解更多。", "See https://kubernetes.io/blog/ for more."),
         ("你好", "你好"),
         ("一八四〇年", "In 1840."),
         ("第七条", "Article 9")] * 5


def vectors(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, 16)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def items(methods=("parallel", "bitext")) -> list[ToJudge]:
    zv, ev = vectors(len(PAIRS), 1), vectors(len(PAIRS), 2)
    return [ToJudge(zh, en, methods[i % len(methods)], zv[i], ev[i], 0.0) for i, (zh, en) in enumerate(PAIRS)]


class Counting:
    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def counted(monkeypatch):
    counters = {name: Counting(getattr(judge_module, name)) for name in ("hard_rules", "keyed_rules", "knn_mean")}
    for name, counter in counters.items():
        monkeypatch.setattr(judge_module, name, counter)
    ratio = Counting(QualityModel.length_ratio_for)
    monkeypatch.setattr(QualityModel, "length_ratio_for", lambda self, *a: ratio(self, *a))
    counters["length_ratio_for"] = ratio
    return counters


def test_one_judge_builds_its_rules_and_ratios_once_per_method_and_its_neighbours_in_one_batch(counted):
    todo = items(("parallel", "bitext", "keyed"))
    judged = judge_pairs(todo, load_quality_model(), np.stack([t.zh_vec for t in todo]),
                         np.stack([t.en_vec for t in todo]), 4)
    assert len(judged) == len(PAIRS) == 30
    assert counted["hard_rules"].calls == 2 and counted["keyed_rules"].calls == 1  # parallel, bitext; keyed
    assert counted["length_ratio_for"].calls == 3  # once for each method the model judges by
    assert counted["knn_mean"].calls == 2  # each side's neighbours, every pair at once


def test_the_judge_breaks_the_same_rules_a_pair_breaks_alone():
    todo = items()
    judge = Judge.of(load_quality_model(), ((t.method, t.zh, t.en) for t in todo))
    judged = judge.judge_all(todo, np.stack([t.zh_vec for t in todo]), np.stack([t.en_vec for t in todo]), 4)
    for item, judgement in zip(todo, judged):
        assert judgement.rejected_by == broken_rules(item.zh, item.en, judge.ratios[item.method])
    assert {"identical", "url_mismatch", "number_mismatch"} <= {r for j in judged for r in j.rejected_by}
    assert judge.ratios["parallel"] == load_quality_model().length_ratio  # fitted; bitext: measured on the pairs
    assert judge.ratios["bitext"] != judge.ratios["parallel"]


class FixedEncoder:
    """Vectors from a table, as an encoder gives them."""

    signature = "fixed"

    def __init__(self, table: dict[str, np.ndarray]):
        self.table = table

    def encode_alone(self, texts, progress=None):
        return np.stack([self.table[t] for t in texts])


def sentence(doc: str, lang: str, n: int, text: str) -> Sentence:
    return Sentence(f"{doc}#{lang}{n}", doc, n, n, lang, text, 0, len(text))


def test_the_run_and_rescoring_are_adapters_over_the_one_judge(monkeypatch):
    """A file of pairs scored as ``align run --bitext`` scores it and rescored as ``align score``
    rescores it: the same judge, built once each, gives the same judgements."""
    file = [p for p in PAIRS[:6] if p[0] != p[1]]  # texts that name their vectors
    zv, ev = vectors(len(file), 1), vectors(len(file), 2)
    candidates = [Candidate((sentence("f", "zh", i, zh),), (sentence("f", "en", i, en),), "bitext", zv[i], ev[i], -1)
                  for i, (zh, en) in enumerate(file)]
    built = Counting(Judge.of.__func__)
    monkeypatch.setattr(Judge, "of", classmethod(lambda cls, *a: built(cls, *a)))
    pairs = score_candidates(candidates, {(-1, "zh"): zv, (-1, "en"): ev}, 4, load_quality_model())
    assert built.calls == 1
    table = {**{zh: zv[i] for i, (zh, _) in enumerate(file)}, **{en: ev[i] for i, (_, en) in enumerate(file)}}
    rescored = rescore([CorpusEntry(zh, en) for zh, en in file], FixedEncoder(table))
    assert built.calls == 2
    by_text = {(p.zh[0].text, p.en[0].text): p for p in pairs}
    for r in rescored:
        run = by_text[(r.entry.zh, r.entry.en)]
        assert (r.signals, r.quality, r.rejected_by) == (run.signals, run.quality, run.rejected_by)
    assert len(rescored) == len(pairs) == 5
