"""Translation-memory upkeep: conflicts and exact duplicates in any corpus (align score)."""

import json

from click.testing import CliRunner
from lxml import etree

from align.cli import cli
from align.score.upkeep import DUPLICATE, SEVERAL_SOURCES, SEVERAL_TRANSLATIONS, TmUnit, best_of_each, find_upkeep

PARAGRAPH = ("Align reads string files beside the code, pairs them by locale and their units by key, "
             "and writes a translation memory a CAT tool can use.")
PARAGRAPH_ZH = "Align 读取代码旁的字符串文件，按语言区域配对文件、按键配对条目，并写出 CAT 工具可用的翻译记忆库。"
UNITS = [  # (en, zh): the planted findings are commented
    ("Save", "保存"), ("Save", "存储"),  # one source, several translations
    ("Delete", "删除"), ("Remove", "删除"),  # one translation, several sources
    ("Open", "打开"), ("Open", "打开"),  # exact duplicate
    (PARAGRAPH, PARAGRAPH_ZH), (PARAGRAPH.replace(", and", ",  and"), PARAGRAPH_ZH),  # duplicate, white space aside
    ("Save.", "保存。"), ("open", "打开文件"), ("Close", "关闭"), ("Settings", "设置"), ("Cancel", "取消"),
    ("Sign in to continue", "登录以继续"), ("Check for updates", "检查更新"),
]


def tmx(units) -> str:
    body = "".join(f'<tu tuid="t{n}"><tuv xml:lang="en-US"><seg>{en}</seg></tuv><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv></tu>'
                   for n, (en, zh) in enumerate(units, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
            f'segtype="sentence" o-tmf="t" adminlang="en" srclang="en-US" datatype="plaintext"/><body>{body}</body></tmx>')


def test_the_findings_of_a_small_tm():
    units = [TmUnit(n, f"t{n}", zh, en) for n, (en, zh) in enumerate(UNITS, 1)]
    found = {(f.kind, f.text, tuple(sorted(u.id for _, us in f.variants for u in us))) for f in find_upkeep(units)}
    assert found == {(SEVERAL_TRANSLATIONS, "Save", ("t1", "t2")), (SEVERAL_SOURCES, "删除", ("t3", "t4")),
                     (DUPLICATE, "Open", ("t5", "t6")), (DUPLICATE, PARAGRAPH, ("t7", "t8"))}
    scored = [TmUnit(1, "a", "保存", "Save", 0.6), TmUnit(2, "b", "存储", "Save", 0.9), TmUnit(3, "c", "打开", "Open", 0.8),
              TmUnit(4, "d", "打开", "Open", 0.8)]
    assert best_of_each(scored) == {2, 3}


def test_align_score_lists_every_planted_conflict_and_nothing_else(tmp_path):
    path = tmp_path / "TM.tmx"
    path.write_text(tmx(UNITS), encoding="utf-8")
    listing = tmp_path / "conflicts.jsonl"
    result = CliRunner().invoke(cli, ["score", str(path), "--min-quality", "0", "--keep-rejected", "--conflicts",
                                      str(listing), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    findings = [json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines()]
    assert sorted((f["kind"], f["text"], len(f["variants"])) for f in findings) == sorted([
        (SEVERAL_TRANSLATIONS, "Save", 2), (SEVERAL_SOURCES, "删除", 2), (DUPLICATE, "Open", 1), (DUPLICATE, PARAGRAPH, 1)])
    save = next(f for f in findings if f["text"] == "Save")
    assert {v["zh"] for v in save["variants"]} == {"保存", "存储"} and save["variants"][0]["units"][0]["id"] == "t1"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["tm_upkeep"] == {SEVERAL_TRANSLATIONS: 1, SEVERAL_SOURCES: 1, DUPLICATE: 2, "units_in_findings": 8,
                                    "kept_after_upkeep": len(UNITS)}


def test_keep_the_best_translation_or_mark_them(tmp_path):
    path = tmp_path / "TM.tmx"
    path.write_text(tmx(UNITS), encoding="utf-8")
    best, marked = tmp_path / "best.tmx", tmp_path / "marked.tmx"
    for out, keep in ((best, "best"), (marked, "mark")):
        result = CliRunner().invoke(cli, ["score", str(path), "--min-quality", "0", "--keep-rejected", "--tm-keep", keep,
                                          "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
    sources = [tu.findtext("tuv[@{http://www.w3.org/XML/1998/namespace}lang='en-US']/seg")
               for tu in etree.parse(str(best)).iter("tu")]
    assert sources.count("Save") == 1 and sources.count("Open") == 1 and len(sources) == len(UNITS) - 3
    marks = {tu.get("tuid"): tu.findtext("prop[@type='x-tm-conflict']") for tu in etree.parse(str(marked)).iter("tu")}
    assert marks["t1"] == f"{SEVERAL_TRANSLATIONS}:2" and marks["t3"] == f"{SEVERAL_SOURCES}:2"
    assert marks["t5"] == f"{DUPLICATE}:2" and marks["t9"] is None and len(marks) == len(UNITS)
