import contextlib
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run (no flaky CI), and write no database.
settings.register_profile("align", derandomize=True, database=None, deadline=None)
settings.load_profile("align")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


# The files that take longest go first: ``--dist loadfile`` hands files to the processes in
# the order collected, and one of these started last would leave the other process idle.
SLOWEST_FILES = ("test_executor.py", "test_cli.py", "test_reliability.py", "test_translate.py", "test_hostile.py")


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.path.name
        return SLOWEST_FILES.index(name) if name in SLOWEST_FILES else len(SLOWEST_FILES)

    items.sort(key=rank)  # stable: the order inside a file, and of the other files, is kept


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, request):
    """One run of the whole pipeline on the seeds (through the CLI), shared by the tests, and
    by the processes of ``pytest -n``: the first makes it, under a lock, the others read it."""
    from click.testing import CliRunner
    from filelock import FileLock

    from align.cli import cli

    if getattr(request.config, "workerinput", None) is None:  # one process
        out, lock = tmp_path_factory.mktemp("seed-run"), None
    else:
        shared = tmp_path_factory.getbasetemp().parent
        out, lock = shared / "seed-run", FileLock(str(shared / "seed-run.lock"))
    with lock or contextlib.nullcontext():
        if not (out / "run.json").is_file():
            result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(out), "-q"], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def pair_records(folder: Path) -> list[dict]:
    """Every pair a run wrote: ``corpus.jsonl``, then the mined pairs of ``mined.jsonl``."""
    import json

    return [json.loads(line) for name in ("corpus.jsonl", "mined.jsonl") if (folder / name).is_file()
            for line in (folder / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def seeded_cache(seed_run, tmp_path) -> Path:
    """A cache folder of its own holding the seed run's embeddings (and nothing else: no
    translations), so that a test's run on the seeds does not embed them again."""
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(seed_run / ".align-cache" / "embeddings.sqlite", cache / "embeddings.sqlite")
    return cache

