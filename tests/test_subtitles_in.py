"""Subtitle files as users have them (issue 38): cues without numbers or out of time order,
YouTube's rolling automatic captions, styling left by other formats; each read so that its
cues keep their times and each line is read once."""

from align.ingest import read_document
from align.ingest.subtitles import REPEATED
from align.records import cue_time

ZH = ["大家好。", "我是来自机器人团队的亚历克斯。", "今天我来谈谈模拟。"]
EN = ["Hi, everybody.", "I'm Alex, from the robotics team.", "Today I'll talk about simulation."]


def _srt(texts, numbers=True, start=1):
    cues = []
    for n, text in enumerate(texts, start):
        cues.append((f"{n}\n" if numbers else "") + f"00:00:{2 * n:02d},000 --> 00:00:{2 * n + 1:02d},500\n{text}\n")
    return "\n".join(cues)


def test_cues_without_numbers_keep_their_times(tmp_path):
    path = tmp_path / "talk.zh.srt"
    path.write_text(_srt(ZH, numbers=False), encoding="utf-8")
    document, _ = read_document(path, "talk")
    assert [p.location for p in document.paragraphs][0] == "cue 1 00:00:02,000 --> 00:00:03,500"
    assert [cue_time(p.location) for p in document.paragraphs] == [(2000, 3500), (4000, 5500), (6000, 7500)]


def test_cues_stored_out_of_time_order_are_read_as_shown(tmp_path):
    blocks = _srt(ZH).split("\n\n")
    path = tmp_path / "talk.zh.srt"
    path.write_text("\n\n".join([blocks[2], blocks[0], blocks[1]]), encoding="utf-8")
    document, _ = read_document(path, "talk")
    assert [p.text for p in document.paragraphs] == ZH
    assert [p.location.split()[1] for p in document.paragraphs] == ["1", "2", "3"]


def _youtube(lines):
    """Automatic captions as YouTube writes them (yt-dlp downloads them so): each cue shows the
    line before again (the first a line of one space), its new words timed with <c> tags, and
    a 10 ms cue holds the new line alone."""
    out, previous = ["WEBVTT", "Kind: captions", "Language: en", ""], ""
    for n, line in enumerate(lines):
        first, *rest = line.split()
        timed = first + "".join(f"<00:00:{2 * n:02d}.{100 * k:03d}><c.colorE5E5E5> {w}</c>" for k, w in enumerate(rest, 1))
        out += [f"00:00:{2 * n:02d}.000 --> 00:00:{2 * n + 1:02d}.990 align:start position:0%",
                (previous or " ") + "\n" + timed, "",  # the first cue: a line of one space above
                f"00:00:{2 * n + 1:02d}.990 --> 00:00:{2 * n + 2:02d}.000 align:start position:0%", line, " ", ""]
        previous = line
    return "\n".join(out)


def test_rolling_automatic_captions_give_each_line_once(tmp_path):
    path = tmp_path / "talk.en.vtt"
    path.write_text(_youtube(EN), encoding="utf-8")
    document, _ = read_document(path, "talk")
    assert [p.text for p in document.paragraphs] == EN
    assert [cue_time(p.location) for p in document.paragraphs] == [(0, 1990), (2000, 3990), (4000, 5990)]
    repeats = [e for e in document.removed if REPEATED in e.note]
    assert len(repeats) == 5 and {e.before for e in repeats} == set(EN)


def test_a_line_said_twice_in_ordinary_subtitles_is_kept(tmp_path):
    path = tmp_path / "song.en.srt"
    lines = ["No, no, no.", "No, no, no.", "No, no, no.", "I'm Alex, from the robotics team."]
    path.write_text(_srt(lines), encoding="utf-8")
    document, _ = read_document(path, "song")
    assert [p.text for p in document.paragraphs] == lines
    assert not document.removed


def test_styling_of_other_formats_is_dropped(tmp_path):
    path = tmp_path / "talk.zh.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\n{\\an8}<font color=\"#ffff00\">大家好。</font>\\N"
                    "<i>Hi, everybody,</i><00:00:01.500> I'm Alex.\n", encoding="utf-8")
    document, _ = read_document(path, "talk")
    assert [(p.lang, p.text) for p in document.paragraphs] == [("zh", "大家好。"), ("en", "Hi, everybody, I'm Alex.")]


ASS_HEAD = """[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Microsoft YaHei,60,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,1,2,10,10,10,1
Style: Eng,Arial,40,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,1,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""


def test_a_bilingual_fansub_script_gives_timed_cues_in_both_languages(tmp_path):
    path = tmp_path / "talk.ass"
    path.write_text("\ufeff" + ASS_HEAD.replace("\n", "\r\n")
                    + "Dialogue: 0,0:00:04.00,0:00:05.50,Default,,0,0,0,,{\\an8}我是来自机器人团队的亚历克斯。\\N"
                      "{\\fnArial\\fs40}I'm Alex, from the robotics team.\r\n"
                    + "Comment: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,校对：某某\r\n"
                    + "Dialogue: 1,0:00:01.00,0:00:09.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}\r\n"
                    + "Dialogue: 0,0:00:02.00,0:00:03.50,Default,,0,0,0,,{\\fad(200,200)}大家好。\r\n"
                    + "Dialogue: 0,0:00:02.00,0:00:03.50,Eng,,0,0,0,,Hi, everybody, I'm glad you came.\r\n",
                    encoding="utf-8")
    document, _ = read_document(path, "talk")
    assert document.format == "ass"
    assert [(p.lang, p.text, cue_time(p.location)) for p in document.paragraphs] == [
        ("zh", "大家好。", (2000, 3500)), ("zh", "我是来自机器人团队的亚历克斯。", (4000, 5500)),
        ("en", "Hi, everybody, I'm glad you came.", (2000, 3500)), ("en", "I'm Alex, from the robotics team.", (4000, 5500))]
    assert sorted(e.note.split(";")[0] for e in document.removed) == ["comment", "drawing"]


def test_an_ass_file_that_is_not_one_is_skipped_with_a_reason(tmp_path):
    from align.ingest import ingest

    (tmp_path / "broken.ass").write_text("[Script Info]\n[Events]\nFormat: Start, End\nDialogue: x,y\n", encoding="utf-8")
    (tmp_path / "talk.zh.srt").write_text(_srt(ZH), encoding="utf-8")
    _docs, skipped = ingest([tmp_path])
    assert [(s.path.endswith("broken.ass"), "ASS" in s.reason or "ass" in s.reason) for s in skipped] == [(True, True)]


def test_a_subtitle_file_named_for_another_subtitle_format_is_read_as_it_is(tmp_path):
    vtt_as_srt = tmp_path / "talk.en.srt"
    vtt_as_srt.write_text("\ufeffWEBVTT\nKind: captions\nLanguage: en\n\n00:00:02.000 --> 00:00:03.500\n"
                          "I'm Alex, from the robotics team.\n", encoding="utf-8")
    srt_as_vtt = tmp_path / "talk.zh.vtt"
    srt_as_vtt.write_text(_srt(ZH), encoding="utf-8")
    document, _ = read_document(vtt_as_srt, "en")
    assert document.format == "vtt" and [p.text for p in document.paragraphs] == ["I'm Alex, from the robotics team."]
    document, _ = read_document(srt_as_vtt, "zh")
    assert document.format == "srt" and [p.text for p in document.paragraphs] == ZH


def test_one_file_of_both_languages_cut_differently_is_aligned_as_two_files(tmp_path):
    import json

    from click.testing import CliRunner

    from align.cli import cli

    zh = ["今天我想和大家谈谈城市里的树。", "树木让街道在夏天变得凉爽。", "它们还为鸟类提供了家园。", "但是很多城市正在失去它们的树。",
          "老的树被砍掉，新的树太小。", "我们需要种植更多的树。"]
    en = [["Today I want to talk to you", "about the trees in our cities."], ["Trees keep the streets cool in summer."],
          ["They also give birds a home."], ["But many cities", "are losing their trees."],
          ["Old trees are cut down,", "and new trees are too small."], ["We need to plant more trees."]]
    cues = []
    for n, (chinese, english) in enumerate(zip(zh, en)):
        start = 4000 * n
        cues.append((start, start + 3990, chinese))
        for k, line in enumerate(english):  # the English cut in two where the Chinese is not, 10 ms sooner
            cues.append((start - 10 + 4000 * k // len(english), start - 10 + 4000 * (k + 1) // len(english), line))
    stamp = lambda ms: f"00:{ms // 60000:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"  # noqa: E731
    path = tmp_path / "talk.srt"
    path.write_text("\n".join(f"{n}\n{stamp(max(0, a))} --> {stamp(b)}\n{text}\n"
                              for n, (a, b, text) in enumerate(cues, 1)), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(path), "-o", str(out), "-q", "--format", "jsonl", "--format", "srt"])
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(p["zh"], p["en"]) for p in pairs] == [(c, " ".join(e)) for c, e in zip(zh, en)]
