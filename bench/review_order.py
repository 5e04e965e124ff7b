"""Errors first: how many wrong beads a reviewer meets at the top of the review page, in
the "most likely wrong" order (``align.review.order``) and sorted by quality alone.

``align run`` aligns the six MAC-dev chapters (``NNN.zh.txt`` beside ``NNN.en.txt``,
``--min-quality 0`` so that every pair is counted); a pair is wrong when its lines are not
exactly one gold bead. The table gives the wrong beads among the first 20 and 50 rows of
each chapter: by quality, by the shipped weights (chosen on these six chapters), and
leave-one-chapter-out (weights chosen on the other five by the same grid, then used on the
held-out one).

    python bench/review_order.py
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import chapters, mac_dev_dir, read_chapter  # noqa: E402

from align.review.order import ErrorsFirst, likely_wrong  # noqa: E402

def run_chapters(root: Path, tmp: Path) -> tuple[dict[str, list[dict]], dict[str, set[str]], float]:
    """The corpus records of an align run on every chapter and the ids of its unaligned
    sentences, by chapter, and the run's length ratio."""
    inputs = tmp / "in"
    inputs.mkdir()
    for name in chapters(root):
        (inputs / f"{name}.zh.txt").write_text((root / "zh" / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
        (inputs / f"{name}.en.txt").write_text((root / "en" / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp / "out"
    subprocess.run([sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(out), "-q", "--translate", "none",
                    "--min-quality", "0"], check=True)
    by_chapter: dict[str, list[dict]] = {}
    for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_chapter.setdefault(record["zh_ids"][0].split(".")[0], []).append(record)
    left_out: dict[str, set[str]] = {}
    for line in (out / "unaligned.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        left_out.setdefault(record["id"].split(".")[0], set()).add(record["id"])
    ratio = json.loads((out / "run.json").read_text(encoding="utf-8"))["length_ratio"]
    return by_chapter, left_out, ratio


def lines(record: dict, lang: str) -> tuple[int, ...]:
    """The chapter lines a side of a pair comes from: each line of a MAC-dev file is a
    paragraph, and the segmenter may cut one into several sentences."""
    return tuple(sorted({p["paragraph"] for p in record["provenance"][lang]}))


def is_piece(record: dict, gold_beads) -> bool:
    """Whether a pair's lines all lie within one gold bead (a piece of it)."""
    zh, en = set(lines(record, "zh")), set(lines(record, "en"))
    return any(zh <= set(b.src) and en <= set(b.tgt) for b in gold_beads)


def is_wrong(record: dict, gold: set) -> bool:
    """Whether a pair's lines are not exactly a gold bead (a pair that holds part of a line's
    sentences counts as right when its lines are one)."""
    return (lines(record, "zh"), lines(record, "en")) not in gold


GRID = [ErrorsFirst(*w) for w in itertools.product((0, 0.25, 0.5, 0.75, 1.0, 1.5), (0, 0.1, 0.2, 0.3, 0.5))]


@dataclass
class Chapter:
    records: list[dict]
    wrong: dict[str, bool]
    left_out: set[str]

    def at_top(self, order: list[str]) -> tuple[int, int]:
        return sum(self.wrong[i] for i in order[:20]), sum(self.wrong[i] for i in order[:50])

    def by_quality(self) -> list[str]:
        return [r["id"] for r in sorted(self.records, key=lambda r: r["quality"])]

    def errors_first(self, weights: ErrorsFirst, ratio: float) -> list[str]:
        scores = likely_wrong(self.records, self.left_out, ratio, weights)
        return sorted(scores, key=lambda i: -scores[i])


def _total(chs: list[Chapter], weights: ErrorsFirst, ratio: float) -> int:
    return sum(sum(c.at_top(c.errors_first(weights, ratio))) for c in chs)


def main() -> None:
    root = mac_dev_dir()
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        by_chapter, left_out, ratio = run_chapters(root, Path(tmp))
    data, pieces = {}, 0
    for name in chapters(root):
        _, _, gold_beads, _ = read_chapter(root, name)
        gold = {(tuple(b.src), tuple(b.tgt)) for b in gold_beads}
        records = by_chapter.get(name, [])
        data[name] = Chapter(records, {r["id"]: is_wrong(r, gold) for r in records}, left_out.get(name, set()))
        pieces += sum(is_wrong(r, gold) and is_piece(r, gold_beads) for r in records)
    print("| chapter | pairs | wrong | by quality: first 20 / 50 | errors first (shipped) | errors first (leave one out) |")
    print("| --- | --- | --- | --- | --- | --- |")
    totals = [0] * 8
    for name, c in data.items():
        others = [data[n] for n in data if n != name]
        held_out = max(GRID, key=lambda w: _total(others, w, ratio))
        row = [len(c.records), sum(c.wrong.values()), *c.at_top(c.by_quality()), *c.at_top(c.errors_first(ErrorsFirst(), ratio)),
               *c.at_top(c.errors_first(held_out, ratio))]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"| {name} | {row[0]} | {row[1]} | {row[2]} / {row[3]} | {row[4]} / {row[5]} | {row[6]} / {row[7]} |")
    t = totals
    print(f"| all | {t[0]} | {t[1]} | {t[2]} / {t[3]} | {t[4]} / {t[5]} | {t[6]} / {t[7]} |")
    best = max(GRID, key=lambda w: _total(list(data.values()), w, ratio))
    print(f"best weights on all six chapters: {best}; shipped: {ErrorsFirst()}")
    print(f"wrong pairs that are a piece of one gold bead: {pieces} of {t[1]}")


if __name__ == "__main__":
    main()
