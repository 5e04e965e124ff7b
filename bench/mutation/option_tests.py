"""Every command and option of ``align --help`` and the tests that invoke it: prints a Markdown
table (the first part of tests/README_PROMISES.md).

    python bench/mutation/option_tests.py

A test invokes an option when the option's flag (``--pairs``) and the command's name
(``run``) are string constants of the test function or of a helper of its module that it
calls. This finds tests by what they pass on the command line only; whether a test would fail
without the option is checked by breaking the code (``breakages.py --promises``), and the
breakages that do so are named in the last column.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


# (command, flag): the breakages of breakages.py that make the option do nothing
BROKEN_BY = {
    ("normalize", "--lang"): ["normalize_lang_ignored"], ("normalize", "--t2s"): ["normalize_t2s_ignored"],
    ("normalize", "--glossary"): ["glossary_ignored"], ("run", "--glossary"): ["glossary_ignored"],
    ("run", "--fix"): ["fix_ignored"], ("run", "--no-fix"): ["no_fix_ignored"], ("run", "--no-rule"): ["no_rule_ignored"],
    ("run", "--max-expanded-size"): ["max_expanded_size_ignored"], ("run", "--max-line-size"): ["max_line_size_ignored"],
    ("split", "--seed"): ["split_seed_ignored"], ("split", "--overwrite"): ["split_overwrite_ignored"],
    ("apply", "--overwrite"): ["apply_overwrite_ignored"], ("report", "--pages"): ["report_pages_ignored"],
    ("eval", "--per-file"): ["eval_per_file_ignored"], ("score", "--header"): ["tsv_header_option_ignored"],
    ("pair", "--src-lang"): ["pair_src_lang_ignored_in_joins"], ("pair", "--mt-weight"): ["pair_mt_weight_ignored"],
    ("calibrate", "--signals"): ["calibrate_signals_ignored"], ("calibrate", "--threshold-by"): ["calibrate_threshold_by_ignored"],
    ("calibrate", "--keep-right"): ["calibrate_keep_right_ignored"],
    ("calibrate", "--target-precision"): ["calibrate_target_precision_ignored"], ("calibrate", "--seed"): ["calibrate_seed_ignored"],
    ("translate", "--batch-size"): ["translate_batch_size_ignored"],
    ("translate", "--max-input-tokens"): ["translate_max_input_tokens_ignored"],
    ("translate", "--threads"): ["translate_threads_ignored"], ("convert", "--quantization"): ["convert_quantization_ignored"],
    ("convert", "--force"): ["convert_force_ignored"], ("run", "--no-name-pairing"): ["no_name_pairing_ignored"],
    ("run", "--pairs"): ["pairs_manifest_ignored"], ("run", "--device"): ["device_ignored"],
    ("score", "--paired-ar"): ["paired_ar_ignored"], ("run", "-j"): ["jobs_ignored"],
    ("run", "--beams"): ["beams_ignored_by_run"], ("translate", "--beams"): ["beams_ignored_by_marian"],
    ("run", "--dedup"): ["duplicates_not_in_unaligned_jsonl"], ("score", "--encoder"): ["score_encoder_ignored"],
    ("calibrate", "--encoder"): ["calibrate_encoder_ignored"], ("run", "--ray-timeout"): ["ray_probe_does_not_wait_for_an_answer"],
}


def _strings(node: ast.AST) -> set[str]:
    found = set()
    for n in ast.walk(node):
        values = [n.value] if isinstance(n, ast.Constant) and isinstance(n.value, str) else []
        if isinstance(n, ast.JoinedStr):
            values = [v.value for v in n.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        for value in values:
            found.add(value)
            found.update(word.split("=")[0] for word in value.split())
    return found


def _calls(node: ast.AST) -> set[str]:
    return {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def test_strings() -> dict[str, set[str]]:
    """Each test function (file::name) and the strings it and its module's helpers hold."""
    out = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for name, node in functions.items():
            if name.startswith("test_"):
                helpers = [functions[c] for c in _calls(node) if c in functions] + [functions[f] for f in
                           (a.arg for a in node.args.args) if f in functions]  # module fixtures
                out[f"{path.name}::{name}"] = set().union(_strings(node), *map(_strings, helpers))
    return out


def commands():
    import click

    from align.cli import cli

    def walk(command, path):
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                yield from walk(sub, path + [name])
        else:
            yield path, command

    yield from walk(cli, [])


def main() -> int:
    import click
    tests = test_strings()
    print("| command | option | tests that pass it on the command line | breakages the tests catch |")
    print("| --- | --- | --- | --- |")
    for path, command in commands():
        for param in command.params:
            if not isinstance(param, click.Option) or param.name == "help":
                continue
            flags = param.opts + param.secondary_opts
            hits = [t for t, s in tests.items() if path[-1] in s and any(f in s for f in flags)]
            broken = [b for f in flags for b in BROKEN_BY.get((path[-1], f), [])]
            shown = ", ".join(f"`{h}`" for h in hits[:3]) + (f" and {len(hits) - 3} more" if len(hits) > 3 else "")
            print(f"| {' '.join(path)} | `{'/'.join(flags)}` | {shown or '**none**'} | {', '.join(broken)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
