"""Sections: runs of consecutive same-language paragraphs of a document, the unit of pairing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .records import Sentence


@dataclass(frozen=True)
class Section:
    id: str
    doc_id: str
    lang: str
    sentences: tuple[Sentence, ...]

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


def build_sections(sentences: Iterable[Sentence]) -> list[Section]:
    """Group sentences (in document order) into sections; a change of language starts a new one.

    Sentences must arrive grouped by document and in paragraph order.
    """
    sections: list[Section] = []
    current: list[Sentence] = []

    def close() -> None:
        if current:
            first = current[0]
            number = sum(1 for s in sections if s.doc_id == first.doc_id)
            sections.append(Section(f"{first.doc_id}/s{number}-{first.lang}", first.doc_id, first.lang, tuple(current)))

    for sentence in sentences:
        if current and (sentence.doc_id != current[-1].doc_id or sentence.lang != current[-1].lang):
            close()
            current = []
        current.append(sentence)
    close()
    return sections
