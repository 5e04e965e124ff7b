"""The fixers: small named functions from a text to the changes it needs.

Every fixer takes a string and yields :class:`Change` records; ``core.run_fixers`` applies
them and logs each one. Fixers never guess at damage they cannot repair: they flag it.
"""

from __future__ import annotations

from types import MappingProxyType

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from ..language import HAN_CLASS, is_han
from .core import Change, chunked_changes
from .resources import Glossary, masked_word_rules, shipped_glossary

HAN = HAN_CLASS
CJK_PUNCT = "。，、：；！？（）《》「」『』【】“”‘’…—"

# --- shared ----------------------------------------------------------------------------------


def fix_encoding(text: str) -> Iterator[Change]:
    """Mojibake and other Unicode damage, repaired by ftfy (width and quotes are left to other fixers).

    >>> [c.replacement for c in fix_encoding("cafÃ©")]
    ['é']
    """
    import ftfy

    config = ftfy.TextFixerConfig(
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        normalization="NFC", explain=False, remove_control_chars=False,
    )
    yield from chunked_changes(text, lambda chunk: ftfy.fix_text(chunk, config), "ftfy")


# The simplified radicals (CJK Radicals Supplement) that stand for a character of their own,
# which a PDF's font may map its glyphs to; the Kangxi radicals (U+2F00-U+2FD5) map by NFKC.
_SUPPLEMENT_RADICALS = MappingProxyType(dict(zip(
    "⺟⻅⻆⻈⻉⻋⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "母见角讠贝车钅长门韦页风飞饣马鱼鸟卤麦黄黾齐齿龙龟")))
_RADICAL = re.compile(f"[\u2f00-\u2fd5{''.join(_SUPPLEMENT_RADICALS)}]")


def cjk_radicals(text: str) -> Iterator[Change]:
    """Radical characters inside Chinese text, as a PDF's font maps its glyphs (``个⼈⽹络``,
    U+2F08 KANGXI RADICAL MAN for 人), replaced by the characters they stand for; a radical
    with no letter, digit, Han character or radical beside it (a table of radicals) stays.

    >>> [(c.start, c.replacement) for c in cjk_radicals("个⼈⽹络⻓期, A将 T⽤ S")]
    [(1, '人'), (2, '网'), (4, '长'), (12, '用')]
    >>> list(cjk_radicals("部首 ⼈ 表"))
    []
    """
    import unicodedata

    for m in _RADICAL.finditer(text):
        i = m.start()
        near = text[max(0, i - 1):i] + text[i + 1:i + 2]
        if any(ch.isalnum() or _RADICAL.match(ch) for ch in near):
            ch = m.group()
            yield Change(i, i + 1, _SUPPLEMENT_RADICALS.get(ch) or unicodedata.normalize("NFKC", ch), note=f"U+{ord(ch):04X}")


_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def remove_invisible(text: str) -> Iterator[Change]:
    """Zero-width, bidirectional-control, soft-hyphen and C0/C1 control characters.

    >>> [(c.start, c.replacement) for c in remove_invisible("a\\u200bb")]
    [(1, '')]
    """
    for m in _INVISIBLE.finditer(text):
        yield Change(m.start(), m.end(), "", note=f"U+{ord(m.group()):04X}")


_SPACE_RUN = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\t]+")


def normalize_spaces(text: str) -> Iterator[Change]:
    """Runs of spaces, non-breaking and other odd spaces become one plain space.

    >>> [c.replacement for c in normalize_spaces("1.   Sora")]
    [' ']
    >>> [(c.start, c.end) for c in normalize_spaces("3. \u00a0 x")]
    [(2, 5)]
    """
    for m in _SPACE_RUN.finditer(text):
        if m.group() != " ":
            yield Change(m.start(), m.end(), " ")


def trim_spaces(text: str) -> Iterator[Change]:
    """Leading and trailing white space (including U+3000 indentation)."""
    m = re.match(r"^[\s\u3000]+", text)
    if m and m.end() < len(text):
        yield Change(0, m.end(), "")
    m = re.search(r"[\s\u3000]+$", text)
    if m and m.start() > 0:
        yield Change(m.start(), m.end(), "")


# --- boilerplate -------------------------------------------------------------------------------

_BOILERPLATE_PARAGRAPHS = (
    ("photo-caption", re.compile(r"^\(?\s*(?:Source|Photo|Image|Picture|Credit|图片来源|来源|图源)\s*[:：|]\s*(?:[^\s]+\s*){1,6}$", re.I)),
    ("site-byline", re.compile(r"^[\w .&-]{2,40}\bUpdated on \d{4}-\d{2}-\d{2}\.?$")),
    ("related-pages", re.compile(r"^(?:Related (?:Pages|Articles|Reading)|Recommended (?:Reading|for you)|相关阅读|相关推荐)\s*[:：]?$", re.I)),
    ("author-line", re.compile(r"^.{0,60}\b(?:Author|Editor|Edit|Written by|Reporter)\s*[|:：]\s*[\w .·-]{1,40}\.?$")),
    ("author-line", re.compile(r"^(?:作者|编辑|责任编辑|责编|记者|撰文|文)\s*[|:：丨]\s*\S(?:\s*\S){0,19}$")),
    ("publication-date", re.compile(r"^(?:发表时间|发布时间|时间|日期|Published(?: on)?|Posted(?: on)?)\s*[:：]?\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$", re.I)),
    ("contact-footer", re.compile(r"^(?:电话|手机|传真|地址|邮箱|邮编|网址|Tel|Phone|Fax|Address|E-?mail)\s*[:：]\s*\S.*$", re.I)),
    ("company-footer", re.compile(rf"^[{HAN}（）()]{{4,40}}(?:有限公司|有限责任公司|股份公司|集团)$")),
)


def boilerplate_paragraph(text: str) -> Iterator[Change]:
    """A whole paragraph that is site furniture: captions, bylines, author lines, contact footers.

    >>> [c.note for c in boilerplate_paragraph("Source: SORA")]
    ['photo-caption']
    >>> list(boilerplate_paragraph("Sora can generate video."))
    []
    """
    stripped = text.strip()
    for name, pattern in _BOILERPLATE_PARAGRAPHS:
        if pattern.match(stripped):
            yield Change(0, len(text), "", kind="remove", note=name)
            return


_INLINE_CAPTION = re.compile(r"\s*\((?:Source|Photo|Image|Credit)\s*:[^()]{0,60}\)(?:\w{1,8}\))?(?=\s*[.。]?\s*$|\s)", re.I)
_LEADING_CAPTION = re.compile(r"^(?:Source|Photo|Image)\s*:\s*[A-Za-z][\w.-]{0,20}\s+(?=[A-Z][a-z']*(?:,)?(?:\s+\S+){4,})")


def inline_caption(text: str) -> Iterator[Change]:
    """Photo credits inside a paragraph: ``... inflexible (Source: pika).`` and a leading
    ``Source: X`` glued to the next paragraph's text.

    >>> [c.start for c in inline_caption("Realistic (Source: pika).")]
    [9]
    """
    for m in _INLINE_CAPTION.finditer(text):
        yield Change(m.start(), m.end(), "", kind="remove", note="photo-caption")
    m = _LEADING_CAPTION.match(text)
    if m:
        yield Change(0, m.end(), "", kind="remove", note="photo-caption")


# --- Chinese -----------------------------------------------------------------------------------

_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def fullwidth_alnum(text: str) -> Iterator[Change]:
    """Full-width Latin letters and digits become half-width.

    >>> [c.replacement for c in fullwidth_alnum("ＧＰＴ４模型")]
    ['GPT4']
    """
    for m in _FULLWIDTH_ALNUM.finditer(text):
        yield Change(m.start(), m.end(), "".join(chr(ord(ch) - 0xFEE0) for ch in m.group()))


_HALF_TO_FULL = MappingProxyType({",": "，", "?": "？", "!": "！", ";": "；", ":": "：", "(": "（", ")": "）"})
_OPENING, _CLOSING = "(（", ")）"


def _is_zh_context(ch: str) -> bool:
    return bool(ch) and (is_han(ch) or ch in CJK_PUNCT)


def halfwidth_punctuation(text: str) -> Iterator[Change]:
    """Half-width ``, ? ! ; : ( )`` used as Chinese punctuation become full-width.

    A bracket pair is converted whole or not at all: when it holds Chinese text, or when one
    of its two brackets is full-width already (``位(bit)`` stays as written, ``PGC(专业内容)``
    and ``（bit)`` become full-width pairs); a bracket with no partner is left alone. Another
    mark is converted when it touches Chinese text on the side that matters; marks inside Latin
    text (``1,000``, ``10:30``, ``Oh no!``) are left alone. Decisions are repeated until nothing
    changes, since a converted mark is Chinese context for its neighbour (``::中``): the fixer
    is idempotent.

    >>> "".join(c.replacement for c in halfwidth_punctuation("街道上,街道上"))
    '，'
    >>> list(halfwidth_punctuation("时间10:30,共1,000人"))[0].start
    7
    >>> "".join(c.replacement for c in halfwidth_punctuation("::中"))
    '：：'
    >>> list(halfwidth_punctuation("位(bit)和字节(byte)。他说Oh no!"))
    []
    >>> [c.replacement for c in halfwidth_punctuation("PGC(专业生产内容),UGC")]
    ['（', '）', '，']
    """
    chars = list(text)
    converted = set(_brackets_to_convert(text))
    for i in converted:
        chars[i] = _HALF_TO_FULL[chars[i]]
    has_han = _has_han(text)
    last_content = _content_end(text)
    todo = [i for i, ch in enumerate(text) if ch in _HALF_TO_FULL and ch not in _OPENING + _CLOSING]
    while todo:  # a conversion can only change the decision for the marks next to it
        new = [i for i in todo if chars[i] in _HALF_TO_FULL and _is_chinese_mark(chars, i, has_han, last_content)]
        for i in new:
            chars[i] = _HALF_TO_FULL[chars[i]]
        converted.update(new)
        todo = sorted({j for i in new for j in (_step_over_spaces(chars, i, -1), _step_over_spaces(chars, i, 1))
                       if 0 <= j < len(chars) and chars[j] in ",?!;:"} - converted)
    yield from _conversions(text, "".join(chars), sorted(converted))


def _conversions(text: str, work: str, converted: list[int]) -> Iterator[Change]:
    """The changes for the converted marks, each with the spaces that full-width punctuation
    makes redundant (before it after Chinese, after it unless it opens a bracket)."""
    last_end = 0
    for i in converted:
        ch = text[i]
        prev_skip = _previous_non_space(work, i)
        start = i - 1 if i and work[i - 1] == " " and _is_zh_context(prev_skip) else i
        start = max(start, last_end)
        end = i + 1
        while end < len(work) and work[end] == " " and ch != "(":
            end += 1
        last_end = end
        yield Change(start, end, _HALF_TO_FULL[ch])


def _bracket_pairs(text: str) -> Iterator[tuple[int, int]]:
    """``(open, close)`` of the matched brackets of ``text`` (half- or full-width, nested),
    each closing bracket within ``_PAREN_WINDOW`` characters of its opening one."""
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPENING:
            stack.append(i)
        elif ch in _CLOSING and stack:
            opening = stack.pop()
            if i - opening <= _PAREN_WINDOW:
                yield opening, i


def _brackets_to_convert(text: str) -> Iterator[int]:
    """The half-width brackets of pairs that become full-width: pairs holding Chinese text,
    and pairs with one full-width bracket already."""
    for opening, closing in _bracket_pairs(text):
        half = [k for k in (opening, closing) if text[k] in "()"]
        if not half or text[opening - 1 : opening] == "]":
            continue  # all full-width, or a Markdown link's target
        inside = text[opening + 1 : closing]
        if len(half) == 1 or any(_is_zh_context(ch) for ch in inside):
            yield from half


def _step_over_spaces(text: Sequence[str], i: int, step: int) -> int:
    k = i + step
    while 0 <= k < len(text) and text[k].isspace():
        k += step
    return k


def _content_end(text: str) -> int:
    """Where the text ends, leaving out trailing white space, closing quotes and ``?!``."""
    end = len(text)
    while end and (text[end - 1] in _ZH_CLOSERS_AND_SPACE or text[end - 1].isspace()):
        end -= 1
    return end


def _previous_non_space(text: Sequence[str], i: int) -> str:
    """The nearest character before ``i`` that is not white space ("" at the start)."""
    k = i - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return text[k] if k >= 0 else ""


def _next_non_space(text: Sequence[str], i: int) -> str:
    """The nearest character after ``i`` that is not white space ("" at the end)."""
    k = i + 1
    while k < len(text) and text[k].isspace():
        k += 1
    return text[k] if k < len(text) else ""


def _after_latin_phrase(text: Sequence[str], i: int) -> bool:
    """Whether the mark at ``i`` closes a run of Latin words (``Oh no!``, ``kubectl get pods,``)
    rather than following Chinese or one Latin name (``什么是SORA?``): it is then the Latin
    text's own punctuation."""
    k = i - 1
    while k >= 0 and not _is_zh_context(text[k]) and text[k] not in "\n":
        k -= 1
    run = "".join(text[k + 1 : i]).strip()
    return len(re.findall(r"[A-Za-z]+", run)) >= 2 and " " in run


def _is_chinese_mark(text: Sequence[str], i: int, has_han: bool, last_content: int) -> bool:
    """Whether the half-width mark at ``i`` (not a bracket) is used as Chinese punctuation."""
    ch = text[i]
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev_skip = _previous_non_space(text, i)
    next_skip = _next_non_space(text, i)
    if prev.isdigit() and nxt.isdigit():
        return False
    if ch == ":" and nxt == "/":
        return False
    if _is_zh_context(prev_skip):
        return True
    if prev_skip.isascii() and prev_skip.isalnum() and _after_latin_phrase(text, i):
        return False  # the Latin text's own punctuation: Oh no! inside a Chinese sentence
    at_end = ch in "?!" and i + 1 >= last_content
    return _is_zh_context(next_skip) or (at_end and has_han)


_ZH_CLOSERS_AND_SPACE = " ”’」』）)\"'?!"


def _has_han(text: str) -> bool:
    return any(is_han(c) for c in text)


_PAREN_WINDOW = 200  # how far a parenthesis looks for its partner


_HAN_LATIN_SPACE = re.compile(rf"(?<=[{HAN}]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%]) +(?=[{HAN}])")


def han_latin_spacing(text: str) -> Iterator[Change]:
    """Spaces between Han characters and Latin letters or digits are removed (mainland style).

    >>> "".join(c.replacement for c in han_latin_spacing("OpenAI 有 GPT 和"))
    ''
    """
    for m in _HAN_LATIN_SPACE.finditer(text):
        yield Change(m.start(), m.end(), "")


_FULLWIDTH_PUNCT = "。，、：；！？（）《》「」『』【】…"  # not “” ‘’ or —: English uses them too
_SPACE_AROUND_CJK_PUNCT = re.compile(rf" +(?=[{_FULLWIDTH_PUNCT}])|(?<=[{_FULLWIDTH_PUNCT}]) +")


def cjk_punctuation_spacing(text: str) -> Iterator[Change]:
    """Spaces before or after full-width punctuation are removed; spaces around curly quotes
    and dashes, which English shares, are the author's (``使用 “resource” 一词``).

    >>> [c.start for c in cjk_punctuation_spacing("Service ，但是使用 “resource” 一词")]
    [7]
    """
    for m in _SPACE_AROUND_CJK_PUNCT.finditer(text):
        yield Change(m.start(), m.end(), "")


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The Simplified form of a Chinese text (OpenCC t2s), to match Traditional text against
    English without changing what is exported.

    >>> to_simplified("學習的基礎")
    '学习的基础'
    """
    return _opencc().convert(text)


def traditional_to_simplified(text: str) -> Iterator[Change]:
    """Traditional characters become Simplified (OpenCC t2s) in the text itself; only with
    ``--t2s-output`` (``--t2s`` alone converts for matching only)."""
    yield from chunked_changes(text, _opencc().convert, "opencc t2s")


# --- English -----------------------------------------------------------------------------------

_ZH_PUNCT_TO_ASCII = MappingProxyType({
    "。": ".", "，": ",", "、": ",", "：": ":", "；": ";", "！": "!", "？": "?",
    "（": "(", "）": ")", "【": "[", "】": "]", "《": '"', "》": '"', "「": '"', "」": '"',
})
_ZH_PUNCT_IN_EN = re.compile("([。，、：；！？（）【】《》「」])( ?)")
_ZH_PAREN_SUFFIX = re.compile(r"[A-Za-z]{1,3}[）)]")  # person（s）, class（es）: a plural ending, no space


def chinese_punctuation_in_english(text: str) -> Iterator[Change]:
    """Chinese punctuation inside English becomes ASCII, with a space after it where a word follows.

    >>> "".join(c.replacement for c in chinese_punctuation_in_english("fell 158%。In one day"))
    '. '
    >>> [c.replacement for c in chinese_punctuation_in_english("any person（s） who")]
    ['(', ') ']
    """
    for m in _ZH_PUNCT_IN_EN.finditer(text):
        mark = m.group(1)
        ascii_mark = _ZH_PUNCT_TO_ASCII[mark]
        end = m.end()
        nxt = text[end : end + 1]
        opening = mark in "（【《「"
        if opening:
            before = text[m.start() - 1 : m.start()]
            inside_word = before.isalnum() and _ZH_PAREN_SUFFIX.match(text, m.end()) is not None
            replacement = (" " if before and not before.isspace() and not inside_word else "") + ascii_mark
        else:
            spaced = m.group(2) or (nxt and not nxt.isspace() and nxt not in ".,;:!?)\"'")
            replacement = ascii_mark + (" " if spaced else "")
        yield Change(m.start(), end, replacement)


def _stray_closing_quotes(text: str) -> Iterator[tuple[int, int]]:
    """Spans of stray closing quotes: a curly quote right after a closed quotation."""
    straight = re.sub(r"[“”„‟]", '"', text)  # same length: decide as if every quote were straight
    removed: set[int] = set()
    for m in re.finditer(r'(?<=")\s*(")|(?<=[.!?]")\s+"(?=\s*$)', straight):
        if m.group(1) is not None and text[m.end() - 1] == '"':
            continue  # two straight quotes in the original: not a stray curly one
        if not removed.intersection(range(m.start(), m.end())):
            removed.update(range(m.start(), m.end()))
            yield m.start(), m.end()


def stray_quotes(text: str) -> Iterator[Change]:
    """A stray closing quote after a closed quotation goes (MT damage).

    >>> [c.replacement for c in stray_quotes('he said "done." ”')]
    ['']
    """
    for start, end in _stray_closing_quotes(text):
        yield Change(start, end, "", note="stray closing quote")


def curly_quotes(text: str) -> Iterator[Change]:
    """Curly double quotes in English become straight (a style rewrite: opt-in).

    >>> [c.replacement for c in curly_quotes('he said “done.”')]
    ['"', '"']
    """
    stray = {k for start, end in _stray_closing_quotes(text) for k in range(start, end)}
    for m in re.finditer(r"[“”„‟]", text):
        if m.start() in stray:
            continue
        before = text[max(0, m.start() - 2) : m.start()]
        if '"' in before[-1:] or re.fullmatch(r'"\s', before):
            continue
        yield Change(m.start(), m.end(), '"')


def apply_glossary(text: str, glossary: Glossary | None = None) -> Iterator[Change]:
    """Pinyin calques and literal idioms from the translation, replaced from the glossary
    (the shipped one unless another is given).

    >>> [c.replacement for c in apply_glossary("and Wensheng**'s SORA")]
    ['text-to-video']
    """
    glossary = glossary or shipped_glossary()
    for m in glossary.pattern.finditer(text):
        target, note = glossary.table[m.group(0)]
        yield Change(m.start(), m.end(), target, note=note)


_MASK = re.compile(r"\*{2,}")
_MARKDOWN_BOLD = re.compile(r"(?<![\w*])\*\*(?=[^\s*])([^*\n]{1,200}?)(?<=[^\s*])\*\*(?![\w*])")
PLACEHOLDER = "[masked]"


def _markdown_bold_spans(text: str) -> list[tuple[int, int]]:
    """``**bold**`` spans, but only where every ``**`` in the text belongs to one."""
    spans = [m.span() for m in _MARKDOWN_BOLD.finditer(text)]
    covered = sum(2 for _ in spans) * 2
    total = sum(len(m.group()) for m in _MASK.finditer(text))
    return spans if spans and covered == total else []


def masked_words(text: str) -> Iterator[Change]:
    """Restore words the source site censored as ``**`` where the context decides, else a placeholder.

    Inside a word (``D**e``) the mask is filled when a common censored string makes a known
    word; elsewhere the rules in ``data/masked_words.tsv`` decide (``social **`` is "social
    media", a mask in a noun slot is "video"). Anything undecided becomes ``[masked]`` and
    is flagged. Legitimate Markdown ``**bold**`` is left alone.

    >>> [c.replacement for c in masked_words("D**e Clark said")]
    ['av']
    >>> [c.replacement for c in masked_words("viral on social **.")]
    ['media']
    >>> list(masked_words("a **bold** claim"))
    []
    """
    bold_marks = {pos for s, e in _markdown_bold_spans(text) for pos in (s, e - 2)}
    for m in _MASK.finditer(text):
        if m.start() in bold_marks:
            continue
        start, end = m.span()
        left, right = text[max(0, start - 80) : start], text[end : end + 80]
        glued_left = bool(left) and left[-1].isalnum()
        glued_right = bool(right) and right[0].isalnum()
        if glued_left and glued_right:
            fill = _fill_inside_word(text, start, end)
            if fill:
                yield Change(start, end, fill, note="inside a word")
                continue
        count = max(1, len(m.group()) // 2)
        fill, rule = _fill_from_rules(left, right)
        if fill is None or count > 1:
            word, kind, note = PLACEHOLDER, "repair", "undecided: placeholder"
        else:
            word, kind, note = fill, "repair", f"rule {rule}"
        replacement = (" " if glued_left else "") + word + (" " if glued_right else "")
        yield Change(start, end, replacement, kind=kind, note=note)


_CENSORED_FILLS = ("av", "video", "vid", "ide")


def _fill_inside_word(text: str, start: int, end: int) -> str | None:
    from wordfreq import zipf_frequency

    ws = start
    while ws > 0 and text[ws - 1].isalpha():
        ws -= 1
    we = end
    while we < len(text) and text[we].isalpha():
        we += 1
    head, tail = text[ws:start], text[end:we]
    best = None
    for fill in _CENSORED_FILLS:
        word = head + fill + tail
        freq = zipf_frequency(word.lower(), "en")
        if freq >= 3.0 and (best is None or freq > best[0]):
            best = (freq, fill)
    return best[1] if best else None


def _fill_from_rules(left: str, right: str) -> tuple[str | None, str]:
    for rule in masked_word_rules():
        if rule.left and not rule.left.search(left):
            continue
        if rule.right and not rule.right.search(right):
            continue
        return rule.fill, rule.name
    return None, ""


_GLUED = re.compile(r"\b([a-z]{2,})([A-Z][a-z]{2,})\b")


def document_identifiers(texts: Iterable[str]) -> frozenset[str]:
    """The camel-case words (``minAvailable``) that a document writes as code (inside
    backticks) or more than once: identifiers of the text, not two words a lost space glued.

    >>> sorted(document_identifiers(["Set `minAvailable`.", "Use minAvailable and hostPath, hostPath."]))
    ['hostPath', 'minAvailable']
    """
    seen: Counter = Counter()
    coded: set[str] = set()
    for text in texts:
        for m in _GLUED.finditer(text):
            seen[m.group(0)] += 1
        for code in _INLINE_CODE.findall(text):
            coded.update(m.group(0) for m in _GLUED.finditer(code))
    return frozenset(coded | {word for word, n in seen.items() if n > 1})


_INLINE_CODE = re.compile(r"`[^`\n]+`")


def run_together_sentences(text: str, identifiers: frozenset[str] = frozenset()) -> Iterator[Change]:
    """A lowercase word glued to a capitalised one (``saidChinese``) is split when neither the
    glued form nor a camel-case name is known, it is not one of the document's ``identifiers``
    (see ``document_identifiers``) and both halves are common words.

    >>> [c.replacement for c in run_together_sentences("Guo Lin saidChinese companies")]
    [' ']
    >>> list(run_together_sentences("OpenAI and iPhone and macOS and YouTube"))
    []
    >>> list(run_together_sentences("Set minAvailable to 2", frozenset({"minAvailable"})))
    []
    """
    from wordfreq import zipf_frequency

    for m in _GLUED.finditer(text):
        glued, left, right = m.group(0), m.group(1), m.group(2)
        if glued in identifiers or zipf_frequency(glued, "en") > 0 or zipf_frequency(glued.lower(), "en") > 1.5:
            continue
        if zipf_frequency(left, "en") < 3.0 or zipf_frequency(right.lower(), "en") < 2.5:
            continue
        yield Change(m.start(1) + len(left), m.start(2), " ", note=f"{left} | {right}")


_FOOTNOTE = re.compile(r"\b([a-z]{4,})(\d{1,2})(?=[\s.,;:!?)\]\"'”’]|$)")
_VERSIONED_NAMES = frozenset({"covid", "windows", "python", "iphone", "galaxy", "office", "android", "ubuntu"})


def footnote_markers(text: str) -> Iterator[Change]:
    """Footnote numbers glued to a word (``enacted6``, ``amended12.``) are removed: a common
    English word followed by one or two digits, not a versioned name (``covid19``, ``python3``).

    >>> [(c.start, c.replacement, c.note) for c in footnote_markers("It was enacted6 and amended12.")]
    [(14, '', 'footnote 6'), (27, '', 'footnote 12')]
    >>> list(footnote_markers("mp3 files, covid19, ipv6, python3"))
    []
    """
    from wordfreq import zipf_frequency

    for m in _FOOTNOTE.finditer(text):
        word = m.group(1)
        if word in _VERSIONED_NAMES or zipf_frequency(word, "en") < 3.0:
            continue
        yield Change(m.start(2), m.end(2), "", kind="remove", note=f"footnote {m.group(2)}")


_DECIMAL_DAMAGE = (
    ("letters-glued-to-number", re.compile(r"\b[a-z]{3,}\d+\b")),
    ("percent-fall-over-100", re.compile(r"(?i)\b(?:fell|fall|falls|dropped|drop|drops|decreased|declined|lost|plunged)\s+(?:by\s+)?(?:[1-9]\d{2,}(?:\.\d+)?)%")),
    ("lost-version-point", re.compile(r"\b(?:sd|SD|Gemini|GPT|Llama|Claude)\s?(?:1[0-9]|[2-9][0-9])\b(?![.,]\d)")),
)


def flag_number_damage(text: str) -> Iterator[Change]:
    """Numbers that look damaged (a lost decimal point, a displaced digit) are flagged, not guessed.

    >>> [c.note for c in flag_number_damage("fell 158% in a day")]
    ['percent-fall-over-100']
    """
    taken: list[tuple[int, int]] = []
    for name, pattern in _DECIMAL_DAMAGE:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            yield Change(m.start(), m.end(), m.group(), kind="flag", note=name)
