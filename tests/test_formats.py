"""Input formats: each reader on a small real-shaped file built here, and the same text in
every format giving the same pairs."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
from align.ingest import ingest, read_document

from .account import accounted

TITLE = "东京街头的时髦女人"
ZH = [
    "一个时髦的女人走在东京的街道上，街道上充满了温暖发光的霓虹灯和生动的城市标志。",
    "她穿着一件黑色的皮夹克，一件红色的长裙，一双黑色的靴子，还带着一个黑色的钱包。她戴着太阳镜，涂着红色的口红。",
    "她走路自信又随意。街道潮湿且反光，形成了彩色灯光的镜面效果。许多行人走来走去。",
]
EN = """A Stylish Woman on a Tokyo Street

A stylish woman walks down a Tokyo street filled with warm glowing neon and animated city signage.

She wears a black leather jacket, a long red dress, and black boots, and carries a black purse. She wears sunglasses and red lipstick.

She walks confidently and casually. The street is damp and reflective, creating a mirror effect of the colorful lights. Many pedestrians walk about.
"""

HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>东京 - 新闻网</title><script>var s = "<p>not text</p>";</script></head>
<body><header><nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻</a></li></ul></nav></header>
<main><article><h1>{TITLE}</h1><p>{ZH[0]}</p><p>{ZH[1].replace("钱包", "钱&#x5305;")}</p><p>{ZH[2]}</p></article></main>
<aside class="sidebar"><h3>相关阅读</h3><ul><li><a href="/a">另一篇文章</a></li></ul></aside>
<footer><p>版权所有 &copy; 2024 新闻网</p></footer></body></html>"""

MARKDOWN = f"""---
title: 东京
---
# {TITLE}

{ZH[0]}

- {ZH[1]}

```bash
echo "代码块不是正文"
```

{ZH[2]}
"""


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for text in [TITLE] + ZH[:2]:
        document.add_paragraph(text)
    document.add_table(rows=1, cols=1).cell(0, 0).text = ZH[2]
    document.save(str(path))


def write_pdf(path: Path, encrypt: str | None = None) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=encrypt)
    for page, chunk in enumerate([[TITLE, ZH[0]], ZH[1:]], 1):
        c.setFont("STSong-Light", 9)
        c.drawString(72, 800, "新闻网 东京专题")  # running header
        c.setFont("STSong-Light", 12)
        y = 740
        for text in chunk:
            for i in range(0, len(text), 30):  # wrapped lines
                c.drawString(72, y, text[i : i + 30])
                y -= 16
            y -= 20
        c.setFont("STSong-Light", 9)
        c.drawString(290, 40, str(page))  # page number
        c.showPage()
    c.save()


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    (folder / "page.html").write_text(HTML, encoding="utf-8")
    (folder / "doc.md").write_text(MARKDOWN, encoding="utf-8")
    write_docx(folder / "doc.docx")
    write_pdf(folder / "doc.pdf")
    return {p.suffix: p for p in folder.iterdir()}


@pytest.mark.parametrize("suffix, locations", [
    (".html", ["/html/body/main/article/h1", "/html/body/main/article/p[1]"]),
    (".md", ["line 4", "line 6", "line 8", "line 14"]),
    (".docx", ["paragraph 1", "paragraph 2", "paragraph 3", "table 1 row 1 cell 1"]),
    (".pdf", ["page 1", "page 1", "page 2", "page 2"]),
])
def test_each_reader_extracts_the_text_and_locates_it(documents, suffix, locations):
    document, text = read_document(documents[suffix], "doc")
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs == [TITLE] + ZH
    assert [p.location for p in document.paragraphs][: len(locations)] == locations
    for p in document.paragraphs:
        assert text[p.start : p.end] == p.text  # offsets refer to the extracted text
        assert "<" not in p.text and "&#" not in p.text and "**" not in p.text


@pytest.mark.parametrize("suffix, reasons", [
    (".html", {"not main text (navigation, header, footer or sidebar)"}),
    (".md", {"front matter", "code block"}),
    (".pdf", {"running header", "page number"}),
])
def test_what_a_reader_leaves_out_is_reported(documents, suffix, reasons):
    document, _ = read_document(documents[suffix], "doc")
    assert document.removed and all(e.kind == "remove" for e in document.removed)
    assert {e.note.split(";")[0] for e in document.removed} == reasons


def test_the_same_text_in_every_format_gives_the_same_pairs(documents, tmp_path):
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.run import run
    from align.translate.stage import TranslateSettings

    encoder = get_encoder("use")  # one encoder: each text is embedded once for all formats
    config = RunConfig(translate=TranslateSettings(mode="none"))
    results = {}
    for suffix, path in documents.items():
        folder = tmp_path / suffix.strip(".")
        folder.mkdir()
        (folder / path.name).write_bytes(path.read_bytes())
        (folder / "en.txt").write_text(EN, encoding="utf-8")
        result = run([folder], config, encoder)
        results[suffix] = [(p.zh_text, p.en_text) for p in result.pairs]
    assert len(results[".html"]) == 7
    assert all(pairs == results[".html"] for pairs in results.values()), results


def test_subtitles_split_dual_language_cues(tmp_path):
    srt = tmp_path / "dual.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,500\n<i>一个时髦的女人走在东京的街道上。</i>\n"
                   "A stylish woman walks down a Tokyo street.\n\n2\n00:00:04,000 --> 00:00:06,000\n"
                   "她戴着太阳镜，涂着红色的口红。\nShe wears sunglasses and red lipstick.\n", encoding="utf-8")
    vtt = tmp_path / "talk.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n许多行人\n走来走去。\n", encoding="utf-8")
    document, _ = read_document(srt, "dual")
    assert [(p.lang, p.location) for p in document.paragraphs] == [  # a bilingual file: its Chinese, then its English
        ("zh", "cue 1 00:00:01,000 --> 00:00:03,500"), ("zh", "cue 2 00:00:04,000 --> 00:00:06,000"),
        ("en", "cue 1 00:00:01,000 --> 00:00:03,500"), ("en", "cue 2 00:00:04,000 --> 00:00:06,000")]
    assert document.paragraphs[0].text == "一个时髦的女人走在东京的街道上。"
    document, _ = read_document(vtt, "talk")
    assert [p.text for p in document.paragraphs] == ["许多行人走来走去。"]


def test_broken_and_encrypted_files_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive" * 10)
    write_pdf(tmp_path / "locked.pdf", encrypt="secret")
    (tmp_path / "a.txt").write_text(TITLE + "\n\n" + ZH[0] + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(EN, encoding="utf-8")
    docs, skipped = ingest([tmp_path])
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert set(reasons) == {"broken.docx", "locked.pdf"}
    assert "Word" in reasons["broken.docx"] and "encrypted" in reasons["locked.pdf"]
    assert all("\n" not in r for r in reasons.values())
    assert len(docs) == 2


def test_keep_extracted_and_input_format(documents, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(HTML, encoding="utf-8")  # HTML under a .txt name
    (folder / "en.htm").write_text(f"<html><body><p>{EN}</p></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "-q", "--translate", "none",
                                      "--input-format", "html", "--keep-extracted"])
    assert result.exit_code == 0, result.output
    extracted = (out / "extracted" / "page.txt.txt").read_text(encoding="utf-8")
    assert extracted.startswith(TITLE) and "首页" not in extracted
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert pairs and all("<" not in p["zh"] + p["en"] for p in pairs)
    prov = pairs[0]["provenance"]["zh"][0]
    # The English page holds its title inside its first <p>, so the Chinese <h1> is left alone
    # (no bead joins a heading to a paragraph) and the first pair is the first paragraph.
    assert extracted[prov["start"] : prov["end"]] == ZH[0]  # offsets into the extracted text
    assert prov["location"] == "/html/body/main/article/p[1]"
    unaligned = [json.loads(line) for line in (out / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    title = next(u for u in unaligned if u["text"] == TITLE)
    assert title["provenance"]["location"] == "/html/body/main/article/h1"


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="manual.txt" source-language="en-US" target-language="zh-CN" datatype="plaintext"><body>
    <trans-unit id="t1"><source>A stylish woman walks down a Tokyo street.</source><target>一个时髦的女人走在东京的街道上。</target></trans-unit>
    <trans-unit id="t2"><source>She wears sunglasses and red lipstick.</source><target>她戴着太阳镜，涂着红色的口红。</target></trans-unit>
    <trans-unit id="t3"><source>Prices fell by 30% in 2023.</source><target>2024年价格下降了百分之二十。</target></trans-unit>
  </body></file>
</xliff>
"""


def test_bitext_pairs_are_scored_and_exported_with_their_language_tags(tmp_path):
    from align.io.corpus import read_bitext

    xliff = tmp_path / "tm.xlf"
    xliff.write_text(XLIFF, encoding="utf-8")
    bitext = read_bitext(xliff)
    assert bitext.tags == ("zh-CN", "en-US")
    assert [p.location for p in bitext.entries] == ["unit t1", "unit t2", "unit t3"]
    tsv = tmp_path / "more.tsv"
    tsv.write_text("许多行人走来走去。\tMany pedestrians walk about.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--bitext", str(xliff), "--bitext", str(tsv), "-o", str(out), "-q",
                                      "--translate", "none"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run.json").read_text())
    assert sum(accounted(out).values()) == 8 and report["language_tags"] == {"zh": "zh-CN", "en": "en-US"}
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {p["method"] for p in pairs} == {"bitext"} and len(pairs) == 3
    assert all(p["langs"] == {"zh": "zh-CN", "en": "en-US"} for p in pairs)
    unaligned = [json.loads(line) for line in (out / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {u["reason"] for u in unaligned} == {"rejected_by_rule"}  # 2024/20% against 30%/2023
    tmx = (out / "corpus.tmx").read_text(encoding="utf-8")
    assert 'srclang="zh-CN"' in tmx and 'xml:lang="en-US"' in tmx


def test_t2s_matches_in_simplified_but_keeps_the_text_as_written(tmp_path):
    import opencc

    traditional = opencc.OpenCC("s2t").convert("\n\n".join([TITLE] + ZH))
    (tmp_path / "zh.txt").write_text(traditional, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    runner = CliRunner()
    kept = tmp_path / "kept"
    assert runner.invoke(cli, ["run", str(tmp_path), "-o", str(kept), "-q", "--translate", "none", "--t2s",
                               "--zh-tag", "zh-TW"]).exit_code == 0
    pairs = [json.loads(line) for line in (kept / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(pairs) >= 6 and all(p["zh"] in traditional for p in pairs)
    assert pairs[0]["langs"]["zh"] == "zh-TW"
    converted = tmp_path / "converted"
    assert runner.invoke(cli, ["run", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "-o", str(converted), "-q",
                               "--translate", "none", "--t2s-output"]).exit_code == 0
    pairs = [json.loads(line) for line in (converted / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(p["zh"] == ZH[0] for p in pairs)
    edits = (converted / "edits.jsonl").read_text(encoding="utf-8")
    assert "traditional_to_simplified" in edits


README_BASICS = [
    ("学习 Bash 的基础知识。", "Learn basic Bash."),
    ("熟悉至少一个基于文本的编辑器。", "Learn at least one text-based editor well."),
    ("学会如何使用 `man` 命令去阅读文档。", "Know how to read documentation with `man`."),
    ("学会使用 `ssh` 进行远程命令行登录。", "Know `ssh` and how to log in to remote machines."),
    ("学习基本的网络管理工具：`ip` 或 `ifconfig`，`dig`。", "Basic network management: `ip` or `ifconfig`, `dig`."),
    ("学习并使用一种版本控制管理系统，例如 `git`。", "Learn and use a version control management system, such as `git`."),
    ("熟悉正则表达式。", "Know regular expressions well."),
    ("学会使用包管理器来查找和安装软件包。", "Learn to use a package manager to find and install packages."),
]


def test_an_interleaved_file_pairs_neighbours_only(tmp_path):
    text = "\n\n".join(f"{zh}\n\n{en}" for zh, en in README_BASICS) + "\n"
    (tmp_path / "bilingual.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "bilingual.md"), "-o", str(out), "-q", "--translate", "none",
                                      "--min-quality", "0"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run.json").read_text())
    assert report["documents"]["bilingual.md"]["interleaved"]
    pairs = [(p["zh"], p["en"]) for p in map(json.loads, (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines())]
    assert pairs == README_BASICS


def test_word_footnotes_are_read(tmp_path):
    import zipfile

    path = tmp_path / "notes.docx"
    write_docx(path)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>本条自公布之日起施行。</w:t></w:r></w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(path) as z:
        files = {name: z.read(name) for name in z.namelist()}
    files["word/footnotes.xml"] = footnotes.encode("utf-8")
    rel = ('<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
           'Target="footnotes.xml"/>')
    files["word/_rels/document.xml.rels"] = files["word/_rels/document.xml.rels"].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    override = ('<Override PartName="/word/footnotes.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(b"</Types>", override.encode() + b"</Types>")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    document, _ = read_document(path, "notes")
    assert (document.paragraphs[-1].text, document.paragraphs[-1].location) == ("本条自公布之日起施行。", "footnote 1")
    assert [p.text for p in document.paragraphs[:-1]] == [TITLE] + ZH


def test_language_tags_are_bcp47_zh_cn_and_en_us_by_default(seed_run, tmp_path):
    from align.io.tmx import read_tmx_file

    tmx = read_tmx_file(seed_run / "corpus.tmx")
    assert tmx.header.srclang == "zh-CN"
    assert {(u.zh_lang, u.en_lang) for u in tmx.units} == {("zh-CN", "en-US")}
    pairs = [json.loads(line) for line in (seed_run / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(p["langs"] == {"zh": "zh-CN", "en": "en-US"} for p in pairs)


@pytest.mark.parametrize("option, value, ok", [
    ("--zh-tag", "zh_CN", "zh-CN"), ("--zh-tag", "zh-hant-tw", "zh-Hant-TW"), ("--en-tag", "EN_gb", "en-GB"),
    ("--en-tag", "english", None), ("--zh-tag", "en-US", None), ("--zh-tag", "zh-XYZ123456", None),
])
def test_language_tag_options_are_checked_and_normalised(seed_run, tmp_path, option, value, ok):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(out), "-q", option, value, "--translate", "none",
                                      "--cache-dir", str(seed_run / ".align-cache")])
    if ok is None:
        assert result.exit_code == 2 and "is not a language tag" in result.output and not out.exists()
    else:
        assert result.exit_code == 0, result.output
        report = json.loads((out / "run.json").read_text())
        assert report["language_tags"]["zh" if option == "--zh-tag" else "en"] == ok


PO = """# A catalogue in the layout gettext writes.
msgid ""
msgstr ""
"Language: zh_CN\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: src/main.c:10
msgid "She wears sunglasses and red lipstick."
msgstr "她戴着太阳镜，涂着红色的口红。"

#: src/main.c:11
msgid "Many pedestrians walk about."
msgstr "许多行人走来走去。"

#, fuzzy
msgid "The street is damp and reflective."
msgstr "街道是潮湿的。"

msgid "Not translated yet."
msgstr ""
"""


def test_gettext_po_files_are_bitext_given_or_found_in_a_folder(tmp_path, capfd):
    from align.io.corpus import read_bitext

    site = tmp_path / "site"
    (site / "locale").mkdir(parents=True)
    po = site / "locale" / "zh_CN.po"
    po.write_text(PO, encoding="utf-8")
    (site / "locale" / "tm.xlf").write_text(XLIFF, encoding="utf-8")
    (site / "zh.txt").write_text("\n\n".join([TITLE] + ZH), encoding="utf-8")
    (site / "en.txt").write_text(EN, encoding="utf-8")
    bitext = read_bitext(po)
    assert [(p.zh, p.en) for p in bitext.entries] == [("她戴着太阳镜，涂着红色的口红。", "She wears sunglasses and red lipstick."),
                                                   ("许多行人走来走去。", "Many pedestrians walk about.")]  # not fuzzy or empty
    assert (bitext.format, bitext.tags[0]) == ("po", "zh-CN")
    out = tmp_path / "out"
    capfd.readouterr()
    result = CliRunner().invoke(cli, ["run", str(site), "-o", str(out), "-q", "--translate", "none"])
    assert result.exit_code == 0, result.output
    assert capfd.readouterr().err == ""  # no reader's log lines: the .po and .xlf were not read as documents
    report = json.loads((out / "run.json").read_text())
    assert report["counts"]["pairs_by_method"]["bitext"] >= 3 and report["counts"]["pairs_by_method"]["parallel"] >= 5
    assert report["skipped_files"] == []
    accounted(out, site)
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"许多行人走来走去。", "她戴着太阳镜，涂着红色的口红。"} <= {p["zh"] for p in pairs if p["method"] == "bitext"}
    scored = CliRunner().invoke(cli, ["score", str(po), "--min-quality", "0", "--format", "json"])
    assert scored.exit_code == 0 and json.loads(scored.stdout)["pairs"] == 2
