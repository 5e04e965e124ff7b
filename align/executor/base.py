"""The executor interface, and what a worker loads once and keeps between tasks."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..embed import EmbeddingStore, Encoder, get_encoder
from ..errors import ConfigurationError

EXECUTORS = ("local", "ray")

Item = TypeVar("Item")
Result = TypeVar("Result")


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


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker builds its encoder: the encoder's name, the embedding cache folder and
    the threads it may use (None: the encoder's default)."""

    encoder: str = "use"
    cache_dir: str | None = None
    threads: int | None = None
    device: str = "cpu"  # where st: encoders run: cpu, cuda or auto


class WorkerContext:
    """One per worker process: the encoder is loaded on first use and kept, as are the
    normalizers, translators and models the tasks ask for (by a key of their settings)."""

    def __init__(self, spec: WorkerSpec, encoder: Encoder | None = None) -> None:
        self.spec = spec
        self._encoder = encoder
        self._kept: dict[Hashable, Any] = {}

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            store = EmbeddingStore(Path(self.spec.cache_dir) / "embeddings.sqlite") if self.spec.cache_dir else None
            self._encoder = get_encoder(self.spec.encoder, store, self.spec.threads, self.spec.device)
        return self._encoder

    def kept(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The object kept under ``key``, built by ``build()`` the first time."""
        if key not in self._kept:
            self._kept[key] = build()
        return self._kept[key]


class Executor(Protocol):
    kind: str
    workers: int

    def map(self, task: Callable[[WorkerContext, Item], Result], items: Sequence[Item], desc: str,
            progress: Callable | None = None) -> list[Result]:
        """``task(context, item)`` for every item, results in the order of ``items``."""

    def close(self) -> None:
        """Give back what the executor started."""
