"""Chapters of two editions of a book (two EPUBs): which chapter translates which.

A book is read as one document per chapter (``Document.book``, ``.chapter``, ``.title``).
Books are paired by name (``novel.zh.epub`` with ``novel.en.epub``), else the one Chinese
book with the one English book. The chapters of a book pair are matched in order (both
editions keep the story's order): a monotone matching that maximises, over the matched
chapter pairs, how much the two chapters' sentences agree (the share of their sentences with a
mutual-best link, the links taken between the two whole books: ``chapter_links``; plus a
little when their titles carry the same chapter number), weighted by the
shorter chapter's sentences, so that a page of one heading never takes the place of the
chapter it happens to share a link with. A matched pair then grows over the unmatched
chapters beside it whose links go to its other side (``grown_beads``: one edition splits a
chapter the other keeps whole, or a converter splits two editions into files at different
places), and neighbouring pairs join where a chapter agrees across them (``merged_beads``):
the chapters of a pair are aligned as one text. A chapter the other
edition lacks (a title page, a preface, an afterword) stays unmatched, and its sentences are
listed as ``no_matching_chapter``. Each matched pair is then checked by its content as a
document pair paired by name is (``documents.check_document_pairs``: its evidence goes into
``run.json``): aligned as one parallel document when the content is parallel, mined as
comparable text otherwise; either way no pair crosses chapters, and the chapters of a paired
book never meet other documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np

from ..records import Document, OverlapEmbeddings, Section
from .documents import PairingSettings, check_document_pairs, mutual_best_links
from .names import DocumentPair, name_key

NO_MATCHING_CHAPTER = "no_matching_chapter"
MIN_AGREEMENT = 0.15  # the least share of linked sentences for two chapters to be matched
MIN_PART_LINKS = 3  # the least links front or back matter, or a file agreeing across two pairs, needs to join
MAX_GAP = 2  # pages without links a bead grows over to reach a part of its chapter
DOMINANCE = 3  # how many times more links a file beside a bead has with it than with any other, to join it
TITLE_BONUS = 0.2  # the same chapter number in both titles
LINK_COSINE = 0.5
_NUMBER = re.compile(r"\d+|[零〇一二三四五六七八九十百千两]+")


@dataclass
class ChapterPairing:
    pairs: list[DocumentPair] = field(default_factory=list)  # how="chapter"
    held: set[str] = field(default_factory=set)  # every chapter of a paired book: kept out of content pairing
    unmatched: dict[str, str] = field(default_factory=dict)  # chapter document -> why it has no partner

    def left_out(self, sections: list[Section]) -> tuple[dict[str, str], dict[str, str]]:
        """The reason (``no_matching_chapter``) and its detail for each sentence of an unmatched chapter."""
        ids = [(s.id, section.doc_id) for section in sections if section.doc_id in self.unmatched
               for s in section.sentences]
        return {sid: NO_MATCHING_CHAPTER for sid, _ in ids}, {sid: self.unmatched[doc] for sid, doc in ids}


def title_number(title: str) -> int | None:
    """The chapter number a title carries (Arabic or Chinese numerals), or None.

    >>> title_number("Chapter 12: Home"), title_number("第十二章 回家"), title_number("Preface")
    (12, 12, None)
    """
    import cn2an

    for found in _NUMBER.findall(title):
        try:
            return int(found) if found.isdigit() else int(cn2an.cn2an(found, "smart"))
        except (ValueError, KeyError):
            continue
    return None


def book_pairs(books: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(Chinese book, English book) pairs: by name, then the one Chinese book left with the
    one English book left. ``books``: book id -> (file name, main language)."""
    keyed: dict[str, dict[str, list[str]]] = {}
    for book, (name, lang) in sorted(books.items()):
        keyed.setdefault(name_key(name).key, {}).setdefault(lang, []).append(book)
    pairs = [(k["zh"][0], k["en"][0]) for k in keyed.values() if len(k.get("zh", [])) == 1 and len(k.get("en", [])) == 1]
    paired = {b for p in pairs for b in p}
    rest = {lang: [b for b, (_, bl) in sorted(books.items()) if bl == lang and b not in paired] for lang in ("zh", "en")}
    if len(rest["zh"]) == 1 and len(rest["en"]) == 1:
        pairs.append((rest["zh"][0], rest["en"][0]))
    return sorted(pairs)


def _vectors(doc: str, lang: str, sections: dict[str, list[Section]], embeddings: dict[str, OverlapEmbeddings]):
    parts = [embeddings[s.id].singles for s in sections.get(doc, []) if s.lang == lang and s.id in embeddings]
    return np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)


Bead = tuple[tuple[int, ...], tuple[int, ...]]  # Chinese chapters, English chapters (consecutive)


def order_keeping_beads(gain: np.ndarray) -> list[Bead]:
    """The order-keeping matching of greatest total gain, a Chinese chapter with an English
    one (``gain[i, j]``; none where it is 0), each chapter matched at most once.

    >>> order_keeping_beads(np.array([[0.7, 0.1, 0.0], [0.0, 0.0, 0.6]]))
    [((0,), (0,)), ((1,), (2,))]
    """
    n, m = gain.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            matched = best[i - 1, j - 1] + gain[i - 1, j - 1] if gain[i - 1, j - 1] > 0 else -np.inf
            best[i, j] = max(best[i - 1, j], best[i, j - 1], matched)
    out, i, j = [], n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            out.append(((i - 1,), (j - 1,)))
            i, j = i - 1, j - 1
    return out[::-1]


def chapter_links(zh: list[np.ndarray], en: list[np.ndarray]) -> np.ndarray:
    """The mutual-best sentence links (cosine at least ``LINK_COSINE``) between two books,
    counted by chapter pair: a sentence links to its best match in the whole other book, so a
    chapter does not link to one that lacks its translation (whose best matches are poor ones).

    >>> e = np.eye(4, dtype=np.float32)
    >>> chapter_links([e[:2], e[2:]], [e[[0]], e[[1, 2]], np.zeros((0, 1))]).tolist()
    [[1, 1, 0], [0, 1, 0]]
    """
    counts = np.zeros((len(zh), len(en)), dtype=int)
    zh_of = np.repeat(np.arange(len(zh)), [len(v) for v in zh])
    en_of = np.repeat(np.arange(len(en)), [len(v) for v in en])
    if len(zh_of) and len(en_of):
        rows = np.concatenate([v for v in zh if len(v)])
        columns = np.concatenate([v for v in en if len(v)])
        for i, j in mutual_best_links(rows, columns, LINK_COSINE):
            counts[zh_of[i], en_of[j]] += 1
    return counts


def _gains(zh_docs: list[Document], en_docs: list[Document], vectors: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For each chapter pair, the number of links (``chapter_links``) and what matching the
    two adds: their agreement (and the title bonus) above ``MIN_AGREEMENT``, times the shorter
    chapter's sentences (0 when at or below)."""
    links = chapter_links([vectors[d.doc_id] for d in zh_docs], [vectors[d.doc_id] for d in en_docs])
    gain = np.zeros(links.shape)
    for i, zh in enumerate(zh_docs):
        for j, en in enumerate(en_docs):
            a, b = vectors[zh.doc_id], vectors[en.doc_id]
            score = links[i, j] / max(1, min(len(a), len(b)))
            numbers = title_number(zh.title), title_number(en.title)
            score += TITLE_BONUS if numbers[0] is not None and numbers[0] == numbers[1] and score > 0 else 0.0
            gain[i, j] = max(0.0, score - MIN_AGREEMENT) * min(len(a), len(b))
    return links, gain


def _agree(links: np.ndarray, sizes: tuple[list[int], list[int]], zh: tuple[int, ...], en: tuple[int, ...]) -> bool:
    """Whether a Chinese chapter of ``zh`` and an English one of ``en`` agree: at least
    ``MIN_PART_LINKS`` links, and ``MIN_AGREEMENT`` of the shorter one's sentences."""
    return any(links[i, j] >= max(MIN_PART_LINKS, MIN_AGREEMENT * min(sizes[0][i], sizes[1][j])) for i in zh for j in en)


def merged_beads(beads: list[Bead], links: np.ndarray, sizes: tuple[list[int], list[int]]) -> list[Bead]:
    """Neighbouring beads joined where a chapter of the one agrees with a chapter of the other
    across them (the Chinese of the one with the English of the other: ``_agree``), as when
    two editions split one chapter into files at different places, so that a file holds the
    start of the other's next one. The chapters between the two on either side join too. A
    few chance links between two chapters do not join them.

    >>> links = np.array([[40, 16, 0], [2, 35, 3], [0, 0, 50]])
    >>> merged_beads([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], links, ([60, 60, 60], [60, 60, 60]))
    [((0, 1), (0, 1)), ((2,), (2,))]
    """
    out: list[Bead] = []
    for bead in beads:
        if out:
            zh, en = out[-1]
            if _agree(links, sizes, zh, bead[1]) or _agree(links, sizes, bead[0], en):
                out[-1] = (tuple(range(zh[0], bead[0][-1] + 1)), tuple(range(en[0], bead[1][-1] + 1)))
                continue
        out.append(bead)
    return out


def _claim(links: np.ndarray, page: int, other: list[int], zh_side: bool) -> int:
    """The links of an unmatched ``page`` into the ``other`` edition's chapters of a bead."""
    return int(links[page, other].sum() if zh_side else links[other, page].sum())


def grown_beads(beads: list[Bead], links: np.ndarray) -> list[Bead]:
    """Each bead grown by the unmatched chapters beside it (on either edition's side) whose
    links go to the bead's other side: ``DOMINANCE`` times as many as to any other bead's (a
    file of a freely translated novel links a tenth of its sentences, to one chapter; chance
    links, as a contents page's headings have, spread over all); one before the first bead or
    after the last (front or back matter) needs ``MIN_PART_LINKS`` too. A converter that splits
    chapters into files at a size limit splits two editions at different places, into more
    parts; the order is kept, since only neighbours join (over at
    most ``MAX_GAP`` pages with no links at all between, such as a page of one picture).

    >>> links = np.array([[1, 4, 0, 6, 3, 1, 0], [1, 0, 0, 0, 0, 1, 7]])
    >>> grown_beads([((0,), (3,)), ((1,), (6,))], links)
    [((0,), (1, 2, 3, 4)), ((1,), (6,))]
    """
    grown = [[list(z), list(e)] for z, e in beads]
    owned = [{i for z, _ in grown for i in z}, {j for _, e in grown for j in e}]
    changed = True
    while changed:
        changed = False
        for k, bead in enumerate(grown):
            for side, step in ((0, -1), (0, 1), (1, -1), (1, 1)):
                pages = _next_pages(links, bead[side][0 if step < 0 else -1], step, side == 0, owned[side])
                if not pages:
                    continue
                claim = _claim(links, pages[-1], bead[1 - side], side == 0)
                rivals = [_claim(links, pages[-1], other[1 - side], side == 0) for n, other in enumerate(grown) if n != k]
                inside = min(owned[side]) < pages[-1] < max(owned[side])
                if claim >= max(1 if inside else MIN_PART_LINKS, DOMINANCE * max(rivals, default=0)):
                    bead[side] = sorted(bead[side] + pages)
                    owned[side].update(pages)
                    changed = True
    return [(tuple(z), tuple(e)) for z, e in grown]


def _next_pages(links: np.ndarray, edge: int, step: int, zh_side: bool, owned: set[int]) -> list[int]:
    """The unmatched pages from beside ``edge`` (going ``step``) to the first one with links,
    over at most ``MAX_GAP`` pages without any; empty when there is none."""
    pages, page = [], edge + step
    total = links.shape[0 if zh_side else 1]
    while 0 <= page < total and page not in owned:
        pages.append(page)
        if (links[page].sum() if zh_side else links[:, page].sum()) > 0:
            return pages
        if len(pages) > MAX_GAP:
            return []
        page += step
    return []


def _why(doc: Document, other_book: str) -> str:
    title = f" ({doc.title})" if doc.title else ""
    return f"spine position {doc.chapter}{title}: front or back matter, or a chapter {other_book} lacks"


def pair_chapters(documents: list[Document], sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                  settings: PairingSettings = PairingSettings()) -> ChapterPairing:
    """The chapter pairs of every book pair among ``documents``, each checked by its content
    (``check_document_pairs`` with ``settings``), and the chapters left unmatched."""
    chapters: dict[str, list[Document]] = {}
    for d in documents:
        if d.book:
            chapters.setdefault(d.book, []).append(d)
    by_doc: dict[str, list[Section]] = {}
    for s in sections:
        by_doc.setdefault(s.doc_id, []).append(s)
    books = {}
    for book, docs in chapters.items():
        zh = sum(p.end - p.start for d in docs for p in d.paragraphs if p.lang == "zh")
        en = sum(p.end - p.start for d in docs for p in d.paragraphs if p.lang == "en")
        books[book] = (PurePath(docs[0].path).name, "zh" if zh * 3 >= en and zh else "en")
    out = ChapterPairing()
    for zh_book, en_book in book_pairs(books):
        zh_docs, en_docs = sorted(chapters[zh_book], key=lambda d: d.chapter), sorted(chapters[en_book], key=lambda d: d.chapter)
        vectors = {d.doc_id: _vectors(d.doc_id, "zh", by_doc, embeddings) for d in zh_docs}
        vectors |= {d.doc_id: _vectors(d.doc_id, "en", by_doc, embeddings) for d in en_docs}
        links, gain = _gains(zh_docs, en_docs, vectors)
        sizes = ([len(vectors[d.doc_id]) for d in zh_docs], [len(vectors[d.doc_id]) for d in en_docs])
        beads = grown_beads(order_keeping_beads(gain), links)
        beads = grown_beads(merged_beads(beads, links, sizes), links)
        matched = [DocumentPair(zh_docs[z[0]].doc_id, en_docs[e[0]].doc_id, "chapter",
                                zh_more=tuple(zh_docs[k].doc_id for k in z[1:]),
                                en_more=tuple(en_docs[k].doc_id for k in e[1:])) for z, e in beads]
        out.pairs += check_document_pairs(matched, sections, embeddings, settings)
        out.held.update(d.doc_id for d in zh_docs + en_docs)
        taken = {d for p in matched for d in p.zh_docs + p.en_docs}
        out.unmatched |= {d.doc_id: _why(d, "the English edition") for d in zh_docs if d.doc_id not in taken}
        out.unmatched |= {d.doc_id: _why(d, "the Chinese edition") for d in en_docs if d.doc_id not in taken}
    return out
