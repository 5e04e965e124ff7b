"""Atomic file writing: a temporary file in the same folder, renamed into place when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import OutputError
from .streams import COMPRESSIONS


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """Open a temporary sibling of ``path``; on success fsync and rename it to ``path``.

    On any error the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write ({exc.strerror or exc})") from exc
    try:
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        compress = COMPRESSIONS.get(path.suffix.lower())
        with os.fdopen(fd, "wb" if compress else mode, **({} if compress else kwargs)) as handle:
            if compress:  # .gz, .xz, .bz2: compressed by the extension
                with compress(handle, mode.replace("w", "w" if "b" in mode else "wt"), **kwargs) as packed:
                    yield packed
            else:
                yield handle
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temporaries(folder: str | os.PathLike, names) -> int:
    """Remove temporary files left by an interrupted run (``.NAME.XXXX.tmp``)."""
    folder = Path(folder)
    removed = 0
    if folder.is_dir():
        for name in names:
            for stale in folder.glob(f".{name}.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()
                    removed += 1
    return removed


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)


def write_parts(path: str | os.PathLike, parts) -> None:
    """Write byte strings one after the other into ``path``, atomically."""
    with atomic_writer(path, "wb") as handle:
        for part in parts:
            handle.write(part)
