"""Documents as they come (issue 39): each reading rule on a small file built in the test."""

from __future__ import annotations

from align.ingest import read_document


def _legal_page(sections: int, sidebar_note: str) -> str:
    def section(n: int) -> str:
        return (f"<li id='s{n}'><strong>Section {n} – <a href='#d'>Definitions</a>.</strong><ol>"
                f"<li><a href='#a'>Adapted Material</a> means material subject to <a href='#b'>Copyright</a> "
                f"and Similar Rights of part {n}.</li>"
                f"<li><a href='#c'>Licensed Rights</a> means the rights granted to You in section {n}.</li></ol></li>")

    return f"""<!DOCTYPE html><html><head><title>Licence</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<div class="sidebar"><ul><li><a href="/a">Licence A</a></li><li><a href="/b">Licence B</a></li></ul>
<p>{sidebar_note}</p></div>
<main><div class="deed"><h1>Public Licence</h1><p>By exercising the Licensed Rights (defined below), You accept
and agree to be bound by the terms and conditions of this Public License.</p>
<p>Using this licence is easy, and this is a long paragraph of plain prose that readers read first.</p></div>
<div class="legal-code"><ol>{''.join(section(n) for n in range(1, sections + 1))}</ol></div></main>
<footer><p>Except where otherwise noted, content on this site is licensed.</p></footer></body></html>"""


def test_a_legal_page_with_a_sidebar_keeps_all_its_articles(tmp_path):
    note = "Our organisation helps people share knowledge and creativity with the world. " * 6
    path = tmp_path / "licence.html"
    path.write_text(_legal_page(12, note.strip()), encoding="utf-8")
    document, _ = read_document(path, "licence")
    texts = [p.text for p in document.paragraphs]
    for n in range(1, 13):
        assert f"Section {n} – Definitions." in texts
        assert f"Licensed Rights means the rights granted to You in section {n}." in texts
    assert not any("Licence A" in t or "organisation" in t for t in texts)
    removed = [e.before for e in document.removed]
    assert any(note.strip() in r for r in removed)  # the sidebar, whole (longer than 300 characters)
    assert "Home About" in removed and any("Except where otherwise noted" in r for r in removed)


def test_a_chinese_sentence_with_a_long_latin_name_stays_chinese(tmp_path):
    import docx

    from align.normalize import normalize_text

    licence = "本文以Creative Commons Attribution License 4.0 （CC-BY-4.0）许可证授权。"
    document = docx.Document()
    for text in ("开放标准规范", "本规范规定了软件供应链中开源合规计划的关键要求。", licence, "第一章 范围"):
        document.add_paragraph(text)
    path = tmp_path / "spec.zh.docx"
    document.save(path)
    read, _ = read_document(path, "spec")
    assert [p.lang for p in read.paragraphs] == ["zh"] * 4
    assert "（CC-BY-4.0）许可证授权。" in normalize_text(licence, read.paragraphs[2].lang).text  # no English fixer


ZH_LINES = ["区块链是一种分布式账本技术，它让互不信任的各方无需中间机构即可达成共",
            "识。所有交易都公开记录在链上，但参与者的身份仍然受到保护，以保障隐私。交",
            "易必须经过网络中多数节点的验证之后才能写入区块，写入后便不可更改。"]
EN_LINES = ["The network timestamps transactions by hashing them into an ongoing chain of",
            "hash-based proof-of-work, forming a record that cannot be changed without redoing",
            "the proof-of-work. The longest chain serves as proof of the sequence of events",
            "witnessed, and it came from the largest pool of CPU power. A team of inter-",
            "national developers maintains the software. Each node checks the proof-of-",
            "work of every block it receives before it accepts the block."]


def _write_pdf(path, font: str, contents: list[str], heading: str, lines: list[str], pitch: int,
               after: list[str] = ()) -> None:
    """A two-page PDF made with reportlab: a contents page (dot leaders, page numbers), then a
    heading in a larger font, a paragraph drawn line by line, more lines and a page number."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont(font, 11)
    for i, text in enumerate(contents):
        c.drawString(72, 760 - 20 * i, text)
    c.showPage()
    c.setFont(font, 16)
    c.drawString(72, 770, heading)
    c.setFont(font, 11)
    y = 740
    for text in lines:
        c.drawString(72, y, text)
        y -= pitch
    for text in after:
        y -= 12
        c.drawString(72, y, text)
        y -= 20
    c.setFont(font, 9)
    c.drawString(290, 40, "2")
    c.showPage()
    c.save()


def test_a_chinese_pdf_reads_as_printed(tmp_path):
    """Lines set with wide spacing (one pdfminer box each) join into one paragraph, with no
    sentence break at a line end without a sentence mark; spaced-out justified Chinese is closed
    up; the heading and the list items are blocks; contents lines and the page number are left
    out with their reasons."""
    from align.segment import split_chinese

    path = tmp_path / "paper.zh.pdf"
    _write_pdf(path, "STSong-Light", ["1 引言 ................................ 2", "2 工作量证明 .......................... 3"],
               "1 引言", ZH_LINES, 24, ["两 端 对 齐 的 文 字 间 距 很 大 ， 但 它 仍 是 一 句 话 。",
                                        "（一）节点保存完整账本。", "（二）矿工把交易打包成区块。"])
    document, _ = read_document(path, "paper")
    blocks = [(p.kind, p.text) for p in document.paragraphs]
    assert blocks == [("heading", "1 引言"), ("paragraph", "".join(ZH_LINES)),
                      ("paragraph", "两端对齐的文字间距很大，但它仍是一句话。"),
                      ("list_item", "（一）节点保存完整账本。"), ("list_item", "（二）矿工把交易打包成区块。")]
    body = document.paragraphs[1].text
    assert [body[s:e][-3:] for s, e in split_chinese(body)] == ["达成共识。"[-3:], "护隐私。"[-3:], "可更改。"[-3:]]
    reasons = {e.note.split(";")[0] for e in document.removed}
    assert reasons == {"contents line (dot leaders and a page number)", "page number"}


def test_an_english_pdf_mends_only_broken_words(tmp_path):
    path = tmp_path / "paper.en.pdf"
    _write_pdf(path, "Helvetica", ["1 Introduction ............................ 2"], "1 Introduction", EN_LINES, 14)
    document, _ = read_document(path, "paper")
    assert [p.kind for p in document.paragraphs] == ["heading", "paragraph"]
    text = document.paragraphs[1].text
    assert text == " ".join(EN_LINES).replace("inter- national", "international").replace("proof-of- work", "proof-of-work")
    assert text.count("proof-of-work") == 3 and "proofof" not in text and "ofwork" not in text


def _pdf_with_symbol_bullets(lines: list[str]) -> bytes:
    """A one-page PDF whose bullets are a symbol-font glyph read as U+F0A7 (as Wingdings
    bullets of Word documents are), written by hand: reportlab's fonts have no private-use glyph."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /B def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <7F> <F0A7> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    content = b"".join(b"BT /F1 11 Tf 72 %d Td (\\177 %s) Tj ET\n" % (700 - 16 * i, t.encode()) for i, t in enumerate(lines))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap)]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_symbol_font_bullets_are_taken_out_and_items_stay_apart(tmp_path):
    from pdfminer.high_level import extract_text

    path = tmp_path / "list.pdf"
    path.write_bytes(_pdf_with_symbol_bullets(["Nodes keep the whole ledger", "Miners add blocks"]))
    assert "\uf0a7" in extract_text(str(path))  # the glyph is there to take out
    document, _ = read_document(path, "list")
    assert [(p.kind, p.text) for p in document.paragraphs] == [("list_item", "Nodes keep the whole ledger"),
                                                               ("list_item", "Miners add blocks")]
    assert [e.before for e in document.removed] == ["\uf0a7", "\uf0a7"]


def _toc_paragraph(document, title: str, page: int, first: bool, last: bool) -> None:
    """A line of a Word table of contents as Word writes it: a hyperlink to a ``_Toc`` bookmark
    with the title, a tab and a ``PAGEREF`` field; the first line opens the ``TOC`` field and
    the last closes it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def field(instruction: str, shown: str = "") -> str:
        return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instruction}'
                f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                + (f"<w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>" if shown else ""))

    opening = field(' TOC \\o "1-3" \\h \\z \\u ') if first else ""
    closing = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if last else ""
    bookmark = f"_Toc{page}{len(title)}"
    pageref = field(" PAGEREF " + bookmark + " \\h ", str(page))
    xml = (f'<w:p {nsdecls("w")}>{opening}<w:hyperlink w:anchor="{bookmark}"><w:r><w:t>{title}</w:t></w:r>'
           f'<w:r><w:tab/></w:r>{pageref}</w:hyperlink>{closing}</w:p>')
    document.element.body.sectPr.addprevious(parse_xml(xml))  # before the section properties, which stay last


def test_a_word_contents_field_is_left_out_with_its_reason(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("开源合规规范")
    entries = [("1 范围", 3), ("2 术语和定义", 4), ("3 要求", 6)]
    for n, (title, page) in enumerate(entries):
        _toc_paragraph(document, title, page, n == 0, n == len(entries) - 1)
    document.add_paragraph("附录 A ...................... 12")  # a contents line typed by hand
    body = ["1 范围", "本规范规定了开源合规计划的关键要求。", "2 术语和定义", "下列术语和定义适用于本文件。"]
    for text in body:
        document.add_paragraph(text)
    path = tmp_path / "spec.zh.docx"
    document.save(path)
    read, _ = read_document(path, "spec")
    assert [p.text for p in read.paragraphs] == ["开源合规规范"] + body
    left_out = [(e.before, e.note.split(";")[0]) for e in read.removed]
    assert left_out == [("1 范围 3", "contents line (a Word table of contents)"),
                        ("2 术语和定义 4", "contents line (a Word table of contents)"),
                        ("3 要求 6", "contents line (a Word table of contents)"),
                        ("附录 A ...................... 12", "contents line (a Word table of contents)")]


def test_the_summary_names_content_paired_documents_and_where_pairs_went(tmp_path):
    import json
    import subprocess
    import sys

    zh = ["一个时髦的女人走在东京的街道上，街道上充满了温暖发光的霓虹灯和生动的城市标志。",
          "她穿着一件黑色的皮夹克，一件红色的长裙，一双黑色的靴子，还带着一个黑色的钱包。",
          "她走路自信又随意。街道潮湿且反光，形成了彩色灯光的镜面效果。"]
    en = ["A stylish woman walks down a Tokyo street filled with warm glowing neon and animated city signage.",
          "She wears a black leather jacket, a long red dress, and black boots, and carries a black purse.",
          "She walks confidently and casually. The street is damp and reflective, creating a mirror effect."]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "street.txt").write_text("\n\n".join(zh), encoding="utf-8")
    (folder / "tokyo.txt").write_text("\n\n".join(en), encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "align.cli", "run", str(folder), "-o", str(out), "--cache-dir",
                           str(tmp_path / "cache")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    pairs = run["counts"]["pairs_exported"]
    assert pairs >= 3 and run["counts"]["pairs_in_corpus"] == pairs and run["counts"]["pairs_in_mined"] == 0
    found = run["document_pairing"]["document_pairs"]
    assert [(p["how"], p["pairs"], p["mined"]) for p in found] == [("content", pairs, 0)]
    assert found[0]["zh"].endswith("street.txt") and found[0]["en"].endswith("tokyo.txt")
    assert f"{pairs} in corpus.*" in done.stderr
    assert f"street.txt <-> {found[0]['en']} (by content: {pairs} pairs)" in done.stderr


def test_reasons_say_what_block_the_text_is():
    from align.records import Sentence
    from align.run import no_language_unaligned

    def sentence(text: str, kind: str) -> Sentence:
        return Sentence(id=f"d#neutral{len(kind)}", doc_id="d", paragraph=0, index=0, lang="neutral", text=text,
                        start=0, end=len(text), kind=kind)

    details = [u.detail for u in no_language_unaligned([sentence("4.2", "heading"), sentence("`kubectl`", "")])]
    assert details[0].startswith("a heading: code") and details[1].startswith("code")


def test_a_paragraph_broken_by_a_page_end_is_one_block(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "broken.pdf"
    c = canvas.Canvas(str(path))
    for page, lines in enumerate([ZH_LINES[:2], ZH_LINES[2:]], 1):
        c.setFont("STSong-Light", 11)
        for i, text in enumerate(lines):
            c.drawString(72, 760 - 24 * i, text)
        c.setFont("STSong-Light", 9)
        c.drawString(290, 40, str(page))
        c.showPage()
    c.save()
    document, _ = read_document(path, "broken")
    assert [(p.text, p.location) for p in document.paragraphs] == [("".join(ZH_LINES), "page 1")]


def _furnished_pdf(path, font: str, header: str, footer: str, body: list[str], labels: list[str], caption: str,
                   form_label: str) -> None:
    """Three pages made with reportlab, each with a running header and a footer (``footer``
    formatted with the page number), a body paragraph; page 2 has a vector drawing (a box, a
    circle and lines) with short labels inside it and a caption under it, page 3 a form (an
    XObject, which pdfminer gives as a figure) with a label inside."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.beginForm("diagram")
    c.rect(0, 0, 120, 60)
    c.setFont(font, 9)
    c.drawString(20, 25, form_label)
    c.endForm()
    for page in (1, 2, 3):
        c.setFont(font, 9)
        c.drawString(72, 800, header)
        c.drawString(280, 30, footer.format(page))
        c.setFont(font, 11)
        c.drawString(72, 740, body[page - 1])
        if page == 2:
            c.rect(72, 500, 300, 150)
            c.circle(300, 575, 30)
            c.line(150, 575, 270, 575)
            c.setFont(font, 9)
            for i, label in enumerate(labels):
                c.drawString(90 + 70 * i, 600, label)
            c.setFont(font, 11)
            c.drawString(72, 480, caption)
        if page == 3:
            c.doForm("diagram")
        c.showPage()
    c.save()


def test_pdf_furniture_and_figure_text_are_left_out_with_their_reasons(tmp_path):
    body = ["The ledger is kept by every node of the network.", "Each block points to the block before it.",
            "Nodes accept the longest valid chain they have seen."]
    path = tmp_path / "notes.en.pdf"
    _furnished_pdf(path, "Helvetica", "Ledger Design Notes", "Page {} of 3", body, ["Tx", "Hash", "Nonce"],
                   "Figure 1: Blocks in a chain.", "Prev Hash")
    document, _ = read_document(path, "notes")
    assert [p.text for p in document.paragraphs] == body
    left_out = sorted((e.before, e.note.split(";")[0]) for e in document.removed)
    assert left_out == sorted([("Ledger Design Notes", "running header")] * 3
                              + [(f"Page {n} of 3", "page number") for n in (1, 2, 3)]
                              + [("Tx", "figure label"), ("Hash", "figure label"), ("Nonce", "figure label"),
                                 ("Figure 1: Blocks in a chain.", "caption"), ("Prev Hash", "figure label")])


def test_chinese_pdf_furniture_roman_page_numbers_and_captions(tmp_path):
    body = ["区块链是一种分布式账本技术。", "每个区块都指向它前面的区块。", "节点接受它们见到的最长有效链。"]
    path = tmp_path / "notes.zh.pdf"
    _furnished_pdf(path, "STSong-Light", "区块链技术白皮书", "{}", body, ["随机数", "哈希"], "图 3 区块链结构", "前一哈希")
    document, _ = read_document(path, "notes")
    assert [p.text for p in document.paragraphs] == body
    reasons = {(e.before, e.note.split(";")[0]) for e in document.removed}
    assert reasons == {("区块链技术白皮书", "running header"), ("1", "page number"), ("2", "page number"),
                       ("3", "page number"), ("随机数", "figure label"), ("哈希", "figure label"),
                       ("图 3 区块链结构", "caption"), ("前一哈希", "figure label")}


def test_roman_page_numbers_and_running_footers(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "preface.pdf"
    c = canvas.Canvas(str(path))
    body = ["This preface says why the book was written.", "It thanks the readers of the first drafts.",
            "It tells the reader where to begin."]
    for text, roman in zip(body, ["i", "ii", "iii"]):
        c.setFont("Helvetica", 11)
        c.drawString(72, 740, text)
        c.setFont("Helvetica", 8)
        c.drawString(72, 50, "Copyright 2024 The Ledger Society")
        c.drawString(290, 30, roman)
        c.showPage()
    c.save()
    document, _ = read_document(path, "preface")
    assert [p.text for p in document.paragraphs] == body
    reasons = sorted((e.before, e.note.split(";")[0]) for e in document.removed)
    assert reasons == sorted([("Copyright 2024 The Ledger Society", "running footer")] * 3
                             + [(r, "page number") for r in ("i", "ii", "iii")])


def test_word_headers_footers_and_captions_stay_out_of_the_body(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "开源合规规范 第 1 版"
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    body = ["本规范规定了开源合规计划的关键要求。", "图中给出了合规流程的各个阶段。", "下列术语和定义适用于本文件。"]
    document.add_paragraph(body[0])
    document.add_paragraph(body[1])
    document.add_paragraph("图 1 合规流程", style="Caption")
    seq = (f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">表 </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
           '<w:r><w:instrText xml:space="preserve"> SEQ 表 \\* ARABIC </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
           '</w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> 术语</w:t></w:r></w:p>')
    document.element.body.sectPr.addprevious(parse_xml(seq))
    document.add_paragraph(body[2])
    path = tmp_path / "spec.zh.docx"
    document.save(path)
    read, _ = read_document(path, "spec")
    assert [p.text for p in read.paragraphs] == body
    left_out = [(e.before, e.note.split(";")[0]) for e in read.removed]
    assert left_out == [("开源合规规范 第 1 版", "running header"), ("第 1 页", "running footer"),
                        ("图 1 合规流程", "caption"), ("表 2 术语", "caption")]


def test_a_block_mixing_a_chinese_and_an_english_sentence_gets_a_language_per_sentence(tmp_path):
    mixed = "本文以中文写成。This paragraph is in English, and it says so twice. 最后一句又是中文。"
    licence = "本文以Creative Commons Attribution License 4.0 （CC-BY-4.0）许可证授权。"
    (tmp_path / "mixed.txt").write_text(f"标题\n\n{mixed}\n\n{licence}\n", encoding="utf-8")
    (tmp_path / "mixed.md").write_text(f"# 标题\n\n{mixed}\n\n{licence}\n", encoding="utf-8")
    expected = [("标题", "zh"), ("本文以中文写成。", "zh"), ("This paragraph is in English, and it says so twice.", "en"),
                ("最后一句又是中文。", "zh"), (licence, "zh")]
    for name in ("mixed.txt", "mixed.md"):
        document, text = read_document(tmp_path / name, "mixed")
        assert [(p.text, p.lang) for p in document.paragraphs] == expected
        assert len({p.location for p in document.paragraphs[1:4]}) == 1  # each part keeps the block's location
        assert all(text[p.start:p.end] == p.text for p in document.paragraphs)


def test_short_cells_of_a_pdf_table_stay_text(tmp_path):
    """A table drawn with rectangles and straight rules is not a figure: its short cells are
    text to align, not figure labels."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "ports.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "The control plane listens on these ports.")
    cells = [["Protocol", "Direction"], ["TCP", "Inbound"], ["UDP", "Outbound"]]
    for r, row in enumerate(cells):
        for k, text in enumerate(row):
            c.rect(72 + 150 * k, 700 - 30 * r, 150, 30)
            c.drawString(80 + 150 * k, 710 - 30 * r, text)
    c.showPage()
    c.save()
    document, _ = read_document(path, "ports")
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "The control plane listens on these ports."
    assert all(cell in " ".join(texts) for row in cells for cell in row)
    assert not document.removed


def test_markdown_link_definitions_are_reported_not_dropped_silently(tmp_path):
    """``[id]: URL`` lines hold no text (markdown-it takes them out of the text): each is in
    the removed blocks with its line and reason, and the link itself reads as its text."""
    path = tmp_path / "guide.md"
    path.write_text("+++\ntitle = 'Guide'\n+++\n# Guide\n\nRead the [Contributor Covenant][home] first.\n\n"
                    "[home]: https://www.contributor-covenant.org\n[faq]: https://example.org/faq \"FAQ\"\n",
                    encoding="utf-8")
    document, _ = read_document(path, "guide")
    assert [p.text for p in document.paragraphs] == ["Guide", "Read the Contributor Covenant first."]
    left_out = [(e.before, e.note) for e in document.removed if "link" in e.note]
    assert left_out == [("[home]: https://www.contributor-covenant.org",
                         "link reference definition (the address of a link, no text); line 8"),
                        ('[faq]: https://example.org/faq "FAQ"',
                         "link reference definition (the address of a link, no text); line 9")]


LEFT_COLUMN = ["The ledger is kept by every node of the network, and each", "node checks every block that it receives from its peers",
               "before it adds that block to its own copy of the chain, so"]
RIGHT_COLUMN = ["that no node has to trust any other node to keep its copy.", "",
                "Blocks are linked by their hashes, and a block that", "changes breaks every link after it."]


def test_a_two_column_pdf_reads_the_left_column_before_the_right(tmp_path):
    """A title across the page, then two columns: the left column is read top to bottom
    before the right one (not line by line across the gutter), a paragraph that runs from the
    foot of the left column to the head of the right one is one block, and the page number
    stays out."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "columns.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("Helvetica", 16)
    c.drawCentredString(306, 740, "Ledgers Without Trust")
    c.setFont("Helvetica", 9)
    for column, lines in ((50, LEFT_COLUMN), (320, RIGHT_COLUMN)):
        for i, text in enumerate(lines):
            if text:
                c.drawString(column, 700 - 12 * i, text)
    c.drawCentredString(306, 40, "1")
    c.showPage()
    c.save()
    document, _ = read_document(path, "columns")
    assert [p.text for p in document.paragraphs] == [
        "Ledgers Without Trust", " ".join(LEFT_COLUMN + RIGHT_COLUMN[:1]), " ".join(RIGHT_COLUMN[2:])]
    assert [(e.before, e.note.split(";")[0]) for e in document.removed] == [("1", "page number")]


def test_pdf_formulas_are_left_out_with_their_reason(tmp_path):
    """A displayed equation set in a math font (the Symbol font: Greek letters and operators)
    and one set in text fonts centred between the margins, with their equation numbers, are
    left out as ``formula``; prose that mentions a variable stays."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "formulas.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    prose = ["The difficulty of a round grows with the load of the network, and every node computes it",
             "from the transactions it has seen, as the equation below shows."]
    c.setFont("Helvetica", 10)
    for i, text in enumerate(prose):
        c.drawString(72, 700 - 13 * i, text)
    c.setFont("Symbol", 10)
    c.drawString(250, 650, "α + β = γ")
    c.setFont("Helvetica", 10)
    c.drawString(520, 650, "(1)")
    c.drawString(220, 610, "D = MIN + SCALE * log2 L")
    c.drawString(520, 610, "(2)")
    c.drawString(72, 570, "Here D is the difficulty and L is the load of the round.")
    c.showPage()
    c.save()
    document, _ = read_document(path, "formulas")
    assert [p.text for p in document.paragraphs] == [" ".join(prose), "Here D is the difficulty and L is the load of the round."]
    left_out = [(e.before, e.note.split(";")[0]) for e in document.removed]
    assert [reason for _, reason in left_out] == ["formula"] * 4
    symbols, *rest = [text for text, _ in left_out]
    assert "+" in symbols and "=" in symbols  # the Symbol font's letters, as pdfminer reads them
    assert rest == ["(1)", "D = MIN + SCALE * log2 L", "(2)"]


def test_a_reference_list_is_one_block_and_one_sentence_per_entry(tmp_path):
    """Entries of a reference list (``[n]``, continuation lines hanging under the marker) are
    blocks of their own, each one sentence: never cut at the initials of a name (``X.S.``,
    ``J.-J.``) or between author, title and venue."""
    from reportlab.pdfgen import canvas

    from align.segment import split_sentences

    entries = [["[1] H. Massias, X.S. Avila, and J.-J. Quisquater. Design of a secure timestamping service with",
                "minimal trust requirements. In 20th Symposium on Information Theory in the Benelux, May 1999."],
               ["[2] A. Back. Hashcash - a denial of service counter-measure. Technical report, 2002."],
               ["[3] Leslie Lamport, Robert Shostak, and Marshall Pease. The Byzantine generals problem. ACM",
                "Transactions on Programming Languages and Systems, 4(3):382-401, 1982."]]
    path = tmp_path / "references.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 720, "References")
    c.setFont("Helvetica", 9)
    y = 690
    for entry in entries:
        for k, text in enumerate(entry):
            c.drawString(72 if k == 0 else 90, y, text)
            y -= 13
    c.showPage()
    c.save()
    document, _ = read_document(path, "references")
    expected = [" ".join(entry) for entry in entries]
    assert [p.text for p in document.paragraphs] == ["References", *expected]
    for text in expected:
        assert split_sentences(text, "en") == [(0, len(text))]
    prose = "It was built by H. Massias, X.S. Avila, and J.-J. Quisquater. It is old. He works in the U.S. He left."
    assert [prose[s:e] for s, e in split_sentences(prose, "en")] == [
        "It was built by H. Massias, X.S. Avila, and J.-J. Quisquater.", "It is old.", "He works in the U.S.", "He left."]


def test_radical_characters_a_pdf_font_gave_become_the_characters_they_stand_for():
    """A PDF made on a Mac writes 人 as U+2F08 KANGXI RADICAL MAN and 长 as U+2ED3 (CJK
    radicals supplement): inside Chinese text each becomes its character, every change
    logged; a radical standing alone (a table of radicals) stays."""
    from align.normalize import normalize_text

    fixed = normalize_text("NetCloth个⼈⽹络⽩⽪书1.0，⽤于解决⽹络⻓期稳定运⾏的问题。", "zh")
    assert fixed.text == "NetCloth个人网络白皮书1.0，用于解决网络长期稳定运行的问题。"
    assert [(e.fixer, e.before, e.after) for e in fixed.edits][:2] == [("cjk_radicals", "⼈", "人"), ("cjk_radicals", "⽹", "网")]
    assert not [e for e in normalize_text("部首 ⼈ 和 ⼝ 。", "zh").edits if e.fixer == "cjk_radicals"]


def test_a_paragraph_opened_with_an_indent_at_a_page_foot_goes_on_over_the_page(tmp_path):
    """The last line of a page is the indented first line of a paragraph with no sentence mark:
    the first line of the next page, at the margin, goes on with it (``价值坍`` | ``塌。``)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    first = ["代币的发行大多都有释放激活机制，它们的方式一般是要求用户在一定时间周期进", "行质押，后再按质押周期进行一次或多次释放。"]
    path = tmp_path / "indent.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    c.drawString(72, 760, first[0])
    c.drawString(72, 746, first[1])
    c.drawString(94, 100, "这样的设计目的是保障代币价格的稳定和向上，防止代币因大量抛售而造成价值坍")
    c.showPage()
    c.setFont("STSong-Light", 11)
    c.drawString(72, 760, "塌。其原理是通过时间的延长来获得生态与共识的发展。")
    c.showPage()
    c.save()
    document, _ = read_document(path, "indent")
    assert [p.text for p in document.paragraphs] == [
        "".join(first), "这样的设计目的是保障代币价格的稳定和向上，防止代币因大量抛售而造成价值坍塌。其原理是通过时间的延长来获得生态与共识的发展。"]


def test_the_pieces_of_an_equation_a_word_processor_wrote_one_by_one_are_a_formula(tmp_path):
    """An equation exported glyph group by glyph group (``_Ex``, ``rate``, ``log(``, ``3.``
    beside a symbol-font sign) is left out as ``formula``; the sentence before it stays whole."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "pieces.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("Helvetica", 11)
    c.drawString(72, 720, "The exchange rate of a round is computed as follows:")
    x = 90
    for text, font in (("_Ex", "Helvetica"), ("rate", "Helvetica-Oblique"), ("=", "Symbol"), ("log(", "Helvetica"),
                       ("3.", "Helvetica"), ("D", "Helvetica-Oblique"), (")", "Helvetica")):
        c.setFont(font, 11)
        c.drawString(x, 690, text)
        x += c.stringWidth(text, font, 11) + 12  # set apart: pdfminer gives each a box of its own
    c.setFont("Helvetica", 11)
    c.drawString(72, 650, "Here D is the amount of credit issued so far.")
    c.showPage()
    c.save()
    document, _ = read_document(path, "pieces")
    assert [p.text for p in document.paragraphs] == ["The exchange rate of a round is computed as follows:",
                                                     "Here D is the amount of credit issued so far."]
    assert {e.note.split(";")[0] for e in document.removed} == {"formula"}
    assert sorted(" ".join(e.before for e in document.removed).split()) == sorted(["_Ex", "rate", "=", "log(", "3.", "D", ")"])


def test_a_title_set_on_two_lines_is_one_heading(tmp_path):
    from reportlab.pdfgen import canvas

    title = ["Wavelet: a decentralized, asynchronous, general-purpose", "ledger that scales against adaptive adversaries"]
    path = tmp_path / "title.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("Helvetica", 16)
    for i, text in enumerate(title):
        c.drawCentredString(306, 740 - 19 * i, text)
    c.setFont("Helvetica", 10)
    c.drawString(72, 660, "All distributed systems suffer from what is known as the scalability dilemma.")
    c.drawString(72, 647, "The dilemma forces designers to make tradeoffs between performance and consistency.")
    c.showPage()
    c.save()
    document, _ = read_document(path, "title")
    assert [(p.kind, p.text) for p in document.paragraphs][0] == ("heading", " ".join(title))


def test_a_running_header_that_names_each_pages_section_is_left_out(tmp_path):
    """A header that changes with the section (``1 简介``, ``2 协议``) stands apart at the same
    place on every page: it is a running header, and a paragraph going on over the page does
    not take it in."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "headers.pdf"
    c = canvas.Canvas(str(path))
    pages = [("", ["矿工把交易打包成区块。", "节点保存完整账本。",
                   "区块链是一种分布式账本技术，它让互不信任的各方无需中间机构即可达成共识，所有交易都公开记录在链上并"]),
             ("1 简介", ["且不可更改。每个区块都指向它前面的区块。", "哈希把区块连成一条链。", "改动一个区块会破坏其后所有链接。"]),
             ("2 协议", ["节点接受它们见到的最长有效链。", "每个节点都独立验证交易。", "无效的区块会被丢弃。"])]
    for header, lines in pages:
        c.setFont("STSong-Light", 11)
        if header:
            c.drawString(72, 800, header)
        for i, text in enumerate(lines):
            c.drawString(72, 770 - 30 * i, text)
        c.showPage()
    c.save()
    document, _ = read_document(path, "headers")
    texts = [p.text for p in document.paragraphs]
    assert texts[2] == pages[0][1][2] + pages[1][1][0] and texts[5] == pages[2][1][0]
    assert [(e.before, e.note.split(";")[0]) for e in document.removed] == [("1 简介", "running header"), ("2 协议", "running header")]


def test_a_section_number_set_apart_mid_page_stays_with_its_heading(tmp_path):
    """``1`` set apart from ``Introduction`` in the middle of a page (a TeX section heading) is
    no page number: the heading reads ``1 Introduction``; the number at the foot is one."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "section.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("Helvetica", 10)
    c.drawString(72, 740, "Kenta Iwasaki and Heyang Zhou")
    c.drawString(72, 720, "Abstract")
    c.drawString(72, 700, "Wavelet introduces a novel family of consensus protocols for decentralized ledgers.")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 660, "1")
    c.drawString(100, 660, "Introduction")
    c.setFont("Helvetica", 10)
    c.drawString(72, 630, "All distributed systems suffer from what is known as the scalability dilemma.")
    c.drawString(300, 60, "1")
    c.showPage()
    c.save()
    document, _ = read_document(path, "section")
    assert [(p.kind, p.text) for p in document.paragraphs][3] == ("heading", "1 Introduction")
    assert [(e.before, e.note.split(";")[0]) for e in document.removed] == [("1", "page number")]


def test_an_abstract_set_narrower_in_smaller_type_is_one_paragraph(tmp_path):
    """An abstract in smaller type, set narrower than the body: its lines reach its own right
    margin, not the body's, so they join into one paragraph (a line end without a sentence
    mark is no break: ``这个困境逼 / 迫系统``), and the body after it is a paragraph of its own."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    abstract = ["所有的分布式系统都受到一个著名问题困扰：伸缩性困境。这个困境逼",
                "迫系统设计者不得不在性能、一致性和可用性三者之间做取舍；当你想",
                "尝试创作一个实用的、自愈的、容错的应用时，这是最重要的方面。"]
    body = ["回想一下多读者、多写者问题。假定存在若干个并行运行的处理器，它们都想访问同一个",
            "资源；系统每增加一个处理器，协同这些处理器对资源的访问工作就会变得更加困难，",
            "因为每个处理器都必须知道其他处理器在做什么，才能够安全地读取或者写入这个资源",
            "中的数据，而这正是分布式系统难以伸缩的根本原因。"]
    path = tmp_path / "paper.zh.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("STSong-Light", 9)
    for i, text in enumerate(abstract):
        c.drawString(108 if i == 0 else 90, 700 - 14 * i, text)  # near the body's left edge
    c.setFont("STSong-Light", 11)
    for i, text in enumerate(body):
        c.drawString(72, 620 - 16 * i, text)
    c.showPage()
    c.save()
    document, _ = read_document(path, "paper")
    assert [p.text for p in document.paragraphs] == ["".join(abstract), "".join(body)]
