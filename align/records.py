"""Records passed between the stages. Each stage is a function from records to records."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from types import MappingProxyType

import numpy as np

LANGS = ("zh", "en")
JOINER = MappingProxyType({"zh": "", "en": " "})
# The timing in a subtitle cue's location, as the subtitle readers write it: ``cue 3 00:00:01,000 --> 00:00:03,500``.
_CUE_TIME = re.compile(r"\bcue \d+ (\d+):(\d\d):(\d\d)[,.](\d{3})\s*-->\s*(\d+):(\d\d):(\d\d)[,.](\d{3})")


def join_sentences(texts, lang: str) -> str:
    """Join sentences of one language: no space in Chinese, one space in English.

    >>> join_sentences(["你好。", "再见。"], "zh"), join_sentences(["Hi.", "Bye."], "en")
    ('你好。再见。', 'Hi. Bye.')
    """
    return JOINER[lang].join(texts)


def cue_time(location: str) -> tuple[int, int] | None:
    """The start and end in milliseconds of a subtitle cue's location, or None (no cue).

    >>> cue_time("cue 3 00:01:02,500 --> 00:01:04,000"), cue_time("cue 9 01:00:00.250 --> 01:00:01.000")
    ((62500, 64000), (3600250, 3601000))
    >>> cue_time("line 3") is None
    True
    """
    found = _CUE_TIME.search(location or "")
    if not found:
        return None
    h1, m1, s1, f1, h2, m2, s2, f2 = (int(g) for g in found.groups())
    return ((h1 * 60 + m1) * 60 + s1) * 1000 + f1, ((h2 * 60 + m2) * 60 + s2) * 1000 + f2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document, with its character span in the decoded file."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    lang: str  # "zh", "en", "neutral" (code, commands, identifiers: no language) or "other"
    location: str = ""  # where a user finds it in the original file: "line 3", "page 2", an element path
    kind: str = ""  # block kind in a structured format: heading, paragraph, list_item, table_cell; "" in plain text
    code: tuple[str, ...] = ()  # inline code in its text (an HTML page's <code>): fixers leave it as written


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    encoding: str
    paragraphs: tuple[Paragraph, ...]
    format: str = "text"  # the reader that extracted it: text, html, markdown, docx, pdf, srt, vtt, ass, epub
    removed: tuple[Edit, ...] = ()  # blocks the reader left out (navigation, running headers)
    name: str = ""  # the path relative to the input folder it was found in (the file name for a file given alone)
    book: str = ""  # a chapter of a book (an EPUB): the book's document id
    chapter: int = -1  # its position in the book's spine
    title: str = ""  # its title in the book's navigation

    def main_language(self) -> str:
        """``zh`` or ``en``: the language most of the text is in (a Han character counts as
        about three Latin letters)."""
        zh = sum(p.end - p.start for p in self.paragraphs if p.lang == "zh")
        en = sum(p.end - p.start for p in self.paragraphs if p.lang == "en")
        return "zh" if zh * 3 >= en and zh else "en"


@dataclass(frozen=True)
class SkippedFile:
    """An input file that was not used, and why. ``warn`` is False for a file that is no
    string file to translate (an Android ``colors.xml``, a lone ``gradle.properties``): it is
    listed like every file not used, but passed over quietly (no console warning, no
    ``--strict`` failure)."""

    path: str
    reason: str
    warn: bool = True


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
    location: str = ""  # the paragraph's location in the original file
    kind: str = ""  # the paragraph's block kind ("" in plain text)
    markup: str = ""  # a TMX or XLIFF segment's inline elements (TMX markup), when its text is the sentence's

    @property
    def cue_time(self) -> tuple[int, int] | None:
        """When a subtitle sentence is shown: its cue's start and end in milliseconds (from its
        location, which the subtitle readers write); None for a sentence of any other file."""
        return cue_time(self.location)


def sentence_id(doc_id: str, lang: str, index: int) -> str:
    """The id of a document's ``index``-th sentence of ``lang``: ``doc#zh12``."""
    return f"{doc_id}#{lang}{index}"


def bead_id(zh_ids, en_ids) -> str:
    """The id of a pair: a digest of its sentence ids, the same whoever builds the pair.

    >>> bead_id(["a#zh0"], ["a#en0"])
    '5473797e93bc88d1'
    """
    key = "|".join(zh_ids) + "||" + "|".join(en_ids)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def sentence_doc(sentence_id: str) -> str:
    """The document of a sentence id: ``doc#zh12`` -> ``doc``."""
    return sentence_id.rsplit("#", 1)[0]


def sentence_index(sentence_id: str) -> int:
    """``doc#zh12`` -> 12, ``doc#neutral3`` -> 3."""
    tail = sentence_id.rsplit("#", 1)[-1]
    digits = len(tail) - len(tail.rstrip("0123456789"))
    return int(tail[len(tail) - digits:]) if digits else 0


@dataclass(frozen=True)
class Section:
    """A run of consecutive same-language sentences of one document: the unit of pairing."""

    id: str
    doc_id: str
    lang: str
    sentences: tuple[Sentence, ...]
    position: int = 0  # its number among the sections of its document

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


@dataclass
class OverlapEmbeddings:
    """Embeddings of every run of 1..n consecutive sentences: ``vectors[k][i]`` embeds
    sentences ``i .. i+k`` (rows past the end are zero)."""

    vectors: np.ndarray  # (n_overlaps, n_sentences, dim)
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0))  # characters per sentence

    @property
    def singles(self) -> np.ndarray:
        """One row per sentence."""
        return self.vectors[0]

    def run(self, start: int, size: int) -> np.ndarray:
        """The vector of sentences ``start .. start + size - 1`` joined."""
        return self.vectors[size - 1][start]


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
class Candidate:
    """A pair found by an aligner, before scoring: the sentences, how it was found, the
    embeddings of each side (as aligned), and the group of related sections it came from."""

    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    method: str  # "parallel" or "mined"
    zh_vec: np.ndarray = field(repr=False, compare=False)
    en_vec: np.ndarray = field(repr=False, compare=False)
    group: int = 0


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
    rule_details: tuple[str, ...] = ()  # what was wrong, one per rule in ``rejected_by``

    @property
    def zh_text(self) -> str:
        return join_sentences((s.text for s in self.zh), "zh")

    @property
    def en_text(self) -> str:
        return join_sentences((s.text for s in self.en), "en")

    @property
    def shape(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    def sort_key(self) -> tuple:
        return (self.zh[0].doc_id, self.zh[0].index, self.en[0].doc_id, self.en[0].index)


@dataclass(frozen=True)
class Unaligned:
    """A sentence in no exported pair, with why; ``candidate`` is the pair it was in when a
    rule, the minimum quality or deduplication left that pair out."""

    sentence: Sentence
    reason: str
    detail: str = ""
    candidate: Pair | None = None


@dataclass
class Prepared:
    """Output of ingest -> normalize -> segment."""

    documents: list[Document]
    skipped: list[SkippedFile]
    paragraphs: dict[str, list[NormalizedParagraph]]
    sentences: list[Sentence]
    texts: dict[str, str] = field(default_factory=dict)  # extracted text by document (--keep-extracted)

    @property
    def edits(self) -> list[Edit]:
        """Blocks the readers left out, then the normalization edits, document by document."""
        out: list[Edit] = []
        for document in self.documents:
            out.extend(document.removed)
            out.extend(e for p in self.paragraphs.get(document.doc_id, ()) for e in p.edits)
        return out

    def paths(self) -> dict[str, str]:
        return {d.doc_id: d.path for d in self.documents}

    def names(self) -> dict[str, str]:
        """Each document's path relative to the input folder it was found in (what a string
        file's TMX unit names its files by: never the user's absolute path)."""
        return {d.doc_id: d.name for d in self.documents}


@dataclass(frozen=True)
class DirectionReport:
    """What translation did in one direction: done (with the model, counts and cache hits)
    or skipped, and why."""

    status: str  # "done" or "skipped"
    reason: str = ""
    engine: str = ""
    model: str = ""
    signature: str = ""
    sentences: int = 0
    distinct_texts: int = 0
    translated: int = 0
    from_cache: int = 0
    split_overlong: int = 0

    def as_dict(self) -> dict:
        """What ``run.json`` says of the direction."""
        if self.status != "done":
            return {"status": self.status, "reason": self.reason}
        return {k: v for k, v in asdict(self).items() if k != "reason"}


@dataclass(frozen=True)
class TranslationReport:
    """The translation step of a run, per direction (``zh-en``, ``en-zh``)."""

    directions: tuple[tuple[str, DirectionReport], ...] = ()

    def items(self):
        return self.directions

    def __getitem__(self, direction: str) -> DirectionReport:
        return dict(self.directions)[direction]

    def as_dict(self) -> dict[str, dict]:
        return {direction: report.as_dict() for direction, report in self.directions}


@dataclass(frozen=True)
class Selection:
    """The accept decision on scored pairs: those kept, the sentences of those left out, and
    how many duplicates ``--dedup`` removed."""

    kept: list
    dropped: list
    duplicates: int = 0
    audit: dict = field(default_factory=dict)  # what each filter left out (score.audit.filter_audit)


@dataclass
class RunResult:
    """Everything ``align run`` computed; the exporters write it, nothing else reads stages."""

    prepared: Prepared
    sections: list[Section]
    decisions: list[PairDecision]
    pairs: list[Pair]  # exported
    all_pairs: list[Pair]  # every scored pair, exported or not
    unaligned: list[Unaligned]
    translations: dict[str, Translation]
    translation_report: TranslationReport
    encoder_signature: str
    length_ratio: float
    timings: dict[str, float] = field(default_factory=dict)
    duplicate_pairs: int = 0  # pairs left out by --dedup
    lang_tags: tuple[str, str] = ("zh", "en")  # language tags written to TMX and JSONL
    interleaved: tuple[str, ...] = ()  # documents found to alternate languages
    document_pairs: tuple = ()  # DocumentPair records decided by name or manifest
    traditional: frozenset[str] = frozenset()  # documents found in Traditional Chinese, matched through Simplified
    settings: dict = field(default_factory=dict)  # the run's settings (RunConfig.as_dict), as run.json writes them
    signatures: dict = field(default_factory=dict)  # every signature its numbers depend on (RunConfig.signatures)
    filters: dict = field(default_factory=dict)  # what each filter of the accept decision left out (score.audit)


@dataclass(frozen=True)
class Normalized:
    """Normalized text, its edit log, and for each position of ``text`` (and its end) the
    corresponding offset in the original text."""

    text: str
    edits: tuple[Edit, ...]
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end]


@dataclass(frozen=True)
class NormalizedParagraph:
    paragraph: Paragraph
    normalized: Normalized
    edits: tuple[Edit, ...]

    @property
    def text(self) -> str:
        return self.normalized.text

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the decoded file of ``text[start:end]``."""
        s, e = self.normalized.original_span(start, end)
        return self.paragraph.start + s, self.paragraph.start + e


@dataclass(frozen=True)
class PairDecision:
    zh_section: str
    en_section: str
    kind: str  # parallel | comparable | unrelated
    mutual_links: int
    coverage: float
    in_order: float
    centroid_cosine: float
    link_cosine: float = 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        for key in ("coverage", "in_order", "centroid_cosine", "link_cosine"):
            d[key] = round(d[key], 4)
        return d


@dataclass(frozen=True)
class Translation:
    text: str
    flags: tuple[str, ...] = ()
