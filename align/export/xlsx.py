"""``corpus.xlsx`` (``--format xlsx``): one row per pair for a reviewer in a spreadsheet: the
texts, quality, method, where each side comes from, and a ``decision`` column (accept,
reject, edit) that ``align apply OUTDIR corpus.xlsx`` reads back (``review.sheet``).

Every text is written as a text cell, so a text that starts with ``=``, ``+``, ``-`` or ``@``
is never taken for a formula. The file is the same bytes for the same pairs (fixed document
dates and zip member times).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from types import MappingProxyType

from ..errors import OutputError
from ..io.atomic import atomic_writer
from ..review.sheet import MAX_ROWS, COLUMNS, DECISIONS, HIDDEN, SHEET_TITLE, cell_text, location, text_digest

_FIXED_TIME = datetime.datetime(2000, 1, 1)
_WIDTHS = MappingProxyType({"zh": 60, "en": 80, "quality": 9, "method": 10, "location": 40, "decision": 10})


def _row(record: dict) -> list:
    return [cell_text(record["zh"]), cell_text(record["en"]), round(float(record["quality"]), 4), record["method"],
            location(record), "", record["id"], " ".join(record["zh_ids"]), " ".join(record["en_ids"]),
            text_digest(record["zh"], record["en"])]


def _text_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.quotePrefix = value[:1] in ("=", "+", "-", "@")
    return cell


def _book(records: list[dict]):
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook(write_only=True)
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.properties.creator = "align"
    sheet = book.create_sheet(SHEET_TITLE)
    for n, name in enumerate(COLUMNS, 1):
        dimension = sheet.column_dimensions[get_column_letter(n)]
        dimension.width = _WIDTHS.get(name, 12)
        dimension.hidden = name in HIDDEN
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(records) + 1}"  # the filter's sort moves whole rows, hidden columns too
    choices = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True)
    letter = get_column_letter(COLUMNS.index("decision") + 1)
    choices.add(f"{letter}2:{letter}{max(2, len(records) + 1)}")
    sheet.data_validations.append(choices)
    sheet.append(list(COLUMNS))
    for record in records:
        sheet.append([_text_cell(sheet, v) for v in _row(record)])
    return book


def _stable_zip(data: bytes) -> bytes:
    """The zip ``data`` with every member dated the same, so that equal content is equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, _FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def write_xlsx(path: Path, records: list[dict]) -> int:
    """Write the pairs ``records`` (``corpus.jsonl`` records) to ``path``; return how many."""
    from openpyxl.writer.excel import ExcelWriter

    if len(records) + 1 > MAX_ROWS:
        raise OutputError(f"{path}: {len(records)} pairs, more than a sheet holds ({MAX_ROWS - 1}): "
                          "write tsv or jsonl instead")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        book = _book(records)
        ExcelWriter(book, archive).save()
    with atomic_writer(path, "wb") as handle:
        handle.write(_stable_zip(buffer.getvalue()))
    return len(records)
