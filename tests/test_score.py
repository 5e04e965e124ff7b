import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.score.hardrules import broken_rules
from align.score.numbers import compare_numbers


def number_mismatch(zh, en):
    return not compare_numbers(zh, en).agree

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
        # sacrebleu applies Asian support only with normalisation on (alone it scores 100)
        "TER": one("-m", "ter", *(["--ter-asian-support", "--ter-normalized"] if zh else [])),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_corpus_scores_equal_sacrebleu_command_line(lang):
    hyp, ref = SCORE / f"hyp.{lang}", SCORE / f"ref.{lang}"
    result = CliRunner().invoke(cli, ["score", "--hyp", str(hyp), "--ref", str(ref), "--target-lang", lang])
    assert result.exit_code == 0, result.output
    scored = [line for line in result.output.splitlines() if not line.startswith("flags ")]
    ours = {line.split()[0]: line.split()[1] for line in scored}
    assert ours == sacrebleu_cli(hyp, ref, lang)
    signatures = [line.split()[2] for line in scored]
    assert all("version:" in s for s in signatures)
    if lang == "zh":
        assert "tok:zh" in signatures[0] and "asian:yes" in signatures[3] and "norm:yes" in signatures[3]


def test_chinese_ter_is_right_and_matches_sacrebleus_api(tmp_path):
    from sacrebleu.metrics import TER

    hyp, ref = tmp_path / "hyp", tmp_path / "ref"
    hyp.write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
    ref.write_text("今天天气很好。\n我们去公园走走。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--target-lang", "zh", "-m", "ter",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    ter = json.loads(result.stdout)["scores"][0]
    # hand-checked: two characters of fifteen are substituted
    assert ter["score"] == pytest.approx(100 * 2 / 15, abs=1e-3)
    api = TER(asian_support=True, normalized=True).corpus_score(["今天天气很好。", "我们去公园散步。"],
                                                                [["今天天气很好。", "我们去公园走走。"]])
    assert ter["score"] == pytest.approx(api.score, abs=1e-4)
    assert TER(asian_support=True).corpus_score(["今天天气很好。"], [["今天天气好。"]]).score == 100.0  # the flaw avoided


def test_two_systems_are_both_scored_and_compared_by_a_paired_test(tmp_path):
    from sacrebleu.metrics import BLEU
    from sacrebleu.significance import PairedTest

    hyp, ref = SCORE / "hyp.en", SCORE / "ref.en"
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), str(ref), "-r", str(ref), "--target-lang", "en",
                                      "-m", "bleu", "--format", "json"])
    assert result.exit_code == 0, result.output
    systems = json.loads(result.stdout)["systems"]
    assert [s["system"] for s in systems] == [str(hyp), str(ref)]
    assert systems[0]["scores"][0]["score"] < 100 and systems[1]["scores"][0]["score"] == 100
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), str(ref), "-r", str(ref), "--target-lang", "en",
                                      "-m", "bleu", "--paired-bs", "--paired-bs-n", "200", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    lines = lambda p: p.read_text(encoding="utf-8").splitlines()
    sigs, scores = PairedTest([("a", lines(hyp)), ("b", lines(ref))], {"BLEU": BLEU()}, [lines(ref)],
                              test_type="bs", n_samples=200)()
    assert out["signatures"]["BLEU"] == sigs["BLEU"].format() and "bs:200" in out["signatures"]["BLEU"]
    assert out["systems"][0]["BLEU"]["p_value"] is None
    assert out["systems"][1]["BLEU"]["p_value"] == pytest.approx(scores["BLEU"][1].p_value, abs=1e-4)
    assert out["systems"][1]["BLEU"]["score"] == 100.0


def test_hypotheses_from_standard_input_and_metric_choice():
    hyp, ref = SCORE / "hyp.en", SCORE / "ref.en"
    piped = CliRunner().invoke(cli, ["score", "-i", "-", "-r", str(ref), "--target-lang", "en", "-m", "bleu", "chrf"],
                               input=hyp.read_text(encoding="utf-8"))
    direct = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--target-lang", "en", "-m", "bleu",
                                      "chrf"])
    assert piped.exit_code == 0, piped.output
    assert piped.output == direct.output and [l.split()[0] for l in piped.output.splitlines()] == ["BLEU", "chrF", "flags"]


def test_sentence_scores_in_text_mode_are_a_table_not_json():
    result = CliRunner().invoke(cli, ["score", "-i", str(SCORE / "hyp.en"), "-r", str(SCORE / "ref.en"),
                                      "--target-lang", "en", "--sentence"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    header = lines.index("line\tBLEU\tchrF\tchrF++\tTER\tflag")
    assert len(lines) - header - 1 == 5 and not any(l.startswith("{") for l in lines)


def test_confidence_intervals_carry_the_bootstrap_in_the_signature():
    result = CliRunner().invoke(cli, ["score", "-i", str(SCORE / "hyp.en"), "-r", str(SCORE / "ref.en"),
                                      "--target-lang", "en", "-m", "bleu", "--confidence", "--confidence-n", "100"])
    assert result.exit_code == 0, result.output
    assert "bs:100" in result.output and "μ = " in result.output


def test_sentence_scores_and_json_format():
    result = CliRunner().invoke(cli, ["score", "--hyp", str(SCORE / "hyp.en"), "--ref", str(SCORE / "ref.en"),
                                      "--target-lang", "en", "--format", "json", "--sentence"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)  # one JSON document, sentences included
    assert [m["metric"] for m in out["scores"]] == ["BLEU", "chrF", "chrF++", "TER"]
    rows = out["sentences"]
    assert len(rows) == 5 and rows[2]["BLEU"] == 100.0
    assert "eff:yes" in out["sentence_signatures"]["BLEU"]


def test_sentence_bleu_does_not_warn_per_line(capfd):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "align.cli", "score", "--hyp", str(SCORE / "hyp.en"), "--ref",
                           str(SCORE / "ref.en"), "--target-lang", "en", "--sentence"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "effective_order" not in proc.stderr


def test_target_language_that_does_not_match_is_warned_about():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "align.cli", "score", "--hyp", str(SCORE / "hyp.zh"), "--ref",
                           str(SCORE / "ref.zh"), "--target-lang", "en"], capture_output=True, text=True)
    assert proc.returncode == 0 and "read as zh" in proc.stderr


def test_reference_free_json_is_one_document():
    result = CliRunner().invoke(cli, ["score", "--src", str(SCORE / "ref.zh"), "--hyp", str(SCORE / "hyp.en"),
                                      "--format", "json", "--sentence"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["estimate"] == "reference-free" and len(out["sentences"]) == 5


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


def test_rescoring_a_run_tmx_into_tmx_keeps_every_prop(seed_run, tmp_path):
    from align.io.tmx import read_tmx_file

    out = tmp_path / "rescored.tmx"
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.tmx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    before, after = read_tmx_file(seed_run / "corpus.tmx"), read_tmx_file(out)
    assert after.header == before.header
    assert len(after.units) == len(before.units)
    for a, b in zip(before.units, after.units):
        assert (a.tuid, a.zh, a.en, a.zh_lang, a.en_lang) == (b.tuid, b.zh, b.en, b.zh_lang, b.en_lang)
        assert [t for t, _ in a.props] == [t for t, _ in b.props]  # same props, same order
        a_props, b_props = dict(a.props), dict(b.props)
        for key in ("x-quality", "x-method", "x-bead", "x-zh-ids", "x-en-ids", "x-zh-documents", "x-signal-cosine"):
            assert a_props[key] == b_props[key], key


def test_rescoring_a_foreign_tmx_keeps_language_tags_and_props(tmp_path):
    from align.io.tmx import read_tmx_file

    foreign = tmp_path / "tm.tmx"
    foreign.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="X" creationtoolversion="1" '
        'segtype="sentence" o-tmf="x" adminlang="en-US" srclang="en-US" datatype="plaintext">'
        '<prop type="x-project">Manual 7</prop></header><body>'
        '<tu tuid="u1"><prop type="x-client">ACME</prop><prop type="x-quality">0.1</prop>'
        '<tuv xml:lang="en-US"><seg>She wears sunglasses and red lipstick.</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>她戴着太阳镜，涂着红色的口红。</seg></tuv></tu>'
        '<tu tuid="u2"><tuv xml:lang="en-US"><seg>Only English.</seg></tuv><tuv xml:lang="fr-FR"><seg>Seulement.</seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(cli, ["score", str(foreign), "-o", str(out)])
    assert result.exit_code == 0, result.output
    tmx = read_tmx_file(out)
    assert tmx.header.srclang == "en-US" and tmx.header.props[0] == ("x-project", "Manual 7")
    assert {t for t, _ in tmx.header.props[1:]} >= {"x-quality-signature", "x-encoder-signature"}  # what scored it
    [unit] = tmx.units
    assert (unit.tuid, unit.zh_lang, unit.en_lang) == ("u1", "zh-CN", "en-US")
    props = dict(unit.props)
    assert props["x-client"] == "ACME" and float(props["x-quality"]) > 0.5
    assert [t for t, _ in unit.props][:2] == ["x-client", "x-quality"]
    assert "x-signal-cosine" in props


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
    result = CliRunner().invoke(cli, ["score", str(foreign), "-o", str(out), "--format", "json", "--min-quality", "0"])
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
        ("她戴着太阳镜。", "She wears [masked] sunglasses.", ("masked_word",)),
    ],
)
def test_hard_rules(zh, en, rules):
    assert broken_rules(zh, en, 3.0) == rules


# Hand-checked number cases: (zh, en, agree). Half must be rejected.
NUMBER_CASES = [
    ("一八四〇年，鸦片战争爆发。", "The Opium War broke out in 1840.", True),
    ("2公斤大米", "two kilograms of rice", True),
    ("售出520份", "sold 520 copies", True),
    ("售出二十五份", "sold 25 copies", True),
    ("５００人参加", "500 people attended", True),
    ("第五条", "Article 5", True),
    ("五日内答复", "reply within 5 days", True),
    ("1992年10月1日", "October 1, 1992", True),
    ("一九九二年十月一日", "on 1 October 1992", True),
    ("2月16日发布", "released on February 16", True),
    ("两千零五年", "in 2005", True),
    ("增长了百分之二十", "grew by 20%", True),
    ("市值达250万美元", "a market value of 2.5 million dollars", True),
    ("3.5亿用户", "350 million users", True),
    ("十二万三千人", "123,000 people", True),
    ("第七章", "Chapter seven", True),
    ("三点五公里", "3.5 kilometres", True),
    ("他十分高兴。", "He was very happy.", True),
    ("一个时髦的女人走在东京的街道上。", "A stylish woman walks down a Tokyo street.", True),
    ("他是第一个到的。", "He was the first to arrive.", True),
    ("全国人民代表大会常务委员会第二十次会议", "the 20th session of the Standing Committee", True),
    ("2024年3月，Sora发布。", "In March 2024, Sora was released.", True),
    ("1992年10月1日", "October 1, 2023", False),
    ("第五条", "Article 7", False),
    ("五日内答复", "reply within 7 days", False),
    ("售出520份", "sold 250 copies", False),
    ("一八四〇年", "in 1842", False),
    ("2公斤大米", "three kilograms of rice", False),
    ("增长了百分之二十", "grew by 30%", False),
    ("市值达250万美元", "a market value of 25 million dollars", False),
    ("3.5亿用户", "35 million users", False),
    ("十二万三千人", "12,300 people", False),
    ("第七章", "Chapter 8", False),
    ("两千零五年", "in 2015", False),
    ("2月16日发布", "released on March 16", False),
    ("一九九二年", "in 1929", False),
    ("第二十次会议", "the 21st session", False),
    ("他三十岁了。", "He is 40 years old.", False),
    ("三点五公里", "5.3 kilometres", False),
    ("2024年发布", "released in 2025", False),
    ("共有150人", "a total of 105 people", False),
    ("第三百零二条", "Article 320", False),
    ("一百零八将", "the 180 heroes", False),
    ("今年第4季度", "in the third quarter of 2023", False),
    ("他是第一百位客人。", "He was the hundredth guest.", True),  # ordinal words have their values
    ("他是第一百位客人。", "He was the thousandth guest.", False),
]


@pytest.mark.parametrize("zh, en, agree", NUMBER_CASES)
def test_number_rule_table(zh, en, agree):
    from align.score.hardrules import check_rules

    assert (not number_mismatch(zh, en)) is agree
    failed = {r.name: r.detail for r in check_rules(zh, en, 3.0)}
    assert ("number_mismatch" in failed) is (not agree)
    if not agree:  # the rule says which numbers disagreed
        assert "has" in failed["number_mismatch"]


def test_the_number_rule_rejects_the_must_reject_half_of_the_table_and_nothing_else():
    rejected = [(zh, en) for zh, en, _ in NUMBER_CASES if number_mismatch(zh, en)]
    must_reject = [(zh, en) for zh, en, agree in NUMBER_CASES if not agree]
    assert rejected == must_reject and len(rejected) * 2 >= len(NUMBER_CASES) >= 40


@pytest.mark.parametrize("zh", [
    "关于文件系统的管理，学习 `df`，`mount`，`fdisk`，`mkfs`，`lsblk`。",
    "输入 man bash 查看文档。",
    "使用 OpenAI 的 Sora 和 Runway Gen-2 生成视频。",
    "运行 `pip install -e .` 即可。",
])
def test_wrong_language_allows_code_and_latin_names_in_chinese(zh):
    from align.score.hardrules import check_rules

    assert "wrong_language" not in {r.name for r in check_rules(zh, "Learn the basics of the file system.", 3.0)}


def test_no_exported_text_holds_a_masked_word_mark(seed_run):
    """The seeds have a censored word no rule restores: its pair is rejected, with the reason."""
    for name in ("corpus.jsonl", "corpus.tmx"):
        assert "[masked]" not in (seed_run / name).read_text(encoding="utf-8")
    unaligned = [json.loads(line) for line in (seed_run / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    masked = [u for u in unaligned if u["reason"] == "rejected_by_rule" and u["detail"].startswith("masked_word")]
    assert masked and any("[masked]" in u["text"] for u in masked)
    assert all("a censored word could not be restored on the en side" in u["detail"] for u in masked)


def test_rejected_pairs_say_why_in_unaligned(tmp_path):
    (tmp_path / "a.zh.txt").write_text("第五条 公民有言论自由。\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("Article 7 Citizens enjoy freedom of speech.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path), "-o", str(out), "-q", "--translate", "none"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "unaligned.jsonl").read_text().splitlines()]
    rejected = [r for r in rows if r["reason"] == "rejected_by_rule"]
    assert rejected and all(r["detail"].startswith("number_mismatch (zh has") for r in rejected), rows
    assert "en has 7" in rejected[0]["detail"]


def test_chinese_numerals():
    from align.score.numbers import zh_numeral_value

    assert zh_numeral_value("一千二百三十四") == 1234
    assert zh_numeral_value("两万") == 20000
    assert not number_mismatch("５００人", "500 people")


def test_a_rewrapped_identical_document_scores_bleu_100_when_resegmented(tmp_path):
    ref, hyp = tmp_path / "ref.txt", tmp_path / "hyp.txt"
    ref.write_text("She wears sunglasses and red lipstick.\nShe walks confidently and casually.\n"
                   "The street is damp and reflective.\nMany pedestrians walk about.\n", encoding="utf-8")
    hyp.write_text("She wears sunglasses and red lipstick. She walks\nconfidently and casually. The street is damp\n"
                   "and reflective.\nMany pedestrians walk about.\n", encoding="utf-8")
    plain = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--target-lang", "en", "-m", "bleu"])
    assert float(plain.output.split()[1]) < 80  # line by line, the wrapped lines do not match
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--target-lang", "en", "--resegment",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {s["metric"]: s["score"] for s in out["scores"]}["BLEU"] == 100.0
    assert out["resegment"]["omitted_sentences"] == out["resegment"]["added_sentences"] == 0
    short = tmp_path / "short.txt"
    short.write_text("She wears sunglasses and red lipstick.\nMany pedestrians walk about.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", "-i", str(short), "-r", str(ref), "--target-lang", "en", "--resegment",
                                      "--format", "json"])
    assert json.loads(result.stdout)["resegment"]["omitted"] == ["She walks confidently and casually.",
                                                                 "The street is damp and reflective."]


def test_the_mt_signals_of_a_corpus_come_from_one_chrf(monkeypatch):
    """One sacrebleu CHRF scores every pair's translations (it was built again for each pair),
    and the values are chrF's."""
    import sacrebleu.metrics

    from align.embed import get_encoder
    from align.io.corpus import CorpusEntry
    from align.score.rescore import rescore

    built = []
    real = sacrebleu.metrics.CHRF

    class Counted(real):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(sacrebleu.metrics, "CHRF", Counted)
    entries = [CorpusEntry(zh, en, zh_translation=mt, en_translation=back) for zh, en, mt, back in [
        ("她戴着太阳镜。", "She wears sunglasses.", "She wears sunglasses.", "她戴着太阳镜。"),
        ("街道是潮湿的。", "The street is damp.", "The road is wet.", "街道很潮湿。"),
        ("许多行人走来走去。", "Many pedestrians walk about.", "Many people walk around.", "很多行人走来走去。")]]
    rescored = rescore(entries, get_encoder("use"))
    assert len(built) == 1
    assert rescored[0].signals["mt_chrf_zh_en"] == 1.0 and rescored[0].signals["mt_chrf_en_zh"] == 1.0
    expected = real().sentence_score("The road is wet.", ["The street is damp."]).score / 100
    assert rescored[1].signals["mt_chrf_zh_en"] == round(expected, 4)
