"""Interleaved bilingual files: precision and cost on MAC-dev chapters written as documents
that alternate languages, each gold bead's Chinese paragraph followed by its English.

A pair is right when all its sentences come from the two paragraphs of one gold bead
(the segmenter may split a bead's paragraph into several sentences, so exact beads are
not the measure here). Recall is the share of sentences of two-sided beads that end up in
a right pair. The cost is measured on one file holding the chapter 1, 3 and 10 times, each
in its own process (peak memory is that process's).

    python bench/interleaved.py [--chapters 001,...] [--scales 1,3,10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import DEFAULT_MAC_DEV, peak_rss_mb  # noqa: E402


def interleaved_text(mac: Path, name: str, copies: int = 1) -> tuple[str, list[int]]:
    """The file's text and, for each of its paragraphs, the number of the gold bead it holds."""
    from align.io.beads import read_beads

    zh = (mac / "zh" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    en = (mac / "en" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    beads = read_beads((mac / "gold" / f"{name}.align").read_text(encoding="utf-8"))
    blocks, owner = [], []
    for copy in range(copies):
        for number, bead in enumerate(beads):
            for side, lines, joiner in ((bead.src, zh, ""), (bead.tgt, en, " ")):
                if side:
                    blocks.append(joiner.join(lines[i] for i in side))
                    owner.append(copy * len(beads) + number)
    return "\n\n".join(blocks) + "\n", owner


def score(pairs, owner: list[int], sentences) -> dict:
    right = [p for p in pairs if len({owner[s.paragraph] for s in p.zh + p.en}) == 1]
    two_sided = {o for o in set(owner) if owner.count(o) == 2}
    covered = sum(len(p.zh) + len(p.en) for p in right)
    total = sum(1 for s in sentences if owner[s.paragraph] in two_sided)
    return {"pairs": len(pairs), "right": len(right), "precision": len(right) / max(1, len(pairs)),
            "recall": covered / max(1, total)}


def child(mac: str, name: str, copies: int) -> None:
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.run import run
    from align.translate.stage import TranslateSettings

    text, owner = interleaved_text(Path(mac), name, copies)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bilingual_{name}.txt"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        result = run([path], RunConfig(translate=TranslateSettings(mode="none")), get_encoder("use"))
        seconds = time.perf_counter() - start
    out = score(result.pairs, owner, result.prepared.sentences)
    out.update({"seconds": seconds, "align_seconds": result.timings["pair"] + result.timings["align"], "peak_mb": peak_rss_mb(),
                "paragraphs": len(owner), "sentences": len(result.prepared.sentences),
                "methods": sorted({p.method for p in result.pairs})})
    print(json.dumps(out))


def measure(mac: str, name: str, copies: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", mac, name, str(copies)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chapters", default="001,002,003,004,005,006")
    parser.add_argument("--scales", default="1,3,10")
    parser.add_argument("--mac-dev", default=str(DEFAULT_MAC_DEV))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child[:2], int(args.child[2]))
        return
    names = args.chapters.split(",")
    right = pairs = 0
    print(f"{'chapter':>7} {'paragraphs':>10} {'pairs':>6} {'precision':>9} {'recall':>7}")
    for name in names:
        r = measure(args.mac_dev, name, 1)
        right, pairs = right + r["right"], pairs + r["pairs"]
        print(f"{name:>7} {r['paragraphs']:>10} {r['pairs']:>6} {r['precision']:>9.4f} {r['recall']:>7.4f}", flush=True)
    print(f"{'all':>7} {'':>10} {pairs:>6} {right / max(1, pairs):>9.4f}")
    print(f"\ncost on chapter {names[0]} repeated in one file:")
    print(f"{'scale':>5} {'sentences':>9} {'time':>7} {'align':>7} {'peak':>8} {'precision':>9}")
    for scale in (int(s) for s in args.scales.split(",")):
        r = measure(args.mac_dev, names[0], scale)
        print(f"{scale:>4}x {r['sentences']:>9} {r['seconds']:>6.1f}s {r['align_seconds']:>6.1f}s {r['peak_mb']:>6.0f}MB "
              f"{r['precision']:>9.4f}", flush=True)


if __name__ == "__main__":
    main()
