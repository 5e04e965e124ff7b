"""Hostile and broken files are skipped one by one with a reason (exit 0 or 2, never 3)."""

import io
import json
import os
import zipfile

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import InputError
from align.ingest import ingest
from align.ingest.office import check_expansion, extract_docx

PAIR = "她戴着太阳镜，涂着红色的口红。\n\nShe wears sunglasses and red lipstick.\n"


def run_measured(args, tmp_path, timeout=300):
    """Run ``align`` in a child process; its exit code, its stderr and its own peak memory in
    MB: the child writes its VmHWM at exit (``ru_maxrss`` would count the test process's own
    size, which a child has right after fork)."""
    import subprocess
    import sys

    status = tmp_path / "status.txt"
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: open({str(status)!r}, 'w').write(open('/proc/self/status').read()))\n"
            f"sys.argv = ['align'] + {[str(a) for a in args]!r}\n"
            "from align.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    peak = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    return proc.returncode, proc.stderr, peak / 1024


@pytest.mark.parametrize("name, data, reason", [
    ("bom_gb.txt", b"\xef\xbb\xbf\xc4\xe3\xba\xc3", "not valid utf-8 after its byte-order mark"),
    ("cut.txt", b"\xff\xfeA\x00B", "not valid utf-16 after its byte-order mark"),
    ("surrogate.txt", b"\xff\xfe\x00\xd8A\x00", "not valid utf-16 after its byte-order mark"),
    ("bad32.txt", b"\xff\xfe\x00\x00\x00\x00\x11\x00", "not valid utf-32 after its byte-order mark"),
    ("huge.srt", b"1\n99999999999:00:00,000 --> 99999999999:00:01,000\nhello there\n\n", "not a readable srt file"),
])
def test_broken_text_is_skipped_with_its_reason(tmp_path, name, data, reason):
    (tmp_path / "ok.txt").write_text(PAIR, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    docs, skipped = ingest([tmp_path])
    assert [d.doc_id for d, _ in docs] == ["ok.txt"]
    assert len(skipped) == 1 and skipped[0].reason.startswith(reason)


def test_a_file_name_that_is_not_utf8_reaches_every_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"\xff\xfestreet.txt")
    (folder / name).write_text(PAIR, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in report["documents"].values()] == [f"{folder}/\\xff\\xfestreet.txt"]


def test_a_lone_surrogate_in_a_corpus_is_an_input_error(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"zh": "\\ud800", "en": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(path)])
    assert isinstance(result.exception, InputError) and "c.jsonl:1: a text holds a lone surrogate" in str(result.exception)


def _docx_bytes(footnotes: bytes | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("她戴着太阳镜。")
    buffer = io.BytesIO()
    document.save(buffer)
    if footnotes is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def test_a_word_document_that_inflates_past_the_cap_is_refused():
    data = _docx_bytes()
    with pytest.raises(InputError, match="inflates to .* over the 1000-byte cap"):
        check_expansion(data, cap=1000)
    check_expansion(data)  # the real cap lets an ordinary document through


def test_entities_in_word_footnotes_are_never_expanded():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
              b'<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              b'<w:footnote w:id="1"><w:p><w:r><w:t>&d;&x;</w:t></w:r></w:p></w:footnote></w:footnotes>')
    from types import SimpleNamespace

    from align.ingest.office import _footnotes

    def document(blob):
        part = SimpleNamespace(partname="/word/footnotes.xml", blob=blob)
        return SimpleNamespace(part=SimpleNamespace(package=SimpleNamespace(iter_parts=lambda: [part])))

    notes = list(_footnotes(document(laughs)))
    assert len(notes) == 1 and "lol" not in notes[0][0] and "root:" not in notes[0][0]
    with pytest.raises(InputError, match="broken footnotes"):
        list(_footnotes(document(b"<w:footnotes")))
    assert "她戴着太阳镜。" in extract_docx(_docx_bytes(laughs)).text


def test_keep_extracted_with_a_document_id_too_long_for_a_file_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / ("a" * 240 + ".txt")).write_text(PAIR, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "-q", "--keep-extracted"])
    assert result.exit_code == 0, result.output
    names = [p.name for p in (out / "extracted").iterdir()]
    assert len(names) == 1 and len(names[0].encode()) < 255


def _skipped_in_bounded_memory(tmp_path, write_hostile, expected: str) -> None:
    """A folder with a good pair and one hostile file: the run skips the file with ``expected``
    in its warning and its own peak memory stays under 1 GB."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pair.txt").write_text(PAIR, encoding="utf-8")
    write_hostile(folder)
    code, stderr, peak_mb = run_measured(["run", folder, "-o", tmp_path / "out", "-q"], tmp_path)
    assert code == 0, stderr
    assert expected in stderr
    assert peak_mb < 1024


def test_a_200_mb_line_is_skipped_in_bounded_memory(tmp_path):
    def one_line(folder):
        with open(folder / "one-line.txt", "wb") as handle:
            for _ in range(200):
                handle.write(b"word " * 200_000)  # 1 MB, no line break

    _skipped_in_bounded_memory(tmp_path, one_line, "one-line.txt: a line of 200000000 bytes, over the")


def test_a_word_document_with_a_huge_part_is_refused_in_bounded_memory(tmp_path):
    def bomb(folder):
        with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", "<w:document/>")
            with archive.open("word/media/image1.png", "w") as part:  # 300 MB of zeros, a few hundred KB on disk
                for _ in range(300):
                    part.write(b"\0" * 1_000_000)
        assert (folder / "bomb.docx").stat().st_size < 2_000_000

    _skipped_in_bounded_memory(tmp_path, bomb, "bomb.docx: the Word document inflates to")


def test_special_files_given_by_name_are_refused_not_waited_for(tmp_path):
    import subprocess
    import sys

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "ok.txt").write_text(PAIR, encoding="utf-8")

    def align(*args):
        return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True,
                              timeout=120)

    normalize = align("normalize", fifo)
    assert normalize.returncode == 2 and "not a regular file" in normalize.stderr
    run = align("run", fifo, tmp_path / "zero.txt", tmp_path / "ok.txt", "-o", tmp_path / "out", "-q")
    assert run.returncode == 0, run.stderr
    reasons = {s["file"]: s["reason"] for s in json.loads((tmp_path / "out" / "run.json").read_text())["skipped_files"]}
    assert reasons[str(fifo)].startswith("not a regular file") and reasons[str(tmp_path / "zero.txt")].startswith(
        "not a regular file")


def test_binary_bitext_and_binary_pair_input_are_input_errors(tmp_path):
    import subprocess
    import sys

    binary = tmp_path / "bin.tsv"
    binary.write_bytes(bytes(range(256)) * 4)
    (tmp_path / "ok.txt").write_text(PAIR, encoding="utf-8")
    en = tmp_path / "en.txt"
    en.write_text("She wears sunglasses.\n", encoding="utf-8")
    for args in (["run", tmp_path / "ok.txt", "-o", tmp_path / "out", "--bitext", binary],
                 ["pair", binary, en, "--presplit"], ["score", binary],
                 ["translate", binary, "--direction", "zh-en", "--engine", "file", "--mt-model", en]):
        proc = subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 2, (args, proc.stderr)
        said = [line for line in proc.stderr.splitlines() if line.strip() and "%|" not in line]  # a slow machine's progress bar aside
        assert len(said) == 1 and "internal error" not in proc.stderr, proc.stderr


def test_pair_reads_gb18030_input(tmp_path):
    import subprocess
    import sys

    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_bytes("她戴着太阳镜，涂着红色的口红。\n许多行人走来走去。\n".encode("gb18030"))
    en.write_text("She wears sunglasses and red lipstick.\nMany pedestrians walk about.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "align.cli", "pair", str(zh), str(en), "--presplit"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[0]:[0]", "[1]:[1]"]
