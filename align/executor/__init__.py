"""Where the per-document work of ``align run`` runs: in this process (the default), in local
worker processes (``-j N``) or on a Ray cluster (``--executor ray``). All run the same task
functions (``align.tasks``) on the same work items, cut by the driver, so all give the same
outputs byte for byte. Only ``align.runtime`` (the composition root) opens one; the stages
take the ``Mapper`` they are given."""

from __future__ import annotations

from ..mapper import InProcess, TaskContext
from .base import EXECUTORS, ContextFactory, Executor, ExecutorSettings


def open_executor(settings: ExecutorSettings, context_factory: ContextFactory,
                  context: TaskContext | None = None) -> Executor:
    """The executor ``settings`` names. Workers build their context with ``context_factory``;
    the local executor, and this process's share of ``-j``, run in ``context`` (the driver's, with
its encoder) when given."""
    if settings.kind == "ray":
        from .ray_cluster import RayExecutor

        return RayExecutor(context_factory, settings)
    if settings.jobs > 1:
        from .processes import ProcessExecutor

        return ProcessExecutor(context_factory, settings.jobs, context)
    return InProcess(context or context_factory())


__all__ = ["EXECUTORS", "ContextFactory", "Executor", "ExecutorSettings", "open_executor"]
