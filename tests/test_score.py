import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.score.hardrules import broken_rules, chinese_numeral_value, number_mismatch

from .conftest import DATA

SCORE = DATA / "score"


def sacrebleu_cli(hyp, ref, lang):
    """Scores printed by sacrebleu's own command line (one call per metric, score only)."""

    def one(*metric_args):
        args = [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-b", "-w", "2", *metric_args]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()

    zh = lang == "zh"
    return {
        "BLEU": one("-m", "bleu", *(["--tokenize", "zh"] if zh else [])),
        "chrF": one("-m", "chrf"),
        "chrF++": one("-m", "chrf", "--chrf-word-order", "2"),
        "TER": one("-m", "ter", *(["--ter-asian-support"] if zh else [])),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_corpus_scores_equal_sacrebleu_command_line(lang):
    hyp, ref = SCORE / f"hyp.{lang}", SCORE / f"ref.{lang}"
    result = CliRunner().invoke(cli, ["score", "--hyp", str(hyp), "--ref", str(ref), "--target-lang", lang])
    assert result.exit_code == 0, result.output
    ours = {line.split()[0]: line.split()[1] for line in result.output.splitlines()}
    assert ours == sacrebleu_cli(hyp, ref, lang)
    signatures = [line.split()[2] for line in result.output.splitlines()]
    assert all("version:" in s for s in signatures)
    if lang == "zh":
        assert "tok:zh" in signatures[0] and "asian:yes" in signatures[3]


def test_sentence_scores_and_json_format():
    result = CliRunner().invoke(cli, ["score", "--hyp", str(SCORE / "hyp.en"), "--ref", str(SCORE / "ref.en"),
                                      "--target-lang", "en", "--format", "json", "--sentence"])
    assert result.exit_code == 0
    text = result.output
    corpus = json.loads(text[: text.index("]") + 1])
    assert [m["metric"] for m in corpus] == ["BLEU", "chrF", "chrF++", "TER"]
    rows = [json.loads(line) for line in text[text.index("]") + 1 :].split("\n") if line.strip()]
    assert len(rows) == 5 and rows[2]["BLEU"] == 100.0


@pytest.mark.parametrize("content, message", [
    ("one line\n", "5 lines, but the hypothesis has 1"),
    ("", "empty file"),
], ids=["mismatched-line-counts", "empty-file"])
def test_bad_hypothesis_file_is_an_error(tmp_path, content, message):
    hyp = tmp_path / "hyp.txt"
    hyp.write_text(content)
    proc = subprocess.run([sys.executable, "-m", "align.cli", "score", "--hyp", str(hyp), "--ref", str(SCORE / "ref.en"),
                           "--target-lang", "en"], capture_output=True, text=True)
    assert proc.returncode == 2 and message in proc.stderr


def test_reference_free_mode_is_labelled_as_estimates():
    result = CliRunner().invoke(cli, ["score", "--src", str(SCORE / "ref.zh"), "--hyp", str(SCORE / "hyp.en")])
    assert result.exit_code == 0
    assert "ESTIMATES" in result.output and "embedding cosine" in result.output


def test_rescoring_a_tmx_from_run_gives_the_same_quality(seed_run, tmp_path):
    out = tmp_path / "rescored.jsonl"
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.tmx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    original = [json.loads(line) for line in (seed_run / "corpus.jsonl").read_text().splitlines()]
    rescored = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["quality"] for r in rescored] == [r["quality"] for r in original]


def test_rescoring_filters_and_writes_tmx(seed_run, tmp_path):
    out = tmp_path / "filtered.tmx"
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.jsonl"), "--min-quality", "0.95", "-o", str(out)])
    assert result.exit_code == 0
    from align.io.tmx import read_tmx

    units = read_tmx(out)
    assert units and all(float(dict(u.props)["x-quality"]) >= 0.95 for u in units)


def test_foreign_tmx_is_rescored(tmp_path):
    foreign = tmp_path / "other.tmx"
    foreign.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
        'segtype="sentence" o-tmf="x" adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="zh-CN"><seg>她戴着太阳镜。</seg></tuv><tuv xml:lang="en-US"><seg>She wears sunglasses.</seg></tuv></tu>'
        '<tu><tuv xml:lang="zh-CN"><seg>许多行人走来走去。</seg></tuv><tuv xml:lang="en-US"><seg>The stock fell 5%.</seg></tuv></tu>'
        "</body></tmx>", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["score", str(foreign), "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0]["quality"] > 0.9 > rows[1]["quality"]


@pytest.mark.parametrize(
    "zh, en, rules",
    [
        ("售出520份", "sold 520 copies", ()),
        ("售出520份", "sold 250 copies", ("number_mismatch",)),
        ("售出二十五份", "sold 25 copies", ()),
        ("见 https://openai.com", "see https://sora.com", ("url_mismatch",)),
        ("Sora", "Sora", ("identical", "wrong_language")),
        ("。。。", "...", ("empty_or_punctuation", "wrong_language")),
        ("她戴着太阳镜。", "Elle porte des lunettes de soleil et un rouge à lèvres.", ("wrong_language",)),
    ],
)
def test_hard_rules(zh, en, rules):
    assert broken_rules(zh, en, 3.0) == rules


def test_chinese_numerals():
    assert chinese_numeral_value("一千二百三十四") == 1234
    assert chinese_numeral_value("两万") == 20000
    assert not number_mismatch("５００人", "500 people")
