"""Errors first: how likely each pair of a document pair is to be wrong, from the output
records alone, so that the review page can list the pairs to check first.

Quality alone misses what a reviewer sees at once: a wrong bead rarely comes alone. When the
aligner puts a boundary in the wrong place, one bead is too long and its neighbour too short,
and one of the two often scores well. The score adds to ``1 - quality``:

- ``boundary``: the square root of the largest product of this bead's signed length deviation
  and a neighbour's of the other sign (one is too long where the other is too short);
- ``beside_left_out``: how many sentences next to the bead's edges were left unaligned.

The weights were chosen on the MAC-dev novels by ``python bench/review_order.py``, which
prints their leave-one-chapter-out figures beside quality's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..language import translatable_length
from ..records import sentence_doc, sentence_id, sentence_index
from ..score.quality import signed_length_deviation as signed_deviation


@dataclass(frozen=True)
class ErrorsFirst:
    boundary: float = 1.0
    beside_left_out: float = 0.5


def signed_length_deviation(zh: str, en: str, ratio: float) -> float:
    """The signed length deviation of a pair's texts (``score.quality``), in translatable
    characters: > 0 when the English is longer than expected, < 0 when shorter.

    >>> round(signed_length_deviation("你好", "Hello there, friend", 4.0), 2)
    0.48
    """
    return signed_deviation(translatable_length(zh, "zh"), translatable_length(en, "en"), ratio)


def _left_out_beside(record: dict, left_out: set[str]) -> int:
    count = 0
    for lang in ("zh", "en"):
        ids = record[f"{lang}_ids"]
        doc = sentence_doc(ids[0])
        indices = [sentence_index(s) for s in ids]
        count += sum(sentence_id(doc, lang, i) in left_out for i in (min(indices) - 1, max(indices) + 1))
    return count


def likely_wrong(pairs: list[dict], left_out: set[str], ratio: float, weights: ErrorsFirst = ErrorsFirst()
                 ) -> dict[str, float]:
    """How likely each pair of one document pair (``corpus.jsonl`` records) is to be wrong, by
    pair id: higher first. ``left_out``: the ids of its unaligned sentences; ``ratio``: the
    run's English characters per Chinese one."""
    ordered = sorted(pairs, key=lambda p: (sentence_index(p["zh_ids"][0]), sentence_index(p["en_ids"][0])))
    deviations = [signed_length_deviation(p["zh"], p["en"], ratio) for p in ordered]
    scores = {}
    for n, p in enumerate(ordered):
        around = [m for m in (n - 1, n + 1) if 0 <= m < len(ordered)]
        boundary = max((max(0.0, -deviations[n] * deviations[m]) for m in around), default=0.0)
        scores[p["id"]] = round((1.0 - p["quality"]) + weights.boundary * math.sqrt(boundary)
                                + weights.beside_left_out * _left_out_beside(p, left_out), 4)
    return scores
