"""Sentence-alignment benchmark on MAC-dev: F1 against gold, time and peak memory.

Aligns the six chapters of ../shared/bench/mac-dev/ (or $MAC_DEV) with the parallel
aligner and the bundled encoder, writes the beads to an output folder, scores them with
the same code as ``align eval``, and prints strict and lax F1, time split into embedding
and search, sentences per second and peak memory. With ``--mt`` it also runs with the MT
signal from ``trans/`` (machine translations of the Chinese lines).

    python bench/mac_dev.py [--mt] [--out build/mac-dev] [--encoder use]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import chapters, mac_dev_dir, peak_rss_mb, read_chapter  # noqa: E402

from align.io.beads import format_bead  # noqa: E402
from align.aligner.parallel import ParallelSettings, align_parallel  # noqa: E402
from align.embed import embed_overlaps, get_encoder  # noqa: E402
from align.evaluate import Counts, count  # noqa: E402



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mt", action="store_true", help="also align with the MT signal from trans/")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "build" / "mac-dev")
    parser.add_argument("--encoder", default="use")
    args = parser.parse_args()
    root = mac_dev_dir()
    encoder = get_encoder(args.encoder)
    settings = ParallelSettings()
    runs = {"embeddings": (settings, False)}
    if args.mt:
        runs["embeddings+MT"] = (ParallelSettings(mt_weight=0.3), True)
    embed_seconds = 0.0
    search = {name: 0.0 for name in runs}
    totals = {name: Counts() for name in runs}
    sentences = 0
    for name in chapters(root):
        zh, en, gold, trans = read_chapter(root, name)
        sentences += len(zh) + len(en)
        t = time.perf_counter()
        zh_emb = embed_overlaps(encoder, zh, settings.max_bead, "zh")
        en_emb = embed_overlaps(encoder, en, settings.max_bead, "en")
        embed_seconds += time.perf_counter() - t
        mt_emb = None
        for run_name, (run_settings, use_mt) in runs.items():
            if use_mt and mt_emb is None:
                if trans is None:
                    raise SystemExit(f"{name}: no trans/ file for --mt")
                t = time.perf_counter()
                mt_emb = embed_overlaps(encoder, trans, settings.max_bead, "en")
                embed_seconds += time.perf_counter() - t
            t = time.perf_counter()
            beads = align_parallel(zh_emb, en_emb, run_settings, mt_emb if use_mt else None)
            search[run_name] += time.perf_counter() - t
            out = args.out / run_name.replace("+", "-")
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.align").write_text("".join(format_bead(b) + "\n" for b in beads), encoding="utf-8")
            totals[run_name] = totals[run_name] + count(gold, beads)
    print(f"MAC-dev: {len(chapters(root))} chapters, {sentences} sentences, encoder {encoder.signature}")
    for run_name, counts in totals.items():
        s, lx = counts.strict(), counts.lax()
        print(f"{run_name:<15} strict P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f} | "
              f"lax P {lx.precision:.4f} R {lx.recall:.4f} F1 {lx.f1:.4f} | search {search[run_name]:.1f} s")
    first = next(iter(runs))
    total = embed_seconds + search[first]
    print(f"time (embeddings run): embed {embed_seconds:.1f} s + search {search[first]:.1f} s = {total:.1f} s, "
          f"{sentences / total:.0f} sentences/s; peak memory {peak_rss_mb():.0f} MB")
    print(f"beads written to {args.out}/ (score them again with: align eval {root / 'gold'} {args.out / first})")


if __name__ == "__main__":
    main()
