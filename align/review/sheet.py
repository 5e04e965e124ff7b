"""A reviewed spreadsheet (``corpus.xlsx``, written by ``--format xlsx``) read back as the
corrections of ``review.jsonl``: one code path applies both.

Each row of the sheet is a pair, named by its hidden ``key`` columns (the bead id, the sentence
ids and a digest of the texts as written). A reviewer types ``accept``, ``reject`` or ``edit``
in the ``decision`` column, or changes a text: a changed text is an edit (unless the row is
rejected). A row that names no pair of the folder, whose pair's texts changed since the sheet
was written, that holds a formula, or whose decision is unknown is refused, naming the row.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from .corrections import BeadRef, Correction

COLUMNS = ("zh", "en", "quality", "method", "location", "decision", "key", "zh_ids", "en_ids", "digest")
HIDDEN = ("key", "zh_ids", "en_ids", "digest")  # what names the pair; hidden from the reviewer
DECISIONS = ("accept", "reject", "edit")
SHEET_TITLE = "pairs"
CELL_LIMIT = 32767  # the most characters a spreadsheet cell holds
MAX_ROWS = 1_048_576  # the most rows a sheet holds


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


def _header(row, path: Path) -> dict[str, int]:
    names = {str(v).strip().lower(): n for n, v in enumerate(row) if v is not None}
    missing = [c for c in COLUMNS if c not in names and c not in ("quality", "method", "location")]
    if missing:
        raise InputError(f"{path}: not a sheet align wrote (no {missing[0]!r} column in its first row)")
    return names


def _value(cell, where: str) -> str:
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type != "s"):
        raise InputError(f"{where}: a formula ({str(cell.value)[:40]}), not a text: a text that starts with = "
                         "is typed with a ' before it")
    if cell.data_type == "e":
        raise InputError(f"{where}: an error value ({cell.value}), not a text")
    return "" if cell.value is None else str(cell.value)


def _ids(text: str, where: str) -> tuple[str, ...]:
    ids = tuple(text.split())
    if not all("#" in i for i in ids):
        raise InputError(f"{where}: not sentence ids")
    return ids


def _row_correction(number: int, values: dict[str, str], records: dict[str, dict], where: str) -> Correction | None:
    decision = values["decision"].strip().lower()
    if decision not in DECISIONS + ("",):
        raise InputError(f"{where}: decision {values['decision']!r} is not one of {', '.join(DECISIONS)} (or empty)")
    zh_ids, en_ids = _ids(values["zh_ids"], where), _ids(values["en_ids"], where)
    record = records.get(values["key"].strip())
    if record is None or (tuple(record["zh_ids"]), tuple(record["en_ids"])) != (zh_ids, en_ids):
        raise InputError(f"{where}: no pair {values['key']!r} in these outputs")
    if text_digest(record["zh"], record["en"]) != values["digest"].strip():
        raise InputError(f"{where}: the texts of pair {values['key']} are not what the sheet was written with")
    bead = BeadRef(zh_ids, en_ids, record["zh"], record["en"])
    new = {lang: values[lang].strip() for lang in ("zh", "en")}
    changed = {lang: text for lang, text in new.items() if text != cell_text(record[lang]).strip()}
    if decision == "reject":
        return Correction(number, "reject", (bead,))
    if changed or decision == "edit":
        if decision == "edit" and not changed:
            raise InputError(f"{where}: decision edit, but neither text was changed")
        return Correction(number, "edit", (bead,), changed.get("zh"), changed.get("en"))
    return Correction(number, "accept", (bead,)) if decision == "accept" else None


def read_sheet(path: Path, records: list[dict]) -> list[Correction]:
    """The corrections a reviewed sheet says, in row order (``records``: the folder's pairs)."""
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise InputError(f"{path}: not a readable spreadsheet ({type(exc).__name__})") from exc
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS:
            raise InputError(f"{path}: more rows than a sheet holds")
        rows = sheet.iter_rows()
        header = _header([c.value for c in next(rows, ())], path)
        by_id = {r["id"]: r for r in records}
        out = []
        for number, row in enumerate(rows, 2):
            cells = {name: row[n] for name, n in header.items() if name in COLUMNS and n < len(row)}
            if all(c.value in (None, "") for c in cells.values()):
                continue
            values = {name: _value(cells[name], f"{path}: row {number}, column {name}") if name in cells else ""
                      for name in COLUMNS}
            found = _row_correction(number, values, by_id, f"{path}: row {number}")
            if found is not None:
                out.append(found)
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
