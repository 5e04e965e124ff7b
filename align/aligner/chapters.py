"""Chapters of two editions of a book (two EPUBs): which chapter translates which.

A book is read as one document per chapter (``Document.book``, ``.chapter``, ``.title``).
Books are paired by name (``novel.zh.epub`` with ``novel.en.epub``), else the one Chinese
book with the one English book. The chapters of a book pair are matched in order (both
editions keep the story's order): a monotone matching that maximises, over the matched
chapter pairs, how much the two chapters' sentences agree (the share of mutual-best sentence
links, plus a little when their titles carry the same chapter number), weighted by the
shorter chapter's sentences, so that a page of one heading never takes the place of the
chapter it happens to share a link with. A chapter the other
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


def agreement(zh: np.ndarray, en: np.ndarray) -> float:
    """The share of the shorter chapter's sentences that have a mutual-best link (cosine at
    least ``LINK_COSINE``) in the other chapter."""
    if len(zh) == 0 or len(en) == 0:
        return 0.0
    return len(mutual_best_links(zh, en, LINK_COSINE)) / min(len(zh), len(en))


def monotone_matching(score: np.ndarray, floor: float) -> list[tuple[int, int]]:
    """The order-keeping set of (row, column) matches of greatest total ``score - floor``,
    each row and column matched at most once, no match at or below ``floor``.

    >>> monotone_matching(np.array([[0.9, 0.1, 0.0], [0.0, 0.1, 0.8]]), 0.2)
    [(0, 0), (1, 2)]
    """
    n, m = score.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            gain = score[i - 1, j - 1] - floor
            best[i, j] = max(best[i - 1, j], best[i, j - 1], best[i - 1, j - 1] + gain if gain > 0 else -np.inf)
    out, i, j = [], n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return out[::-1]


def _chapter_gain(zh: Document, en: Document, vectors: dict[str, np.ndarray]) -> float:
    """What matching two chapters adds: their agreement (and the title bonus) above
    ``MIN_AGREEMENT``, times the shorter chapter's sentences (0 when at or below)."""
    zh_vectors, en_vectors = vectors[zh.doc_id], vectors[en.doc_id]
    score = agreement(zh_vectors, en_vectors)
    numbers = title_number(zh.title), title_number(en.title)
    score += TITLE_BONUS if numbers[0] is not None and numbers[0] == numbers[1] and score > 0 else 0.0
    return max(0.0, score - MIN_AGREEMENT) * min(len(zh_vectors), len(en_vectors))


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
        gain = np.array([[_chapter_gain(z, e, vectors) for e in en_docs] for z in zh_docs])
        matched = monotone_matching(gain, 0.0)
        matched_pairs = [DocumentPair(zh_docs[i].doc_id, en_docs[j].doc_id, "chapter") for i, j in matched]
        out.pairs += check_document_pairs(matched_pairs, sections, embeddings, settings)
        out.held.update(d.doc_id for d in zh_docs + en_docs)
        taken = {d for i, j in matched for d in (zh_docs[i].doc_id, en_docs[j].doc_id)}
        out.unmatched |= {d.doc_id: _why(d, "the English edition") for d in zh_docs if d.doc_id not in taken}
        out.unmatched |= {d.doc_id: _why(d, "the Chinese edition") for d in en_docs if d.doc_id not in taken}
    return out
