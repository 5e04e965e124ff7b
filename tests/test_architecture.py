"""The shape of the package, checked: short functions, no module-level mutable state, and
no stage importing the modules that drive it (cli, run, config, api)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "align"
MODULES = sorted(PACKAGE.rglob("*.py"))
DRIVERS = {"align.cli", "align.run", "align.config", "align.api"}
FACADE = "align"  # the package's __init__: names the API (align.api) and may import the drivers


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Absolute names of the align modules a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names.add(target)
            names.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("align")}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_functions_are_short(path):
    if path.name == "cli.py":
        return  # click commands are mostly option lists
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [f"{n.name} ({n.end_lineno - n.lineno + 1} lines)" for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > 60]
    assert not long


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_level_mutable_state(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mutable = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
    found = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, mutable):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [t.id for t in targets if isinstance(t, ast.Name) and t.id != "__all__"]
    assert not found


@pytest.mark.parametrize("path", [p for p in MODULES if module_name(p) not in DRIVERS | {FACADE}],
                         ids=lambda p: module_name(p))
def test_stages_do_not_import_their_drivers(path):
    assert not {n for n in imported(path) if n in DRIVERS or any(n.startswith(d + ".") for d in DRIVERS)}


def test_the_checks_see_the_package():
    names = {module_name(p) for p in MODULES}
    assert {"align.cli", "align.run", "align.records", "align.score.signals"} <= names
    assert "align.run" in imported(PACKAGE / "cli.py") or "align.run.run" in imported(PACKAGE / "cli.py")
