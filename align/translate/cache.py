"""A persistent translation cache in SQLite, safe for concurrent runs (WAL, busy timeout).

Keys hash the translator's signature (engine, model fingerprint, direction, decoding
settings) with the source text, so a changed setting or model recomputes.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..kvstore import KeyValueStore, store_key
from .base import Translation, Translator


log = logging.getLogger("align")

class TranslationCache:
    """Translations on disk, keyed by translator signature and source text."""

    def __init__(self, path: str | Path) -> None:
        self._store = KeyValueStore(path, "translations_v2")
        self.path = self._store.path

    @staticmethod
    def key(signature: str, source: str) -> str:
        return store_key(signature, source)

    def get_many(self, keys: Sequence[str]) -> dict[str, Translation]:
        found = self._store.get_many(keys)
        return {k: Translation(*_decode(v)) for k, v in found.items()}

    def put_many(self, items: dict[str, Translation]) -> None:
        self._store.put_many({k: json.dumps([t.text, list(t.flags)]).encode("utf-8") for k, t in items.items()})

    def close(self) -> None:
        self._store.close()


def _decode(value: bytes) -> tuple[str, tuple[str, ...]]:
    text, flags = json.loads(value.decode("utf-8"))
    return text, tuple(flags)


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
            try:
                self.cache.put_many(new)
            except (OSError, sqlite3.Error) as exc:  # a full or read-only disk: the translations still count
                log.warning("cannot write the translation cache (%s): going on without it", exc)
            found.update(new)
        return [found[k] for k in keys]
