"""Hostile inputs that once ended in an internal error (exit 3): each is a one-line error with
exit 2 now, or is read."""

import sys

import pytest
from align.cli import main
from align.io.tmx import markup_text, read_tmx

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
    assert markup_text(first.en_markup) == first.en  # the markup is well-formed XML again


def test_a_tmx_with_an_undefined_entity_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    path = tmp_path / "tm.tmx"
    path.write_text(TMX.replace("&ENTITY;", "&madeup;"), encoding="utf-8")
    line = one_line_error(capsys, monkeypatch, "run", path, "-o", tmp_path / "out", "-q")
    assert "entity &madeup; on line 7 is not defined" in line
    assert not (tmp_path / "out" / "corpus.tmx").exists()


def test_a_broken_st_model_folder_is_a_model_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    from align.embed import SentenceTransformerEncoder
    from align.errors import ModelError

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text('{"hidden_size": 8}', encoding="utf-8")
    (folder / "model.safetensors").write_text("not weights", encoding="utf-8")
    with pytest.raises(ModelError, match=r"model: not a sentence-transformers model folder \(.+\)$"):
        SentenceTransformerEncoder(str(folder)).encode(["Hello there.", "你好。"])


def test_a_run_with_an_empty_st_model_folder_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    pytest.importorskip("sentence_transformers")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.zh.txt").write_text("她戴着太阳镜。\n", encoding="utf-8")
    (inputs / "a.en.txt").write_text("She wears sunglasses.\n", encoding="utf-8")
    (tmp_path / "model").mkdir()
    out = tmp_path / "out"
    line = one_line_error(capsys, monkeypatch, "run", inputs, "-o", out, "-q", "--encoder", f"st:{tmp_path / 'model'}")
    assert "not a sentence-transformers model folder" in line
    assert not (out / "corpus.jsonl").exists()


def test_report_on_a_folder_of_binary_files_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    noise = bytes(range(128, 256)) * 20
    for name in ("run.json", "corpus.jsonl", "unaligned.jsonl", "picture.bin"):
        (tmp_path / name).write_bytes(noise)
    line = one_line_error(capsys, monkeypatch, "report", tmp_path)
    assert line == f"align: error: {tmp_path / 'run.json'}: not UTF-8 (invalid start byte at byte 0)"
    assert not (tmp_path / "report.html").exists()


FAILING_RUN = """
import atexit, sys
import align.run
from align.errors import ExecutionError

def failing_run(inputs, config, encoder, progress, executor):
    bar = progress(total=10, desc="embed", unit="batch", delay=0)
    bar.update(3)
    atexit.register(lambda: print("(raylet) the cluster's own log line, at exit", file=sys.stderr))
    raise ExecutionError("the Ray cluster failed during embed: RaySystemError: node lost")

align.run.run = failing_run
sys.argv = ["align", "run", sys.argv[1], "-o", sys.argv[2]]
from align.cli import main
main()
"""


def test_a_run_whose_cluster_fails_ends_with_the_one_line_error(tmp_path):
    """A progress bar open when the cluster fails, and the cluster's own log lines at exit, come
    before align's one-line error: it is the last line on standard error."""
    import subprocess

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.zh.txt").write_text("她戴着太阳镜。\n", encoding="utf-8")
    (inputs / "a.en.txt").write_text("She wears sunglasses.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", FAILING_RUN, str(inputs), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "embed:" in proc.stderr  # the bar was shown
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines[-1] == "align: error: the Ray cluster failed during embed: RaySystemError: node lost", proc.stderr
