"""-j N processes give the bytes of -j 1; a user's own sentence-transformers model runs
through align run and align pair; progress bars on reading and rescoring."""

import json

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import ConfigurationError

from .account import accounted
from .test_output_folder import EN, ZH, inputs  # noqa: F401 - the fixture

FILES = ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl")

# Started in every Python process of the test (through PYTHONPATH): a worker process of -j (started
# by multiprocessing's spawn) logs its pid when it starts and each time it puts a task's result.
WORKER_LOG_HOOK = """
import os, sys
_log = os.environ.get("ALIGN_TEST_WORKER_LOG")
if _log and "--multiprocessing-fork" in sys.argv:
    import multiprocessing.queues as _queues

    def _note(what):
        with open(_log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {what}\\n")

    _note("start")
    _put = _queues.Queue.put

    def put(self, obj, *args, **kwargs):
        if isinstance(obj, tuple) and len(obj) == 3 and obj[1] is True:
            _note("result")
        return _put(self, obj, *args, **kwargs)

    _queues.Queue.put = put
"""


def test_two_worker_processes_write_the_bytes_of_one(inputs, tmp_path, monkeypatch):  # noqa: F811
    import os

    hook, log = tmp_path / "hook", tmp_path / "workers.log"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(WORKER_LOG_HOOK, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("ALIGN_TEST_WORKER_LOG", str(log))
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q", "-j", jobs,
                                          "--cache-dir", str(tmp_path / f"cache{jobs}")])
        assert result.exit_code == 0, result.output
        outs.append(out)
        if jobs == "1":  # -j 1 runs every task in the align process: no worker
            assert not log.exists()
    # -j 2 started one worker process beside this one; this one takes tasks from the same queue while
    # it waits, so on inputs this small the worker, still loading its encoder, may return none
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    started = {pid for pid, what in lines if what == "start"}
    assert len(started) == 1 and str(os.getpid()) not in started
    assert {pid for pid, what in lines if what == "result"} <= started
    for name in FILES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    assert json.loads((outs[1] / "run.json").read_text())["counts"]["pairs_exported"] == 3
    bad = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(tmp_path / "x"), "-j", "2", "--executor", "ray"])
    assert isinstance(bad.exception, ConfigurationError)


def _pid_and_square(context, item):
    import os

    return os.getpid(), item * item


def test_j_n_starts_n_minus_one_workers_and_this_process_takes_tasks_too():
    import os

    from align.executor.processes import ProcessExecutor
    from align.mapper import TaskContext

    executor = ProcessExecutor(TaskContext, 2, TaskContext())
    try:
        assert len(executor._processes) == 1
        worker = executor._processes[0].pid
        done = executor.map(_pid_and_square, list(range(40)), "squares")
        assert [square for _, square in done] == [n * n for n in range(40)]
        assert {pid for pid, _ in done} <= {os.getpid(), worker} and os.getpid() in {pid for pid, _ in done}
    finally:
        executor.close()


HANG_SECONDS = 120  # a map still running after this waits for a dead worker


def _die_in_a_worker(context, item):
    """In the worker: leave a mark and end the process at once. In the driver: take 50 ms while
    there is no mark (so that the worker is ready and takes a task before the driver runs out
    of its own), nothing after."""
    import os
    import time
    from pathlib import Path

    driver, mark = item
    if os.getpid() != driver:
        Path(mark).write_text("died", encoding="utf-8")
        os._exit(1)
    if not Path(mark).exists():
        time.sleep(0.05)
    return driver


def test_a_worker_that_dies_ends_the_map_with_one_error_not_a_hang(tmp_path):
    import os

    from align.errors import ExecutionError
    from align.executor.processes import ProcessExecutor
    from align.mapper import TaskContext

    import threading

    executor, raised = ProcessExecutor(TaskContext, 2, TaskContext()), []

    def run():
        try:
            executor.map(_die_in_a_worker, [(os.getpid(), str(tmp_path / "mark"))] * 2000, "die")
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            raised.append(exc)

    try:
        mapping = threading.Thread(target=run, daemon=True)
        mapping.start()
        mapping.join(HANG_SECONDS)
        assert not mapping.is_alive(), "the map waits for ever for a dead worker"
        assert (tmp_path / "mark").exists()  # the worker did take a task
        [error] = raised
        assert isinstance(error, ExecutionError) and "a worker process died" in str(error)
    finally:
        executor.close()


@pytest.fixture(scope="module")
def tiny_st(tmp_path_factory):
    pytest.importorskip("sentence_transformers")
    from .random_st import build_tiny_sentence_transformer

    return build_tiny_sentence_transformer(tmp_path_factory.mktemp("st"), [ZH, EN])


def test_a_users_sentence_transformers_model_runs_align_run_and_pair(tiny_st, inputs, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q", "--encoder", f"st:{tiny_st}",
                                      "--min-quality", "0"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["signatures"]["encoder"].startswith("st:tiny-st@")
    assert sum(accounted(out, inputs).values()) == 6
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text(ZH.replace("\n\n", "\n"), encoding="utf-8")
    en.write_text(EN.replace("\n\n", "\n"), encoding="utf-8")
    pair = CliRunner().invoke(cli, ["pair", str(zh), str(en), "--presplit", "--encoder", f"st:{tiny_st}"])
    assert pair.exit_code == 0, pair.output
    beads = pair.output.split()
    assert beads and all(":" in b for b in beads)


def test_rescoring_and_reading_report_progress(tmp_path, monkeypatch):
    from align.embed import get_encoder
    from align.ingest import ingest
    from align.io.corpus import CorpusEntry
    from align.score.rescore import rescore

    seen = []

    def progress(items=None, desc="", **_):
        seen.append(desc)
        return items

    (tmp_path / "a.txt").write_text(ZH, encoding="utf-8")
    ingest([tmp_path], progress=progress)
    rescore([CorpusEntry("她戴着太阳镜。", "She wears sunglasses.")], get_encoder("use"), progress=progress)
    assert seen == ["read", "embed", "embed", "rescore"]


def test_score_and_calibrate_take_the_users_encoder(tiny_st, tmp_path):
    from pathlib import Path

    corpus = tmp_path / "c.tsv"
    corpus.write_text("".join(f"{z}\t{e}\n" for z, e in zip(ZH.split(), EN.strip().split("\n\n"))), encoding="utf-8")
    scored = CliRunner().invoke(cli, ["score", str(corpus), "--encoder", f"st:{tiny_st}", "--format", "json", "-q"])
    assert scored.exit_code == 0, scored.output
    shipped = CliRunner().invoke(cli, ["score", str(corpus), "--format", "json", "-q"])
    assert shipped.exit_code == 0, shipped.output
    # the signals are measured by the encoder given (the summary does not name it: the quality
    # signature names the encoder the model was fitted with)
    assert json.loads(scored.stdout)["mean_quality_kept"] != json.loads(shipped.stdout)["mean_quality_kept"]
    law = Path(__file__).resolve().parent.parent / "bench" / "data" / "constitution-zh-en.tsv"
    clean = tmp_path / "clean.tsv"
    clean.write_text("".join(law.read_text(encoding="utf-8").splitlines(keepends=True)[:60]), encoding="utf-8")
    model = tmp_path / "model.json"
    fitted = CliRunner().invoke(cli, ["calibrate", str(clean), "-o", str(model), "--block", "4", "-q",
                                      "--encoder", f"st:{tiny_st}"])
    assert fitted.exit_code == 0, fitted.output
    assert "|enc:st:tiny-st@" in json.loads(model.read_text(encoding="utf-8"))["signature"]
