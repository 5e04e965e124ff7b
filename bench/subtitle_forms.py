"""Subtitle files in the forms users have them: one real pair rewritten as YouTube's rolling
automatic captions, with styling tags, in GBK, with a byte-order mark and CRLF, without cue
numbers, with numbers out of order, stored out of time order, as one bilingual file (a cue
of two lines, or each language's cues as they were cut), and timed to another release; each run through ``align run --format srt --format vtt`` and
compared with the pair as it is.

    python bench/subtitle_forms.py [FOLDER] [--keep build/subtitle-forms]

FOLDER holds ``talk.zh.srt`` and ``talk.en.srt`` (default: bench/subtitles-dev). For each
form: the cues of ``corpus.srt`` (read with ``srt``) and of ``corpus.vtt`` (``webvtt-py``),
those with a Chinese and an English line, whether they are in time order without overlaps,
the shortest cue, the share of its pairs that the pair as it is also gives (texts compared
without case and punctuation), and whether every input sentence is in a pair or listed
unaligned.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import srt

HERE = Path(__file__).resolve().parent
MS = datetime.timedelta(milliseconds=1)


def _stamp(td) -> str:
    t = int(td / MS)
    return f"{t // 3600000:02d}:{t // 60000 % 60:02d}:{t // 1000 % 60:02d}.{t % 1000:03d}"


def youtube(cues, plain: bool = False) -> str:
    """Rolling automatic captions: each cue shows the line before again above its new words
    (timed with ``<c>`` tags), and a 10 ms cue holds the new line alone; ``plain``: lower
    case without punctuation, as speech recognition writes."""
    out, previous = ["WEBVTT", "Kind: captions", "Language: en", ""], ""
    for cue in cues:
        line = " ".join(cue.content.split())
        line = re.sub(r"[.,!?;:\"]", "", line).lower() if plain else line
        first, *rest = line.split() or [""]
        step = (cue.end - cue.start) / max(1, len(rest) + 1)
        timed = first + "".join(f"<{_stamp(cue.start + step * k)}><c> {w}</c>" for k, w in enumerate(rest, 1))
        hold = cue.end - 10 * MS
        out += [f"{_stamp(cue.start)} --> {_stamp(hold)} align:start position:0%", (previous or " ") + "\n" + timed,
                "", f"{_stamp(hold)} --> {_stamp(cue.end)} align:start position:0%", line, " ", ""]
        previous = line
    return "\n".join(out)


def _retimed(cues, shift_ms: int = 0, scale: float = 1.0):
    return [srt.Subtitle(c.index, c.start * scale + shift_ms * MS, c.end * scale + shift_ms * MS, c.content) for c in cues]


def _bilingual(zh, en) -> str:
    """Each Chinese cue with the English cues shown mostly inside it, as one file."""
    cues = []
    for c in zh:
        inside = [e.content.replace("\n", " ") for e in en if min(e.end, c.end) - max(e.start, c.start) > (e.end - e.start) / 2]
        cues.append(srt.Subtitle(c.index, c.start, c.end, c.content + "\n" + " ".join(inside)))
    return srt.compose(cues, reindex=False)


def forms(zh, en, tmp: Path) -> dict[str, tuple[list[Path], list[str]]]:
    """Each form's input files (built in ``tmp``) and extra options of align run."""
    compose = lambda cues: srt.compose(cues, reindex=False)  # noqa: E731
    numbers = list(range(1, len(zh) + 1))
    random.Random(1).shuffle(numbers)
    third = len(zh) // 3
    built = {
        "youtube.en.vtt": youtube(en), "youtube-asr.en.vtt": youtube(en, plain=True),
        "tags.zh.srt": compose([srt.Subtitle(c.index, c.start, c.end, ("{\\an8}" if n % 7 == 0 else "")
                                             + (f'<font color="#ffff00">{c.content}</font>' if n % 5 == 0 else c.content))
                                for n, c in enumerate(zh)]),
        "tags.en.srt": compose([srt.Subtitle(c.index, c.start, c.end, f"<i>{c.content}</i>" if n % 4 == 0 else c.content)
                                for n, c in enumerate(en)]),
        "bom-crlf.zh.srt": "\ufeff" + compose(zh).replace("\n", "\r\n"),
        "no-numbers.zh.srt": re.sub(r"(?m)^\d+\n(?=\d\d:)", "", compose(zh)),
        "no-numbers.en.srt": re.sub(r"(?m)^\d+\n(?=\d\d:)", "", compose(en)),
        "numbers-shuffled.zh.srt": compose([srt.Subtitle(n, c.start, c.end, c.content) for n, c in zip(numbers, zh)]),
        "unsorted.zh.srt": compose(zh[:third] + zh[2 * third:] + zh[third:2 * third]),
        "bilingual.srt": _bilingual(zh, en),
        "both-cut-apart.srt": srt.compose(sorted(zh + en, key=lambda c: (c.start, c.end)), reindex=True),
        "shifted.zh.srt": compose(_retimed(zh, 2500)), "framerate.zh.srt": compose(_retimed(zh, 0, 25 / 23.976)),
    }
    for name, text in built.items():
        (tmp / name).write_text(text, encoding="utf-8")
    (tmp / "gbk.zh.srt").write_bytes(compose(zh).encode("gbk"))
    z, e = tmp / "talk.zh.srt", tmp / "talk.en.srt"
    z.write_text(compose(zh), encoding="utf-8")
    e.write_text(compose(en), encoding="utf-8")
    t = lambda name: tmp / name  # noqa: E731
    return {"as it is": ([z, e], []), "YouTube rolling (en.vtt)": ([z, t("youtube.en.vtt")], []),
            "YouTube rolling, speech-recognition text": ([z, t("youtube-asr.en.vtt")], []),
            "<i>, <font>, {\\an8} tags": ([t("tags.zh.srt"), t("tags.en.srt")], []),
            "BOM + CRLF": ([t("bom-crlf.zh.srt"), e], []), "GBK": ([t("gbk.zh.srt"), e], []),
            "no cue numbers (both)": ([t("no-numbers.zh.srt"), t("no-numbers.en.srt")], []),
            "cue numbers shuffled": ([t("numbers-shuffled.zh.srt"), e], []),
            "stored out of time order": ([t("unsorted.zh.srt"), e], []), "one bilingual file": ([t("bilingual.srt")], []),
            "one file, each language's cues as cut": ([t("both-cut-apart.srt")], []),
            "Chinese 2.5 s later": ([t("shifted.zh.srt"), e], []),
            "Chinese 2.5 s later, --cue-times en": ([t("shifted.zh.srt"), e], ["--cue-times", "en"]),
            "Chinese at 25/23.976 fps": ([t("framerate.zh.srt"), e], [])}


def _key(record) -> tuple[str, str]:
    return record["zh"], " ".join(re.sub(r"[^a-z0-9' ]", " ", record["en"].lower()).split())


def check(files: list[Path], extra: list[str], out: Path, cache: Path) -> dict:
    import webvtt

    subprocess.run([sys.executable, "-m", "align.cli", "run", *map(str, files), "-o", str(out), "-q", "--overwrite",
                    "--translate", "none", "--cache-dir", str(cache), "--format", "jsonl", "--format", "srt",
                    "--format", "vtt", *extra], check=True, stderr=subprocess.DEVNULL)
    cues = list(srt.parse((out / "corpus.srt").read_text(encoding="utf-8")))
    han = re.compile(r"[\u4e00-\u9fff]")
    both = sum(1 for c in cues if len(c.content.splitlines()) == 2 and han.search(c.content.splitlines()[0])
               and not han.search(c.content.splitlines()[1]))
    pairs = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    unaligned = [json.loads(line) for line in (out / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    said = json.loads((out / "run.json").read_text(encoding="utf-8"))
    paired = sum(len(p["zh_ids"]) + len(p["en_ids"]) for p in pairs)
    return {"srt": len(cues), "vtt": len(webvtt.read(str(out / "corpus.vtt")).captions), "both": both,
            "ordered": all(a.start < a.end <= b.start for a, b in zip(cues, cues[1:])),
            "shortest": min(int((c.end - c.start) / MS) for c in cues) if cues else 0,
            "adjusted": said["subtitles"]["corpus"]["times_adjusted"], "pairs": {_key(p) for p in pairs},
            "accounted": paired + sum(1 for u in unaligned if u.get("reason")) == said["counts"]["sentences"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=HERE / "subtitles-dev")
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs here")
    args = parser.parse_args()
    zh, en = (list(srt.parse((args.folder / f"talk.{lang}.srt").read_text(encoding="utf-8-sig"))) for lang in ("zh", "en"))
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        (work / "in").mkdir(parents=True, exist_ok=True)
        base = None
        print("| form | cues (srt / vtt) | with both lines | ordered, no overlap | shortest cue (ms) | times adjusted "
              "| pairs as the plain pair's | every sentence accounted for |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for n, (name, (files, extra)) in enumerate(forms(zh, en, work / "in").items()):
            got = check(files, extra, work / f"out{n:02d}", work / "cache")
            base = base or got["pairs"]
            same = len(got["pairs"] & base) / max(1, len(got["pairs"]))
            print(f"| {name} | {got['srt']} / {got['vtt']} | {got['both']} | {got['ordered']} | {got['shortest']} | {got['adjusted']} | "
                  f"{same:.1%} | {got['accounted']} |")


if __name__ == "__main__":
    main()
