"""``--format srt`` and ``--format vtt``: two subtitle files, timed and cut differently, give
one bilingual subtitle file: a cue per pair with its Chinese and English line, timed from the
input cues, in time order, without overlaps; unaligned cues kept with one language on request."""

import datetime
import json

import pytest
import srt
import webvtt
from click.testing import CliRunner

from align.cli import cli
from align.export.subtitles import Cue, cue_span, pair_cues, without_overlaps

ZH = ["今天我想和大家谈谈城市里的树。", "树木让街道在夏天变得凉爽。", "它们还为鸟类提供了家园。",
      "但是很多城市正在失去它们的树。", "老的树被砍掉，新的树太小。", "我们需要种植更多的树。", "谢谢大家。"]
EN = ["Today I want to talk to you", "about the trees in our cities.", "Trees keep the streets cool in summer.",
      "They also give birds a home.", "But many cities are losing their trees.",
      "Old trees are cut down, and new trees are too small.", "We need to plant more trees.", "Thank you."]


def subtitles(lines, starts, length):
    ms = datetime.timedelta(milliseconds=1)
    return srt.compose([srt.Subtitle(n, s * ms, (s + length) * ms, text)
                        for n, (s, text) in enumerate(zip(starts, lines), 1)])


@pytest.fixture(scope="module")
def subtitle_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("srt")
    (base / "in").mkdir()
    zh = subtitles(ZH + ["♪ 啦啦啦 ♪"], [1000 + 4000 * n for n in range(len(ZH) + 1)], 3500)
    en = subtitles(EN, [800, 3000] + [4300 + 4000 * n for n in range(len(EN) - 2)], 3600)  # cut in other places
    (base / "in" / "talk.zh.srt").write_text(zh, encoding="utf-8")
    (base / "in" / "talk.en.srt").write_text(en, encoding="utf-8")
    out = base / "out"
    result = CliRunner().invoke(cli, ["run", str(base / "in"), "-o", str(out), "-q", "--format", "jsonl", "--format",
                                      "srt", "--format", "vtt"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return base, out


def test_two_subtitle_files_cut_differently_give_one_bilingual_file(subtitle_run):
    _, out = subtitle_run
    cues = list(srt.parse((out / "corpus.srt").read_text(encoding="utf-8")))
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(cues) == len(pairs) >= 6
    for cue in cues:
        lines = cue.content.splitlines()
        assert len(lines) == 2 and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]) and lines[1].isascii()
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))  # in time order, no overlaps
    assert cues[0].content.splitlines()[1] == "Today I want to talk to you about the trees in our cities."
    assert cues[0].start == datetime.timedelta(milliseconds=800)  # timed from the cues it came from
    vtt = webvtt.from_string((out / "corpus.vtt").read_text(encoding="utf-8"))
    assert [c.text for c in vtt.captions] == [c.content for c in cues]
    said = json.loads((out / "run.json").read_text())["subtitles"]["corpus"]
    assert said["cues"] == len(cues) and said["pairs_without_cue_times"] == 0


def test_unaligned_cues_are_kept_with_one_language_on_request(subtitle_run, tmp_path):
    base, out = subtitle_run
    plain = [c.content for c in srt.parse((out / "corpus.srt").read_text(encoding="utf-8"))]
    assert not any("啦啦啦" in c for c in plain)
    result = CliRunner().invoke(cli, ["run", str(base / "in"), "-o", str(tmp_path / "kept"), "-q", "--format", "srt",
                                      "--keep-unaligned-cues", "--cache-dir", str(out / ".align-cache")])
    assert result.exit_code == 0, result.output
    cues = list(srt.parse((tmp_path / "kept" / "corpus.srt").read_text(encoding="utf-8")))
    song = [c for c in cues if "啦啦啦" in c.content]
    assert len(song) == 1 and song[0].content == "♪ 啦啦啦 ♪" and song[0] == cues[-1]
    assert song[0].start == datetime.timedelta(milliseconds=1000 + 4000 * len(ZH))


def test_overlapping_pairs_are_cut_apart_and_counted():
    records = [{"zh": "一", "en": "One", "provenance": {"zh": [{"location": "cue 1 00:00:01,000 --> 00:00:04,000"}],
                                                    "en": [{"location": "cue 1 00:00:01,500 --> 00:00:05,000"}]}},
               {"zh": "二", "en": "Two", "provenance": {"zh": [{"location": "cue 2 00:00:03,000 --> 00:00:06,000"}],
                                                    "en": [{"location": "line 4"}]}},
               {"zh": "三", "en": "Three", "provenance": {"zh": [{"location": "paragraph 2"}], "en": []}}]
    cues, untimed = pair_cues(records)
    assert untimed == 1 and [(c.start, c.end) for c in cues] == [(1000, 5000), (3000, 6000)]
    fixed, adjusted = without_overlaps(cues)
    assert adjusted == 1 and [(c.start, c.end) for c in fixed] == [(1000, 3000), (3000, 6000)]
    one_cue = [Cue(0, 2700, "好的。\nAlright."), Cue(0, 2700, "退一步说，\nSo taking a step back,")]  # two pairs of one cue
    shared, adjusted = without_overlaps(one_cue)
    assert adjusted == 1 and shared[0].start == 0 and shared[0].end == shared[1].start and shared[1].end == 2700
    assert 500 < shared[0].end - shared[0].start < shared[1].end - shared[1].start  # by the length of the text
    assert cue_span("cue 9 01:00:00.250 --> 01:00:01.000") == (3_600_250, 3_601_000)


def test_align_apply_writes_the_corrected_subtitles(subtitle_run, tmp_path):
    _, out = subtitle_run
    first = json.loads((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    review = tmp_path / "review.jsonl"
    review.write_text(json.dumps({"action": "reject", "beads": [{k: first[k] for k in ("zh_ids", "en_ids", "zh", "en")}]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["apply", str(out), str(review), "-o", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    before = list(srt.parse((out / "corpus.srt").read_text(encoding="utf-8")))
    after = list(srt.parse((tmp_path / "new" / "corpus.srt").read_text(encoding="utf-8")))
    assert [c.content for c in after] == [c.content for c in before[1:]]


def test_files_of_two_releases_are_timed_by_one_of_them_on_request(tmp_path, caplog):
    (tmp_path / "in").mkdir()
    starts = [1000 + 4000 * n for n in range(len(ZH))]
    (tmp_path / "in" / "talk.zh.srt").write_text(subtitles(ZH, [s + 2500 for s in starts], 3500), encoding="utf-8")
    (tmp_path / "in" / "talk.en.srt").write_text(subtitles(EN[:1] + EN[2:], starts, 3500).replace(
        EN[0], EN[0] + " " + EN[1]), encoding="utf-8")  # the Chinese release 2.5 s later, cut alike
    timed = {}
    for side in ("both", "zh", "en"):
        out = tmp_path / side
        result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(out), "-q", "--format", "srt",
                                          "--cue-times", side, "--cache-dir", str(tmp_path / "cache")])
        assert result.exit_code == 0, result.output
        timed[side] = [(c.start.total_seconds() * 1000, c.end.total_seconds() * 1000)
                       for c in srt.parse((out / "corpus.srt").read_text(encoding="utf-8"))]
        said = json.loads((out / "run.json").read_text())["subtitles"]["corpus"]
        assert said["zh_later_ms"] == 2500 and said["cues"] == len(ZH)
        assert said["largest_adjustment_ms"] == {"both": 2000, "zh": 0, "en": 0}[side]
    assert timed["zh"] == [(s + 2500, s + 6000) for s in starts]
    assert timed["en"] == [(s, s + 3500) for s in starts]
    assert timed["both"][0] == (1000, 5000)  # spans both files, each cut where the next begins
    assert any("another release" in r.getMessage() for r in caplog.records)


def test_a_cue_written_to_end_before_it_starts_gives_a_cue_that_plays():
    records = [{"zh": "一", "en": "One", "provenance": {"zh": [{"location": "cue 6 00:00:28,036 --> 00:00:24,457"}],
                                                    "en": [{"location": "cue 6 00:00:24,500 --> 00:00:27,000"}]}}]
    assert [(c.start, c.end) for c in pair_cues(records, side="zh")[0]] == [(24457, 28036)]
    assert [(c.start, c.end) for c in pair_cues(records)[0]] == [(24457, 28036)]
