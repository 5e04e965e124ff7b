"""Hostile input, interruptions, determinism and output safety."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from align.cli import cli

from .account import accounted
from .conftest import DATA, SEEDS

FINAL_OUTPUTS = ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl")
PAIR = "她戴着太阳镜，涂着红色的口红。\n\nShe wears sunglasses and red lipstick.\n"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True)


def test_mixed_files_in_one_run(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "utf16le-bom.txt").write_bytes("她戴着太阳镜。\r\n\r\nShe wears sunglasses.\r\n".encode("utf-16"))
    (inputs / "utf16be.txt").write_bytes(PAIR.encode("utf-16-be"))
    (inputs / "gb18030.txt").write_bytes(PAIR.encode("gb18030"))
    (inputs / "big5.txt").write_bytes("她戴著太陽鏡。\r許多行人走來走去。\n\nShe wears sunglasses.\rMany pedestrians walk about.".encode("big5"))
    (inputs / "french.txt").write_text("Elle porte des lunettes de soleil. Les rues sont mouillées et brillantes.", encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "archive.zip").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + os.urandom(2000))
    (inputs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    out = tmp_path / "out"
    proc = run_cli("run", inputs, "-o", out, "-q", "--min-quality", "0")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "run.json").read_text())
    skipped = {Path(s["file"]).name: s["reason"] for s in report["skipped_files"]}
    assert set(skipped) == {"french.txt", "empty.txt", "archive.zip", "image.png"}
    assert "another language" in skipped["french.txt"]
    assert set(report["documents"]) == {"utf16le-bom.txt", "utf16be.txt", "gb18030.txt", "big5.txt"}
    accounted(out, inputs)
    assert len(proc.stderr.splitlines()) == 4  # one warning line per skipped file
    strict = run_cli("run", inputs, "-o", tmp_path / "out2", "-q", "--strict")
    assert strict.returncode == 1


def test_symlink_loops_and_many_small_files(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(1000):
        (inputs / f"doc{i:04d}.txt").write_text(f"她戴着太阳镜，这是第{i}号文件。\n\nShe wears sunglasses, this is file number {i}.\n",
                                                encoding="utf-8")
    (inputs / "loop").symlink_to(inputs, target_is_directory=True)
    out = tmp_path / "out"
    proc = run_cli("run", inputs, "-o", out, "-q", "--min-quality", "0")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "run.json").read_text())
    assert report["counts"]["files_read"] == 1000
    assert report["counts"]["pairs_exported"] >= 900
    accounted(out, inputs)


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    from align.ingest import ingest

    (tmp_path / "ok.txt").write_text(PAIR, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(PAIR, encoding="utf-8")
    import builtins

    original = builtins.open

    def guarded_open(file, *args, **kwargs):  # root can read any file: deny this one by hand
        if str(file).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return original(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    docs, skipped = ingest([tmp_path])
    assert [d.doc_id for d, _ in docs] == ["ok.txt"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [("secret.txt", "permission denied")]


def test_hostile_names_cannot_write_outside_the_output_folder(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "..\x01evil\x1b[31m.txt").write_text(PAIR, encoding="utf-8")
    (inputs / "normal.txt").write_text(PAIR, encoding="utf-8")
    before = set(tmp_path.rglob("*"))
    out = tmp_path / "out"
    proc = run_cli("run", inputs, "-o", out, "-q", "--min-quality", "0", "--cache-dir", out / "cache")
    assert proc.returncode == 0, proc.stderr
    created = set(tmp_path.rglob("*")) - before
    assert all(out in p.parents or p == out for p in created)
    ids = [json.loads(line)["zh_ids"][0] for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert all("\x01" not in i and "\x1b" not in i and "/" not in i for i in ids)


def test_huge_lines_markup_and_odd_characters_stay_valid(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    # Lines of about 1 MB each, full of characters XML cannot hold, marks, emoji and markup.
    zh_sentence = "她戴着\u200f太阳镜😎，涂着红色的口红\x0b" * 40 + "。"
    en_sentence = "<b>She</b> wears **sunglasses** and red lipstick\ufffe 😎 e\u0301 " * 20 + ". "
    text = zh_sentence * 700 + "\n\n" + en_sentence * 700 + "\n"
    assert len(text.encode("utf-8")) > 2_000_000
    (inputs / "odd.txt").write_text(text, encoding="utf-8")
    (inputs / "seed.txt").write_text(PAIR, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("run", inputs, "-o", out, "-q", "--min-quality", "0")
    assert proc.returncode == 0, proc.stderr
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(out / "corpus.tmx")))
    for name in ("corpus.jsonl", "unaligned.jsonl", "edits.jsonl"):
        for line in (out / name).read_bytes().decode("utf-8").splitlines():
            json.loads(line)


def _outputs(folder):
    return {name: (folder / name).read_bytes() for name in FINAL_OUTPUTS}


def _wait_for(proc, ready, limit=300.0):
    """Poll the file system until ``ready()`` (then True) or the process ends (then False)."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            return True
        time.sleep(0.005)
    return False


def test_killed_run_resumes_to_identical_outputs(seed_run, seeded_cache, tmp_path):
    """Two runs killed with SIGKILL at moments seen on the file system: as soon as the first
    file (the marker's temporary) appears in the output folder, and once the first final
    output is in place; then a run to the end. (The runs read the seed run's embeddings: no
    moment falls inside the embedding.)"""
    reference = seed_run  # a run of the seeds with the default options, never killed
    out, cache = tmp_path / "out", seeded_cache
    # files the run writes (not its marker, nor the probe that checks the folder is writable)
    outputs = lambda: [p for p in out.glob("*") if p.is_file() and p.name not in (".align-run", ".align-write-test")] \
        if out.is_dir() else []
    moments = [lambda: bool(outputs()),
               lambda: any((out / name).is_file() for name in FINAL_OUTPUTS)]
    seen_outputs = []
    for ready in moments:
        proc = subprocess.Popen([sys.executable, "-m", "align.cli", "run", str(SEEDS), "-o", str(out), "-q",
                                 "--cache-dir", str(cache)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # the first moment comes long before the end; the last may come with it (nothing to kill then)
        assert _wait_for(proc, ready) or ready is moments[-1], "the run ended before the moment to kill it"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen_outputs += outputs()
        # Whatever exists under a final name is complete: never a truncated file.
        for name in FINAL_OUTPUTS:
            path = out / name
            if path.exists():
                data = path.read_bytes()
                if name.endswith(".tmx"):
                    etree.fromstring(data)
                else:
                    [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert any(p.name in FINAL_OUTPUTS for p in seen_outputs)  # a final output was checked above
    final = run_cli("run", SEEDS, "-o", out, "-q", "--cache-dir", cache)
    assert final.returncode == 0, final.stderr
    assert _outputs(out) == _outputs(reference)
    assert not list(out.glob(".*.tmp"))


xml_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(xml_text, xml_text)
def test_normalize_export_read_back(zh, en):
    import tempfile

    from translate.storage import tmx as ttk

    from align.io.tmx import TranslationUnit, read_tmx, write_tmx
    from .account import _xml_chars
    from align.normalize import normalize_text

    zh_n, en_n = normalize_text(zh, "zh").text, normalize_text(en, "en").text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.tmx"
        write_tmx(path, [TranslationUnit("1", zh_n, en_n)])
        [unit] = read_tmx(path)
        assert (unit.zh, unit.en) == (_xml_chars(zh_n), _xml_chars(en_n))  # XML 1.0's Char production
        store = ttk.tmxfile.parsefile(str(path))
        assert len(store.units) == 1
