"""String files paired by locale and their units by key: in the stage, and in ``align run``
on a folder that mixes string files of every convention with documents."""

import json
from pathlib import Path

import pytest
from lxml import etree

from align.aligner.keyed import pair_by_key
from align.ingest import find_input_files, string_files
from align.ingest.strings import StringUnit
from align.keyed import prepare_keyed
from align.normalize import Normalizer

DTD = Path(__file__).resolve().parent / "data" / "tmx14.dtd"


def reasons(found):
    return sorted((u.lang, u.unit.key, u.reason) for u in found.left)


def test_units_pair_by_key_never_by_position():
    zh = [StringUnit("b", "乙", position=1), StringUnit("a", "甲", position=2)]
    en = [StringUnit("a", "A", position=1), StringUnit("b", "B", position=2)]
    assert [(z.text, e.text) for z, e in pair_by_key(zh, en).pairs] == [("甲", "A"), ("乙", "B")]


def test_what_cannot_pair_gets_its_reason():
    zh = [StringUnit("same", "OK"), StringUnit("empty", ""), StringUnit("old", "旧", state="obsolete"),
          StringUnit("dup", "一"), StringUnit("dup", "二"), StringUnit("zh_only", "仅中文"),
          StringUnit("n", "%d 个", plural="other"), StringUnit("wip", "草稿", state="unfinished")]
    en = [StringUnit("same", "OK"), StringUnit("empty", "Empty"), StringUnit("old", "Old"), StringUnit("dup", "Two"),
          StringUnit("en_only", "Only English"), StringUnit("n", "%d item", plural="one"),
          StringUnit("n", "%d items", plural="other"), StringUnit("wip", "Draft")]
    found = pair_by_key(zh, en)
    assert [(z.text, e.text) for z, e in found.pairs] == [("二", "Two"), ("%d 个", "%d items")]
    assert reasons(found) == [
        ("en", "empty", "empty_value"), ("en", "en_only", "no_partner_key"), ("en", "n", "plural_form_missing"),
        ("en", "old", "obsolete_key"), ("en", "same", "untranslated"), ("en", "wip", "unfinished_translation"),
        ("zh", "dup", "duplicate_key"), ("zh", "old", "obsolete_key"), ("zh", "same", "untranslated"),
        ("zh", "wip", "unfinished_translation"), ("zh", "zh_only", "no_partner_key")]


def test_a_plain_string_pairs_with_the_other_form_of_a_plural():
    found = pair_by_key([StringUnit("n", "{count} 项")],
                        [StringUnit("n", "One item", plural="one"), StringUnit("n", "{count} items", plural="other")])
    assert [(z.text, e.text) for z, e in found.pairs] == [("{count} 项", "{count} items")]
    assert reasons(found) == [("en", "n", "plural_form_missing")]


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def project(root: Path) -> None:
    """A source tree with one pair of string files per convention, and files that must not pair."""
    res = '<resources><string name="save">{}</string><string name="del">{}</string></resources>'
    write(root, "android/res/values/strings.xml", res.format("Save", "Delete %1$s?"))
    write(root, "android/res/values-zh-rCN/strings.xml", res.format("保存", "删除 %1$s？"))
    write(root, "android/res/values-zh-rTW/strings.xml", res.format("儲存", "刪除 %1$s？"))
    write(root, "android/res/values-de/strings.xml", res.format("Speichern", "%1$s löschen?"))
    write(root, "ios/en.lproj/Localizable.strings", '"save" = "Save";\n"count" = "%d files";\n')
    write(root, "ios/zh-Hans.lproj/Localizable.strings", '"save" = "保存";\n"count" = "%d 个文件";\n')
    write(root, "java/Messages.properties", "open=Open {0}\n")
    write(root, "java/Messages_zh_CN.properties", "open=\\u6253\\u5f00 {0}\n")
    write(root, "web/locales/en.json", '{"menu": {"file": "File", "help": "Help"}}')
    write(root, "web/locales/zh_Hans.json", '{"menu": {"help": "帮助", "file": "文件"}}')
    write(root, "flutter/intl_en.arb", '{"hi": "Hi {name}", "@hi": {"description": "greeting"}}')
    write(root, "flutter/intl_zh.arb", '{"hi": "你好 {name}"}')
    write(root, "rails/client.en.yml", "en:\n  js:\n    reply: Reply\n")
    write(root, "rails/client.zh_CN.yml", "zh_CN:\n  js:\n    reply: 回复\n")
    write(root, "dotnet/Resources.resx", '<root><data name="Quit"><value>Quit</value></data></root>')
    write(root, "dotnet/Resources.zh-CN.resx", '<root><data name="Quit"><value>退出</value></data></root>')


def test_files_pair_by_locale_conventions_in_any_layout(tmp_path):
    project(tmp_path)
    keyed = prepare_keyed(string_files([tmp_path]), Normalizer())
    pairs = sorted((z.location, z.text, e.text) for part in keyed.parts for z, e in part.pairs)
    assert pairs == [("Quit", "退出", "Quit"), ("count", "%d 个文件", "%d files"), ("del", "删除 %1$s？", "Delete %1$s?"),
                     ("hi", "你好 {name}", "Hi {name}"), ("js.reply", "回复", "Reply"), ("menu.file", "文件", "File"),
                     ("menu.help", "帮助", "Help"), ("open", "打开 {0}", "Open {0}"), ("save", "保存", "Save"),
                     ("save", "保存", "Save")]
    skipped = {Path(s.path).relative_to(tmp_path).as_posix(): s.reason for s in keyed.skipped}
    assert skipped == {"android/res/values-de/strings.xml": "a string file in another language (de)",
                       "android/res/values-zh-rTW/strings.xml":
                           "another Chinese variant (zh-rTW) of strings paired from android/res/values-zh-rCN/strings.xml"}


def test_string_files_are_not_read_as_documents(tmp_path):
    project(tmp_path)
    write(tmp_path, "docs/guide.md", "# Guide\n\nRead me.\n")
    from align.ingest import ingest

    documents, _ = ingest([tmp_path])
    assert [d.name for d, _ in documents] == ["docs/guide.md"]
    assert len(find_input_files([tmp_path])) == 17


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """``align run`` on a folder of string files beside a pair of documents."""
    from click.testing import CliRunner

    from align.cli import cli

    root = tmp_path_factory.mktemp("mixed")
    project(root / "src")
    write(root, "src/android/res/values-zh-rCN/strings.xml",
          '<resources><string name="save">保存</string><string name="del">删除 %1$s？</string>'
          '<string name="gone">旧</string></resources>')
    write(root, "src/web/locales/zh-CN.json", '{"broken": ')
    write(root, "src/android2/res/values-zh-rCN/strings.xml", '<resources><string name="a">坏</resources>')
    (root / "src/java/Other_zh_CN.properties").write_bytes("title=标题\n".encode("gbk"))
    write(root, "src/rails/bomb.zh-CN.yml", "zh-CN:\n  a: &a x\n  b: [" + ", ".join(["*a"] * 1001) + "]\n")
    write(root, "docs/intro.zh.md", "这是一个介绍。\n\n它有两段。\n")
    write(root, "docs/intro.en.md", "This is an introduction.\n\nIt has two paragraphs.\n")
    out = root / "out"
    result = CliRunner().invoke(cli, ["run", str(root / "src"), str(root / "docs"), "-o", str(out), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root, out


def test_align_run_writes_keyed_pairs_with_their_key_and_file(mixed_run):
    root, out = mixed_run
    records = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    keyed = {r["key"]: r for r in records if r["method"] == "keyed"}
    assert {"save", "del", "count", "open", "hi", "js.reply", "Quit"} <= set(keyed)
    assert keyed["del"]["zh"] == "删除 %1$s？" and keyed["del"]["en"] == "Delete %1$s?"
    assert keyed["del"]["provenance"]["zh"][0]["file"].endswith("values-zh-rCN/strings.xml")
    assert keyed["del"]["files"] == {"zh": "android/res/values-zh-rCN/strings.xml", "en": "android/res/values/strings.xml"}
    assert any(r["method"] != "keyed" for r in records)  # the documents are aligned too


def test_the_tmx_names_keys_protects_placeholders_and_validates(mixed_run):
    _, out = mixed_run
    tree = etree.parse(str(out / "corpus.tmx"))
    assert etree.DTD(str(DTD)).validate(tree)
    units = {tu.findtext("prop[@type='x-key']"): tu for tu in tree.iter("tu") if tu.find("prop[@type='x-key']") is not None}
    phs = [ph.text for ph in units["del"].iter("ph")]
    assert phs == ["%1$s", "%1$s"]
    # the files by their path in the input folder: a TM carries no user's absolute path
    assert units["hi"].find("prop[@type='x-zh-file']").text == "flutter/intl_zh.arb"
    assert units["hi"].find("prop[@type='x-en-file']").text == "flutter/intl_en.arb"
    assert str(out.parent) not in (out / "corpus.tmx").read_text(encoding="utf-8")


def test_nothing_is_lost_and_bad_files_are_skipped_with_their_reason(mixed_run):
    _, out = mixed_run
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["nothing_lost"]
    unaligned = [json.loads(line) for line in (out / "unaligned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ("旧", "no_partner_key") in {(u["text"], u["reason"]) for u in unaligned}
    skipped = {Path(s["file"]).relative_to(mixed_run[0] / "src").as_posix(): s["reason"] for s in run["skipped_files"]}
    assert "broken JSON" in skipped["web/locales/zh-CN.json"]
    assert "broken XML" in skipped["android2/res/values-zh-rCN/strings.xml"]
    assert "not UTF-8" in skipped["java/Other_zh_CN.properties"]
    assert "YAML aliases" in skipped["rails/bomb.zh-CN.yml"]


def test_string_files_through_the_api_and_the_mapper(tmp_path):
    """The pairs of a string-file pair are embedded and judged in a task on the run's mapper."""
    from align.aligner.work import KeyedFiles
    from align.api import build_corpus
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.mapper import InProcess, TaskContext
    from align.run import run

    project(tmp_path)
    encoder = get_encoder("use")

    class Recording(InProcess):
        def __init__(self):
            super().__init__(TaskContext(encoder=encoder))
            self.keyed = 0

        def map(self, task, items, desc, progress=None):
            self.keyed += sum(1 for batch in items if isinstance(batch, tuple)
                              for item in batch if isinstance(item, KeyedFiles))
            return super().map(task, items, desc, progress)

    mapper = Recording()
    result = run([tmp_path], RunConfig(), encoder, mapper=mapper)
    assert mapper.keyed == 7 and {p.method for p in result.all_pairs} == {"keyed"}
    built = build_corpus([tmp_path / "web"], encoder=encoder)
    assert sorted((p.zh_text, p.en_text) for p in built.pairs) == [("帮助", "Help"), ("文件", "File")]


def test_keyed_rules_check_placeholders_and_declared_languages():
    from align.score.keyed import check_keyed_rules

    assert check_keyed_rules("已删除 %1$s 个文件", "Deleted %1$s files") == ()
    assert check_keyed_rules("%2$s 中的 %1$s", "%1$s in %2$s") == ()  # reordered positional arguments
    assert [r.name for r in check_keyed_rules("你好 {name}", "Hello {user}")] == ["placeholder_mismatch"]
    assert [r.name for r in check_keyed_rules("共 {{count}} 项", "{{count}} items, %d left")] == ["placeholder_mismatch"]
    assert [r.name for r in check_keyed_rules("Français", "French")] == ["wrong_language"]
    assert [r.name for r in check_keyed_rules("设置", "设置页面")] == ["wrong_language"]
    assert check_keyed_rules("PDF转Word", "PDF to Word") == ()  # product names in a Chinese value
    assert check_keyed_rules("确定", "OK") == ()  # no length rule for UI strings


def test_keyed_quality_is_low_for_another_strings_translation_and_short_strings_stay(tmp_path):
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.run import run

    strings = {"ok": ("OK", "确定"), "cancel": ("Cancel", "取消"), "settings": ("Settings", "设置"),
               "open_file": ("Open a file from your device", "从设备中打开文件"),
               "save_changes": ("Save your changes before closing", "关闭前保存您的更改"),
               "delete_account": ("Delete your account permanently", "永久删除您的帐户"),
               "check_updates": ("Check for updates automatically", "自动检查更新"),
               "dark_theme": ("Use the dark theme at night", "在夜间使用深色主题"),
               "send_feedback": ("Send feedback to the developers", "向开发者发送反馈"),
               "battery": ("Battery saver is on", "省电模式已开启"),
               "network_error": ("The network is not available", "关闭前保存您的更改")}  # another string's translation
    for lang, k in (("en", 0), ("zh-CN", 1)):
        body = ",".join(f'"{key}": "{texts[k]}"' for key, texts in strings.items())
        write(tmp_path / "locales", f"{lang}.json", "{" + body + "}")
    result = run([tmp_path / "locales"], RunConfig(), get_encoder("use"))
    quality = {p.en[0].location: p.quality for p in result.all_pairs}
    assert quality["network_error"] < 0.5
    assert {p.en[0].location for p in result.pairs} >= {"ok", "cancel", "settings"}
    assert sum(q >= 0.5 for key, q in quality.items() if key != "network_error") >= 9


def test_run_json_reports_tm_upkeep_of_the_exported_pairs(mixed_run):
    _, out = mixed_run
    upkeep = json.loads((out / "run.json").read_text(encoding="utf-8"))["tm_upkeep"]
    save = [f for f in upkeep["findings"] if f["text"] == "Save"]
    assert [f["kind"] for f in save] == ["exact_duplicate"]  # "Save"/"保存" in the Android and the iOS files
    assert len(save[0]["variants"][0]["units"]) == 2 and upkeep["counts"]["exact_duplicate"] >= 1


def test_align_run_writes_the_conflicts_listing_among_its_outputs(mixed_run):
    """``conflicts.jsonl``: every finding of the pairs written, as ``align score --conflicts`` lists them."""
    from click.testing import CliRunner

    from align.cli import cli

    _, out = mixed_run
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert "conflicts.jsonl" in run["outputs"]
    listed = [json.loads(line) for line in (out / "conflicts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert listed == run["tm_upkeep"]["findings"] and len(listed) == sum(
        run["tm_upkeep"]["counts"][k] for k in ("one_source_several_translations", "one_translation_several_sources",
                                                "exact_duplicate"))
    rescored = out.parent / "rescored.jsonl"
    result = CliRunner().invoke(cli, ["score", str(out / "corpus.jsonl"), "--min-quality", "0", "--keep-rejected",
                                      "--conflicts", str(rescored), "-o", str(out.parent / "tm.tmx"), "-q"])
    assert result.exit_code == 0, result.output
    assert [(f["kind"], f["text"]) for f in map(json.loads, rescored.read_text(encoding="utf-8").splitlines())] == [
        (f["kind"], f["text"]) for f in listed]


def test_files_with_no_strings_to_translate_are_passed_over_quietly(tmp_path):
    """colors.xml, dimens.xml and a lone gradle.properties are listed in run.json, with no
    warning each and no --strict failure; a string file with no partner is still warned of."""
    from click.testing import CliRunner

    from align.cli import cli

    res = '<resources><string name="save">{}</string></resources>'
    write(tmp_path, "app/res/values/strings.xml", res.format("Save"))
    write(tmp_path, "app/res/values-zh-rCN/strings.xml", res.format("保存"))
    write(tmp_path, "app/res/values/colors.xml", '<resources><color name="c">#fff</color></resources>')
    write(tmp_path, "app/res/values-zh-rCN/dimens.xml", '<resources><dimen name="d">4dp</dimen></resources>')
    write(tmp_path, "gradle.properties", "org.gradle.jvmargs=-Xmx2g\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "app"), str(tmp_path / "gradle.properties"), "-o", str(out),
                                      "--strict", "--translate", "none"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and "3 files with no strings to translate passed over" in result.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert sorted(Path(s["file"]).name for s in run["skipped_files"]) == ["colors.xml", "dimens.xml", "gradle.properties"]
    write(tmp_path, "app/res/values-de/strings.xml", res.format("Speichern"))
    again = CliRunner().invoke(cli, ["run", str(tmp_path / "app"), "-o", str(out), "--overwrite", "-q", "--translate", "none"])
    assert again.exit_code == 0 and "warning: skipped" in again.output and "values-de" in again.output
