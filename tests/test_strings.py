"""Readers of software string files: each format, escape and plural rule, and bad files."""

from pathlib import Path

import pytest

from align.errors import InputError
from align.ingest.strings import place, read_string_file, string_format


def units(path: Path, fmt: str | None = None, relative: str | None = None):
    fmt = fmt or string_format(path, relative or path.name)
    return [(u.key, u.text, u.plural) for u in read_string_file(path, fmt).units]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_android_strings_arrays_plurals_escapes_and_xliff_g(tmp_path):
    path = write(tmp_path, "res/values/strings.xml", """<?xml version="1.0" encoding="utf-8"?>
<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2">
  <!-- shown on the launcher -->
  <string name="app_name">Notes</string>
  <string name="version" translatable="false">1.2</string>
  <string name="quote">Don\\'t say \\"no\\"\\nnow</string>
  <string name="spaces">"  two  spaces "</string>
  <string name="hello">Hello, <xliff:g id="name" example="Bob">%1$s</xliff:g>!</string>
  <string name="bold">Tap <b>Save</b></string>
  <string name="uni">caf\\u00e9</string>
  <string-array name="sizes"><item>Small</item><item>Large</item></string-array>
  <plurals name="notes"><item quantity="one">%d note</item><item quantity="other">%d notes</item></plurals>
</resources>""")
    assert string_format(path, "res/values/strings.xml") == "android"
    found = read_string_file(path, "android").units
    assert [(u.key, u.text, u.plural) for u in found] == [
        ("app_name", "Notes", ""), ("quote", 'Don\'t say "no"\nnow', ""), ("spaces", "  two  spaces ", ""),
        ("hello", "Hello, %1$s!", ""), ("bold", "Tap <b>Save</b>", ""), ("uni", "café", ""),
        ("sizes[0]", "Small", ""), ("sizes[1]", "Large", ""), ("notes", "%d note", "one"), ("notes", "%d notes", "other")]
    assert found[0].notes == "shown on the launcher" and [u.position for u in found][:3] == [1, 2, 3]


def test_json_flat_nested_chrome_and_locale_root(tmp_path):
    nested = write(tmp_path, "locales/en/common.json",
                   '{"menu": {"file": "File", "items": ["Open", "Close"]}, "count": 3, "n_one": "{{count}} item"}')
    assert units(nested, relative="locales/en/common.json") == [
        ("menu.file", "File", ""), ("menu.items[0]", "Open", ""), ("menu.items[1]", "Close", ""),
        ("n_one", "{{count}} item", "")]
    chrome = write(tmp_path, "_locales/zh_CN/messages.json",
                   '{"appName": {"message": "笔记 $USER$", "description": "name", "placeholders": {"user": {"content": "$1"}}}}')
    found = read_string_file(chrome, "json").units
    assert [(u.key, u.text, u.notes) for u in found] == [("appName", "笔记 $USER$", "name")]
    rooted = write(tmp_path, "zh-CN.json", '{"zh-CN": {"a": {"b": "乙"}}}')
    assert units(rooted) == [("a.b", "乙", "")]
    assert read_string_file(rooted, "json").locale == "zh-CN"


def test_arb_metadata_and_icu_plural_forms(tmp_path):
    path = write(tmp_path, "intl_en.arb", """{"@@locale": "en", "hello": "Hello {name}",
      "@hello": {"description": "greeting", "placeholders": {"name": {}}},
      "items": "{count, plural, =0{No items} one{One item} other{{count} items}}"}""")
    found = read_string_file(path, "arb")
    assert [(u.key, u.text, u.plural) for u in found.units] == [
        ("hello", "Hello {name}", ""), ("items", "No items", "=0"), ("items", "One item", "one"),
        ("items", "{count} items", "other")]
    assert found.units[0].notes == "greeting" and found.locale == "en"


def test_icu_select_branches_are_units_of_text_and_hash_is_the_plural_number(tmp_path):
    path = write(tmp_path, "intl_en.arb", """{
      "who": "{gender, select, male{He left} female{She left} other{They left}}",
      "cats": "{gender, select, male{{n, plural, one{His # cat} other{His # cats}}} other{Cats}}",
      "rank": "Issue #{n, selectordinal, one{#st} other{#th}}"}""")
    found = read_string_file(path, "arb").units
    assert [(u.key, u.text, u.plural, u.hash_arg) for u in found] == [
        ("who", "He left", "male", False), ("who", "She left", "female", False), ("who", "They left", "other", False),
        ("cats", "His # cat", "male/one", True), ("cats", "His # cats", "male/other", True), ("cats", "Cats", "other", False),
        ("rank", "Issue ##st", "one", True), ("rank", "Issue ##th", "other", True)]


def test_icu_hash_is_a_ph_in_the_tmx_segment_and_select_branches_are_not(tmp_path):
    from align.keyed import prepare_keyed
    from align.normalize import Normalizer

    write(tmp_path, "intl_en.arb", '{"n": "{count, plural, one{# item} other{# items}}",'
                                   ' "g": "{sex, select, male{He} other{They}}", "tag": "Tag #1"}')
    write(tmp_path, "intl_zh.arb", '{"n": "{count, plural, other{# 项}}", "g": "{sex, select, male{他} other{他们}}",'
                                   ' "tag": "标签 #1"}')
    found = [(tmp_path / "intl_en.arb", tmp_path), (tmp_path / "intl_zh.arb", tmp_path)]
    part, = prepare_keyed(found, Normalizer()).parts
    markup = {(z.location, z.kind): (z.markup, e.markup) for z, e in part.pairs}
    assert markup[("n", "plural:other")] == ('<ph x="1">#</ph> 项', '<ph x="1">#</ph> items')
    assert markup[("g", "plural:male")] == ("", "") and markup[("g", "plural:other")] == ("", "")
    assert markup[("tag", "string")] == ("", "")  # outside an ICU plural, # is text


def test_properties_escapes_continuations_and_comments(tmp_path):
    path = write(tmp_path, "Messages_zh_CN.properties",
                 "# the title\ntitle = \\u6807\\u9898\nlong=first \\\n    second\nkey\\ with\\ space : v\n! old\ntab=a\\tb\n")
    found = read_string_file(path, "properties", zh_expected=True).units
    assert [(u.key, u.text) for u in found] == [("title", "标题"), ("long", "first second"), ("key with space", "v"),
                                                 ("tab", "a\tb")]
    assert found[0].notes == "the title" and found[3].notes == "old"


def test_properties_in_the_wrong_encoding_is_refused_for_chinese(tmp_path):
    path = write(tmp_path, "Messages_zh_CN.properties", "title=标题\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_string_file(path, "properties", zh_expected=True)
    latin = write(tmp_path, "Messages_fr.properties", "title=R\xe9sum\xe9\n".encode("latin-1"))
    assert units(latin) == [("title", "Résumé", "")]


def test_apple_strings_utf16_and_escapes(tmp_path):
    text = '/* Greeting */\n"hello" = "Hello \\"%@\\"\\n";\n// bare key\nbye = "Bye";\n'
    path = write(tmp_path, "en.lproj/Localizable.strings", text.encode("utf-16"))
    found = read_string_file(path, "strings").units
    assert [(u.key, u.text, u.notes) for u in found] == [("hello", 'Hello "%@"\n', "Greeting"), ("bye", "Bye", "bare key")]


def test_stringsdict_and_xcstrings_plurals(tmp_path):
    plist = write(tmp_path, "en.lproj/Localizable.stringsdict", """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>files</key><dict>
<key>NSStringLocalizedFormatKey</key><string>%#@n@ left</string>
<key>n</key><dict><key>NSStringFormatSpecTypeKey</key><string>NSStringPluralRuleType</string>
<key>NSStringFormatValueTypeKey</key><string>d</string>
<key>one</key><string>%d file</string><key>other</key><string>%d files</string></dict></dict></dict></plist>""")
    assert units(plist) == [("files", "%d file left", "one"), ("files", "%d files left", "other")]
    catalog = write(tmp_path, "Localizable.xcstrings", """{"sourceLanguage": "en", "version": "1.0", "strings": {
      "Save": {"localizations": {"zh-Hans": {"stringUnit": {"state": "translated", "value": "保存"}}}},
      "Gone": {"extractionState": "stale", "localizations": {"zh-Hans": {"stringUnit": {"state": "translated", "value": "旧"}}}},
      "n_files": {"localizations": {"en": {"variations": {"plural": {"one": {"stringUnit": {"state": "translated", "value": "%lld file"}},
        "other": {"stringUnit": {"state": "translated", "value": "%lld files"}}}}}}}}}""")
    languages = dict(read_string_file(catalog, "xcstrings").languages)
    assert [(u.key, u.text, u.plural) for u in languages["en"]] == [
        ("Save", "Save", ""), ("Gone", "Gone", ""), ("n_files", "%lld file", "one"), ("n_files", "%lld files", "other")]
    assert [(u.key, u.text, u.state) for u in languages["zh-Hans"]] == [("Save", "保存", ""), ("Gone", "旧", "obsolete")]


def test_yaml_locale_root_plurals_and_the_alias_bomb(tmp_path):
    path = write(tmp_path, "config/locales/client.zh_CN.yml",
                 "zh_CN:\n  js:\n    save: 保存\n    topics:\n      one: 一个主题\n      other: '%{count} 个主题'\n    n: 3\n")
    assert string_format(path, "config/locales/client.zh_CN.yml") == "yaml"
    found = read_string_file(path, "yaml")
    assert found.locale == "zh_CN"
    assert [(u.key, u.text, u.plural) for u in found.units] == [
        ("js.save", "保存", ""), ("js.topics", "一个主题", "one"), ("js.topics", "%{count} 个主题", "other")]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 9)}]\n" for k in range(8))
    with pytest.raises(InputError, match="more than 200000 strings"):  # 9**9 strings once expanded
        read_string_file(write(tmp_path, "en.yml", "en:\n  " + bomb.replace("\n", "\n  ")), "yaml")
    many = "en:\n  a: &a x\n  b: [" + ", ".join(["*a"] * 1001) + "]\n"
    with pytest.raises(InputError, match="1000 YAML aliases"):
        read_string_file(write(tmp_path, "config/en.yml", many), "yaml")


def test_resx_leaves_out_typed_and_designer_entries(tmp_path):
    path = write(tmp_path, "Resources.zh-CN.resx", """<?xml version="1.0" encoding="utf-8"?><root>
<data name="Save" xml:space="preserve"><value>保存</value><comment>button</comment></data>
<data name="Icon" type="System.Drawing.Bitmap, System.Drawing" mimetype="application/x-microsoft.net.object.bytearray.base64"><value>AAAA</value></data>
<data name="&gt;&gt;button1.Name"><value>button1</value></data></root>""")
    found = read_string_file(path, "resx").units
    assert [(u.key, u.text, u.notes) for u in found] == [("Save", "保存", "button")]


def test_qt_ts_holds_both_languages(tmp_path):
    path = write(tmp_path, "app_zh_CN.ts", """<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS>
<TS version="2.1" language="zh_CN"><context><name>Main</name>
<message><source>Open</source><translation>打开</translation></message>
<message><source>Old</source><translation type="vanished">旧</translation></message>
<message numerus="yes"><source>%n file(s)</source><translation><numerusform>%n 个文件</numerusform></translation></message>
</context></TS>""")
    assert string_format(path, "app_zh_CN.ts") == "qt"
    languages = dict(read_string_file(path, "qt").languages)
    assert [(u.key, u.text, u.state) for u in languages["zh_CN"]] == [
        ("Main::Open", "打开", ""), ("Main::Old", "旧", "obsolete"), ("Main::%n file(s)", "%n 个文件", "")]
    assert write(tmp_path, "main.ts", "export const x = 1;\n") and string_format(tmp_path / "main.ts", "main.ts") is None


@pytest.mark.parametrize("name,data,fmt", [
    ("res/values-zh-rCN/strings.xml", "<resources><string name='a'>x</string>", "android"),
    ("zh-CN.json", '{"a": "x",', "json"),
    ("app_zh.arb", "[1, 2]", "arb"),
    ("zh.lproj/Localizable.strings", '"a" = "x"\n"b" = ;', "strings"),
    ("Resources.zh-CN.resx", "<root><data name='a'><value>x</value>", "resx"),
])
def test_broken_files_are_refused_with_a_reason(tmp_path, name, data, fmt):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError, match="not a"):
        read_string_file(path, fmt)


@pytest.mark.parametrize("relative,lang,region,family", [
    ("res/values-zh-rCN/strings.xml", "zh", "CN", "res/values/strings.xml"),
    ("res/values-b+zh+Hans/strings.xml", "zh", "CN", "res/values/strings.xml"),
    ("res/values/strings.xml", "", "", "res/values/strings.xml"),
    ("App/zh-Hans.lproj/Localizable.strings", "zh", "CN", "App/*.lproj/Localizable.strings"),
    ("App/Base.lproj/Main.strings", "", "", "App/*.lproj/Main.strings"),
    ("src/Messages_zh_CN.properties", "zh", "CN", "src/Messages*.properties"),
    ("src/Messages.properties", "", "", "src/Messages*.properties"),
    ("i18n/zh_Hans.json", "zh", "CN", "i18n/*.json"),
    ("i18n/zh.json", "zh", "", "i18n/*.json"),
    ("lib/l10n/intl_zh.arb", "zh", "", "lib/l10n/intl*.arb"),
    ("config/locales/client.zh_TW.yml", "zh", "TW", "config/locales/client*.yml"),
    ("Properties/Resources.zh-CN.resx", "zh", "CN", "Properties/Resources*.resx"),
    ("public/locales/zh-CN/translation.json", "zh", "CN", "public/locales/*/translation.json"),
])
def test_locale_conventions(relative, lang, region, family):
    placed = place(relative)
    assert (placed.locale.lang, placed.locale.region, placed.family) == (lang, region, family)


def test_only_locale_named_json_and_yaml_are_string_files(tmp_path):
    assert string_format(tmp_path / "package.json", "package.json") is None
    assert string_format(tmp_path / "docs/config.yml", "docs/config.yml") is None
    assert string_format(tmp_path / "res/layout/main.xml", "res/layout/main.xml") is None
    assert string_format(tmp_path / "en.json", "en.json") == "json"


def test_an_entity_bomb_is_refused_not_expanded(tmp_path):
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(8))
    path = write(tmp_path, "res/values/strings.xml",
                 f'<?xml version="1.0"?><!DOCTYPE resources [{entities}]><resources><string name="x">Hi &i;</string>'
                 '<string name="y">Bye</string></resources>')
    with pytest.raises(InputError, match="broken XML: Maximum entity amplification"):
        read_string_file(path, "android")
