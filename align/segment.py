"""Stage 3: sentence splitting for Chinese and English.

Both splitters return ``(start, end)`` spans into the text they are given, so that the
caller can map every sentence back to offsets in the original file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from .language import HAN_CLASS
from .normalize.protect import protected_spans
from .records import NormalizedParagraph, Sentence, sentence_id

_ZH_CLOSERS = "”’」』）)》】\"'"
_ZH_WIDE_CLOSERS = "”’」』）》】"  # closing marks no sentence opens with, even after a space
# A Chinese sentence ends at 。！？ (or ! ? written half-width next to Chinese), or an ellipsis
# followed by more text or by a closing quote, plus any closing quotes/brackets that follow
# (a full-width one even after a space: "你不会摔交。 ”").
# A speech broken off by a dash ends where a new quotation opens: “咚——咚——” “猛捅——”.
# A half-width full stop after Chinese (or its closing bracket) ends the sentence where a space
# and more Chinese follow, as machine translation and typists write it: 困境（dilemma）. 这个.
_ZH_END = re.compile(
    rf"(?:[。！？]+|(?<=[{HAN_CLASS}])[!?]+|[!?]+(?=[{HAN_CLASS}“「]|$)|…{{2}}(?=[{HAN_CLASS}“「{_ZH_WIDE_CLOSERS}]))"
    rf"[{re.escape(_ZH_CLOSERS)}]*(?:\s+[{_ZH_WIDE_CLOSERS}]+)?"
    rf"|(?<=——)[”」』](?=\s*[“「])"
    rf"|(?<=[{HAN_CLASS}{_ZH_WIDE_CLOSERS}])\.(?=\s+[{HAN_CLASS}“「])"
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
# A speech broken off by a dash ends where a new quotation opens: "though—' 'Is that right?'".
_EN_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)|[.!?]+[\"'”’)\]]*(?=[\"“][A-Z])"
                     r"|[—–]+[\"'”’](?=\s+[\"'“‘][A-Z])")
# A quotation closed after an abbreviation, and a new one opened: ``at one A.M." "Wow``: the
# closing quote ends the sentence whatever the full stop before it is.
_QUOTE_AFTER_QUOTE = re.compile(r"\.[\"”'’](?=\s+[\"“'‘][A-Z])")
# An ellipsis written with spaced full stops (". . .") never ends a sentence inside itself.
_SPACED_ELLIPSIS = re.compile(r"\.(?: \.){2,}")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts
# Initials of a name (``X.S.``, ``J.-J.``, ``A.``) right before a sentence end, and what shows
# that the name goes on: a hyphenated initial or a capitalised word (the surname) after it, or a
# comma or ``and`` before it (a list of authors). ``U.S.`` and ``a.m.`` are abbreviations, not initials.
_INITIALS = re.compile(r"(?:^|(?<=[\s,(\[]))(?:[A-Z]\.-?){1,3}$")
_NAME_GOES_ON = re.compile(r"-[A-Z]\.|\s+[A-Z][\w'’-]")
_AUTHOR_LIST = re.compile(r"(?:,|\band|&)\s*$")
# A reference entry of a bibliography: ``[3] A. Back, "Hashcash", 2002.``, ``Nakamoto, S. (2008).
# Bitcoin: ...``: it opens with a number in brackets and gives a year, or it opens with a numbered
# item or an author's surname and initials, names an author by initials (or ``et al.``) and
# gives a year.
_REFERENCE_OPEN = re.compile(r"^\s*(?:\[\d{1,3}\]\s|\d{1,3}\.\s+[A-Z]|[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s?-?){1,3})")
_REFERENCE_AUTHOR = re.compile(r"(?:\b[A-Z]\.\s?-?){1,3}\s?[A-Z][a-z]|\b[A-Z][a-z'’-]+,\s+(?:[A-Z]\.\s?-?){1,3}|\bet al\.")
_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d[a-z]?\b")
_WORD_SPACE = re.compile(r"(?<=[^\W_]) (?=[^\W_])")


def split_chinese(text: str) -> list[tuple[int, int]]:
    """Split Chinese text into sentence spans.

    >>> t = "她戴着太阳镜。她自信地走着!许多行人走来走去。"
    >>> [t[s:e] for s, e in split_chinese(t)]
    ['她戴着太阳镜。', '她自信地走着!', '许多行人走来走去。']
    >>> t = "他道：“不过……”她道：“你不会。 ”他笑了。"
    >>> [t[s:e] for s, e in split_chinese(t)]
    ['他道：“不过……”', '她道：“你不会。 ”', '他笑了。']
    >>> t = "这是两难困境（dilemma）. 这个困境很难. 版本是 v1.2. 下一句。"
    >>> [t[s:e] for s, e in split_chinese(t)]
    ['这是两难困境（dilemma）.', '这个困境很难.', '版本是 v1.2. 下一句。']
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
    >>> t = 'It was built by H. Massias, X.S. Avila, and J.-J. Quisquater. It is old.'
    >>> [t[s:e] for s, e in split_english(t)]
    ['It was built by H. Massias, X.S. Avila, and J.-J. Quisquater.', 'It is old.']
    >>> t = "'I had you, though—' 'Is that right?' he said. 'It's just that. . . what with it.'"
    >>> [t[s:e] for s, e in split_english(t)]
    ["'I had you, though—'", "'Is that right?' he said.", "'It's just that. . . what with it.'"]
    """
    sure = [m.end() for m in _EN_END.finditer(text)
            if not ((_is_abbreviation(text, m.start()) or _name_goes_on(text, m.end())) and m.group().startswith("."))
            or _QUOTE_AFTER_QUOTE.match(text, m.start())]
    ends = {end for end in _pysbd_ends(text, sure) if not _name_goes_on(text, end)} | set(sure)
    ends -= {end for m in _SPACED_ELLIPSIS.finditer(text) for end in range(m.start() + 1, m.end())}
    protected = protected_spans(text)
    protected_starts = [s for s, _ in protected]
    last_alnum = next((i for i in range(len(text) - 1, -1, -1) if text[i].isalnum()), -1)
    kept, first_alnum = [], _first_alnum(text, 0)
    for end in sorted(ends):
        k = bisect.bisect_left(protected_starts, end) - 1
        if k >= 0 and end < protected[k][1]:
            continue
        if end > last_alnum:
            break  # what follows is closing punctuation: it stays with this sentence
        if first_alnum < end:
            kept.append(end)
        elif kept:  # a piece of quotes alone joins the sentence before it
            kept[-1] = end
        else:
            continue
        first_alnum = _first_alnum(text, end)
    return list(_spans(text, kept))


def is_reference_entry(text: str) -> bool:
    """Whether a block is one entry of a reference list (see ``_REFERENCE_OPEN``): it is one
    unit, never cut at the full stops between its author, title and venue.

    >>> is_reference_entry('[2] H. Massias, X.S. Avila, and J.-J. Quisquater, "Design of a secure timestamping service," 1999.')
    True
    >>> is_reference_entry("Nakamoto, S. (2008). Bitcoin: A peer-to-peer electronic cash system.")
    True
    >>> is_reference_entry("[2] Ethan Buchman. Tendermint: Byzantine fault tolerance. PhD thesis, 2016.")
    True
    >>> is_reference_entry("1. In 2019 the team moved. Then it grew.")
    False
    """
    opening = _REFERENCE_OPEN.match(text)
    return (len(text) <= 1000 and bool(opening) and bool(_YEAR.search(text))
            and (opening.group().lstrip().startswith("[") or bool(_REFERENCE_AUTHOR.search(text))))


def _name_goes_on(text: str, end: int) -> bool:
    """Whether a sentence end after initials is inside a name (``X.S. Avila``, ``J.-J.
    Quisquater``, ``Massias, X.S.``): see ``_INITIALS``."""
    stop = len(text[:end].rstrip())  # pysbd's span may hold the space after it
    initials = _INITIALS.search(text[max(0, stop - 12):stop])
    if not initials or initials.group() == "I." or initials.group().lower().rstrip(".") in ABBREVIATIONS:
        return False
    head = text[:stop - len(initials.group())]
    return bool(_NAME_GOES_ON.match(text, stop)) or bool(_AUTHOR_LIST.search(head))


def _first_alnum(text: str, start: int) -> int:
    m = _ALNUM.search(text, start)
    return m.start() if m else len(text)


# pysbd rescans the whole text once per abbreviation it meets, so its time grows with the square
# of the text's length: a longer text is given to it in pieces of about this many characters.
PYSBD_PIECE = 3000


def _pysbd_ends(text: str, sure: list[int], piece: int = 0) -> list[int]:
    """pysbd's sentence ends in ``text``, found piece by piece: a piece ends at one of the
    ``sure`` ends (kept whatever pysbd says) or else at a space, and the end pysbd gives a
    piece's last sentence is dropped (the cut is no sentence end of its own)."""
    import pysbd

    piece = piece or PYSBD_PIECE
    segmenter = pysbd.Segmenter(language="en", clean=False)
    ends, start = [], 0
    while start < len(text):
        cut = _piece_end(text, sure, start, piece)
        found = [start + end for end in _sentence_ends(text[start:cut], segmenter.segment(text[start:cut]))]
        ends.extend(found if cut == len(text) else found[:-1])
        start = cut
    return ends


def _sentence_ends(text: str, sentences: list[str]) -> list[int]:
    """Where each of pysbd's ``sentences`` (pieces of ``text`` as written, in order) ends in
    ``text``, the spaces after it included. (pysbd's own ``char_span`` finds them by compiling
    a pattern per sentence and searching the whole text with it: a third of the time of
    reading an English document went there.)"""
    ends, end = [], 0
    for sentence in sentences:
        start = text.find(sentence, end) if sentence else -1
        if start < 0:
            continue
        end = start + len(sentence)
        while end < len(text) and text[end].isspace():
            end += 1
        ends.append(end)
    return ends


def _piece_end(text: str, sure: list[int], start: int, piece: int) -> int:
    """Where the piece of ``text`` from ``start`` ends: the whole rest when it is short, else
    after the last sure end (and its spaces) or else the last space between two words in the
    second half of the piece (no sentence ends there)."""
    if len(text) - start <= piece:
        return len(text)
    low, high = start + piece // 2, start + piece
    k = bisect.bisect_right(sure, high) - 1
    if k >= 0 and sure[k] > low:
        cut = sure[k]
        while cut < high and text[cut].isspace():
            cut += 1
        return cut
    spaces = [m.end() for m in _WORD_SPACE.finditer(text, low, high)]
    return spaces[-1] if spaces else high


def _is_abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 40) : dot])  # a bounded look back
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ("no", "nos"):  # "No. 5" (numero), but "No. Since you ask..." (the word)
        return bool(re.match(r"\s*[\d#]", text[dot + 1 : dot + 4]))
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
    """Sentence spans, also cut where an inline list item starts (see ``item_ends``); an entry
    of a reference list is one span (``is_reference_entry``)."""
    if is_reference_entry(text):
        return list(_spans(text, []))
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
