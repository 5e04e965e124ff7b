"""Bilingual subtitles from two subtitle files (``align run ZH.srt EN.srt --format srt``):
does ``corpus.srt`` parse, how many cues, each with a Chinese and an English line, in time
order without overlaps, and what share of its cues come from a Chinese and an English input
cue that overlap in time (a pair whose sides are far apart in time is most likely wrong).

    python bench/subtitles.py [ZH.srt EN.srt] [--out build/subtitles] [-- OPTIONS OF align run]

It also reads ``corpus.vtt`` with webvtt-py, and checks that every input sentence is in a pair
or in ``unaligned.jsonl`` with a reason.

Default: the pair in bench/subtitles-dev/ (see its README).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.export.subtitles import cue_span  # noqa: E402

HERE = Path(__file__).resolve().parent


def side_span(entries: list[dict]) -> tuple[int, int] | None:
    spans = [s for s in (cue_span(e.get("location", "")) for e in entries) if s]
    return (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None


def main() -> None:
    import srt
    import webvtt

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[HERE / "subtitles-dev" / "talk.zh.srt",
                                                                 HERE / "subtitles-dev" / "talk.en.srt"])
    parser.add_argument("--out", type=Path, default=HERE.parent / "build" / "subtitles")
    argv = sys.argv[1:]
    ours, extra = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    args = parser.parse_args(ours)
    command = [sys.executable, "-m", "align.cli", "run", *map(str, args.files), "-o", str(args.out), "-q", "--overwrite",
               "--format", "jsonl", "--format", "srt", "--format", "vtt", *extra]
    subprocess.run(command, check=True)
    cues = list(srt.parse((args.out / "corpus.srt").read_text(encoding="utf-8")))
    both = sum(1 for c in cues if len(c.content.splitlines()) == 2
               and any("\u4e00" <= ch <= "\u9fff" for ch in c.content.splitlines()[0]))
    ordered = all(a.end <= b.start for a, b in zip(cues, cues[1:]))
    pairs = [json.loads(line) for line in (args.out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    overlapping = 0
    for p in pairs:
        zh, en = side_span(p["provenance"]["zh"]), side_span(p["provenance"]["en"])
        overlapping += bool(zh and en and min(zh[1], en[1]) > max(zh[0], en[0]))
    said = json.loads((args.out / "run.json").read_text(encoding="utf-8"))
    print(f"inputs: {' '.join(map(str, args.files))}")
    print(f"cues in corpus.srt: {len(cues)}; with a Chinese and an English line: {both}; "
          f"time-ordered without overlap: {ordered}; adjusted: {said['subtitles']['corpus']['times_adjusted']}")
    print(f"pairs whose Chinese and English input cues overlap in time: {overlapping}/{len(pairs)} "
          f"({overlapping / max(1, len(pairs)):.1%})")
    unaligned = [json.loads(line) for line in (args.out / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    mined = args.out / "mined.jsonl"
    mined = [json.loads(line) for line in mined.read_text(encoding="utf-8").splitlines()] if mined.exists() else []
    paired = sum(len(p["zh_ids"]) + len(p["en_ids"]) for p in pairs + mined)
    listed = sum(1 for u in unaligned if u.get("reason"))
    print(f"sentences: {said['counts']['sentences']}, in pairs: {paired}, unaligned with a reason: {listed}"
          f" (accounted for: {paired + listed == said['counts']['sentences']})")
    print(f"cues in corpus.vtt (webvtt-py): {len(webvtt.read(str(args.out / 'corpus.vtt')).captions)}")


if __name__ == "__main__":
    main()
