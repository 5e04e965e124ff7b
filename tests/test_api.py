"""The Python API: README's examples run as doctests, and the library keeps the command
line's defaults."""

import doctest
from pathlib import Path

import align
from align.config import RunConfig

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_examples_run():
    failures, tried = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert tried >= 12 and failures == 0


def test_the_library_keeps_pairs_at_the_command_lines_threshold():
    from align.cli import run

    option = next(p for p in run.params if p.name == "min_quality")
    assert RunConfig().select.min_quality == option.default == 0.5


def test_import_align_is_cheap_and_names_its_api():
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, align; print(sorted(m for m in sys.modules "
                             "if m.startswith('align') or m == 'numpy'))"], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "['align']"  # the API loads on first use
    assert all(getattr(align, name) is not None for name in align.__all__)
    assert align.align_sentences is align.api.align_sentences
