"""Mutation testing of the modules that decide what goes into a corpus (``make mutation``).

    python bench/mutation/mutate.py [--sample 40] [--seed 40] [--timeout 300]
    python bench/mutation/mutate.py --only "align/score/flags.py:86:47: < -> <=" ...   # these mutants only

A mutant is one token of one module changed: a comparison (``<`` and ``<=``, ``>`` and ``>=``,
``==`` and ``!=``), an arithmetic operator (``+`` and ``-``, ``*`` and ``/``), a number (``n``
to ``n + 1``, ``0`` to ``1``), a boolean (``True`` and ``False``) or a connective (``and`` and
``or``). Every such token of ``align/aligner``, ``align/score``, ``align/export`` and
``align/normalize`` (docstrings and comments aside) is a candidate; a seeded sample of them is
applied one at a time to a copy of the working tree, and the tests of that package are run
there, with the tests of that module where it has its own (``-x``, stopping at the first
failure). A mutant is *killed* when a test fails (or the
run passes the time limit), and *survives* when every test passes: the survivors are what the
tests do not check, to read each time these modules change. Prints each mutant, the figure
(killed / sampled) and the survivors; writes nothing into the working tree.

Mutants that do not compile are left out of the sample. Equivalent mutants (a change that
cannot alter behaviour, such as ``x <= 0`` for ``x < 0`` where x is never 0) survive and
must be read as such.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# each package and the tests that cover it; a module with tests of its own (MODULE_TESTS) runs
# those too: a mutant of align/score/flags.py is run against test_score.py, test_quality.py and
# test_score_flags.py
UNIT = "tests/test_caught_breakage.py::"
TARGETS = {
    "align/aligner": ["tests/test_stages.py", "tests/test_aligner.py",
                      UNIT + "test_each_chinese_section_is_classed_against_the_english_beside_it_in_its_document"],
    "align/score": ["tests/test_score.py", "tests/test_quality.py"],
    "align/export": ["tests/test_export.py", "tests/test_tsv.py",
                     UNIT + "test_run_json_lists_at_most_50_decisions_with_pairs_per_chinese_document_the_strongest"],
    "align/normalize": ["tests/test_normalize.py"],
}
MODULE_TESTS = {
    "align/aligner/documents.py": ["tests/test_structure.py"],
    "align/aligner/names.py": ["tests/test_documentation.py", "tests/test_readme_promises.py"],
    "align/aligner/groups.py": ["tests/test_structure.py"],
    "align/aligner/interleaved.py": ["tests/test_structure.py"],
    "align/aligner/parallel.py": ["tests/test_structure.py"],
    "align/score/calibrate.py": ["tests/test_cleaning.py", "tests/test_calibration.py"],
    "align/score/compare.py": ["tests/test_score_report.py"],
    "align/score/flags.py": ["tests/test_score_flags.py"],
    "align/score/select.py": ["tests/test_cleaning.py"],
    "align/score/dedup.py": ["tests/test_cleaning.py"],
    "align/score/upkeep.py": ["tests/test_upkeep.py"],
    "align/score/neural.py": ["tests/test_score_neural.py"],
    "align/export/subtitles.py": ["tests/test_subtitles_out.py"],
    "align/export/records.py": ["tests/test_formats.py"],
    "align/export/shards.py": ["tests/test_schema.py"],
    "align/export/xlsx.py": ["tests/test_xlsx.py"],
    "align/export/reviewed.py": ["tests/test_apply.py"],
    "align/export/split.py": ["tests/test_cleaning.py"],
    "align/export/bilingual.py": ["tests/test_formats.py"],
    "align/aligner/keyed.py": ["tests/test_keyed.py", "tests/test_strings.py"],
    "align/aligner/chapters.py": ["tests/test_epub.py"],
    "align/aligner/mining.py": ["tests/test_cli.py"],
    "align/score/keyed.py": ["tests/test_keyed.py"],
    "align/score/resegment.py": ["tests/test_score.py"],
    "align/score/metrics.py": ["tests/test_readme_promises.py"],
    "align/score/hardrules.py": ["tests/test_cleaning.py", "tests/test_readme_promises.py"],
}

SWAPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "+": "-", "-": "+", "*": "/",
         "/": "*", "True": "False", "False": "True", "and": "or", "or": "and"}


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the root
    line: int
    col: int
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col + 1}: {self.before} -> {self.after}"


def _replacement(token: tokenize.TokenInfo) -> str | None:
    if token.type == tokenize.NUMBER:
        try:
            value = int(token.string, 0)
        except ValueError:
            return None  # floats and others: left alone (their +1 is rarely meaningful)
        return str(value + 1)
    if token.type in (tokenize.OP, tokenize.NAME):
        return SWAPS.get(token.string)
    return None


def mutants_of(path: Path) -> list[Mutant]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        after = _replacement(token)
        if after is None:
            continue
        (row, col), (_, end) = token.start, token.end
        line = lines[row - 1]
        mutated = "".join(lines[: row - 1]) + line[:col] + after + line[end:] + "".join(lines[row:])
        try:
            compile(mutated, str(path), "exec")
        except SyntaxError:
            continue
        found.append(Mutant(str(path.relative_to(ROOT)), row, col, token.string, after))
    return found


def apply(copy: Path, mutant: Mutant) -> str:
    """Write ``mutant`` into the copy; return the file's original text."""
    target = copy / mutant.path
    original = target.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    line = lines[mutant.line - 1]
    lines[mutant.line - 1] = line[: mutant.col] + mutant.after + line[mutant.col + len(mutant.before):]
    target.write_text("".join(lines), encoding="utf-8")
    return original


def tests_for(mutant: Mutant) -> list[str]:
    package = next(tests for package, tests in TARGETS.items() if mutant.path.startswith(package + "/"))
    return package + MODULE_TESTS.get(mutant.path, [])


def run_tests(copy: Path, tests: list[str], timeout: float, basetemp: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(copy), "OMP_NUM_THREADS": "1"}
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                               "--basetemp", str(basetemp), *tests], cwd=copy, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if proc.returncode == 0 else "killed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants to run (default 40)")
    parser.add_argument("--seed", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant's test run")
    parser.add_argument("--only", nargs="+", metavar="MUTANT",
                        help="run these mutants only, as printed (align/x.py:LINE:COL: a -> b), e.g. the survivors")
    args = parser.parse_args()
    candidates = [m for package in TARGETS for path in sorted((ROOT / package).rglob("*.py")) for m in mutants_of(path)]
    if args.only:
        wanted = {text.strip().removeprefix("survivor").strip() for text in args.only}
        sample = [m for m in candidates if str(m) in wanted]
    else:
        sample = random.Random(args.seed).sample(candidates, min(args.sample, len(candidates)))
    sample = sorted(sample, key=lambda m: (m.path, m.line, m.col))
    print(f"{len(candidates)} mutants in {', '.join(TARGETS)}; running {len(sample)} (seed {args.seed})", flush=True)
    survivors, start = [], time.monotonic()
    with tempfile.TemporaryDirectory(prefix="align-mutation-") as folder:
        copy = Path(folder) / "tree"
        shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns("outputs", ".git", "__pycache__"))
        for n, mutant in enumerate(sample):
            original = apply(copy, mutant)
            verdict = run_tests(copy, tests_for(mutant), args.timeout, Path(folder) / f"pt{n}")
            (copy / mutant.path).write_text(original, encoding="utf-8")
            print(f"{verdict:>8}  {mutant}", flush=True)
            if verdict == "survived":
                survivors.append(mutant)
    killed = len(sample) - len(survivors)
    print(f"\nkilled {killed} of {len(sample)} sampled mutants ({killed / max(1, len(sample)):.0%}); "
          f"{len(survivors)} survived; {time.monotonic() - start:.0f} s")
    for mutant in survivors:
        print(f"survivor  {mutant}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
