"""One persistent key -> blob store in SQLite (WAL, busy timeout): embeddings and translations.

Keys are hashes of a component's signature and its input text, so a changed setting or
model recomputes and concurrent runs are safe.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

_BATCH = 500


def store_key(signature: str, text: str) -> str:
    """The key of ``text`` as computed by the component with ``signature``.

    >>> store_key("a", "b") == store_key("a", "b") != store_key("a", "c")
    True
    """
    return hashlib.sha256(f"{signature}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()


class KeyValueStore:
    """Blobs by key in one table of one SQLite file."""

    def __init__(self, path: str | Path, table: str) -> None:
        if not table.isidentifier():
            raise ValueError(f"bad table name {table!r}")
        self.path = Path(path)
        self.table = table
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: no fsync per commit (a machine crash may lose the last writes, never the file)
            self._db.execute("PRAGMA busy_timeout=60000")
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{self.path}: cannot open the cache ({exc})") from exc

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        items = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        for start in range(0, len(items), _BATCH):
            chunk = items[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            for key, value in self._db.execute(f"SELECT key, value FROM {self.table} WHERE key IN ({marks})", chunk):
                found[key] = bytes(value)
        return found

    def put_many(self, items: dict[str, bytes]) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, value) VALUES (?, ?)", list(items.items()))

    def close(self) -> None:
        self._db.close()
