"""Translation engines on tiny random-weight Marian models built on the fly from the seeds."""

import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import InputError, ModelError
from align.translate import CachedTranslator, DecodeSettings, TranslationCache, get_translator
from .random_marian import build_random_marian

from .conftest import SEEDS

ZH = ["她戴着太阳镜。", "许多行人走来走去。", "Sora是一个AI视频模型。", "街道是潮湿和反光的，创造了一个五颜六色的灯的镜面效果。"]


def seed_lines(lang):
    from align.language import detect_language

    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [ln for ln in lines if detect_language(ln) == lang]


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    zh, en = seed_lines("zh"), seed_lines("en")
    build_random_marian(root / "tiny-zh-en", zh, en, "zh-en")
    build_random_marian(root / "tiny-en-zh", en, zh, "en-zh", source_pieces=600, target_pieces=1000)
    return root


@pytest.fixture(scope="module")
def ct2_dir(models_dir):
    result = CliRunner().invoke(cli, ["models", "convert", str(models_dir / "tiny-zh-en"), str(models_dir / "tiny-zh-en-ct2")])
    assert result.exit_code == 0, result.output
    return models_dir / "tiny-zh-en-ct2"


def test_one_output_per_input_in_order(models_dir):
    tr = get_translator("marian", "zh-en", models_dir / "tiny-zh-en", DecodeSettings(batch_size=2))
    forward = [t.text for t in tr.translate(ZH)]
    backward = [t.text for t in tr.translate(ZH[::-1])]
    assert len(forward) == len(ZH) and all(forward)
    assert backward[::-1] == forward
    assert [t.text for t in tr.translate(ZH)] == forward  # deterministic


def test_empty_lines_stay_empty(models_dir):
    tr = get_translator("marian", "zh-en", models_dir / "tiny-zh-en")
    out = tr.translate(["", ZH[0], "  "])
    assert out[0].text == "" and out[1].text and out[2].text == ""


def test_overlong_sentences_are_split_and_flagged(models_dir):
    tr = get_translator("marian", "zh-en", models_dir / "tiny-zh-en", DecodeSettings(max_input_tokens=12))
    long = "，".join(ZH[:1] * 6)
    [result] = tr.translate([long])
    assert result.flags == ("split",) and result.text
    assert len(tr.split_overlong(long)) > 1


def test_beams_change_the_search_in_align_translate_and_align_run(models_dir, tmp_path, seeded_cache):
    """Beam 4 finds other translations than beam 1 on this model, through both commands."""
    src = tmp_path / "in.zh"
    src.write_text("\n".join(ZH[:2]) + "\n", encoding="utf-8")
    model = str(models_dir / "tiny-zh-en")
    by_beams = {}
    for beams in ("1", "4"):
        result = CliRunner().invoke(cli, ["translate", str(src), "--direction", "zh-en", "--mt-model", model, "--beams", beams])
        assert result.exit_code == 0, result.output
        by_beams[beams] = result.output.splitlines()
    assert len(by_beams["4"]) == 2 and by_beams["1"] != by_beams["4"]
    inputs = tmp_path / "docs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ZH[0] + "\n" + ZH[1] + "\n\nShe wears sunglasses.\nMany pedestrians walk about.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q", "--min-quality", "0", "--beams", "4",
                                      "--mt-model", f"zh-en={model}", "--cache-dir", str(seeded_cache)])
    assert result.exit_code == 0, result.output
    found = {p["zh"]: p["zh_translation"] for p in map(json.loads, (out / "corpus.jsonl").read_text().splitlines())}
    found.update({u["text"]: u["translation"] for u in map(json.loads, (out / "unaligned.jsonl").read_text().splitlines())
                  if u["lang"] == "zh"})
    assert [found[z] for z in ZH[:2]] == by_beams["4"]


def test_cache_hits_on_rerun_and_changed_settings_recompute(models_dir, tmp_path):
    cache = TranslationCache(tmp_path / "t.sqlite")
    first = CachedTranslator(get_translator("marian", "zh-en", models_dir / "tiny-zh-en"), cache)
    out1 = first.translate(ZH)
    assert (first.hits, first.misses) == (0, len(ZH))
    second = CachedTranslator(get_translator("marian", "zh-en", models_dir / "tiny-zh-en"), cache)
    assert second.translate(ZH) == out1
    assert (second.hits, second.misses) == (len(ZH), 0)
    beams = CachedTranslator(get_translator("marian", "zh-en", models_dir / "tiny-zh-en", DecodeSettings(beams=2)), cache)
    beams.translate(ZH)
    assert beams.misses == len(ZH)


def _write_many(path, start):
    cache = TranslationCache(path)
    from align.translate import Translation

    for i in range(20):
        cache.put_many({f"k{start + i * 100 + j}": Translation(f"t{j}") for j in range(100)})


def test_concurrent_writers_do_not_corrupt_the_cache(tmp_path):
    path = tmp_path / "c.sqlite"
    TranslationCache(path)
    procs = [multiprocessing.get_context("spawn").Process(target=_write_many, args=(path, n * 10_000)) for n in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT COUNT(*) FROM translations_v2").fetchone()[0] == 4000


def test_ct2_engine_gives_the_same_interface(ct2_dir):
    tr = get_translator("ct2", "zh-en", ct2_dir)
    out = tr.translate(ZH)
    assert len(out) == len(ZH) and all(t.text for t in out)
    assert tr.translate(ZH[::-1])[::-1] == out


def test_ct2_float32_matches_marian(models_dir, tmp_path):
    from align.translate.store import convert

    exact = convert(models_dir / "tiny-zh-en", tmp_path / "ct2-f32", quantization="float32")
    from align.translate.engines import Ct2Translator

    ct2 = Ct2Translator(exact, "zh-en", compute_type="float32").translate(ZH)
    marian = get_translator("marian", "zh-en", models_dir / "tiny-zh-en").translate(ZH)
    assert [t.text for t in ct2] == [t.text for t in marian]


def test_clear_errors(models_dir, tmp_path):
    with pytest.raises(ModelError, match="no such model folder"):
        get_translator("marian", "zh-en", tmp_path / "missing")
    broken = tmp_path / "no-tokenizer"
    shutil.copytree(models_dir / "tiny-zh-en", broken)
    (broken / "source.spm").unlink()
    with pytest.raises(ModelError, match="no tokenizer"):
        get_translator("marian", "zh-en", broken)
    mismatched = tmp_path / "mismatched"
    shutil.copytree(models_dir / "tiny-zh-en", mismatched)
    vocab = json.loads((mismatched / "vocab.json").read_text())
    vocab = {k: v for k, v in vocab.items() if v < len(vocab) // 2}
    vocab["<pad>"] = len(vocab)
    (mismatched / "vocab.json").write_text(json.dumps(vocab))
    with pytest.raises(ModelError, match="does not match the model"):
        get_translator("marian", "zh-en", mismatched)


def test_file_engine_checks_line_count(tmp_path):
    path = tmp_path / "mt.txt"
    path.write_text("one\ntwo\n")
    tr = get_translator("file", "zh-en", path)
    assert [t.text for t in tr.translate(["a", "b"])] == ["one", "two"]
    with pytest.raises(InputError, match="2 lines, but there are 3"):
        tr.translate(["a", "b", "c"])


def test_translate_command(models_dir, tmp_path):
    src = tmp_path / "in.zh"
    src.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["translate", str(src), "--direction", "zh-en", "--mt-model", str(models_dir / "tiny-zh-en")])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == len(ZH)


def test_models_list_and_offline_pull(models_dir, ct2_dir):
    env = {**os.environ, "ALIGN_MODELS": str(models_dir), "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "0"}
    listed = subprocess.run([sys.executable, "-m", "align.cli", "models", "list"], capture_output=True, text=True, env=env)
    assert "tiny-zh-en " in listed.stdout and "ct2" in listed.stdout and "zh-en" in listed.stdout
    pulled = subprocess.run([sys.executable, "-m", "align.cli", "models", "pull", "zh-en"], capture_output=True, text=True,
                            env=env, cwd=models_dir)
    assert pulled.returncode == 2
    assert pulled.stderr.startswith("align: error: cannot download Helsinki-NLP/opus-mt-zh-en")
    assert len(pulled.stderr.strip().splitlines()) == 1


def test_run_fills_translations_and_rerun_uses_the_cache(models_dir, tmp_path, seeded_cache):
    # two of the seeds (a Chinese and an English one): the random models translate slowly, and
    # the size of the input is not what this checks
    two = [str(SEEDS / "004_8d7ed185ea0e00be.txt"), str(SEEDS / "002_995c6917baa853e1.txt")]
    args = ["run", *two, "-o", str(tmp_path / "out"), "-q", "--min-quality", "0", "--cache-dir", str(seeded_cache),
            "--mt-model", f"zh-en={models_dir / 'tiny-zh-en'}", "--mt-model", f"en-zh={models_dir / 'tiny-en-zh'}"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    report = json.loads((tmp_path / "out" / "run.json").read_text())
    for direction in ("zh-en", "en-zh"):
        info = report["translation"][direction]
        assert info["status"] == "done" and info["translated"] > 0
    pairs = [json.loads(line) for line in (tmp_path / "out" / "corpus.jsonl").read_text().splitlines()]
    assert pairs and all(p["zh_translation"] and p["en_translation"] for p in pairs)
    # every pair has both translations, so both MT signals are measured: numbers, not null
    assert all(isinstance(p["signals"][k], float) for p in pairs for k in ("mt_chrf_zh_en", "mt_chrf_en_zh"))
    assert CliRunner().invoke(cli, args).exit_code == 0
    report = json.loads((tmp_path / "out" / "run.json").read_text())
    for direction in ("zh-en", "en-zh"):
        info = report["translation"][direction]
        assert info["translated"] == 0 and info["from_cache"] == info["distinct_texts"] > 0


def test_run_without_models_skips_translation_or_fails_when_required(tmp_path, seeded_cache):
    env_store = tmp_path / "empty-store"
    env_store.mkdir()
    os.environ["ALIGN_MODELS"] = str(env_store)
    try:
        ok = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path / "a"), "-q", "--cache-dir", str(seeded_cache)])
        assert ok.exit_code == 0
        report = json.loads((tmp_path / "a" / "run.json").read_text())
        assert report["translation"]["zh-en"]["status"] == "skipped"
        failed = subprocess.run([sys.executable, "-m", "align.cli", "run", str(SEEDS), "-o", str(tmp_path / "b"), "-q",
                                 "--translate", "required"], capture_output=True, text=True)
        assert failed.returncode == 2 and "translation required" in failed.stderr
    finally:
        del os.environ["ALIGN_MODELS"]


def test_reference_free_round_trip_uses_the_reverse_model(models_dir):
    from .conftest import DATA

    score = DATA / "score"
    result = CliRunner().invoke(cli, ["score", "--src", str(score / "ref.zh"), "--hyp", str(score / "hyp.en"),
                                      "--mt-model", str(models_dir / "tiny-en-zh"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["estimate"] == "reference-free"
    assert isinstance(report["round_trip_chrf"], float) and "nc:6" in report["round_trip_signature"]


def test_batch_size_max_input_tokens_and_threads_reach_the_engine_from_align_translate(models_dir, tmp_path, monkeypatch):
    import torch

    from align.translate.engines import MarianTranslator

    batches, threads = [], []
    translate_batch = MarianTranslator._translate_batch
    monkeypatch.setattr(MarianTranslator, "_translate_batch", lambda self, texts: batches.append(list(texts))
                        or translate_batch(self, texts))
    monkeypatch.setattr(torch, "set_num_threads", threads.append)
    src = tmp_path / "in.zh"
    src.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    base = ["translate", str(src), "--direction", "zh-en", "--mt-model", str(models_dir / "tiny-zh-en")]
    plain = CliRunner().invoke(cli, base)
    assert plain.exit_code == 0, plain.output
    assert [len(b) for b in batches] == [len(ZH)] and threads == []  # defaults: one batch of 16, torch's threads
    batches.clear()
    small = CliRunner().invoke(cli, [*base, "--batch-size", "2", "--threads", "3"])
    assert small.exit_code == 0 and len(small.output.splitlines()) == len(ZH)
    assert [len(b) for b in batches] == [2, 2] and threads == [3]
    batches.clear()
    split = CliRunner().invoke(cli, [*base, "--max-input-tokens", "8"])
    assert split.exit_code == 0 and len(split.output.splitlines()) == len(ZH)
    pieces = [text for batch in batches for text in batch]
    assert len(pieces) > len(ZH) and ZH[3] not in pieces  # the long sentence went in clauses
    assert all(len(p) < len(ZH[3]) for p in pieces)


def test_models_convert_quantization_and_force_on_the_command_line(models_dir, tmp_path):
    out = tmp_path / "ct2"
    made = CliRunner().invoke(cli, ["models", "convert", str(models_dir / "tiny-zh-en"), str(out), "--quantization", "float32"])
    assert made.exit_code == 0, made.output
    assert json.loads((out / "align-model.json").read_text())["quantization"] == "float32"
    float32_bytes = (out / "model.bin").stat().st_size
    again = CliRunner().invoke(cli, ["models", "convert", str(models_dir / "tiny-zh-en"), str(out)])
    assert isinstance(again.exception, ModelError) and "--force" in str(again.exception)
    forced = CliRunner().invoke(cli, ["models", "convert", str(models_dir / "tiny-zh-en"), str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads((out / "align-model.json").read_text())["quantization"] == "int8"
    assert (out / "model.bin").stat().st_size * 2 < float32_bytes  # int8 weights: a quarter of the bytes
