"""Options of `align --help` that no test exercised, each through the command line and each
with an assertion that fails when the option is ignored (tests/README_PROMISES.md lists every
command and option with its tests): normalize --lang/--glossary/--t2s; run
--glossary/--fix/--no-fix/--no-rule and --max-expanded-size/--max-line-size; split
--seed/--overwrite; apply --overwrite; report --pages; eval --per-file; score
--header/--no-header; pair --src-lang/--mt-weight; calibrate --threshold-by/--keep-right/
--target-precision/--signals/--seed."""

import gzip
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from align.cli import cli
from align.errors import InputError

from .account import accounted

LAW = Path(__file__).resolve().parent.parent / "bench" / "data" / "constitution-zh-en.tsv"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# align normalize ----------------------------------------------------------------------------

def test_normalize_lang_glossary_and_t2s(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text("He met Laoban Wang at the door, and they talked.\n", encoding="utf-8")
    glossary = tmp_path / "mine.tsv"
    glossary.write_text("Laoban\tthe boss\tpinyin calque\n", encoding="utf-8")
    assert invoke("normalize", en).output == "He met Laoban Wang at the door, and they talked.\n"
    assert invoke("normalize", en, "--glossary", glossary).output == "He met the boss Wang at the door, and they talked.\n"
    traditional = tmp_path / "tw.txt"
    traditional.write_text("這是一個關於軟體的問題。\n", encoding="utf-8")
    assert invoke("normalize", traditional).output == "這是一個關於軟體的問題。\n"
    assert invoke("normalize", traditional, "--t2s").output == "这是一个关于软体的问题。\n"
    mixed = tmp_path / "mixed.txt"  # read as English: its full-width marks become half-width
    mixed.write_text("Hello，world。 This is fine.\n", encoding="utf-8")
    assert invoke("normalize", mixed).output == "Hello, world. This is fine.\n"
    assert invoke("normalize", mixed, "--lang", "zh").output == "Hello，world。This is fine.\n"
    assert invoke("normalize", mixed, "--lang", "en").output == "Hello, world. This is fine.\n"


# align run: normalization and hard-rule options -----------------------------------------------

def test_run_glossary_fix_no_fix_and_no_rule(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.zh.txt").write_text("她在门口遇见了王老板。\n她每天用 Python 写程序。\n她有3只猫。\n", encoding="utf-8")
    (inputs / "a.en.txt").write_text("She met Laoban Wang at the door.\nShe writes programs in Python，every day.\n"
                                     "She has 4 cats.\n", encoding="utf-8")
    glossary = tmp_path / "mine.tsv"
    glossary.write_text("Laoban\tthe boss\tpinyin calque\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", inputs, "-o", out, "-q", "--translate", "none", "--min-quality", "0", "--no-report",
                    "--glossary", glossary, "--fix", "han_latin_spacing", "--no-fix", "chinese_punctuation_in_english",
                    "--no-rule", "number_mismatch")
    assert result.exit_code == 0, result.output
    pairs = {p["zh"]: p for p in jsonl(out / "corpus.jsonl")}
    assert pairs["她在门口遇见了王老板。"]["en"] == "She met the boss Wang at the door."  # --glossary
    assert pairs["她每天用Python写程序。"]["en"] == "She writes programs in Python，every day."  # --fix, --no-fix
    assert pairs["她有3只猫。"]["rejected_by"] == ["number_mismatch"]  # kept, still marked (--no-rule)
    edits = {e["fixer"] for e in jsonl(out / "edits.jsonl")}
    assert {"glossary", "han_latin_spacing"} <= edits and "chinese_punctuation_in_english" not in edits
    settings = json.loads((out / "run.json").read_text(encoding="utf-8"))["settings"]
    assert "number_mismatch" in json.dumps(settings)
    assert sum(accounted(out, inputs).values()) == 6


def test_run_caps_an_expanded_input_and_a_long_line(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.zh.txt").write_text("她戴着太阳镜。\n", encoding="utf-8")
    (inputs / "a.en.txt").write_text("She wears sunglasses.\n", encoding="utf-8")
    (inputs / "bomb.txt.gz").write_bytes(gzip.compress(("她戴着太阳镜。\n" * 100_000).encode("utf-8")))  # 2.1 MB inflated
    (inputs / "long.txt").write_text("x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")  # one 2 MB line
    out = tmp_path / "out"
    result = invoke("run", inputs, "-o", out, "-q", "--translate", "none", "--no-report",
                    "--max-expanded-size", "1", "--max-line-size", "1")
    assert result.exit_code == 0, result.output
    skipped = {Path(s["file"]).name: s["reason"] for s in json.loads((out / "run.json").read_text())["skipped_files"]}
    assert set(skipped) == {"bomb.txt.gz", "long.txt"}
    assert "--max-line-size" in skipped["long.txt"] and "1048576" in skipped["bomb.txt.gz"]


# align split, apply, report, eval --------------------------------------------------------------

def test_split_seed_draws_other_pairs_and_overwrite_is_needed_for_a_foreign_folder(tmp_path):
    corpus = tmp_path / "c.tsv"
    corpus.write_text("".join(f"这是第{n}句话{chr(0x4e00 + n)}。\tSentence {n} is here, word {chr(97 + n % 26)}.\n"
                              for n in range(30)), encoding="utf-8")
    draws = {}
    for seed in ("1", "2"):
        result = invoke("split", corpus, "--dev", "4", "--test", "4", "-o", tmp_path / seed, "--seed", seed)
        assert result.exit_code == 0, result.output
        draws[seed] = (tmp_path / seed / "dev.tsv").read_text(encoding="utf-8")
    default = invoke("split", corpus, "--dev", "4", "--test", "4", "-o", tmp_path / "default")
    assert (tmp_path / "default" / "dev.tsv").read_text(encoding="utf-8") == draws["1"] and default.exit_code == 0
    assert draws["1"] != draws["2"]
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    refused = invoke("split", corpus, "--dev", "4", "--test", "4", "-o", foreign)
    assert isinstance(refused.exception, InputError) and "--overwrite" in str(refused.exception)
    assert not (foreign / "dev.tsv").exists()
    done = invoke("split", corpus, "--dev", "4", "--test", "4", "-o", foreign, "--overwrite")
    assert done.exit_code == 0 and (foreign / "dev.tsv").read_text(encoding="utf-8") == draws["1"]
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_apply_needs_overwrite_for_a_foreign_folder(seed_run, tmp_path):
    pair = jsonl(seed_run / "corpus.jsonl")[0]
    review = tmp_path / "review.jsonl"
    review.write_text(json.dumps({"action": "accept", "beads": [{k: pair[k] for k in ("zh_ids", "en_ids", "zh", "en")}]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    refused = invoke("apply", seed_run, review, "-o", foreign)
    assert isinstance(refused.exception, InputError) and "--overwrite" in str(refused.exception)
    assert not (foreign / "corpus.jsonl").exists()
    done = invoke("apply", seed_run, review, "-o", foreign, "--overwrite")
    assert done.exit_code == 0, done.output
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert [p["reviewed"] for p in jsonl(foreign / "corpus.jsonl") if p["id"] == pair["id"]] == [True]


def test_report_pages_writes_a_page_per_document_pair_at_any_size(seed_run, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(seed_run, copy)
    shutil.rmtree(copy / "report", ignore_errors=True)
    assert invoke("report", copy).exit_code == 0
    assert not (copy / "report").exists()  # the seeds are far below the size that splits a report
    result = invoke("report", copy, "--pages")
    assert result.exit_code == 0, result.output
    pages = sorted((copy / "report").glob("*.html"))
    assert len(pages) >= 2
    main = (copy / "report.html").read_text(encoding="utf-8")
    assert all(f'href="report/{p.name}"' in main for p in pages)


def test_eval_per_file_prints_a_line_per_file(tmp_path):
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir()
    test.mkdir()
    for name, found in (("001", "[0]:[0]\n[1]:[1]\n"), ("002", "[0]:[1]\n[1]:[0]\n")):
        (gold / f"{name}.align").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
        (test / f"{name}.align").write_text(found, encoding="utf-8")
    total = invoke("eval", gold, test).output.splitlines()
    assert len(total) == 1 and total[0].startswith("total ") and "strict P 0.5000 R 0.5000" in total[0]
    lines = invoke("eval", gold, test, "--per-file").output.splitlines()
    assert [line.split()[0] for line in lines] == ["001.align", "002.align", "total"]
    assert "strict P 1.0000" in lines[0] and "strict P 0.0000" in lines[1] and lines[2] == total[0]


# align score: the header of a TSV ---------------------------------------------------------------

def test_score_header_and_no_header_decide_the_first_line_of_a_tsv(tmp_path):
    named, plain = tmp_path / "named.tsv", tmp_path / "plain.tsv"
    rows = "她戴着太阳镜。\tShe wears sunglasses.\n许多行人走来走去。\tMany pedestrians walk about.\n"
    named.write_text("zh\ten\n" + rows, encoding="utf-8")
    plain.write_text(rows, encoding="utf-8")

    def pairs(*args):
        result = invoke("score", *args, "--min-quality", "0", "--keep-rejected", "--format", "json", "-q")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["pairs"]

    assert (pairs(named), pairs(plain)) == (2, 2)  # a header is told from the text
    assert pairs(named, "--no-header") == 3  # the column names read as a pair
    assert pairs(plain, "--header") == 1  # the first pair read as column names


# align pair ---------------------------------------------------------------------------------------

def test_pair_src_lang_and_mt_weight(tmp_path):
    zh, en, trans = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "trans.txt"
    zh.write_text("她戴着太阳镜，涂着红色的口红，自信而随意地走着。\n许多行人走来走去。\n", encoding="utf-8")
    en.write_text("She wears sunglasses and red lipstick.\nShe walks confidently and casually.\n"
                  "Many pedestrians walk about.\n", encoding="utf-8")
    english_first = invoke("pair", en, zh, "--presplit", "--format", "tsv", "--src-lang", "en")
    assert english_first.exit_code == 0, english_first.output
    beads = [line.split("\t") for line in english_first.output.splitlines()]
    assert [b[0] for b in beads] == ["[0,1]:[0]", "[2]:[1]"]
    assert beads[0][2] == "She wears sunglasses and red lipstick. She walks confidently and casually."  # English joins with a space
    trans.write_text("She wears sunglasses and applies red lipstick, walking confidently.\nMany people walk around.\n",
                     encoding="utf-8")
    scores = {}
    for weight in ("0", "1"):
        result = invoke("pair", zh, en, "--presplit", "--format", "tsv", "--src-trans", trans, "--mt-weight", weight)
        assert result.exit_code == 0, result.output
        scores[weight] = [float(line.split("\t")[1]) for line in result.output.splitlines()]
    plain = invoke("pair", zh, en, "--presplit", "--format", "tsv").output
    assert scores["0"] == [float(line.split("\t")[1]) for line in plain.splitlines()]  # weight 0: the MT adds nothing
    assert scores["1"] != scores["0"]


# align calibrate ----------------------------------------------------------------------------------

def test_calibrate_threshold_policy_shares_signals_and_seed(tmp_path):
    clean = tmp_path / "clean.tsv"
    clean.write_text("".join(LAW.read_text(encoding="utf-8").splitlines(keepends=True)[:120]), encoding="utf-8")
    model = tmp_path / "model.json"
    result = invoke("calibrate", clean, "-o", model, "--block", "10", "-q", "--threshold-by", "precision",
                    "--target-precision", "0.9", "--keep-right", "0.8", "--signals", "cosine,margin", "--seed", "7")
    assert result.exit_code == 0, result.output
    data = json.loads(model.read_text(encoding="utf-8"))
    held = data["out_of_fold"]
    assert data["features"] == ["cosine", "margin"] and len(data["weights"]) == 2
    assert data["threshold_by"] == "precision" and data["threshold"] == held["alternatives"]["precision"]["threshold"]
    assert (held["target_precision"], held["keep_right"]) == (0.9, 0.8)
    assert held["alternatives"]["precision"]["precision"] >= 0.9
    assert 0.8 <= held["alternatives"]["keep-right"]["kept"]["right"] < 0.95  # the 0.8 policy, not the default 0.95
    assert "|seed:7|" in data["signature"]
    assert f"threshold {data['threshold']} (precision" in result.output
