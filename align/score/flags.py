"""Per-segment flags for MT output that a metric can score well although it is no
translation: an ``empty`` line, a ``copied_source`` (the hypothesis repeats the source,
whole or mostly), ``wrong_language`` (not the target language: Chinese, French, Russian
... for an English target) and an ``untranslated_span`` (a long stretch of source-language
text left in a translation).

A line gets at most one flag, the first that applies in ``FLAGS`` order, so the counts add
up to the flagged lines. Without the source, ``copied_source`` cannot be told and is not
checked; ``untranslated_span`` then takes the source language to be the other of zh and en.
Languages are told by ``align.language`` (the pipeline's own code path).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from ..language import (HAN_CLASS, NEUTRAL, URL_PATTERN, english_word_share, is_english_word, is_han,
                        is_other_latin_language, language_in, prose_words, without_inline_code)

FLAGS = ("empty", "copied_source", "wrong_language", "untranslated_span")
WITHOUT_SOURCE = ("empty", "wrong_language", "untranslated_span")
COPY_SHARE = 0.8  # a hypothesis in the source language repeating this much of the source's content
MIN_HAN_SPAN = 4  # Han characters in a row (punctuation between allowed) left in an English target
MIN_ENGLISH_SPAN = 4  # English prose words in a row left in a Chinese target

_HAN_RUN = re.compile(f"[{HAN_CLASS}](?:[{HAN_CLASS}，、：；“”‘’《》（）·\\s]*[{HAN_CLASS}])?")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\- ,;:]*[A-Za-z]")
_ALNUM = re.compile(r"\w")
_SPACE_PUNCT = re.compile(r"[\W_]+")
_URL = re.compile(URL_PATTERN)


@dataclass(frozen=True)
class Flag:
    name: str  # one of FLAGS
    detail: str

    def as_dict(self) -> dict:
        return {"flag": self.name, "detail": self.detail}


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def source_content(text: str, lang: str) -> list[str]:
    """What a translator translates in ``text``: its Han characters (zh), or its English
    prose words in lower case (en); markup, code and URLs are left out.

    >>> source_content("## 使用 cgroup v2 {#using-cgroupv2}", "zh"), source_content("See [docs](https://k8s.io).", "en")
    (['使', '用'], ['see'])
    """
    if lang == "zh":
        return [ch for ch in text if is_han(ch)]
    return [w.strip(".,;:!?()[]\"'“”‘’").lower() for w in prose_words(text)]


def copied_share(hyp: str, src: str, source_lang: str) -> float:
    """The share of the source's translatable content (``source_content``) that the
    hypothesis repeats, in order.

    >>> copied_share("她戴着太阳镜。", "她戴着太阳镜。", "zh"), copied_share("She wears sunglasses.", "她戴着太阳镜。", "zh")
    (1.0, 0.0)
    """
    a, b = source_content(src, source_lang), source_content(hyp, source_lang)
    if not a or not b:
        return 0.0
    shared = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return round(shared / len(a), 4)


def hypothesis_language(text: str, target_lang: str) -> str:
    """``zh``, ``en``, ``neutral`` (code, numbers, names alone) or ``other``, as the pipeline
    reads a block of a document in the target language (``language_in``); Latin text of
    two words or more, most of them French, German, Spanish, Italian, Portuguese or Dutch,
    is ``other`` however short.

    >>> hypothesis_language("Merci beaucoup, mon ami.", "en"), hypothesis_language("Thank you, my friend.", "en")
    ('other', 'en')
    """
    lang = language_in(text, target_lang)
    if lang != "en" or len(prose_words(text)) < 2:
        return lang
    text = without_inline_code(text)
    # most words common English ones: not 60% foreign (a shortcut past the slower count)
    return "other" if english_word_share(text) <= 0.4 and is_other_latin_language(text) else lang


def _english_spans(hyp: str) -> list[str]:
    """Stretches of English prose in a Chinese text: ``MIN_ENGLISH_SPAN`` prose words or
    more, most of them common English words in lower case (a run of capitalised names is a
    product name, which a translation keeps)."""
    found = []
    for m in _LATIN_RUN.finditer(_URL.sub(" ", without_inline_code(hyp))):
        words = [w.strip(".,;:!?'’") for w in prose_words(m.group())]
        common = sum(w.islower() and is_english_word(w) for w in words)
        if len(words) >= MIN_ENGLISH_SPAN and common >= 0.5 * len(words):
            found.append(m.group())
    return found


def untranslated_span(hyp: str, src: str | None, source_lang: str) -> str:
    """The longest stretch of source-language text left in ``hyp`` ("" when there is none
    long enough): at least ``MIN_HAN_SPAN`` Han characters, or ``MIN_ENGLISH_SPAN`` English
    prose words; with the source, only a stretch the source holds counts.

    >>> untranslated_span("He said that 我不知道你在说什么 and left.", None, "zh")
    '我不知道你在说什么'
    >>> untranslated_span("他说 Beijing 很美。", None, "en"), untranslated_span("由 Amazon Elastic Compute Cloud 提供", None, "en")
    ('', '')
    """
    if source_lang == "zh":
        found = [m.group() for m in _HAN_RUN.finditer(hyp) if sum(map(is_han, m.group())) >= MIN_HAN_SPAN]
    else:
        found = _english_spans(hyp)
    if src is not None:
        source = _SPACE_PUNCT.sub("", src.lower())
        found = [s for s in found if _SPACE_PUNCT.sub("", s.lower()) in source]
    return max(found, key=len, default="")


def segment_flag(hyp: str, src: str | None, target_lang: str) -> Flag | None:
    """The flag of one hypothesis line (None when it reads as a translation)."""
    source_lang = _other(target_lang)
    if src is not None and not _ALNUM.search(src):
        return None  # nothing to translate
    if not _ALNUM.search(hyp) and (src is not None or not hyp.strip()):
        return Flag("empty", "no text" if not hyp.strip() else "punctuation only")
    lang = hypothesis_language(hyp, target_lang)
    if src is not None and lang == source_lang:
        share = copied_share(hyp, src, source_lang)
        if share >= COPY_SHARE:
            return Flag("copied_source", f"repeats {share:.0%} of the source")
    if lang not in (target_lang, NEUTRAL):
        return Flag("wrong_language", f"reads as {lang}, not {target_lang}")
    span = untranslated_span(hyp, src, source_lang)
    if span:
        return Flag("untranslated_span", f"{source_lang} text left in: {span[:60]}")
    return None


def flag_segments(hyps: Sequence[str], sources: Sequence[str] | None, target_lang: str) -> list[Flag | None]:
    """One flag (or None) per hypothesis line."""
    if sources is not None and len(sources) != len(hyps):
        raise InputError(f"the source has {len(sources)} lines, but the hypothesis has {len(hyps)}")
    return [segment_flag(h, None if sources is None else sources[i], target_lang) for i, h in enumerate(hyps)]


def flag_counts(flags: Sequence[Flag | None], with_source: bool) -> dict[str, int]:
    """Lines per flag, every flag that was checked (``copied_source`` needs the source)."""
    names = FLAGS if with_source else WITHOUT_SOURCE
    counts = dict.fromkeys(names, 0)
    for flag in flags:
        if flag is not None:
            counts[flag.name] += 1
    return counts


def unflagged_lines(flags_by_system: Sequence[Sequence[Flag | None]]) -> list[int]:
    """The lines no system has a flag on (0-based): every system is scored on the same lines."""
    return [i for i, flags in enumerate(zip(*flags_by_system)) if not any(flags)]


def exclusion_signature(kept: int, total: int) -> str:
    """What ``--exclude-flagged`` adds to each signature.

    >>> exclusion_signature(97, 100)
    'flagged:excluded|segments:97/100'
    """
    return f"flagged:excluded|segments:{kept}/{total}"


@dataclass(frozen=True)
class FlaggedSystems:
    """The flags of every system's lines, their counts, and the lines scored: all of them,
    or with ``exclude`` those no system has a flag on (``note`` then says so in signatures)."""

    flags: list[list[Flag | None]]  # per system, per line
    counts: list[dict[str, int]]  # per system
    kept: list[int]  # 0-based lines scored
    note: str  # "" or what --exclude-flagged adds to each signature

    def select(self, lines: Sequence[str]) -> list[str]:
        return [lines[i] for i in self.kept]

    def sign(self, signature: str) -> str:
        return f"{signature}|{self.note}" if self.note else signature


def flag_systems(outputs: Sequence[Sequence[str]], sources: Sequence[str] | None, target_lang: str,
                 exclude: bool = False) -> FlaggedSystems:
    """Flag each system's lines; with ``exclude``, keep the lines no system has a flag on."""
    flags = [flag_segments(hyps, sources, target_lang) for hyps in outputs]
    counts = [flag_counts(f, sources is not None) for f in flags]
    total = len(outputs[0]) if outputs else 0
    if not exclude:
        return FlaggedSystems(flags, counts, list(range(total)), "")
    kept = unflagged_lines(flags)
    if not kept:
        raise InputError("--exclude-flagged: every line is flagged in some system, nothing is left to score")
    return FlaggedSystems(flags, counts, kept, exclusion_signature(len(kept), total))


def describe_counts(counts: dict[str, int]) -> str:
    """Flag counts as one line of text.

    >>> describe_counts({"empty": 1, "wrong_language": 0, "untranslated_span": 2})
    'empty 1, wrong_language 0, untranslated_span 2'
    """
    return ", ".join(f"{name} {n}" for name, n in counts.items())
