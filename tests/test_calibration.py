"""The mining benchmark's construction (bench/mining.py) and the calibrated quality model."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from mining import construct  # noqa: E402

ZH = ["一个时髦的女人走在东京的街道上。", "她戴着太阳镜。", "许多行人走来走去。", "街道潮湿且反光。", "她走路自信又随意。",
      "他打开了门。", "天色已晚。", "我们回家吧。", "雨停了。", "她笑了。"]
EN = ["A stylish woman walks down a Tokyo street.", "She wears sunglasses.", "Many pedestrians walk about.",
      "The street is damp and reflective.", "She walks confidently.", "He opened the door.", "It was late.",
      "Let us go home.", "The rain stopped.", "She smiled."]


@pytest.fixture
def mac(tmp_path):
    for lang in ("zh", "en", "gold"):
        (tmp_path / lang).mkdir()
    for name, shift in (("001", 0), ("002", 5)):
        zh = [ZH[(i + shift) % 10] + f"（{name}）" for i in range(10)]
        en = [EN[(i + shift) % 10] + f" ({name})" for i in range(10)]
        (tmp_path / "zh" / f"{name}.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
        (tmp_path / "en" / f"{name}.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
        (tmp_path / "gold" / f"{name}.align").write_text("".join(f"[{i}]:[{i}]\n" for i in range(10)))
    return tmp_path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hidden_pairs_are_in_the_text_and_distractors_are_not_gold(mac, seed):
    c = construct(mac, ("001", "002"), seed)
    by_pair = {}
    for (file, k), pair in c.owner.items():
        paragraphs = c.texts[file].strip().split("\n\n")
        assert len(paragraphs) > k
        if pair is not None:
            by_pair.setdefault(pair, []).append((file.split(".")[1], paragraphs[k]))
    assert set(by_pair) == set(c.hidden) and c.hidden
    for pair, sides in by_pair.items():
        assert sorted(lang for lang, _ in sides) == ["en", "zh"]  # both sides present, once each
        chapter, n = pair.split(":")
        zh, en = dict(sides)["zh"], dict(sides)["en"]
        gold_zh = (mac / "zh" / f"{chapter}.txt").read_text(encoding="utf-8").splitlines()[int(n)]
        gold_en = (mac / "en" / f"{chapter}.txt").read_text(encoding="utf-8").splitlines()[int(n)]
        assert (zh, en) == (gold_zh, gold_en)  # a hidden pair is a gold bead, whole
    # every other paragraph is a distractor: one side of a bead, or another chapter's text
    distractors = [(file, k) for (file, k), pair in c.owner.items() if pair is None]
    assert distractors
    gold = {}  # any gold sentence -> its translation
    for chapter in ("001", "002"):
        zh = (mac / "zh" / f"{chapter}.txt").read_text(encoding="utf-8").splitlines()
        en = (mac / "en" / f"{chapter}.txt").read_text(encoding="utf-8").splitlines()
        gold.update(dict(zip(zh, en)))
        gold.update(dict(zip(en, zh)))
    for file, k in distractors:
        text = c.texts[file].strip().split("\n\n")[k]
        other_side = file.replace(".zh.", ".X.").replace(".en.", ".zh.").replace(".X.", ".en.")
        assert gold[text] not in c.texts[other_side].strip().split("\n\n")  # its translation is not there


def test_the_calibrated_model_loads_with_a_model_per_method():
    from align.score.quality import load_quality_model

    model = load_quality_model()
    assert set(model.methods) == {"parallel", "mined", "bitext", "keyed"}
    assert "calibrated" in model.signature
    signals = {"cosine": 0.8, "margin": 1.6, "length_deviation": 0.2, "copied_tokens": 0.0, "garble": 0.0}
    parallel, mined = model.score(signals, 0.0, "parallel"), model.score(signals, 0.0, "mined")
    bitext = model.score(signals, 0.0, "bitext")
    assert 0 < parallel < 1 and 0 < mined < 1 and 0 < bitext < 1 and len({parallel, mined, bitext}) == 3
    assert model.score(signals, 0.0, "another-tool") == bitext  # a method without a model: unknown origin
    assert model.score(signals, 1.0, "parallel") == pytest.approx(parallel * 0.5)


def test_news_domain_gives_literal_pairs_one_segment_a_unit_each_text_once():
    from mining import domain_beads

    beads = domain_beads("news")
    assert len(beads) == 50 and all(name.startswith(("news2019-", "news2020-")) for name in beads)
    units = [u for pairs in beads.values() for pair in pairs for u in pair]
    assert len(units) == len(set(units)) > 3000  # a repeated segment is kept once
    zh, en = beads["news2019-00"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and en.isascii() and "\t" not in zh + en


def test_mining_models_figures_count_exported_pairs_and_distinct_hidden_ones():
    from mining_models import figures

    def row(owner, rejected=()):
        return {"hidden": 4, "right": owner is not None, "owner": owner, "rejected_by": list(rejected)}

    rows = [row("a"), row("a"), row("b"), row(None), row("c", ("number_mismatch",)), row(None)]
    quality = [0.9, 0.8, 0.7, 0.6, 0.95, 0.3]
    n, precision, recall, best, needs = figures(rows, quality)
    assert (n, precision, recall) == (4, 0.75, 0.5)  # the rejected pair is not exported; "a" found twice counts once
    assert (best, needs) == (0.5, 0.7)  # at 0.6 precision falls to 0.75 < 0.92
