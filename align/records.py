"""Records passed between the stages. Each stage is a function from records to records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document, with its character span in the decoded file."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    lang: str  # "zh", "en" or "other"


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    encoding: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Edit:
    """One change (or flag) made by a normalization fixer.

    ``start``/``end`` are character offsets in the text the fixer chain started from
    (for documents: offsets in the decoded file). ``kind`` is ``repair`` (text changed),
    ``remove`` (boilerplate dropped) or ``flag`` (damage noted, text left alone).
    """

    fixer: str
    kind: str
    start: int
    end: int
    before: str
    after: str
    note: str = ""
    doc_id: str = ""
    paragraph: int = -1


@dataclass(frozen=True)
class Sentence:
    """A sentence after segmentation. ``start``/``end`` are offsets in the decoded file."""

    id: str
    doc_id: str
    paragraph: int
    index: int  # position among the document's sentences of this language
    lang: str
    text: str
    start: int
    end: int
    garble: float = 0.0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bead:
    """An alignment bead: indices into a source and a target sentence list."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass(frozen=True)
class Pair:
    """An aligned pair of Chinese and English sentence groups with its scores."""

    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    method: str  # "parallel" or "mined"
    signals: dict = field(default_factory=dict, hash=False, compare=False)
    quality: float = 0.0
    rejected_by: tuple[str, ...] = ()
    zh_translation: str = ""
    en_translation: str = ""

    @property
    def zh_text(self) -> str:
        return "".join(s.text for s in self.zh)

    @property
    def en_text(self) -> str:
        return " ".join(s.text for s in self.en)

    @property
    def shape(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"


@dataclass(frozen=True)
class Unaligned:
    sentence: Sentence
    reason: str
    detail: str = ""
