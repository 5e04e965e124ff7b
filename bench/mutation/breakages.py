"""Apply each breakage of issue 40 to a throwaway copy of the code and run the tests that must
notice it; print one line per breakage: the tests failed (caught) or passed (missed).

    python bench/mutation/breakages.py [NAME ...]      # all, or the named ones

Each breakage is a one-line edit (the text before and after). A copy of the working tree is
made under a temporary folder for each, with ``PYTHONPATH`` pointing at it, so the working
tree itself is never changed. BREAKAGES.md lists the result of a run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# name: (file, text before, text after, tests that must fail)
BREAKAGES = {
    "jobs_ignored": (
        "align/executor/__init__.py", "    if settings.jobs > 1:", "    if False:",
        ["tests/test_jobs_and_encoders.py::test_two_worker_processes_write_the_bytes_of_one"]),
    "beams_ignored_by_marian": (
        "align/translate/engines.py", "num_beams=self.settings.beams,", "num_beams=1,",
        ["tests/test_translate.py::test_beams_change_the_search_in_align_translate_and_align_run"]),
    "beams_ignored_by_run": (
        "align/cli.py", 'decode=DecodeSettings(beams=o["beams"],', "decode=DecodeSettings(beams=1,",
        ["tests/test_translate.py::test_beams_change_the_search_in_align_translate_and_align_run"]),
    "errors_first_order_reversed": (
        "align/review/templates/filters.js", "suspect:function(x){return -parseFloat(",
        "suspect:function(x){return parseFloat(",
        ["tests/test_review_order_and_filters.py::test_errors_first_scores_and_order_on_the_page"]),
    "errors_first_scores_zero": (
        "align/review/order.py", 'scores[p["id"]] = round((1.0 - p["quality"])', 'scores[p["id"]] = 0 * round((1.0 - p["quality"])',
        ["tests/test_review_order_and_filters.py::test_errors_first_scores_and_order_on_the_page"]),
    "decisions_cap_removed": (
        "align/export/report.py", "kept.extend(ranked[:MAX_DECISIONS_PER_DOCUMENT])", "kept.extend(ranked)",
        ["tests/test_caught_breakage.py::test_run_json_lists_at_most_50_decisions_with_pairs_per_chinese_document_the_strongest"]),
    "same_document_candidates_dropped": (
        "align/aligner/documents.py", "        if same_doc:", "        if False:",
        ["tests/test_caught_breakage.py::test_each_chinese_section_is_classed_against_the_english_beside_it_in_its_document"]),
    "same_document_candidates_default_zero": (
        "align/aligner/documents.py", "candidates: int, nearby: int = 8,", "candidates: int, nearby: int = 0,",
        ["tests/test_caught_breakage.py::test_each_chinese_section_is_classed_against_the_english_beside_it_in_its_document"]),
    "duplicates_not_in_unaligned_jsonl": (
        "align/export/write.py", "for c in chunked(result.unaligned, ITEMS_PER_SHARD)]",
        'for c in chunked(tuple(u for u in result.unaligned if u.reason != "duplicate"), ITEMS_PER_SHARD)]',
        ["tests/test_cli.py::test_dedup_keeps_one_copy_and_loses_no_sentence"]),
    "mt_chrf_signals_null": (
        "align/score/signals.py", 'return round(chrf(e.zh_translation, e.en, "en"), 4) if e.zh_translation else None',
        "return None",
        ["tests/test_translate.py::test_run_fills_translations_and_rerun_uses_the_cache"]),
    "non_bmp_dropped_from_tmx": (
        "align/io/xmlsafe.py", r"\ue000-\ufffd\U00010000-\U0010ffff]", r"\ue000-\ufffd]",
        ["tests/test_caught_breakage.py::test_characters_outside_the_bmp_reach_the_tmx_jsonl_and_translate_toolkit",
         "tests/test_export.py::test_tmx_round_trip_is_exact_for_what_xml_can_hold"]),
}


def broken_copy(name: str, work: Path) -> Path:
    path, before, after, _ = BREAKAGES[name]
    copy = work / name
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns("outputs", ".git", "__pycache__"))
    target = copy / path
    text = target.read_text(encoding="utf-8")
    if text.count(before) != 1:
        raise SystemExit(f"{name}: the line to break is not in {path} once (the code moved: update this script)")
    target.write_text(text.replace(before, after), encoding="utf-8")
    return copy


def run(name: str, work: Path) -> tuple[bool, float, str]:
    copy = broken_copy(name, work)
    tests = BREAKAGES[name][3]
    env = {**os.environ, "PYTHONPATH": str(copy), "OMP_NUM_THREADS": "1"}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "--basetemp", str(work / f"pt-{name}"), *tests], cwd=copy, env=env,
                          capture_output=True, text=True)
    shutil.rmtree(copy, ignore_errors=True)
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED")]
    return proc.returncode != 0, time.monotonic() - start, failed[0] if failed else proc.stdout.strip().splitlines()[-1]


def main(names: list[str]) -> int:
    missed = 0
    with tempfile.TemporaryDirectory(prefix="align-breakages-") as folder:
        for name in names or list(BREAKAGES):
            caught, seconds, line = run(name, Path(folder))
            missed += not caught
            print(f"{name}: {'caught' if caught else 'MISSED'} ({seconds:.0f} s): {line}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
