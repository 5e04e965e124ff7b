"""Existing bitext: pairs that are already aligned, from TMX, XLIFF and gettext PO
(translate-toolkit), TSV (``zh<TAB>en[<TAB>...]``) or Moses pairs of files (``corpus.zh``
beside ``corpus.en``).
Each pair keeps its location in the file and, where the file says, its language tags."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from pathlib import Path

from ..errors import InputError
from ..io.streams import STDIN, compression_of, inner_path, read_input
from ..language import DEFAULT_TAGS, block_language, detect_language
from .text import decode_bytes

BITEXT_SUFFIXES = (".tmx", ".xlf", ".xliff", ".po", ".pot", ".tsv", ".zh", ".en")
# Files that are bitext by their extension wherever they are found (a folder walk too): a TSV
# or a .zh file may be anything, so those are bitext only when given as such.
TRANSLATION_FILES = (".tmx", ".xlf", ".xliff", ".po", ".pot")
_STORE_NAMES = MappingProxyType({"xliff": "XLIFF", "po": "gettext PO"})


@dataclass(frozen=True)
class BitextPair:
    zh: str
    en: str
    location: str  # "tu 3", "unit 7", "line 12"
    cells: tuple[str, ...] = ()  # a TSV row as read, every column (to write it back with a score)
    zh_markup: str = ""  # an XLIFF segment's inline elements as TMX markup (xliff_inline)
    en_markup: str = ""


@dataclass(frozen=True)
class TsvLayout:
    """Which TSV columns hold the two languages (1-based; ``None``: found from the text) and
    whether the first line is a header (``None``: when it reads as column names)."""

    zh_col: int | None = None
    en_col: int | None = None
    header: bool | None = None


_HEADER_WORDS = frozenset("zh en zh-cn en-us chinese english src trg tgt source target text translation score "
                          "quality url url1 url2 src_url trg_url id method margin garble label".split())


_NOT_TEXT = frozenset("score quality url url1 url2 src_url trg_url id method margin garble label".split())


@dataclass(frozen=True)
class Bitext:
    path: str
    format: str
    pairs: tuple[BitextPair, ...]
    zh_tag: str = DEFAULT_TAGS[0]  # what the file says, else the default tags
    en_tag: str = DEFAULT_TAGS[1]
    header: tuple[str, ...] = ()  # a TSV header line, as read


def _tmx(path: Path) -> Bitext:
    from ..io.tmx import read_tmx_file

    tmx = read_tmx_file(path)
    pairs = tuple(BitextPair(u.zh, u.en, f"tu {u.tuid}", zh_markup=u.zh_markup, en_markup=u.en_markup)
                  for u in tmx.units)
    first = tmx.units[0] if tmx.units else None
    return Bitext(str(path), "tmx", pairs, first.zh_lang if first else DEFAULT_TAGS[0],
                  first.en_lang if first else DEFAULT_TAGS[1])


def _standard_tag(tag: str, lang: str) -> str:
    """A file's language tag in standard form (``zh_CN`` is ``zh-CN``); kept as written when
    it is not a tag of ``lang``."""
    from ..errors import ConfigurationError
    from ..language import language_tag

    try:
        return language_tag(tag, lang)
    except ConfigurationError:
        return tag


def _segments(unit, fmt: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(text, TMX markup) of a unit's source and target: an XLIFF segment's inline elements
    are kept as TMX ones (``xliff_inline``), and their codes are no part of the text."""
    element = getattr(unit, "xmlelement", None) if fmt == "xliff" else None
    if element is None:
        return (str(unit.source), ""), (str(unit.target), "")
    from .xliff_inline import inline_segment

    parts = {_local_name(child.tag): child for child in element}
    if "source" not in parts or "target" not in parts:
        return (str(unit.source), ""), (str(unit.target), "")
    return inline_segment(parts["source"]), inline_segment(parts["target"])


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _translation_store(path: Path, fmt: str) -> Bitext:
    """XLIFF or gettext PO through translate-toolkit: the translated units (not the header, nor
    a PO's fuzzy or obsolete ones), the side in Chinese found from the file's languages or the text."""
    from translate.storage import factory

    try:
        store = factory.getobject(str(path))
    except Exception as exc:  # translate-toolkit raises parser-specific errors
        raise InputError(f"{path}: not a readable {_STORE_NAMES[fmt]} file ({type(exc).__name__})") from exc
    source_tag = store.getsourcelanguage() or ""
    target_tag = store.gettargetlanguage() or ""
    pairs = []
    for n, unit in enumerate(store.units, 1):
        if unit.isheader() or not unit.source or not unit.target:
            continue
        if fmt == "po" and (unit.isfuzzy() or unit.isobsolete()):  # a translator's draft, or gone from the code
            continue
        (source, source_markup), (target, target_markup) = _segments(unit, fmt)
        source_is_zh = source_tag.lower().startswith("zh") or (not source_tag and detect_language(source) == "zh")
        (zh, zh_markup), (en, en_markup) = (((source, source_markup), (target, target_markup)) if source_is_zh
                                            else ((target, target_markup), (source, source_markup)))
        pairs.append(BitextPair(zh, en, f"unit {(unit.getid() or str(n)).split(chr(4))[-1]}", (), zh_markup, en_markup))
    zh_tag, en_tag = (source_tag, target_tag) if source_tag.lower().startswith("zh") else (target_tag, source_tag)
    return Bitext(str(path), fmt, tuple(pairs), _standard_tag(zh_tag, "zh") if zh_tag else DEFAULT_TAGS[0],
                  _standard_tag(en_tag, "en") if en_tag else DEFAULT_TAGS[1])


def _columns(rows: list[list[str]], layout: TsvLayout, path: Path, header: tuple[str, ...] = ()) -> tuple[int, int]:
    """The 0-based Chinese and English columns: as given, else the columns whose cells read
    mostly as Chinese and as English (in the first 200 rows), but for those the header names
    as something else than text (a label, a score, an id)."""
    width = max(len(r) for r in rows)
    if layout.zh_col is not None and layout.en_col is not None:
        if max(layout.zh_col, layout.en_col) > width or layout.zh_col == layout.en_col:
            raise InputError(f"{path}: --zh-col {layout.zh_col} and --en-col {layout.en_col} do not fit its {width} columns")
        return layout.zh_col - 1, layout.en_col - 1
    share = {"zh": [0] * width, "en": [0] * width}
    sample = rows[:200]
    not_text = {k for k, name in enumerate(header) if name.strip().lower() in _NOT_TEXT}
    for row in sample:
        for k, cell in enumerate(row):
            lang = block_language(cell) if cell.strip() and k not in not_text else "other"
            if lang in share:
                share[lang][k] += 1
    zh = layout.zh_col - 1 if layout.zh_col else max(range(width), key=lambda k: share["zh"][k])
    en = layout.en_col - 1 if layout.en_col else max((k for k in range(width) if k != zh), key=lambda k: share["en"][k],
                                                     default=zh)
    if en == zh or share["zh"][zh] < 0.5 * len(sample) or share["en"][en] < 0.5 * len(sample):
        raise InputError(f"{path}: no column reads as Chinese beside one that reads as English "
                         f"({width} columns): say which with --zh-col N --en-col N")
    return zh, en


def _tsv(path: Path, layout: TsvLayout = TsvLayout()) -> Bitext:
    text, _ = decode_bytes(read_input(path))
    lines = text.replace("\r\n", "\n").split("\n")
    rows = [(number, line.split("\t")) for number, line in enumerate(lines, 1) if line.strip()]
    if not rows:
        return Bitext(str(path), "tsv", ())
    first = [c.strip().lower() for c in rows[0][1]]
    has_header = layout.header if layout.header is not None else all(c in _HEADER_WORDS for c in first if c)
    header = tuple(rows[0][1]) if has_header else ()
    rows = rows[1:] if has_header else rows
    if not rows:
        return Bitext(str(path), "tsv", (), header=header)
    zh_col, en_col = _columns([cells for _, cells in rows], layout, path, header)
    pairs = []
    for number, cells in rows:
        if max(zh_col, en_col) >= len(cells) or not cells[zh_col].strip() or not cells[en_col].strip():
            continue
        pairs.append(BitextPair(cells[zh_col].strip(), cells[en_col].strip(), f"line {number}", tuple(cells)))
    return Bitext(str(path), "tsv", tuple(pairs), header=header)


def _moses(path: Path) -> Bitext:
    compressed = compression_of(path)
    base = inner_path(path).with_suffix("")
    zh_path, en_path = (base.with_name(base.name + ".zh" + compressed), base.with_name(base.name + ".en" + compressed))
    for p in (zh_path, en_path):
        if not p.is_file():
            raise InputError(f"{p}: missing (a Moses pair needs NAME.zh and NAME.en)")
    zh = decode_bytes(read_input(zh_path))[0].splitlines()
    en = decode_bytes(read_input(en_path))[0].splitlines()
    if len(zh) != len(en):
        raise InputError(f"{zh_path}: {len(zh)} lines, but {en_path} has {len(en)}")
    pairs = tuple(BitextPair(a.strip(), b.strip(), f"line {n}") for n, (a, b) in enumerate(zip(zh, en), 1)
                  if a.strip() and b.strip())
    return Bitext(str(base), "moses", pairs)


def read_bitext(path: str | Path, layout: TsvLayout = TsvLayout()) -> Bitext:
    """Read aligned pairs from a TMX, XLIFF, PO, TSV or Moses (``NAME.zh`` + ``NAME.en``) file;
    ``layout`` says where a TSV holds its texts."""
    path = Path(path)
    suffix = ".tsv" if str(path) == STDIN else inner_path(path).suffix.lower()  # standard input: TSV
    if suffix in (".zh", ".en"):
        bitext = _moses(path)
    elif str(path) != STDIN and not path.is_file():
        raise InputError(f"{path}: no such file")
    elif suffix == ".tmx":
        bitext = _tmx(path)
    elif suffix in (".xlf", ".xliff"):
        bitext = _translation_store(path, "xliff")
    elif suffix in (".po", ".pot"):
        bitext = _translation_store(path, "po")
    elif suffix == ".tsv":
        bitext = _tsv(path, layout)
    else:
        raise InputError(f"{path}: not a bitext file (use .tmx, .xlf, .xliff, .po, .tsv, or NAME.zh with NAME.en)")
    if not bitext.pairs:
        raise InputError(f"{path}: no zh-en pairs found")
    return bitext
