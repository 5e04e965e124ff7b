"""What a stage needs to run its work items somewhere: the ``Mapper`` protocol, the
``TaskContext`` a task runs in, and ``InProcess``, the mapper of this process.

A stage takes a mapper as an argument and never chooses one: ``align.runtime`` opens a
local, ``-j`` or Ray executor (``align.executor``), each a ``Mapper``. This module
is infrastructure and knows no stage: the context builds its encoder with a factory it is
given (``align.tasks.worker_context``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class TaskContext:
    """One per worker: the encoder, built on first use by ``build_encoder`` (or given), the
    run's cache folder (None: no cache), and the normalizers, translators and models the tasks
    ask for, kept by a key of their settings."""

    def __init__(self, build_encoder: Callable[[], Any] | None = None, encoder: Any = None,
                 cache_dir: str | None = None) -> None:
        self._build_encoder = build_encoder
        self._encoder = encoder
        self.cache_dir = cache_dir
        self._kept: dict[Hashable, Any] = {}

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            if self._build_encoder is None:
                raise RuntimeError("this task context has no encoder")  # a bug: the driver gives one to tasks that embed
            self._encoder = self._build_encoder()
        return self._encoder

    def kept(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The object kept under ``key``, built by ``build()`` the first time."""
        if key not in self._kept:
            self._kept[key] = build()
        return self._kept[key]


class Mapper(Protocol):
    kind: str
    workers: int
    same_machine: bool  # tasks run on this machine: they may read the input files by their paths

    def map(self, task: Callable[[TaskContext, Item], Result], items: Sequence[Item], desc: str,
            progress: Callable | None = None) -> list[Result]:
        """``task(context, item)`` for every item, results in the order of ``items``."""

    def close(self) -> None:
        """Give back what the mapper started."""


class InProcess:
    """Every task in this process, one after another, in one context."""

    kind = "local"
    workers = 1
    same_machine = True

    def __init__(self, context: TaskContext | None = None) -> None:
        self.context = context or TaskContext()

    def map(self, task: Callable, items: Sequence, desc: str, progress: Callable | None = None) -> list:
        todo = progress(items, desc=desc, unit="task") if progress and items else items
        return [task(self.context, item) for item in todo]

    def close(self) -> None:
        pass


def in_process(encoder: Any = None) -> InProcess:
    """The default mapper of a stage: this process, with ``encoder`` when the stage embeds."""
    return InProcess(TaskContext(encoder=encoder))


def map_largest_first(mapper: Mapper, task: Callable[[TaskContext, Item], Result], items: Sequence[Item],
                      costs: Sequence[float], desc: str, progress: Callable | None = None) -> list[Result]:
    """``mapper.map`` with the items handed out costliest first (so that no large item starts
    last while the other workers wait), the results still in the order of ``items``. A task
    depends on its item and context alone, so the order it runs in changes no result."""
    order = sorted(range(len(items)), key=lambda i: (-costs[i], i))
    done = mapper.map(task, [items[i] for i in order], desc, progress)
    results: list = [None] * len(items)
    for i, result in zip(order, done):
        results[i] = result
    return results

