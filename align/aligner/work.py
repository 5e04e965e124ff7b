"""The groups of a run as typed work items, one frozen type per kind of group.

The aligner plans them (``plan_groups``): groups of related sections (what content pairing
joined), interleaved documents, document pairs decided by name or manifest; the pipeline
adds one ``BitextFile`` per file of pairs given as they are. Each item carries exactly what
its kind needs, with the embeddings and translations of its own sentences, so that a worker
anywhere can align and score it; ``align.tasks`` runs an item by the function its type maps
to. A new kind of group is a new type here and a line in that table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..records import OverlapEmbeddings, PairDecision, Section, Sentence, Translation
from .documents import related_groups
from .groups import decisions_by_group
from .mining import MiningSettings
from .names import DocumentPair
from .parallel import ParallelSettings


@dataclass(frozen=True)
class GroupSettings:
    parallel: ParallelSettings
    mining: MiningSettings
    quality_model: str | None = None  # a model file to judge pairs by (None: the shipped model)


@dataclass(frozen=True)
class SectionsWork:
    """What every kind of group of sections holds: its number (in pair ids), its sections with
    their embeddings, and the translations of its sentences."""

    number: int
    sections: tuple[Section, ...]
    embeddings: Mapping[str, OverlapEmbeddings]
    translations: Mapping[str, Translation]
    settings: GroupSettings

    @property
    def size(self) -> int:
        """Its sentences: what a task's share of the work is measured in."""
        return sum(len(s.sentences) for s in self.sections)


@dataclass(frozen=True)
class RelatedGroup(SectionsWork):
    """Sections that content pairing related, with the decisions that joined them."""

    decisions: tuple[PairDecision, ...] = ()


@dataclass(frozen=True)
class InterleavedDocument(SectionsWork):
    """One document that holds both languages, block after block."""

    order: int = 1  # +1 when Chinese comes first, -1 when English does


@dataclass(frozen=True)
class NamedDocumentPair(SectionsWork):
    """A Chinese document and its English counterpart, paired by name or manifest."""

    documents: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # (Chinese, English): a chapter and those continuing it


@dataclass(frozen=True)
class BitextFile:
    """A file of pairs given as they are: embedded and judged, not aligned."""

    number: int
    pairs: tuple[tuple[Sentence, Sentence], ...]
    translations: Mapping[str, Translation]
    settings: GroupSettings

    @property
    def size(self) -> int:
        return 2 * len(self.pairs)


@dataclass(frozen=True)
class ComparableDocumentPair(NamedDocumentPair):
    """A document pair by name or manifest whose content is comparable, not parallel: mined."""


@dataclass(frozen=True)
class KeyedFiles(BitextFile):
    """A pair of string files whose units were paired by key: embedded and judged as keyed pairs."""


GroupWork = KeyedFiles | RelatedGroup | InterleavedDocument | NamedDocumentPair | ComparableDocumentPair | BitextFile


def plan_groups(sections: list[Section], embeddings: Mapping[str, OverlapEmbeddings], decisions: list[PairDecision],
                interleaved: Mapping[str, int], translations: Mapping[str, Translation], settings: GroupSettings,
                document_pairs: list[DocumentPair] = ()) -> list[SectionsWork]:
    """One item per group of related sections, then one per interleaved document, then one
    per document pair decided by name or manifest, numbered in that order."""
    by_id = {s.id: s for s in sections}
    groups = related_groups(decisions)
    planned: list[tuple[type, list[Section], dict]] = [
        (RelatedGroup, [by_id[s] for s in sorted(group)], {"decisions": tuple(chosen)})
        for group, chosen in zip(groups, decisions_by_group(decisions, groups))]
    by_doc: dict[str, list[Section]] = {}
    for s in sections:
        if s.doc_id in interleaved:
            by_doc.setdefault(s.doc_id, []).append(s)
    planned += [(InterleavedDocument, sorted(by_doc[doc], key=lambda s: s.position), {"order": interleaved[doc]})
                for doc in sorted(interleaved)]
    planned += [(ComparableDocumentPair if pair.aligned == "comparable" else NamedDocumentPair,
                 [s for s in sections if s.doc_id in pair.zh_docs + pair.en_docs],
                 {"documents": (pair.zh_docs, pair.en_docs)}) for pair in document_pairs]
    return [kind(number, tuple(secs), {s.id: embeddings[s.id] for s in secs},
                 {x.id: translations[x.id] for s in secs for x in s.sentences if x.id in translations}, settings, **extra)
            for number, (kind, secs, extra) in enumerate(planned)]
