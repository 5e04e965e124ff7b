"""The default executor: every task in this process, one after another."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .base import WorkerContext


class LocalExecutor:
    kind = "local"
    workers = 1

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    def map(self, task: Callable, items: Sequence, desc: str, progress: Callable | None = None) -> list:
        todo = progress(items, desc=desc, unit="task") if progress and items else items
        return [task(self.context, item) for item in todo]

    def close(self) -> None:
        pass
