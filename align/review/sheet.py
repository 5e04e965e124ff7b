"""A reviewed spreadsheet (``corpus.xlsx``, written by ``--format xlsx``) read back as the
corrections of ``review.jsonl``: one code path applies both.

Each row of the sheet is a pair, named by its hidden ``key`` columns (the bead id, the sentence
ids and a digest of the texts as written). A reviewer types ``accept``, ``reject`` or ``edit``
in the ``decision`` column, or changes a text: a changed text is an edit (unless the row is
rejected). Rows may be sorted, filtered, left empty, and columns and sheets added: the sheet
read is the one whose first row holds align's columns. What the sheet cannot say for sure is
refused, naming the row: a row that names no pair of the folder, whose pair's texts changed
since the sheet was written, whose visible columns belong to another pair's key (rows sorted
without their hidden columns), a pair in two rows, a formula, a number or date where a text
was typed, or an unknown decision.
"""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .corrections import BeadRef, Correction

COLUMNS = ("zh", "en", "quality", "method", "location", "decision", "key", "zh_ids", "en_ids", "digest")
HIDDEN = ("key", "zh_ids", "en_ids", "digest")  # what names the pair; hidden from the reviewer
WRITTEN = ("quality", "method", "location")  # what align wrote beside the texts (a reviewer may delete them)
DECISIONS = ("accept", "reject", "edit")
SHEET_TITLE = "pairs"
SHEET_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SHEETS = (".ods", ".fods", ".xls", ".xlsb", ".csv", ".numbers")  # sheets align does not read
CELL_LIMIT = 32767  # the most characters a spreadsheet cell holds
MAX_ROWS = 1_048_576  # the most rows a sheet holds
MAX_EXPANDED_BYTES = 1 << 30  # what the parts of a reviewed sheet may inflate to, all together


def cell_text(text: str) -> str:
    """A text as a sheet cell holds it: characters no cell takes (controls) dropped, cut at
    the cell's limit.

    >>> cell_text("a\\x01b")
    'ab'
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)[:CELL_LIMIT]


def text_digest(zh: str, en: str) -> str:
    """What the sheet records of a pair's texts as written, to tell a sheet of other outputs.

    >>> text_digest("你好", "Hello")
    'fcfca57033f7eb38'
    """
    return hashlib.sha1(f"{zh}\x00{en}".encode("utf-8")).hexdigest()[:16]


def location(record: dict) -> str:
    """Where a pair comes from: the file and location of each side's first sentence.

    >>> location({"provenance": {"zh": [{"file": "a.zh.txt", "location": "line 3"}], "en": [{"file": "a.en.txt"}]}})
    'a.zh.txt line 3 | a.en.txt'
    """
    sides = []
    for lang in ("zh", "en"):
        entries = record.get("provenance", {}).get(lang) or [{}]
        sides.append(" ".join(x for x in (entries[0].get("file", ""), entries[0].get("location", "")) if x))
    return " | ".join(sides)


def is_sheet(path: Path) -> bool:
    """Whether ``path`` is a reviewed sheet (an .xlsx, or a zip by any name) rather than a
    ``review.jsonl``; a sheet in a format align does not read is refused with what to do."""
    suffix = path.suffix.lower()
    if suffix in OTHER_SHEETS:
        raise InputError(f"{path}: align reads a reviewed sheet as .xlsx, not {suffix}: save it as an Excel "
                         "2007-365 (.xlsx) file")
    if suffix in SHEET_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # read_review says why


def _check_expansion(path: Path, cap: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable spreadsheet ({type(exc).__name__})") from exc
    if total > cap:
        raise InputError(f"{path}: the sheet inflates to {total} bytes, over the {cap}-byte cap: not read")


def _names(row) -> dict[str, int]:
    return {str(v).strip().lower(): n for n, v in enumerate(row) if v is not None}


def _missing(names: dict[str, int]) -> list[str]:
    return [c for c in COLUMNS if c not in names and c not in WRITTEN]


def _pairs_sheet(book, path: Path):
    """The sheet whose first row holds align's columns (the one named ``pairs`` first: a
    reviewer may rename it and add sheets); two such sheets are refused."""
    sheets = sorted(book.worksheets, key=lambda s: s.title != SHEET_TITLE)
    firsts = [_names(next(s.iter_rows(max_row=1, values_only=True), ())) for s in sheets]
    found = [s for s, names in zip(sheets, firsts) if not _missing(names)]
    if len(found) > 1:
        raise InputError(f"{path}: sheets {found[0].title!r} and {found[1].title!r} both hold align's columns: "
                         "keep the one reviewed")
    if not found:
        missing = _missing(firsts[0]) if firsts else ["zh"]
        raise InputError(f"{path}: not a sheet align wrote (no {missing[0]!r} column in its first row)")
    return found[0]


def _typed(value) -> str:
    """What a cell that is not a text says: a spreadsheet makes a number, date or truth
    value of what was typed."""
    if isinstance(value, bool):
        return "a truth value"
    return "a date" if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)) else "a number"


def _value(cell, where: str) -> str:
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type != "s"):
        raise InputError(f"{where}: a formula ({str(cell.value)[:40]}), not a text: a text that starts with = "
                         "is typed with a ' before it")
    if cell.data_type == "e":
        raise InputError(f"{where}: an error value ({cell.value}), not a text")
    value = cell.value
    if isinstance(value, float) and value.is_integer() and not isinstance(value, bool):
        value = int(value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class _Pairs:
    """The folder's pairs, by id and by their texts as a cell holds them."""

    by_id: dict[str, dict]
    by_texts: dict[tuple[str, str], str]

    @classmethod
    def of(cls, records: list[dict]) -> _Pairs:
        by_texts: dict[tuple[str, str], str] = {}
        for r in records:
            by_texts.setdefault((cell_text(r["zh"]).strip(), cell_text(r["en"]).strip()), r["id"])
        return cls({r["id"]: r for r in records}, by_texts)


def _ids(text: str, where: str) -> tuple[str, ...]:
    ids = tuple(text.split())
    if not all("#" in i for i in ids):
        raise InputError(f"{where}: not sentence ids")
    return ids


def _written_here(values: dict[str, str], record: dict) -> bool:
    """Whether the row's quality, method and location (where the sheet still has them) are
    what align wrote for ``record``: they move with the texts when rows are sorted."""
    quality = values["quality"].strip().replace(",", ".")
    if quality:
        try:
            if abs(float(quality) - round(float(record["quality"]), 4)) > 5e-5:
                return False
        except ValueError:
            return False
    return all(not values[name].strip() or values[name].strip() == want.strip()
               for name, want in (("method", str(record["method"])), ("location", location(record))))


def _record(values: dict[str, str], records: dict[str, dict], where: str) -> dict:
    """The pair the row's hidden columns name, refused unless the row is still that pair's."""
    key = values["key"].strip()
    if not key:
        raise InputError(f"{where}: no key: a row align did not write (a pair is not added in the sheet)")
    zh_ids, en_ids = _ids(values["zh_ids"], where), _ids(values["en_ids"], where)
    record = records.get(key)
    if record is None or (tuple(record["zh_ids"]), tuple(record["en_ids"])) != (zh_ids, en_ids):
        raise InputError(f"{where}: no pair {values['key']!r} in these outputs")
    if text_digest(record["zh"], record["en"]) != values["digest"].strip():
        raise InputError(f"{where}: the texts of pair {key} are not what the sheet was written with")
    if not _written_here(values, record):
        raise InputError(f"{where}: its quality, method or location are not those of pair {key}, which its hidden "
                         "columns name: were rows sorted without their hidden columns? (sort whole rows)")
    return record


def _check_edit(changed: dict[str, str], typed: dict[str, str], values: dict[str, str], where: str) -> None:
    for lang, text in changed.items():
        if lang in typed:
            raise InputError(f"{where}, column {lang}: {typed[lang]} ({values[lang][:40]}), not a text: the "
                             "spreadsheet took what was typed for one; type it with a ' before it")
        if not text:
            raise InputError(f"{where}: the {lang} cell is empty: reject the pair, or give its text")


def _row_correction(values: dict[str, str], typed: dict[str, str], pairs: _Pairs, where: str,
                    number: int) -> Correction | None:
    decision = values["decision"].strip().lower()
    if decision not in DECISIONS + ("",):
        raise InputError(f"{where}: decision {values['decision']!r} is not one of {', '.join(DECISIONS)} (or empty)")
    record = _record(values, pairs.by_id, where)
    bead = BeadRef(tuple(record["zh_ids"]), tuple(record["en_ids"]), record["zh"], record["en"])
    new = {lang: values[lang].strip() for lang in ("zh", "en")}
    changed = {lang: text for lang, text in new.items() if text != cell_text(record[lang]).strip()}
    other = pairs.by_texts.get((new["zh"], new["en"]), record["id"])
    if changed and other != record["id"]:
        raise InputError(f"{where}: it holds the texts of pair {other}, not of pair {record['id']}, which its hidden "
                         "columns name: were rows sorted without their hidden columns? (sort whole rows)")
    if decision == "reject":
        return Correction(number, "reject", (bead,))
    _check_edit(changed, typed, values, where)
    if changed or decision == "edit":
        if decision == "edit" and not changed:
            raise InputError(f"{where}: decision edit, but neither text was changed")
        return Correction(number, "edit", (bead,), changed.get("zh"), changed.get("en"))
    return Correction(number, "accept", (bead,)) if decision == "accept" else None


def _row_values(cells: dict, where: str) -> tuple[dict[str, str], dict[str, str]]:
    """A row's cells as texts, and what the texts typed as numbers or dates became."""
    values = {name: _value(cells[name], f"{where}, column {name}") if name in cells else "" for name in COLUMNS}
    typed = {name: _typed(cells[name].value) for name in ("zh", "en")
             if name in cells and cells[name].value is not None and not isinstance(cells[name].value, str)}
    return values, typed


def _corrections(sheet, path: Path, records: list[dict]) -> list[Correction]:
    rows = sheet.iter_rows()
    header = _names([c.value for c in next(rows, ())])
    pairs, seen, out = _Pairs.of(records), {}, []
    for number, row in enumerate(rows, 2):
        cells = {name: row[n] for name, n in header.items() if name in COLUMNS and n < len(row)}
        if all(c.value in (None, "") for c in cells.values()):
            continue
        where = f"{path}: row {number}"
        values, typed = _row_values(cells, where)
        key = values["key"].strip()
        if key and key in seen:
            raise InputError(f"{where}: pair {key} is in row {seen[key]} too (one row a pair)")
        seen[key] = number
        found = _row_correction(values, typed, pairs, where, number)
        if found is not None:
            out.append(found)
    return out


def read_sheet(path: Path, records: list[dict], max_expanded: int = MAX_EXPANDED_BYTES) -> list[Correction]:
    """The corrections a reviewed sheet says, in row order (``records``: the folder's pairs)."""
    import openpyxl

    _check_expansion(path, max_expanded)
    with path.open("rb") as handle:  # a handle, not the name: a sheet saved under any name is read
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
            raise InputError(f"{path}: not a readable spreadsheet ({type(exc).__name__})") from exc
        try:
            sheet = _pairs_sheet(book, path)
            if (sheet.max_row or 0) > MAX_ROWS:
                raise InputError(f"{path}: more rows than a sheet holds")
            out = _corrections(sheet, path, records)
        finally:
            book.close()
    if not out:
        raise InputError(f"{path}: no decisions or edits in the sheet")
    return out


def correction_line(c: Correction) -> dict:
    """The ``review.jsonl`` line of a correction read from a sheet (accept, reject or edit)."""
    line = {"action": c.action, "beads": [{"zh_ids": list(b.zh_ids), "en_ids": list(b.en_ids), "zh": b.zh, "en": b.en}
                                          for b in c.beads]}
    line.update({lang: text for lang, text in (("zh", c.zh), ("en", c.en)) if text is not None})
    return line
