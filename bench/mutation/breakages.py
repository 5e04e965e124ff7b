"""Apply each breakage of issue 40 to a throwaway copy of the code and run the tests that must
notice it; print one line per breakage: the tests failed (caught) or passed (missed).

    python bench/mutation/breakages.py [NAME ...]      # all of issue 40's, or the named ones
    python bench/mutation/breakages.py --promises      # README's and --help's options, each made to do nothing

Each breakage is a one-line edit (the text before and after). A copy of the working tree is
made under a temporary folder for each, with ``PYTHONPATH`` pointing at it, so the working
tree itself is never changed. BREAKAGES.md lists the result of a run of the first kind,
tests/README_PROMISES.md of the second.
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
        "align/config.py", 'decode=DecodeSettings(beams=o["beams"],', "decode=DecodeSettings(beams=1,",
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


# README and --help promises (tests/README_PROMISES.md): each option made to do nothing, or the
# promised behaviour removed, by a one-line edit; ``--promises`` runs these.
OPT = "tests/test_option_promises.py::"
RDM = "tests/test_readme_promises.py::"
TRN = "tests/test_translate.py::"
PROMISES = {
    "normalize_lang_ignored": ("align/cli.py", '        if lang != "auto":', "        if False:",
                               [OPT + "test_normalize_lang_glossary_and_t2s"]),
    "normalize_t2s_ignored": ("align/config.py", "((T2S_FIXER,) if t2s else ())", "()",
                              [OPT + "test_normalize_lang_glossary_and_t2s"]),
    "glossary_ignored": ("align/normalize/__init__.py", "glossary = load_glossary(settings.glossaries)",
                         "glossary = load_glossary(())",
                         [OPT + "test_normalize_lang_glossary_and_t2s", OPT + "test_run_glossary_fix_no_fix_and_no_rule"]),
    "fix_ignored": ("align/normalize/__init__.py", "(fixer.default or fixer.name in self.enable)", "fixer.default",
                    [OPT + "test_run_glossary_fix_no_fix_and_no_rule"]),
    "no_fix_ignored": ("align/normalize/__init__.py", "return fixer.name not in self.disable and (",
                       "return True and (", [OPT + "test_run_glossary_fix_no_fix_and_no_rule"]),
    "no_rule_ignored": ("align/score/select.py", "zip(rejected_by, details) if name not in settings.no_rules]",
                        "zip(rejected_by, details)]", [OPT + "test_run_glossary_fix_no_fix_and_no_rule"]),
    "max_expanded_size_ignored": ("align/ingest/__init__.py",
                                  "limits.expanded_bytes if compression_of(path) else limits.file_bytes",
                                  "limits.file_bytes", [OPT + "test_run_caps_an_expanded_input_and_a_long_line"]),
    "max_line_size_ignored": ("align/ingest/__init__.py", "        if longest > limits.line_bytes:", "        if False:",
                              [OPT + "test_run_caps_an_expanded_input_and_a_long_line"]),
    "split_seed_ignored": ("align/export/split.py", "random.Random(seed).shuffle(order)",
                           "random.Random(1).shuffle(order)",
                           [OPT + "test_split_seed_draws_other_pairs_and_overwrite_is_needed_for_a_foreign_folder"]),
    "split_overwrite_ignored": ("align/export/split.py", "prepare_output_folder(out_dir, overwrite)",
                                "prepare_output_folder(out_dir, False)",
                                [OPT + "test_split_seed_draws_other_pairs_and_overwrite_is_needed_for_a_foreign_folder"]),
    "apply_overwrite_ignored": ("align/export/reviewed.py", "prepare_output_folder(out_dir, overwrite)",
                                "prepare_output_folder(out_dir, False)",
                                [OPT + "test_apply_needs_overwrite_for_a_foreign_folder"]),
    "report_pages_ignored": ("align/review/write.py", "split = pages or total_rows > PAGE_ROWS",
                             "split = total_rows > PAGE_ROWS",
                             [OPT + "test_report_pages_writes_a_page_per_document_pair_at_any_size"]),
    "eval_per_file_ignored": ("align/cli.py", "rows = list(files.items()) if per_file else []", "rows = []",
                              [OPT + "test_eval_per_file_prints_a_line_per_file"]),
    "tsv_header_option_ignored": ("align/io/corpus.py",
                                  "has_header = layout.header if layout.header is not None else all(",
                                  "has_header = all(",
                                  [OPT + "test_score_header_and_no_header_decide_the_first_line_of_a_tsv"]),
    "pair_src_lang_ignored_in_joins": ("align/cli.py", "s = join_sentences([src_lines[i] for i in bead.src], src_lang)",
                                       's = join_sentences([src_lines[i] for i in bead.src], "zh")',
                                       [OPT + "test_pair_src_lang_and_mt_weight"]),
    "pair_mt_weight_ignored": ("align/cli.py", "encoder, src_lang, trans_lines, mt_weight)",
                               "encoder, src_lang, trans_lines, 0.3)", [OPT + "test_pair_src_lang_and_mt_weight"]),
    "calibrate_signals_ignored": ("align/cli.py", "CalibrateSettings(_names(features) or DEFAULT_FEATURES,",
                                  "CalibrateSettings(DEFAULT_FEATURES,",
                                  [OPT + "test_calibrate_threshold_policy_shares_signals_and_seed"]),
    "calibrate_threshold_by_ignored": ("align/cli.py", "target_precision, keep_right, threshold_by,",
                                       'target_precision, keep_right, "keep-right",',
                                       [OPT + "test_calibrate_threshold_policy_shares_signals_and_seed"]),
    "calibrate_keep_right_ignored": ("align/cli.py", "target_precision, keep_right, threshold_by,",
                                     "target_precision, 0.95, threshold_by,",
                                     [OPT + "test_calibrate_threshold_policy_shares_signals_and_seed"]),
    "calibrate_target_precision_ignored": ("align/cli.py", "target_precision, keep_right, threshold_by,",
                                           "0.95, keep_right, threshold_by,",
                                           [OPT + "test_calibrate_threshold_policy_shares_signals_and_seed"]),
    "calibrate_seed_ignored": ("align/cli.py", "block, seed=seed)", "block, seed=3)",
                               [OPT + "test_calibrate_threshold_policy_shares_signals_and_seed"]),
    "translate_batch_size_ignored": ("align/translate/base.py", "size = max(1, self.settings.batch_size)", "size = 16",
                                     [TRN + "test_batch_size_max_input_tokens_and_threads_reach_the_engine_from_align_translate"]),
    "translate_max_input_tokens_ignored": ("align/translate/base.py", "limit = self.settings.max_input_tokens",
                                           "limit = 256",
                                           [TRN + "test_batch_size_max_input_tokens_and_threads_reach_the_engine_from_align_translate"]),
    "translate_threads_ignored": ("align/translate/engines.py", "            torch.set_num_threads(settings.threads)",
                                  "            pass",
                                  [TRN + "test_batch_size_max_input_tokens_and_threads_reach_the_engine_from_align_translate"]),
    "convert_quantization_ignored": ("align/translate/store.py", "convert(str(tmp), quantization=quantization,",
                                     'convert(str(tmp), quantization="int8",',
                                     [TRN + "test_models_convert_quantization_and_force_on_the_command_line"]),
    "convert_force_ignored": ("align/translate/store.py", "any(out_dir.iterdir()) and not force:",
                              "any(out_dir.iterdir()) and True:",
                              [TRN + "test_models_convert_quantization_and_force_on_the_command_line"]),
    "no_name_pairing_ignored": ("align/aligner/names.py", "    if not by_name:\n        return pairs",
                                "    if False:\n        return pairs", [RDM + "test_name_pairing_and_no_name_pairing"]),
    "pairs_manifest_ignored": ("align/aligner/names.py", "documents.items()}) if manifest else []",
                               "documents.items()}) if False else []",
                               [RDM + "test_pairs_manifest_on_the_command_line"]),
    "device_ignored": ("align/config.py", 'DecodeSettings(beams=o["beams"], device=o["device"])',
                       'DecodeSettings(beams=o["beams"], device="cpu")', [RDM + "test_device_is_checked_and_recorded"]),
    "align_debug_ignored": ("align/cli.py", '        if os.environ.get("ALIGN_DEBUG"):', "        if False:",
                            [RDM + "test_an_internal_error_is_exit_3_in_one_line_and_align_debug_shows_the_traceback"]),
    "internal_error_exit_1": ("align/cli.py", "(set ALIGN_DEBUG=1 for the traceback)\", EXIT_INTERNAL)",
                              "(set ALIGN_DEBUG=1 for the traceback)\", 1)",
                              [RDM + "test_an_internal_error_is_exit_3_in_one_line_and_align_debug_shows_the_traceback"]),
    "bz2_not_decompressed": ("align/io/streams.py", '".xz": lzma.open, ".bz2": bz2.open}', '".xz": lzma.open}',
                             [RDM + "test_a_bz2_input_is_read"]),
    "extreme_length_never_fires": ("align/score/hardrules.py",
                                   "return zh_len <= 1000 and en_len <= 3000 and 1 / self.factor <= ratio <= self.factor",
                                   "return True", [RDM + "test_extreme_length_rejects_a_pair_through_align_score"]),
    "score_encoder_ignored": ("align/export/corpus.py", "encoder = get_encoder(settings.encoder)",
                              'encoder = get_encoder("use")',
                              ["tests/test_jobs_and_encoders.py::test_score_and_calibrate_take_the_users_encoder"]),
    "calibrate_encoder_ignored": ("align/cli.py", "calibration = fit(sample, open_encoder(encoder), settings)",
                                  'calibration = fit(sample, open_encoder("use"), settings)',
                                  ["tests/test_jobs_and_encoders.py::test_score_and_calibrate_take_the_users_encoder"]),
    "ray_probe_does_not_wait_for_an_answer": ("align/executor/ray_cluster.py", "            answer = connection.recv(9)",
                                              '            answer = b"?"',
                                              ["tests/test_executor.py::test_an_address_that_accepts_but_never_answers_ends_at_the_ray_timeout"]),
    "paired_ar_ignored": ("align/cli.py", 'return ("ar", ar_n) if paired_ar else None', "return None",
                          [RDM + "test_paired_approximate_randomization_is_sacrebleus"]),
}

ALL = {**BREAKAGES, **PROMISES}


def broken_copy(name: str, work: Path) -> Path:
    path, before, after, _ = ALL[name]
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
    tests = ALL[name][3]
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
        chosen = list(PROMISES) if names == ["--promises"] else names or list(BREAKAGES)
        for name in chosen:
            caught, seconds, line = run(name, Path(folder))
            missed += not caught
            print(f"{name}: {'caught' if caught else 'MISSED'} ({seconds:.0f} s): {line}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
