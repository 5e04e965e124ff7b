"""``align run -j 2`` against ``-j 1`` end to end (cold caches): wall time, CPU time and the
hashes of the outputs, which must be equal; the ratio of the median wall times.

By default the input is MAC-dev, its six chapters written as ``NAME.zh.txt`` and
``NAME.en.txt`` (one paragraph a line of the benchmark), so that each pair is found by name and
aligned as a parallel document; ``--input DIR`` runs a folder as it is (a documentation folder:
``../shared/bench/k8s-dev/input``). ``--repeat N`` runs the ``-j`` values in turn N times (on a
shared machine the load changes from run to run: each line prints the load average too).

    python bench/jobs.py [--jobs 1 2] [--input DIR] [--repeat 3] [--out build/jobs]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
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


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(align: str, inputs: Path, out: Path, jobs: int) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (all processes) and the hash of the outputs of one cold run."""
    shutil.rmtree(out, ignore_errors=True)
    cache = out.with_name(out.name + "-cache")
    shutil.rmtree(cache, ignore_errors=True)
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run([align, "run", str(inputs), "-o", str(out), "-q", "-j", str(jobs), "--cache-dir", str(cache)],
                   check=True)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    digest = hashlib.sha1(b"".join((out / name).read_bytes() for name in FILES if (out / name).is_file())).hexdigest()
    return wall, cpu, digest[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--input", type=Path, help="a folder to run as it is (default: MAC-dev as six document pairs)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "jobs")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    if args.input:
        inputs = args.input
        print(f"{inputs}, cold cache each run")
    else:
        inputs = args.out / "in"
        print(f"MAC-dev as 6 document pairs, {write_inputs(inputs)} lines; cold cache each run")
    align = shutil.which("align", path=str(Path(sys.executable).parent)) or "align"
    print("| -j | wall s | CPU s | load | hash of corpus.tmx, corpus.jsonl, unaligned.jsonl, edits.jsonl |")
    print("| --- | --- | --- | --- | --- |")
    walls: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
    for _ in range(args.repeat):
        for jobs in args.jobs:
            load = os.getloadavg()[0]
            wall, cpu, digest = one_run(align, inputs, args.out / f"j{jobs}", jobs)
            walls[jobs].append(wall)
            print(f"| {jobs} | {wall:.1f} | {cpu:.1f} | {load:.1f} | {digest} |", flush=True)
    base = statistics.median(walls[args.jobs[0]])
    for jobs in args.jobs[1:]:
        print(f"-j {jobs}: {statistics.median(walls[jobs]) / base:.2f} of -j {args.jobs[0]}'s median wall time")


if __name__ == "__main__":
    main()
