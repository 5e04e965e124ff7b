"""TSV as other tools write it: a header line, more than two columns, column choice, the score appended."""

import json

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import InputError
from align.io.corpus import TsvLayout, read_bitext

BICLEANER = ("url1\turl2\tsrc\ttrg\n"
             "http://a/1\thttp://b/1\tShe wears sunglasses and red lipstick.\t她戴着太阳镜，涂着红色的口红。\n"
             "http://a/2\thttp://b/2\tMany pedestrians walk about.\t许多行人走来走去。\n")


def test_a_bicleaner_layout_file_is_read_with_its_header_and_columns(tmp_path):
    path = tmp_path / "crawl.tsv"
    path.write_text(BICLEANER, encoding="utf-8")
    bitext = read_bitext(path)
    assert bitext.tsv_header == ("url1", "url2", "src", "trg")
    assert [(p.zh, p.en) for p in bitext.entries] == [("她戴着太阳镜，涂着红色的口红。", "She wears sunglasses and red lipstick."),
                                                   ("许多行人走来走去。", "Many pedestrians walk about.")]
    assert read_bitext(path, TsvLayout(zh_col=4, en_col=3, header=True)).entries == bitext.entries


def test_columns_that_cannot_be_two_languages_are_an_error(tmp_path):
    path = tmp_path / "numbers.tsv"
    path.write_text("1\t2\t3\n4\t5\t6\n", encoding="utf-8")
    with pytest.raises(InputError, match="--zh-col N --en-col N"):
        read_bitext(path)
    with pytest.raises(InputError, match="do not fit"):
        read_bitext(path, TsvLayout(zh_col=1, en_col=7))


def test_the_score_is_appended_to_every_row_of_the_input(tmp_path):
    path, out = tmp_path / "crawl.tsv", tmp_path / "scored.tsv"
    path.write_text(BICLEANER, encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(path), "--scol", "4", "--tcol", "3", "-o", str(out),
                                      "--append-score", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kept"] == 2
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["url1", "url2", "src", "trg", "quality"]
    assert [r[:4] for r in rows[1:]] == [line.split("\t") for line in BICLEANER.splitlines()[1:]]
    assert all(0.5 < float(r[4]) <= 1 for r in rows[1:])


def test_the_summary_says_what_dropped_the_pairs(tmp_path):
    path = tmp_path / "urls.tsv"
    path.write_text("详情请参阅 https://kubernetes.io/docs/。\tSee https://kubernetes.io/docs/ for details.\n"
                    "见 https://k8s.io/a。\tSee https://k8s.io/b.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(path), "-q"])
    assert result.exit_code == 0, result.output
    assert "2 pairs rescored, 1 kept" in result.output and "dropped: 1 by url_mismatch" in result.output
    as_json = CliRunner().invoke(cli, ["score", str(path), "-q", "--format", "json"])
    assert json.loads(as_json.stdout)["rejected_by_rule"] == {"url_mismatch": 1}
