"""Existing bitext as input: pairs that are already aligned (TMX, XLIFF, TSV, Moses) are
normalized, embedded, scored and exported like the pairs ``align run`` finds, with the method
``bitext``. Each segment is one sentence: a translation unit is not split again."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .embed import Encoder
from .garble import GarbleMeter
from .ingest import document_id
from .io.corpus import Corpus, read_bitext
from .io.tmx import markup_text
from .normalize import Normalizer
from .records import Candidate, Document, NormalizedParagraph, Paragraph, Sentence, Unaligned, sentence_id

PARTNER_EMPTY = "bitext_partner_empty"


@dataclass(frozen=True)
class BitextPart:
    """One bitext file, read and normalized: its document and paragraphs (for the accounting
    and the extracted text), its sentences, the pairs to judge, and the sentences whose
    partner normalization emptied."""

    document: Document
    paragraphs: tuple[NormalizedParagraph, ...]
    sentences: tuple[Sentence, ...]
    pairs: tuple[tuple[Sentence, Sentence], ...]
    unaligned: tuple[Unaligned, ...]
    group: int  # -1, -2, ...: apart from the groups of related documents (0, 1, ...)
    tags: tuple[str, str]  # the file's language tags


@dataclass(frozen=True)
class BitextInput:
    """Every bitext file of a run."""

    parts: tuple[BitextPart, ...] = ()

    @property
    def documents(self) -> set[str]:
        return {part.document.doc_id for part in self.parts}

    @property
    def tags(self) -> tuple[str, str] | None:
        """The first file's language tags."""
        return self.parts[0].tags if self.parts else None

    @property
    def unaligned(self) -> list[Unaligned]:
        return [u for part in self.parts for u in part.unaligned]


def bitext_document(bitext: Corpus, doc_id: str) -> Document:
    """One paragraph per side of each pair, in a text of the segments one per line."""
    paragraphs, pos = [], 0
    for n, pair in enumerate(bitext.entries):
        for lang, text in (("zh", pair.zh), ("en", pair.en)):
            paragraphs.append(Paragraph(doc_id, 2 * n + (lang == "en"), pos, pos + len(text), text, lang,
                                        f"{pair.location} {lang}"))
            pos += len(text) + 1
    return Document(doc_id, str(bitext.path), "utf-8", tuple(paragraphs), format=f"{bitext.format}-bitext")


def _sentence(para: NormalizedParagraph, n: int, markup: str = "") -> Sentence:
    """The sentence of one side of a pair; it keeps the segment's inline ``markup`` only while
    that markup's text is the sentence's but for white space (a repair by normalization leaves
    it plain text)."""
    p = para.paragraph
    garble, flags = GarbleMeter.of(para)(p.start, p.end)
    kept = markup if markup and markup_text(markup).split() == para.text.split() else ""
    return Sentence(sentence_id(p.doc_id, p.lang, n), p.doc_id, p.index, n, p.lang, para.text, p.start, p.end,
                    garble, flags, p.location, markup=kept)


def bitext_part(bitext: Corpus, doc_id: str, normalizer: Normalizer, group: int) -> BitextPart:
    """Normalize one bitext file: one sentence per side of each pair (a unit is not split)."""
    document = bitext_document(bitext, doc_id)
    paras = tuple(normalizer.paragraphs(document.paragraphs))
    sentences, pairs, unaligned = [], [], []
    for n, entry in enumerate(bitext.entries):
        zh, en = paras[2 * n], paras[2 * n + 1]
        markups = (entry.unit.zh_markup, entry.unit.en_markup)
        sides = [_sentence(p, n, markup) if p.text.strip() else None for p, markup in zip((zh, en), markups)]
        sentences.extend(s for s in sides if s)
        if all(sides):
            pairs.append(tuple(sides))
        else:
            unaligned.extend(Unaligned(s, PARTNER_EMPTY, "the other side is empty after normalization")
                             for s in sides if s)
    return BitextPart(document, paras, tuple(sentences), tuple(pairs), tuple(unaligned), group, bitext.tags)


def prepare_bitext(paths, normalizer: Normalizer, taken_ids=frozenset()) -> BitextInput:
    """Read and normalize every bitext file, each a group of its own, numbered -1, -2, ...;
    a file's document id is made unique against ``taken_ids`` and the files before it."""
    parts = []
    used = set(taken_ids)
    for k, path in enumerate(paths):
        bitext = read_bitext(path)
        doc_id = document_id(bitext.path, None)
        while doc_id in used:
            doc_id += "_"
        used.add(doc_id)
        parts.append(bitext_part(bitext, doc_id, normalizer, -(k + 1)))
    return BitextInput(tuple(parts))


def bitext_candidates(pairs: tuple[tuple[Sentence, Sentence], ...], group: int, encoder: Encoder,
                      method: str = "bitext") -> tuple[list[Candidate], dict[tuple[int, str], np.ndarray]]:
    """The candidates of one file's pairs and the neighbourhoods of their margins: each side
    embedded as a new encoder would (the batches depend on the file alone, wherever it runs)."""
    zv = encoder.encode_alone([z.text for z, _ in pairs])
    ev = encoder.encode_alone([e.text for _, e in pairs])
    candidates = [Candidate((z,), (e,), method, zv[i], ev[i], group) for i, (z, e) in enumerate(pairs)]
    return candidates, {(group, "zh"): zv, (group, "en"): ev}
