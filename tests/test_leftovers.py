"""Hostile inputs that once ended in an internal error (exit 3): each is a one-line error with
exit 2 now, or is read."""

import sys

import pytest
from click.testing import CliRunner

from align.cli import cli, main
from align.io.tmx import read_tmx

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="x" creationtoolversion="1" o-tmf="x"/>
<body><tu><tuv xml:lang="en"><seg>Press&nbsp;<ph>{0}</ph> now &amp; then.</seg></tuv>
<tuv xml:lang="zh-CN"><seg>现在按下<ph>{0}</ph>。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Good &ENTITY; morning.</seg></tuv><tuv xml:lang="zh-CN"><seg>早上好。</seg></tuv></tu></body></tmx>
"""


def one_line_error(capsys, monkeypatch, *args):
    """Run ``align ARGS`` as the command line does (``main``); its one line of error."""
    monkeypatch.setattr(sys, "argv", ["align", *map(str, args)])
    with pytest.raises(SystemExit) as stop:
        main()
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert stop.value.code == 2 and len(lines) == 1 and lines[0].startswith("align: error: "), err
    return lines[0]


def test_a_tmx_with_an_html_entity_it_does_not_define_is_read(tmp_path):
    path = tmp_path / "tm.tmx"
    path.write_text(TMX.replace("&ENTITY;", "&copy;"), encoding="utf-8")
    first, second = read_tmx(path)
    assert first.en == "Press\xa0 now & then." and "&nbsp;" not in first.en_markup
    assert first.en_markup.startswith("Press\xa0<ph>")
    assert second.en == "Good © morning."
    result = CliRunner().invoke(cli, ["run", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output


def test_a_tmx_with_an_undefined_entity_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    path = tmp_path / "tm.tmx"
    path.write_text(TMX.replace("&ENTITY;", "&madeup;"), encoding="utf-8")
    line = one_line_error(capsys, monkeypatch, "run", path, "-o", tmp_path / "out", "-q")
    assert "entity &madeup; on line 7 is not defined" in line
    assert not (tmp_path / "out" / "corpus.tmx").exists()
