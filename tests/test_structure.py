"""Structure that misleads: comparable files under translation names, paragraphs split into
lists, front matter one side lacks, and a wrong bead inside a right document (issue 33)."""

import json
import subprocess
import sys

import pytest

HZ_ZH = """杭州是浙江省的省会，位于中国东南沿海。

西湖每年吸引数以百万计的游客。

这座城市以龙井茶闻名。

2016年，二十国集团领导人峰会在杭州举行。

杭州的地铁网络在过去十年里迅速扩张。

许多科技公司把总部设在这里。

当地的冬天潮湿寒冷，夏天炎热。

京杭大运河的南端就在杭州。
"""

HZ_EN = """The Grand Canal reaches its southern end in Hangzhou.

Hangzhou has a population of more than twelve million people.

Marco Polo described the city as the finest in the world.

The 2016 G20 summit was held in Hangzhou.

Local cuisine is known for its sweet and light flavours.

Hangzhou is the capital of Zhejiang province, on the southeast coast of China.

The city hosted the Asian Games in 2023.

Several universities, including Zhejiang University, are based there.
"""

# the three translations hidden among the comparable sentences above
HIDDEN = {"杭州是浙江省的省会，位于中国东南沿海。": "Hangzhou is the capital of Zhejiang province, on the southeast coast of China.",
          "2016年，二十国集团领导人峰会在杭州举行。": "The 2016 G20 summit was held in Hangzhou.",
          "京杭大运河的南端就在杭州。": "The Grand Canal reaches its southern end in Hangzhou."}


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def comparable_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("comparable")
    (root / "in").mkdir()
    (root / "in" / "hangzhou.zh.txt").write_text(HZ_ZH, encoding="utf-8")
    (root / "in" / "hangzhou.en.txt").write_text(HZ_EN, encoding="utf-8")
    result = run_cli("run", root / "in", "-o", root / "out", "--cache-dir", root / "cache")
    assert result.returncode == 0, result.stderr
    return root, result


def test_comparable_files_named_as_translations_are_mined_not_aligned_as_parallel(comparable_run):
    root, result = comparable_run
    out = root / "out"
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    [pair] = run["document_pairing"]["document_pairs"]
    assert pair["how"] == "name" and pair["aligned"] == "comparable"
    assert pair["content"]["kind"] != "parallel" and pair["content"]["in_order"] < 0.8
    assert run["documents"]["hangzhou.zh.txt"]["aligned_as"] == "comparable"
    assert read_jsonl(out / "corpus.jsonl") == []  # nothing aligned as parallel text
    mined = read_jsonl(out / "mined.jsonl")
    assert all(p["method"] == "mined" for p in mined)
    assert {(p["zh"], p["en"]) for p in mined} >= set(HIDDEN.items())
    assert "comparable by content, mined" in result.stderr


def test_every_sentence_of_a_comparable_named_pair_is_accounted_for(comparable_run):
    root, _ = comparable_run
    out = root / "out"
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    unaligned = read_jsonl(out / "unaligned.jsonl")
    assert run["counts"]["nothing_lost"] is True
    # a sentence is a weak mined candidate the quality left out, or no candidate of a comparable pair
    assert {u["reason"] for u in unaligned} <= {"below_min_quality", "no_match_in_related_documents"}
    unmatched = [u for u in unaligned if u["reason"] == "no_match_in_related_documents"]
    assert unmatched and all("comparable, not parallel" in u["detail"] for u in unmatched)
    assert all("paired with" in u["detail"] for u in unaligned if u["reason"] == "below_min_quality")


def test_a_manifest_may_assert_a_translation_and_a_disagreeing_content_is_reported(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(HZ_ZH, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(HZ_EN, encoding="utf-8")
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("in/a.txt\tin/b.txt\ttranslation\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", tmp_path / "in", "-o", out, "--pairs", manifest, "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    [pair] = json.loads((out / "run.json").read_text(encoding="utf-8"))["document_pairing"]["document_pairs"]
    assert pair["asserted_translation"] is True and pair["aligned"] == "parallel"
    assert pair["content_disagrees"] is True
    assert "are a translation by the manifest, but their content is" in result.stderr
    assert all(p["method"] == "parallel" for p in read_jsonl(out / "corpus.jsonl"))


# block boundaries are evidence, not walls --------------------------------------------------

SETUP_ZH = """# 安装指南

本指南说明如何在一台新的计算机上安装这个工具。

开始之前，你需要一台运行 Linux 的计算机、一个稳定的网络连接和至少两吉字节的可用内存。

安装完成后，运行测试命令来检查一切是否正常。

# 下一步

阅读配置页面，了解如何修改默认设置。
"""

SETUP_EN = """# Installation guide

This guide explains how to install the tool on a new computer.

Before you begin, you need:

- a computer running Linux,
- a stable network connection,
- at least two gigabytes of free memory.

After the installation, run the test command to check that everything works.

# What's next

Read the configuration page to learn how to change the default settings.
"""


def _run_pages(tmp_path, name, zh, en):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"{name}.zh.md").write_text(zh, encoding="utf-8")
    (tmp_path / "in" / f"{name}.en.md").write_text(en, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", tmp_path / "in", "-o", out, "-q", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    return read_jsonl(out / "corpus.jsonl"), read_jsonl(out / "unaligned.jsonl")


def test_a_paragraph_split_into_a_list_gets_full_recall(tmp_path):
    pairs, unaligned = _run_pages(tmp_path, "setup", SETUP_ZH, SETUP_EN)
    [joined] = [p for p in pairs if p["zh"].startswith("开始之前")]
    assert joined["en"] == ("Before you begin, you need: a computer running Linux, a stable network connection, "
                            "at least two gigabytes of free memory.")
    assert not [u for u in unaligned if u["lang"] in ("zh", "en")]  # every sentence is in a pair
    assert {p["zh"]: p["en"] for p in pairs}["安装指南"] == "Installation guide"  # headings stay alone


LAW_ZH = """# 中华人民共和国宪法

## 第一章　总纲

第一条　中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。

第三十条　中华人民共和国的行政区域划分如下：（一）全国分为省、自治区、直辖市；（二）省、自治区分为自治州、县、自治县、市；（三）县、自治县分为乡、民族乡、镇。

## 第二章　公民的基本权利和义务

第三十三条　凡具有中华人民共和国国籍的人都是中华人民共和国公民。
"""

LAW_EN = """# Constitution of the People's Republic of China

## Contents

- Chapter I General Principles
- Chapter II Fundamental Rights and Duties of Citizens

## Chapter I General Principles

Article 1 The People's Republic of China is a socialist state governed by a people's democratic dictatorship that is led by the working class and based on an alliance of workers and peasants.

Article 30 The administrative areas of the People's Republic of China are divided as follows:

(1) The country consists of provinces, autonomous regions and cities directly under central government jurisdiction;

(2) Provinces and autonomous regions consist of autonomous prefectures, counties, autonomous counties and cities; and

(3) Counties and autonomous counties consist of townships, ethnic townships and towns.

## Chapter II Fundamental Rights and Duties of Citizens

Article 33 All persons holding the nationality of the People's Republic of China are citizens of the People's Republic of China.
"""


def test_law_items_in_one_paragraph_pair_with_items_of_their_own_and_contents_stay_unaligned(tmp_path):
    pairs, unaligned = _run_pages(tmp_path, "law", LAW_ZH, LAW_EN)
    got = {p["zh"]: p["en"] for p in pairs}
    assert got["（二）省、自治区分为自治州、县、自治县、市；"].startswith("(2) Provinces and autonomous regions")
    assert got["第一章　总纲"] == "Chapter I General Principles"
    assert got["第二章　公民的基本权利和义务"] == "Chapter II Fundamental Rights and Duties of Citizens"
    contents = {"Contents", "Chapter I General Principles", "Chapter II Fundamental Rights and Duties of Citizens"}
    left = {u["text"]: u for u in unaligned}
    assert "Contents" in left and left["Contents"]["reason"] == "skipped_by_parallel_alignment"
    assert sum(1 for p in pairs if p["en"] in contents) == 2  # each chapter title once, with its heading
    assert all(u["lang"] == "en" and u["text"] in contents for u in unaligned if u["lang"] in ("zh", "en"))


# quality from the bead's own evidence -------------------------------------------------------

ACT_ZH = """中华人民共和国主席令

本法的目的是保护环境，防治污染。

国家鼓励公民参与环境保护工作。

各级人民政府应当对本行政区域的环境质量负责。

企业应当减少废气和废水的排放。

本法自2015年1月1日起施行。
"""

ACT_EN = """Chapter IV Legal Responsibility

The purpose of this Law is to protect the environment and to prevent pollution.

The State encourages citizens to take part in environmental protection.

Local people's governments at all levels shall be responsible for the environmental quality of their administrative regions.

Enterprises shall reduce their discharge of waste gas and waste water.

This Law shall take effect on January 1, 2015.
"""


def test_a_wrong_bead_inside_a_right_document_scores_low(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "act.zh.md").write_text(ACT_ZH, encoding="utf-8")
    (tmp_path / "in" / "act.en.md").write_text(ACT_EN, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", tmp_path / "in", "-o", out, "-q", "--min-quality", "0", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    quality = {p["zh"]: p["quality"] for p in read_jsonl(out / "corpus.jsonl")}
    assert quality["中华人民共和国主席令"] < 0.5  # the aligner paired it with a contents line
    right = [q for zh, q in quality.items() if zh != "中华人民共和国主席令"]
    assert len(right) == 5 and min(right) > 0.9


def test_own_evidence_bounds_only_pairs_placed_by_their_context():
    from align.score.quality import load_quality_model

    model = load_quality_model()
    weak = {"cosine": 0.3, "margin": 1.7, "length_deviation": 0.2, "copied_tokens": -0.5, "garble": 0.0}
    strong = {**weak, "cosine": 0.8, "copied_tokens": 0.0}
    assert model.score(weak, 0.0, "parallel", zh_chars=10) < 0.5 < model.score(weak, 0.0, "parallel")
    assert model.score(strong, 0.0, "parallel", zh_chars=10) == model.score(strong, 0.0, "parallel")
    assert model.score(weak, 0.0, "bitext", zh_chars=10) == model.score(weak, 0.0, "bitext")


# mined many-to-many beads only on strong evidence -------------------------------------------

def test_a_mined_many_to_many_bead_on_weak_evidence_is_left_to_one_to_one_mining():
    import numpy as np

    from align.aligner.mining import MiningSettings, mine
    from tests.test_aligner import overlaps, unit

    rng = np.random.default_rng(6)
    dim = 256
    src = [unit(rng.normal(size=dim)) for _ in range(20)]
    tgt = [unit(rng.normal(size=dim)) for _ in range(20)]
    meaning, half_src, half_tgt = rng.normal(size=dim), rng.normal(size=dim), rng.normal(size=dim)
    src[7], src[8] = unit(meaning + 0.8 * half_src), unit(meaning - 0.8 * half_src)
    tgt[4], tgt[5] = unit(meaning + 0.8 * half_tgt), unit(meaning - 0.8 * half_tgt)
    zh, en = overlaps(np.array(src), 2), overlaps(np.array(tgt), 2)
    def touching(beads):  # the beads of the planted pair (the others are chance pairs of random sentences)
        return [b for b in beads if {7, 8} & set(b.src) or {4, 5} & set(b.tgt)]

    [strong] = touching(mine(zh, en, MiningSettings(run_threshold=1.3)))
    assert (strong.src, strong.tgt) == ((7, 8), (4, 5)) and strong.score >= 1.3
    weak = touching(mine(zh, en, MiningSettings(run_threshold=strong.score + 0.01)))  # the same bead, now weak evidence
    assert weak and all(len(b.src) == 1 or len(b.tgt) == 1 for b in weak)
    assert {i for b in weak for i in b.src} <= {7, 8} and {j for b in weak for j in b.tgt} <= {4, 5}


def _named_pair(zh_rows, en_rows):
    """A document pair paired by name: one section a side, one sentence per vector row."""
    import numpy as np

    from align.aligner.documents import check_document_pairs
    from align.aligner.names import DocumentPair
    from align.records import OverlapEmbeddings, Section, Sentence

    sections, embeddings = [], {}
    for doc, lang, rows in (("ch.zh", "zh", zh_rows), ("ch.en", "en", en_rows)):
        sentences = tuple(Sentence(f"{doc}#{n}", doc, n, n, lang, "x" * 20, 20 * n, 20 * n + 20)
                          for n in range(len(rows)))
        section = Section(f"{doc}:0", doc, lang, sentences)
        sections.append(section)
        embeddings[section.id] = OverlapEmbeddings(np.asarray(rows, np.float32)[None], np.full(len(rows), 20.0))
    [pair] = check_document_pairs([DocumentPair("ch.zh", "ch.en", "name")], sections, embeddings)
    return pair


def _free_translation(links: int, order):
    """Chinese and English sides of 4*links sentences each where ``links`` sentences translate
    each other (the English ones in ``order``) and the rest have no counterpart: coverage 0.25."""
    import numpy as np

    basis = np.eye(9 * links)
    zh = [basis[n // 4] if n % 4 == 0 else basis[links + n] for n in range(4 * links)]
    en = [basis[order[n // 4]] if n % 4 == 0 else basis[5 * links + n] for n in range(4 * links)]
    return zh, en


def test_a_freely_translated_chapter_paired_by_name_is_aligned_as_parallel():
    """A book chapter whose translator merged and split sentences links a quarter of them,
    mostly in order (a few out of place): parallel. The same links in random order, or too
    few links to tell order from chance, leave the pair comparable (mined)."""
    import random

    order = list(range(60))
    for a, b in ((3, 40), (10, 51), (22, 7), (30, 55), (44, 12), (50, 18), (26, 58)):  # misplaced links
        order[a], order[b] = order[b], order[a]
    pair = _named_pair(*_free_translation(60, order))
    assert 0.2 <= pair.evidence.coverage < 0.3 and 0.7 <= pair.evidence.in_order < 0.8
    assert pair.aligned == "parallel" and pair.evidence.kind == "parallel"
    shuffled = order[:]
    random.Random(1).shuffle(shuffled)
    pair = _named_pair(*_free_translation(60, shuffled))
    assert pair.aligned == "comparable" and pair.evidence.in_order < 0.5
    few = [0, 1, 2, 6, 3, 4, 7, 5]  # 8 links, 6 in order (0.75): a long in-order run is no rarity
    pair = _named_pair(*_free_translation(8, few))
    assert 0.7 <= pair.evidence.in_order < 0.8 and pair.aligned == "comparable"
