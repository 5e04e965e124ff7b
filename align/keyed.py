"""Software string files as input: each Chinese file is paired with its English counterpart by
the locale conventions of its format (``values-zh-rCN/`` with ``values/``, ``zh-Hans.lproj``
with ``en.lproj``, ``Messages_zh_CN.properties`` with ``Messages.properties``, ``zh-CN.json``
with ``en.json``, …), then its units by key (``aligner.keyed``). Each file pair is a group of
its own, judged as given with the method ``keyed``; every unit in no pair is listed with its
reason, and a string file with no partner is skipped with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .aligner.keyed import pair_by_key
from .aligner.names import DocumentPair
from .errors import InputError
from .garble import GarbleMeter
from .ingest import document_id, path_text
from .ingest.strings import Locale, StringFile, StringUnit, place, read_string_file, relative_path, string_format
from .language import detect_language
from .normalize import Normalizer
from .placeholders import placeholder_markup
from .records import Document, NormalizedParagraph, Paragraph, Sentence, SkippedFile, Unaligned, sentence_id
from .score.keyed import KEYED

__all__ = ["KEYED", "KeyedInput", "KeyedPart", "prepare_keyed"]


@dataclass(frozen=True)
class StringSide:
    """One language of a string file: the file, where it lies (its path inside its input
    folder, and its family: that path with the locale taken out), its language and units."""

    path: Path
    root: Path | None
    relative: str
    family: str
    locale: Locale
    file: StringFile
    units: tuple[StringUnit, ...]


@dataclass(frozen=True)
class KeyedPart:
    """A Chinese and an English string file, read and paired by key: their documents and
    normalized paragraphs, their sentences, the pairs to judge and the units in no pair."""

    documents: tuple[Document, ...]
    paragraphs: dict = field(hash=False, compare=False)
    sentences: tuple[Sentence, ...]
    pairs: tuple[tuple[Sentence, Sentence], ...]
    unaligned: tuple[Unaligned, ...]
    group: int


@dataclass(frozen=True)
class KeyedInput:
    parts: tuple[KeyedPart, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()

    @property
    def documents(self) -> set[str]:
        return {d.doc_id for part in self.parts for d in part.documents}

    @property
    def unaligned(self) -> list[Unaligned]:
        return [u for part in self.parts for u in part.unaligned]

    @property
    def document_pairs(self) -> tuple[DocumentPair, ...]:
        """The file pairs, as ``run.json`` reports document pairs (``how``: ``locale``)."""
        return tuple(DocumentPair(p.documents[0].doc_id, p.documents[1].doc_id, "locale") for p in self.parts)


def _language(locale: Locale, file: StringFile, units) -> str:
    """``zh``, ``en`` or another language: what the file's content declares, else its path,
    else (a default file) what its text reads as."""
    from .ingest.strings import parse_tag

    declared = parse_tag(file.locale) if file.locale else None
    if declared:
        return declared.lang
    if locale.lang:
        return locale.lang
    sample = " ".join(u.text for u in units[:400])
    return detect_language(sample) if sample.strip() else ""


def read_sides(found: list[tuple[Path, Path | None]], skipped: list[SkippedFile]) -> list[StringSide]:
    """Every language of every string file (a Qt or String Catalog file gives several, a
    family of their own)."""
    from .ingest.strings import parse_tag

    sides = []
    for path, root in found:
        relative = relative_path(path, root)
        placed = place(relative)
        try:
            file = read_string_file(path, string_format(path, relative), zh_expected=placed.locale.lang == "zh")
        except InputError as exc:
            skipped.append(SkippedFile(path_text(path), str(exc)))
            continue
        for tag, units in file.languages or (("", file.units),):
            locale = (parse_tag(tag) or Locale(tag.lower(), "", tag)) if tag else placed.locale
            lang = _language(locale, StringFile(file.path, file.format) if file.languages else file, units)
            sides.append(StringSide(path, root, relative, f"{relative}#" if file.languages else placed.family,
                                    Locale(lang, locale.region, locale.tag), file, units))
    return sides


def _english_rank(side: StringSide) -> tuple:
    """The English file a family pairs with: the default file (the source), then en-US, en, en-GB."""
    return (side.locale.tag != "" and not side.file.languages, {"US": 0, "": 1, "GB": 2}.get(side.locale.region, 3),
            side.relative)


def _unpaired_reason(side: StringSide, chosen: tuple | None) -> str:
    lang = side.locale.lang
    if not any(u.text.strip() for u in side.units):
        return "no strings in it"
    if chosen is not None and lang == "zh":
        return f"another Chinese variant ({side.locale.tag}) of strings paired from {chosen[0].relative}"
    if chosen is not None and lang == "en":
        return f"another English file of strings paired from {chosen[1].relative}"
    if lang not in ("zh", "en"):
        return f"a string file in another language ({side.locale.tag or lang or 'unknown'})"
    missing = "English" if lang == "zh" else "Chinese"
    return f"a string file with no {missing} counterpart (no file of the same strings in {missing} found)"


def _no_string_file(side: StringSide, members: list[StringSide]) -> bool:
    """A file that is no string file to translate, passed over quietly: one with no strings
    at all (an Android ``colors.xml`` or ``dimens.xml``), or a file that names no locale
    and has no localised sibling (``gradle.properties``, an app's lone ``Resources.resx``)."""
    lone_default = len(members) == 1 and not side.locale.tag and not side.file.languages
    return not side.units or lone_default


def pair_files(sides: list[StringSide], skipped: list[SkippedFile]) -> list[tuple[StringSide, StringSide]]:
    """(Chinese, English) per family: the preferred Chinese variant (Simplified first) with the
    English source; every other file of the family is skipped with its reason (quietly when
    it is no string file to translate)."""
    families: dict[str, list[StringSide]] = {}
    for side in sides:
        families.setdefault(side.family, []).append(side)
    pairs, seen = [], {s.path for s in skipped}
    for family in sorted(families):
        members = families[family]
        zh = sorted((s for s in members if s.locale.lang == "zh"), key=lambda s: (s.locale.rank(), s.relative))
        en = sorted((s for s in members if s.locale.lang == "en"), key=_english_rank)
        chosen = (zh[0], en[0]) if zh and en else None
        if chosen:
            pairs.append(chosen)
        for side in members:
            if (chosen is None or side not in chosen) and path_text(side.path) not in seen and \
                    not (chosen and side.path in (chosen[0].path, chosen[1].path)):
                seen.add(path_text(side.path))
                skipped.append(SkippedFile(path_text(side.path), _unpaired_reason(side, chosen),
                                           not _no_string_file(side, members)))
    return pairs


def _side_document(side: StringSide, lang: str, doc_id: str, normalizer: Normalizer
                   ) -> tuple[Document, list[NormalizedParagraph], dict[int, Sentence]]:
    """A side as a document of one paragraph per unit with text (in a text of the units one
    a line), normalized; and the sentence of each unit (by position)."""
    paragraphs, pos = [], 0
    for unit in side.units:
        if unit.text.strip():
            paragraphs.append(Paragraph(doc_id, len(paragraphs), pos, pos + len(unit.text), unit.text, lang, unit.key,
                                        f"plural:{unit.plural}" if unit.plural else "string"))
            pos += len(unit.text) + 1
    document = Document(doc_id, path_text(side.path), "utf-8", tuple(paragraphs), format=f"{side.file.format}-strings",
                        name=side.relative)
    normalized = list(normalizer.paragraphs(document.paragraphs))
    sentences, units = {}, [u for u in side.units if u.text.strip()]
    for n, (para, unit) in enumerate(zip(normalized, units)):
        if para.text.strip():
            p = para.paragraph
            garble, flags = GarbleMeter.of(para)(p.start, p.end)
            sentences[unit.position] = Sentence(sentence_id(doc_id, lang, n), doc_id, p.index, n, lang, para.text,
                                                p.start, p.end, garble, flags, p.location, p.kind,
                                                placeholder_markup(para.text, unit.hash_arg))
    return document, normalized, sentences


def _unique(doc_id: str, used: set[str]) -> str:
    while doc_id in used:
        doc_id += "_"
    used.add(doc_id)
    return doc_id


def keyed_part(zh: StringSide, en: StringSide, normalizer: Normalizer, used: set[str], group: int) -> KeyedPart:
    """Pair two sides by key; every unit with text is in a pair or in ``unaligned``."""
    found = pair_by_key(zh.units, en.units)
    built = {}
    for side, lang in ((zh, "zh"), (en, "en")):
        base = document_id(side.path, side.root) + (f".{lang}" if side.file.languages else "")
        built[lang] = _side_document(side, lang, _unique(base, used), normalizer)
    pairs, unaligned = [], []
    for z, e in found.pairs:
        zs, es = built["zh"][2].get(z.position), built["en"][2].get(e.position)
        if zs and es:
            pairs.append((zs, es))
        unaligned += [Unaligned(s, "empty_value", f"the other value of {e.key} is empty after normalization")
                      for s in (zs, es) if s and not (zs and es)]
    unaligned += [Unaligned(built[u.lang][2][u.unit.position], u.reason, u.detail) for u in found.left
                  if u.unit.position in built[u.lang][2]]
    sentences = tuple(s for lang in ("zh", "en") for s in built[lang][2].values())
    return KeyedPart((built["zh"][0], built["en"][0]), {built[lang][0].doc_id: built[lang][1] for lang in built},
                     sentences, tuple(pairs), tuple(unaligned), group)


def prepare_keyed(found: list[tuple[Path, Path | None]], normalizer: Normalizer, taken_ids=frozenset(),
                  first_group: int = -1) -> KeyedInput:
    """Read the string files ``found`` (``(path, input folder)``), pair them by locale and
    their units by key; the parts are groups ``first_group``, ``first_group - 1``, …"""
    skipped: list[SkippedFile] = []
    file_pairs = pair_files(read_sides(found, skipped), skipped)
    used = set(taken_ids)
    parts = tuple(keyed_part(zh, en, normalizer, used, first_group - k) for k, (zh, en) in enumerate(file_pairs))
    return KeyedInput(parts, tuple(sorted(skipped, key=lambda s: s.path)))
