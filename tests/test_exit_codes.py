"""``EXIT_CODES``: every code the command line exits with is listed there and in ``align --help``,
and the choice lists of the options are the library's own tuples."""

import ast
from pathlib import Path

import click
from click.testing import CliRunner

import align.errors
from align.cli import EXIT_CODES, cli

PACKAGE = Path(align.errors.__file__).resolve().parent


def exit_codes_in_errors() -> set[int]:
    """The ``exit_code`` of every exception class the package defines."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "exit_code" for t in node.targets):
                found.add(ast.literal_eval(node.value))
    return found


def exits_in_cli() -> list[str]:
    """What ``sys.exit`` and ``_fail`` are called with in cli.py: the names of the exit constants,
    or the literal (which the test refuses)."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "_fail", "ctx.exit"):
            found.append(ast.unparse(node.args[-1]))
    return found


def test_every_exit_code_is_listed_and_shown_in_the_help():
    import align.cli as module

    assert exit_codes_in_errors() <= set(EXIT_CODES)  # the library's errors: 1 and 2
    assert {click.ClickException.exit_code, click.UsageError.exit_code} <= set(EXIT_CODES)
    used = exits_in_cli()
    assert "EXIT_INTERNAL" in used and "exc.exit_code" in used
    for expression in used:
        if expression not in ("exc.exit_code", "code"):  # an error's own code (checked above); _fail's parameter
            assert getattr(module, expression) in EXIT_CODES, expression  # a named code, never a bare number
    shown = CliRunner().invoke(cli, ["--help"]).output
    for code, meaning in EXIT_CODES.items():
        assert f"{code}" in shown and meaning[:30] in shown


def test_choice_lists_are_the_librarys_tuples():
    from align.cli import run, score, translate
    from align.config import CORPUS_FORMATS, EXECUTORS, JSONL_LAYOUTS, TMX_UNITS
    from align.embed import DEVICES
    from align.ingest.formats import INPUT_FORMATS
    from align.score.upkeep import POLICIES
    from align.translate.engines import ENGINES
    from align.translate.stage import MODES

    def choices(command, name):
        return tuple(next(p for p in command.params if p.name == name).type.choices)

    assert choices(run, "formats") == CORPUS_FORMATS and choices(run, "input_format") == INPUT_FORMATS
    assert choices(run, "tmx_units") == TMX_UNITS and choices(run, "jsonl_layout") == JSONL_LAYOUTS
    assert choices(run, "executor_kind") == EXECUTORS and choices(run, "device") == DEVICES
    assert choices(run, "translate_mode") == MODES and choices(translate, "engine") == ENGINES
    assert choices(score, "tm_keep") == POLICIES
