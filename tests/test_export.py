import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from align.io.atomic import atomic_writer, write_text
from align.io.jsonl import write_jsonl
from align.io.tmx import TranslationUnit, build_tmx, read_tmx, read_tmx_file, write_tmx

from .conftest import DATA

DTD = etree.DTD(str(DATA / "tmx14.dtd"))


def test_tmx_is_valid_and_reads_back(tmp_path):
    units = [TranslationUnit("1", "她戴着太阳镜。", "She wears sunglasses.", (("x-quality", "0.99"),)),
             TranslationUnit("2", "许多行人 & <走来走去>。", 'Many "pedestrians" <walk> & about.')]
    path = tmp_path / "c.tmx"
    write_tmx(path, units, [("x-encoder-signature", "use-m3")])
    tree = etree.parse(str(path))
    assert DTD.validate(tree), DTD.error_log
    assert [(u.zh, u.en) for u in read_tmx(path)] == [(u.zh, u.en) for u in units]


def test_text_xml_cannot_hold_is_dropped_and_counted():
    data, dropped = build_tmx([TranslationUnit("1", "中\x0b文\ufffe", "a\x00b")])
    assert dropped == 3
    assert DTD.validate(etree.fromstring(data).getroottree())


xml_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _xml_ok(text):
    """What XML 1.0 can hold, from its Char production (not from the code under test)."""
    from .account import _xml_chars

    return _xml_chars(text)


@settings(max_examples=100, deadline=None)
@given(xml_text, xml_text)
def test_tmx_round_trip_is_exact_for_what_xml_can_hold(zh, en):
    data, _ = build_tmx([TranslationUnit("1", zh, en)])
    root = etree.fromstring(data)
    assert DTD.validate(root.getroottree())
    segs = ["".join(s.itertext()) for s in root.iter("seg")]
    # lxml writes CR as a character reference, so even line endings survive.
    expected = [_xml_ok(t) for t in (zh, en)]
    assert segs == expected


def test_translate_toolkit_reads_the_tmx(tmp_path):
    from translate.storage import tmx as ttk

    path = tmp_path / "c.tmx"
    write_tmx(path, [TranslationUnit("1", "她戴着太阳镜。", "She wears sunglasses.")])
    store = ttk.tmxfile.parsefile(str(path))
    units = [u for u in store.units]
    assert [(u.source, u.target) for u in units] == [("她戴着太阳镜。", "She wears sunglasses.")]


def test_atomic_writer_leaves_no_partial_file(tmp_path):
    path = tmp_path / "out.jsonl"
    write_text(path, "old\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(path) as handle:
            handle.write("partial")
            raise RuntimeError("interrupted")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_jsonl_survives_lone_surrogates(tmp_path):
    path = tmp_path / "x.jsonl"
    write_jsonl(path, [{"text": "ok \ud800 end"}, {"text": "中文"}])
    lines = path.read_bytes().decode("utf-8").splitlines()
    assert json.loads(lines[0])["text"] == "ok \ud800 end"
    assert json.loads(lines[1])["text"] == "中文"


def whole_tree_tmx(units, header_props):
    """The reference: one lxml tree serialized at once."""
    from align import __version__
    from align.io.tmx import DOCTYPE, XML_LANG

    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", creationtool="align", creationtoolversion=__version__,
                              segtype="sentence", **{"o-tmf": "align"}, adminlang="en", srclang="zh",
                              datatype="plaintext")
    for ptype, value in header_props:
        etree.SubElement(header, "prop", type=ptype).text = value
    body = etree.SubElement(root, "body")
    for u in units:
        tu = etree.SubElement(body, "tu", tuid=u.tuid)
        for ptype, value in u.props:
            etree.SubElement(tu, "prop", type=ptype).text = value
        for lang, text in (("zh", u.zh), ("en", u.en)):
            etree.SubElement(etree.SubElement(tu, "tuv", {XML_LANG: lang}), "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(xml_text, xml_text), max_size=5), st.integers(0, 5))
def test_tmx_rendered_in_pieces_is_the_tmx_rendered_whole(texts, cut_at):
    from align.io.tmx import join_tmx, tmx_frame, tmx_units

    units = [TranslationUnit(str(i), _xml_ok(zh), _xml_ok(en), (("x-quality", "0.5"),)) for i, (zh, en) in enumerate(texts)]
    head, tail, _ = tmx_frame([("x-encoder-signature", "use-m3")])
    pieces = [tmx_units(units[:cut_at])[0], tmx_units(units[cut_at:])[0]]
    assert b"".join(join_tmx(head, pieces, tail)) == whole_tree_tmx(units, [("x-encoder-signature", "use-m3")])


CAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="SDL Trados" creationtoolversion="16" segtype="sentence" o-tmf="TW4Win"
 adminlang="en-US" srclang="zh-CN" datatype="html"><prop type="x-project">Handbook 3</prop></header><body>
<tu tuid="7"><prop type="x-client">ACME</prop>
<tuv xml:lang="zh-CN"><seg>点击<bpt i="1">&lt;b&gt;</bpt>保存<ept i="1">&lt;/b&gt;</ept>按钮。</seg></tuv>
<tuv xml:lang="en-US"><seg>Click the <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> button.</seg></tuv></tu>
<tu tuid="8"><tuv xml:lang="zh-CN"><seg>已删除 <ph x="1">{0}</ph> 个文件。</seg></tuv>
<tuv xml:lang="en-US"><seg>Deleted <ph x="1">{0}</ph> files.</seg></tuv></tu>
<tu tuid="9"><tuv xml:lang="zh-CN"><seg>请<hi type="em">不要</hi>关闭窗口。</seg></tuv>
<tuv xml:lang="en-US"><seg>Please do <hi type="em">not</hi> close the window.</seg></tuv></tu>
</body></tmx>
"""


def test_inline_markup_header_and_props_survive_rescoring(tmp_path):
    from click.testing import CliRunner

    from align.cli import cli

    source = tmp_path / "tm.tmx"
    source.write_text(CAT_TMX, encoding="utf-8")
    [before] = [read_tmx_file(source)]
    assert [u.zh for u in before.units] == ["点击保存按钮。", "已删除  个文件。", "请不要关闭窗口。"]  # codes are no text
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(cli, ["score", str(source), "--min-quality", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert DTD.validate(tree), DTD.error_log
    header = tree.find("header")
    assert header.get("datatype") == "html" and header.get("srclang") == "zh-CN"
    props = [(p.get("type"), p.text) for p in header.findall("prop")]
    assert props[0] == ("x-project", "Handbook 3")  # kept; then the signatures the units were scored with
    assert {"x-encoder-signature", "x-quality-signature", "x-select-signature"} <= {t for t, _ in props[1:]}
    original = etree.fromstring(CAT_TMX.encode())
    for old, new in zip(original.iter("tu"), tree.iter("tu")):
        assert new.get("tuid") == old.get("tuid")
        for old_seg, new_seg in zip(old.iter("seg"), new.iter("seg")):
            assert etree.tostring(new_seg, with_tail=False) == etree.tostring(old_seg, with_tail=False)  # as it was
    after = read_tmx_file(out)
    assert dict(after.units[0].props)["x-client"] == "ACME" and "x-quality" in dict(after.units[0].props)


def test_align_run_keeps_the_inline_elements_of_a_tmx_given_as_bitext(tmp_path):
    from click.testing import CliRunner

    from align.cli import cli

    source = tmp_path / "tm.tmx"
    source.write_text(CAT_TMX, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--bitext", str(source), "-o", str(out), "-q", "--min-quality", "0"])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out / "corpus.tmx"))
    assert DTD.validate(tree), DTD.error_log
    original = etree.fromstring(CAT_TMX.encode())
    segments = sorted(etree.tostring(s, with_tail=False) for s in original.iter("seg"))
    assert sorted(etree.tostring(s, with_tail=False) for s in tree.iter("seg")) == segments  # every code kept
    records = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["zh"] for r in records} == {"点击保存按钮。", "已删除 个文件。", "请不要关闭窗口。"}  # the text the signals saw
    assert sum(r["markup"] is not None for r in records) == 3


INLINE_XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui.html" source-language="en-US" target-language="zh-CN" datatype="html"><body>
    <trans-unit id="t1"><source>Click <g id="1">Save</g> now.</source><target>立即点击<g id="1">保存</g>。</target></trans-unit>
    <trans-unit id="t2"><source>Deleted <x id="2"/> files.</source><target>已删除 <x id="2"/> 个文件。</target></trans-unit>
    <trans-unit id="t3"><source>Press <bpt id="3">&lt;b&gt;</bpt>Enter<ept id="3">&lt;/b&gt;</ept>.</source>
      <target>按<bpt id="3">&lt;b&gt;</bpt>回车<ept id="3">&lt;/b&gt;</ept>。</target></trans-unit>
  </body></file>
</xliff>
"""


def test_xliff_inline_elements_reach_the_tmx_as_tmx_inline_elements(tmp_path):
    from click.testing import CliRunner

    from align.cli import cli
    from align.io.corpus import read_corpus

    source = tmp_path / "ui.xlf"
    source.write_text(INLINE_XLIFF, encoding="utf-8")
    assert [(e.zh, e.en) for e in read_corpus(source).entries] == [
        ("立即点击保存。", "Click Save now."), ("已删除  个文件。", "Deleted  files."), ("按回车。", "Press Enter.")]
    out = tmp_path / "ui.tmx"
    result = CliRunner().invoke(cli, ["score", str(source), "--min-quality", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert DTD.validate(tree), DTD.error_log
    segs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang"): [] for tuv in tree.iter("tuv")}
    for tuv in tree.iter("tuv"):
        segs[tuv.get("{http://www.w3.org/XML/1998/namespace}lang")].append(tuv.find("seg"))
    assert set(segs) == {"zh-CN", "en-US"}
    click, deleted, press = segs["en-US"]
    assert [(c.tag, c.text) for c in click] == [("bpt", '<g id="1">'), ("ept", "</g>")]
    assert [(c.tag, c.text) for c in deleted] == [("ph", '<x id="2"/>')]
    assert [(c.tag, c.text) for c in press] == [("bpt", "<b>"), ("ept", "</b>")]
    assert "".join(segs["zh-CN"][0].itertext()) == '立即点击<g id="1">保存</g>。'  # codes and text, in order
