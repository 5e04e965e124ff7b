"""``--format xlsx``: a sheet a reviewer checks in a spreadsheet and ``align apply`` reads back,
as it reads the review page's ``review.jsonl``: every pair in the sheet, texts never taken for
formulas, an edited sheet gives the corpus its edits say, and a sheet that does not match is
refused with its reason."""

import datetime
import json
import shutil
import sys
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from align.cli import cli, main
from align.export.xlsx import write_xlsx

ZH = ["今天早上，我们去了城里最大的图书馆。", "图书馆有五层楼，每层都有很多书。", "我借了三本关于历史的书。",
      "中午我们在附近的餐厅吃了面条。", "下午我们去公园散步，天气很好。", "晚上回家以后，我开始读第一本书。"]
EN = ["This morning we went to the biggest library in the city.", "The library has five floors, and every floor has many books.",
      "I borrowed three books about history.", "At noon we ate noodles at a restaurant nearby.",
      "In the afternoon we took a walk in the park, and the weather was fine.",
      "After getting home in the evening, I started reading the first book."]


@pytest.fixture(scope="module")
def sheet_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("xlsx")
    (base / "in").mkdir()
    (base / "in" / "day.zh.txt").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (base / "in" / "day.en.txt").write_text(" ".join(EN) + "\n", encoding="utf-8")
    out = base / "out"
    result = CliRunner().invoke(cli, ["run", str(base / "in"), "-o", str(out), "-q", "--format", "jsonl",
                                      "--format", "xlsx"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows(path):
    sheet = openpyxl.load_workbook(path)["pairs"]
    header = [c.value for c in sheet[1]]
    return header, [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def test_the_sheet_holds_every_pair_with_its_columns(sheet_run):
    pairs = read_jsonl(sheet_run / "corpus.jsonl")
    header, found = rows(sheet_run / "corpus.xlsx")
    assert header[:6] == ["zh", "en", "quality", "method", "location", "decision"]
    assert len(pairs) >= 5
    assert [(r["zh"], r["en"], r["key"]) for r in found] == [(p["zh"], p["en"], p["id"]) for p in pairs]
    assert all(r["quality"] == round(p["quality"], 4) and "day.zh.txt" in r["location"] for r, p in zip(found, pairs))
    assert "xlsx" in json.dumps(json.loads((sheet_run / "run.json").read_text())["outputs"])
    # a filter over every column, hidden ones too: sorting from its drop-down moves whole rows
    assert openpyxl.load_workbook(sheet_run / "corpus.xlsx")["pairs"].auto_filter.ref == f"A1:J{len(pairs) + 1}"


def test_a_text_that_starts_like_a_formula_is_written_as_text(tmp_path):
    texts = ["=SUM(A1:A9)", "+86 10 1234", "-1 是负数", "@everyone"]
    records = [{"id": f"k{n}", "zh": t, "en": f"{t} en", "zh_ids": [f"a#zh{n}"], "en_ids": [f"a#en{n}"], "quality": 0.5,
                "method": "parallel", "provenance": {}} for n, t in enumerate(texts)]
    path = tmp_path / "c.xlsx"
    assert write_xlsx(path, records) == 4
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    _, found = rows(path)
    assert [r["zh"] for r in found] == texts
    cells = openpyxl.load_workbook(path)["pairs"]
    assert all(cells.cell(row=n, column=1).data_type == "s" for n in range(2, 6))
    first = path.read_bytes()
    write_xlsx(path, records)
    assert path.read_bytes() == first  # the same bytes for the same pairs


def edit_sheet(source, target, changes):
    """Open the sheet as a reviewer would, change cells ({row: {column: value}}), save it."""
    book = openpyxl.load_workbook(source)
    sheet = book["pairs"]
    header = [c.value for c in sheet[1]]
    for row, values in changes.items():
        for column, value in values.items():
            sheet.cell(row=row, column=header.index(column) + 1, value=value)
    book.save(target)
    return target


def test_an_edited_sheet_gives_the_corpus_its_edits_say(sheet_run, tmp_path):
    pairs = read_jsonl(sheet_run / "corpus.jsonl")
    reviewed = edit_sheet(sheet_run / "corpus.xlsx", tmp_path / "checked.xlsx", {
        2: {"decision": "accept"},
        3: {"decision": "Reject"},
        4: {"en": "A text the reviewer wrote."},  # a changed text is an edit
        5: {"decision": "edit", "zh": "审校者改写的中文。"},
    })
    result = CliRunner().invoke(cli, ["apply", str(sheet_run), str(reviewed), "-o", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    new = {p["id"]: p for p in read_jsonl(tmp_path / "new" / "corpus.jsonl")}
    assert new[pairs[0]["id"]]["reviewed"] and new[pairs[0]["id"]]["zh"] == pairs[0]["zh"]
    assert pairs[1]["id"] not in new
    rejected = {u["id"] for u in read_jsonl(tmp_path / "new" / "unaligned.jsonl") if u["reason"] == "rejected_by_reviewer"}
    assert rejected == set(pairs[1]["zh_ids"] + pairs[1]["en_ids"])
    assert new[pairs[2]["id"]]["en"] == "A text the reviewer wrote." and new[pairs[2]["id"]]["zh"] == pairs[2]["zh"]
    assert new[pairs[3]["id"]]["zh"] == "审校者改写的中文。" and new[pairs[3]["id"]]["reviewed"]
    assert all(not new[p["id"]]["reviewed"] for p in pairs[4:])
    run = json.loads((tmp_path / "new" / "run.json").read_text())
    assert run["reviews"][0]["actions"] == {"accept": 1, "edit": 2, "reject": 1}
    _, written = rows(tmp_path / "new" / "corpus.xlsx")  # the new folder's sheet holds the corrected pairs
    assert {r["key"] for r in written} == set(new)
    lines = read_jsonl(tmp_path / "new" / "review.jsonl")  # the sheet's corrections, as the review page saves them
    again = CliRunner().invoke(cli, ["apply", str(sheet_run), str(tmp_path / "new" / "review.jsonl"), "-o",
                                     str(tmp_path / "again")])
    assert again.exit_code == 0 and len(lines) == 4
    assert (tmp_path / "again" / "corpus.jsonl").read_bytes() == (tmp_path / "new" / "corpus.jsonl").read_bytes()


@pytest.mark.parametrize("changes, message", [
    ({3: {"en": "=HYPERLINK(\"http://x\")"}}, "row 3, column en: a formula"),
    ({2: {"decision": "maybe"}}, "row 2: decision 'maybe' is not one of accept, reject, edit"),
    ({2: {"key": "0000000000000000", "decision": "accept"}}, "row 2: no pair '0000000000000000' in these outputs"),
    ({2: {"digest": "ffffffffffffffff", "decision": "accept"}}, "row 2: the texts of pair"),
    ({}, "no decisions or edits in the sheet"),
])
def test_a_sheet_that_does_not_match_is_refused_with_its_reason(sheet_run, tmp_path, changes, message, monkeypatch,
                                                                 capsys):
    reviewed = edit_sheet(sheet_run / "corpus.xlsx", tmp_path / "checked.xlsx", changes)
    monkeypatch.setattr(sys, "argv", ["align", "apply", str(sheet_run), str(reviewed), "-o", str(tmp_path / "new")])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not (tmp_path / "new").exists()


def test_a_broken_sheet_is_refused(sheet_run, tmp_path, monkeypatch, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes((sheet_run / "corpus.xlsx").read_bytes()[:500])
    monkeypatch.setattr(sys, "argv", ["align", "apply", str(sheet_run), str(broken), "-o", str(tmp_path / "new")])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2 and "not a readable spreadsheet" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "new", ignore_errors=True)


# A reviewer's spreadsheet program saves the sheet anew: shared strings (align writes inline
# strings), its own sheet names and sheets, rows sorted, a filter left on, columns added.

def table_of(path):
    """The cells of align's sheet, row by row, as a reviewer's program reads them."""
    return [[c.value for c in row] for row in openpyxl.load_workbook(path)["pairs"].iter_rows()]


def save_as_reviewer(table, target, title="pairs", notes_first=False):
    """Write ``table`` as a spreadsheet program saves it (a row of None stays empty)."""
    book = openpyxl.Workbook()
    sheet = book.active
    if notes_first:
        sheet.title = "Notes"
        sheet["A1"] = "reviewer notes"
        sheet = book.create_sheet(title)
    else:
        sheet.title = title
    for r, row in enumerate(table, 1):
        for c, value in enumerate(row or [], 1):
            if isinstance(value, str) and value.startswith("'"):  # typed with a ' before it: a text
                cell = sheet.cell(row=r, column=c, value=value[1:])
                cell.data_type, cell.quotePrefix = "s", True
            elif value is not None:
                sheet.cell(row=r, column=c, value=value)
    sheet.auto_filter.ref = sheet.dimensions  # a filter left on
    book.save(target)
    return target


def apply_sheet(run, sheet, out, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["align", "apply", str(run), str(sheet), "-o", str(out)])
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code
    return code, capsys.readouterr().err.strip().splitlines()


def test_a_sheet_sorted_filtered_and_renamed_in_a_spreadsheet_program_applies(sheet_run, tmp_path, monkeypatch, capsys):
    pairs = read_jsonl(sheet_run / "corpus.jsonl")
    header, *body = table_of(sheet_run / "corpus.xlsx")
    at = {name: n for n, name in enumerate(header)}
    body[0][at["decision"]] = " Accept "
    body[1][at["decision"]] = "REJECT"
    body[2][at["en"]] = "A text the reviewer wrote."
    for row in body:
        row[at["quality"]] = str(row[at["quality"]])  # numbers re-typed as text
        row.append(None)
    body[3][at["zh"]] = "'=A1 不是公式，是审校者写的文字。"  # a text that starts with =
    body[4][-1] = "=1+1"  # a formula in a column align does not read
    body.sort(key=lambda row: row[at["quality"]])  # whole rows sorted by quality
    table = [header + ["comment"]] + body[:2] + [None] + body[2:]  # an empty row
    reviewed = save_as_reviewer(table, tmp_path / "checked.xlsx", title="Geprüft", notes_first=True)
    code, err = apply_sheet(sheet_run, reviewed, tmp_path / "new", monkeypatch, capsys)
    assert code == 0, err
    new = {p["id"]: p for p in read_jsonl(tmp_path / "new" / "corpus.jsonl")}
    assert new[pairs[0]["id"]]["reviewed"] and pairs[1]["id"] not in new
    assert new[pairs[2]["id"]]["en"] == "A text the reviewer wrote." and new[pairs[2]["id"]]["reviewed"]
    assert new[pairs[3]["id"]]["zh"] == "=A1 不是公式，是审校者写的文字。" and new[pairs[3]["id"]]["en"] == pairs[3]["en"]
    assert sum(p["reviewed"] for p in new.values()) == 3 and len(new) == len(pairs) - 1
    sheet_xml = zipfile.ZipFile(reviewed).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>1+1</f>" in sheet_xml and "<f>A1" not in sheet_xml  # the fixture is what it says


def sorted_without_hidden_columns(table, at):
    """Rows sorted by quality with only the visible columns selected: the hidden key stays put."""
    header, *body = table
    visible = sorted((row[:at["decision"] + 1] for row in body), key=lambda cells: cells[at["quality"]])
    return [header] + [cells + row[at["decision"] + 1:] for cells, row in zip(visible, body)]


def texts_swapped(table):
    """The texts (columns zh and en only) of the first two rows swapped: the rows' other columns stay."""
    first, second = table[1], table[2]
    return [table[0], second[:2] + first[2:], first[:2] + second[2:]] + table[3:]


@pytest.mark.parametrize("change, message", [
    (lambda t, at: sorted_without_hidden_columns(t, at), "its quality, method or location are not those of pair"),
    (lambda t, at: texts_swapped(t), "it holds the texts of pair"),
    (lambda t, at: t + [t[2]], "row 8: pair"),  # a pair in two rows
    (lambda t, at: t + [["新的一句。", "A new sentence."]], "row 8: no key"),
    (lambda t, at: [t[0], t[1][:1] + [None] + t[1][2:]] + t[2:], "row 2: the en cell is empty"),
    (lambda t, at: [t[0], t[1][:1] + [datetime.datetime(2026, 3, 4)] + t[1][2:]] + t[2:], "column en: a date"),
    (lambda t, at: [t[0], t[1][:1] + [1.5] + t[1][2:]] + t[2:], "column en: a number (1.5)"),
    (lambda t, at: [t[0], [True] + t[1][1:]] + t[2:], "column zh: a truth value"),
    (lambda t, at: [t[0], t[1][:5] + ['=IF(C2<0.7,"reject","accept")'] + t[1][6:]] + t[2:], "column decision: a formula"),
])
def test_a_resaved_sheet_it_cannot_trust_is_refused(sheet_run, tmp_path, monkeypatch, capsys, change, message):
    table = table_of(sheet_run / "corpus.xlsx")
    at = {name: n for n, name in enumerate(table[0])}
    table[1][at["decision"]] = "accept"
    reviewed = save_as_reviewer(change(table, at), tmp_path / "checked.xlsx")
    code, err = apply_sheet(sheet_run, reviewed, tmp_path / "new", monkeypatch, capsys)
    assert code == 2 and len(err) == 1 and message in err[0], err
    assert not (tmp_path / "new").exists()


def test_two_sheets_with_the_columns_are_refused_and_other_formats_told_to_save_xlsx(sheet_run, tmp_path, monkeypatch,
                                                                                     capsys):
    book = openpyxl.load_workbook(sheet_run / "corpus.xlsx")
    book.copy_worksheet(book["pairs"])
    book.save(tmp_path / "two.xlsx")
    code, err = apply_sheet(sheet_run, tmp_path / "two.xlsx", tmp_path / "new", monkeypatch, capsys)
    assert code == 2 and "both hold align's columns" in err[0]
    (tmp_path / "checked.ods").write_bytes(b"PK\x03\x04 an OpenDocument sheet")
    code, err = apply_sheet(sheet_run, tmp_path / "checked.ods", tmp_path / "new", monkeypatch, capsys)
    assert code == 2 and "not .ods: save it as an Excel 2007-365 (.xlsx) file" in err[0]
    assert not (tmp_path / "new").exists()


def test_a_sheet_saved_without_its_suffix_is_read_as_a_sheet(sheet_run, tmp_path):
    reviewed = edit_sheet(sheet_run / "corpus.xlsx", tmp_path / "checked.xlsx", {2: {"decision": "reject"}})
    reviewed = reviewed.rename(tmp_path / "checked")
    result = CliRunner().invoke(cli, ["apply", str(sheet_run), str(reviewed), "-o", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert read_jsonl(tmp_path / "new" / "review.jsonl")[0]["action"] == "reject"


def test_a_sheet_that_inflates_past_the_cap_is_not_opened(sheet_run, tmp_path):
    from align.errors import InputError
    from align.review.sheet import read_sheet

    records = read_jsonl(sheet_run / "corpus.jsonl")
    reviewed = edit_sheet(sheet_run / "corpus.xlsx", tmp_path / "checked.xlsx", {2: {"decision": "accept"}})
    assert read_sheet(reviewed, records)[0].action == "accept"
    with pytest.raises(InputError, match="inflates to .* bytes, over the 4096-byte cap"):
        read_sheet(reviewed, records, max_expanded=4096)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_sheet_resaved_by_libreoffice_applies(sheet_run, tmp_path):
    import subprocess

    edited = edit_sheet(sheet_run / "corpus.xlsx", tmp_path / "edited.xlsx", {2: {"decision": "Reject"},
                                                                             3: {"en": "The reviewer's text."}})
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "ods",
                    "--outdir", str(tmp_path / "ods"), str(edited)], check=True, capture_output=True, timeout=120)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "back"), str(tmp_path / "ods" / "edited.ods")], check=True,
                   capture_output=True, timeout=120)
    result = CliRunner().invoke(cli, ["apply", str(sheet_run), str(tmp_path / "back" / "edited.xlsx"), "-o",
                                      str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert [line["action"] for line in read_jsonl(tmp_path / "new" / "review.jsonl")] == ["reject", "edit"]
