"""Document pairing: which texts go together, and whether they are parallel or comparable.

The unit of pairing is a *section*: a run of consecutive paragraphs of one language in one
document (a document with an English paragraph followed by its Chinese translation has
three sections). Each Chinese-English pair of sections is classed from its sentence
similarity structure:

- ``parallel``: many mutual-best sentence links that mostly run in order;
- ``comparable``: some confident links or similar overall content;
- ``unrelated``: neither.

The decision and its evidence go into ``run.json``. Documents paired by name or manifest are
checked with the same evidence (``check_document_pairs``): a pair is aligned as parallel text
only when its content is parallel, and mined as comparable text otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..records import OverlapEmbeddings, PairDecision, Section
from ..signature import settings_signature
from .names import DocumentPair
from .nearest import nearest
from .sections import sections_of


@dataclass(frozen=True)
class PairingSettings:
    link_cosine: float = 0.5
    parallel_coverage: float = 0.5
    parallel_order: float = 0.8
    comparable_cosine: float = 0.45
    named_coverage: float = 0.3  # the coverage a pair paired by name or manifest needs (its order must still be parallel)
    # Or less again, where its links run in order far beyond chance: a freely translated book
    # chapter (sentences merged and split) links a quarter of its sentences, 78% of them in
    # order. The longest in-order run of n links in random order is about 2*sqrt(n); the
    # pair's must reach ``beyond_chance * sqrt(n)``.
    free_coverage: float = 0.2
    free_order: float = 0.7
    beyond_chance: float = 4.0
    approximate_above: int = 40000  # English sections beyond which candidates come from an HNSW graph

    def signature(self) -> str:
        return settings_signature("pairing", self)


def mutual_best_links(a: np.ndarray, b: np.ndarray, min_cosine: float, chunk: int = 1024) -> list[tuple[int, int]]:
    """Pairs of rows of ``a`` and ``b`` that are each other's most similar, computed in chunks
    (memory linear in the number of sentences)."""
    if len(a) == 0 or len(b) == 0:
        return []
    row_best = np.empty(len(a), dtype=np.int64)
    row_sim = np.empty(len(a), dtype=np.float32)
    col_best = np.zeros(len(b), dtype=np.int64)
    col_sim = np.full(len(b), -np.inf, dtype=np.float32)
    for s in range(0, len(a), chunk):
        block = a[s : s + chunk] @ b.T
        row_best[s : s + chunk] = block.argmax(axis=1)
        row_sim[s : s + chunk] = block.max(axis=1)
        best_rows = block.argmax(axis=0)
        best_vals = block[best_rows, np.arange(len(b))]
        better = best_vals > col_sim
        col_sim[better] = best_vals[better]
        col_best[better] = best_rows[better] + s
    return [(i, int(j)) for i, j in enumerate(row_best) if col_best[j] == i and row_sim[i] >= min_cosine]


def longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence.

    >>> longest_increasing([0, 2, 1, 3])
    3
    """
    import bisect

    tails: list[int] = []
    for v in values:
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)


def classify_pair(zh_id: str, en_id: str, zh_vecs: np.ndarray, en_vecs: np.ndarray,
                  settings: PairingSettings = PairingSettings()) -> PairDecision:
    links = mutual_best_links(zh_vecs, en_vecs, settings.link_cosine)
    shorter = max(1, min(len(zh_vecs), len(en_vecs)))
    coverage = len(links) / shorter
    in_order = longest_increasing([j for _, j in links]) / len(links) if links else 0.0
    centroid = 0.0
    if len(zh_vecs) and len(en_vecs):
        a, b = zh_vecs.mean(axis=0), en_vecs.mean(axis=0)
        centroid = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
    link_cosine = float(np.mean([zh_vecs[i] @ en_vecs[j] for i, j in links])) if links else 0.0
    enough = len(links) >= 2 or (len(links) == 1 and shorter == 1)
    if enough and coverage >= settings.parallel_coverage and in_order >= settings.parallel_order:
        kind = "parallel"
    elif links or centroid >= settings.comparable_cosine:
        kind = "comparable"
    else:
        kind = "unrelated"
    return PairDecision(zh_id, en_id, kind, len(links), coverage, in_order, centroid, link_cosine)


def section_centroids(sections: list[Section], embeddings: dict[str, OverlapEmbeddings]) -> dict[str, np.ndarray]:
    """The unit-length mean of each section's sentence vectors."""
    out = {}
    for s in sections:
        c = embeddings[s.id].singles.mean(axis=0)
        out[s.id] = c / (np.linalg.norm(c) + 1e-9)
    return out


def candidate_sections(zh: list[Section], en: list[Section], centroids: dict[str, np.ndarray],
                       candidates: int, nearby: int = 8, approximate_above: int = 40000) -> list[list[int]]:
    """For each Chinese section, the English sections worth classing: the ``candidates`` with
    the most similar centroids (see ``nearest``), and the ``nearby`` English sections of its
    own document on either side of it. The work grows linearly with the number of sections
    in a bilingual document that alternates languages paragraph by paragraph, and near
    linearly with the number of documents."""
    en_matrix = np.stack([centroids[e.id] for e in en])
    zh_matrix = np.stack([centroids[z.id] for z in zh])
    similar, _search = nearest(zh_matrix, en_matrix, candidates, approximate_above) if candidates else (
        [[] for _ in zh], "exact")
    order = {s.id: n for n, s in enumerate(sorted(zh + en, key=lambda s: (s.doc_id, s.position)))}
    by_doc: dict[str, list[int]] = {}
    for i, e in enumerate(en):
        by_doc.setdefault(e.doc_id, []).append(i)
    out = []
    for z, chosen in zip(zh, similar):
        chosen = set(chosen)
        same_doc = by_doc.get(z.doc_id, [])
        if same_doc:
            positions = [order[en[i].id] for i in same_doc]
            at = int(np.searchsorted(positions, order[z.id]))
            chosen.update(same_doc[max(0, at - nearby) : at + nearby])
        out.append(sorted(chosen))
    return out


def decide_pairs(sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                 settings: PairingSettings = PairingSettings(), candidates: int = 8,
                 progress=None) -> list[PairDecision]:
    """Class every candidate Chinese-English section pair (see ``candidate_sections``)."""
    zh = [s for s in sections if s.lang == "zh"]
    en = [s for s in sections if s.lang == "en"]
    if not zh or not en:
        return []
    centroids = section_centroids(zh + en, embeddings)
    decisions = []
    todo = list(zip(zh, candidate_sections(zh, en, centroids, candidates,
                                           approximate_above=settings.approximate_above)))
    for z, chosen in progress(todo, desc="pair sections", unit="section") if progress else todo:
        for i in chosen:
            e = en[i]
            decisions.append(classify_pair(z.id, e.id, embeddings[z.id].singles, embeddings[e.id].singles, settings))
    return decisions


def related_groups(decisions: list[PairDecision]) -> list[set[str]]:
    """Sections joined by any parallel or comparable decision (connected components), sorted."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in decisions:
        if d.kind != "unrelated":
            parent[find(d.zh_section)] = find(d.en_section)
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return sorted(groups.values(), key=lambda g: sorted(g))


def _document_vectors(sections: list[Section], embeddings: dict[str, OverlapEmbeddings], docs: tuple[str, ...],
                      lang: str) -> np.ndarray:
    """The sentence vectors of ``docs`` (one document, or a chapter and those that continue
    it) in language ``lang``, in order."""
    parts = [embeddings[s.id].singles for s in sections_of(sections, docs, lang)]
    return np.concatenate(parts) if parts else np.zeros((0, 1), np.float32)


def ordered_beyond_chance(decision: PairDecision, factor: float) -> bool:
    """Whether the in-order links of ``decision`` are far more than chance gives: links in
    random order have a longest in-order run of about ``2 * sqrt(n)``.

    >>> ordered_beyond_chance(PairDecision("z", "e", "parallel", 74, 0.26, 0.78, 0.67, 0.58), 4.0)
    True
    >>> ordered_beyond_chance(PairDecision("z", "e", "parallel", 9, 0.26, 0.78, 0.67, 0.58), 4.0)
    False
    """
    return decision.mutual_links * decision.in_order >= factor * decision.mutual_links ** 0.5


def check_document_pairs(pairs: list[DocumentPair], sections: list[Section],
                         embeddings: dict[str, OverlapEmbeddings],
                         settings: PairingSettings = PairingSettings()) -> list[DocumentPair]:
    """Each pair decided by name or manifest, classed by its content as a section pair is
    (``classify_pair`` over the Chinese sentences of the one and the English sentences of the
    other; the names lower the coverage needed to ``settings.named_coverage``, not the order
    needed, or to ``free_coverage`` and ``free_order`` where the links run in order far beyond
    chance): ``aligned`` is ``parallel`` when the content is parallel or the manifest asserts a
    translation, ``comparable`` (mined) otherwise; ``evidence`` is the decision."""
    out, named = [], replace(settings, parallel_coverage=settings.named_coverage)
    free = replace(settings, parallel_coverage=settings.free_coverage, parallel_order=settings.free_order)
    for pair in pairs:
        zh_vecs = _document_vectors(sections, embeddings, pair.zh_docs, "zh")
        en_vecs = _document_vectors(sections, embeddings, pair.en_docs, "en")
        decision = classify_pair(pair.zh_doc, pair.en_doc, zh_vecs, en_vecs, named)
        if decision.kind != "parallel":
            loose = classify_pair(pair.zh_doc, pair.en_doc, zh_vecs, en_vecs, free)
            if loose.kind == "parallel" and ordered_beyond_chance(loose, settings.beyond_chance):
                decision = loose
        aligned = "parallel" if decision.kind == "parallel" or pair.asserted else "comparable"
        out.append(replace(pair, aligned=aligned, evidence=decision))
    return out
