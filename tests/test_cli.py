import json

import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import cli

from .account import accounted
from .conftest import DATA, SEEDS, pair_records

TOKYO_EN = [
    "A stylish woman walks down a Tokyo street filled with warm glowing neon and animated city signage.",
    "She wears a black leather jacket, a long red dress, and black boots, and carries a black purse.",
    "She wears sunglasses and red lipstick.",
    "She walks confidently and casually.",
    "The street is damp and reflective, creating a mirror effect of the colorful lights.",
    "Many pedestrians walk about.",
]


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_writes_every_output(seed_run):
    for name in ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl", "run.json"):
        assert (seed_run / name).stat().st_size > 0, name


def test_nothing_is_lost(seed_run):
    report = json.loads((seed_run / "run.json").read_text())
    pairs = pair_records(seed_run)
    assert {p["method"] for p in read_jsonl(seed_run / "mined.jsonl")} == {"mined"}
    assert "mined" not in {p["method"] for p in read_jsonl(seed_run / "corpus.jsonl")}
    unaligned = read_jsonl(seed_run / "unaligned.jsonl")
    in_pairs = [i for p in pairs for i in p["zh_ids"] + p["en_ids"]]
    left = [u["id"] for u in unaligned]
    assert len(in_pairs) + len(left) == report["counts"]["sentences"]
    assert len(set(in_pairs) | set(left)) == report["counts"]["sentences"]
    assert not set(in_pairs) & set(left)
    for doc, counts in report["documents"].items():
        assert counts["sentences"] == counts["in_pairs"] + counts["unaligned"], doc
    assert all(u["reason"] for u in unaligned)


def test_tokyo_prompt_is_paired_one_to_one(seed_run):
    pairs = read_jsonl(seed_run / "corpus.jsonl")
    tokyo = [p for p in pairs if p["en"] in TOKYO_EN]
    assert [p["en"] for p in tokyo] == TOKYO_EN
    assert all(p["shape"] == "1-1" and p["method"] == "parallel" for p in tokyo)
    assert tokyo[0]["zh"].startswith("一个时髦的女人走在东京的街道上")
    assert tokyo[-1]["zh"] == "许多行人走来走去。"
    others = [p["quality"] for p in pair_records(seed_run) if p["en"] not in TOKYO_EN]
    assert min(p["quality"] for p in tokyo) > max(others)


def test_records_carry_provenance_and_scores(seed_run):
    pair = read_jsonl(seed_run / "corpus.jsonl")[0]
    assert set(pair["signals"]) >= {"cosine", "margin", "length_deviation", "garble"}
    prov = pair["provenance"]["zh"][0]
    text = (SEEDS / prov["file"].rsplit("/", 1)[-1]).read_text(encoding="utf-8")
    # Offsets point into the original file (before normalization): normalizing that span
    # gives the sentence back.
    from align.normalize import normalize_text

    first = pair["zh"] if len(pair["zh_ids"]) == 1 else None
    span = text[prov["start"]:prov["end"]]
    assert span and span[0] == pair["zh"][0]
    if first:
        assert normalize_text(span, "zh").text == first


def test_tmx_validates_and_matches_jsonl(seed_run):
    from translate.storage import tmx as ttk

    tree = etree.parse(str(seed_run / "corpus.tmx"))
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log
    header = tree.find("header")
    for attr in ("srclang", "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "datatype"):
        assert header.get(attr)
    store = ttk.tmxfile.parsefile(str(seed_run / "corpus.tmx"))
    pairs = read_jsonl(seed_run / "corpus.jsonl")
    assert [(u.source, u.target) for u in store.units] == [(p["zh"], p["en"]) for p in pairs]
    props = {p.get("type") for p in tree.iter("prop")}
    assert {"x-quality", "x-bead", "x-zh-documents", "x-en-documents"} <= props


def test_runs_are_byte_identical(seed_run, tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0
    for name in ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl"):
        assert (tmp_path / name).read_bytes() == (seed_run / name).read_bytes(), name


def test_min_quality_moves_pairs_to_unaligned(tmp_path, seeded_cache):
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path / "out"), "-q", "--min-quality", "0.95",
                                      "--cache-dir", str(seeded_cache)])
    tmp_path = tmp_path / "out"
    assert result.exit_code == 0
    pairs = read_jsonl(tmp_path / "corpus.jsonl")
    assert pairs and all(p["quality"] >= 0.95 for p in pairs)
    dropped = [u for u in read_jsonl(tmp_path / "unaligned.jsonl") if u["reason"] == "below_min_quality"]
    assert dropped
    accounted(tmp_path, SEEDS)


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "does-not-exist", "-o", "OUT"], "no such file or folder"),
        (["run", "EMPTY", "-o", "OUT"], "no input files found"),
        (["run", "ONLY_EN", "-o", "OUT"], "no Chinese text found"),
        (["run", "SEEDS", "-o", "FILE"], "exists and is not a folder"),
        (["run", "SEEDS", "-o", "OUT", "--encoder", "bogus"], "unknown encoder"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "ONLY_EN").mkdir()
    (tmp_path / "ONLY_EN" / "a.txt").write_text("Only English here. Nothing else.", encoding="utf-8")
    (tmp_path / "FILE").write_text("x")
    mapping = {"OUT": str(tmp_path / "out"), "EMPTY": str(tmp_path / "EMPTY"), "ONLY_EN": str(tmp_path / "ONLY_EN"),
               "FILE": str(tmp_path / "FILE"), "SEEDS": str(SEEDS)}
    argv = [mapping.get(a, a) for a in args] + (["-q"] if args[0] == "run" else [])  # no progress bar on a slow machine
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "align.cli", *argv], capture_output=True, text=True)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_binary_file_among_good_ones_is_skipped_and_listed(tmp_path, seeds_copy, seeded_cache):
    (seeds_copy / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(seeds_copy), "-o", str(out), "-q", "--strict",
                                      "--cache-dir", str(seeded_cache)])
    assert result.exit_code == 1
    report = json.loads((out / "run.json").read_text())
    assert [s["file"].rsplit("/", 1)[-1] for s in report["skipped_files"]] == ["photo.jpg"]
    assert report["counts"]["pairs_exported"] > 0


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    import click

    def commands(group, prefix):
        for name, command in group.commands.items():
            yield prefix + [name]
            if isinstance(command, click.Group):
                yield from commands(command, prefix + [name])

    for path in commands(cli, []):
        result = runner.invoke(cli, path + ["--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, path
    assert "Example" in runner.invoke(cli, ["--help"]).output


def test_normalize_explain_shows_edits():
    result = CliRunner().invoke(cli, ["normalize", str(SEEDS / "003_33bbebf178b5b090.txt"), "--explain"])
    assert result.exit_code == 0
    assert "masked_words" in result.output and "'D**e'" not in result.output
    assert "'saidChinese'" not in result.output and "run_together_sentences" in result.output


def test_pair_and_eval(tmp_path):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("她戴着太阳镜，涂着红色的口红。\n她自信而随意地走着。\n许多行人走来走去。\n", encoding="utf-8")
    en.write_text("She wears sunglasses and red lipstick.\nShe walks confidently and casually.\nMany pedestrians walk about.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pair", str(zh), str(en), "--presplit"])
    assert result.exit_code == 0
    assert result.output.split() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    trans = tmp_path / "trans.txt"
    trans.write_text("She wears sunglasses and applies red lipstick.\nShe walks confidently.\nMany people walk around.\n")
    with_mt = CliRunner().invoke(cli, ["pair", str(zh), str(en), "--presplit", "--src-trans", str(trans), "--format", "tsv"])
    assert with_mt.exit_code == 0
    assert [line.split("\t")[0] for line in with_mt.output.splitlines()] == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    trans.write_text("only one line\n")
    bad = CliRunner().invoke(cli, ["pair", str(zh), str(en), "--presplit", "--src-trans", str(trans)])
    assert bad.exit_code != 0
    (tmp_path / "gold.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n")
    (tmp_path / "test.align").write_text(result.output)
    out = CliRunner().invoke(cli, ["eval", str(tmp_path / "gold.align"), str(tmp_path / "test.align")])
    assert "strict P 1.0000 R 1.0000 F1 1.0000" in out.output


def test_corpus_formats_tsv_and_moses(seed_run, tmp_path):
    out = tmp_path / "out"
    cache = seed_run / ".align-cache"  # the seed run's embeddings
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(out), "-q", "--format", "tsv", "--format", "moses",
                                      "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    pairs = read_jsonl(seed_run / "corpus.jsonl")
    header, *rows = [line.split("\t") for line in (out / "corpus.tsv").read_text(encoding="utf-8").splitlines()]
    assert header == ["zh", "en", "quality", "method", "margin", "garble"]
    assert [(r[0], r[1], float(r[2]), r[3], float(r[4]), float(r[5])) for r in rows] == [
        (p["zh"], p["en"], p["quality"], p["method"], p["signals"]["margin"], p["signals"]["garble"]) for p in pairs]
    assert (out / "corpus.zh").read_text(encoding="utf-8").splitlines() == [p["zh"] for p in pairs]
    assert (out / "corpus.en").read_text(encoding="utf-8").splitlines() == [p["en"] for p in pairs]
    assert not (out / "corpus.tmx").exists() and not (out / "corpus.jsonl").exists()
    assert json.loads((out / "run.json").read_text())["outputs"][:3] == ["corpus.tsv", "corpus.zh", "corpus.en"]


def test_score_output_format_comes_from_the_extension(seed_run, tmp_path):
    tsv = tmp_path / "kept.tsv"
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.jsonl"), "-o", str(tsv)])
    assert result.exit_code == 0, result.output
    assert all(len(line.split("\t")) == 6 for line in tsv.read_text(encoding="utf-8").splitlines())
    unknown = tmp_path / "kept.out"
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.jsonl"), "-o", str(unknown)])
    from align.errors import ConfigurationError

    assert isinstance(result.exception, ConfigurationError) and not unknown.exists()
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.jsonl"), "-o", str(unknown), "--output-format", "moses"])
    assert result.exit_code == 0 and (tmp_path / "kept.out.zh").is_file()


def test_dedup_keeps_one_copy_and_loses_no_sentence(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    zh = "".join(f"{line}\n" for line in ["一个时髦的女人走在东京的街道上。", "她戴着太阳镜，涂着红色的口红。", "许多行人走来走去。"])
    en = "".join(f"{line}\n" for line in TOKYO_EN[:1] + TOKYO_EN[2:3] + TOKYO_EN[5:6])
    for n in range(3):
        (folder / f"copy{n}.txt").write_text(zh + "\n" + en, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "-q", "--dedup", "--min-quality", "0"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run.json").read_text())
    pairs = read_jsonl(out / "corpus.jsonl")
    assert len({(p["zh"], p["en"]) for p in pairs}) == len(pairs) == 3
    assert report["counts"]["pairs_duplicate"] == 6
    assert report["counts"]["unaligned_by_reason"]["duplicate"] == 12
    accounted(out, folder)


def test_usage_errors_and_warnings_are_one_printable_line(tmp_path, seeded_cache):
    import subprocess
    import sys

    def align(*args):
        return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True)

    bad_tag = align("run", SEEDS, "-o", tmp_path / "o", "--en-tag", "en\vUS")
    assert bad_tag.returncode == 2 and len(bad_tag.stderr.strip().splitlines()) == 1
    assert "\\x0b" in bad_tag.stderr and "\v" not in bad_tag.stderr
    missing = align("run")
    assert missing.returncode == 2 and missing.stderr.strip().splitlines() == [
        "align: error: Missing option '-o' / '--output'. (see align run --help)"]
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "bad\nname\a.txt").write_bytes(b"\0\1\2")
    run = align("run", folder, "-o", tmp_path / "out", "-q", "--cache-dir", seeded_cache)
    warnings = [line for line in run.stderr.splitlines() if "warning" in line]
    assert warnings == [f"align: warning: skipped {folder}/bad\\nname\\x07.txt: binary content (NUL bytes)"]


def test_mined_pairs_are_apart_unless_asked(seed_run, tmp_path):
    mined = read_jsonl(seed_run / "mined.jsonl")
    assert mined and "mined.tmx" in json.loads((seed_run / "run.json").read_text())["outputs"]
    from align.io.tmx import read_tmx

    assert len(read_tmx(seed_run / "mined.tmx")) == len(mined)
    together = tmp_path / "together"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(together), "-q", "--mined-in-corpus",
                                      "--cache-dir", str(seed_run / ".align-cache")])
    assert result.exit_code == 0, result.output
    assert not (together / "mined.jsonl").exists() and not (together / "mined.tmx").exists()
    together_ids = [p["id"] for p in read_jsonl(together / "corpus.jsonl")]
    assert len(together_ids) == len(pair_records(seed_run)) and set(together_ids) == {p["id"] for p in pair_records(seed_run)}


def test_tmx_units_sentence_keeps_the_units_a_cat_tool_retrieves(seed_run, tmp_path):
    from lxml import etree

    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    beads = etree.parse(str(seed_run / "mined.tmx"))
    assert dtd.validate(beads), dtd.error_log
    shapes = {tu.get("tuid"): dict((p.get("type"), p.text) for p in tu.findall("prop"))["x-bead"] for tu in beads.iter("tu")}
    assert {tu.get("segtype") for tu in beads.iter("tu") if shapes[tu.get("tuid")] != "1-1"} == {"block"}
    assert {tu.get("segtype") for tu in beads.iter("tu") if shapes[tu.get("tuid")] == "1-1"} == {None}  # the header's
    out = tmp_path / "sentences"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(out), "-q", "--tmx-units", "sentence",
                                      "--cache-dir", str(seed_run / ".align-cache")])
    assert result.exit_code == 0, result.output
    sentences = etree.parse(str(out / "mined.tmx"))
    assert dtd.validate(sentences), dtd.error_log
    assert sorted(tu.get("tuid") for tu in sentences.iter("tu")) == sorted(t for t, s in shapes.items() if s == "1-1")
    assert len(read_jsonl(out / "mined.jsonl")) == len(shapes)  # the other formats keep every bead


def test_no_progress_bar_where_stderr_is_not_a_terminal(monkeypatch):
    """A log file, a pipe or CI gets the summary, not bars redrawn with carriage returns."""
    import io

    from align.cli import _progress

    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    bar = _progress(False)(range(3), desc="read")
    assert bar.disable is True
    list(bar)
    bar.close()
    assert piped.getvalue() == ""
