"""Translated documentation benchmark: ``align run`` on k8s-dev at default settings, scored by
the benchmark's own ``check_docs.py``, then a run with ``--min-quality 0`` to show how the
quality of every pair relates to its being right (a reliability table by decile, and ECE).

    python bench/docs.py [--bench ../shared/bench/k8s-dev] [--out build/docs]

The first run uses a cold cache and prints the scorer's last line (precision, recall, time,
peak memory). A pair is right, for the reliability table, as ``check_docs.py`` judges it: its
Chinese inside one gold unit's Chinese and its English inside the same unit's English.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("check_docs", bench / "check_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judge(pairs: list[dict], gold: Path, scorer) -> list[bool]:
    """Whether each pair is right, by the scorer's own text normalisation."""
    units: dict[str, list[tuple[str, str]]] = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        unit = json.loads(line)
        if unit["type"] == "pair":
            units.setdefault(unit["doc"], []).append((scorer.norm(unit["zh"]), scorer.norm(unit["en"])))
    out = []
    for p in pairs:
        doc = scorer.doc_name(p["provenance"]["zh"][0])
        zh, en = scorer.norm(p["zh"]), scorer.norm(p["en"])
        out.append(bool(zh and en and any(zh in uz and en in ue for uz, ue in units.get(doc, ()))))
    return out


def reliability(qualities: list[float], right: list[bool], bins: int = 10) -> tuple[list[tuple], float]:
    """Rows (range, pairs, mean quality, share right) by quality decile, and the expected
    calibration error over them."""
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, q in enumerate(qualities) if lo <= q < hi or (b == bins - 1 and q == 1.0)]
        if not idx:
            continue
        mean_q = sum(qualities[i] for i in idx) / len(idx)
        share = sum(right[i] for i in idx) / len(idx)
        rows.append((f"{lo:.1f}-{hi:.1f}", len(idx), mean_q, share))
        ece += len(idx) / len(qualities) * abs(mean_q - share)
    return rows, ece


def align_run(inputs: Path, out: Path, cache: Path, *extra: str) -> None:
    align = shutil.which("align", path=str(Path(sys.executable).parent)) or "align"
    with open(out.with_suffix(".time"), "w") as timing:
        subprocess.run(["/usr/bin/time", "-v", align, "run", str(inputs), "-o", str(out), "--cache-dir", str(cache),
                        "-q", *extra], check=True, stderr=timing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "k8s-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "docs")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    gold = args.bench / "gold.jsonl"
    default = args.out / "default"
    align_run(args.bench / "input", default, args.out / "cache")
    scored = subprocess.run([sys.executable, str(args.bench / "check_docs.py"), str(default), str(gold),
                             "--time", str(default.with_suffix(".time"))], capture_output=True, text=True, check=True)
    print(scored.stdout.strip().splitlines()[-1])
    every = args.out / "min-quality-0"
    align_run(args.bench / "input", every, args.out / "cache", "--min-quality", "0")
    pairs = [json.loads(line) for line in (every / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    right = judge(pairs, gold, load_scorer(args.bench))
    rows, ece = reliability([p["quality"] for p in pairs], right)
    print(f"reliability of quality on {len(pairs)} pairs (--min-quality 0), right = inside one gold unit:")
    print("| quality | pairs | mean quality | share right |")
    print("| --- | --- | --- | --- |")
    for span, n, mean_q, share in rows:
        print(f"| {span} | {n} | {mean_q:.3f} | {share:.3f} |")
    print(f"ECE {ece:.3f}")
    kept = [r for p, r in zip(pairs, right) if p["quality"] >= 0.5]
    dropped = [r for p, r in zip(pairs, right) if p["quality"] < 0.5]
    print(f"at the default 0.5: keeps {len(kept)} pairs ({sum(kept)} right), drops {len(dropped)} ({sum(dropped)} right)")


if __name__ == "__main__":
    main()
