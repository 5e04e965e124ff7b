"""The cleaning workflow: a quality model fitted to a domain (align calibrate) and used by
score, run and the API; dedup modes that keep the best pair; rules a user can switch off and
list; an audit of what each filter removed."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import ConfigurationError, InputError
from align.score.calibrate import (CalibrateSettings, JudgedPart, figure_lines, figures, fit_logistic, predict,
                                   read_sample, roc_auc, synthetic_examples, threshold_for_precision,
                                   threshold_keeping, threshold_within)
from align.score.dedup import dedup_key, duplicate_of
from align.score.hardrules import RULE_NAMES
from align.score.select import Judged, SelectSettings, decide

LAW = Path(__file__).resolve().parent.parent / "bench" / "data" / "constitution-zh-en.tsv"


def law_pairs(n: int) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in LAW.read_text(encoding="utf-8").splitlines()[:n]]


def write_tsv(path: Path, rows, header=None) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in ([header] if header else []) + list(rows)), encoding="utf-8")
    return path


# synthetic negatives and the fit ------------------------------------------------------------

def test_synthetic_examples_are_the_right_pairs_and_each_kind_of_negative():
    docs = [[(f"中文句子第{n}号，内容很长很长。", f"English sentence number {n} with some words in it")
             for n in range(d * 40, d * 40 + 40)] for d in range(3)]
    examples = synthetic_examples(docs)
    kinds = {e.kind for e in examples}
    assert kinds == {"right", "shifted", "random", "truncated", "extended", "replaced", "zh_truncated"}
    right = {(e.zh, e.en) for e in examples if e.kind == "right"}
    assert right <= {p for d in docs for p in d}
    assert not {(e.zh, e.en) for e in examples if e.kind != "right"} & {p for d in docs for p in d}
    assert examples == synthetic_examples(docs)  # seeded


def test_the_bench_builds_its_training_noise_with_the_library():
    import sys

    sys.path.insert(0, str(LAW.parent.parent))
    from quality_sets import Document, training_pairs

    docs = [Document("a", tuple(law_pairs(60)))]
    assert training_pairs(docs) == [(e.zh, e.en, e.label) for e in synthetic_examples([d.pairs for d in docs])]


def test_fit_auc_and_the_threshold_of_a_target_precision():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(1, 0.5, 200), rng.normal(-1, 0.5, 200)])[:, None]
    y = np.concatenate([np.ones(200), np.zeros(200)])
    w = fit_logistic(x, y)
    p = predict(w, x)
    assert w[0] > 0 and roc_auc(p, y) > 0.99
    assert roc_auc(np.array([0.2, 0.8]), np.array([1, 0])) == 0.0
    threshold, precision = threshold_for_precision(p, y, np.ones(400, bool), 0.99)
    kept = p >= threshold
    assert precision >= 0.99 and y[kept].mean() >= 0.99
    assert y[p >= threshold - 0.01].mean() < 0.99 or threshold == 0.01


def low_scoring_domain() -> tuple[np.ndarray, JudgedPart]:
    """Synthetic out-of-fold scores of a domain whose right pairs score low: right pairs spread
    over 0.2-1.0, partial translations just below them, near misses lower, random pairs at 0."""
    right = np.linspace(0.2, 1.0, 400)
    truncated = np.linspace(0.3, 0.9, 200)
    shifted = np.linspace(0.0, 0.3, 100)
    random = np.linspace(0.0, 0.05, 100)
    quality = np.concatenate([right, truncated, shifted, random])
    kinds = np.array(["right"] * 400 + ["truncated"] * 200 + ["shifted"] * 100 + ["random"] * 100)
    passes = np.ones(len(quality), bool)
    passes[:4] = False  # four right pairs break a hard rule: no threshold keeps them
    return quality, JudgedPart(np.zeros((len(quality), 1)), kinds, passes)


def test_the_keep_right_threshold_keeps_the_share_of_right_pairs_with_the_fewest_wrong_ones():
    quality, part = low_scoring_domain()
    t = threshold_keeping(quality, part.labels, part.passes, 0.95)
    decided = quality[:400][part.passes[:400]]
    assert (decided >= t).mean() >= 0.95 and (decided >= t + 0.01).mean() < 0.95  # the highest such
    assert t == pytest.approx(0.24)
    assert threshold_keeping(quality, part.labels, part.passes, 0.5) == pytest.approx(0.6)
    assert threshold_keeping(np.ones(4), np.ones(4), np.ones(4, bool), 0.95) == 0.99
    assert threshold_keeping(np.zeros(4), np.ones(4), np.ones(4, bool), 0.95) == 0.01  # no threshold keeps them
    assert threshold_within(quality, part.kinds, part.passes, {"shifted": 0.05, "random": 0.005}) == pytest.approx(0.29)
    assert threshold_within(np.array([1.0, 0.0]), np.array(["shifted", "right"]), np.ones(2, bool), {"shifted": 0.0}) is None


def test_a_fitted_threshold_never_silently_drops_most_right_pairs():
    quality, part = low_scoring_domain()
    measured = figures(quality, part, CalibrateSettings())
    assert measured["threshold_by"] == "keep-right" and measured["threshold"] == pytest.approx(0.24)
    assert measured["kept_at_threshold"]["right"] >= 0.94 and measured["kept_at_threshold"]["shifted"] <= 0.2
    precise = measured["alternatives"]["precision"]
    assert precise["threshold"] > 0.8 and precise["kept"]["right"] < 0.3  # what a precision target would drop
    assert measured["alternatives"]["negatives"]["threshold"] == pytest.approx(0.29)
    printed = "\n".join(figure_lines(measured))
    assert "threshold 0.24 (keep-right" in printed and "drops" in printed and "warning" not in printed
    assert "precision (the lowest whose kept pairs are 95% right)" in printed
    by_precision = figures(quality, part, CalibrateSettings(threshold_by="precision"))
    assert by_precision["threshold"] == precise["threshold"]
    assert "warning: this threshold drops most right pairs" in "\n".join(figure_lines(by_precision))
    copies = JudgedPart(np.zeros((500, 1)), np.array(["right"] * 400 + ["shifted"] * 100), np.ones(500, bool))
    unreachable = figures(np.concatenate([quality[:400], np.ones(100)]), copies, CalibrateSettings(threshold_by="negatives"))
    assert unreachable["alternatives"]["negatives"] is None  # near misses at 1.0: no threshold is within 5%
    assert unreachable["threshold_by"] == "keep-right" and unreachable["threshold"] == pytest.approx(0.24)
    with pytest.raises(ConfigurationError, match="threshold policy"):
        CalibrateSettings(threshold_by="recall")
    with pytest.raises(ConfigurationError, match="share of right pairs"):
        CalibrateSettings(keep_right=0.3)


def test_the_negatives_threshold_keeps_within_the_limits_a_user_sets():
    quality, part = low_scoring_domain()
    strict = figures(quality, part, CalibrateSettings(threshold_by="negatives", max_near=0.0))
    loose = figures(quality, part, CalibrateSettings(threshold_by="negatives", max_near=0.2))
    assert strict["threshold_by"] == loose["threshold_by"] == "negatives"
    assert strict["kept_at_threshold"]["shifted"] == 0.0 and strict["threshold"] == pytest.approx(0.31)
    assert loose["threshold"] == pytest.approx(0.24) and loose["kept_at_threshold"]["shifted"] <= 0.2
    assert loose["kept_at_threshold"]["right"] > strict["kept_at_threshold"]["right"]
    assert strict["negative_limits"] == {"shifted": 0.0, "random": 0.005}
    assert "at most 0.0% of shifted neighbours" in "\n".join(figure_lines(strict))
    with pytest.raises(ConfigurationError, match="near misses"):
        CalibrateSettings(max_near=1.5)


def test_near_misses_weigh_more_in_the_fit_when_asked():
    from align.score.calibrate import _balanced

    kinds = np.array(["right"] * 4 + ["shifted"] * 2 + ["truncated"] * 2)
    plain, heavy = _balanced(kinds), _balanced(kinds, 3.0)
    assert plain.tolist() == [0.125] * 4 + [0.125] * 4 and heavy[:4].tolist() == [0.125] * 4
    assert heavy[4] == pytest.approx(3 * heavy[6]) and heavy[4:].sum() == pytest.approx(0.5)
    # one signal tells right pairs from near misses, another from the other negatives: weighing the
    # near misses more moves the fit's weight onto the first
    rng = np.random.default_rng(1)
    kinds = np.array(["right"] * 300 + ["shifted"] * 100 + ["truncated"] * 200)
    near_signal = np.where(kinds == "shifted", 0.0, 1.0) + rng.normal(0, 0.6, 600)
    other_signal = np.where(kinds == "truncated", 0.0, 1.0) + rng.normal(0, 0.6, 600)
    x, y = np.stack([near_signal, other_signal], axis=1), (kinds == "right").astype(float)
    w_plain, w_heavy = fit_logistic(x, y, _balanced(kinds)), fit_logistic(x, y, _balanced(kinds, 5.0))
    assert w_heavy[0] / w_heavy[1] > 2 * w_plain[0] / w_plain[1]
    with pytest.raises(ConfigurationError, match="weight of near misses"):
        CalibrateSettings(near_weight=0)


def test_settings_refuse_unknown_signals():
    with pytest.raises(ConfigurationError, match="unknown signal"):
        CalibrateSettings(features=("cosine", "bleu"))


def test_a_label_column_gives_wrong_pairs_and_a_bad_label_is_refused(tmp_path):
    rows = [(z, e, "right") for z, e in law_pairs(6)] + [("今天天气很好。", "The cat sat on the mat.", "wrong")]
    sample = read_sample([write_tsv(tmp_path / "s.tsv", rows, ("zh", "en", "label"))], block=4)
    assert sample.wrong == (("今天天气很好。", "The cat sat on the mat."),)
    assert [len(d) for d in sample.documents] == [4, 2] and sample.size == 7
    assert {len(d) for d in read_sample([write_tsv(tmp_path / "b.tsv", law_pairs(200))], 50).documents} == {10}
    other = read_sample([write_tsv(tmp_path / "t.tsv", rows[:-1], ("zh", "en", "label"))], block=4)
    assert other.sha256 != sample.sha256
    with pytest.raises(InputError, match="neither right nor wrong"):
        read_sample([write_tsv(tmp_path / "u.tsv", rows[:1] + [("你好", "Hello", "maybe")], ("zh", "en", "label"))], 4)


# align calibrate and --quality-model ------------------------------------------------------------

@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibrate")
    clean = write_tsv(folder / "clean.tsv", law_pairs(200))
    model = folder / "law.json"
    result = CliRunner().invoke(cli, ["calibrate", str(clean), "-o", str(model), "--block", "20", "-q"])
    assert result.exit_code == 0, result.output
    return model, result.output


def test_calibrate_writes_a_model_with_its_sample_figures_and_signature(fitted):
    model, printed = fitted
    data = json.loads(model.read_text())
    assert data["sample"]["pairs"] == 200 and len(data["sample"]["sha256"]) == 64
    assert data["signature"].startswith("calibrated-logreg|") and "sample:200:" in data["signature"]
    assert data["features"] == ["cosine", "margin", "length_deviation", "copied_tokens"]
    held = data["out_of_fold"]
    assert 0 < held["threshold"] < 1 and held["auc"] > 0.9 and held["threshold_by"] == "keep-right"
    assert held["kept_at_threshold"]["random"] == 0.0 and held["kept_at_threshold"]["right"] >= 0.9
    assert held["alternatives"]["precision"]["precision"] >= 0.95
    assert held["alternatives"]["precision"]["threshold"] >= held["threshold"]
    assert data["threshold"] == held["threshold"] and data["methods"]["bitext"]["weights"] == data["weights"]
    assert "AUC" in printed and f"threshold {held['threshold']} (keep-right" in printed and "drops" in printed


def test_score_judges_by_the_model_at_its_threshold_and_writes_its_signature(fitted, tmp_path):
    model, _ = fitted
    data = json.loads(model.read_text())
    corpus = write_tsv(tmp_path / "c.tsv", law_pairs(230)[200:])
    out = tmp_path / "kept.tmx"
    shipped = CliRunner().invoke(cli, ["score", str(corpus), "--format", "json", "-q"])
    domain = CliRunner().invoke(cli, ["score", str(corpus), "--quality-model", str(model), "--format", "json",
                                      "-o", str(out), "-q"])
    assert domain.exit_code == 0, domain.output
    summary = json.loads(domain.stdout)
    assert summary["filters"]["min_quality"]["threshold"] == data["threshold"]
    assert summary["quality_signature"].startswith(data["signature"] + "|") and "|model:" in summary["quality_signature"]
    assert json.loads(shipped.stdout)["mean_quality_kept"] != summary["mean_quality_kept"]
    assert f'<prop type="x-quality-signature">{summary["quality_signature"]}</prop>' in out.read_text()
    given = CliRunner().invoke(cli, ["score", str(corpus), "--quality-model", str(model), "--min-quality", "0.1",
                                     "--format", "json", "-q"])
    assert json.loads(given.stdout)["filters"]["min_quality"]["threshold"] == 0.1


def test_the_api_judges_by_a_model_file(fitted):
    from align.api import score_pairs

    model, _ = fitted
    pairs = law_pairs(210)[200:]
    assert [j.quality for j in score_pairs(pairs, quality_model=model)] != [j.quality for j in score_pairs(pairs)]


def test_run_judges_every_pair_by_the_model_and_signs_with_it(fitted, tmp_path):
    model, _ = fitted
    corpus = write_tsv(tmp_path / "c.tsv", law_pairs(220)[200:])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--bitext", str(corpus), "-o", str(out), "-q", "--no-report",
                                      "--quality-model", str(model)])
    assert result.exit_code == 0, result.output
    run = json.loads((out / "run.json").read_text())
    assert run["signatures"]["quality"].startswith(json.loads(model.read_text())["signature"])
    assert run["filters"]["min_quality"]["threshold"] == json.loads(model.read_text())["threshold"]
    assert f'<prop type="x-quality-signature">{run["signatures"]["quality"]}</prop>' in (out / "corpus.tmx").read_text()


def test_a_corpus_rescored_with_another_model_carries_that_models_signatures(fitted, tmp_path):
    """align run's TMX and JSONL (run.json beside) rescored by a domain model: the TMX header,
    every JSONL record's signature id, the summary and --format json name what the pairs were
    scored with; the run's other signatures (how its pairs were found) are kept."""
    from align.export.corpus import RescoreSettings, rescore_file
    from align.export.records import signature_id
    from align.io.tmx import read_tmx_file
    from align.score.judge import quality_model

    model, _ = fitted
    out = tmp_path / "out"
    made = CliRunner().invoke(cli, ["run", "--bitext", str(write_tsv(tmp_path / "c.tsv", law_pairs(215)[200:])),
                                    "-o", str(out), "-q", "--no-report"])
    assert made.exit_code == 0, made.output
    run, signature = json.loads((out / "run.json").read_text()), quality_model(str(model)).signature
    assert run["signatures"]["quality"] != signature
    tmx = CliRunner().invoke(cli, ["score", str(out / "corpus.tmx"), "--quality-model", str(model), "--min-quality",
                                   "0", "--format", "json", "-q", "-o", str(tmp_path / "r.tmx")])
    assert tmx.exit_code == 0, tmx.output
    summary = json.loads(tmx.stdout)
    signatures = summary["signatures"]
    assert signatures["quality"] == signature == summary["quality_signature"] and "min_quality:0" in signatures["select"]
    assert {k: signatures[k] for k in ("encoder", "parallel", "normalize")} == {
        k: run["signatures"][k] for k in ("encoder", "parallel", "normalize")}
    assert summary["signature"] == signature_id(signatures) != run["signature"]
    assert dict(read_tmx_file(tmp_path / "r.tmx").header.props) == {f"x-{k}-signature": v for k, v in signatures.items()}
    done = rescore_file(out / "corpus.jsonl", RescoreSettings(SelectSettings(0.0), str(model), output=tmp_path / "r.jsonl"))
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert done.summary.signatures == signatures and done.summary.signature == summary["signature"]
    assert records and {r["signature"] for r in records} == {summary["signature"]}
    text = CliRunner().invoke(cli, ["score", str(out / "corpus.jsonl"), "--quality-model", str(model), "--min-quality",
                                    "0", "-q"])
    assert f"quality model: {signature}" in text.output and f"signatures: {summary['signature']}" in text.output


def test_a_broken_model_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"features": ["cosine"], "weights": [1.0]}')
    corpus = write_tsv(tmp_path / "c.tsv", law_pairs(3))
    from align.score.judge import quality_model

    with pytest.raises(InputError, match="not a quality model file"):
        quality_model(str(bad))
    bad.write_text(json.dumps({"features": ["bleu"], "weights": [1.0], "bias": 0, "length_ratio": 3,
                               "trained_on": "", "signature": "x"}))
    with pytest.raises(InputError, match="'bleu'"):
        quality_model(str(bad))
    result = CliRunner().invoke(cli, ["score", str(corpus), "--quality-model", str(bad)])
    assert isinstance(result.exception, InputError)


# dedup modes -----------------------------------------------------------------------------

def test_dedup_keys_of_each_mode():
    assert dedup_key("你好", "Hello", "source") == dedup_key("你好！", "Hi", "source")
    assert dedup_key("你好", "Hello", "target") == dedup_key("您好", "hello.", "target")
    assert dedup_key("第3页，共5页", "Page 3 of 5", "near") == dedup_key("第４页，共5页", "Page 4 of 5", "near")
    assert dedup_key("第3页，共5页", "Page 3 of 5", "pair") != dedup_key("第4页，共5页", "Page 4 of 5", "pair")
    assert duplicate_of([("a", "x", 0.2), ("b", "x", 0.9), ("c", "y", 0.1)], "target") == [1, None, None]
    assert duplicate_of([("a", "x", 0.2), ("b", "x", 0.9)], "pair") == [None, None]
    with pytest.raises(ConfigurationError):
        SelectSettings(dedup="both")


def test_dedup_verdicts_name_the_pair_kept():
    items = [Judged("甲", "Same English.", 0.6, id="p1"), Judged("乙", "Same English.", 0.9, id="p2")]
    verdicts = decide(items, SelectSettings(0.0, dedup="target"))
    assert verdicts[1] is None and verdicts[0].reason == "duplicate" and "p2" in verdicts[0].detail
    assert decide(items, SelectSettings(0.0)) == [None, None]


def test_dedup_target_keeps_the_better_translation(tmp_path):
    en = "The state protects the lawful rights and interests of citizens."
    rows = [("国家保护公民的合法权益。", en), ("国家保护公民。", en), ("今天下雨了，我们待在家里。", en)]
    corpus = write_tsv(tmp_path / "c.tsv", rows)
    out = tmp_path / "kept.tsv"
    result = CliRunner().invoke(cli, ["score", str(corpus), "--dedup", "target", "--min-quality", "0",
                                      "-o", str(out), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[-1].startswith("国家保护公民的合法权益。\t")
    assert len(out.read_text().splitlines()) == 2  # header and the one pair kept
    assert json.loads(result.stdout)["filters"]["dedup"] | {"sample": None} == {"mode": "target", "removed": 2,
                                                                               "sample": None}


# rules ---------------------------------------------------------------------------------------

def test_align_rules_lists_every_rule_with_what_it_checks():
    result = CliRunner().invoke(cli, ["rules"])
    lines = result.output.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(RULE_NAMES)
    assert all(len(line.split("\t")[1]) > 20 for line in lines)


def test_no_rule_keeps_the_pairs_only_that_rule_rejects(tmp_path):
    rows = [("第五条　中华人民共和国实行依法治国。", "Article 7. The People's Republic of China governs the country according to law.")]
    corpus = write_tsv(tmp_path / "c.tsv", rows)
    strict = CliRunner().invoke(cli, ["score", str(corpus), "--min-quality", "0", "--format", "json", "-q"])
    lax = CliRunner().invoke(cli, ["score", str(corpus), "--min-quality", "0", "--no-rule", "number_mismatch",
                                   "--format", "json", "-q"])
    assert json.loads(strict.stdout)["kept"] == 0
    assert json.loads(strict.stdout)["filters"]["rules"]["number_mismatch"]["removed"] == 1
    assert json.loads(lax.stdout)["kept"] == 1
    assert json.loads(lax.stdout)["filters"]["rules"]["number_mismatch"]["broken_but_kept"] == 1
    unknown = CliRunner().invoke(cli, ["score", str(corpus), "--no-rule", "too_short"])
    assert unknown.exit_code != 0


@pytest.mark.parametrize("zh,en", [("东京", "Tokyo"), ("5公斤", "5 kg"), ("确定", "OK"), ("张伟", "Zhang Wei"),
                                   ("100米", "100 m"), ("第3章", "Chapter 3"), ("取消", "Cancel"), ("十公里", "10 km")])
def test_short_right_pairs_break_no_rule(zh, en):
    from align.score.hardrules import broken_rules

    assert broken_rules(zh, en, 4.0) == () and broken_rules(zh, en, 2.4) == ()


# the audit -------------------------------------------------------------------------------------

def test_run_json_audits_each_filter_with_a_sample(tmp_path):
    pairs = law_pairs(12)
    rows = pairs + [pairs[0], ("第五条　国家实行依法治国。", "Article 7. The state governs by law.")]
    corpus = write_tsv(tmp_path / "c.tsv", rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--bitext", str(corpus), "-o", str(out), "--no-report",
                                      "--dedup", "pair"])
    assert result.exit_code == 0, result.output
    filters = json.loads((out / "run.json").read_text())["filters"]
    assert filters["pairs"] == 14 and filters["dedup"] == {**filters["dedup"], "mode": "pair", "removed": 1}
    assert filters["rules"]["number_mismatch"]["removed"] == 1
    assert filters["rules"]["number_mismatch"]["sample"][0]["en"].startswith("Article 7")
    assert set(filters["min_quality"]["kept_at"]) == {str(t / 10) for t in range(1, 10)}
    assert filters["kept"] == json.loads((out / "run.json").read_text())["counts"]["pairs_exported"]
    assert "filters: " in result.output and "number_mismatch 1" in result.output


# align split ----------------------------------------------------------------------------------

def test_split_leaves_no_exact_or_near_leak_in_train_and_lists_what_it_removed(tmp_path):
    from align.export.split import side_keys

    rows = [(f"这是第{n}句话，内容各不相同{chr(0x4e00 + n)}。", f"This is sentence {n}, word {chr(97 + n % 26)}{n}.")
            for n in range(40)]
    # leaks: the same English as pair 0 (exactly), the same Chinese as pair 1 but for numbers and punctuation
    rows += [("完全不同的中文。", rows[0][1]), (rows[1][0].replace("1", "9").replace("，", ","), "Another English.")]
    rows = rows * 1 + [(z + "！", e.upper()) for z, e in rows[:3]]  # near copies of the first three
    corpus = write_tsv(tmp_path / "c.tsv", rows)
    out = tmp_path / "split"
    result = CliRunner().invoke(cli, ["split", str(corpus), "--dev", "5", "--test", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "split.json").read_text())
    parts = {p: [tuple(line.split("\t")) for line in (out / f"{p}.tsv").read_text().splitlines()]
             for p in ("train", "dev", "test")}
    removed = [json.loads(line) for line in (out / "removed.jsonl").read_text().splitlines()]
    assert (report["dev"], report["test"]) == (5, 5) and len(parts["dev"]) == len(parts["test"]) == 5
    assert len(parts["train"]) + 10 + len(removed) == len(rows) == report["pairs"]
    held = {k for p in ("dev", "test") for z, e in parts[p] for k in side_keys(z, e)}
    assert not {k for z, e in parts["train"] for k in side_keys(z, e)} & held
    assert all(set(side_keys(r["zh"], r["en"])) & set(side_keys(r["held_out"]["zh"], r["held_out"]["en"]))
               for r in removed)
    assert report["removed"] == len(removed) == sum(report["removed_by"].values())
    again = CliRunner().invoke(cli, ["split", str(corpus), "--dev", "5", "--test", "5", "-o", str(tmp_path / "b")])
    assert again.exit_code == 0 and (tmp_path / "b" / "dev.tsv").read_bytes() == (out / "dev.tsv").read_bytes()


def test_split_with_a_known_leak_removes_it(tmp_path):
    from align.export.split import split_entries
    from align.io.corpus import CorpusEntry

    entries = [CorpusEntry(f"句子{chr(0x4e00 + n)}", f"Sentence {chr(97 + n)}") for n in range(10)]
    entries += [CorpusEntry(e.zh, f"Other {chr(97 + n)}") for n, e in enumerate(entries[:10])]  # each shares a Chinese side
    split = split_entries(entries, 2, 1)
    held = set(split.dev + split.test)
    leaked = {leak.entry for leak in split.removed}
    partners = {n + 10 if n < 10 else n - 10 for n in held}
    assert partners == leaked and all(leak.side == "zh" and leak.how == "exact" for leak in split.removed)
    assert len(split.train) + len(held) + len(leaked) == 20
    with pytest.raises(InputError):
        split_entries(entries, 8, 8)


def test_select_settings_read_the_old_dedup_switch_and_keep_the_default_signature():
    assert SelectSettings(dedup=True).dedup == "pair" and SelectSettings(dedup=None).dedup is False
    assert SelectSettings().signature() == "select|min_quality:0.5|keep_rejected:False|dedup:False"
    assert "no_rules:('identical',)" in SelectSettings(no_rules=("identical",)).signature()
    with pytest.raises(ConfigurationError, match="unknown rule"):
        SelectSettings(no_rules=("too_short",))


def test_dedup_near_and_source_through_the_accept_decision():
    items = [Judged("第3页，共5页", "Page 3 of 5", 0.7, id="a"), Judged("第4页，共5页", "Page 4 of 5", 0.8, id="b"),
             Judged("第4页，共5页", "Page four of five", 0.9, id="c")]
    near = decide(items, SelectSettings(0.0, dedup="near"))
    assert [v and v.reason for v in near] == ["duplicate", None, None] and "pair b" in near[0].detail
    source = decide(items, SelectSettings(0.0, dedup="source"))
    assert [v and v.reason for v in source] == [None, "duplicate", None] and "pair c" in source[1].detail
    assert decide(items, SelectSettings(0.0, dedup="pair")) == [None, None, None]


def test_short_right_pairs_are_kept_by_score_beside_longer_ones(tmp_path):
    short = [("东京", "Tokyo"), ("5公斤", "5 kg"), ("张伟", "Zhang Wei"), ("100米", "100 m"), ("第3章", "Chapter 3"),
             ("取消", "Cancel"), ("十公里", "10 km"), ("设置", "Settings"), ("帮助", "Help")]
    corpus = write_tsv(tmp_path / "c.tsv", short + law_pairs(30))
    out = tmp_path / "kept.tsv"
    result = CliRunner().invoke(cli, ["score", str(corpus), "-o", str(out), "-q", "--format", "json"])
    assert result.exit_code == 0, result.output
    kept = {tuple(line.split("\t")[:2]) for line in out.read_text(encoding="utf-8").splitlines()}
    assert set(short) <= kept


# align apply --quality-model ----------------------------------------------------------------------

def test_apply_judges_the_pairs_the_review_left_again_by_the_model(fitted, seed_run, tmp_path):
    model, _ = fitted
    signature = json.loads(model.read_text())["signature"]
    pairs = [json.loads(line) for line in (seed_run / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    review = tmp_path / "review.jsonl"
    review.write_text(json.dumps({"action": "accept", "beads": [{k: pairs[0][k] for k in ("zh_ids", "en_ids", "zh", "en")}]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    plain, judged = tmp_path / "plain", tmp_path / "judged"
    assert CliRunner().invoke(cli, ["apply", str(seed_run), str(review), "-o", str(plain)]).exit_code == 0
    result = CliRunner().invoke(cli, ["apply", str(seed_run), str(review), "-o", str(judged), "--quality-model", str(model)])
    assert result.exit_code == 0, result.output
    before = [json.loads(line) for line in (plain / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    after = [json.loads(line) for line in (judged / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["reviewed"]) for r in before] == [(r["id"], r["reviewed"]) for r in after]  # nothing dropped
    reviewed = [r for r in after if r["reviewed"]]
    assert len(reviewed) == 1 and reviewed[0]["quality"] == 1.0
    changed = [(b["quality"], a["quality"]) for b, a in zip(before, after) if not a["reviewed"] and b["quality"] != a["quality"]]
    assert len(changed) > len(after) // 2
    # the same judgement align score gives the pair with the model, the run's cosine and margin kept
    scored = tmp_path / "scored.jsonl"
    assert CliRunner().invoke(cli, ["score", str(seed_run / "corpus.jsonl"), "--quality-model", str(model),
                                    "--min-quality", "0", "--keep-rejected", "-o", str(scored), "-q"]).exit_code == 0
    by_score = {r["id"]: r["quality"] for r in map(json.loads, scored.read_text(encoding="utf-8").splitlines())}
    assert all(abs(by_score[r["id"]] - r["quality"]) < 0.02 for r in after if not r["reviewed"])
    run = json.loads((judged / "run.json").read_text())
    assert run["signatures"]["quality"].startswith(signature + "|") and "|model:" in run["signatures"]["quality"]
    assert run["judged_again"]["pairs"] == sum(1 for r in after if not r["reviewed"]) + len(
        (judged / "mined.jsonl").read_text().splitlines())
    assert {r["signature"] for r in after} == {run["signature"]} != {before[0]["signature"]}
    assert f'<prop type="x-quality-signature">{run["signatures"]["quality"]}</prop>' in (judged / "corpus.tmx").read_text()
    assert "pairs judged again by calibrated-logreg" in result.output


def test_apply_refuses_a_broken_model_and_writes_nothing(seed_run, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"features": ["cosine"]}')
    first = json.loads((seed_run / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    review = tmp_path / "review.jsonl"
    review.write_text(json.dumps({"action": "accept", "beads": [{k: first[k] for k in ("zh_ids", "en_ids", "zh", "en")}]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["apply", str(seed_run), str(review), "-o", str(tmp_path / "out"),
                                      "--quality-model", str(bad)])
    assert isinstance(result.exception, InputError) and "not a quality model file" in str(result.exception)
    assert not (tmp_path / "out").exists()


def test_auc_and_the_precision_threshold_by_hand():
    # right pairs above wrong ones: each of the 2 x 2 comparisons counted, a tie as half
    labels = np.array([1, 1, 0, 0])
    assert roc_auc(np.array([0.9, 0.4, 0.4, 0.1]), labels) == 0.875
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), labels) == 1.0
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), labels) == 0.0
    # "the lowest threshold reaching the target": a precision equal to the target reaches it
    quality, right = np.array([0.9, 0.8, 0.7, 0.6]), np.array([1, 1, 1, 0])
    assert threshold_for_precision(quality, right, np.ones(4, dtype=bool), 0.75) == (0.01, 0.75)
    assert threshold_for_precision(quality, right, np.ones(4, dtype=bool), 0.9) == (0.61, 1.0)
