"""The executor settings and interface: an executor is a ``Mapper`` (``align.mapper``) that
builds each worker's ``TaskContext`` with a factory the driver gives it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigurationError
from ..mapper import Mapper, TaskContext

EXECUTORS = ("local", "ray")

@dataclass(frozen=True)
class ExecutorSettings:
    kind: str = "local"  # local | ray
    address: str | None = None  # a Ray cluster (auto, ray://HOST:PORT); None starts a local runtime
    workers: int | None = None  # Ray workers; None: one per CPU of the cluster
    jobs: int = 1  # local worker processes (-j); 1: everything in the align process
    timeout: float = 30.0  # seconds to start or join Ray (--ray-timeout)

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise ConfigurationError("-j must be at least 1")
        if self.kind == "ray" and self.jobs > 1:
            raise ConfigurationError("-j is for the local executor; with --executor ray give --workers")
        if self.kind not in EXECUTORS:
            raise ConfigurationError(f"unknown executor {self.kind!r}: use local or ray")
        if self.workers is not None and self.workers < 1:
            raise ConfigurationError("--workers must be at least 1")
        if self.kind == "local" and (self.address or self.workers):
            raise ConfigurationError("--address and --workers go with --executor ray")


ContextFactory = Callable[[], TaskContext]  # builds a worker's context there (picklable: Ray and -j send it)


Executor = Mapper  # local, -j and Ray: each runs ``task(context, item)`` for items, in order
