"""A stable output schema: every record has the same keys whatever the options, and matches
the JSON Schema that ships with the package."""

import json
from importlib import resources

import jsonschema
from click.testing import CliRunner

from align.cli import cli

from .conftest import SEEDS, pair_records


def schema(name):
    return json.loads(resources.files("align").joinpath("data", "schema", f"{name}.schema.json").read_text())


def validator(name):
    """A validator of the shipped schema ``name``, the schema checked once (``jsonschema.validate``
    checks the schema again for every record: 45 times slower)."""
    found = schema(name)
    checker = jsonschema.validators.validator_for(found)
    checker.check_schema(found)
    return checker(found)


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_two_runs_with_different_options_share_one_schema(seed_run, tmp_path):
    other = tmp_path / "other"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(other), "-q", "--keep-rejected", "--min-quality",
                                      "0", "--zh-tag", "zh-CN", "--cache-dir", str(seed_run / ".align-cache")])
    assert result.exit_code == 0, result.output
    corpus, unaligned = validator("corpus"), validator("unaligned")
    keys = set()
    for folder in (seed_run, other):
        for record in pair_records(folder):
            corpus.validate(record)
            keys.add(tuple(record) + tuple(record["signals"]))
        for record in records(folder / "unaligned.jsonl"):
            unaligned.validate(record)
    assert len(keys) == 1  # datasets can load both runs together
    rejected = [r for r in pair_records(other) if r["rejected_by"]]
    assert rejected and all(r["rule_details"] for r in rejected)


def test_the_hugging_face_translation_layout(seed_run, tmp_path):
    out = tmp_path / "hf"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(out), "-q", "--jsonl-layout", "translation",
                                      "--cache-dir", str(seed_run / ".align-cache")])
    assert result.exit_code == 0, result.output
    hf, ours = records(out / "corpus.jsonl"), records(seed_run / "corpus.jsonl")
    translation = validator("translation")
    for record in hf:
        translation.validate(record)
    assert [(r["translation"]["zh-CN"], r["translation"]["en-US"]) for r in hf] == [(r["zh"], r["en"]) for r in ours]
    rescored = CliRunner().invoke(cli, ["score", str(out / "corpus.jsonl"), "--format", "json"])
    assert rescored.exit_code == 0, rescored.output
    assert json.loads(rescored.stdout)["pairs"] == len(hf)
