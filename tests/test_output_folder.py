"""The output folder is align's own; special files and unlistable folders are skipped with a reason."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import InputError

ZH = "一个时髦的女人走在东京的街道上。\n\n她戴着太阳镜，涂着红色的口红。\n\n她自信而随意地走着。\n"
EN = "A stylish woman walks down a Tokyo street.\n\nShe wears sunglasses and red lipstick.\n\nShe walks confidently and casually.\n"


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "street.zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "street.en.txt").write_text(EN, encoding="utf-8")
    return folder


def run(*args):
    return CliRunner().invoke(cli, ["run", *map(str, args)])


def test_an_output_folder_inside_the_inputs_is_never_read_back(inputs):
    out = inputs / "out"
    for _ in range(2):
        result = run(inputs, "-o", out, "-q")
        assert result.exit_code == 0, result.output
        report = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert report["counts"]["files_read"] == 2 and report["counts"]["pairs_exported"] == 3
    refused = run(out, "-o", inputs.parent / "o2")  # an output folder is no input
    assert isinstance(refused.exception, InputError) and "an align output folder" in str(refused.exception)


def test_a_rerun_removes_its_own_earlier_files_and_lists_only_what_exists(inputs, tmp_path):
    out = tmp_path / "out"
    assert run(inputs, "-o", out, "-q").exit_code == 0
    assert (out / "corpus.tmx").exists() and (out / ".align-cache").is_dir()  # the cache is inside the folder
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "--format", "tsv", "--no-report"])
    assert result.exit_code == 0, result.output
    assert "removed 7 files of the earlier run" in result.output
    assert not (out / "corpus.tmx").exists() and not (out / "report.html").exists()
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["outputs"] == ["corpus.tsv", "unaligned.jsonl", "edits.jsonl", "conflicts.jsonl", "run.json"]
    assert all((out / name).exists() for name in report["outputs"])


def test_a_folder_of_other_files_is_refused_and_never_emptied(inputs, tmp_path):
    out = tmp_path / "out"
    (out / "report").mkdir(parents=True)
    (out / "report" / "n.txt").write_text("mine")
    refused = run(inputs, "-o", out, "-q")
    assert isinstance(refused.exception, InputError) and "--overwrite" in str(refused.exception)
    assert run(inputs, "-o", out, "-q", "--overwrite").exit_code == 0
    assert (out / "report" / "n.txt").read_text() == "mine"
    assert run(inputs, "-o", out, "-q").exit_code == 0  # now marked as align's: no --overwrite needed
    assert (out / "report" / "n.txt").read_text() == "mine"


def test_a_fifo_in_the_inputs_is_skipped_not_waited_for(inputs, tmp_path):
    os.mkfifo(inputs / "pipe.txt")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    skipped = json.loads((out / "run.json").read_text(encoding="utf-8"))["skipped_files"]
    assert [s["reason"] for s in skipped if s["file"].endswith("pipe.txt")] == [
        "not a regular file (a FIFO, device or socket): skipped"]


def test_a_folder_that_cannot_be_listed_is_reported(inputs, tmp_path, monkeypatch):
    locked = inputs / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    assert run(inputs, "-o", out, "-q").exit_code == 0
    skipped = json.loads((out / "run.json").read_text(encoding="utf-8"))["skipped_files"]
    assert {"file": str(locked), "reason": "cannot list the folder (Permission denied)"} in skipped


def test_a_subfolder_the_user_cannot_enter_is_skipped_and_listed(inputs, tmp_path, monkeypatch):
    """As for a user without rights on ``locked`` (the tests run as root): it cannot be listed,
    and nothing inside it can be looked up (not even an output folder's marker)."""
    locked = inputs / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(EN, encoding="utf-8")
    real_scandir, real_stat = os.scandir, os.stat

    def denied(path):
        path = os.fspath(path)
        if path == str(locked) or path.startswith(str(locked) + os.sep):
            raise PermissionError(13, "Permission denied", path)

    def scandir(path="."):
        denied(path)
        return real_scandir(path)

    def stat(path, *args, **kwargs):
        if os.fspath(path) != str(locked):
            denied(path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)
    out = tmp_path / "out"
    result = run(inputs, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {"file": str(locked), "reason": "cannot list the folder (Permission denied)"} in report["skipped_files"]
    assert not any("inside" in line for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines())


def test_a_file_over_the_size_cap_is_skipped(inputs, tmp_path):
    (inputs / "big.txt").write_bytes(b"x" * (2 * 1024 * 1024))
    out = tmp_path / "out"
    assert run(inputs, "-o", out, "-q", "--max-file-size", "1").exit_code == 0
    skipped = json.loads((out / "run.json").read_text(encoding="utf-8"))["skipped_files"]
    assert any(s["file"].endswith("big.txt") and "cap" in s["reason"] for s in skipped)


def test_a_folder_written_by_align_0_1_is_taken_as_its_own(inputs, tmp_path):
    out = tmp_path / "old"
    out.mkdir()
    (out / "run.json").write_text(json.dumps({"align_version": "0.1.0", "outputs": ["corpus.tmx", "run.json"]}))
    (out / "corpus.tmx").write_text("<tmx/>")
    (out / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert not (out / "corpus.tmx").exists() and (out / "notes.txt").read_text() == "mine"
