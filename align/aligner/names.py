"""Document pairing from what the user gives: file names, mirrored folders and a manifest.

A documentation site and its translation are laid out by name: ``NAME.zh.md`` beside
``NAME.en.md`` (or ``NAME.zh-CN.md``, ``NAME_zh.md``, ``NAME-zh.md``), ``README.md`` beside
``README.zh-CN.md``, or mirrored trees (``content/en/docs/P`` and ``content/zh-cn/docs/P``).
Names say which documents *belong together*, not that one translates the other sentence by
sentence: the content of each pair decides how it is aligned (``documents.check_document_pairs``).
A ``--pairs`` manifest (TSV: Chinese path, English path, and optionally ``translation`` in a
third column) says it explicitly and wins over names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..errors import InputError
from ..records import PairDecision

# Language codes as they appear in file and folder names (lower case), and the language they mean.
_CODES = MappingProxyType({"zh": "zh", "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "zh_hans": "zh", "zh-sg": "zh", "cn": "zh",
          "chs": "zh", "zh-tw": "zh", "zh_tw": "zh", "zh-hk": "zh", "zh-hant": "zh", "zh_hant": "zh", "cht": "zh",
          "chinese": "zh", "en": "en", "en-us": "en", "en_us": "en", "en-gb": "en", "en_gb": "en", "english": "en"})
# The preferred Chinese variant when a name has several (zh-CN before zh-TW).
_PREFERENCE = ("zh-cn", "zh_cn", "zh", "zh-hans", "zh_hans", "cn", "chs", "chinese", "zh-sg")
_NAME_MARK = re.compile(r"(?i)[._-](zh(?:[-_](?:cn|hans|hant|tw|hk|sg))?|cn|chs|cht|en(?:[-_](?:us|gb))?|"
                        r"chinese|english)$")


@dataclass(frozen=True)
class DocumentPair:
    """A Chinese document and its English counterpart, and how the pair was decided:
    ``manifest`` (``--pairs``), ``name`` (file or folder names). ``asserted``: the manifest
    says that one is a translation of the other. ``aligned`` (``parallel`` or ``comparable``)
    and its ``evidence`` are set once the content has been checked."""

    zh_doc: str
    en_doc: str
    how: str
    asserted: bool = False
    aligned: str = ""
    evidence: PairDecision | None = None
    zh_more: tuple[str, ...] = ()  # documents that continue zh_doc (a chapter one edition splits), in order
    en_more: tuple[str, ...] = ()

    @property
    def zh_docs(self) -> tuple[str, ...]:
        return (self.zh_doc,) + self.zh_more

    @property
    def en_docs(self) -> tuple[str, ...]:
        return (self.en_doc,) + self.en_more

    @property
    def content_disagrees(self) -> bool:
        """The manifest asserts a translation that the content does not show."""
        return self.asserted and self.evidence is not None and self.evidence.kind != "parallel"


@dataclass(frozen=True)
class NameKey:
    """A file's name with its language mark taken out, the language the mark says (``None``
    when the name has none) and the mark itself."""

    key: str
    lang: str | None
    mark: str = ""


def name_key(path: str) -> NameKey:
    """Where the language is marked in a path (file name first, then a folder), and the path
    without it; the extension is not part of the key.

    >>> name_key("docs/intro.zh-CN.md"), name_key("docs/intro_en.md")
    (NameKey(key='docs/intro', lang='zh', mark='zh-cn'), NameKey(key='docs/intro', lang='en', mark='en'))
    >>> name_key("content/zh-cn/docs/setup.md")
    NameKey(key='content/*/docs/setup', lang='zh', mark='zh-cn')
    >>> name_key("README.md")
    NameKey(key='README', lang=None, mark='')
    """
    parts = Path(path).parts
    stem = parts[-1].split(".", 1)[0] if not parts[-1].startswith(".") else parts[-1]
    rest = parts[-1][len(stem):]
    middle = rest.rsplit(".", 1)[0] if rest.count(".") > 1 else ""  # NAME.zh-CN.md: the mark is a suffix
    folders = list(parts[:-1])
    if middle and middle.lstrip(".").lower() in _CODES:
        mark = middle.lstrip(".").lower()
        return NameKey("/".join(folders + [stem]), _CODES[mark], mark)
    found = _NAME_MARK.search(stem)
    if found and found.start() > 0:
        mark = found.group(1).lower()
        return NameKey("/".join(folders + [stem[: found.start()]]), _CODES[mark], mark)
    for i in range(len(folders) - 1, -1, -1):
        if folders[i].lower() in _CODES:
            mark = folders[i].lower()
            return NameKey("/".join(folders[:i] + ["*"] + folders[i + 1:] + [stem]), _CODES[mark], mark)
    return NameKey("/".join(folders + [stem]), None, "")


def _rank(mark: str) -> tuple[int, str]:
    return (_PREFERENCE.index(mark) if mark in _PREFERENCE else len(_PREFERENCE), mark)


def pair_by_name(documents: dict[str, tuple[str, str]]) -> list[DocumentPair]:
    """Pairs of documents whose names differ only by their language mark. ``documents`` maps
    each document id to its path (relative to its input root) and the language most of its
    text is in. A name without a mark (``README.md``) pairs with a marked name of the other
    language; a mark must agree with the text's language."""
    groups: dict[str, list[tuple[NameKey, str, str]]] = {}
    for doc_id, (path, text_lang) in sorted(documents.items()):
        found = name_key(path)
        if found.lang is not None and found.lang != text_lang:
            continue
        groups.setdefault(found.key, []).append((found, doc_id, text_lang))
    pairs = []
    for members in groups.values():
        zh = sorted((m for m in members if m[2] == "zh"), key=lambda m: (m[0].lang is None, _rank(m[0].mark), m[1]))
        en = sorted((m for m in members if m[2] == "en"), key=lambda m: (m[0].lang is None, m[1]))
        if not zh or not en or (zh[0][0].lang is None and en[0][0].lang is None):
            continue
        pairs.append(DocumentPair(zh[0][1], en[0][1], "name"))
    return sorted(pairs, key=lambda p: (p.zh_doc, p.en_doc))


def read_manifest(path: str | os.PathLike, documents: dict[str, str]) -> list[DocumentPair]:
    """The pairs a TSV manifest names (Chinese path, English path a line, optionally a third
    cell ``translation``: the user asserts that the pair is parallel; ``#`` comments).
    ``documents`` maps each document's file path to its id; a path that names no input file
    is an error."""
    by_path = {os.path.realpath(p): doc for p, doc in documents.items()}
    base = Path(path).parent
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the pairs manifest ({getattr(exc, 'strerror', None) or exc})") from exc
    pairs, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) not in (2, 3) or (len(cells) == 3 and cells[2].strip().lower() not in ("", "translation")):
            raise InputError(f"{path}: line {number}: expected a Chinese path and an English path separated by a tab "
                             "(and optionally 'translation')")
        ids = []
        for cell in cells[:2]:
            candidates = [Path(cell.strip()), base / cell.strip()]
            doc = next((by_path[os.path.realpath(c)] for c in candidates if os.path.realpath(c) in by_path), None)
            if doc is None:
                raise InputError(f"{path}: line {number}: {cell.strip()!r} is not one of the input files")
            ids.append(doc)
        if ids[0] in seen or ids[1] in seen:
            raise InputError(f"{path}: line {number}: a document is paired twice")
        seen.update(ids)
        pairs.append(DocumentPair(ids[0], ids[1], "manifest", len(cells) == 3 and bool(cells[2].strip())))
    return pairs


def document_pairs(documents: dict[str, tuple[str, str, str]], manifest: str | None = None,
                   by_name: bool = True) -> list[DocumentPair]:
    """The manifest's pairs, then (with ``by_name``) name pairs among the documents it does
    not name. ``documents`` maps each id to (file path, path relative to its input root, main
    language)."""
    pairs = read_manifest(manifest, {path: doc for doc, (path, _, _) in documents.items()}) if manifest else []
    if not by_name:
        return pairs
    taken = {d for p in pairs for d in (p.zh_doc, p.en_doc)}
    rest = {doc: (rel, lang) for doc, (_, rel, lang) in documents.items() if doc not in taken}
    return sorted(pairs + pair_by_name(rest), key=lambda p: (p.zh_doc, p.en_doc))
