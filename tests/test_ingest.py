import pytest

from align.errors import InputError
from align.ingest import decode_bytes, document_id, ingest, split_paragraphs
from align.language import detect_language

ZH = "一个时髦的女人走在东京的街道上。她戴着太阳镜，涂着红色的口红。"
ZH_TRAD = "一個時髦的女人走在東京的街道上。她戴著太陽鏡，塗著紅色的口紅。"


@pytest.mark.parametrize(
    "data, expected",
    [
        (ZH.encode("gb18030"), ZH),
        (ZH_TRAD.encode("big5"), ZH_TRAD),
        (ZH.encode("utf-16"), ZH),  # with BOM
        (ZH.encode("utf-16-le"), ZH),
        (("Sora is here. " * 5).encode("utf-16-be"), "Sora is here. " * 5),
        (("Sora is here. " * 5).encode("utf-16-le"), "Sora is here. " * 5),
        (b"\xef\xbb\xbf" + ZH.encode("utf-8"), ZH),
    ],
)
def test_decode_detects_encodings(data, expected):
    text, _ = decode_bytes(data)
    assert text == expected


def test_binary_content_is_rejected():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError):
        decode_bytes(png)


def test_paragraphs_are_lines_and_blank_separated_blocks():
    text = "Title\n\nFirst line.\nSecond line.\n\n\nLast."
    spans = list(split_paragraphs(text))
    assert [text[s:e] for s, e in spans] == ["Title", "First line.", "Second line.", "Last."]


def test_hard_wrapped_block_is_one_paragraph():
    lines = ["This is a long line of a hard wrapped paragraph that goes on and", "on for quite a while without any end of the sentence in sight and", "still it continues for another full line of text before it ends", "here."]
    text = "\n".join(lines)
    assert [text[s:e] for s, e in split_paragraphs(text)] == [text]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Sora是一个AI视频模型,使用者用文字描述需求。", "zh"),
        ("A stylish woman walks down a Tokyo street.", "en"),
        ("Une femme élégante marche dans une rue de Tokyo avec des lumières.", "other"),
        ("Стильная женщина идёт по улице Токио.", "other"),
        ("東京の通りを歩くおしゃれな女性がいます。", "other"),
        ("2024-02-20 16:10", "other"),
    ],
)
def test_language_detection(text, lang):
    assert detect_language(text) == lang


def test_ingest_keeps_good_files_and_reports_bad_ones(tmp_path):
    (tmp_path / "good.txt").write_text("她戴着太阳镜。\n\nShe wears sunglasses.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00" * 50)
    docs, skipped = ingest([tmp_path])
    assert [d.doc_id for d, _ in docs] == ["good.txt"]
    assert sorted((s.path.rsplit("/", 1)[-1], s.reason) for s in skipped) == [
        ("empty.txt", "empty file"),
        ("image.png", "binary content (NUL bytes)"),
    ]
    doc, text = docs[0]
    assert [(p.lang, text[p.start:p.end]) for p in doc.paragraphs] == [("zh", "她戴着太阳镜。"), ("en", "She wears sunglasses.")]


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest([tmp_path / "nope"])


def test_document_ids_cannot_escape(tmp_path):
    assert "/" not in document_id(tmp_path / "a" / "b.txt", tmp_path)
    assert ".." not in document_id(tmp_path / "..x\n.txt", tmp_path)


def test_utf8_cut_inside_its_last_character_is_still_utf8():
    data = "学习 Bash 的基础知识。".encode("utf-8")
    text, encoding = decode_bytes(data[:-2])
    assert encoding == "utf-8" and text == "学习 Bash 的基础知识"


def test_big5_markdown_is_detected():
    import opencc

    simplified = ("## 基础\n\n- 学习 Bash 的基础知识。具体地，在命令行中输入 `man bash` 并至少全文浏览一遍；"
                  "它理解起来很简单并且不冗长。\n\n- 熟悉至少一个基于文本的编辑器。\n")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    text, encoding = decode_bytes(traditional.encode("big5"))
    assert encoding == "big5" and text == traditional
    text, encoding = decode_bytes(simplified.encode("gb18030"))
    assert encoding == "gb18030" and text == simplified


def _letters_one_by_one(text):
    import unicodedata

    from align.language import HAN_RANGES

    han = kana = latin = other = 0
    for ch in text:
        code = ord(ch)
        if any(low <= code <= high for low, high in HAN_RANGES):
            han += 1
        elif 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            kana += 1
        elif ch.isalpha():
            latin, other = (latin + 1, other) if "LATIN" in unicodedata.name(ch, "") else (latin, other + 1)
    return han, kana, latin, other


def test_language_detection_counts_letters_as_the_per_character_rules_do():
    from hypothesis import given
    from hypothesis import strategies as st

    from align.language import _letter_counts

    alphabet = st.characters(codec="utf-8") | st.sampled_from("中文𠀀豈かカ한ㄱaZéßЖα")

    @given(st.text(alphabet, max_size=80))
    def check(text):
        assert _letter_counts(text) == _letters_one_by_one(text)

    check()
    assert _letter_counts("中文 kana かな 한국 Straße Жук") == (2, 4, 10, 3)
