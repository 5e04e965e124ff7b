"""English sentence splitting on MAC-dev: the shipped splitter (pysbd's boundaries and the
quote rule, less abbreviations) against the hand rules alone (0.1's splitter).

MAC-dev's English files hold one sentence a line, as the corpus makers split them. The
lines are joined into paragraphs of ``--size`` sentences and split again; a boundary is
right when it falls where two lines met.

    python bench/splitter.py [--size 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import chapters, mac_dev_dir, read_lines  # noqa: E402

from align import segment  # noqa: E402


def hand_rules(text: str) -> list[tuple[int, int]]:
    """0.1's splitter: the hand rule alone, abbreviations and initials aside."""
    ends = [m.end() for m in segment._EN_END.finditer(text)
            if not (segment._is_abbreviation(text, m.start()) and m.group().startswith("."))]
    return list(segment._spans(text, ends))


def pysbd_alone(text: str) -> list[tuple[int, int]]:
    import pysbd

    pieces = pysbd.Segmenter(language="en", clean=False, char_span=True).segment(text)
    return list(segment._spans(text, [p.end for p in pieces]))


def boundaries(spans) -> set[int]:
    return {start for start, _ in spans[1:]}


def score(split, paragraphs) -> tuple[float, float, float]:
    right = found = gold = 0
    for lines in paragraphs:
        text, cuts, pos = "", set(), 0
        for k, line in enumerate(lines):
            if k:
                text += " "
                pos += 1
                cuts.add(pos)
            text += line
            pos += len(line)
        got = boundaries(split(text))
        right += len(got & cuts)
        found += len(got)
        gold += len(cuts)
    p, r = right / max(1, found), right / max(1, gold)
    return p, r, 2 * p * r / max(1e-9, p + r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5, help="sentences joined into one paragraph")
    args = parser.parse_args()
    root = mac_dev_dir()
    paragraphs = []
    for name in chapters(root):
        lines = [line.strip() for line in read_lines(root / "en" / f"{name}.txt") if line.strip()]
        paragraphs += [lines[i : i + args.size] for i in range(0, len(lines), args.size)]
    print(f"MAC-dev English, {sum(len(p) for p in paragraphs)} sentences in paragraphs of {args.size}")
    print("| splitter | boundary precision | recall | F1 |")
    print("| --- | --- | --- | --- |")
    for name, split in (("hand rules (0.1)", hand_rules), ("pysbd alone", pysbd_alone),
                        ("pysbd + quote rule (shipped)", segment.split_english)):
        p, r, f = score(split, paragraphs)
        print(f"| {name} | {p:.4f} | {r:.4f} | {f:.4f} |")


if __name__ == "__main__":
    main()
