"""Alignment evaluation: strict and lax precision/recall/F1 as in Vecalign's scorer.

Strict counts a test bead as right when it equals a gold bead; lax when it overlaps a gold
bead on both sides. Beads with an empty side are left out of both counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .io.beads import read_beads
from .errors import InputError
from .records import Bead


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Counts:
    """Counts from which strict and lax scores are computed (summed over files)."""

    test: int = 0
    gold: int = 0
    strict_hits_test: int = 0
    strict_hits_gold: int = 0
    lax_hits_test: int = 0
    lax_hits_gold: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values())))

    def strict(self) -> Scores:
        return _scores(self.strict_hits_test, self.test, self.strict_hits_gold, self.gold)

    def lax(self) -> Scores:
        return _scores(self.lax_hits_test, self.test, self.lax_hits_gold, self.gold)


def _scores(hits_test: int, test: int, hits_gold: int, gold: int) -> Scores:
    p = hits_test / test if test else 0.0
    r = hits_gold / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(p, r, f)


def _nonempty(beads: Iterable[Bead]) -> list[Bead]:
    return [b for b in beads if b.src and b.tgt]


def count(gold: Iterable[Bead], test: Iterable[Bead]) -> Counts:
    """Compare one file's test beads with its gold beads.

    >>> from align.records import Bead
    >>> c = count([Bead((0,), (0,)), Bead((1, 2), (1,))], [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ())])
    >>> c.strict().precision, c.strict().recall, c.lax().precision, c.lax().recall
    (0.5, 0.5, 1.0, 1.0)
    """
    gold_beads = _nonempty(gold)
    test_beads = _nonempty(test)
    gold_keys = {(b.src, b.tgt) for b in gold_beads}
    test_keys = {(b.src, b.tgt) for b in test_beads}

    def overlaps(x: Bead, y: Bead) -> bool:
        return bool(set(x.src) & set(y.src)) and bool(set(x.tgt) & set(y.tgt))

    src_to_gold: dict[int, list[Bead]] = {}
    for b in gold_beads:
        for s in b.src:
            src_to_gold.setdefault(s, []).append(b)
    src_to_test: dict[int, list[Bead]] = {}
    for b in test_beads:
        for s in b.src:
            src_to_test.setdefault(s, []).append(b)
    lax_test = sum(any(overlaps(b, g) for s in b.src for g in src_to_gold.get(s, ())) for b in test_beads)
    lax_gold = sum(any(overlaps(g, b) for s in g.src for b in src_to_test.get(s, ())) for g in gold_beads)
    return Counts(
        test=len(test_beads),
        gold=len(gold_beads),
        strict_hits_test=sum((b.src, b.tgt) in gold_keys for b in test_beads),
        strict_hits_gold=sum((b.src, b.tgt) in test_keys for b in gold_beads),
        lax_hits_test=lax_test,
        lax_hits_gold=lax_gold,
    )


def _stem(doc_id: str) -> str:
    """``zh__001.txt`` -> ``001``: the name a document's gold file goes by."""
    return doc_id.rsplit("__", 1)[-1].rsplit(".", 1)[0]


def corpus_beads(path: Path) -> dict[str, list[Bead]]:
    """Beads of a ``corpus.jsonl`` by the stem of each pair's Chinese document (``001`` for
    ``zh/001.txt``): sentence ids ``doc#zhN`` give the 0-based positions."""
    from .io.jsonl import read_jsonl

    by_doc: dict[str, list[Bead]] = {}
    for number, record in read_jsonl(path):
        try:
            zh = [s.rsplit("#zh", 1) for s in record["zh_ids"]]
            en = [s.rsplit("#en", 1)[1] for s in record["en_ids"]]
            bead = Bead(tuple(int(i) for _, i in zh), tuple(int(j) for j in en))
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not a corpus record with zh_ids and en_ids") from exc
        by_doc.setdefault(_stem(zh[0][0]), []).append(bead)
    return {name: sorted(beads, key=lambda b: (b.src, b.tgt)) for name, beads in by_doc.items()}


def _read_align(path: Path) -> list[Bead]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return read_beads(path.read_text(encoding="utf-8"), str(path))


def evaluate_corpus(gold: Path, corpus: Path) -> tuple[Counts, dict[str, Counts]]:
    """Evaluate the pairs of a ``corpus.jsonl`` against gold ``.align`` files named by the stem
    of each Chinese document (a folder), or against one gold file (a corpus of one document pair)."""
    found = corpus_beads(corpus)
    if gold.is_dir():
        names = sorted(p.stem for p in gold.glob("*.align"))
        if not names:
            raise InputError(f"{gold}: no .align files")
        pairs = [(n, _read_align(gold / f"{n}.align"), found.get(n, [])) for n in names]
    else:
        if len(found) > 1:
            raise InputError(f"{corpus}: pairs from {len(found)} documents; give a folder of gold files")
        pairs = [(gold.stem, _read_align(gold), next(iter(found.values()), []))]
    total, per_file = Counts(), {}
    for name, gold_beads, test_beads in pairs:
        per_file[name] = count(gold_beads, test_beads)
        total = total + per_file[name]
    return total, per_file


def evaluate_paths(gold: Path, test: Path) -> tuple[Counts, dict[str, Counts]]:
    """Evaluate a folder (or a single file) of ``.align`` test files against gold files of the
    same names, or a ``corpus.jsonl`` (see ``evaluate_corpus``)."""
    if test.is_file() and test.suffix.lower() in (".jsonl", ".json"):
        return evaluate_corpus(gold, test)
    if gold.is_dir() != test.is_dir():
        raise InputError("GOLD and TEST must both be folders or both be files")
    if gold.is_dir():
        names = sorted(p.name for p in gold.glob("*.align"))
        if not names:
            raise InputError(f"{gold}: no .align files")
        pairs = [(gold / n, test / n) for n in names]
    else:
        pairs = [(gold, test)]
    total = Counts()
    per_file = {}
    for g, t in pairs:
        for p in (g, t):
            if not p.is_file():
                raise InputError(f"{p}: no such file")
        c = count(read_beads(g.read_text(encoding="utf-8"), str(g)), read_beads(t.read_text(encoding="utf-8"), str(t)))
        per_file[g.name] = c
        total = total + c
    return total, per_file
