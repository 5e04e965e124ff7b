"""--config TOML files: align config writes a run's settings, align run --config replays them."""

import pytest
from click.testing import CliRunner

from align.cli import cli

from .test_output_folder import inputs  # noqa: F401 - the fixture


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_run_replayed_from_its_config_writes_the_same_files(inputs, tmp_path):  # noqa: F811
    first = tmp_path / "first"
    assert invoke("run", inputs, "-o", first, "-q", "--min-quality", "0.6", "--format", "tsv",
                  "--format", "jsonl").exit_code == 0
    shown = invoke("config", first)
    assert shown.exit_code == 0 and 'min_quality = 0.6' in shown.output
    config = tmp_path / "run.toml"
    config.write_text(shown.output, encoding="utf-8")
    again = tmp_path / "again"
    assert invoke("run", "--config", config, "-o", again).exit_code == 0  # the command line wins: -o
    for name in ("corpus.jsonl", "corpus.tsv", "unaligned.jsonl", "edits.jsonl"):
        assert (again / name).read_bytes() == (first / name).read_bytes()
    assert not (again / "corpus.tmx").exists()


def test_the_command_line_wins_over_the_file_and_unknown_keys_are_errors(inputs, tmp_path):  # noqa: F811
    config = tmp_path / "run.toml"
    config.write_text(f'inputs = ["{inputs}"]\nmin_quality = 0.99\nformats = ["tsv"]\nquiet = true\n', encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("run", "--config", config, "-o", out, "--min-quality", "0").exit_code == 0
    assert len((out / "corpus.tsv").read_text(encoding="utf-8").splitlines()) == 1 + 3  # the header line and 3 pairs
    config.write_text('min_qualty = 0.5\n', encoding="utf-8")
    result = invoke("run", "--config", config, "-o", tmp_path / "o2")
    assert result.exit_code == 2 and "unknown setting 'min_qualty'" in result.output
