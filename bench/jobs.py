"""``align run -j 2`` against ``-j 1`` on MAC-dev end to end (cold caches): wall time and the
hashes of the outputs, which must be equal.

The six chapters are written as ``NAME.zh.txt`` and ``NAME.en.txt`` (one paragraph a line of
the benchmark), so that each pair is found by name and aligned as a parallel document.

    python bench/jobs.py [--jobs 1 2] [--out build/jobs]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import chapters, mac_dev_dir, read_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILES = ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl")


def write_inputs(folder: Path) -> int:
    root = mac_dev_dir()
    folder.mkdir(parents=True)
    sentences = 0
    for name in chapters(root):
        for lang in ("zh", "en"):
            lines = [line for line in read_lines(root / lang / f"{name}.txt") if line.strip()]
            sentences += len(lines)
            (folder / f"{name}.{lang}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "jobs")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    sentences = write_inputs(args.out / "in")
    align = shutil.which("align", path=str(Path(sys.executable).parent)) or "align"
    print(f"MAC-dev as 6 document pairs, {sentences} lines; cold cache each run")
    print("| -j | wall s | hash of corpus.tmx, corpus.jsonl, unaligned.jsonl, edits.jsonl |")
    print("| --- | --- | --- |")
    for jobs in args.jobs:
        out = args.out / f"j{jobs}"
        start = time.perf_counter()
        subprocess.run([align, "run", str(args.out / "in"), "-o", str(out), "-q", "-j", str(jobs),
                        "--cache-dir", str(args.out / f"cache-{jobs}")], check=True)
        wall = time.perf_counter() - start
        digest = hashlib.sha1(b"".join((out / name).read_bytes() for name in FILES)).hexdigest()[:12]
        print(f"| {jobs} | {wall:.1f} | {digest} |")


if __name__ == "__main__":
    main()
