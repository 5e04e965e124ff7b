"""``align split``: dev and test sets cut from a corpus, and a training set that does not leak
into them: no training pair whose Chinese or English is, exactly or near (the same once case,
punctuation, width, numbers and white space are set aside: ``score.dedup.squeeze``), the
Chinese or English of a dev or test pair. The removed pairs are listed with the pair they
leak into, so that every pair of the corpus is in exactly one file.

The dev and test pairs are drawn at random (seeded), skipping a pair that shares a side with
one drawn before (the two sets do not leak into each other either).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..io.atomic import write_text
from ..io.jsonl import write_jsonl
from ..io.outdir import mark_output_folder, prepare_output_folder
from ..io.tmx import write_tmx
from ..score.dedup import squeeze
from ..io.corpus import Corpus, CorpusEntry, read_corpus

SAMPLE = 10  # removed pairs shown in split.json


def side_keys(zh: str, en: str) -> tuple[tuple[str, str], ...]:
    """The near keys of a pair's sides (a side with no letter or digit has none).

    >>> side_keys("第3页", "Page 3!") == side_keys("第4页", "page 4")
    True
    """
    keys = (("zh", squeeze(zh, numbers=True)), ("en", squeeze(en, numbers=True)))
    return tuple(k for k in keys if k[1])


@dataclass(frozen=True)
class Leak:
    """A training pair left out, and why: which side matches which side of a held-out pair."""

    entry: int  # its index in the corpus
    side: str  # zh or en
    how: str  # exact or near
    held_out: int  # the index of the dev or test pair it matches
    part: str  # dev or test


@dataclass(frozen=True)
class Split:
    dev: tuple[int, ...]
    test: tuple[int, ...]
    train: tuple[int, ...]
    removed: tuple[Leak, ...]


def _draw(entries: list[CorpusEntry], dev: int, test: int, seed: int) -> dict[int, str]:
    """Indices of the dev and test pairs: drawn in a seeded order, no two sharing a side."""
    order = list(range(len(entries)))
    random.Random(seed).shuffle(order)
    chosen: dict[int, str] = {}
    taken: set[tuple[str, str]] = set()
    for n in order:
        part = "dev" if sum(p == "dev" for p in chosen.values()) < dev else "test"
        if part == "test" and sum(p == "test" for p in chosen.values()) >= test:
            break
        keys = side_keys(entries[n].zh, entries[n].en)
        if len(keys) < 2 or taken & set(keys):
            continue
        taken.update(keys)
        chosen[n] = part
    if sum(p == "dev" for p in chosen.values()) < dev or sum(p == "test" for p in chosen.values()) < test:
        raise InputError(f"only {len(chosen)} pairs with distinct sides to draw {dev} dev and {test} test pairs from")
    return chosen


def split_entries(entries: list[CorpusEntry], dev: int, test: int, seed: int = 1) -> Split:
    """Dev, test and training pairs, and the training pairs left out as leaks."""
    chosen = _draw(entries, dev, test, seed)
    held: dict[tuple[str, str], int] = {}
    for n in chosen:
        held.update({key: n for key in side_keys(entries[n].zh, entries[n].en)})
    train, removed = [], []
    for n, entry in enumerate(entries):
        if n in chosen:
            continue
        for side, key in side_keys(entry.zh, entry.en):
            if (side, key) in held:
                other = entries[held[(side, key)]]
                exact = getattr(entry, side).strip() == getattr(other, side).strip()
                removed.append(Leak(n, side, "exact" if exact else "near", held[(side, key)], chosen[held[(side, key)]]))
                break
        else:
            train.append(n)
    dev_pairs, test_pairs = (tuple(sorted(n for n, p in chosen.items() if p == part)) for part in ("dev", "test"))
    return Split(dev_pairs, test_pairs, tuple(train), tuple(removed))


def _where(corpus: Corpus, n: int) -> str:
    entry = corpus.entries[n]
    record = entry.record or {}
    return str(record.get("id") or (entry.unit.tuid if entry.unit else "") or n + 1)


def _write_part(path: Path, corpus: Corpus, indices) -> str:
    """The pairs at ``indices`` as the corpus held them: JSONL records, TMX units, TSV rows
    (every column, the header kept); a Moses, XLIFF or PO corpus as a TSV of the texts."""
    entries = [corpus.entries[n] for n in indices]
    if corpus.format == "jsonl":
        write_jsonl(path.with_suffix(".jsonl"), (e.record for e in entries))
        return path.with_suffix(".jsonl").name
    if corpus.format == "tmx":
        header = corpus.tmx_header
        write_tmx(path.with_suffix(".tmx"), (e.unit for e in entries), header.props, header.srclang, header.datatype)
        return path.with_suffix(".tmx").name
    rows = [list(e.cells) if e.cells else [e.zh, e.en] for e in entries]
    header = [list(corpus.tsv_header)] if corpus.tsv_header and all(e.cells for e in entries) else []
    write_text(path.with_suffix(".tsv"), "".join("\t".join(r) + "\n" for r in header + rows))
    return path.with_suffix(".tsv").name


def _leak_record(corpus: Corpus, leak: Leak) -> dict:
    entry, other = corpus.entries[leak.entry], corpus.entries[leak.held_out]
    return {"id": _where(corpus, leak.entry), "zh": entry.zh, "en": entry.en, "reason": "leaks_into_" + leak.part,
            "side": leak.side, "match": leak.how, "held_out": {"id": _where(corpus, leak.held_out),
                                                             "zh": other.zh, "en": other.en}}


def split_corpus(path: Path, out_dir: Path, dev: int, test: int, seed: int = 1, overwrite: bool = False,
                 layout=None) -> dict:
    """Read a corpus, cut it, and write ``train``, ``dev``, ``test`` (in the corpus's format),
    ``removed.jsonl`` (the leaks, each with the pair it matches) and ``split.json`` (the
    sizes, the leaks counted by part, side and match, and a sample of them); return the latter."""
    corpus = read_corpus(path, layout)
    split = split_entries(list(corpus.entries), dev, test, seed)
    prepare_output_folder(out_dir, overwrite)
    names = [_write_part(out_dir / part, corpus, getattr(split, part)) for part in ("train", "dev", "test")]
    leaks = [_leak_record(corpus, leak) for leak in split.removed]
    write_jsonl(out_dir / "removed.jsonl", leaks)
    report = {
        "corpus": str(path), "seed": seed,
        "pairs": len(corpus.entries), "train": len(split.train), "dev": len(split.dev), "test": len(split.test),
        "removed": len(split.removed),
        "removed_by": dict(sorted(Counter(f"{r['reason']}|{r['side']}|{r['match']}" for r in leaks).items())),
        "sample": leaks[:SAMPLE],
        "files": names + ["removed.jsonl", "split.json"],
    }
    write_text(out_dir / "split.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    mark_output_folder(out_dir, report["files"])
    return report
