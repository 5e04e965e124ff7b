"""Script-based language identification for Chinese, English and everything else.

Chinese and English are told apart by their scripts; a Latin-script text counts as
English only when enough of its words are common English words (``wordfreq``), so
French or German paragraphs come out as ``other``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
# A URL ends before the punctuation around it (Chinese or Latin), a closing bracket or a backtick.
URL_PATTERN = (r"(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]{}（）。，；！？`'\"]*"
               r"[^\s<>()\[\]{}（）。，；！？.,;:!?`'\"]")
_URL = re.compile(URL_PATTERN)
# A word of prose: letters only, lower case or capitalised (not camelCase or an ALLCAPS code),
# with at most an apostrophe, a hyphen and the punctuation around it.
_PROSE_WORD = re.compile(r"^[(\"'“‘\[]*(?:[A-Za-z][a-z]+|[aAI])(?:[-'’][a-z]+|-[A-Z][a-z]+)*[.,;:!?)\"'”’\]]*$")
NEUTRAL = "neutral"  # code, commands, URLs, identifiers, numbers: the same in both languages


def without_inline_code(text: str) -> str:
    """The text with `inline code` spans blanked (commands are no language).

    >>> without_inline_code("学习 `df` 和 `mount`。")
    '学习   和  。'
    """
    return _INLINE_CODE.sub(" ", text)
_OTHER_LATIN_LANGS = ("fr", "de", "es", "it", "pt", "nl")
# English frequencies come from wordfreq's full list (the fixers ask it about rare words too);
# the other languages' from its small list, which holds every word above Zipf 3.0, all that
# the tests below look at, and loads in a tenth of the time (0.2 s against 2.1 s for the six).
_OTHER_LIST = "small"


def _other_latin_zipf(word: str) -> float:
    """The word's highest Zipf frequency among the neighbouring Latin-script languages (0 where
    it is at most 3.0 in all of them)."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang, _OTHER_LIST) for lang in _OTHER_LATIN_LANGS)


def prose_words(text: str) -> list[str]:
    """The words of ``text`` that read as prose: inline code, URLs, paths, options,
    identifiers (``camelCase``, ``snake_case``, ``ALLCAPS``, ``a.b``) and numbers left out.

    >>> prose_words("Run `kubectl get pods` with --all-namespaces on node.example.com.")
    ['Run', 'with', 'on']
    >>> prose_words("4. Proof-of-Work")
    ['Proof-of-Work']
    """
    text = _URL.sub(" ", without_inline_code(text))
    return [w for w in text.split() if _PROSE_WORD.match(w)]


# How many Latin letters inside Chinese make one character of translatable length: a product
# name or identifier is copied into the English as it is, so it weighs less than Han text.
# Chosen among 1, 2 and 4 on k8s-dev and the seeds (bench/docs.py; README "Translated documentation").
LATIN_PER_HAN = 2.0


def translatable_length(text: str, lang: str) -> float:
    """The length of what a translator translates in ``text``, in characters of its
    language: inline code and URLs do not count (they are copied), and in Chinese a Latin
    letter or digit (a product name, an identifier) counts as ``1 / LATIN_PER_HAN`` of a
    character.

    >>> translatable_length("使用 `kubectl` 命令。", "zh"), translatable_length("Use the `kubectl` command.", "en")
    (7.0, 17.0)
    >>> translatable_length("在 Pod 中", "zh")
    5.5
    """
    text = _URL.sub("", _INLINE_CODE.sub("", text))
    if lang != "zh":
        return float(len(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalnum())
    return float(len(text) - latin) + latin / LATIN_PER_HAN


def is_english_prose(text: str, min_words: int = 3, sentence_form: bool = True) -> bool:
    """Whether a Latin-script block is English text a translator translates, not a name, a
    label or code: at least ``min_words`` prose words, most of them common English words.

    >>> is_english_prose("The kubelet restarts the container."), is_english_prose("Node heart beats")
    (True, True)
    >>> is_english_prose("whatsnext"), is_english_prose("kubectl get nodes")
    (False, False)
    """
    words = prose_words(text)
    if len(words) < min_words:
        return False
    stripped = text.strip()
    if sentence_form and not (words[0].lstrip("(\"'“‘[")[:1].isupper() or stripped[-1:] in ".?!:;"):
        return False  # a command line: lower case, no sentence end
    return english_word_share(" ".join(words)) >= 0.5


def language_runs(lines: list[str]) -> list[list[str]]:
    """Lines of one block cut where the language changes between Chinese and English prose
    (a bilingual text that writes each line beside its translation with no blank line
    between them); a block in one language, or with lines of no language, stays whole.

    >>> language_runs(["第一条 为了保障公民权利，制定本法。", "Article 1 This Law is enacted to protect rights."])
    [['第一条 为了保障公民权利，制定本法。'], ['Article 1 This Law is enacted to protect rights.']]
    >>> language_runs(["学习 Bash 的基础知识，", "了解 `man` 命令。"])
    [['学习 Bash 的基础知识，', '了解 `man` 命令。']]
    """
    langs = []
    for line in lines:
        lang = detect_language(without_inline_code(line))
        langs.append(lang if lang == "zh" or (lang == "en" and is_english_prose(line, 3, sentence_form=False)) else None)
    if "zh" not in langs or "en" not in langs:
        return [lines]
    runs: list[list[str]] = []
    current = None
    for line, lang in zip(lines, langs):
        if runs and (lang is None or lang == current):
            runs[-1].append(line)
            continue
        runs.append([line])
        current = lang if lang is not None else current
    return runs


_SENTENCE_CUT = re.compile("[。！？][”’」』）]*\\s*|[.!?][\"'”’)]*(?:\\s+(?=[A-Z“\"(\u4e00-\u9fff])|(?=[\u4e00-\u9fff]))")


def language_cuts(text: str) -> list[int]:
    """Where a block that holds both a Chinese sentence and an English one changes language
    between sentences (offsets into ``text``); none for a block in one language, or whose
    English is a name or a phrase inside a Chinese sentence. A Chinese sentence has a Han
    character and reads as Chinese; an English one has no Han character and is prose.

    >>> text = "本文以中文写成。This paragraph is in English. 这一句又是中文。"
    >>> [text[a:b] for a, b in zip([0] + language_cuts(text), language_cuts(text) + [len(text)])]
    ['本文以中文写成。', 'This paragraph is in English. ', '这一句又是中文。']
    >>> language_cuts("本文以Creative Commons Attribution License 4.0 （CC-BY-4.0）许可证授权。"), language_cuts("他说：“Hello, how are you?” 然后离开。")
    ([], [])
    """
    ends = [m.end() for m in _SENTENCE_CUT.finditer(text) if m.end() < len(text)]
    if not ends:
        return []
    starts = [0] + ends
    langs = []
    for a, b in zip(starts, ends + [len(text)]):
        piece = text[a:b]
        if any(is_han(ch) for ch in piece):
            langs.append("zh" if detect_language(piece) == "zh" else None)
        else:
            langs.append("en" if is_english_prose(piece.strip()) else None)
    if "zh" not in langs or "en" not in langs:
        return []
    cuts, current = [], None
    for start, lang in zip(starts, langs):
        if lang is not None and current is not None and lang != current:
            cuts.append(start)
        current = lang or current
    return cuts


def tag_blocks(texts: list[str]) -> list[str]:
    """The language of each block of one document: ``zh``, ``en``, ``neutral`` or ``other``.

    A Latin-script block with no prose word (a command, a URL, an identifier, a number) is
    ``neutral``. In a Chinese document (English prose in fewer than a quarter as many blocks
    as Chinese), a Latin-script block is English only when it is prose (see
    ``is_english_prose``): an untranslated heading or label of a Chinese page is neutral, so
    the page is not taken for a bilingual one.

    >>> tag_blocks(["节点心跳", "whatsnext", "kubectl get nodes", "心跳是节点发送的。"])
    ['zh', 'neutral', 'neutral', 'zh']
    >>> tag_blocks(["Node heartbeats", "Heartbeats help.", "`kubectl get nodes`", "6443"])
    ['en', 'en', 'neutral', 'neutral']
    >>> tag_blocks(["简介", "使用 Docker Config 创建 Secret", "KubeOps (.NET operator SDK)", "Operator 示例", "说明。"])
    ['zh', 'zh', 'neutral', 'zh', 'zh']
    """
    first = [block_language(text) for text in texts]
    zh = first.count("zh")
    prose = sum(1 for text, lang in zip(texts, first) if lang == "en" and is_english_prose(text))
    if zh and prose < 0.25 * zh:  # a Chinese document
        first = [_in_chinese_document(text, lang) for text, lang in zip(texts, first)]
    return first


def block_language(text: str) -> str:
    """A block's language on its own: Latin text with no prose word, or no letter at all, is
    neutral; Latin text is ``other`` only when its words belong to another language."""
    without_code = without_inline_code(text)
    lang = detect_language(without_code if without_code.strip() else text)
    has_han = any(is_han(ch) for ch in text)
    if not has_han and not any(ch.isalpha() for ch in without_code):
        return NEUTRAL  # numbers, symbols, code only
    if lang == "en" and not prose_words(text) and not has_han:
        return NEUTRAL
    if lang == "other" and not has_han and _latin_letters(text) and not is_other_latin_language(without_code):
        return "en" if prose_words(text) else NEUTRAL
    return lang


def language_in(text: str, document_lang: str) -> str:
    """A block's language where it stands in a document of ``document_lang``: in a Chinese
    document, Chinese around product names is Chinese and a Latin label is neutral (as
    ``tag_blocks`` decides for a Chinese document).

    >>> block_language("## Operator 示例"), language_in("## Operator 示例", "zh"), language_in("## Operator 示例", "en")
    ('en', 'zh', 'en')
    """
    lang = block_language(text)
    return _in_chinese_document(text, lang) if document_lang == "zh" else lang


def find_urls(text: str) -> list[str]:
    """The URLs of a text, without the punctuation after them.

    >>> find_urls("详情请参阅 https://kubernetes.io/docs/。"), find_urls("See [docs](https://k8s.io/a).")
    (['https://kubernetes.io/docs/'], ['https://k8s.io/a'])
    """
    return _URL.findall(text)


def _in_chinese_document(text: str, lang: str) -> str:
    """In a Chinese document, Latin text that is not English prose is an untranslated label,
    and a block with Han characters among product names is Chinese."""
    if lang in ("en", "other") and sum(is_han(ch) for ch in text) >= 2 and not is_english_prose(
            "".join(" " if is_han(ch) else ch for ch in text), 4):
        return "zh"
    if lang == "en" and not is_english_prose(text):
        return NEUTRAL
    return lang


def _latin_letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha() and "LATIN" in unicodedata.name(ch, ""))


def is_other_latin_language(text: str) -> bool:
    """Whether most words of a Latin-script text are more common in French, German, Spanish,
    Italian, Portuguese or Dutch than in English (and the text is not a name or a label).

    >>> is_other_latin_language("Le chat est sur la table avec le chien."), is_other_latin_language("KubeOps (.NET operator SDK)")
    (True, False)
    """
    from wordfreq import zipf_frequency

    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    foreign = 0
    for word in words:
        english, other = zipf_frequency(word, "en"), _other_latin_zipf(word)
        foreign += other >= 3.0 and other > english + 0.5
    return foreign >= 0.6 * len(words)


# The Han characters of Chinese text: CJK unified ideographs, extension A, extensions B-F and
# the compatibility ideographs. The one definition: is_han and the regular expressions use it.
HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2EBEF), (0xF900, 0xFAFF))
HAN_CLASS = "".join(f"{chr(low)}-{chr(high)}" for low, high in HAN_RANGES)  # inside [...] of a pattern


def is_han(ch: str) -> bool:
    """True for CJK unified ideographs (the Han characters of Chinese text).

    >>> is_han("中"), is_han("a"), bool(re.fullmatch(f"[{HAN_CLASS}]+", "中文𠀀"))
    (True, False, True)
    """
    return _HAN.match(ch) is not None


_HAN = re.compile(f"[{HAN_CLASS}]")
_KANA_HANGUL_CLASS = "\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff"  # kana, Hangul syllables and jamo
_KANA_HANGUL = re.compile(f"[{_KANA_HANGUL_CLASS}]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_OTHER_NON_ASCII = re.compile(f"[^\x00-\x7f{HAN_CLASS}{_KANA_HANGUL_CLASS}]")  # what is neither of these


def _letter_counts(text: str) -> tuple[int, int, int, int]:
    """Han characters, kana and Hangul, Latin letters and other letters of ``text`` (counted
    by pattern, and only the rare other non-ASCII characters one by one)."""
    han = len(_HAN.findall(text))
    kana = len(_KANA_HANGUL.findall(text))
    latin = len(_ASCII_LETTER.findall(text))
    other = 0
    for ch in _OTHER_NON_ASCII.findall(text):
        if ch.isalpha():
            if "LATIN" in unicodedata.name(ch, ""):
                latin += 1
            else:
                other += 1
    return han, kana, latin, other


@lru_cache(maxsize=50_000)
def is_english_word(word: str) -> bool:
    """A common English word that is not more common in a neighbouring Latin-script language."""
    from wordfreq import zipf_frequency

    english = zipf_frequency(word, "en")
    if english < 3.0:
        return False
    return english >= _other_latin_zipf(word) - 0.5


def load_word_lists() -> None:
    """Load the word-frequency lists ``is_english_word`` reads (half a second of CPU, once per
    process): a worker process does so as it starts, before its first task needs them."""
    from wordfreq import get_frequency_dict

    get_frequency_dict("en", "best")  # as zipf_frequency asks for them (its cache is keyed by the arguments)
    for lang in _OTHER_LATIN_LANGS:
        get_frequency_dict(lang, _OTHER_LIST)


def english_word_share(text: str) -> float:
    """Share of the words of ``text`` that are common English words."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(is_english_word(w) for w in words) / len(words)


def detect_language(text: str) -> str:
    """Return ``"zh"``, ``"en"`` or ``"other"`` for a paragraph.

    >>> detect_language("Sora是一个AI视频模型。")
    'zh'
    >>> detect_language("She wears sunglasses and red lipstick.")
    'en'
    >>> detect_language("Она носит солнцезащитные очки.")
    'other'
    >>> detect_language("在 Pod 中设置 ImagePullSecrets")
    'zh'
    >>> detect_language("本文以Creative Commons Attribution License 4.0 （CC-BY-4.0）许可证授权。")
    'zh'
    """
    han, kana, latin, other = _letter_counts(text)
    letters = han + latin + other + kana
    if letters == 0:
        return "other"
    # A Han character carries about as much text as a short English word.
    if kana > max(2, 0.2 * (han + kana)):
        return "other"
    if han * 3 >= latin and han >= max(1, 0.5 * other):
        return "zh"
    if han >= 2 and han * 3 >= sum(len(w) for w in prose_words(text)) and han >= 0.5 * other:
        return "zh"  # Chinese around product names and identifiers ("在 Pod 中设置 ImagePullSecrets")
    if han >= 2 and han >= 0.5 * other and _punctuated_as_chinese(text):
        return "zh"  # a Chinese sentence around a long Latin name ("本文以Creative Commons ... 许可证授权。")
    if latin >= other and latin > 0:
        if _WORD.search(text) is None:
            return "other"
        words = _WORD.findall(text)
        if len(words) <= 3 or english_word_share(text) >= 0.4:
            return "en"
    return "other"


_ZH_SENTENCE_PUNCT = re.compile("[。，；：！？、]")
_EN_SENTENCE_PUNCT = re.compile(r"[.,;:!?](?=\s|$)")
_ZH_CLOSING = "”’」』）)》】\"' "


def _punctuated_as_chinese(text: str) -> bool:
    """Whether a text is punctuated as a Chinese sentence: it ends with a Han character or a
    Chinese sentence mark, and has more Chinese punctuation than English.

    >>> _punctuated_as_chinese("本文以Creative Commons Attribution License 4.0 （CC-BY-4.0）许可证授权。")
    True
    >>> _punctuated_as_chinese("The motto “为人民服务。” means serve the people.")
    False
    """
    stripped = text.rstrip(_ZH_CLOSING)
    if not stripped or not (is_han(stripped[-1]) or stripped[-1] in "。！？；：…"):
        return False
    return len(_ZH_SENTENCE_PUNCT.findall(text)) > len(_EN_SENTENCE_PUNCT.findall(text))


DEFAULT_TAGS = ("zh-CN", "en-US")  # the language tags TMX and JSONL carry unless told otherwise


def language_tag(value: str, lang: str) -> str:
    """``value`` as a valid BCP 47 tag of ``lang``, in its standard form (langcodes); anything
    else is a ``ConfigurationError``.

    >>> language_tag("zh_CN", "zh"), language_tag("EN_us", "en"), language_tag("zh-Hant-TW", "zh")
    ('zh-CN', 'en-US', 'zh-Hant-TW')
    >>> language_tag("english", "en")
    Traceback (most recent call last):
    align.errors.ConfigurationError: 'english' is not a language tag of en (like en-US)
    """
    import langcodes

    from .errors import ConfigurationError

    problem = ConfigurationError(f"{value!r} is not a language tag of {lang} (like {DEFAULT_TAGS[lang == 'en']})")
    try:
        tag = langcodes.standardize_tag(value.strip())
    except ValueError:
        raise problem from None
    if not langcodes.tag_is_valid(tag) or langcodes.Language.get(tag).language != lang:
        raise problem
    return tag
