"""Existing bitext: pairs that are already aligned, from TMX, XLIFF (translate-toolkit), TSV
(``zh<TAB>en[<TAB>...]``) or Moses pairs of files (``corpus.zh`` beside ``corpus.en``).
Each pair keeps its location in the file and, where the file says, its language tags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..language import detect_language

BITEXT_SUFFIXES = (".tmx", ".xlf", ".xliff", ".tsv", ".zh", ".en")


@dataclass(frozen=True)
class BitextPair:
    zh: str
    en: str
    location: str  # "tu 3", "unit 7", "line 12"


@dataclass(frozen=True)
class Bitext:
    path: str
    format: str
    pairs: tuple[BitextPair, ...]
    zh_tag: str = "zh"
    en_tag: str = "en"


def _tmx(path: Path) -> Bitext:
    from ..io.tmx import read_tmx_file

    tmx = read_tmx_file(path)
    pairs = tuple(BitextPair(u.zh, u.en, f"tu {u.tuid}") for u in tmx.units)
    first = tmx.units[0] if tmx.units else None
    return Bitext(str(path), "tmx", pairs, first.zh_lang if first else "zh", first.en_lang if first else "en")


def _xliff(path: Path) -> Bitext:
    from translate.storage import factory

    try:
        store = factory.getobject(str(path))
    except Exception as exc:  # translate-toolkit raises parser-specific errors
        raise InputError(f"{path}: not a readable XLIFF file ({type(exc).__name__})") from exc
    source_tag = store.getsourcelanguage() or ""
    target_tag = store.gettargetlanguage() or ""
    pairs = []
    for n, unit in enumerate(store.units, 1):
        if unit.isheader() or not unit.source or not unit.target:
            continue
        source, target = str(unit.source), str(unit.target)
        source_is_zh = source_tag.lower().startswith("zh") or (not source_tag and detect_language(source) == "zh")
        zh, en = (source, target) if source_is_zh else (target, source)
        pairs.append(BitextPair(zh, en, f"unit {(unit.getid() or str(n)).split(chr(4))[-1]}"))
    zh_tag, en_tag = (source_tag, target_tag) if source_tag.lower().startswith("zh") else (target_tag, source_tag)
    return Bitext(str(path), "xliff", tuple(pairs), zh_tag or "zh", en_tag or "en")


def _tsv(path: Path) -> Bitext:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            continue
        a, b = cells[0].strip(), cells[1].strip()
        zh, en = (a, b) if detect_language(a) == "zh" or detect_language(b) == "en" else (b, a)
        pairs.append(BitextPair(zh, en, f"line {number}"))
    return Bitext(str(path), "tsv", tuple(pairs))


def _moses(path: Path) -> Bitext:
    zh_path, en_path = path.with_suffix(".zh"), path.with_suffix(".en")
    for p in (zh_path, en_path):
        if not p.is_file():
            raise InputError(f"{p}: missing (a Moses pair needs NAME.zh and NAME.en)")
    zh = zh_path.read_text(encoding="utf-8").splitlines()
    en = en_path.read_text(encoding="utf-8").splitlines()
    if len(zh) != len(en):
        raise InputError(f"{zh_path}: {len(zh)} lines, but {en_path} has {len(en)}")
    pairs = tuple(BitextPair(a.strip(), b.strip(), f"line {n}") for n, (a, b) in enumerate(zip(zh, en), 1)
                  if a.strip() and b.strip())
    return Bitext(str(zh_path.with_suffix("")), "moses", pairs)


def read_bitext(path: str | Path) -> Bitext:
    """Read aligned pairs from a TMX, XLIFF, TSV or Moses (``NAME.zh`` + ``NAME.en``) file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".zh", ".en"):
        bitext = _moses(path)
    elif not path.is_file():
        raise InputError(f"{path}: no such file")
    elif suffix == ".tmx":
        bitext = _tmx(path)
    elif suffix in (".xlf", ".xliff"):
        bitext = _xliff(path)
    elif suffix == ".tsv":
        bitext = _tsv(path)
    else:
        raise InputError(f"{path}: not a bitext file (use .tmx, .xlf, .xliff, .tsv, or NAME.zh with NAME.en)")
    if not bitext.pairs:
        raise InputError(f"{path}: no zh-en pairs found")
    return bitext
