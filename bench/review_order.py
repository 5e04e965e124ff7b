"""Errors first: how many wrong beads a reviewer meets at the top of the review report when
it is sorted by quality (lowest first), the report's order today.

``align run`` aligns the six MAC-dev chapters (``NNN.zh.txt`` beside ``NNN.en.txt``,
``--min-quality 0`` so that every pair is counted); a pair is wrong when its lines are not
exactly one gold bead. The table gives the wrong beads among the first 20 and 50 rows of
each chapter sorted by quality: the baseline an "errors first" order has to beat.

    python bench/review_order.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import chapters, mac_dev_dir, read_chapter  # noqa: E402

def run_chapters(root: Path, tmp: Path) -> dict[str, list[dict]]:
    """The corpus records of an align run on every chapter, by chapter."""
    inputs = tmp / "in"
    inputs.mkdir()
    for name in chapters(root):
        (inputs / f"{name}.zh.txt").write_text((root / "zh" / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
        (inputs / f"{name}.en.txt").write_text((root / "en" / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp / "out"
    subprocess.run([sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(out), "-q", "--translate", "none",
                    "--min-quality", "0"], check=True)
    records = [json.loads(x) for x in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    by_chapter: dict[str, list[dict]] = {}
    for record in records:
        by_chapter.setdefault(record["zh_ids"][0].split(".")[0], []).append(record)
    return by_chapter


def lines(record: dict, lang: str) -> tuple[int, ...]:
    """The chapter lines a side of a pair comes from: each line of a MAC-dev file is a
    paragraph, and the segmenter may cut one into several sentences."""
    return tuple(sorted({p["paragraph"] for p in record["provenance"][lang]}))


def is_wrong(record: dict, gold: set) -> bool:
    """Whether a pair's lines are not exactly a gold bead (a pair that holds part of a line's
    sentences counts as right when its lines are one)."""
    return (lines(record, "zh"), lines(record, "en")) not in gold


def main() -> None:
    root = mac_dev_dir()
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        by_chapter = run_chapters(root, Path(tmp))
    print("| chapter | pairs | wrong | wrong in the first 20 / 50 by quality |")
    print("| --- | --- | --- | --- |")
    totals = [0, 0, 0, 0]
    for name in chapters(root):
        _, _, gold_beads, _ = read_chapter(root, name)
        gold = {(tuple(b.src), tuple(b.tgt)) for b in gold_beads}
        records = by_chapter.get(name, [])
        wrong = [is_wrong(r, gold) for r in records]
        by_quality = sorted(range(len(records)), key=lambda n: records[n]["quality"])
        row = [len(records), sum(wrong)] + [sum(wrong[n] for n in by_quality[:k]) for k in (20, 50)]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"| {name} | {row[0]} | {row[1]} | {row[2]} / {row[3]} |")
    print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} / {totals[3]} |")


if __name__ == "__main__":
    main()
