"""End-to-end scale benchmark: ``align run`` on 1x, 3x and 10x a few hundred kilobytes of
mixed documents, printing time, time per stage, peak memory and the size of run.json, so
that linear growth (or its absence) is visible.

The base set is the seeds (comparable web text), MAC-dev chapters 001-002 written as
interleaved bilingual files (each Chinese paragraph followed by its English, from the gold
beads) and chapters 003-004 as separate Chinese and English files. Scale k holds k copies of
the base set under other names. Copies repeat the same sentences, so the encoder embeds each
distinct text once: the figures show the cost of everything around the encoder (pairing,
alignment, mining, scoring, export) as the number of documents grows. Each run is its own
process with its own cache folder, and peak memory is that process's (wait4 ru_maxrss).

    python bench/scale.py [--scales 1,3,10] [--mac-dev PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import DEFAULT_MAC_DEV  # noqa: E402


def interleaved(mac: Path, name: str) -> str:
    """A bilingual file from a MAC-dev chapter: each gold bead's Chinese, then its English."""
    from align.io.beads import read_beads

    zh = (mac / "zh" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    en = (mac / "en" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    blocks = []
    for bead in read_beads((mac / "gold" / f"{name}.align").read_text(encoding="utf-8")):
        if bead.src:
            blocks.append("".join(zh[i] for i in bead.src))
        if bead.tgt:
            blocks.append(" ".join(en[j] for j in bead.tgt))
    return "\n\n".join(blocks) + "\n"


def base_set(mac: Path, folder: Path) -> int:
    folder.mkdir(parents=True)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(path, folder / path.name)
    for name in ("001", "002"):
        (folder / f"bilingual_{name}.txt").write_text(interleaved(mac, name), encoding="utf-8")
    for name in ("003", "004"):
        shutil.copy(mac / "zh" / f"{name}.txt", folder / f"chapter_{name}.zh.txt")
        shutil.copy(mac / "en" / f"{name}.txt", folder / f"chapter_{name}.en.txt")
    return sum(p.stat().st_size for p in folder.iterdir())


def run_scale(base: Path, scale: int, work: Path) -> dict:
    inputs = work / f"x{scale}"
    for copy in range(scale):
        shutil.copytree(base, inputs / f"copy{copy:02d}")
    out, cache = work / f"out{scale}", work / f"cache{scale}"
    command = [str(Path(sys.executable).parent / "align"), "run", str(inputs), "-o", str(out), "-q",
               "--translate", "none", "--cache-dir", str(cache)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"align run failed at scale {scale}: {proc.stderr.read()}")
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {
        "scale": scale,
        "input_kb": sum(p.stat().st_size for p in inputs.rglob("*") if p.is_file()) // 1024,
        "sentences": report["counts"]["sentences"],
        "pairs": report["counts"]["pairs_exported"],
        "decisions": report["document_pairing"]["decisions"],
        "seconds": round(seconds, 1),
        "stages": {k: round(v, 1) for k, v in report["timings_seconds"].items()},
        "peak_mb": round(usage.ru_maxrss / 1024),
        "run_json_kb": (out / "run.json").stat().st_size // 1024,
        "nothing_lost": report["counts"]["nothing_lost"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,3,10")
    parser.add_argument("--mac-dev", default=DEFAULT_MAC_DEV)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="align-scale-") as tmp:
        work = Path(tmp)
        size = base_set(Path(args.mac_dev), work / "base")
        print(f"base set: {size // 1024} KB (seeds, 2 interleaved MAC-dev chapters, 2 chapters as zh/en files)")
        print(f"{'scale':>5} {'input':>8} {'sentences':>9} {'pairs':>6} {'decisions':>9} {'time':>7} {'peak':>8} "
              f"{'run.json':>8}  stages (s)")
        for scale in (int(s) for s in args.scales.split(",")):
            r = run_scale(work / "base", scale, work)
            stages = " ".join(f"{k}={v}" for k, v in r["stages"].items())
            print(f"{r['scale']:>4}x {r['input_kb']:>6}KB {r['sentences']:>9} {r['pairs']:>6} {r['decisions']:>9} "
                  f"{r['seconds']:>6}s {r['peak_mb']:>6}MB {r['run_json_kb']:>6}KB  {stages}"
                  + ("" if r["nothing_lost"] else "  SENTENCES LOST"), flush=True)


if __name__ == "__main__":
    main()
