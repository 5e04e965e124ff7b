"""EPUB in: the chapters of EPUB 2 and 3 books in spine order with their navigation titles,
covers and contents pages left out with a reason, broken zips and zip bombs skipped with
theirs; two editions paired chapter by chapter, front matter one lacks left unaligned, and no
pair crossing chapters."""

import io
import json
import zipfile

import numpy as np
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from align.aligner.chapters import book_pairs, order_keeping_beads, pair_chapters, title_number
from align.cli import cli
from align.ingest import ReadLimits, ingest, read_documents
from align.records import Document, OverlapEmbeddings, Paragraph, Section, Sentence

from .epub_books import make_epub

EN = [("Chapter 1: Winter", ["It was a cold day, and the wind kept blowing.",
                             "We made a fire in the house and sat around it all night.\nIn the morning the snow stopped."]),
      ("Chapter 2: Spring", ["Spring came, and the ice on the river melted.", "The children ran into the fields to fly kites."]),
      ("Chapter 3: Summer", ["On summer evenings we sat in the yard to cool off.", "Grandmother told us many old stories."])]
ZH = [("第一章 冬天", ["那天很冷，风一直在吹。我们在屋里生了火，围着火坐了一夜。", "早上雪停了。"]),
      ("第二章 春天", ["春天来了，河里的冰化了。", "孩子们跑到田野里放风筝。"]),
      ("第三章 夏天", ["夏天的晚上，我们在院子里乘凉。奶奶给我们讲了很多老故事。"])]
FRONT = [("title.xhtml", "titlepage", ["The Seasons", "A novel translated from the Chinese"]),
         ("preface.xhtml", "preface", "This translation was made in a small town by the sea, over three long winters.")]


@pytest.mark.parametrize("version", [2, 3])
def test_chapters_in_spine_order_with_their_titles_and_covers_left_out(tmp_path, version):
    book = make_epub(tmp_path / "b.epub", EN, version=version, front=FRONT[:1])
    found = read_documents(book, "b.epub")
    docs = [d for d, _ in found]
    assert [d.title for d in docs] == ["", "Chapter 1: Winter", "Chapter 2: Spring", "Chapter 3: Summer"]
    assert [d.chapter for d in docs] == sorted(d.chapter for d in docs) and len({d.doc_id for d in docs}) == 4
    assert all(d.book == "b.epub" and d.format == "epub" for d in docs)
    first = docs[1].paragraphs
    assert [p.text for p in first] == ["Chapter 1: Winter", "It was a cold day, and the wind kept blowing.",
                                       "We made a fire in the house and sat around it all night. In the morning the snow stopped."]
    assert first[0].kind == "heading" and first[1].kind == ""  # prose paragraphs: beads may join them
    assert first[1].location == "OEBPS/text/ch01.xhtml /html/body/p[1]"
    notes = [e.note for e in docs[0].removed]
    assert any(n.startswith("cover") and "OEBPS/cover.xhtml" in n for n in notes)
    assert (version == 3) == any("nav.xhtml" in n for n in notes)
    assert not any("Cover" == p.text for d in docs for p in d.paragraphs)


def broken(tmp_path):
    data = make_epub(tmp_path / "whole.epub", EN).read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "truncated.epub").write_bytes(data[: len(data) // 2])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("OEBPS/big.xhtml", b"\0" * 5_000_000)
    (tmp_path / "in" / "bomb.epub").write_bytes(bomb.getvalue())
    nothing = io.BytesIO()
    with zipfile.ZipFile(nothing, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
    (tmp_path / "in" / "empty.epub").write_bytes(nothing.getvalue())
    (tmp_path / "in" / "good.epub").write_bytes(data)
    return tmp_path / "in"


def test_broken_zips_and_zip_bombs_are_skipped_with_their_reason(tmp_path):
    documents, skipped = ingest([broken(tmp_path)])
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert "broken zip" in reasons["truncated.epub"]
    assert "inflates" in reasons["bomb.epub"] and "zip bomb" in reasons["bomb.epub"]
    assert "META-INF/container.xml" in reasons["empty.epub"]
    assert {d.book for d, _ in documents} == {"good.epub"}
    _, capped = ingest([tmp_path / "in" / "good.epub"], limits=ReadLimits(expanded_bytes=1000))
    assert "over the 1000-byte cap" in capped[0].reason


def test_chapter_numbers_books_and_the_order_keeping_match():
    assert title_number("第三章 夏天") == 3 == title_number("Chapter 3: Summer")
    assert book_pairs({"a": ("novel.zh.epub", "zh"), "b": ("novel.en.epub", "en"), "c": ("x.epub", "zh")}) == [("a", "b")]
    assert book_pairs({"c": ("x.epub", "zh"), "d": ("y.epub", "en")}) == [("c", "d")]
    gain = np.array([[0.0, 0.9, 0.0, 0.0], [0.0, 0.0, 0.8, 0.3], [0.0, 0.0, 0.4, 0.7]])
    assert order_keeping_beads(gain) == [((0,), (1,)), ((1,), (2,)), ((2,), (3,))]  # the first English page is left out
    assert order_keeping_beads(np.array([[0.0]])) == []


def test_two_editions_are_aligned_chapter_by_chapter(tmp_path):
    (tmp_path / "in").mkdir()
    make_epub(tmp_path / "in" / "seasons.zh.epub", ZH, version=2, lang="zh")
    make_epub(tmp_path / "in" / "seasons.en.epub", EN, version=3, front=FRONT)
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--format", "jsonl",
                                      "--format", "bilingual-html", "--translate", "none"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in (tmp_path / "out" / "corpus.jsonl").read_text().splitlines()]
    chapter_of = {"seasons.zh.epub__c001": 1, "seasons.zh.epub__c002": 2, "seasons.zh.epub__c003": 3,
                  "seasons.en.epub__c003": 1, "seasons.en.epub__c004": 2, "seasons.en.epub__c005": 3}
    for p in pairs:  # no pair crosses chapters
        assert {chapter_of[s.split("#")[0]] for s in p["zh_ids"] + p["en_ids"]} in ({1}, {2}, {3})
    assert {chapter_of[p["zh_ids"][0].split("#")[0]] for p in pairs} == {1, 2, 3}
    assert any(p["zh"] == "早上雪停了。" and p["en"] == "In the morning the snow stopped." for p in pairs)
    unaligned = [json.loads(line) for line in (tmp_path / "out" / "unaligned.jsonl").read_text().splitlines()]
    front = [u for u in unaligned if u["id"].startswith(("seasons.en.epub__c001", "seasons.en.epub__c002"))]
    assert len(front) == 3 and {u["reason"] for u in front} == {"no_matching_chapter"}
    assert "front or back matter" in front[0]["detail"]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["counts"]["nothing_lost"]
    assert run["documents"]["seasons.zh.epub__c001"]["title"] == "第一章 冬天"
    chapter_pairs = run["document_pairing"]["document_pairs"]
    assert [p["how"] for p in chapter_pairs] == ["chapter"] * 3
    assert all(p["aligned"] == "parallel" and p["content"]["kind"] == "parallel" and p["content"]["mutual_links"] >= 2
               for p in chapter_pairs)  # the content evidence of each chapter pair, as a pair by name has
    page = lxml_html.parse(str(tmp_path / "out" / "corpus.html")).getroot()  # a page to read: each paragraph, then its translation
    assert [h.text_content() for h in page.iter("h2")][-3:] == [t for t, _ in ZH]  # chapters headed by their titles
    blocks = [[(p.get("class"), p.text_content()) for p in div.iter("p")] for div in page.find_class("p")]
    assert [("zh", "早上雪停了。"), ("en", "In the morning the snow stopped.")] in blocks
    assert [("zh", "夏天的晚上，我们在院子里乘凉。奶奶给我们讲了很多老故事。"),
            ("en", "On summer evenings we sat in the yard to cool off. Grandmother told us many old stories.")] in blocks
    alone = [text for block in blocks for kind, text in block if "alone" in kind]
    assert "The Seasons" in alone and len(alone) == 3  # the front matter keeps its place, in its one language
    shown = "".join(text for block in blocks for kind, text in block if kind.startswith("zh"))
    assert shown == "".join(t + "".join(ps) for t, ps in ZH)  # every Chinese paragraph, in order


def chapter(book: str, lang: str, vectors: np.ndarray, number: int = 1):
    """Chapter ``number`` of a book, one sentence per row of ``vectors``: its document, section and embeddings."""
    doc = f"{book}__c{number:03d}"
    sentences = tuple(Sentence(f"{doc}#{lang}{n}", doc, n, n, lang, "x" * 20, 20 * n, 20 * n + 20)
                      for n in range(len(vectors)))
    paragraphs = tuple(Paragraph(doc, n, 20 * n, 20 * n + 20, "x" * 20, lang) for n in range(len(vectors)))
    section = Section(f"{doc}:{lang}0", doc, lang, sentences)
    return (Document(doc, f"/in/{book}", "utf-8", paragraphs, "epub", book=book, chapter=number),
            section, {section.id: OverlapEmbeddings(vectors[None].astype(np.float32), np.full(len(vectors), 20.0))})


def test_a_chapter_pair_whose_content_is_not_parallel_is_mined_with_its_evidence():
    basis = np.eye(6)
    zh_doc, zh_section, zh_emb = chapter("tale.zh.epub", "zh", basis)
    for order, aligned in ((list(range(6)), "parallel"), (list(range(5, -1, -1)), "comparable")):
        en_doc, en_section, en_emb = chapter("tale.en.epub", "en", basis[order])
        found = pair_chapters([zh_doc, en_doc], [zh_section, en_section], zh_emb | en_emb)
        (pair,) = found.pairs
        assert (pair.how, pair.aligned) == ("chapter", aligned)  # the same sentences out of order: comparable
        assert pair.evidence.mutual_links == 6 and pair.evidence.in_order == (1.0 if aligned == "parallel" else 1 / 6)


def test_a_page_of_one_heading_does_not_take_the_place_of_the_chapter_it_shares_a_link_with():
    # A translator's preface of one line before chapter 1 (as pandoc makes it from a heading):
    # its one sentence links to chapter 1 of the other edition, a share of 1.0; chapter 1 itself
    # links 5 of its 6 sentences. The matching weighs the sentences, so chapter 1 pairs chapter 1.
    basis = np.eye(8)
    preface = chapter("rust.zh.epub", "zh", basis[[0]], number=1)
    zh_one = chapter("rust.zh.epub", "zh", np.vstack([basis[:5], basis[[7]]]), number=2)
    en_one = chapter("rust.en.epub", "en", basis[:6], number=1)
    parts = [preface, zh_one, en_one]
    found = pair_chapters([p[0] for p in parts], [p[1] for p in parts], {k: v for p in parts for k, v in p[2].items()})
    assert [(p.zh_doc, p.en_doc) for p in found.pairs] == [("rust.zh.epub__c002", "rust.en.epub__c001")]
    assert set(found.unmatched) == {"rust.zh.epub__c001"}


@pytest.mark.parametrize("version", [2, 3])
def test_a_chapter_split_into_files_the_navigation_does_not_name_is_one_chapter(tmp_path, version):
    # Calibre splits a long chapter into files at a size limit and names only the first in the
    # navigation; the two editions are split at different places. Each chapter is one document,
    # its blocks located by their own page, and a pair joins text from the two parts.
    zh = [ZH[0], (None, ["孩子们跑到田野里放风筝。"]), ZH[2]]
    en = [(EN[0][0], EN[0][1][:1]), (None, EN[0][1][1:] + ["The children ran into the fields to fly kites."]), EN[2]]
    (tmp_path / "in").mkdir()
    make_epub(tmp_path / "in" / "s.zh.epub", zh, version=version, lang="zh")
    make_epub(tmp_path / "in" / "s.en.epub", en, version=version)
    docs = [d for d, _ in read_documents(tmp_path / "in" / "s.zh.epub", "s.zh.epub")]
    assert [d.title for d in docs] == ["第一章 冬天", "第三章 夏天"]
    assert [p.location.split()[0] for p in docs[0].paragraphs] == ["OEBPS/text/ch01.xhtml"] * 3 + ["OEBPS/text/ch02.xhtml"]
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--format", "jsonl",
                                      "--translate", "none"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pairs = {(p["zh"], p["en"]) for p in map(json.loads, (tmp_path / "out" / "corpus.jsonl").read_text().splitlines())}
    assert ("早上雪停了。", "In the morning the snow stopped.") in pairs  # the first Chinese page, the second English one
    assert ("孩子们跑到田野里放风筝。", "The children ran into the fields to fly kites.") in pairs
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert len(run["document_pairing"]["document_pairs"]) == 2 and run["counts"]["nothing_lost"]


def test_a_chapter_one_edition_splits_in_two_is_aligned_with_both_parts_as_one_text():
    # The Chinese edition has a section the English keeps inside its chapter 1 (a heading the
    # translator added): both Chinese parts agree with English chapter 1 on their own, and are
    # aligned with it as one text; a one-line page that shares one link is not joined.
    basis = np.eye(40)
    zh = [chapter("b.zh.epub", "zh", basis[[0]], 1), chapter("b.zh.epub", "zh", basis[:12], 2),
          chapter("b.zh.epub", "zh", basis[12:20], 3), chapter("b.zh.epub", "zh", basis[20:30], 4)]
    en = [chapter("b.en.epub", "en", basis[:20], 1), chapter("b.en.epub", "en", basis[20:30], 2)]
    parts = zh + en
    found = pair_chapters([p[0] for p in parts], [p[1] for p in parts], {k: v for p in parts for k, v in p[2].items()})
    assert [(p.zh_docs, p.en_docs, p.aligned) for p in found.pairs] == [
        (("b.zh.epub__c002", "b.zh.epub__c003"), ("b.en.epub__c001",), "parallel"),
        (("b.zh.epub__c004",), ("b.en.epub__c002",), "parallel")]
    assert set(found.unmatched) == {"b.zh.epub__c001"}


def test_the_bilingual_page_heads_chapters_by_title_and_keeps_a_sentence_the_chinese_lacks_in_its_chapter():
    # The English chapter opens with a heading its Chinese partner lacks (no pair before it): it
    # is shown in the chapter, just before the chapter's first pair, not in a section of its own.
    from align.export.bilingual import render_bilingual

    def pair(n, zh, en):
        return {"zh_ids": [f"b.zh__c002#zh{n}"], "en_ids": [f"b.en__c002#en{n + 1}"], "zh": zh, "en": en,
                "provenance": {"zh": [{"doc": "b.zh__c002", "paragraph": n}]}}

    records = [pair(0, "早上雪停了。", "In the morning the snow stopped."), pair(1, "春天来了。", "Spring came.")]
    unaligned = [{"id": "b.en__c002#en0", "lang": "en", "text": "Hello, World!", "provenance": {"doc": "b.en__c002"}},
                 {"id": "b.en__c001#en0", "lang": "en", "text": "The Seasons", "provenance": {"doc": "b.en__c001"}}]
    page = lxml_html.fromstring(render_bilingual(records, unaligned, headings={"b.zh__c002": "第二章 春天"}))
    assert [h.text_content() for h in page.iter("h2")] == ["b.en__c001", "第二章 春天"]  # a title page: no partner, its id
    texts = [p.text_content() for p in page.iter("p")]
    assert texts == ["The Seasons", "Hello, World!", "早上雪停了。", "In the morning the snow stopped.", "春天来了。", "Spring came."]


def test_note_references_and_back_links_of_a_book_are_not_text_and_its_notes_are_aligned(tmp_path):
    # pandoc's and Calibre's note marks: "blowing.1" would end the English sentence with a 1 and
    # "1我们" open the next Chinese one; a numbered cross-reference link stays text.
    ref = '<a href="#n{0}" class="footnote-ref" epub:type="noteref">{0}</a>'
    zh = [("第一章 冬天", [f"那天很冷，风一直在吹。<sup><a href='#n1'>1</a></sup>我们在屋里生了火，见图 <a href='#f3'>3</a>。",
                          "<span id='n1'>北方常见的天气。</span><a href='#r1' role='doc-backlink'>↩︎</a>"])]
    en = [("Chapter 1: Winter", [f"It was a cold day, and the wind kept blowing.{ref.format(1)} We made a fire, see Figure "
                                 "<a href='#f3'>3</a>.", "<span id='n1'>Common weather in the north.</span><a href='#r1'>↩︎</a>"])]
    (tmp_path / "in").mkdir()
    make_epub(tmp_path / "in" / "s.zh.epub", zh, lang="zh", markup=True)
    make_epub(tmp_path / "in" / "s.en.epub", en, markup=True)
    docs = [d for d, _ in read_documents(tmp_path / "in" / "s.en.epub", "s.en.epub")]
    assert [p.text for p in docs[0].paragraphs][1:] == ["It was a cold day, and the wind kept blowing. We made a fire, see Figure 3.",
                                                        "Common weather in the north."]
    assert {e.before for e in docs[0].removed if e.note.startswith("note reference")} == {"1", "↩︎"}
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--format", "jsonl",
                                      "--translate", "none", "--min-quality", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pairs = {(p["zh"], p["en"]) for p in map(json.loads, (tmp_path / "out" / "corpus.jsonl").read_text().splitlines())}
    assert ("那天很冷，风一直在吹。", "It was a cold day, and the wind kept blowing.") in pairs
    assert ("北方常见的天气。", "Common weather in the north.") in pairs


def test_a_chapter_split_into_many_files_by_one_edition_is_aligned_with_all_of_them():
    # A converter split the English chapter 1 into five files, each named in the navigation
    # (a section heading each), and the Chinese into one: more parts than a joined bead holds.
    # The bead grows over its neighbours whose sentences link to its Chinese chapter, and over
    # a page of one picture caption with no links.
    basis = np.eye(60)
    zh = [chapter("b.zh.epub", "zh", basis[:25], 1), chapter("b.zh.epub", "zh", basis[25:40], 2)]
    caption = np.zeros((1, 60))
    caption[0, 59] = 1.0
    parts = [basis[:5], basis[5:10], caption, basis[10:15], basis[15:20], basis[20:25], basis[25:33], basis[33:40]]
    en = [chapter("b.en.epub", "en", v, n) for n, v in enumerate(parts, 1)]
    docs = zh + en
    found = pair_chapters([d[0] for d in docs], [d[1] for d in docs], {k: v for d in docs for k, v in d[2].items()})
    assert [(p.zh_docs, p.en_docs) for p in found.pairs] == [
        (("b.zh.epub__c001",), tuple(f"b.en.epub__c00{n}" for n in range(1, 7))),
        (("b.zh.epub__c002",), ("b.en.epub__c007", "b.en.epub__c008"))]
    assert not found.unmatched
