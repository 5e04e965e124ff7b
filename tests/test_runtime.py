"""One program with two faces: ``align run`` parses its options into a ``RunConfig`` (every
option lands in a field), the library composes and runs it (``align.runtime``), and the API
(``align.build_corpus``) writes the same files; ``run.json`` records one complete ``settings``
that ``align config`` writes back as the options."""

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

import align
from align.cli import cli, run
from align.config import RunConfig, recorded_options, run_config, run_options
from align.errors import InputError

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Each option of align run, with command-line arguments that give it a value other than its
# default: a new option without an entry here fails the test below until it lands in a field.
NON_DEFAULT = {
    "inputs": ["in", "other", "-o", "out"], "output": ["-o", "elsewhere"], "min_quality": ["--min-quality", "0.7"],
    "keep_rejected": ["--keep-rejected"], "dedup": ["--dedup", "near"], "formats": ["--format", "tsv"],
    "keep_unaligned_cues": ["--keep-unaligned-cues"], "cue_times": ["--cue-times", "zh"],
    "bitexts": ["--bitext", "tm.tsv"], "t2s_output": ["--t2s-output"],
    "zh_tag": ["--zh-tag", "zh-TW"], "en_tag": ["--en-tag", "en-GB"], "input_format": ["--input-format", "html"],
    "keep_extracted": ["--keep-extracted"], "encoder": ["--encoder", "e5"], "t2s": ["--t2s"],
    "glossaries": ["--glossary", "terms.tsv"], "fix": ["--fix", "han_latin_spacing"], "no_fix": ["--no-fix", "glossary"],
    "quality_model": ["--quality-model", "MODEL"], "no_rules": ["--no-rule", "identical"],
    "translate_mode": ["--translate", "none"], "mt_models": ["--mt-model", "zh-en=models/x"], "beams": ["--beams", "3"],
    "cache_dir": ["--cache-dir", "cache"], "overwrite": ["--overwrite"], "max_file_size": ["--max-file-size", "7"],
    "max_expanded_size": ["--max-expanded-size", "9"], "max_line_size": ["--max-line-size", "2"],
    "no_report": ["--no-report"], "tmx_units": ["--tmx-units", "sentence"], "mined_in_corpus": ["--mined-in-corpus"],
    "jsonl_layout": ["--jsonl-layout", "translation"], "executor_kind": ["--executor", "ray", "--workers", "2"],
    "address": ["--executor", "ray", "--address", "auto"], "workers": ["--executor", "ray", "--workers", "3"],
    "ray_timeout": ["--ray-timeout", "5"], "jobs": ["-j", "2"], "device": ["--device", "auto"],
    "pairs_manifest": ["--pairs", "pairs.tsv"], "no_name_pairing": ["--no-name-pairing"], "strict": ["--strict"],
    "quiet": ["-q"],
}
BASE = ["in", "-o", "out"]


def parsed(args: list[str]) -> dict:
    """The options of ``align run ARGS`` as the command parses them (min_quality None when not given)."""
    with run.make_context("run", list(args)) as ctx:
        params = dict(ctx.params)
        if ctx.get_parameter_source("min_quality").name == "DEFAULT":
            params["min_quality"] = None
        return params


def setting(value):
    """An option value as run.json and the TOML hold it (paths as text, tuples as lists)."""
    if isinstance(value, (tuple, list)):
        return [setting(v) for v in value]
    return str(value) if hasattr(value, "__fspath__") else value


def test_every_run_option_lands_in_a_field_and_comes_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("pairs.tsv", "MODEL", "terms.tsv"):
        (tmp_path / name).write_text("x\ty\n", encoding="utf-8")
    monkeypatch.setattr("align.score.judge.quality_model", lambda path: type("Model", (), {"threshold": None})())
    options = {p.name for p in run.params if p.expose_value}
    assert options == set(NON_DEFAULT)  # every option has a case here
    default = run_config(parsed(BASE))
    assert run_options(default.as_dict())["output"] == "out"
    for name, args in NON_DEFAULT.items():
        given = parsed((args if name == "inputs" else BASE + args) if name != "output" else ["in"] + args)
        config = run_config(given)
        assert config != default, name  # the option changed a field
        back = run_options(json.loads(json.dumps(config.as_dict())))  # through run.json
        assert setting(given[name]) == back.get(name, None if given[name] is not False else False), name


def test_the_quality_models_threshold_is_the_default_min_quality_only_when_none_is_given(tmp_path):
    model = tmp_path / "model.json"
    model.write_text(json.dumps({"threshold": 0.81}), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("align.score.judge.quality_model", lambda path: type("M", (), {"threshold": 0.81})())
        assert run_config(parsed(BASE + ["--quality-model", str(model)])).select.min_quality == 0.81
        assert run_config(parsed(BASE + ["--quality-model", str(model), "--min-quality", "0.2"])).select.min_quality == 0.2
    assert run_config(parsed(BASE)).select.min_quality == 0.5


def test_std_output_runs_write_only_the_corpus_jsonl_with_every_pair():
    out = run_config(parsed(["in", "-o", "-", "--format", "tmx"])).output
    assert (out.formats, out.review, out.mined_in_corpus, out.to_stdout) == (("jsonl",), False, True, True)


def test_tmx_inputs_are_bitext_in_the_config_and_in_the_api():
    config = run_config(parsed(["docs", "tm.tmx", "-o", "out"]))
    assert (config.inputs, config.bitext) == (("docs",), ("tm.tmx",))


def test_old_run_json_with_options_is_still_read_and_a_partial_one_is_refused():
    assert recorded_options({"settings": {"encoder": "use"}, "options": {"min_quality": 0.6}}) == {"min_quality": 0.6}
    with pytest.raises(InputError, match="no complete settings"):
        recorded_options({"settings": {"encoder": "use"}})


FILES = ("corpus.tmx", "corpus.jsonl", "mined.tmx", "mined.jsonl", "unaligned.jsonl", "edits.jsonl")


def test_build_corpus_writes_the_bytes_align_run_writes_and_align_config_reads_both(seed_run, seeded_cache, seeds_dir,
                                                                                   tmp_path):
    out = tmp_path / "api"
    built = align.build_corpus([seeds_dir], RunConfig(cache_dir=str(seeded_cache)))
    report = built.write(out)
    assert all((seed_run / name).is_file() for name in FILES)
    for name in FILES:
        assert (out / name).read_bytes() == (seed_run / name).read_bytes(), name
    assert report["settings"]["output"]["folder"] == str(out) and "options" not in report
    runner = CliRunner()
    from_api, from_cli = (runner.invoke(cli, ["config", str(folder)]) for folder in (out, seed_run))
    assert from_api.exit_code == from_cli.exit_code == 0
    api_options, cli_options = (tomllib.loads(shown.output) for shown in (from_api, from_cli))
    assert (api_options.pop("output"), cli_options.pop("output")) == (str(out), str(seed_run))
    assert (api_options.pop("cache_dir"), api_options.pop("quiet"), cli_options.pop("quiet")) == (str(seeded_cache), False,
                                                                                              True)
    assert api_options == cli_options and api_options["inputs"] == [str(seeds_dir)]


def test_a_folder_written_from_python_replays_with_align_config(tmp_path, seeded_cache):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.zh.txt").write_text("她戴着太阳镜。她自信而随意地走着。", encoding="utf-8")
    (folder / "a.en.txt").write_text("She wears sunglasses. She walks confidently and casually.", encoding="utf-8")
    config = RunConfig(cache_dir=str(seeded_cache))
    config = replace(config, output=replace(config.output, formats=("tsv", "jsonl"), review=False))
    align.build_corpus([folder], config).write(tmp_path / "first")
    shown = CliRunner().invoke(cli, ["config", str(tmp_path / "first")])
    assert shown.exit_code == 0 and 'formats = ["tsv", "jsonl"]' in shown.output and "no_report = true" in shown.output
    (tmp_path / "run.toml").write_text(shown.output, encoding="utf-8")
    again = CliRunner().invoke(cli, ["run", "--config", str(tmp_path / "run.toml"), "-o", str(tmp_path / "again"), "-q"])
    assert again.exit_code == 0, again.output
    for name in ("corpus.tsv", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
    assert not (tmp_path / "again" / "report.html").exists()


def test_a_warm_worker_has_its_model_and_word_lists_loaded_and_a_broken_model_waits_for_its_task(tmp_path):
    import wordfreq

    from align.errors import ModelError
    from align.tasks import WorkerSpec, worker_context

    wordfreq.get_frequency_dict.cache_clear()
    context = worker_context(WorkerSpec("use"), warm=True)
    assert context.encoder._model is not None  # loaded before any task
    assert wordfreq.get_frequency_dict.cache_info().currsize >= 7  # English and the six Latin-script neighbours
    broken = tmp_path / "st"
    broken.mkdir()
    context = worker_context(WorkerSpec(f"st:{broken}"), warm=True)  # no error as the worker starts
    with pytest.raises(ModelError, match="not a sentence-transformers model folder|no such model folder"):
        context.encoder.embed_batch(["a"])


def test_the_cache_does_not_sync_the_disk_on_every_commit(tmp_path):
    from align.kvstore import KeyValueStore

    store = KeyValueStore(tmp_path / "c.sqlite", "t")
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL (WAL stays consistent)
    store.put_many({"k": b"v"})
    assert store.get_many(["k"]) == {"k": b"v"}


TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" '
       'segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body>'
       '<tu><tuv xml:lang="zh-CN"><seg>保存文件。</seg></tuv><tuv xml:lang="en-US"><seg>Save the file.</seg></tuv></tu>'
       '</body></tmx>\n')


def test_the_inputs_are_walked_once_and_each_file_classified_once(tmp_path, monkeypatch):
    import align.ingest
    import align.ingest.strings
    from align.run import read_inputs

    from .test_keyed import project

    project(tmp_path / "in")
    (tmp_path / "in" / "docs").mkdir()
    (tmp_path / "in" / "docs" / "a.zh.txt").write_text("她戴着太阳镜。", encoding="utf-8")
    (tmp_path / "in" / "docs" / "a.en.txt").write_text("She wears sunglasses.", encoding="utf-8")
    (tmp_path / "in" / "tm.tmx").write_text(TMX, encoding="utf-8")
    walks, classified = [], []
    walk, is_string_file = align.ingest.walk_inputs, align.ingest.strings.is_string_file
    monkeypatch.setattr(align.ingest, "walk_inputs", lambda *a: walks.append(a) or walk(*a))
    monkeypatch.setattr(align.ingest.strings, "is_string_file", lambda p, r: classified.append(p) or is_string_file(p, r))
    prepared, bitext, keyed = read_inputs([tmp_path / "in"], RunConfig())
    assert len(walks) == 1 and len(classified) == len(set(classified))  # one walk, each file looked at once
    assert {d.name for d in prepared.documents} >= {"docs/a.zh.txt", "docs/a.en.txt"}
    assert len(bitext.parts) == 1 and len(keyed.parts) >= 6


def test_input_files_are_read_as_tasks_with_the_ids_a_reading_in_turn_gives(tmp_path):
    from align.ingest import read_files, walk_inputs
    from align.mapper import InProcess

    class Recording(InProcess):
        def __init__(self, same_machine):
            super().__init__()
            self.same_machine, self.tasks = same_machine, []

        def map(self, task, items, desc, progress=None):
            self.tasks += [(desc, item.path.name) for item in items]
            return super().map(task, items, desc, progress)

    for folder, first in (("a", b"\x00\x01binary\x00" * 50), ("b", "她戴着太阳镜。".encode())):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_bytes(first if folder == "a" else "She wears sunglasses.".encode())
    found = walk_inputs([tmp_path / "a", tmp_path / "b"], [])
    mapper = Recording(same_machine=True)
    documents, skipped = read_files(found, [], mapper=mapper)
    assert [d.doc_id for d, _ in documents] == ["x.txt"] and len(skipped) == 1  # a's x.txt unread: b's takes its id
    assert sorted(mapper.tasks) == [("read", "x.txt"), ("read", "x.txt")]
    (tmp_path / "a" / "x.txt").write_text("她戴着太阳镜。", encoding="utf-8")
    documents, _ = read_files(found, [], mapper=Recording(same_machine=True))
    assert [d.doc_id for d, _ in documents] == ["x.txt", "x.txt_"]
    remote = Recording(same_machine=False)  # a Ray cluster's nodes may not see the files: read here
    assert [d.doc_id for d, _ in read_files(found, [], mapper=remote)[0]] == ["x.txt", "x.txt_"] and not remote.tasks
