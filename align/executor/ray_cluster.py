"""``--executor ray``: tasks run on a pool of Ray actors, one per worker CPU.

Each actor builds its ``TaskContext`` once (the encoder is loaded once per worker, not per
task) and runs the task functions the driver sends it. Results come back in the order of
the items, whatever actor ran them, so the outputs do not depend on the number of workers.
An actor that dies (a killed process, a lost node) is restarted and its task run again.

With no ``address`` a local Ray runtime is started (and stopped at the end); with
``address`` (``auto``, ``ray://HOST:PORT``) the driver joins a running cluster, whose nodes
must have ``align`` installed at the same version.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Sequence

from .. import DISTRIBUTION
from ..errors import AlignError, ConfigurationError, ExecutionError
from .base import ContextFactory, ExecutorSettings


class AlignWorker:
    """The body of a Ray actor: a ``TaskContext`` and a method that runs one task in it."""

    def __init__(self, context_factory: ContextFactory) -> None:
        self.context = context_factory()

    def run(self, task: Callable, item):
        return task(self.context, item)

    def stats(self) -> dict:
        """This worker's process id and peak resident memory (MB, VmHWM)."""
        peak = 0
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) // 1024
        return {"pid": os.getpid(), "peak_rss_mb": peak}


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def same_threads_as_driver() -> dict[str, str]:
    """The BLAS thread settings of this process, for the workers: a matrix product's last bits
    depend on how many threads computed it, and Ray would give each worker one thread, so
    vectors would differ from a local run by about 1e-7 (and some rounded scores with them)."""
    default = str(os.cpu_count() or 1)
    return {name: os.environ.get(name, os.environ.get("OMP_NUM_THREADS", default)) for name in THREAD_VARIABLES}


def _import_ray():
    try:
        import ray
    except ImportError as exc:
        raise ConfigurationError(f"--executor ray needs Ray: pip install '{DISTRIBUTION}[ray]'") from exc
    return ray


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")


# an HTTP/2 client's first bytes (the connection preface and an empty SETTINGS frame): Ray's
# GCS is a gRPC server, which answers them with a frame of its own at once
HTTP2_HELLO = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def probe_address(address: str | None, timeout: float) -> None:
    """Refuse at once a ``HOST:PORT`` address where nothing listens, and within ``timeout`` one
    that does not answer as a gRPC server (Ray would wait there for ever, deaf to signals)."""
    if not address or address == "auto" or "://" in address or ":" not in address:
        return
    host, _, port = address.rpartition(":")
    try:
        connection = socket.create_connection((host, int(port)), timeout=min(timeout, 5.0))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot join Ray at {address}: nothing answers there "
                                 f"({getattr(exc, 'strerror', None) or exc})") from exc
    if os.environ.get("RAY_USE_TLS", "0").lower() in ("1", "true"):
        connection.close()
        return  # a TLS server waits for a TLS hello: no plain probe
    with connection:
        try:
            connection.settimeout(timeout)
            connection.sendall(HTTP2_HELLO)
            answer = connection.recv(9)
        except OSError as exc:  # socket.timeout is an OSError
            raise ConfigurationError(f"cannot join Ray at {address}: no answer within {timeout:g} s "
                                     "(--ray-timeout)") from exc
    if not answer:
        raise ConfigurationError(f"cannot join Ray at {address}: the connection was closed unanswered")


def init_within(start: Callable[[], object], timeout: float) -> str | None:
    """Run ``start`` (``ray.init``) for at most ``timeout`` seconds (a SIGALRM in the main
    thread: Ray must be started from it); the error in a few words, or None when it started."""
    main = threading.current_thread() is threading.main_thread()

    def expire(signum, frame):
        raise TimeoutError(f"no answer within {timeout:g} s (--ray-timeout)")

    previous = signal.signal(signal.SIGALRM, expire) if main else None
    if main:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        start()
        return None
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    finally:
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


class RayExecutor:
    kind = "ray"

    def __init__(self, context_factory: ContextFactory, settings: ExecutorSettings) -> None:
        ray = _import_ray()
        from ray.util import ActorPool

        self._ray = ray
        self.same_machine = settings.address is None  # a local runtime; a cluster's nodes may not see our files
        self._started = not ray.is_initialized()
        if self._started:
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            options = {"address": settings.address} if settings.address else {
                "num_cpus": settings.workers or os.cpu_count() or 1}
            where = settings.address or "a local runtime"
            probe_address(settings.address, settings.timeout)
            error = init_within(lambda: ray.init(**options, include_dashboard=False, logging_level=logging.ERROR,
                                                 log_to_driver=False), settings.timeout)
            if error is not None:
                raise ConfigurationError(f"cannot start or join Ray at {where}: {error}")
        self.workers = settings.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1,
                           runtime_env={"env_vars": same_threads_as_driver()})(AlignWorker)
        self.actors = [actor.remote(context_factory) for _ in range(self.workers)]
        self._pool = ActorPool(self.actors)

    def map(self, task: Callable, items: Sequence, desc: str, progress: Callable | None = None) -> list:
        try:
            results = self._pool.map(lambda worker, item: worker.run.remote(task, item), list(items))
            if progress and items:
                results = progress(results, desc=desc, unit="task", total=len(items))
            return list(results)
        except self._ray.exceptions.RayTaskError as exc:  # the task's own error, not Ray's wrapper
            if isinstance(exc.cause, AlignError):
                raise exc.cause from None
            raise ExecutionError(f"a Ray task failed: {_first_line(exc.cause or exc)}") from None
        except self._ray.exceptions.RayError as exc:  # the cluster itself: a dead node or agent, a lost object
            raise ExecutionError(f"the Ray cluster failed during {desc}: {_first_line(exc)}") from None

    def worker_stats(self) -> list[dict]:
        """Process id and peak memory of each worker (benchmarks read them; tests kill one)."""
        return self._ray.get([a.stats.remote() for a in self.actors])

    def close(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor)
        self.actors = []
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
