"""Where the per-document work of ``align run`` runs: in this process (the default) or on a
Ray cluster (``--executor ray``), or in local worker processes (``-j N``). Both run the same task functions (``align.tasks``) on the
same work items, cut by the driver, so both give the same outputs byte for byte."""

from __future__ import annotations

from .base import EXECUTORS, Executor, ExecutorSettings, WorkerContext, WorkerSpec
from .local import LocalExecutor


def open_executor(settings: ExecutorSettings, spec: WorkerSpec, context: WorkerContext | None = None) -> Executor:
    """The executor ``settings`` names; the local one runs in ``context`` (with the driver's encoder)."""
    if settings.kind == "ray":
        from .ray_cluster import RayExecutor

        return RayExecutor(spec, settings)
    if settings.jobs > 1:
        from .processes import ProcessExecutor

        return ProcessExecutor(spec, settings.jobs)
    return LocalExecutor(context or WorkerContext(spec))


__all__ = ["EXECUTORS", "Executor", "ExecutorSettings", "LocalExecutor", "WorkerContext", "WorkerSpec", "open_executor"]
