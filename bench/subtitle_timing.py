"""Cue timing as evidence for the aligner: two subtitle files aligned from their text alone
and from their text and cue times, scored against a gold alignment of cues.

For each pair folder (``talk.zh.srt``, ``talk.en.srt``, ``gold.tsv``: a Chinese cue number
and an English cue number a line) three runs of ``align run --translate none``:

- ``text only``: the cues written as plain text files, one cue a paragraph (the aligner sees
  the same sentences, without times);
- ``text + times``: the subtitle files as they are;
- ``text + times shifted``: the Chinese file with every cue moved 1.5 s later and each start
  and end jittered by up to 0.4 s (a fixed seed): a release timed by other hands;
- ``text + times 25 fps`` (and ``weak text + times 25 fps``): the Chinese file of a release
  at another frame rate, every time multiplied by 25 / 23.976 (4% later by the end);
- ``weak text only`` and ``weak text + times``: weak text made on purpose (synthetic): the
  text of every third cue of each file (by cue number) cut to its first word (English) or its
  first two characters (Chinese), as short cues, names and interjections are; once as plain
  text, once as subtitles.

Each run is told by a ``--pairs`` manifest that the two files translate each other. A pair's links are every (Chinese cue, English cue) its sentences come from; precision is the
share of found links in the gold, recall the share of gold links found.

    python bench/subtitle_timing.py [FOLDER ...] [--keep build/subtitle-timing]

Default folders: bench/subtitles-ted and bench/subtitles-dev (see their READMEs).
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

HERE = Path(__file__).resolve().parent
SHIFT_MS, JITTER_MS = 1500, 400
FRAME_RATE = 25 / 23.976  # a film at 25 frames a second from a 23.976 one


def read_cues(path: Path):
    import srt

    return list(srt.parse(path.read_text(encoding="utf-8-sig")))


def write_text_version(cues, path: Path) -> dict[int, int]:
    """The cues as a plain text file, one cue a line and a blank line between cues; returns
    line number -> cue number."""
    lines, where = [], {}
    for cue in cues:
        where[len(lines) + 1] = cue.index
        lines += [" ".join(x.strip() for x in cue.content.splitlines() if x.strip()), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return where


def weakened(cues):
    """Every third cue (by number) cut to its first word or first two Chinese characters."""
    import srt

    def cut(text: str) -> str:
        line = " ".join(x.strip() for x in text.splitlines() if x.strip())
        return line[:2] if any("\u4e00" <= ch <= "\u9fff" for ch in line) else (line.split() or [""])[0]

    return [srt.Subtitle(c.index, c.start, c.end, cut(c.content)) if c.index % 3 == 0 else c for c in cues]


def write_srt(cues, path: Path) -> None:
    import srt

    path.write_text(srt.compose(cues, reindex=False), encoding="utf-8")


def write_shifted(cues, path: Path) -> None:
    import srt

    rng = random.Random(38)
    ms = datetime.timedelta(milliseconds=1)
    moved = []
    for cue in cues:
        start = cue.start + (SHIFT_MS + rng.randint(-JITTER_MS, JITTER_MS)) * ms
        end = max(start + 200 * ms, cue.end + (SHIFT_MS + rng.randint(-JITTER_MS, JITTER_MS)) * ms)
        moved.append(srt.Subtitle(cue.index, start, end, cue.content))
    path.write_text(srt.compose(moved, reindex=False), encoding="utf-8")


def write_stretched(cues, path: Path) -> None:
    import srt

    path.write_text(srt.compose([srt.Subtitle(c.index, c.start * FRAME_RATE, c.end * FRAME_RATE, c.content)
                                 for c in cues], reindex=False), encoding="utf-8")


def cue_of(entry: dict, lines: dict[int, int] | None) -> int:
    location = entry.get("location", "")
    if lines is None:
        return int(re.match(r"cue (\d+)", location).group(1))
    return lines[int(re.match(r"line (\d+)", location).group(1))]


def links(out: Path, lines: tuple[dict, dict] | None) -> set[tuple[int, int]]:
    found = set()
    for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        zh = {cue_of(e, lines and lines[0]) for e in record["provenance"]["zh"]}
        en = {cue_of(e, lines and lines[1]) for e in record["provenance"]["en"]}
        found |= {(z, e) for z in zh for e in en}
    return found


def run(zh: Path, en: Path, out: Path) -> None:
    """``align run`` on the two files, with a manifest that says they translate each other
    (they are subtitles of one video: weakened text must not make them "comparable")."""
    manifest = out.with_name(out.name + ".pairs.tsv")
    manifest.write_text(f"{zh.resolve()}\t{en.resolve()}\ttranslation\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "align.cli", "run", str(zh), str(en), "-o", str(out), "-q", "--overwrite",
                    "--translate", "none", "--format", "jsonl", "--pairs", str(manifest)], check=True)


def score(found: set, gold: set) -> str:
    right = len(found & gold)
    p, r = right / max(1, len(found)), right / max(1, len(gold))
    return f"P {p:.4f}  R {r:.4f}  F1 {2 * p * r / max(1e-9, p + r):.4f}  (links {len(found)}, right {right}, gold {len(gold)})"


def bench(folder: Path, work: Path) -> None:
    gold = {tuple(int(x) for x in line.split("\t")[:2]) for line in (folder / "gold.tsv").read_text().splitlines()
            if line.strip() and not line.startswith("#")}
    zh_cues, en_cues = read_cues(folder / "talk.zh.srt"), read_cues(folder / "talk.en.srt")
    text = work / "text"
    text.mkdir(parents=True, exist_ok=True)
    where = (write_text_version(zh_cues, text / "talk.zh.txt"), write_text_version(en_cues, text / "talk.en.txt"))
    shifted = work / "shifted"
    shifted.mkdir(exist_ok=True)
    write_shifted(zh_cues, shifted / "talk.zh.srt")
    (shifted / "talk.en.srt").write_text((folder / "talk.en.srt").read_text(encoding="utf-8-sig"), encoding="utf-8")
    weak = work / "weak"
    weak.mkdir(exist_ok=True)
    write_srt(weakened(zh_cues), weak / "talk.zh.srt")
    write_srt(weakened(en_cues), weak / "talk.en.srt")
    for name, zh, english in (("stretched", zh_cues, folder / "talk.en.srt"), ("weak-stretched", weakened(zh_cues),
                                                                             weak / "talk.en.srt")):
        (work / name).mkdir(exist_ok=True)
        write_stretched(zh, work / name / "talk.zh.srt")
        (work / name / "talk.en.srt").write_text(english.read_text(encoding="utf-8-sig"), encoding="utf-8")
    weak_where = (write_text_version(weakened(zh_cues), weak / "talk.zh.txt"),
                  write_text_version(weakened(en_cues), weak / "talk.en.txt"))
    print(f"{folder.name}: {len(zh_cues)} Chinese cues, {len(en_cues)} English cues, {len(gold)} gold links")
    for name, (zh, en), lines in (("text only", (text / "talk.zh.txt", text / "talk.en.txt"), where),
                                  ("text + times", (folder / "talk.zh.srt", folder / "talk.en.srt"), None),
                                  ("text + times shifted", (shifted / "talk.zh.srt", shifted / "talk.en.srt"), None),
                                  ("weak text only", (weak / "talk.zh.txt", weak / "talk.en.txt"), weak_where),
                                  ("weak text + times", (weak / "talk.zh.srt", weak / "talk.en.srt"), None),
                                  ("text + times 25 fps", (work / "stretched" / "talk.zh.srt",
                                                           work / "stretched" / "talk.en.srt"), None),
                                  ("weak text + times 25 fps", (work / "weak-stretched" / "talk.zh.srt",
                                                                work / "weak-stretched" / "talk.en.srt"), None)):
        out = work / f"out-{name.replace(' ', '-').replace('+', 'and')}"
        run(zh, en, out)
        print(f"  {name:26s} {score(links(out, lines), gold)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[HERE / "subtitles-ted", HERE / "subtitles-dev"])
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.folders:
            bench(folder, (args.keep or Path(tmp)) / folder.name)


if __name__ == "__main__":
    main()
