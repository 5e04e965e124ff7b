"""The units of work of ``align run`` that an executor runs.

Each task is a module-level function of a ``TaskContext`` and one item; the driver cuts
the items, in an order that depends on the input alone, so a task gives the same result in
this process and on any Ray worker. What a task needs travels in its item (frozen records
and arrays); what a worker keeps between tasks (encoder, normalizer, translator, quality
model) is built once in its context. The translation task lives with its stage
(``align.translate.stage.translate_texts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .aligner.groups import align_document_pair, align_group
from .aligner.interleaved import align_interleaved
from .aligner.mining import MiningSettings
from .aligner.parallel import ParallelSettings
from .bitext import bitext_candidates
from .embed import EmbeddingStore, Encoder, get_encoder
from .io.cachedir import embeddings_path
from .mapper import TaskContext
from .garble import GarbleMeter
from .normalize import Normalizer, NormalizeSettings
from .records import Document, NormalizedParagraph, OverlapEmbeddings, Pair, PairDecision, Section, Sentence, Translation
from .score.pairs import group_vectors, score_candidates
from .score.quality import load_quality_model
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


def worker_context(spec: WorkerSpec, encoder: Encoder | None = None) -> TaskContext:
    """The context tasks run in on a worker of ``spec`` (``encoder``: one loaded already)."""
    return TaskContext(spec.build_encoder, encoder)


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

@dataclass(frozen=True)
class GroupSettings:
    parallel: ParallelSettings
    mining: MiningSettings


@dataclass
class GroupItem:
    """One group of related sections (or one interleaved document, ``order`` not None)
    with everything needed to align and score it."""

    number: int
    sections: list[Section]
    embeddings: dict[str, OverlapEmbeddings]
    decisions: list[PairDecision]
    translations: dict[str, Translation]
    settings: GroupSettings
    order: int | None = None  # interleaved: +1 when Chinese comes first, -1 when English does
    documents: tuple[str, str] | None = None  # a document pair decided by name or manifest: (Chinese, English)
    bitext: tuple[tuple[Sentence, Sentence], ...] = ()  # a bitext file's pairs, to embed and judge as given
    method: str = "bitext"  # the method of ``bitext`` pairs: bitext, or keyed (string files paired by key)

    @property
    def size(self) -> int:
        """Its sentences: what a task's share of the work is measured in."""
        return sum(len(s.sentences) for s in self.sections) + 2 * len(self.bitext)


@dataclass
class GroupResult:
    pairs: list[Pair] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # sentence id -> why it was left out
    details: dict[str, str] = field(default_factory=dict)  # sentence id -> what the reason is about


def align_and_score(context: TaskContext, items: tuple[GroupItem, ...]) -> list[GroupResult]:
    """Align and score a few groups (small groups travel together: a task has a fixed cost)."""
    return [align_and_score_group(context, item) for item in items]


def batch_groups(items: list[GroupItem], sentences: int) -> list[tuple[GroupItem, ...]]:
    """Consecutive groups in tasks of about ``sentences`` sentences (a larger group alone)."""
    batches: list[tuple[GroupItem, ...]] = []
    current: list[GroupItem] = []
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


def align_and_score_group(context: TaskContext, item: GroupItem) -> GroupResult:
    """Align one group and score its pairs (a bitext file's pairs are embedded and scored as given)."""
    settings = item.settings
    model = context.kept("quality-model", load_quality_model)
    if item.bitext:
        candidates, neighbours = bitext_candidates(item.bitext, item.number, context.encoder, item.method)
        return GroupResult(score_candidates(candidates, neighbours, settings.mining.k, model, item.translations))
    if item.documents is not None:
        found = align_document_pair(item.number, item.sections, item.embeddings, item.documents, settings.parallel)
    elif item.order is None:
        found = align_group(item.number, item.sections, item.embeddings, item.decisions, settings.parallel,
                            settings.mining)
    else:
        found = align_interleaved(item.sections, item.order, item.embeddings, settings.parallel, item.number)
    neighbours = group_vectors([{s.id for s in item.sections}], item.sections, item.embeddings)
    neighbours = {(item.number, lang): v for (_, lang), v in neighbours.items()}
    pairs = score_candidates(found.candidates, neighbours, settings.mining.k, model, item.translations)
    return GroupResult(pairs, found.reasons, found.details)
