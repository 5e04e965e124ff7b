"""Checks written against breakages no other test noticed (bench/mutation/BREAKAGES.md lists
each breakage and the test that now fails on it): the cap of decisions per document in
``run.json``, the same-document section candidates, characters outside the Basic Multilingual
Plane in the TMX, and a run whose ``nothing_lost`` is false."""

import json

import numpy as np
from click.testing import CliRunner
from lxml import etree

from align.cli import cli
from align.records import Pair

from .account import account
from .conftest import DATA
from .test_stages import decision, overlaps, sentences, unit


def alternating_document(doc, blocks):
    """One document whose paragraphs alternate Chinese and English: ``blocks`` sections each."""
    from align.aligner.sections import build_sections
    from align.records import Sentence

    sents = []
    for k in range(blocks):
        sents += sentences(doc, "zh", [f"句{k}。"], paragraph=2 * k) + sentences(doc, "en", [f"Line {k}."], paragraph=2 * k + 1)
    counters = {"zh": 0, "en": 0}
    numbered = []
    for n, s in enumerate(sents):
        numbered.append(Sentence(f"{doc}#{s.lang}{counters[s.lang]}", doc, s.paragraph, counters[s.lang], s.lang,
                                 s.text, 0, 1))
        counters[s.lang] += 1
    return build_sections(numbered)


def test_run_json_lists_at_most_50_decisions_with_pairs_per_chinese_document_the_strongest():
    from align.export.report import pairing_report
    from align.records import PairDecision, Prepared, RunResult

    big, small = alternating_document("A", 60), alternating_document("B", 3)
    decisions, pairs = [], []
    for sections in (big, small):
        zh = [s for s in sections if s.lang == "zh"]
        en = [s for s in sections if s.lang == "en"]
        for k, (z, e) in enumerate(zip(zh, en)):
            decisions.append(PairDecision(z.id, e.id, "parallel", 1, round(0.3 + k / 100, 2), 1.0, 0.5))
            pairs.append(Pair(z.sentences, e.sentences, "parallel", {}, 0.9))
    all_sentences = [s for sec in big + small for s in sec.sentences]
    result = RunResult(Prepared([], [], {}, all_sentences), big + small, decisions, pairs, pairs, [], {}, {}, "enc", 3.0)
    report = pairing_report(result)
    listed = report["with_pairs"]
    assert len([d for d in listed if d["zh_section"].startswith("A/")]) == 50
    assert len([d for d in listed if d["zh_section"].startswith("B/")]) == 3
    assert report["with_pairs_not_listed"] == 10
    # the strongest 50 of A are listed (coverage 0.40 to 0.89), the 10 weakest are not
    assert min(d["coverage"] for d in listed if d["zh_section"].startswith("A/")) == 0.4
    assert report["decisions"] == 63


def test_each_chinese_section_is_classed_against_the_english_beside_it_in_its_document():
    """Vectors are random, so only the same-document rule brings a section's neighbours in."""
    from align.aligner.documents import decide_pairs

    rng = np.random.default_rng(3)
    sections = alternating_document("bi", 40)
    embeddings = {s.id: overlaps(unit(rng, 1)) for s in sections}
    classed = {(d.zh_section, d.en_section) for d in decide_pairs(sections, embeddings)}
    for n, s in enumerate(sections):
        if s.lang == "zh":
            for m in (n - 1, n + 1):
                if 0 <= m < len(sections):
                    assert (s.id, sections[m].id) in classed, (s.id, sections[m].id)


# Emoji (U+1F60E, U+1F30F), CJK Extension B (U+20BB7 𠮷, U+2A6A5 𪚥) and a math letter (U+1D400).
NON_BMP_ZH = ["她戴着太阳镜😎，姓𠮷。", "许多行人走来走去🌏。"]
NON_BMP_EN = ["She wears sunglasses 😎, her name is 𠮷.", "Many pedestrians walk about 🌏 𝐀."]


def test_characters_outside_the_bmp_reach_the_tmx_jsonl_and_translate_toolkit(tmp_path, seeded_cache):
    from translate.storage import tmx as ttk

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("\n".join(NON_BMP_ZH) + "\n\n" + "\n".join(NON_BMP_EN) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q", "--min-quality", "0",
                                      "--cache-dir", str(seeded_cache), "--translate", "none"])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out / "corpus.tmx"))
    assert etree.DTD(str(DATA / "tmx14.dtd")).validate(tree)
    segs = ["".join(seg.itertext()) for seg in tree.iter("seg")]
    text = " ".join(segs)
    for ch in "😎🌏𠮷𝐀":
        assert text.count(ch) == sum(line.count(ch) for line in NON_BMP_ZH + NON_BMP_EN), ch
    store = ttk.tmxfile.parsefile(str(out / "corpus.tmx"))
    assert {u.source for u in store.units} == {p["zh"] for p in map(json.loads, (out / "corpus.jsonl").read_text().splitlines())}
    assert json.loads((out / "run.json").read_text())["counts"]["xml_characters_dropped"] == 0
    account(out, inputs)


def test_nothing_lost_is_false_when_a_sentence_is_in_no_output(tmp_path, seeded_cache, monkeypatch):
    """The run's own check fails when the aligner loses a sentence; the independent account
    fails too."""
    import pytest

    import align.run as run_module

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("她戴着太阳镜。\n许多行人走来走去。\n\nShe wears sunglasses.\nMany pedestrians walk about.\n",
                                  encoding="utf-8")
    from dataclasses import replace

    real = run_module.select

    def lose_the_first_pair(*args, **kwargs):  # its sentences go nowhere: neither a pair nor unaligned
        selection = real(*args, **kwargs)
        assert selection.kept
        return replace(selection, kept=selection.kept[1:])

    monkeypatch.setattr(run_module, "select", lose_the_first_pair)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q", "--min-quality", "0",
                                      "--cache-dir", str(seeded_cache), "--translate", "none"])
    assert result.exit_code == 0, result.output
    counts = json.loads((out / "run.json").read_text())["counts"]
    assert counts["nothing_lost"] is False
    assert counts["sentences"] > counts["sentences_in_pairs"] + counts["sentences_unaligned"]
    with pytest.raises(AssertionError, match="missing|no written sentence"):
        account(out, inputs)
