"""Review report at scale: builds the report of a synthetic output folder of N pairs (and as
many unaligned sentences) spread over document pairs, and prints the time to build it, the
size of report.html and of the largest page, and, where Chromium is installed, the time a
headless browser takes to load the main page and the largest page.

    python bench/report_scale.py [--pairs 100000] [--documents 40]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ZH = "一个时髦的女人走在东京的街道上，街道上充满了温暖发光的霓虹灯和生动的城市标志。"
EN = "A stylish woman walks down a Tokyo street filled with warm glowing neon and animated city signage."


def synthetic_outputs(pairs: int, documents: int):
    from align.review.data import Outputs

    per_doc = pairs // documents
    records, unaligned, docs = [], [], {}
    for d in range(documents):
        zh_doc, en_doc = f"zh_{d:03d}.txt", f"en_{d:03d}.txt"
        docs[zh_doc] = {"sentences_by_language": {"zh": 2 * per_doc}}
        docs[en_doc] = {"sentences_by_language": {"en": 2 * per_doc}}
        for i in range(per_doc):
            q = round(((i * 7919) % 1000) / 1000, 4)
            records.append({"id": f"{d}-{i}", "zh": ZH, "en": EN, "zh_ids": [f"{zh_doc}#zh{2 * i}"],
                            "en_ids": [f"{en_doc}#en{2 * i}"], "shape": "1-1", "method": "parallel" if i % 3 else "mined",
                            "quality": q, "signals": {"cosine": q}, "rejected_by": [], "provenance": {}})
            unaligned.append({"id": f"{zh_doc}#zh{2 * i + 1}", "lang": "zh", "text": ZH, "reason": "no_match_in_related_documents",
                              "detail": ""})
    run = {"counts": {"files_read": 2 * documents, "sentences": 3 * len(records)}, "documents": docs,
           "settings": {"select": {"min_quality": 0.5}}, "timings_seconds": {}, "signature": "synthetic"}
    return Outputs(run, records, unaligned, [])


def browser_load_seconds(page: Path) -> float | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    start = time.perf_counter()
    subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                   capture_output=True, timeout=300)
    return time.perf_counter() - start


def main() -> None:
    from align.review.write import PAGE_ROWS, write_report

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=40)
    args = parser.parse_args()
    outputs = synthetic_outputs(args.pairs, args.documents)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "run.json").write_text(json.dumps(outputs.run))
        start = time.perf_counter()
        write_report(folder, outputs)
        built = time.perf_counter() - start
        pages = sorted((folder / "report").glob("*.html"))
        largest = max(pages, key=lambda p: p.stat().st_size) if pages else folder / "report.html"
        main_load, page_load = browser_load_seconds(folder / "report.html"), browser_load_seconds(largest)
        print(f"{len(outputs.pairs)} pairs and {len(outputs.unaligned)} unaligned sentences in {args.documents} "
              f"document pairs; at most {PAGE_ROWS} rows a page")
        print(f"built in {built:.1f} s; report.html {(folder / 'report.html').stat().st_size / 1e6:.2f} MB; "
              f"{len(pages)} pages, largest {largest.stat().st_size / 1e6:.2f} MB")
        if main_load is not None:
            print(f"headless Chromium load (process start included): report.html {main_load:.1f} s, "
                  f"largest page {page_load:.1f} s")


if __name__ == "__main__":
    main()
