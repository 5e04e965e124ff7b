import pytest

from align.segment import split_chinese, split_english


def texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_chinese_sentences_with_full_and_half_width_marks():
    t = "技术狂潮?颠覆认知?全网热议的Sora到底是什么?Sora是一个AI视频模型。“现实，不存在了。”他说。"
    assert texts(t, split_chinese(t)) == [
        "技术狂潮?", "颠覆认知?", "全网热议的Sora到底是什么?", "Sora是一个AI视频模型。", "“现实，不存在了。”", "他说。",
    ]


def test_chinese_commas_and_semicolons_do_not_split():
    t = "街道是潮湿和反光的,创造了一个镜面效果;许多行人走来走去。"
    assert texts(t, split_chinese(t)) == [t]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She wears sunglasses. She walks confidently.", ["She wears sunglasses.", "She walks confidently."]),
        ("It costs $3.50 today. Version 1.5 is out.", ["It costs $3.50 today.", "Version 1.5 is out."]),
        ("Mr. Smith and Dr. Lee met in the U.S. office. They talked.", ["Mr. Smith and Dr. Lee met in the U.S. office.", "They talked."]),
        ('He said, "The future is here." Then he left.', ['He said, "The future is here."', "Then he left."]),
        ("J. K. Rowling wrote it. Really?", ["J. K. Rowling wrote it.", "Really?"]),
        ("A list, e.g. apples, etc. is fine", ["A list, e.g. apples, etc. is fine"]),
        ("The answer is no. We left early.", ["The answer is no.", "We left early."]),
        ("He met the U.S. He works there.", ["He met the U.S.", "He works there."]),
        ("We meet at 3 p.m. Tomorrow we go.", ["We meet at 3 p.m.", "Tomorrow we go."]),
        ("i love it. you hate it.", ["i love it.", "you hate it."]),
        ("Set `.spec.replicas` to 3. See https://k8s.io/docs/ for more. Then go.",
         ["Set `.spec.replicas` to 3.", "See https://k8s.io/docs/ for more.", "Then go."]),
    ],
)
def test_english_sentences(text, expected):
    assert texts(text, split_english(text)) == expected
