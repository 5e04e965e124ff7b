"""A persistent translation cache in SQLite, safe for concurrent runs (WAL, busy timeout).

Keys hash the translator's signature (engine, model fingerprint, direction, decoding
settings) with the source text, so a changed setting or model recomputes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError
from .base import Translation, Translator


class TranslationCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=60000")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT NOT NULL, flags TEXT NOT NULL)"
            )
        except sqlite3.Error as exc:
            raise OutputError(f"{self.path}: cannot open the translation cache ({exc})") from exc

    @staticmethod
    def key(signature: str, source: str) -> str:
        return hashlib.sha256(f"{signature}\x00{source}".encode("utf-8", "surrogatepass")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, Translation]:
        found: dict[str, Translation] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for key, text, flags in self._db.execute(
                f"SELECT key, text, flags FROM translations WHERE key IN ({marks})", chunk
            ):
                found[key] = Translation(text, tuple(json.loads(flags)))
        return found

    def put_many(self, items: dict[str, Translation]) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (key, text, flags) VALUES (?, ?, ?)",
                [(k, t.text, json.dumps(list(t.flags))) for k, t in items.items()],
            )

    def close(self) -> None:
        self._db.close()


class CachedTranslator:
    """Wraps a translator: cached texts are not translated again. Counts hits and misses."""

    def __init__(self, translator: Translator, cache: TranslationCache) -> None:
        self.translator = translator
        self.cache = cache
        self.hits = 0
        self.misses = 0

    @property
    def signature(self) -> str:
        return self.translator.signature

    @property
    def direction(self) -> str:
        return self.translator.direction

    def translate(self, texts: Sequence[str], progress=None) -> list[Translation]:
        keys = [self.cache.key(self.signature, t) for t in texts]
        found = self.cache.get_many(sorted(set(keys)))
        todo = sorted({t for t, k in zip(texts, keys) if k not in found})
        self.hits += sum(1 for k in keys if k in found)
        self.misses += len(todo)
        if todo:
            results = self.translator.translate(todo, progress)
            new = {self.cache.key(self.signature, t): r for t, r in zip(todo, results)}
            self.cache.put_many(new)
            found.update(new)
        return [found[k] for k in keys]
