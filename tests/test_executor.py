"""The Ray executor: the same files as a local run, byte for byte; a killed worker's task is
run again; caches written by workers are reused. Starts one local Ray runtime (2 CPUs)."""

import functools
import os
import shutil
import signal
import sys
import threading

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.config import RunConfig
from align.errors import ConfigurationError
from align.embed import EmbeddingStore, get_encoder
from align.executor import ExecutorSettings
from align.tasks import WorkerSpec, worker_context
from align.export.write import write_outputs
from align.run import run
from align.translate.stage import TranslateSettings

from .conftest import SEEDS
from .random_marian import build_random_marian

ray = pytest.importorskip("ray")

COMPARED = ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl")


@pytest.fixture(scope="module")
def ray_runtime():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The Chinese seed and one English seed (enough for every stage, half the embedding)."""
    folder = tmp_path_factory.mktemp("inputs")
    for name in sorted(p.name for p in SEEDS.glob("*.txt"))[-2:]:
        shutil.copy(SEEDS / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def zh_en_model(tmp_path_factory, inputs):
    from align.language import detect_language

    lines = [ln.strip() for p in sorted(inputs.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()
             if ln.strip()]
    zh = [ln for ln in lines if detect_language(ln) == "zh"]
    en = [ln for ln in lines if detect_language(ln) == "en"]
    return build_random_marian(tmp_path_factory.mktemp("model") / "tiny-zh-en", zh, en, "zh-en")


@pytest.fixture(scope="module")
def local_run(inputs, tmp_path_factory):
    """A run in this process (no translation), with the cache its embeddings went to: the bytes
    the Ray runs must write, and vectors computed without Ray."""
    return align_run(inputs, tmp_path_factory.mktemp("local") / "out", "--translate", "none")


def align_run(inputs, out, *options):
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q", "--cache-dir", str(out) + "-cache",
                                      *options], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_the_command_line_starts_its_own_ray_runtime(inputs, local_run, tmp_path):
    """First in this file: no Ray runtime of the tests runs beside the one the command starts.
    The workers find the embeddings in the cache (a copy of the local run's): what this checks
    is the runtime the command line starts and the bytes it writes; the workers' embedding is
    checked by the tests below."""
    import subprocess

    local = local_run
    cache = tmp_path / "ray-cache"
    cache.mkdir()
    shutil.copy(f"{local}-cache/embeddings.sqlite", cache / "embeddings.sqlite")
    ray_out = tmp_path / "ray"
    proc = subprocess.run([sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(ray_out), "-q",
                           "--translate", "none", "--cache-dir", str(cache), "--executor", "ray", "--workers", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in COMPARED:
        assert (ray_out / name).read_bytes() == (local / name).read_bytes(), name


def test_ray_and_local_runs_write_the_same_files_and_a_rerun_reads_what_the_workers_wrote(
        ray_runtime, inputs, local_run, zh_en_model, tmp_path, monkeypatch):
    from align.embed import UseEncoder

    mt = ["--mt-model", f"zh-en={zh_en_model}"]
    on_ray = align_run(inputs, tmp_path / "ray", *mt, "--executor", "ray", "--workers", "2")
    (tmp_path / "local-cache").mkdir()  # the local run embeds only the translations: its other vectors were made in
    shutil.copy(f"{local_run}-cache/embeddings.sqlite", tmp_path / "local-cache")  # this process, not by Ray
    local = align_run(inputs, tmp_path / "local", *mt)
    for name in COMPARED:
        assert (local / name).read_bytes() == (on_ray / name).read_bytes(), name
    assert b'"zh_translation": ""' not in (on_ray / "corpus.jsonl").read_bytes()  # translated on the workers
    assert (tmp_path / "ray-cache" / "embeddings.sqlite").stat().st_size > 0  # workers wrote the shared cache

    def no_encoding(self, texts):
        raise AssertionError(f"embedded {len(texts)} texts again instead of reading the cache")

    monkeypatch.setattr(UseEncoder, "_encode_batch", no_encoding)  # every vector must come from the workers' cache
    again = align_run(inputs, tmp_path / "ray", *mt)  # the same folders, in this process
    assert all((again / name).read_bytes() == (local / name).read_bytes() for name in COMPARED)


class KillOneWorker:
    """A Ray executor that kills one of its worker processes while the embedding tasks run."""

    def __init__(self, inner):
        self.inner, self.kind, self.workers = inner, inner.kind, inner.workers
        self.killed = None

    def map(self, task, items, desc, progress=None):
        if desc == "embed" and self.killed is None:
            self.killed = self.inner.worker_stats()[0]["pid"]
            threading.Timer(0.5, os.kill, (self.killed, signal.SIGKILL)).start()
        return self.inner.map(task, items, desc, progress)

    def close(self):
        self.inner.close()


def test_a_killed_worker_has_its_task_run_again(ray_runtime, inputs, local_run, tmp_path):
    from align.executor.ray_cluster import RayExecutor

    config = RunConfig(translate=TranslateSettings(mode="none"))
    spec = WorkerSpec("use", str(tmp_path / "ray-cache"))
    executor = KillOneWorker(RayExecutor(functools.partial(worker_context, spec), ExecutorSettings("ray", workers=2)))
    try:
        result = run([inputs], config, get_encoder("use"), mapper=executor)
        write_outputs(result, tmp_path / "ray", mapper=executor, settings={}, signatures={"encoder": "use"})
        assert executor.killed not in [w["pid"] for w in executor.inner.worker_stats()]  # restarted as a new process
    finally:
        executor.close()
    shutil.copy(f"{local_run}-cache/embeddings.sqlite", tmp_path / "local.sqlite")
    local = run([inputs], config, get_encoder("use", EmbeddingStore(tmp_path / "local.sqlite")))  # vectors made without Ray
    write_outputs(local, tmp_path / "local", settings={}, signatures={"encoder": "use"})
    for name in COMPARED:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "ray" / name).read_bytes(), name


def test_executor_options_are_checked(tmp_path, monkeypatch):
    import subprocess

    align = os.path.join(os.path.dirname(sys.executable), "align")
    done = subprocess.run([align, "run", str(SEEDS), "-o", str(tmp_path / "o"), "--workers", "2"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        "align: error: --address and --workers go with --executor ray"]
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path / "o"), "--executor", "ray"])
    assert isinstance(result.exception, ConfigurationError) and "pip install 'zhen-align[ray]'" in str(result.exception)
    assert not (tmp_path / "o" / "corpus.jsonl").exists()


def test_an_error_in_a_worker_reaches_the_user_as_itself(ray_runtime):
    from align.executor.ray_cluster import RayExecutor
    from align.normalize import NormalizeSettings
    from align.tasks import NormalizeItem, normalize_documents

    executor = RayExecutor(functools.partial(worker_context, WorkerSpec()), ExecutorSettings("ray", workers=1))
    try:
        with pytest.raises(ConfigurationError, match="glossary file not found") as raised:
            executor.map(normalize_documents, [NormalizeItem((), NormalizeSettings(glossaries=("/nonexistent.tsv",)))],
                         "normalize")
        assert type(raised.value) is ConfigurationError  # not Ray's wrapper, whose message is a traceback
    finally:
        executor.close()


def test_a_ray_address_where_nothing_listens_fails_with_one_line(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "align.cli", "run", str(SEEDS), "-o", str(tmp_path / "out"),
                           "--executor", "ray", "--address", "127.0.0.1:1", "-q"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and "nothing answers there" in proc.stderr


def test_an_address_that_accepts_but_never_answers_ends_at_the_ray_timeout(tmp_path):
    """ray.init waits for ever, deaf to signals, on an address that takes the connection and
    says nothing (seen: over 200 s with --ray-timeout 3): the probe gives up after the limit."""
    import socket
    import subprocess
    import sys
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    address = f"127.0.0.1:{server.getsockname()[1]}"
    taken = []
    threading.Thread(target=lambda: taken.extend(server.accept() for _ in range(4)), daemon=True).start()
    try:
        proc = subprocess.run([sys.executable, "-m", "align.cli", "run", str(SEEDS), "-o", str(tmp_path / "out"),
                               "--executor", "ray", "--address", address,
                               "--ray-timeout", "1", "-q"], capture_output=True, text=True, timeout=120)
    finally:
        server.close()
    assert proc.returncode == 2 and taken
    assert proc.stderr.strip().splitlines() == [f"align: error: cannot join Ray at {address}: no answer within 1 s "
                                                "(--ray-timeout)"]


def test_a_running_ray_answers_the_probe(ray_runtime):
    from align.executor.ray_cluster import probe_address

    probe_address(ray.get_runtime_context().gcs_address, 10)  # no error: a real GCS answers


def test_ray_init_that_hangs_gives_up_after_the_timeout():
    import threading

    from align.executor.ray_cluster import init_within

    release = threading.Event()  # an init that never answers until the test lets it go
    try:
        assert init_within(release.wait, 0.2) == "no answer within 0.2 s (--ray-timeout)"
    finally:
        release.set()
    assert init_within(lambda: None, 1) is None


def test_a_failing_cluster_is_one_line_not_an_internal_error():
    import ray

    from align.errors import ExecutionError
    from align.executor.ray_cluster import RayExecutor

    class Pool:
        def map(self, fn, items):
            raise ray.exceptions.RaySystemError("the dashboard agent died\nmore lines")

    executor = RayExecutor.__new__(RayExecutor)
    executor._ray, executor._pool = ray, Pool()
    with pytest.raises(ExecutionError, match="the Ray cluster failed during embed: RaySystemError: .*agent died$"):
        executor.map(lambda c, i: i, [1], "embed")
