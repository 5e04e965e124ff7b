"""Sections: runs of consecutive same-language paragraphs of a document, the unit of pairing."""

from __future__ import annotations

from collections.abc import Iterable

from ..records import Section, Sentence


def build_sections(sentences: Iterable[Sentence]) -> list[Section]:
    """Group sentences (in document order) into sections; a change of language starts a new one.

    Sentences must arrive grouped by document and in paragraph order.
    """
    sections: list[Section] = []
    current: list[Sentence] = []
    per_document: dict[str, int] = {}

    def close() -> None:
        if current:
            first = current[0]
            number = per_document.get(first.doc_id, 0)
            per_document[first.doc_id] = number + 1
            sections.append(Section(f"{first.doc_id}/s{number}-{first.lang}", first.doc_id, first.lang, tuple(current),
                                    number))

    for sentence in sentences:
        if current and (sentence.doc_id != current[-1].doc_id or sentence.lang != current[-1].lang):
            close()
            current = []
        current.append(sentence)
    close()
    return sections


def sections_of(sections: Iterable[Section], docs: tuple[str, ...], lang: str) -> list[Section]:
    """The sections of ``docs`` (a document, or a chapter and the documents that continue it)
    in language ``lang``: document by document, each in its order.

    >>> s = [Section("b/s0-zh", "b", "zh", (), 0), Section("a/s1-zh", "a", "zh", (), 1), Section("a/s0-zh", "a", "zh", (), 0)]
    >>> [x.id for x in sections_of(s, ("a", "b"), "zh")]
    ['a/s0-zh', 'a/s1-zh', 'b/s0-zh']
    """
    order = {doc: n for n, doc in enumerate(docs)}
    return sorted((s for s in sections if s.doc_id in order and s.lang == lang), key=lambda s: (order[s.doc_id], s.position))
