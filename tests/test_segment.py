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


def _english_sample():
    sentences = [
        'Dr. Smith paid $3.50 at 5 p.m. today.', '"Is it real?" she asked.', "He works in the U.S. office.",
        "i love it.", '"Maybe next year. But not now."', "Set `.spec.replicas` to 3.", "See https://k8s.io/docs/ for more.",
        "J. K. Rowling wrote it.", "Version 1.5 is out, e.g. for Linux, etc. and more", "Really?", "Yes!",
    ]
    return " ".join(sentences[i % len(sentences)] for i in range(300))


def test_english_splitting_in_pieces_finds_the_same_sentences(monkeypatch):
    import align.segment as segment

    text = _english_sample()
    whole = texts(text, split_english(text))
    assert len(whole) > 200
    monkeypatch.setattr(segment, "PYSBD_PIECE", 150)
    assert texts(text, split_english(text)) == whole


def test_english_splitting_stays_linear_on_a_long_line_without_punctuation(monkeypatch):
    """pysbd rescans its whole input once per abbreviation it meets (quadratic time): a long
    line reaches it in pieces of bounded length, each character once."""
    import pysbd

    import align.segment as segment

    seen = []
    segment_text = pysbd.Segmenter.segment
    monkeypatch.setattr(pysbd.Segmenter, "segment", lambda self, text: seen.append(len(text)) or segment_text(self, text))
    words = "the quick brown fox jumps over a lazy dog in no time and runs far away".split()
    text = " ".join(words[(i * 7) % len(words)] for i in range(8000))
    assert texts(text, split_english(text)) == [text]
    assert max(seen) <= segment.PYSBD_PIECE and sum(seen) == len(text)
    seen.clear()
    text = _english_sample() * 3
    split_english(text)
    assert max(seen) <= segment.PYSBD_PIECE and sum(seen) == len(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # "No." is the word, not numero, unless a number follows it.
        ('"No. Since you ask, it began at one." He left.', ['"No.', 'Since you ask, it began at one."', "He left."]),
        ("He lives at No. 5 Main Street. See Nos. 3 and 4.", ["He lives at No. 5 Main Street.", "See Nos. 3 and 4."]),
        # A quotation closed after an abbreviation ends where a new quotation opens.
        ('"It happens at one A.M." "So precise!" he said.', ['"It happens at one A.M."', '"So precise!" he said.']),
        ('He said "at 5 p.m." and left.', ['He said "at 5 p.m." and left.']),
    ],
)
def test_english_sentence_ends_in_dialogue(text, expected):
    assert texts(text, split_english(text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("大喇叭说：“咚——咚——” “猛捅——猛捅——”轿夫们笑了。", ["大喇叭说：“咚——咚——”", "“猛捅——猛捅——”轿夫们笑了。"]),
        ("他喊：“等一等——”“不等！”", ["他喊：“等一等——”", "“不等！”"]),
        ("坚持“左”“右”两手都要硬。", ["坚持“左”“右”两手都要硬。"]),  # quoted terms side by side: one sentence
    ],
)
def test_chinese_speech_broken_off_by_a_dash_ends_where_a_new_quotation_opens(text, expected):
    assert texts(text, split_chinese(text)) == expected
