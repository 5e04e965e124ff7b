"""Systems compared segment by segment (``align score --report``): each line's source,
references and every system's output, its sentence scores, the difference from the first
system, a word-level diff against the first system's output, and the flags. Rows come
sorted by the difference, largest loss first: where the systems differ is at the two ends.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..language import HAN_CLASS
from .flags import FlaggedSystems
from .metrics import MetricScore, sentence_scores
from .neural import NeuralLines

# A token and the space after it: one Han character, a word, or one other mark.
_TOKEN = re.compile(f"[{HAN_CLASS}]\\s*|[^\\W{HAN_CLASS}]+\\s*|[^\\w\\s]\\s*|\\s+")


def word_diff(first: str, other: str) -> list[tuple[str, str]]:
    """``other`` against ``first`` as pieces ``(op, text)``: ``=`` shared, ``+`` only in
    ``other``, ``-`` only in ``first`` (Chinese by character, other text by word).

    >>> word_diff("She walks home.", "She runs home.")
    [('=', 'She '), ('-', 'walks '), ('+', 'runs '), ('=', 'home.')]
    >>> word_diff("他走回家。", "他跑回家。")
    [('=', '他'), ('-', '走'), ('+', '跑'), ('=', '回家。')]
    """
    a, b = _TOKEN.findall(first), _TOKEN.findall(other)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("=", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return pieces


def difference_metric(names: Sequence[str]) -> str:
    """The sentence metric the rows are sorted by: chrF when it was chosen (sentence BLEU is
    noisy on one line), else the first."""
    return "chrF" if "chrF" in names else names[0]


@dataclass
class Comparison:
    """What the report shows: the corpus scores of each system, and one row per line."""

    systems: list[str]
    corpus: list[list[MetricScore]]  # per system
    flags: list[dict[str, int]]  # per system: lines per flag
    sentence_signatures: dict[str, str]
    metric: str  # the sentence metric of the difference
    higher_is_better: bool
    rows: list[dict] = field(default_factory=list)
    note: str = ""  # what --exclude-flagged did to the corpus scores


def _row(i: int, sources, refs, outputs, scores, flagged: FlaggedSystems, metric: str, sign: int) -> dict:
    first = outputs[0][i]
    cells = []
    for k, hyps in enumerate(outputs):
        flag = flagged.flags[k][i]
        cells.append({"text": hyps[i], "scores": {m: v for m, v in scores[k][i].items() if m != "line"},
                      "difference": None if k == 0 else round(sign * (scores[k][i][metric] - scores[0][i][metric]), 4),
                      "diff": [] if k == 0 else word_diff(first, hyps[i]),
                      "flag": None if flag is None else flag.as_dict()})
    return {"line": i + 1, "source": None if sources is None else sources[i], "references": [r[i] for r in refs],
            "outputs": cells, "difference": cells[1]["difference"] if len(cells) > 1 else None}


def sentence_rows(outputs: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], target_lang: str,
                  names: Sequence[str], neural: Sequence[Sequence[NeuralLines]] = ()) -> tuple[list[list[dict]], dict]:
    """Each system's per-line scores: sacrebleu's metrics ``names``, then the neural ones
    (``neural``: per system, the ``NeuralLines`` of each neural metric); and the signatures."""
    out, signatures = [], {}
    for k, hyps in enumerate(outputs):
        rows, signatures = sentence_scores(hyps, refs, target_lang, names) if names else (
            [{"line": i + 1} for i in range(len(hyps))], {})
        for lines in neural[k] if neural else ():
            signatures = dict(signatures, **{lines.name: lines.signature})
            for row, value in zip(rows, lines.scores):
                row[lines.name] = value
        out.append(rows)
    return out, signatures


def compare_segments(systems: Sequence[tuple[str, Sequence[str]]], refs: Sequence[Sequence[str]],
                     sources: Sequence[str] | None, scored: tuple[list[list[dict]], dict],
                     corpus: list[list[MetricScore]], flagged: FlaggedSystems) -> Comparison:
    """Rows of every line (``scored``: ``sentence_rows``), sorted by the second system's
    difference from the first (its loss first; with one system, by its sentence score,
    worst first), then by line."""
    outputs = [list(h) for _, h in systems]
    scores, signatures = scored
    metric = difference_metric([s.name for s in corpus[0]])
    higher = metric != "TER"
    result = Comparison([n for n, _ in systems], corpus, flagged.counts, signatures, metric, higher, note=flagged.note)
    result.rows = [_row(i, sources, refs, outputs, scores, flagged, metric, 1 if higher else -1)
                   for i in range(len(outputs[0]))]

    def key(row: dict) -> tuple:
        if row["difference"] is not None:
            return row["difference"], row["line"]
        value = row["outputs"][0]["scores"][metric]
        return (value if higher else -value), row["line"]

    result.rows.sort(key=key)
    return result
