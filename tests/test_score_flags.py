"""Per-segment flags of ``align score``: planted copies of the source, empty lines, French
and left-in Chinese are counted exactly, and clean lines (names, numbers, code, short
answers) are not flagged."""

import json

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.score.flags import flag_segments, hypothesis_language

# (Chinese source, English reference); written for these tests.
PAIRS = [
    ("她每天早上骑自行车去图书馆。", "She rides her bike to the library every morning."),
    ("会议推迟到下周三下午三点。", "The meeting has been postponed to 3 p.m. next Wednesday."),
    ("运行 `kubectl get pods` 查看所有容器组。", "Run `kubectl get pods` to see all the pods."),
    ("让-皮埃尔于1998年搬到了巴黎。", "Jean-Pierre moved to Paris in 1998."),
    ("这家面包店的牛角面包很有名。", "This bakery is famous for its croissants."),
    ("请把窗户关上，外面在下雨。", "Please close the window, it is raining outside."),
    ("谢谢！", "Thanks!"),
    ("版本 2.6.0 于 2024 年 5 月 3 日发布。", "Version 2.6.0 was released on 3 May 2024."),
    ("我们在湖边租了一艘小船。", "We rented a small boat by the lake."),
    ("他的祖母会说三种语言。", "His grandmother speaks three languages."),
    ("火车因为大雪晚点了两个小时。", "The train was two hours late because of the heavy snow."),
    ("孩子们在花园里找到了一只刺猬。", "The children found a hedgehog in the garden."),
    ("这本书的第二章讲的是海洋生物。", "The second chapter of the book is about marine life."),
    ("她在东京的一家设计公司工作。", "She works at a design company in Tokyo."),
    ("如果明天天晴，我们就去爬山。", "If it is sunny tomorrow, we will go hiking."),
    ("这台笔记本电脑的电池能用十个小时。", "The battery of this laptop lasts ten hours."),
    ("邮局在银行和药店之间。", "The post office is between the bank and the pharmacy."),
    ("他把钥匙忘在办公室里了。", "He left his keys in the office."),
    ("OpenAI 发布了新的 API 文档。", "OpenAI published new API documentation."),
    ("厨房里有一股新鲜咖啡的香味。", "The kitchen smells of fresh coffee."),
    ("博物馆周一闭馆。", "The museum is closed on Mondays."),
    ("我的邻居养了两只猫和一条狗。", "My neighbour has two cats and a dog."),
    ("电影在晚上八点开始。", "The film starts at eight in the evening."),
    ("这条河流经三个省份。", "This river flows through three provinces."),
]
FRENCH = {  # a system that answers in French on these lines
    4: "Cette boulangerie est célèbre pour ses croissants.",
    9: "Sa grand-mère parle trois langues.",
    16: "La poste est entre la banque et la pharmacie.",
    22: "Le film commence à huit heures du soir.",
}
COPIED = {1: PAIRS[1][0], 10: PAIRS[10][0], 20: PAIRS[20][0], 13: "她在东京的一家设计公司"}  # the last: mostly
EMPTY = {5: "", 12: "", 19: "..."}
LEFT_IN = {14: "If it is sunny tomorrow, 我们就去爬山."}  # a stretch of the source left untranslated


def planted_system():
    out = [en for _, en in PAIRS]
    for planted in (FRENCH, COPIED, EMPTY, LEFT_IN):
        for line, text in planted.items():
            out[line] = text
    return out


def write(path, lines):
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_planted_flags_are_counted_exactly_and_no_clean_line_is_flagged():
    flags = flag_segments(planted_system(), [zh for zh, _ in PAIRS], "en")
    found = {i: f.name for i, f in enumerate(flags) if f is not None}
    expected = {**{i: "wrong_language" for i in FRENCH}, **{i: "copied_source" for i in COPIED},
                **{i: "empty" for i in EMPTY}, **{i: "untranslated_span" for i in LEFT_IN}}
    assert found == expected


def test_the_reference_itself_has_no_flag_either_way():
    zh, en = [p[0] for p in PAIRS], [p[1] for p in PAIRS]
    assert flag_segments(en, zh, "en") == [None] * len(PAIRS)
    assert flag_segments(zh, en, "zh") == [None] * len(PAIRS)
    assert flag_segments(en, None, "en") == [None] * len(PAIRS)


def test_chinese_target_copies_and_english_output_are_flagged():
    zh, en = [p[0] for p in PAIRS], [p[1] for p in PAIRS]
    system = list(zh)
    system[0] = en[0]  # the English source copied
    system[2] = "The film starts at eight in the evening."  # English, not a copy of this source
    system[14] = "如果 it is sunny tomorrow，我们就去爬山。"  # part of the English source left in
    names = [None if f is None else f.name for f in flag_segments(system, en, "zh")]
    assert names[0] == "copied_source" and names[2] == "wrong_language"
    assert names[14] == "untranslated_span"
    assert sum(n is not None for n in names) == 3


@pytest.mark.parametrize("text, lang", [
    ("Merci beaucoup, mon ami.", "other"), ("Sa grand-mère parle trois langues.", "other"),
    ("Der Zug hatte zwei Stunden Verspätung.", "other"), ("Она носит солнцезащитные очки.", "other"),
    ("Jean-Pierre moved to Paris in 1998.", "en"), ("Thanks!", "en"), ("`kubectl get pods`", "neutral"),
])
def test_the_language_of_a_hypothesis(text, lang):
    assert hypothesis_language(text, "en") == lang


def test_score_json_counts_the_planted_flags_per_system(tmp_path):
    src = write(tmp_path / "src.zh", [zh for zh, _ in PAIRS])
    ref = write(tmp_path / "ref.en", [en for _, en in PAIRS])
    clean = write(tmp_path / "clean.en", [en for _, en in PAIRS])
    planted = write(tmp_path / "planted.en", planted_system())
    result = CliRunner().invoke(cli, ["score", "-i", str(planted), "-r", str(ref), "--src", str(src),
                                      "--target-lang", "en", "-m", "bleu", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["flags"] == {"empty": 3, "copied_source": 4, "wrong_language": 4, "untranslated_span": 1}
    result = CliRunner().invoke(cli, ["score", "-i", str(clean), str(planted), "-r", str(ref), "--src", str(src),
                                      "--target-lang", "en", "-m", "bleu", "--format", "json"])
    systems = json.loads(result.stdout)["systems"]
    assert systems[0]["flags"] == dict.fromkeys(["empty", "copied_source", "wrong_language", "untranslated_span"], 0)
    assert systems[1]["flags"]["copied_source"] == 4
    result = CliRunner().invoke(cli, ["score", "-i", str(planted), "-r", str(ref), "--target-lang", "en", "-m", "bleu",
                                      "--format", "json"])  # without the source: copies cannot be told
    flags = json.loads(result.stdout)["flags"]
    assert "copied_source" not in flags and flags["empty"] == 2  # "..." is empty only beside a source


def test_an_empty_last_line_is_a_line(tmp_path):
    ref = write(tmp_path / "ref.en", [en for _, en in PAIRS[:3]])
    hyp = write(tmp_path / "hyp.en", [en for _, en in PAIRS[:2]] + [""])
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--target-lang", "en", "-m", "bleu",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["flags"]["empty"] == 1


def test_sentence_output_names_the_flag_of_each_line(tmp_path):
    src = write(tmp_path / "src.zh", [zh for zh, _ in PAIRS])
    ref = write(tmp_path / "ref.en", [en for _, en in PAIRS])
    planted = write(tmp_path / "planted.en", planted_system())
    result = CliRunner().invoke(cli, ["score", "-i", str(planted), "-r", str(ref), "--src", str(src),
                                      "--target-lang", "en", "-m", "chrf", "--sentence"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "flags   empty 3, copied_source 4, wrong_language 4, untranslated_span 1 (of 24 lines)" in lines
    table = lines[lines.index("line\tchrF\tflag") + 1:]
    by_line = {int(row.split("\t")[0]) - 1: row.split("\t")[-1] for row in table}
    assert {i for i, f in by_line.items() if f != "-"} == set(FRENCH) | set(COPIED) | set(EMPTY) | set(LEFT_IN)
    assert all(by_line[i] == "wrong_language" for i in FRENCH)


def test_exclude_flagged_scores_the_clean_lines_and_says_so(tmp_path):
    from sacrebleu.metrics import CHRF

    src = write(tmp_path / "src.zh", [zh for zh, _ in PAIRS])
    ref = write(tmp_path / "ref.en", [en for _, en in PAIRS])
    planted = planted_system()
    hyp = write(tmp_path / "planted.en", planted)
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--src", str(src), "--target-lang", "en",
                                      "-m", "chrf", "--exclude-flagged", "--format", "json"])
    assert result.exit_code == 0, result.output
    [chrf] = json.loads(result.stdout)["scores"]
    flagged = set(FRENCH) | set(COPIED) | set(EMPTY) | set(LEFT_IN)
    kept = [i for i in range(len(PAIRS)) if i not in flagged]
    expected = CHRF().corpus_score([planted[i] for i in kept], [[PAIRS[i][1] for i in kept]]).score
    assert chrf["score"] == pytest.approx(expected, abs=1e-4) and chrf["score"] > 99
    assert chrf["signature"].endswith(f"|flagged:excluded|segments:{len(kept)}/{len(PAIRS)}")


def test_resegmented_segments_are_flagged_too(tmp_path):
    ref = write(tmp_path / "ref.en", ["She wears sunglasses and red lipstick. She walks confidently and casually.",
                                      "The street is damp and reflective. Many pedestrians walk about."])
    hyp = write(tmp_path / "hyp.en", ["She wears sunglasses and red lipstick. Elle marche avec assurance et",
                                      "décontraction. The street is damp and reflective.", "Many pedestrians walk about."])
    result = CliRunner().invoke(cli, ["score", "-i", str(hyp), "-r", str(ref), "--target-lang", "en", "--resegment",
                                      "-m", "chrf", "--format", "json", "--exclude-flagged"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["flags"] == {"empty": 0, "wrong_language": 1, "untranslated_span": 0}
    assert out["scores"][0]["score"] == 100.0 and "|flagged:excluded|segments:3/4" in out["scores"][0]["signature"]


def test_a_foreign_line_of_two_words_is_flagged_and_one_word_is_not():
    from align.score.flags import segment_flag

    # README: told from English "in lines of two words or more" (one word alone says too little)
    assert [segment_flag(t, None, "en") for t in ("Merci.", "Gracias.")] == [None, None]
    assert [segment_flag(t, None, "en").name for t in ("Merci beaucoup.", "Gracias amigo.")] == ["wrong_language"] * 2
    assert segment_flag("Thank you.", None, "en") is None
