"""``--format xlsx``: a sheet a reviewer checks in a spreadsheet and ``align apply`` reads back,
as it reads the review page's ``review.jsonl``: every pair in the sheet, texts never taken for
formulas, an edited sheet gives the corpus its edits say, and a sheet that does not match is
refused with its reason."""

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
