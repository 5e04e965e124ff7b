"""``-j N``: the tasks of ``align run`` in N worker processes on this machine.

Each worker is a process started with ``spawn`` that builds its own ``TaskContext`` (the
encoder, normalizers and models it is asked for), says it is ready, and runs tasks from a
queue until it is told to stop; this process works too, so ``-j N`` starts N - 1 workers.
The queue is kept short (two items a ready worker): the workers take the items from the
front of the list (the costliest), this process takes its own from the back without sending
them through the queue (an item of the align stage carries its embeddings), and nothing
waits in the queue for a worker still loading its models. Every process runs its tasks
with one BLAS thread (N processes share N cores; with ``-j 1`` the matrix products of the
align stage use them all). The driver cuts the items as for the other executors and joins
the results in item order, so the outputs are the same bytes as with ``-j 1``. A task's own
error reaches the user as itself; a worker that dies ends the run with a one-line error
instead of a hang.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Sequence

from threadpoolctl import threadpool_limits

from ..errors import AlignError, ExecutionError
from ..mapper import TaskContext
from .base import ContextFactory

_STOP = None
_POLL_SECONDS = 0.02  # how long this process waits for a result before it takes a task itself
_JOIN_SECONDS = 2.0  # how long a worker gets to stop when told to
_AHEAD = 2  # items waiting in the queue for each ready worker
_READY = (0, -1, True, None)  # what a worker puts among the results once its context is built (rounds start at 1)


def worker_loop(context_factory: ContextFactory, tasks, results) -> None:
    """Run ``(round, index, task, item)`` from ``tasks`` until the stop mark; put ``(round,
    index, ok, value)``, after ``_READY`` once the context is built."""
    threadpool_limits(1, user_api="blas")
    context = context_factory()
    results.put(_READY)
    while True:
        job = tasks.get()
        if job is _STOP:
            return
        round_, index, task, item = job
        results.put((round_, index, *run_task(context, task, item)))


def run_task(context: TaskContext, task: Callable, item) -> tuple[bool, object]:
    """``(True, result)``, or ``(False, the error to raise)``."""
    try:
        return True, task(context, item)
    except AlignError as exc:  # the user's own error (a missing model, a bad file): passed on as itself
        return False, exc
    except Exception as exc:  # noqa: BLE001 - any other failure is reported by the driver
        return False, ExecutionError(f"a worker failed: {type(exc).__name__}: {exc}")


class ProcessExecutor:
    """``-j N``: N - 1 worker processes, and this process, which runs the items at the back of
    the list while the workers take those at the front from the queue (so N processes work, and
    one fewer starts and loads models)."""

    kind = "processes"
    same_machine = True

    def __init__(self, context_factory: ContextFactory, workers: int, context: TaskContext | None = None) -> None:
        self.workers = workers
        self._context_factory = context_factory
        self._context = context  # this process's own, built on first use when not given
        self._round = 0  # which map the queued items and results belong to
        self._ready = 0  # workers that have built their context
        spawn = multiprocessing.get_context("spawn")
        self._tasks = spawn.Queue()
        self._results = spawn.Queue()
        self._processes = [spawn.Process(target=worker_loop, args=(context_factory, self._tasks, self._results), daemon=True)
                           for _ in range(workers - 1)]
        for process in self._processes:
            process.start()

    def map(self, task: Callable, items: Sequence, desc: str, progress: Callable | None = None) -> list:
        items, self._round = list(items), self._round + 1
        feed = _Feed(self._tasks, self._round, task, items, _AHEAD * self._ready)
        done: dict[int, object] = {}
        bar = progress(total=len(items), desc=desc, unit="task") if progress and items else None
        while len(done) < len(items):
            index, ok, value = self._next_result(feed)
            if not ok:
                raise value
            done[index] = value
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return [done[i] for i in range(len(items))]

    def _next_result(self, feed: "_Feed") -> tuple[int, bool, object]:
        """A worker's result, or that of an item this process ran meanwhile: the last item not
        yet queued, or else one still waiting in the queue. The results are looked at without
        waiting while this process has items of its own to run."""
        while True:
            message = self._poll(wait=feed.exhausted())
            if message is not None:
                round_, index, ok, value = message
                if (round_, index) == _READY[:2]:
                    self._ready += 1
                    feed.ahead = _AHEAD * self._ready
                    feed.fill()
                elif round_ == self._round:  # not left over from a map that ended in an error
                    feed.one_back()
                    return index, ok, value
                continue
            index = feed.take_last()
            if index is None and (index := self._take_queued()) is not None:
                feed.one_back()
            if index is not None:
                with threadpool_limits(1, user_api="blas"):
                    return (index, *run_task(self._own_context(), feed.task, feed.items[index]))

    def _poll(self, wait: bool):
        try:
            return self._results.get(timeout=_POLL_SECONDS) if wait else self._results.get_nowait()
        except queue.Empty:
            return None

    def _take_queued(self) -> int | None:
        try:
            round_, index, _, _ = self._tasks.get_nowait()
        except queue.Empty:
            if not all(p.is_alive() for p in self._processes):
                raise ExecutionError("a worker process died (out of memory?); run again with fewer -j") from None
            return None
        return index if round_ == self._round else None

    def _own_context(self) -> TaskContext:
        if self._context is None:
            self._context = self._context_factory()
        return self._context

    def close(self) -> None:
        """Stop the workers: every result is in, so a worker still loading its models as it
        started (a short run) or still running a task of a failed run is ended, not waited for."""
        for _ in self._processes:
            self._tasks.put(_STOP)
        for process in self._processes:
            process.join(timeout=_JOIN_SECONDS)
            if process.is_alive():
                process.terminate()
                process.join(timeout=_JOIN_SECONDS)


class _Feed:
    """The items of one map not yet handed out: the front ones go to the queue, at most
    ``ahead`` at a time beyond the results that came back; the back ones to this process."""

    def __init__(self, tasks, round_: int, task: Callable, items: list, ahead: int) -> None:
        self.tasks, self.round, self.task, self.items, self.ahead = tasks, round_, task, items, ahead
        self.next, self.last, self.queued = 0, len(items), 0  # items[next:last] are not handed out
        self.fill()

    def fill(self) -> None:
        while self.next < self.last and self.queued < self.ahead:
            self.tasks.put((self.round, self.next, self.task, self.items[self.next]))
            self.next, self.queued = self.next + 1, self.queued + 1

    def one_back(self) -> None:
        """One queued item is done (by a worker, or taken back by this process)."""
        self.queued -= 1
        self.fill()

    def exhausted(self) -> bool:
        """Every item is handed out (to the queue or to this process)."""
        return self.next >= self.last

    def take_last(self) -> int | None:
        if self.next >= self.last:
            return None
        self.last -= 1
        return self.last
