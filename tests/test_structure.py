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
    left = [u for u in unaligned if u["text"] == "当地的冬天潮湿寒冷，夏天炎热。"]
    assert left and "comparable, not parallel" in left[0]["detail"]


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
