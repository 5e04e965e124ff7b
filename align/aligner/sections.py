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
