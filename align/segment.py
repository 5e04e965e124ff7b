"""Stage 3: sentence splitting for Chinese and English.

Both splitters return ``(start, end)`` spans into the text they are given, so that the
caller can map every sentence back to offsets in the original file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .language import HAN_CLASS
from .normalize.protect import protected_spans
from .records import NormalizedParagraph, Sentence, sentence_id

_ZH_CLOSERS = "”’」』）)》】\"'"
# A Chinese sentence ends at 。！？ (or ! ? written half-width next to Chinese), or an ellipsis
# followed by more text, plus any closing quotes/brackets that follow.
_ZH_END = re.compile(
    rf"(?:[。！？]+|(?<=[{HAN_CLASS}])[!?]+|[!?]+(?=[{HAN_CLASS}“「]|$)|…{{2}}(?=[{HAN_CLASS}“「]))[{re.escape(_ZH_CLOSERS)}]*"
)

# Items of a list written inline, as laws write them in one paragraph: "职权：（一）修改宪法；（二）…"
# and "powers: (1) amending the Constitution; (2) …". A sentence also ends before an item marker
# that follows a colon or a semicolon, where the text holds two markers or more, so that each
# item can pair with the item the other language writes as a paragraph of its own.
_ZH_ITEM = re.compile(r"(?<=[：；:;])\s*(?=（[一二三四五六七八九十]{1,3}）)")
_EN_ITEM = re.compile(r"(?<=[:;])(?:\s+(?:and|or))?\s+(?=\((?:\d{1,2}|[a-z])\)\s)")


def item_ends(text: str, lang: str) -> list[int]:
    """Where inline list items start (see ``_ZH_ITEM``): none unless two items or more follow.

    >>> t = "职权如下：（一）修改宪法；（二）监督宪法的实施。"
    >>> [t[:e] for e in item_ends(t, "zh")]
    ['职权如下：', '职权如下：（一）修改宪法；']
    >>> item_ends("See (1) above; (2) below.", "en")
    []
    """
    found = [m.end() for m in (_ZH_ITEM if lang == "zh" else _EN_ITEM).finditer(text)]
    return found if len(found) >= 2 else []


ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st vs etc e.g i.e inc ltd co corp no fig figs vol al approx dept est
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n a.m p.m ph.d gen col lt sgt rev""".split()
)
# A hand rule pysbd lacks: a full stop inside quotes ends the sentence when a capital follows.
_EN_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)|[.!?]+[\"'”’)\]]*(?=[\"“][A-Z])")


def split_chinese(text: str) -> list[tuple[int, int]]:
    """Split Chinese text into sentence spans.

    >>> t = "她戴着太阳镜。她自信地走着!许多行人走来走去。"
    >>> [t[s:e] for s, e in split_chinese(t)]
    ['她戴着太阳镜。', '她自信地走着!', '许多行人走来走去。']
    """
    return list(_spans(text, (m.end() for m in _ZH_END.finditer(text))))


def split_english(text: str) -> list[tuple[int, int]]:
    """Split English text into sentence spans: the boundaries of pysbd (the Golden Rules of
    sentence boundary disambiguation: a full stop before a lower-case word or after ``U.S.``
    ends a sentence; decimals, versions and file names do not) and of the hand rule below
    (a sentence ends inside quotes too), less abbreviations and initials; closing quotes stay
    with their sentence, and a sentence never ends inside inline code or a URL
    (``normalize.protect``).

    >>> t = 'Dr. Smith paid $3.50 at 5 p.m. today. "Is it real?" she asked. Yes.'
    >>> [t[s:e] for s, e in split_english(t)]
    ['Dr. Smith paid $3.50 at 5 p.m. today.', '"Is it real?" she asked.', 'Yes.']
    >>> t = 'He works in the U.S. He left. i love it. you hate it.'
    >>> [t[s:e] for s, e in split_english(t)]
    ['He works in the U.S.', 'He left.', 'i love it.', 'you hate it.']
    >>> t = '"Maybe next year. But not now." Then he left.'
    >>> [t[s:e] for s, e in split_english(t)]
    ['"Maybe next year.', 'But not now."', 'Then he left.']
    """
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    ends = {piece.end for piece in segmenter.segment(text)}
    for m in _EN_END.finditer(text):
        if not (_is_abbreviation(text, m.start()) and m.group().startswith(".")):
            ends.add(m.end())
    protected = protected_spans(text)
    kept, start = [], 0
    for end in sorted(ends):
        if any(s < end < e for s, e in protected):
            continue
        if not any(ch.isalnum() for ch in text[end:]):
            break  # what follows is closing punctuation: it stays with this sentence
        if any(ch.isalnum() for ch in text[start:end]):
            kept.append(end)
            start = end
        elif kept:  # a piece of quotes alone joins the sentence before it
            kept[-1] = end
            start = end
    return list(_spans(text, kept))


def _is_abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:dot])
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # Single initials (J. K. Rowling) but not a sentence-final "I."
    return len(m.group(1)) == 1 and m.group(1).isupper() and m.group(1) != "I"


def _spans(text: str, ends: Iterable[int]) -> Iterator[tuple[int, int]]:
    start = 0
    for end in list(ends) + [len(text)]:
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        start = end


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans, also cut where an inline list item starts (see ``item_ends``)."""
    spans = split_chinese(text) if lang == "zh" else split_english(text)
    items = item_ends(text, lang)
    if not items:
        return spans
    return list(_spans(text, sorted({e for _, e in spans[:-1]} | set(items))))


def segment(paragraphs: Iterable[NormalizedParagraph], garble_meter=None) -> Iterator[Sentence]:
    """Turn normalized paragraphs into sentences with file offsets, per language in document order.
    A paragraph of no language (``neutral`` code or ``other``) is one "sentence" that is never
    aligned, so that it can be accounted for with its reason.

    ``garble_meter(paragraph)`` gives a function of a span's file offsets that returns its
    garble score and flags (see ``align.garble.GarbleMeter``).
    """
    counters: dict[tuple[str, str], int] = {}
    for para in paragraphs:
        lang = para.paragraph.lang
        if not para.text.strip():
            continue
        measure = garble_meter(para) if garble_meter and lang in ("zh", "en") else None
        spans = split_sentences(para.text, lang) if lang in ("zh", "en") else list(_spans(para.text, []))
        for s, e in spans:
            key = (para.paragraph.doc_id, lang)
            index = counters.get(key, 0)
            counters[key] = index + 1
            fs, fe = para.file_span(s, e)
            garble, flags = measure(fs, fe) if measure else (0.0, ())
            yield Sentence(
                id=sentence_id(para.paragraph.doc_id, lang, index),
                doc_id=para.paragraph.doc_id,
                paragraph=para.paragraph.index,
                index=index,
                lang=lang,
                text=para.text[s:e],
                start=fs,
                end=fe,
                garble=garble,
                flags=flags,
                location=para.paragraph.location,
                kind=para.paragraph.kind,
            )
