"""The text of PDF lines: symbol-font glyphs taken out, spaced-out Chinese closed up, lines
joined with their hyphens mended only where a word was broken (the document's own spellings,
then a word list, decide)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .extracted import _is_cjk

_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd]")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACED_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_LIST_START = re.compile(r"^\s*(?:\[\d{1,3}\]\s|[•●○◦▪■□◆◇►▶‣⁃∙·\-–—*]\s|\(?\d{1,3}[.)]\s|\(?[a-zA-Z][.)]\s|\([ivx]{1,4}\)\s|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,3}、)")
_SENTENCE_END = re.compile(r"[。！？.!?;；:：…]['\"”’」』)）\]]*\s*$")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_BROKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*-$")  # the word a line ends with, broken by a hyphen


def clean_line(text: str) -> tuple[str, str, bool]:
    """A PDF line without its private-use glyphs (symbol-font bullets and icons, which are
    returned) and with spaced-out Chinese closed up; and whether such a glyph opened the line
    (a bullet: the line opens a list item).

    >>> clean_line("\uf0a7 节点保存完整账本。")
    ('节点保存完整账本。', '\uf0a7', True)
    >>> clean_line("两 端 对 齐 的 文 字 间 距")[0], clean_line("使用 Pod 和 Service")[0]
    ('两端对齐的文字间距', '使用 Pod 和 Service')
    """
    glyphs = "".join(_PRIVATE_USE.findall(text))
    bullet = bool(_PRIVATE_USE.match(text.strip()))
    if glyphs:
        text = _PRIVATE_USE.sub("", text).strip()
    cjk = len(re.findall(f"[{_CJK}]", text))
    spaced = len(_SPACED_CJK.findall(text))
    if spaced >= 3 and spaced >= 0.6 * (cjk - 1):
        text = _SPACED_CJK.sub("", text)
    return text, glyphs, bullet


def is_list_start(text: str) -> bool:
    """Whether a line opens a list item: a bullet, ``1.``, ``(a)``, ``（一）``, ``一、``, or an
    entry of a reference list, ``[12]``.

    >>> is_list_start("• First"), is_list_start("2) Second"), is_list_start("（三）第三"), is_list_start("2019 a")
    (True, True, True, False)
    >>> is_list_start("[12] A. Back, Hashcash, 2002."), is_list_start("[12]")
    (True, False)
    """
    return bool(_LIST_START.match(text))


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


@dataclass(frozen=True)
class Spellings:
    """The words of a document: those it writes with a hyphen and those it writes whole."""

    hyphenated: frozenset[str]
    whole: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Spellings:
        hyphenated, whole = set(), set()
        for text in texts:
            for m in _WORD.finditer(text):
                if text[m.end():].strip() != "-":  # not a word broken at the line end
                    (hyphenated if "-" in m.group() else whole).add(m.group().lower())
        return cls(frozenset(hyphenated), frozenset(whole))


def mend_hyphen(before: str, after: str, spellings: Spellings = Spellings(frozenset(), frozenset())) -> bool:
    """Whether the hyphen that ends ``before`` (the word up to the line end, ``proof-of-``)
    broke one word with ``after`` (the first word of the next line) and goes: the document's
    own spelling decides, then a word that was already hyphenated keeps it, then a common word
    (wordfreq) is mended, and two words that stand alone (``non-`` ``reversible``) keep it.

    >>> mend_hyphen("inter-", "national"), mend_hyphen("proof-of-", "work"), mend_hyphen("non-", "reversible")
    (True, False, False)
    >>> mend_hyphen("block-", "chain", Spellings(frozenset(), frozenset({"blockchain"})))
    True
    """
    from wordfreq import zipf_frequency

    head = before.rstrip("-")
    last = head.split("-")[-1]
    if not last.isalpha() or not after[:1].isalpha() or not after[:1].islower():
        return False
    joined, hyphened = (last + after).lower(), f"{last}-{after}".lower()
    if hyphened in spellings.hyphenated or f"{head}-{after}".lower() in spellings.hyphenated:
        return False
    if joined in spellings.whole:
        return True
    if "-" in head:
        return False
    if zipf_frequency(joined, "en") >= 1.5:
        return True
    return not (zipf_frequency(last.lower(), "en") >= 2.0 and zipf_frequency(after.lower(), "en") >= 2.0)


def join_lines(lines: list[str], spellings: Spellings) -> str:
    """The lines of one block as one line: a hyphen that broke a word is mended
    (``mend_hyphen``), a real one stays with no space after it, Chinese joins with no space
    and the rest with one (``flatten``).

    >>> join_lines(["a proof-of-", "work chain, an inter-", "national team"], Spellings(frozenset(), frozenset()))
    'a proof-of-work chain, an international team'
    >>> join_lines(["control with “read-", "ers” and “writers”"], Spellings(frozenset(), frozenset()))
    'control with “readers” and “writers”'
    """
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].isalpha():
            before = _BROKEN.search(out).group() if _BROKEN.search(out) else out.rsplit(None, 1)[-1]
            after = _WORD.match(line)
            out = (out[:-1] if after and mend_hyphen(before, after.group().split("-")[0], spellings) else out) + line
        else:
            out = out + line if not out or _is_cjk(out[-1]) or _is_cjk(line[0]) else f"{out} {line}"
    return out
