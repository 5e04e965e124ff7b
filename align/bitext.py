"""Existing bitext as input: pairs that are already aligned (TMX, XLIFF, TSV, Moses) are
normalized, embedded, scored and exported like the pairs ``align run`` finds, with the method
``bitext``. Each segment is one sentence: a translation unit is not split again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .embed import Encoder
from .garble import GarbleMeter
from .ingest import document_id
from .ingest.bitext import Bitext, read_bitext
from .io.tmx import markup_text
from .normalize import Normalizer
from .records import Candidate, Document, NormalizedParagraph, Paragraph, Sentence, Unaligned, sentence_id

PARTNER_EMPTY = "bitext_partner_empty"


@dataclass
class BitextInput:
    documents: list[Document] = field(default_factory=list)
    paragraphs: dict[str, list[NormalizedParagraph]] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    neighbours: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)
    unaligned: list[Unaligned] = field(default_factory=list)
    tags: tuple[str, str] | None = None  # the first file's language tags


def bitext_document(bitext: Bitext, doc_id: str) -> Document:
    """One paragraph per side of each pair, in a text of the segments one per line."""
    paragraphs, pos = [], 0
    for n, pair in enumerate(bitext.pairs):
        for lang, text in (("zh", pair.zh), ("en", pair.en)):
            paragraphs.append(Paragraph(doc_id, 2 * n + (lang == "en"), pos, pos + len(text), text, lang,
                                        f"{pair.location} {lang}"))
            pos += len(text) + 1
    return Document(doc_id, bitext.path, "utf-8", tuple(paragraphs), format=f"{bitext.format}-bitext")


def _sentence(para: NormalizedParagraph, n: int, markup: str = "") -> Sentence:
    """The sentence of one side of a pair; it keeps the segment's inline ``markup`` only while
    that markup's text is the sentence's but for white space (a repair by normalization leaves
    it plain text)."""
    p = para.paragraph
    garble, flags = GarbleMeter.of(para)(p.start, p.end)
    kept = markup if markup and markup_text(markup).split() == para.text.split() else ""
    return Sentence(sentence_id(p.doc_id, p.lang, n), p.doc_id, p.index, n, p.lang, para.text, p.start, p.end,
                    garble, flags, p.location, markup=kept)


def add_bitext(out: BitextInput, bitext: Bitext, doc_id: str, normalizer: Normalizer, encoder: Encoder,
               group: int) -> None:
    document = bitext_document(bitext, doc_id)
    paras = list(normalizer.paragraphs(document.paragraphs))
    out.documents.append(document)
    out.paragraphs[doc_id] = paras
    pairs = []
    for n in range(len(bitext.pairs)):
        zh, en = paras[2 * n], paras[2 * n + 1]
        markups = (bitext.pairs[n].zh_markup, bitext.pairs[n].en_markup)
        sides = [_sentence(p, n, markup) if p.text.strip() else None for p, markup in zip((zh, en), markups)]
        out.sentences.extend(s for s in sides if s)
        if all(sides):
            pairs.append(tuple(sides))
        else:
            out.unaligned.extend(Unaligned(s, PARTNER_EMPTY, "the other side is empty after normalization")
                                 for s in sides if s)
    zv = encoder.encode([z.text for z, _ in pairs])
    ev = encoder.encode([e.text for _, e in pairs])
    out.candidates.extend(Candidate((z,), (e,), "bitext", zv[i], ev[i], group) for i, (z, e) in enumerate(pairs))
    out.neighbours[(group, "zh")], out.neighbours[(group, "en")] = zv, ev


def prepare_bitext(paths, normalizer: Normalizer, encoder: Encoder, taken_ids=frozenset()) -> BitextInput:
    """Read, normalize and embed every bitext file. Each file is a group of its own, numbered
    -1, -2, ... so as not to meet the groups of related documents (0, 1, ...)."""
    out = BitextInput()
    used = set(taken_ids)
    for k, path in enumerate(paths):
        bitext = read_bitext(path)
        doc_id = document_id(Path(bitext.path), None)
        while doc_id in used:
            doc_id += "_"
        used.add(doc_id)
        out.tags = out.tags or (bitext.zh_tag, bitext.en_tag)
        add_bitext(out, bitext, doc_id, normalizer, encoder, -(k + 1))
    return out
