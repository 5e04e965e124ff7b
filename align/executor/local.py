"""The default executor: every task in this process, one after another."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..embed import Encoder
from .base import WorkerContext, WorkerSpec


class LocalExecutor:
    kind = "local"
    workers = 1

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    @classmethod
    def in_process(cls, encoder: Encoder | None = None) -> "LocalExecutor":
        """The default of every stage: this process, with ``encoder`` when one is loaded already."""
        return cls(WorkerContext(WorkerSpec(), encoder))

    def map(self, task: Callable, items: Sequence, desc: str, progress: Callable | None = None) -> list:
        todo = progress(items, desc=desc, unit="task") if progress and items else items
        return [task(self.context, item) for item in todo]

    def close(self) -> None:
        pass
