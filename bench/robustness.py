"""Scale and memory benchmark: a 50 MB input file, and parallel alignment at 10k/30k/100k sentences.

1. A 50 MB text file (the seeds repeated with numbered variations) goes through ingest,
   normalization and segmentation; prints time, sentences and peak memory.
2. A synthetic parallel pair of N sentences per side (random 512-d embeddings with their
   overlap vectors precomputed, 1-1 beads with a few 1-2 and 0-1 beads) is aligned by the
   parallel aligner; prints time, accuracy against the planted path and peak memory, for
   N = 10,000, 30,000 and 100,000. Each measurement runs in its own process, so peak
   memory (VmHWM) is its own.

    python bench/robustness.py [--sizes 10000,30000,100000] [--megabytes 50]
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import peak_rss_mb  # noqa: E402



def big_file(path: Path, megabytes: int) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    written = 0
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < megabytes * 1_000_000:
            for text in seeds:
                chunk = f"\n\n第{n}部分 Part {n}\n\n" + text
                handle.write(chunk)
                written += len(chunk.encode("utf-8"))
                n += 1


def child_prepare(path: str) -> None:
    from align.run import prepare

    start = time.perf_counter()
    prepared = prepare([path])
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "sentences": len(prepared.sentences), "edits": len(prepared.edits),
                      "peak_rss_mb": peak_rss_mb()}))


def child_align(size: int) -> None:
    import numpy as np

    from align.aligner.parallel import ParallelSettings, align_parallel
    from align.records import OverlapEmbeddings

    rng = np.random.default_rng(size)
    dim, overlaps = 512, 4
    # Planted path: mostly 1-1; every 50th bead is 1-2, every 97th source sentence has no partner.
    src_parts, tgt_parts, gold = [], [], []
    i = j = 0
    while i < size:
        if i % 97 == 96:
            gold.append(((i,), ()))
            src_parts.append(rng.standard_normal(dim, dtype=np.float32))
            i += 1
            continue
        meaning = rng.standard_normal(dim, dtype=np.float32)
        if i % 50 == 49:
            half = rng.standard_normal(dim, dtype=np.float32)
            src_parts.append(meaning + 0.3 * rng.standard_normal(dim, dtype=np.float32))
            tgt_parts += [meaning * 0.5 + half, meaning * 0.5 - half]
            gold.append(((i,), (j, j + 1)))
            j += 2
        else:
            src_parts.append(meaning + 0.5 * rng.standard_normal(dim, dtype=np.float32))
            tgt_parts.append(meaning + 0.5 * rng.standard_normal(dim, dtype=np.float32))
            gold.append(((i,), (j,)))
            j += 1
        i += 1

    def overlap_embeddings(parts):
        base = np.stack(parts)
        n = len(base)
        layers = np.zeros((overlaps, n, dim), dtype=np.float32)
        running = np.zeros((n, dim), dtype=np.float32)
        for k in range(overlaps):
            running[: n - k] += base[k:]
            layer = running[: n - k]
            layers[k, : n - k] = layer / np.linalg.norm(layer, axis=1, keepdims=True)
        return OverlapEmbeddings(layers, np.full(n, 40.0, dtype=np.float32))

    src, tgt = overlap_embeddings(src_parts), overlap_embeddings(tgt_parts)
    del src_parts, tgt_parts
    embeddings_mb = (src.vectors.nbytes + tgt.vectors.nbytes) / 2**20
    start = time.perf_counter()
    beads = align_parallel(src, tgt, ParallelSettings())
    seconds = time.perf_counter() - start
    found = {(b.src, b.tgt) for b in beads if b.src and b.tgt}
    planted = [g for g in gold if g[0] and g[1]]
    recall = sum(g in found for g in planted) / len(planted)
    print(json.dumps({"size": size, "targets": int(tgt.vectors.shape[1]), "seconds": seconds, "recall": recall,
                      "embeddings_mb": embeddings_mb, "peak_rss_mb": peak_rss_mb()}))


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, value = args.child
        child_prepare(value) if kind == "prepare" else child_align(int(value))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        big_file(path, args.megabytes)
        size_mb = path.stat().st_size / 1e6
        row = run_child("prepare", str(path))
        print(f"{size_mb:.0f} MB file: ingest+normalize+segment {row['seconds']:.1f} s, {row['sentences']} sentences, "
              f"{row['edits']} edits, peak memory {row['peak_rss_mb']:.0f} MB")
    for size in (int(s) for s in args.sizes.split(",")):
        row = run_child("align", str(size))
        print(f"parallel alignment {row['size']:>7} x {row['targets']:>7} sentences: {row['seconds']:6.1f} s, "
              f"recall of planted beads {row['recall']:.4f}, embeddings {row['embeddings_mb']:.0f} MB, "
              f"peak memory {row['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
