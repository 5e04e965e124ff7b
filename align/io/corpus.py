"""Reading a corpus of pairs, one reader for ``--bitext`` input and for rescoring alike: TMX
(any tool's, or ``align run``'s with its scores and signatures), XLIFF and gettext PO
(translate-toolkit), TSV (``zh<TAB>en[<TAB>...]``), Moses pairs of files (``corpus.zh``
beside ``corpus.en``) and the JSONL ``align run`` writes.

Each pair is a ``CorpusEntry``: its texts, its location in the file, what the file says of it
(its method, the signals a corpus records) and the unit, record or row it came from, so that
a writer can give it back as it came. A corpus also carries the signatures it was scored
with, where it says (the TMX header's ``x-*-signature`` props; the ``run.json`` beside a JSONL
whose records carry that run's signature id)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..errors import InputError
from ..language import DEFAULT_TAGS, block_language, detect_language
from .decode import decode_bytes
from .jsonl import read_jsonl
from .streams import STDIN, compression_of, inner_path, read_input
from .tmx import TmxHeader, TranslationUnit, read_tmx_file

BITEXT_SUFFIXES = (".tmx", ".xlf", ".xliff", ".po", ".pot", ".tsv", ".zh", ".en")
# Files that are bitext by their extension wherever they are found (a folder walk too): a TSV
# or a .zh file may be anything, so those are bitext only when given as such.
TRANSLATION_FILES = (".tmx", ".xlf", ".xliff", ".po", ".pot")
_STORE_NAMES = MappingProxyType({"xliff": "XLIFF", "po": "gettext PO"})
UNKNOWN_METHOD = "bitext"  # the method of a pair whose file does not say (score.quality.BITEXT)
SIGNAL_PROP = "x-signal-"
RECORDED_COLUMNS = ("margin", "garble")  # the TSV columns ``align`` writes for what a file cannot give again


@dataclass(frozen=True)
class TsvLayout:
    """Which TSV columns hold the two languages (1-based; ``None``: found from the text) and
    whether the first line is a header (``None``: when it reads as column names)."""

    zh_col: int | None = None
    en_col: int | None = None
    header: bool | None = None


@dataclass(frozen=True)
class CorpusEntry:
    """One pair of a corpus as read: its texts, what the file said of it, and the record
    (JSONL), translation unit (TMX, and how a TMX written from another format holds the pair)
    or row (TSV) it came from, to be written back with new scores."""

    zh: str
    en: str
    signals: dict = field(default_factory=dict, hash=False)
    zh_translation: str = ""
    en_translation: str = ""
    record: dict | None = field(default=None, hash=False)
    method: str = UNKNOWN_METHOD  # how the pair was found, where the corpus says (else: unknown, bitext)
    unit: TranslationUnit | None = None
    cells: tuple[str, ...] = ()  # the TSV row it came from, every column
    location: str = ""  # "tu 3", "unit 7", "line 12"


@dataclass(frozen=True)
class Corpus:
    path: Path  # the file (a Moses pair: its name without .zh or .en)
    format: str  # tmx, xliff, po, tsv, moses or jsonl
    entries: tuple[CorpusEntry, ...]
    tmx_header: TmxHeader = TmxHeader()
    tsv_header: tuple[str, ...] = ()  # a TSV's header line
    tags: tuple[str, str] = DEFAULT_TAGS  # the language tags the file says, else the default ones
    signatures: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False, compare=False)

    @property
    def encoder_signature(self) -> str:
        """The encoder that measured the corpus's signals, where it says."""
        return self.signatures.get("encoder", "")


def _number(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def header_signatures(props) -> dict[str, str]:
    """``{name: signature}`` of a TMX header's ``x-NAME-signature`` props (``align run`` writes them).

    >>> header_signatures((("x-encoder-signature", "use"), ("x-note", "n")))
    {'encoder': 'use'}
    """
    suffix = "-signature"
    return {k[2 : -len(suffix)]: v for k, v in props if k.startswith("x-") and k.endswith(suffix) and len(k) > 12}


def _tmx(path: Path) -> Corpus:
    """Every unit with both a Chinese and an English variant, with its method and the signals
    its ``x-signal-*`` props record."""
    tmx = read_tmx_file(path)
    entries = []
    for unit in tmx.units:
        signals = {k.removeprefix(SIGNAL_PROP): _number(v) for k, v in unit.props if k.startswith(SIGNAL_PROP)}
        method = dict(unit.props).get("x-method", UNKNOWN_METHOD)
        entries.append(CorpusEntry(unit.zh, unit.en, signals, unit=unit, method=method, location=f"tu {unit.tuid}"))
    first = tmx.units[0] if tmx.units else None
    return Corpus(path, "tmx", tuple(entries), tmx.header, tags=(first.zh_lang, first.en_lang) if first else DEFAULT_TAGS,
                  signatures=MappingProxyType(header_signatures(tmx.header.props)))


def _pair(zh: str, en: str, location: str, tags: tuple[str, str], markup: tuple[str, str] = ("", ""),
          cells: tuple[str, ...] = (), method: str = UNKNOWN_METHOD, signals: dict | None = None) -> CorpusEntry:
    """The entry of a pair of a file that is not TMX; its unit is how a TMX written from it holds it."""
    unit = TranslationUnit(location, zh, en, (), tags[0], tags[1], *markup)
    return CorpusEntry(zh, en, signals or {}, record={"id": location, "zh": zh, "en": en}, method=method, unit=unit,
                       cells=cells, location=location)


def _corpus(path: Path, fmt: str, entries: list[CorpusEntry], tags: tuple[str, str] = DEFAULT_TAGS,
            tsv_header: tuple[str, ...] = ()) -> Corpus:
    return Corpus(path, fmt, tuple(entries), TmxHeader(srclang=tags[0]), tsv_header, tags)


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


def _store_tags(store) -> tuple[str, str, bool | None]:
    """A store's Chinese and English tags (standard form, else the default ones), and whether
    its source is Chinese (``None``: the file does not say; the text decides)."""
    source_tag, target_tag = store.getsourcelanguage() or "", store.gettargetlanguage() or ""
    zh_tag, en_tag = (source_tag, target_tag) if source_tag.lower().startswith("zh") else (target_tag, source_tag)
    tags = (_standard_tag(zh_tag, "zh") if zh_tag else DEFAULT_TAGS[0], _standard_tag(en_tag, "en") if en_tag else DEFAULT_TAGS[1])
    return tags[0], tags[1], (True if source_tag.lower().startswith("zh") else None if not source_tag else False)


def _translation_store(path: Path, fmt: str) -> Corpus:
    """XLIFF or gettext PO through translate-toolkit: the translated units (not the header, nor
    a PO's fuzzy or obsolete ones), the side in Chinese found from the file's languages or the text."""
    from translate.storage import factory

    try:
        store = factory.getobject(str(path))
    except Exception as exc:  # translate-toolkit raises parser-specific errors
        raise InputError(f"{path}: not a readable {_STORE_NAMES[fmt]} file ({type(exc).__name__})") from exc
    zh_tag, en_tag, source_is_zh = _store_tags(store)
    entries = []
    for n, unit in enumerate(store.units, 1):
        if unit.isheader() or not unit.source or not unit.target:
            continue
        if fmt == "po" and (unit.isfuzzy() or unit.isobsolete()):  # a translator's draft, or gone from the code
            continue
        (source, source_markup), (target, target_markup) = _segments(unit, fmt)
        zh_first = source_is_zh if source_is_zh is not None else detect_language(source) == "zh"
        (zh, zh_markup), (en, en_markup) = (((source, source_markup), (target, target_markup)) if zh_first
                                            else ((target, target_markup), (source, source_markup)))
        location = f"unit {(unit.getid() or str(n)).split(chr(4))[-1]}"
        entries.append(_pair(zh, en, location, (zh_tag, en_tag), (zh_markup, en_markup)))
    return _corpus(path, fmt, entries, (zh_tag, en_tag))


_HEADER_WORDS = frozenset("zh en zh-cn en-us chinese english src trg tgt source target text translation score "
                          "quality url url1 url2 src_url trg_url id method margin garble label".split())
_NOT_TEXT = frozenset("score quality url url1 url2 src_url trg_url id method margin garble label".split())


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


def _row_entry(number: int, cells: list[str], columns: tuple[int, int], named: dict[str, int]) -> CorpusEntry:
    """A TSV row's pair; a header that names a ``method`` column (as the TSV ``align`` writes)
    gives the pair its method and its recorded ``margin`` and ``garble``."""
    def cell(name: str) -> str:
        k = named.get(name)
        return cells[k].strip() if k is not None and k < len(cells) else ""

    signals = {name: _number(cell(name)) for name in RECORDED_COLUMNS if cell(name)}
    return _pair(cells[columns[0]].strip(), cells[columns[1]].strip(), f"line {number}", DEFAULT_TAGS, cells=tuple(cells),
                 method=cell("method") or UNKNOWN_METHOD, signals={k: v for k, v in signals.items() if isinstance(v, float)})


def _tsv(path: Path, layout: TsvLayout) -> Corpus:
    text, _ = decode_bytes(read_input(path))
    lines = text.replace("\r\n", "\n").split("\n")
    rows = [(number, line.split("\t")) for number, line in enumerate(lines, 1) if line.strip()]
    if not rows:
        return _corpus(path, "tsv", [])
    first = [c.strip().lower() for c in rows[0][1]]
    has_header = layout.header if layout.header is not None else all(c in _HEADER_WORDS for c in first if c)
    header = tuple(rows[0][1]) if has_header else ()
    rows = rows[1:] if has_header else rows
    if not rows:
        return _corpus(path, "tsv", [], tsv_header=header)
    columns = _columns([cells for _, cells in rows], layout, path, header)
    named = {name.strip().lower(): k for k, name in enumerate(header)}
    entries = [_row_entry(number, cells, columns, named) for number, cells in rows
               if max(columns) < len(cells) and cells[columns[0]].strip() and cells[columns[1]].strip()]
    return _corpus(path, "tsv", entries, tsv_header=header)


def _moses(path: Path) -> Corpus:
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
    return _corpus(base, "moses", [_pair(a.strip(), b.strip(), f"line {n}", DEFAULT_TAGS)
                                   for n, (a, b) in enumerate(zip(zh, en), 1) if a.strip() and b.strip()])


def record_entry(record: dict) -> CorpusEntry:
    """The entry of a corpus record (``corpus.jsonl``) with its texts ``zh`` and ``en``."""
    signals = record.get("signals") if isinstance(record.get("signals"), dict) else {}
    signals = {k: v for k, v in signals.items() if v is not None}  # a signal a run did not compute
    return CorpusEntry(record["zh"], record["en"], signals, str(record.get("zh_translation") or ""),
                       str(record.get("en_translation") or ""), record=record,
                       method=str(record.get("method") or UNKNOWN_METHOD), location=str(record.get("id") or ""))


def _run_signatures(path: Path, entries: list[CorpusEntry]) -> dict[str, str]:
    """The signatures of the ``align run`` that wrote ``path``, from the run.json beside it (when
    the records carry that run's signature id)."""
    run_json = path.parent / "run.json"
    if not entries or not run_json.is_file():
        return {}
    try:
        run = json.loads(run_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not JSON, not UTF-8
        return {}
    if not isinstance(run, dict) or not run.get("signature") or not isinstance(run.get("signatures"), dict):
        return {}
    same_run = all((e.record or {}).get("signature") == run["signature"] for e in entries)
    return {str(k): str(v) for k, v in run["signatures"].items()} if same_run else {}


def _jsonl(path: Path) -> Corpus:
    entries = []
    for number, record in read_jsonl(path):
        if isinstance(record.get("translation"), dict) and "zh" not in record:  # the Hugging Face layout
            texts = list(record["translation"].values())
            record = {**record, "zh": texts[0] if texts else None, "en": texts[1] if len(texts) > 1 else None}
        if not isinstance(record.get("zh"), str) or not isinstance(record.get("en"), str):
            raise InputError(f"{path}:{number}: not a corpus record with 'zh' and 'en' texts")
        entries.append(record_entry(record))
    return Corpus(path, "jsonl", tuple(entries), signatures=MappingProxyType(_run_signatures(path, entries)))


def _suffix(path: Path) -> str:
    return ".tsv" if str(path) == STDIN else inner_path(path).suffix.lower()  # standard input: TSV


def read_corpus(path: str | Path, layout: TsvLayout | None = None) -> Corpus:
    """Read the pairs of a corpus: TMX, XLIFF, PO, TSV (``layout``: which columns, a header),
    a Moses pair (``NAME.zh`` + ``NAME.en``) or, for any other name, ``align run``'s JSONL."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix in (".zh", ".en"):
        corpus = _moses(path)
    elif str(path) != STDIN and not path.is_file():
        raise InputError(f"{path}: no such file")
    elif suffix == ".tmx":
        corpus = _tmx(path)
    elif suffix in (".xlf", ".xliff"):
        corpus = _translation_store(path, "xliff")
    elif suffix in (".po", ".pot"):
        corpus = _translation_store(path, "po")
    elif suffix == ".tsv":
        corpus = _tsv(path, layout or TsvLayout())
    else:
        corpus = _jsonl(path)
    if not corpus.entries:
        raise InputError(f"{path}: no zh-en pairs found")
    return corpus


def read_bitext(path: str | Path, layout: TsvLayout | None = None) -> Corpus:
    """Read pairs given as they are (``--bitext``): a TMX, XLIFF, PO, TSV or Moses file."""
    path = Path(path)
    if _suffix(path) not in BITEXT_SUFFIXES and (str(path) == STDIN or path.is_file()):
        raise InputError(f"{path}: not a bitext file (use .tmx, .xlf, .xliff, .po, .tsv, or NAME.zh with NAME.en)")
    return read_corpus(path, layout)
