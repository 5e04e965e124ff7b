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
