"""Translated documentation: pairing by name, block language tags, markup out of the text,
bead boundaries at blocks, untouched code, and reasons for what is left out."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from align.aligner.names import DocumentPair, document_pairs, name_key, pair_by_name, read_manifest
from align.aligner.parallel import ParallelSettings, align_parallel, block_numbers
from align.errors import InputError
from align.ingest.html import extract_html
from align.ingest.markdown import extract_markdown
from align.language import language_runs, tag_blocks
from align.normalize import normalize_text
from align.records import OverlapEmbeddings, Sentence

from .account import accounted


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True)

ZH_PAGE = """---
title: 节点状态
---

<!-- overview -->

在 Kubernetes 中，节点的状态是管理集群的一个关键方面。

## 节点心跳  {#node-heart-beats}

{{% heading "whatsnext" %}}

节点通过 `kubelet` 发送心跳，心跳字段是 `.status.minAvailable` 与 `**` 之类的值。
启动一个 {{< glossary_tooltip text="Pod" term_id="pod" >}} 需要几秒钟。

| 字段 | 描述 |
|------|------|
| `Ready` | 节点是健康的并已经准备好接收 Pod。 |
| `DiskPressure` | 节点存在磁盘空间压力。 |

* 第一项说明了地址字段的用途。
  * 嵌套的子项描述了内部地址。
* 第二项说明了容量字段的含义。

```shell
kubectl describe node <节点名称>
```

## 下一步  {#whats-next}

阅读[节点](/zh-cn/docs/concepts/architecture/nodes/)页面以了解更多信息。
"""

EN_PAGE = """---
title: Node Status
---

<!-- overview -->

In Kubernetes, the status of a node is a critical aspect of managing a cluster.

## Node heart beats

{{% heading "whatsnext" %}}

Nodes send heartbeats through the `kubelet`, and the heartbeat fields hold values like `.status.minAvailable` and `**`.
Starting a {{< glossary_tooltip text="Pod" term_id="pod" >}} takes a few seconds.

| Field | Description |
|-------|-------------|
| `Ready` | The node is healthy and ready to accept pods. |
| `DiskPressure` | The node is under disk space pressure. |

* The first item explains what the address fields are for.
  * A nested item describes the internal address.
* The second item explains what the capacity fields mean.

```shell
kubectl describe node <insert-node-name-here>
```

## What's next

Read the [Nodes](/docs/concepts/architecture/nodes/) page to learn more.
"""


# pairing by name -----------------------------------------------------------------------

@pytest.mark.parametrize("zh, en", [
    ("docs/intro.zh.md", "docs/intro.en.md"),
    ("docs/intro.zh-CN.md", "docs/intro.en.md"),
    ("docs/intro_zh.md", "docs/intro_en.md"),
    ("docs/intro-zh.md", "docs/intro-en.md"),
    ("README.zh-CN.md", "README.md"),
    ("README-zh.md", "README.md"),
    ("content/zh-cn/docs/tasks/setup.md", "content/en/docs/tasks/setup.md"),
    ("zh-cn/guide/start.md", "en/guide/start.md"),
])
def test_documents_pair_by_name(zh, en):
    docs = {"a": (zh, "zh"), "b": (en, "en"), "c": ("docs/other.md", "en"), "d": ("notes.zh.md", "zh")}
    assert pair_by_name(docs) == [DocumentPair("a", "b", "name")]


def test_a_language_mark_that_the_text_contradicts_pairs_nothing():
    assert pair_by_name({"a": ("x.zh.md", "en"), "b": ("x.en.md", "en")}) == []
    assert pair_by_name({"a": ("README.md", "zh"), "b": ("notes.md", "en")}) == []


def test_zh_cn_is_preferred_over_zh_tw_for_the_same_english_page():
    docs = {"tw": ("a.zh-TW.md", "zh"), "cn": ("a.zh-CN.md", "zh"), "en": ("a.en.md", "en")}
    assert pair_by_name(docs) == [DocumentPair("cn", "en", "name")]


def test_name_key_takes_the_mark_out_of_the_name_or_the_folder():
    assert name_key("a/b.zh.md").key == name_key("a/b.en.html").key == "a/b"
    assert name_key("content/zh-cn/docs/p.md").key == name_key("content/en/docs/p.md").key


def test_a_manifest_pairs_what_it_names_and_refuses_unknown_paths(tmp_path):
    (tmp_path / "one.txt").write_text("x")
    (tmp_path / "two.txt").write_text("y")
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("# Chinese\tEnglish\none.txt\ttwo.txt\n", encoding="utf-8")
    docs = {str(tmp_path / "one.txt"): "one", str(tmp_path / "two.txt"): "two"}
    assert read_manifest(manifest, docs) == [DocumentPair("one", "two", "manifest")]
    manifest.write_text("one.txt\tmissing.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: 'missing.txt' is not one of the input files"):
        read_manifest(manifest, docs)


def test_the_manifest_wins_over_names(tmp_path):
    (tmp_path / "a.zh.md").write_text("x")
    (tmp_path / "b.en.md").write_text("y")
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("a.zh.md\tb.en.md\n", encoding="utf-8")
    docs = {"a": (str(tmp_path / "a.zh.md"), "a.zh.md", "zh"), "b": (str(tmp_path / "b.en.md"), "b.en.md", "en"),
            "c": (str(tmp_path / "a.en.md"), "a.en.md", "en")}
    assert document_pairs(docs, str(manifest)) == [DocumentPair("a", "b", "manifest")]
    assert document_pairs(docs) == [DocumentPair("a", "c", "name")]


# Markdown and HTML: markup out, block kinds and languages --------------------------------

def _blocks(extracted):
    return [(extracted.text[b.start:b.end], b.kind) for b in extracted.blocks]


def test_markdown_blocks_lose_anchors_and_shortcodes_and_keep_their_kind():
    extracted = extract_markdown(ZH_PAGE)
    blocks = _blocks(extracted)
    texts = [t for t, _ in blocks]
    assert ("节点心跳", "heading") in blocks
    assert not any("{#" in t or "{{" in t or "whatsnext" in t for t in texts)
    assert "启动一个 Pod 需要几秒钟。" in "".join(texts)  # the tooltip keeps its text
    assert ("阅读节点页面以了解更多信息。", "paragraph") in blocks  # a link is its text
    assert ("节点是健康的并已经准备好接收 Pod。", "table_cell") in blocks
    assert ("嵌套的子项描述了内部地址。", "list_item") in blocks
    assert "kubectl describe node" not in extracted.text  # code blocks are out
    reasons = {r.reason for r in extracted.removed}
    assert {"shortcode", "code block", "front matter", "raw HTML"} <= reasons


def test_latin_only_pieces_of_a_chinese_page_are_neutral_not_english():
    texts = [t for t, _ in _blocks(extract_markdown(ZH_PAGE))]
    langs = dict(zip(texts, tag_blocks(texts)))
    assert langs["`Ready`"] == "neutral" and langs["`DiskPressure`"] == "neutral"
    assert langs["字段"] == "zh"
    assert "en" not in langs.values()


def test_english_headings_of_an_english_page_stay_english():
    texts = [t for t, _ in _blocks(extract_markdown(EN_PAGE))]
    langs = dict(zip(texts, tag_blocks(texts)))
    assert langs["Node heart beats"] == "en" and langs["What's next"] == "en"
    assert langs["`Ready`"] == "neutral"


def test_a_block_of_chinese_and_english_lines_is_split_by_language():
    law = "第一条 为了保障公民的基本权利，制定本法。\nArticle 1 This Law is enacted to protect the basic rights of citizens.\n"
    extracted = extract_markdown(law + "\n" + law.replace("第一条", "第二条").replace("Article 1", "Article 2"))
    assert [t[:3] for t, _ in _blocks(extracted)] == ["第一条", "Art", "第二条", "Art"]
    assert language_runs(["学习 Bash。", "了解 `man`。"]) == [["学习 Bash。", "了解 `man`。"]]


GO_ZH = """<!--{ "Title": "Go 内存模型", "Path": "/ref/mem" }-->
<h2 id="introduction">简介</h2>
<p>Go 内存模型规定了在何种条件下，一个 goroutine 对变量的读取可以保证观察到另一个 goroutine 对同一变量写入所产生的值。</p>
<h3 id="advice">建议</h3>
<p>修改由多个 goroutine 同时访问的数据的程序必须串行化这种访问。</p>
<p>要串行化访问，请使用通道操作或其他同步原语（例如 <a href="/pkg/sync/"><code>sync</code></a> 包中的原语）来保护数据。</p>
<pre>
var a string
func f() { print(a) }
</pre>
<p>如果你必须阅读本文档的其余部分才能理解你的程序的行为，那你就太聪明了。</p>
<p>别耍小聪明。</p>
"""

GO_EN = """<!--{ "Title": "The Go Memory Model", "Path": "/ref/mem" }-->
<h2 id="introduction">Introduction</h2>
<p>The Go memory model specifies the conditions under which reads of a variable in one goroutine can be
guaranteed to observe values produced by writes to the same variable in a different goroutine.</p>
<h3 id="advice">Advice</h3>
<p>Programs that modify data being simultaneously accessed by multiple goroutines must serialize such access.</p>
<p>To serialize access, protect the data with channel operations or other synchronization primitives such as
those in the <a href="/pkg/sync/"><code>sync</code></a> package.</p>
<pre>
var a string
func f() { print(a) }
</pre>
<p>If you must read the rest of this document to understand the behavior of your program, you are being too clever.</p>
<p>Don't be clever.</p>
"""


def test_an_html_fragment_keeps_headings_and_paragraphs_with_inline_code_inside():
    extracted = extract_html(GO_ZH)
    blocks = _blocks(extracted)
    assert blocks[0] == ("简介", "heading")
    assert sum("sync" in t for t, _ in blocks) == 1  # inline code is not a paragraph of its own
    assert not any("print(a)" in t for t, _ in blocks)
    assert any(r.reason == "code block" for r in extracted.removed)
    assert len(blocks) == 7


def test_the_go_memory_model_pages_align_paragraph_by_paragraph(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mem.zh.html").write_text(GO_ZH, encoding="utf-8")
    (tmp_path / "in" / "mem.en.html").write_text(GO_EN, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("run", tmp_path / "in", "-o", out, "-q", "--cache-dir", tmp_path / "cache").returncode == 0
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    got = {(p["zh"][:4], p["en"][:12]) for p in pairs}
    assert ("简介", "Introduction") in got and ("别耍小聪", "Don't be cle") in got
    assert len(pairs) == 7 and all(p["shape"] == "1-1" for p in pairs)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [p["how"] for p in run["document_pairing"]["document_pairs"]] == ["name"]


# normalization leaves code and markup alone ----------------------------------------------

def test_fixers_never_change_code_urls_or_rest_markup():
    text = "Set `minAvailable` and `**` in `hostNetwork`, see https://k8s.io/docs/。"
    assert normalize_text(text, "en").text == "Set `minAvailable` and `**` in `hostNetwork`, see https://k8s.io/docs/."
    assert normalize_text("调用 :func:`open` 即可::", "zh").text.startswith("调用 :func:`open`")
    assert "::" in normalize_text("示例如下 ::", "zh").text
    # damage outside code is still repaired
    assert normalize_text("Guo Lin saidChinese companies", "en").text == "Guo Lin said Chinese companies"


# the aligner: blocks are bead boundaries ------------------------------------------------

def _sentence(i, paragraph, kind, lang="en"):
    return Sentence(f"d#{lang}{i}", "d", paragraph, i, lang, "x", 0, 1, kind=kind)


def test_block_numbers_change_only_at_structured_blocks():
    structured = [_sentence(0, 0, "heading"), _sentence(1, 1, "paragraph"), _sentence(2, 1, "paragraph")]
    plain = [_sentence(0, 0, ""), _sentence(1, 1, ""), _sentence(2, 2, "")]
    assert block_numbers(structured).tolist() == [0, 1, 1]
    assert block_numbers(plain).tolist() == [0, 0, 0]


def test_no_bead_joins_a_heading_to_the_next_sentence():
    rng = np.random.default_rng(3)
    base = rng.normal(size=(3, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)

    def overlaps(rows):
        n = len(rows)
        vectors = np.zeros((4, n, 16), np.float32)
        for k in range(4):
            for i in range(n - k):
                v = rows[i : i + k + 1].sum(axis=0)
                vectors[k, i] = v / np.linalg.norm(v)
        return OverlapEmbeddings(vectors, np.full(n, 20.0, np.float32))

    # Chinese: heading + sentence joined in one vector run; English: the same two apart.
    zh = overlaps(np.stack([base[0] + base[1], base[2]]))
    en = overlaps(base)
    free = align_parallel(zh, en, ParallelSettings())
    assert free[0].tgt == (0, 1)  # without blocks the aligner takes the heading into the bead
    blocked = align_parallel(zh, en, ParallelSettings(), blocks=(np.array([0, 1]), np.array([0, 1, 1])))
    assert all(len({[0, 1, 1][j] for j in b.tgt}) <= 1 for b in blocked)


# a whole run on a documentation folder ---------------------------------------------------

@pytest.fixture(scope="module")
def docs_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    (root / "in").mkdir()
    (root / "in" / "node-status.zh.md").write_text(ZH_PAGE, encoding="utf-8")
    (root / "in" / "node-status.en.md").write_text(EN_PAGE, encoding="utf-8")
    out = root / "out"
    result = run_cli("run", root / "in", "-o", out, "--cache-dir", root / "cache")
    assert result.returncode == 0, result.stderr
    read = lambda name: [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]
    return result, read("corpus.jsonl"), read("unaligned.jsonl"), json.loads((out / "run.json").read_text()), read("edits.jsonl")


def test_a_name_paired_page_gives_its_translation_units(docs_run):
    result, pairs, unaligned, run, _ = docs_run
    got = {p["zh"]: p["en"] for p in pairs}
    assert got["节点心跳"] == "Node heart beats"
    assert got["下一步"] == "What's next"
    assert got["节点是健康的并已经准备好接收 Pod。"] == "The node is healthy and ready to accept pods."
    assert run["documents"]["node-status.zh.md"]["pairing"] == "name"
    assert run["documents"]["node-status.zh.md"]["interleaved"] is False
    assert "decided by name (1)" in result.stderr


def test_pairs_never_cross_a_heading_or_table_cell(docs_run):
    _, pairs, _, _, _ = docs_run
    for p in pairs:
        assert len({x["location"] for x in p["provenance"]["zh"]}) == 1
        assert len({x["location"] for x in p["provenance"]["en"]}) == 1


def test_code_in_a_documentation_page_is_untouched(docs_run):
    _, pairs, _, _, edits = docs_run
    en = " ".join(p["en"] for p in pairs)
    assert "`.status.minAvailable`" in en and "`**`" in en and "[masked]" not in en
    assert not [e for e in edits if e["fixer"] in ("run_together_sentences", "masked_words")]


def test_every_sentence_is_accounted_for_once_with_a_reason(docs_run):
    result, pairs, unaligned, run, _ = docs_run
    ids = [i for p in pairs for i in p["zh_ids"] + p["en_ids"]] + [u["id"] for u in unaligned]
    assert len(ids) == len(set(ids)) == run["counts"]["sentences"]
    assert sum(accounted(Path(result.args[result.args.index("-o") + 1])).values()) == len(ids)
    neutral = [u for u in unaligned if u["reason"] == "neutral_text"]
    assert {u["text"] for u in neutral} >= {"`Ready`", "`DiskPressure`"}
    for u in unaligned:
        if u["reason"] == "skipped_by_parallel_alignment":
            assert u["detail"].startswith("no ")


def test_a_chinese_only_page_exits_2_with_no_english_text(tmp_path):
    page = tmp_path / "only.zh.md"
    page.write_text(ZH_PAGE, encoding="utf-8")
    result = run_cli("run", page, "-o", tmp_path / "out", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 2
    assert "no English text" in result.stderr


def test_traditional_chinese_is_matched_through_simplified(tmp_path):
    (tmp_path / "in").mkdir()
    zh = "\n\n".join(["她戴著太陽眼鏡，塗著紅色的口紅。", "她自信而隨意地走著。", "許多行人在街上來來往往。",
                      "這條街道潮濕而且反光，形成了鏡面效果。"])
    en = "\n\n".join(["She wears sunglasses and red lipstick.", "She walks confidently and casually.",
                      "Many pedestrians walk about on the street.",
                      "The street is damp and reflective, creating a mirror effect."])
    (tmp_path / "in" / "street.zh-TW.txt").write_text(zh, encoding="utf-8")
    (tmp_path / "in" / "street.en.txt").write_text(en, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", tmp_path / "in", "-o", out, "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert "Traditional Chinese, matched through Simplified" in result.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["documents"]["street.zh-TW.txt"]["script"].startswith("traditional")
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(pairs) == 4 and pairs[0]["zh"].startswith("她戴著")  # the text stays as written


def test_the_url_rule_does_not_take_punctuation_into_the_url():
    from align.score.hardrules import UrlMismatch

    assert UrlMismatch().check("详情请参阅 https://kubernetes.io/docs/。", "See https://kubernetes.io/docs/ for details.").passed
    assert UrlMismatch().check("见[文档](https://k8s.io/a)。", "See the [docs](https://k8s.io/a).").passed
    assert not UrlMismatch().check("见 https://k8s.io/a。", "See https://k8s.io/b.").passed
