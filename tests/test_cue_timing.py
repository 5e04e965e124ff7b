"""Cue times as evidence for the aligner (``align.aligner.cuetimes``): two subtitle files whose
text alone misaligns short cues are aligned right by their times; times never override a
clear translation; text without cue times is aligned as before."""

import datetime
import json

import numpy as np
import pytest
import srt
from click.testing import CliRunner

from align.aligner.cuetimes import TimeEvidence, cue_times, short_text, time_map
from align.cli import cli
from align.records import Sentence

# (start s, end s, text): a "(Laughter)" and a "Yes." the Chinese lacks, and short names.
EN = [(0, 2, "Alex."), (2, 3, "Yes."), (3, 6, "We went to the market on Sunday morning."), (6, 8, "Every morning I ask myself,"),
      (8, 10, "(Laughter)"), (10, 14, 'I have a friend who yells "Fire!" just to rouse her sleeping teen.'),
      (14, 16, "And another who got so fed up")]
ZH = [(0, 2, "亚历克斯。"), (3, 6, "我们星期天早上去了市场。"), (6, 8, "每天早上我都扪心自问"), (10, 12, '我有个朋友会大叫"着火了"'),
      (12, 14, "就是为了叫醒她十多岁的孩子"), (14, 16, "另一个朋友都已经忍不可忍了")]


def subtitles(cues) -> str:
    s = datetime.timedelta(seconds=1)
    return srt.compose([srt.Subtitle(n, a * s, b * s, text) for n, (a, b, text) in enumerate(cues, 1)])


def plain(cues) -> str:
    return "\n\n".join(text for _, _, text in cues) + "\n"


def pairs_of(out) -> list[tuple[str, str]]:
    records = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    return sorted((r["zh"], r["en"]) for r in records)


def run(folder, out):
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "-q", "--translate", "none",
                                      "--min-quality", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def both_runs(tmp_path_factory):
    """The same cues as subtitle files and as plain text files (the text without its times)."""
    base = tmp_path_factory.mktemp("cue-timing")
    for kind, write in (("srt", subtitles), ("txt", plain)):
        (base / kind).mkdir()
        (base / kind / f"talk.zh.{kind}").write_text(write(ZH), encoding="utf-8")
        (base / kind / f"talk.en.{kind}").write_text(write(EN), encoding="utf-8")
        run(base / kind, base / f"out-{kind}")
    return base / "out-txt", base / "out-srt"


def test_text_alone_joins_short_cues_shown_at_other_times(both_runs):
    text_only, _ = both_runs
    found = pairs_of(text_only)
    assert any("(Laughter)" in en or "Yes." in en for _, en in found)


def test_cue_times_keep_each_short_cue_with_the_cue_shown_with_it(both_runs):
    _, timed = both_runs
    found = pairs_of(timed)
    assert ("亚历克斯。", "Alex.") in found
    assert ('我有个朋友会大叫"着火了"就是为了叫醒她十多岁的孩子',
            'I have a friend who yells "Fire!" just to rouse her sleeping teen.') in found
    unaligned = [json.loads(line)["text"] for line in (timed / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "(Laughter)" in unaligned and "Yes." in unaligned


def test_times_never_override_a_clear_translation(tmp_path):
    """The Chinese cues are shown at the times of the wrong English cues (an English line the
    Chinese leaves out moves everything after it): the text, long and clear, still decides."""
    en = [(0, 4, "The committee approved the new budget for public libraries last week."),
          (4, 8, "Several hospitals in the north reported a shortage of nurses this winter."),
          (8, 12, "Farmers expect a record harvest of rice because the summer was warm and wet."),
          (12, 16, "The museum will open a new exhibition about ancient Egyptian jewellery in May.")]
    zh = [(0, 4, "委员会上周批准了公共图书馆的新预算。"), (4, 8, "由于夏天温暖潮湿，农民们预计水稻将获得创纪录的丰收。"),
          (8, 12, "博物馆将于五月推出一个关于古埃及珠宝的新展览。")]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "news.zh.srt").write_text(subtitles(zh), encoding="utf-8")
    (tmp_path / "in" / "news.en.srt").write_text(subtitles(en), encoding="utf-8")
    run(tmp_path / "in", tmp_path / "out")
    assert pairs_of(tmp_path / "out") == sorted((z[2], e[2]) for z, e in zip(zh, [en[0], en[2], en[3]]))


def sentence(lang, n, text, start=None, end=None):
    where = f"cue {n + 1} 00:00:{start:02d},000 --> 00:00:{end:02d},000" if start is not None else f"line {n + 1}"
    return Sentence(f"d#{lang}{n}", "d", n, n, lang, text, 0, len(text), location=where)


def test_sentences_of_other_files_carry_no_times():
    assert cue_times([sentence("en", 0, "Hello there."), sentence("en", 1, "Bye.")]) is None
    timed = cue_times([sentence("en", 0, "Hi.", 1, 3), sentence("en", 1, "A line of no cue.")])
    assert timed[0, :2].tolist() == [1000, 3000] and np.isnan(timed[1, 0])
    evidence = TimeEvidence.of(timed, timed)
    assert evidence.gain(1, 1, 1, np.array([1]))[0] == 0.0  # no time: no evidence either way


def test_agreeing_times_gain_and_disjoint_times_cost():
    zh = cue_times([sentence("zh", 0, "谢谢", 0, 2), sentence("zh", 1, "晚安", 2, 4)])
    en = cue_times([sentence("en", 0, "Thanks,", 0, 2), sentence("en", 1, "good night.", 2, 4)])
    evidence = TimeEvidence.of(zh, en)
    together, apart = evidence.gain(1, 1, 0, np.array([0, 1]))
    assert together > 0 > apart
    assert evidence.gain(2, 2, 0, np.array([0]))[0] < 2 * together  # joining cues shown apart costs


def test_long_sentences_lean_on_their_text():
    assert short_text(sentence("en", 0, "Thank you,")) and not short_text(sentence("en", 0, "I am a sleep researcher."))
    long_zh = cue_times([sentence("zh", 0, "委员会上周批准了公共图书馆的新预算。", 0, 4)])
    long_en = cue_times([sentence("en", 0, "The committee approved the new budget last week.", 0, 4)])
    short_zh, short_en = cue_times([sentence("zh", 0, "谢谢", 0, 4)]), cue_times([sentence("en", 0, "Thanks.", 0, 4)])
    js = np.array([0])
    assert TimeEvidence.of(long_zh, long_en).gain(1, 1, 0, js)[0] < TimeEvidence.of(short_zh, short_en).gain(1, 1, 0, js)[0]


def test_a_constant_shift_between_releases_is_taken_out():
    zh = np.array([[0, 2000, 1], [2000, 4000, 1], [4000, 6000, 1]], dtype=float)
    en = zh.copy()
    en[:, :2] += 1500
    assert time_map(zh, en, [(0, 0, 0.9), (1, 1, 0.8), (2, 2, 0.7)]) == (1.0, 1500)
    assert time_map(zh, en, [(0, 0, 0.9), (1, 1, 0.2)]) == (1.0, 0.0)  # too few sure links to tell
    evidence = TimeEvidence.of(zh, en, [(0, 0, 0.9), (1, 1, 0.8), (2, 2, 0.7)])
    assert evidence.gain(1, 1, 1, np.array([1]))[0] == pytest.approx(evidence.weight / 2 * 2 * (1 - evidence.floor))


def test_a_release_at_another_frame_rate_is_stretched_onto_the_other():
    zh = np.array([[n * 20_000, n * 20_000 + 2000, 1] for n in range(8)], dtype=float)
    en = zh.copy()
    en[:, :2] = zh[:, :2] * 25 / 23.976 + 300  # the English release runs at 25 frames a second
    links = [(n, n, 0.9) for n in range(8)]
    rate, shift = time_map(zh, en, links)
    assert rate == pytest.approx(25 / 23.976) and shift == pytest.approx(300)
    evidence = TimeEvidence.of(zh, en, links)
    assert evidence.gain(1, 1, 7, np.array([7]))[0] == pytest.approx(evidence.weight / 2 * 2 * (1 - evidence.floor), rel=1e-3)
    jittered = zh.copy()
    jittered[::2, :2] += 40  # a few tens of milliseconds apart is no other frame rate
    assert time_map(zh, jittered, links)[0] == 1.0
