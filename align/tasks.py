"""The units of work of ``align run`` that an executor runs.

Each task is a module-level function of a ``TaskContext`` and one item; the driver cuts
the items, in an order that depends on the input alone, so a task gives the same result in
this process and on any Ray worker. What a task needs travels in its item (frozen records
and arrays); what a worker keeps between tasks (encoder, normalizer, translator, quality
model) is built once in its context. The translation task lives with its stage
(``align.translate.stage.translate_texts``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .aligner.groups import GroupAlignment, align_comparable_pair, align_document_pair, align_group
from .aligner.interleaved import align_interleaved
from .aligner.work import (BitextFile, ComparableDocumentPair, GroupWork, InterleavedDocument, KeyedFiles,
                           NamedDocumentPair, RelatedGroup, SectionsWork)
from .bitext import bitext_candidates
from .embed import EmbeddingStore, Encoder, get_encoder
from .errors import AlignError
from .io.cachedir import embeddings_path
from .language import load_word_lists
from .mapper import TaskContext
from .garble import GarbleMeter
from .normalize import Normalizer, NormalizeSettings
from .records import Document, NormalizedParagraph, Pair, Sentence
from .score.keyed import KEYED
from .score.pairs import group_vectors, score_candidates
from .score.judge import quality_model
from .segment import segment


# the context of a worker -------------------------------------------------------------

@dataclass(frozen=True)
class WorkerSpec:
    """How a worker builds its encoder: the encoder's name, the embedding cache folder and
    the threads it may use (None: the encoder's default)."""

    encoder: str = "use"
    cache_dir: str | None = None
    threads: int | None = None
    device: str = "cpu"  # where st: encoders run: cpu, cuda or auto

    def build_encoder(self) -> Encoder:
        store = EmbeddingStore(embeddings_path(self.cache_dir)) if self.cache_dir else None
        return get_encoder(self.encoder, store, self.threads, self.device)


def worker_context(spec: WorkerSpec, encoder: Encoder | None = None, warm: bool = False) -> TaskContext:
    """The context tasks run in on a worker of ``spec`` (``encoder``: one loaded already).
    ``warm``: load the encoder's model and the word lists of language detection now (a worker
    process does, as it starts, while the driver reads the inputs, so that it does not start
    its share of the work with a second or two of loading)."""
    context = TaskContext(spec.build_encoder, encoder, spec.cache_dir)
    if warm:
        load_word_lists()
        try:
            context.encoder.load()
        except (AlignError, OSError):  # a model that cannot load: the first task that needs it says so
            pass
    return context


# normalize and segment ---------------------------------------------------------------

@dataclass(frozen=True)
class NormalizeItem:
    documents: tuple[Document, ...]
    settings: NormalizeSettings


def normalize_documents(context: TaskContext, item: NormalizeItem
                        ) -> list[tuple[str, list[NormalizedParagraph], list[Sentence]]]:
    """Each document's normalized paragraphs and sentences."""
    normalizer = context.kept(("normalizer", item.settings), lambda: Normalizer(item.settings))
    out = []
    for document in item.documents:
        paragraphs = list(normalizer.paragraphs(document.paragraphs))
        out.append((document.doc_id, paragraphs, list(segment(paragraphs, GarbleMeter.of))))
    return out


# embed -----------------------------------------------------------------------------------

def embed_texts(context: TaskContext, batches: tuple[tuple[str, ...], ...]) -> list[np.ndarray]:
    """The vectors of each batch, computed (or loaded) batch by batch."""
    return [context.encoder.embed_batch(list(batch)) for batch in batches]


# align and score -------------------------------------------------------------------------

@dataclass
class GroupResult:
    pairs: list[Pair] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # sentence id -> why it was left out
    details: dict[str, str] = field(default_factory=dict)  # sentence id -> what the reason is about


def align_and_score(context: TaskContext, items: tuple[GroupWork, ...]) -> list[GroupResult]:
    """Align and score a few groups (small groups travel together: a task has a fixed cost)."""
    return [align_and_score_group(context, item) for item in items]


def batch_groups(items: list[GroupWork], sentences: int) -> list[tuple[GroupWork, ...]]:
    """Consecutive groups in tasks of about ``sentences`` sentences (a larger group alone)."""
    batches: list[tuple[GroupWork, ...]] = []
    current: list[GroupWork] = []
    size = 0
    for item in items:
        current.append(item)
        size += item.size
        if size >= sentences:
            batches.append(tuple(current))
            current, size = [], 0
    if current:
        batches.append(tuple(current))
    return batches


# What a kind of group gives to be scored: candidate pairs, the vectors of their neighbourhood
# (keyed by group number and language), and why each sentence left over was left out.
Found = tuple[list, dict[tuple[int, str], np.ndarray], dict[str, str], dict[str, str]]


def _sections_found(item: SectionsWork, found: GroupAlignment) -> Found:
    neighbours = group_vectors([{s.id for s in item.sections}], list(item.sections), item.embeddings)
    return found.candidates, {(item.number, lang): v for (_, lang), v in neighbours.items()}, found.reasons, found.details


def _related(context: TaskContext, item: RelatedGroup) -> Found:
    settings = item.settings
    return _sections_found(item, align_group(item.number, list(item.sections), item.embeddings, list(item.decisions),
                                             settings.parallel, settings.mining))


def _interleaved(context: TaskContext, item: InterleavedDocument) -> Found:
    return _sections_found(item, align_interleaved(list(item.sections), item.order, item.embeddings,
                                                   item.settings.parallel, item.number))


def _named_pair(context: TaskContext, item: NamedDocumentPair) -> Found:
    return _sections_found(item, align_document_pair(item.number, list(item.sections), item.embeddings, item.documents,
                                                     item.settings.parallel))


def _comparable_pair(context: TaskContext, item: ComparableDocumentPair) -> Found:
    settings = item.settings
    return _sections_found(item, align_comparable_pair(item.number, list(item.sections), item.embeddings,
                                                       item.documents, settings.mining, settings.parallel))


def _bitext(context: TaskContext, item: BitextFile) -> Found:
    candidates, neighbours = bitext_candidates(item.pairs, item.number, context.encoder)
    return candidates, neighbours, {}, {}


def _keyed(context: TaskContext, item: KeyedFiles) -> Found:
    candidates, neighbours = bitext_candidates(item.pairs, item.number, context.encoder, KEYED)
    return candidates, neighbours, {}, {}


# How each kind of group is aligned (a bitext file's pairs are only embedded, as given).
GROUP_ALIGNERS: Mapping[type, Callable[[TaskContext, GroupWork], Found]] = MappingProxyType({
    RelatedGroup: _related,
    InterleavedDocument: _interleaved,
    NamedDocumentPair: _named_pair,
    ComparableDocumentPair: _comparable_pair,
    BitextFile: _bitext,
    KeyedFiles: _keyed,
})


def align_and_score_group(context: TaskContext, item: GroupWork) -> GroupResult:
    """Align one group by the function of its kind, and score its pairs."""
    path = item.settings.quality_model
    model = context.kept(("quality-model", path), lambda: quality_model(path))
    candidates, neighbours, reasons, details = GROUP_ALIGNERS[type(item)](context, item)
    pairs = score_candidates(candidates, neighbours, item.settings.mining.k, model, item.translations)
    return GroupResult(pairs, reasons, details)
