"""'-' for standard input and output, and .gz/.xz/.bz2 by extension."""

import gzip
import json
import lzma
import subprocess
import sys

from align.io.atomic import write_text
from align.io.streams import read_input

PAIRS = "她戴着太阳镜，涂着红色的口红。\tShe wears sunglasses and red lipstick.\n许多行人走来走去。\tMany pedestrians walk about.\n"


def align(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], input=stdin, capture_output=True,
                          timeout=300)


def test_compressed_files_are_read_and_written_by_their_extension(tmp_path):
    for suffix, opener in ((".gz", gzip.open), (".xz", lzma.open)):
        path = tmp_path / f"t.txt{suffix}"
        write_text(path, "héllo\n")
        with opener(path, "rt", encoding="utf-8") as handle:
            assert handle.read() == "héllo\n"
        assert read_input(path) == "héllo\n".encode()


def test_a_decompression_bomb_is_refused(tmp_path):
    import pytest

    from align.errors import InputError

    path = tmp_path / "bomb.tsv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"\0" * (4 * 1024 * 1024))
    assert path.stat().st_size < 50_000
    with pytest.raises(InputError, match="once decompressed"):
        read_input(path, max_bytes=1024 * 1024)


def test_score_reads_a_gzipped_tsv_and_pipes_jsonl(tmp_path):
    gz = tmp_path / "corpus.tsv.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as handle:
        handle.write(PAIRS)
    proc = align("score", gz, "-o", "-", "-q")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["en"] for r in records] == ["She wears sunglasses and red lipstick.", "Many pedestrians walk about."]
    assert b"pairs rescored" in proc.stderr
    piped = align("score", "-", "-o", tmp_path / "out.jsonl.gz", "-q", stdin=PAIRS.encode())
    assert piped.returncode == 0, piped.stderr
    with gzip.open(tmp_path / "out.jsonl.gz", "rt", encoding="utf-8") as handle:
        assert [json.loads(line)["zh"] for line in handle] == [r["zh"] for r in records]


def test_run_reads_standard_input_and_writes_the_corpus_to_standard_output(tmp_path):
    en = tmp_path / "en.txt.xz"
    with lzma.open(en, "wt", encoding="utf-8") as handle:
        handle.write("She wears sunglasses and red lipstick.\n\nMany pedestrians walk about.\n")
    zh = "她戴着太阳镜，涂着红色的口红。\n\n许多行人走来走去。\n".encode()
    proc = align("run", "-", en, "-o", "-", "-q", "--cache-dir", tmp_path / "cache", stdin=zh)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(records) == 2 and records[0]["zh_ids"] == ["stdin#zh0"]
    assert not (tmp_path / "-").exists()


def test_pair_reads_one_side_from_standard_input(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text("She wears sunglasses and red lipstick.\nMany pedestrians walk about.\n", encoding="utf-8")
    proc = align("pair", "-", en, "--presplit", stdin="她戴着太阳镜，涂着红色的口红。\n许多行人走来走去。\n".encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().split() == ["[0]:[0]", "[1]:[1]"]
