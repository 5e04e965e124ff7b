"""Stage 2: normalization. Small named fixers per language; every change is logged.

``normalize_text`` is the pure function; ``normalize_paragraphs`` applies it to the
paragraphs of a document and puts file offsets and provenance on the edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial

from ..errors import ConfigurationError
from ..records import NormalizedParagraph, Paragraph
from . import fixers as fx
from .core import Fixer, Normalized, run_fixers
from .resources import load_glossary

__all__ = ["FIXERS", "NormalizeSettings", "Normalizer", "NormalizedParagraph", "fixers_for", "normalize_text",
           "normalize_paragraphs"]

ZH, EN = frozenset({"zh"}), frozenset({"en"})
BOTH = ZH | EN | frozenset({"other"})

FIXERS: tuple[Fixer, ...] = (
    Fixer("remove_invisible", BOTH, fx.remove_invisible, False, "zero-width and control characters"),
    Fixer("fix_encoding", BOTH, fx.fix_encoding, True, "mojibake and Unicode damage (ftfy)"),
    Fixer("cjk_radicals", ZH, fx.cjk_radicals, False, "radical characters in Chinese text (U+2F08 for 人, as a PDF's "
          "font maps its glyphs) to the characters they stand for"),
    Fixer("boilerplate_paragraph", ZH | EN, fx.boilerplate_paragraph, False, "captions, bylines, author lines, footers"),
    Fixer("inline_caption", EN, fx.inline_caption, False, "photo credits inside a paragraph"),
    Fixer("traditional_to_simplified", ZH, fx.traditional_to_simplified, False, "OpenCC t2s in the text "
          "(--t2s-output; --t2s converts for matching only)", default=False),
    Fixer("fullwidth_alnum", ZH | EN, fx.fullwidth_alnum, False, "full-width letters and digits to half-width"),
    Fixer("halfwidth_punctuation", ZH, fx.halfwidth_punctuation, False, "half-width , ? ! ; : ( ) in Chinese to full-width"),
    Fixer("stray_quotes", EN, fx.stray_quotes, False, "stray closing quotes after a closed quotation removed"),
    Fixer("curly_quotes", EN, fx.curly_quotes, False, "curly double quotes to straight (opt-in: a style rewrite of "
          "the author's quotes, not damage)", default=False),
    Fixer("chinese_punctuation_in_english", EN, fx.chinese_punctuation_in_english, True, "Chinese punctuation in English to ASCII"),
    Fixer("glossary", EN, fx.apply_glossary, True, "pinyin calques and literal idioms (glossary TSV)"),
    Fixer("masked_words", EN, fx.masked_words, True, "censored ** restored from context or replaced by [masked] (a pair "
          "with the mark is rejected: masked_word)"),
    Fixer("run_together_sentences", EN, fx.run_together_sentences, True, "words glued by a lost space"),
    Fixer("normalize_spaces", BOTH, fx.normalize_spaces, False, "odd and repeated spaces"),
    Fixer("han_latin_spacing", ZH, fx.han_latin_spacing, False, "no spaces between Han and Latin text (opt-in: "
          "many style guides require them)", default=False),
    Fixer("cjk_punctuation_spacing", ZH, fx.cjk_punctuation_spacing, False, "no spaces around full-width punctuation"),
    Fixer("trim_spaces", BOTH, fx.trim_spaces, False, "leading and trailing white space"),
    Fixer("footnote_markers", EN, fx.footnote_markers, False, "footnote numbers glued to words removed"),
    Fixer("flag_number_damage", EN, fx.flag_number_damage, True, "displaced decimal points (flagged only)"),
)

GARBLE_FIXERS = frozenset(f.name for f in FIXERS if f.garble)
FIXER_NAMES = tuple(f.name for f in FIXERS)


@dataclass(frozen=True)
class NormalizeSettings:
    """Which fixers run (each fixer's default, then ``enable`` and ``disable`` by name) and
    the user's glossary files."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    glossaries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.enable + self.disable) - set(FIXER_NAMES))
        if unknown:
            raise ConfigurationError(f"unknown fixer {unknown[0]!r}: choose from {', '.join(FIXER_NAMES)}")
        both = sorted(set(self.enable) & set(self.disable))
        if both:
            raise ConfigurationError(f"fixer {both[0]!r} is both switched on and off")

    def is_on(self, fixer: Fixer) -> bool:
        return fixer.name not in self.disable and (fixer.default or fixer.name in self.enable)

    def signature(self) -> str:
        on = "+".join(f.name for f in FIXERS if self.is_on(f))
        return f"norm|fixers:{on}|glossary:{load_glossary(self.glossaries).signature}"


class Normalizer:
    """The fixer chains for each language under one ``NormalizeSettings`` (glossary loaded once)."""

    def __init__(self, settings: NormalizeSettings = NormalizeSettings()) -> None:
        self.settings = settings
        glossary = load_glossary(settings.glossaries)
        chosen = [replace(f, find=partial(fx.apply_glossary, glossary=glossary)) if f.name == "glossary" else f
                  for f in FIXERS if settings.is_on(f)]
        self.chains = {lang: tuple(f for f in chosen if lang in f.langs) for lang in ("zh", "en", "other")}
        self.chains["neutral"] = ()  # code, commands and identifiers are left as written

    def text(self, text: str, lang: str) -> Normalized:
        return run_fixers(text, self.chains[lang])

    def paragraphs(self, paragraphs: Iterable[Paragraph]) -> Iterator[NormalizedParagraph]:
        """The paragraphs of one document, normalized; camel-case words the document writes as
        code or more than once are its identifiers, which ``run_together_sentences`` leaves whole."""
        paragraphs = list(paragraphs)
        identifiers = fx.document_identifiers(p.text for p in paragraphs if p.lang == "en")
        chains = dict(self.chains)
        if identifiers:
            chains["en"] = tuple(replace(f, find=partial(fx.run_together_sentences, identifiers=identifiers))
                                 if f.name == "run_together_sentences" else f for f in chains["en"])
        for paragraph in paragraphs:
            normalized = run_fixers(paragraph.text, chains[paragraph.lang], paragraph.code)
            edits = tuple(
                replace(e, start=paragraph.start + e.start, end=paragraph.start + e.end,
                        doc_id=paragraph.doc_id, paragraph=paragraph.index)
                for e in normalized.edits
            )
            yield NormalizedParagraph(paragraph, normalized, edits)


def fixers_for(lang: str, settings: NormalizeSettings = NormalizeSettings()) -> tuple[Fixer, ...]:
    return Normalizer(settings).chains[lang]


def normalize_text(text: str, lang: str, settings: NormalizeSettings = NormalizeSettings()) -> Normalized:
    """Normalize one paragraph of text in language ``lang`` (``zh``, ``en`` or ``other``).

    >>> normalize_text("fell 158%。In one day", "en").text
    'fell 158%. In one day'
    """
    return Normalizer(settings).text(text, lang)


def normalize_paragraphs(paragraphs: Iterable[Paragraph],
                         settings: NormalizeSettings = NormalizeSettings()) -> Iterator[NormalizedParagraph]:
    return Normalizer(settings).paragraphs(paragraphs)
