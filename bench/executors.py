"""Executors benchmark: ``align run`` on a synthetic comparable corpus of a few thousand
documents, with the local executor and with Ray (1 and 2 workers), printing throughput,
time per stage, peak memory per process and the hashes of the output files (which must be
equal across executors). A second part times the candidate search of document pairing,
exact against HNSW, on growing numbers of synthetic section centroids.

The corpus: every MAC-dev chapter cut into documents of a few gold beads, each written as a
Chinese file, an English file (the published translation) and a second English file (the
machine translation in trans/), in an order shuffled with a fixed seed, mixed with the
paragraphs of the seeds as unrelated documents (web text on another subject). Each
executor runs in its own process with its own cache folder, so each embeds everything.

    python bench/executors.py [--beads-per-document 2] [--workers 1,2] [--pairing 10000,40000,80000]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import chapters, mac_dev_dir, peak_rss_mb, read_lines  # noqa: E402

OUTPUTS = ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl")


def build_corpus(mac: Path, folder: Path, beads_per_document: int) -> int:
    """Write the documents into ``folder``; return how many."""
    from align.io.beads import read_beads

    documents: list[tuple[str, str]] = []
    for name in chapters(mac):
        zh, en = read_lines(mac / "zh" / f"{name}.txt"), read_lines(mac / "en" / f"{name}.txt")
        mt = read_lines(mac / "trans" / f"{name}.txt")
        beads = [b for b in read_beads((mac / "gold" / f"{name}.align").read_text(encoding="utf-8")) if b.src or b.tgt]
        for n in range(0, len(beads), beads_per_document):
            piece = beads[n : n + beads_per_document]
            zh_lines = [zh[i] for b in piece for i in b.src]
            for prefix, lines in (("zh", zh_lines), ("en", [en[j] for b in piece for j in b.tgt]),
                                  ("mt", [mt[i] for b in piece for i in b.src])):
                if lines:
                    documents.append((f"{prefix}_{name}_{n:04d}.txt", "\n".join(lines) + "\n"))
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        documents += [(f"web_{path.stem[:3]}_{i:03d}.txt", p + "\n") for i, p in enumerate(paragraphs)]
    random.Random(0).shuffle(documents)
    folder.mkdir(parents=True)
    for number, (name, text) in enumerate(documents):
        (folder / f"{number:05d}_{name}").write_text(text, encoding="utf-8")
    return len(documents)


def run_one(inputs: Path, out: Path, executor: str, workers: int | None) -> dict:
    """One run in this process (the parent starts a process per executor)."""
    from align.config import RunConfig
    from align.embed import EmbeddingStore, get_encoder
    from align.executor import ExecutorSettings, open_executor
    from align.tasks import WorkerSpec, worker_context
    from align.export.write import write_outputs
    from align.run import run
    from align.translate.stage import TranslateSettings

    cache = out.parent / f"{out.name}-cache"
    config = RunConfig(translate=TranslateSettings(mode="none"))
    encoder = get_encoder("use", EmbeddingStore(cache / "embeddings.sqlite"))
    spec = WorkerSpec("use", str(cache))
    settings = ExecutorSettings(executor, workers=workers) if executor == "ray" else ExecutorSettings()
    start = time.perf_counter()
    pool = open_executor(settings, functools.partial(worker_context, spec), worker_context(spec, encoder))
    started = time.perf_counter() - start
    try:
        result = run([inputs], config, encoder, mapper=pool)
        write_outputs(result, out, review=False, mapper=pool)
        workers_stats = pool.worker_stats() if executor == "ray" else []
    finally:
        pool.close()
    seconds = time.perf_counter() - start
    sentences = len(result.prepared.sentences)
    return {
        "executor": executor if executor == "local" else f"ray x{workers}",
        "sentences": sentences,
        "pairs": len(result.pairs),
        "seconds": round(seconds, 1),
        "startup_seconds": round(started, 1),
        "sentences_per_second": round(sentences / seconds, 1),
        "embed_sentences_per_second": round(sentences / result.timings["embed"], 1),
        "stages": {k: round(v, 1) for k, v in result.timings.items()},
        "driver_peak_mb": round(peak_rss_mb()),
        "worker_peak_mb": [w["peak_rss_mb"] for w in workers_stats],
        "hashes": {name: hashlib.sha256((out / name).read_bytes()).hexdigest()[:16] for name in OUTPUTS},
    }


def pairing_search(sizes: list[int]) -> list[dict]:
    """Candidate search of document pairing on clustered unit vectors: exact and HNSW."""
    import numpy as np

    from align.aligner.nearest import approximate_nearest, exact_nearest

    rows = []
    rng = np.random.default_rng(0)
    for n in sizes:
        centres = rng.normal(size=(max(1, n // 20), 512))
        index = centres[rng.integers(0, len(centres), n)] + 0.7 * rng.normal(size=(n, 512))
        index = (index / np.linalg.norm(index, axis=1, keepdims=True)).astype(np.float32)
        queries = index + 0.02 * rng.normal(size=index.shape).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        start = time.perf_counter()
        exact = exact_nearest(queries, index, 8)
        exact_s = time.perf_counter() - start
        start = time.perf_counter()
        approx = approximate_nearest(queries, index, 8)
        approx_s = time.perf_counter() - start
        recall = float(np.mean([len(set(a) & set(e)) / 8 for a, e in zip(approx, exact)]))
        rows.append({"sections": n, "exact_s": round(exact_s, 2), "hnsw_s": round(approx_s, 2),
                     "recall_at_8": round(recall, 4)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beads-per-document", type=int, default=2)
    parser.add_argument("--workers", default="1,2", help="Ray worker counts to run")
    parser.add_argument("--pairing", default="10000,40000,80000", help="section counts for the search timing ('' skips)")
    parser.add_argument("--one", nargs=4, metavar=("INPUTS", "OUT", "EXECUTOR", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        inputs, out, executor, workers = args.one
        print(json.dumps(run_one(Path(inputs), Path(out), executor, int(workers) or None)))
        return
    with tempfile.TemporaryDirectory(prefix="align-executors-") as tmp:
        inputs = Path(tmp) / "inputs"
        count = build_corpus(mac_dev_dir(), inputs, args.beads_per_document)
        print(f"corpus: {count} documents in {inputs}", flush=True)
        runs = [("local", 0)] + [("ray", int(w)) for w in args.workers.split(",") if w]
        results = []
        for executor, workers in runs:
            out = Path(tmp) / f"out-{executor}-{workers}"
            proc = subprocess.run([sys.executable, __file__, "--one", str(inputs), str(out), executor, str(workers)],
                                  capture_output=True, text=True)
            if proc.returncode:
                raise SystemExit(f"{executor} x{workers} failed: {proc.stderr[-2000:]}")
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
    print_table(results)
    sizes = [int(n) for n in args.pairing.split(",") if n]
    if sizes:
        print("\npairing candidate search (8 nearest of each section, 512-d clustered vectors):")
        print("| sections | exact s | HNSW s | recall@8 |\n| --- | --- | --- | --- |")
        for row in pairing_search(sizes):
            print(f"| {row['sections']:,} | {row['exact_s']} | {row['hnsw_s']} | {row['recall_at_8']} |")


def print_table(results: list[dict]) -> None:
    print("\n| executor | sentences/s | embed sentences/s | total s | embed s | align s | driver MB | worker MB |"
          " corpus.jsonl | unaligned.jsonl |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['executor']} | {r['sentences_per_second']} | {r['embed_sentences_per_second']} | {r['seconds']} "
              f"| {r['stages']['embed']} | {r['stages']['align']} | {r['driver_peak_mb']} "
              f"| {', '.join(map(str, r['worker_peak_mb'])) or '-'} | {r['hashes']['corpus.jsonl']} "
              f"| {r['hashes']['unaligned.jsonl']} |")
    same = len({json.dumps(r["hashes"], sort_keys=True) for r in results}) == 1
    print(f"\noutputs identical across executors: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
