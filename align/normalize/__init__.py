"""Stage 2: normalization. Small named fixers per language; every change is logged.

``normalize_text`` is the pure function; ``normalize_paragraphs`` applies it to the
paragraphs of a document and puts file offsets and provenance on the edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..records import Edit, Paragraph
from . import fixers as fx
from .core import Fixer, Normalized, run_fixers
from .resources import use_glossary

__all__ = ["FIXERS", "NormalizedParagraph", "fixers_for", "normalize_text", "normalize_paragraphs", "use_glossary"]

ZH, EN = frozenset({"zh"}), frozenset({"en"})
BOTH = ZH | EN | frozenset({"other"})

FIXERS: tuple[Fixer, ...] = (
    Fixer("remove_invisible", BOTH, fx.remove_invisible, False, "zero-width and control characters"),
    Fixer("fix_encoding", BOTH, fx.fix_encoding, True, "mojibake and Unicode damage (ftfy)"),
    Fixer("boilerplate_paragraph", ZH | EN, fx.boilerplate_paragraph, False, "captions, bylines, author lines, footers"),
    Fixer("inline_caption", EN, fx.inline_caption, False, "photo credits inside a paragraph"),
    Fixer("traditional_to_simplified", frozenset(), fx.traditional_to_simplified, False, "OpenCC t2s (--t2s)"),
    Fixer("fullwidth_alnum", ZH | EN, fx.fullwidth_alnum, False, "full-width letters and digits to half-width"),
    Fixer("halfwidth_punctuation", ZH, fx.halfwidth_punctuation, False, "half-width , ? ! ; : ( ) in Chinese to full-width"),
    Fixer("curly_quotes", EN, fx.curly_quotes, False, "curly double quotes to straight, stray quotes removed"),
    Fixer("chinese_punctuation_in_english", EN, fx.chinese_punctuation_in_english, True, "Chinese punctuation in English to ASCII"),
    Fixer("glossary", EN, fx.apply_glossary, True, "pinyin calques and literal idioms (glossary TSV)"),
    Fixer("masked_words", EN, fx.masked_words, True, "censored ** restored from context or replaced by [masked]"),
    Fixer("run_together_sentences", EN, fx.run_together_sentences, True, "words glued by a lost space"),
    Fixer("normalize_spaces", BOTH, fx.normalize_spaces, False, "odd and repeated spaces"),
    Fixer("han_latin_spacing", ZH, fx.han_latin_spacing, False, "no spaces between Han and Latin text"),
    Fixer("cjk_punctuation_spacing", ZH, fx.cjk_punctuation_spacing, False, "no spaces around full-width punctuation"),
    Fixer("trim_spaces", BOTH, fx.trim_spaces, False, "leading and trailing white space"),
    Fixer("flag_number_damage", EN, fx.flag_number_damage, True, "displaced decimal points (flagged only)"),
)

GARBLE_FIXERS = frozenset(f.name for f in FIXERS if f.garble)


def fixers_for(lang: str, t2s: bool = False) -> tuple[Fixer, ...]:
    chosen = []
    for fixer in FIXERS:
        if fixer.name == "traditional_to_simplified":
            if t2s and lang == "zh":
                chosen.append(fixer)
        elif lang in fixer.langs:
            chosen.append(fixer)
    return tuple(chosen)


def normalize_text(text: str, lang: str, t2s: bool = False) -> Normalized:
    """Normalize one paragraph of text in language ``lang`` (``zh``, ``en`` or ``other``).

    >>> normalize_text("fell 158%。In one day", "en").text
    'fell 158%. In one day'
    """
    return run_fixers(text, fixers_for(lang, t2s))


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


def normalize_paragraphs(paragraphs: Iterable[Paragraph], t2s: bool = False) -> Iterator[NormalizedParagraph]:
    for paragraph in paragraphs:
        normalized = normalize_text(paragraph.text, paragraph.lang, t2s)
        edits = tuple(
            replace(e, start=paragraph.start + e.start, end=paragraph.start + e.end,
                    doc_id=paragraph.doc_id, paragraph=paragraph.index)
            for e in normalized.edits
        )
        yield NormalizedParagraph(paragraph, normalized, edits)
