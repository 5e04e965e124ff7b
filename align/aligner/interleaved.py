"""Interleaved bilingual documents: each paragraph (or run of paragraphs) followed by its
translation, as in bilingual laws, contracts, textbooks and dual-language subtitles.

A document is interleaved when it has several sections in each language and a section is
clearly more similar to its neighbours than to sections a little further away. Each Chinese
section is then paired with the English section next to it (before or after it, whichever
order the document follows) and the two are aligned with the monotonic aligner, so a pair
never joins sentences far apart, and the work is linear in the length of the document.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..records import OverlapEmbeddings, Section
from ..signature import settings_signature
from .groups import GroupAlignment
from .parallel import ParallelSettings, align_sentences


@dataclass(frozen=True)
class InterleavedSettings:
    min_sections: int = 3  # of each language
    min_balance: float = 0.5  # fewer sections of one language / more of the other
    min_contrast: float = 0.1  # neighbour similarity above similarity at distance 3

    def signature(self) -> str:
        return settings_signature("interleaved", self)


def _centroid(emb: OverlapEmbeddings) -> np.ndarray:
    c = emb.singles.mean(axis=0)
    return c / (np.linalg.norm(c) + 1e-9)


def neighbour_contrast(sections: list[Section], embeddings: dict[str, OverlapEmbeddings]) -> tuple[float, int]:
    """How much more a section resembles the section next to it than the one three places
    away (mean cosine difference), and the order: +1 when Chinese comes first, -1 when English does."""
    centroids = np.stack([_centroid(embeddings[s.id]) for s in sections])
    langs = [s.lang for s in sections]
    near = {+1: [], -1: []}
    far = []
    for i, lang in enumerate(langs):
        if lang != "zh":
            continue
        for step in (+1, -1):
            j = i + step
            if 0 <= j < len(sections) and langs[j] == "en":
                near[step].append(float(centroids[i] @ centroids[j]))
        for j in (i - 3, i + 3):
            if 0 <= j < len(sections) and langs[j] == "en":
                far.append(float(centroids[i] @ centroids[j]))
    order = +1 if np.mean(near[+1] or [0.0]) >= np.mean(near[-1] or [0.0]) else -1
    contrast = float(np.mean(near[order] or [0.0]) - np.mean(far or [0.0]))
    return contrast, order


def interleaved_documents(sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                          settings: InterleavedSettings = InterleavedSettings()) -> dict[str, int]:
    """The documents that alternate languages, with their order (+1: Chinese first)."""
    by_doc: dict[str, list[Section]] = {}
    for s in sections:
        by_doc.setdefault(s.doc_id, []).append(s)
    found = {}
    for doc, secs in by_doc.items():
        zh = sum(1 for s in secs if s.lang == "zh")
        en = len(secs) - zh
        if min(zh, en) < settings.min_sections or min(zh, en) / max(zh, en) < settings.min_balance:
            continue
        secs = sorted(secs, key=lambda s: s.position)
        contrast, order = neighbour_contrast(secs, embeddings)
        if contrast >= settings.min_contrast:
            found[doc] = order
    return found


def adjacent_pairs(sections: list[Section], order: int) -> list[tuple[Section, Section]]:
    """Each Chinese section with the English section that follows it (``order`` +1) or
    precedes it (-1) in the document."""
    secs = sorted(sections, key=lambda s: s.position)
    pairs = []
    for i, s in enumerate(secs):
        j = i + order
        if s.lang == "zh" and 0 <= j < len(secs) and secs[j].lang == "en":
            pairs.append((s, secs[j]))
    return pairs


def align_interleaved(sections: list[Section], order: int, embeddings: dict[str, OverlapEmbeddings],
                      settings: ParallelSettings, group: int) -> GroupAlignment:
    """Pairs of one interleaved document, and why each of its other sentences was left out."""
    result = GroupAlignment()
    paired: set[str] = set()
    for z, e in adjacent_pairs(sections, order):
        paired.update((z.id, e.id))
        found, skipped = align_sentences((z.sentences, embeddings[z.id]), (e.sentences, embeddings[e.id]), settings,
                                         "parallel", group)
        result.candidates += found
        result.skip(skipped)
    for section in sections:
        if section.id not in paired:
            for s in section.sentences:
                result.reasons[s.id] = "no_translation_next_to_it"
    return result
