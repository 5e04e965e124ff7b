"""The pairs of the quality benchmark: right pairs, near misses and random pairs from public
zh-en documents of four domains, each sentence used once.

Domains (each a list of documents, each document its right pairs in reading order):
- ``novels``: MAC-dev chapters, gold beads with both sides (``../shared/bench/mac-dev``);
- ``docs``: the k8s-dev documentation pages, gold translation units (``../shared/bench/k8s-dev``);
- ``law``: the Constitution of the People's Republic of China with its official English
  version (``bench/data/constitution-zh-en.tsv``, see ``bench/data/README.md``);
- ``software``: dpkg's Simplified Chinese message catalogue (``bench/data/dpkg-zh_CN.po``);
- ``news`` (``CALIBRATION_DOMAINS`` only): the first 1,000 pairs of the WMT newstest2019 and newstest2020 en-zh sets
  (``bench/news-dev``), one year a half, so that a model fitted on one year is measured on
  the other.

``test_pairs`` cuts each document into consecutive blocks of two right pairs and gives
each block one part: *right* (both pairs), *near* (the first Chinese with the second
English: a neighbour whose true partner is not in the set) or *random* (its four sides go
to a pool paired across documents, far from where they came from). No sentence is in two
pairs, so a near miss cannot be told apart by its partner being elsewhere in the file.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
DATA = ROOT / "bench" / "data"
KINDS = ("right", "near", "random")


@dataclass(frozen=True)
class Document:
    name: str
    pairs: tuple[tuple[str, str], ...]  # right pairs in reading order


@dataclass(frozen=True)
class LabelledPair:
    zh: str
    en: str
    kind: str  # right, near or random
    domain: str
    document: str

    @property
    def label(self) -> int:
        return int(self.kind == "right")


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def novels() -> list[Document]:
    from common import chapters, read_chapter

    root = Path(os.environ.get("MAC_DEV", SHARED / "mac-dev"))
    docs = []
    for name in chapters(root):
        zh, en, gold, _ = read_chapter(root, name)
        pairs = tuple(("".join(zh[i] for i in b.src), " ".join(en[j] for j in b.tgt)) for b in gold if b.src and b.tgt)
        docs.append(Document(f"mac-{name}", pairs))
    return docs


def docs() -> list[Document]:
    path = Path(os.environ.get("K8S_DEV", SHARED / "k8s-dev")) / "gold.jsonl"
    by_doc: dict[str, list] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("type") == "pair" and record.get("zh") and record.get("en"):
            by_doc.setdefault(record["doc"], []).append((record["i"], _one_line(record["zh"]), _one_line(record["en"])))
    return [Document(name, tuple((z, e) for _, z, e in sorted(rows))) for name, rows in sorted(by_doc.items())]


def law(chunk: int = 40) -> list[Document]:
    rows = [line.split("\t") for line in (DATA / "constitution-zh-en.tsv").read_text(encoding="utf-8").splitlines()]
    pairs = [(z, e) for z, e in rows]
    return [Document(f"constitution-{n // chunk:02d}", tuple(pairs[n:n + chunk])) for n in range(0, len(pairs), chunk)]


def software(chunk: int = 100) -> list[Document]:
    from translate.storage import factory

    store = factory.getobject(str(DATA / "dpkg-zh_CN.po"))
    pairs = [(_one_line(str(u.target)), _one_line(str(u.source))) for u in store.units
             if not u.isheader() and u.istranslated() and not u.isfuzzy() and not u.hasplural()]
    return [Document(f"dpkg-{n // chunk:02d}", tuple(pairs[n:n + chunk])) for n in range(0, len(pairs), chunk)]


def news_year(year: int, lines: int | None = None, chunk: int = 40) -> list[Document]:
    """The first ``lines`` pairs of one year's WMT news test set (``bench/news-dev``), in
    documents of ``chunk`` consecutive pairs (the files do not mark articles)."""
    text = (DATA.parent / "news-dev" / f"newstest{year}-enzh.tsv").read_text(encoding="utf-8")
    rows = [row for row in text.split("\n") if row][:lines]
    pairs = [tuple(_one_line(cell) for cell in row.split("\t")) for row in rows]
    return [Document(f"news{year}-{n // chunk:02d}", tuple(pairs[n:n + chunk])) for n in range(0, len(pairs), chunk)]


def news() -> list[Document]:
    """WMT news 2019 then 2020 (1,000 pairs of each), for the halves of ``bench/calibrate_domain.py``."""
    return news_year(2019, 1000) + news_year(2020, 1000)


DOMAINS = {"novels": novels, "docs": docs, "law": law, "software": software}  # the shipped model's (bench/quality.py)
CALIBRATION_DOMAINS = {**DOMAINS, "news": news}  # a domain model's (bench/calibrate_domain.py)


def test_pairs(domain: str, documents: list[Document], seed: int = 7) -> list[LabelledPair]:
    """Right, near and random pairs of one domain, each sentence used once, in a shuffled order."""
    rng = random.Random(seed)
    out, pool = [], []
    for doc in documents:
        for start in range(0, len(doc.pairs) - 1, 2):
            (za, ea), (zb, eb) = doc.pairs[start], doc.pairs[start + 1]
            part = rng.choice(KINDS)
            if part == "right":
                out += [LabelledPair(za, ea, "right", domain, doc.name), LabelledPair(zb, eb, "right", domain, doc.name)]
            elif part == "near":
                out.append(LabelledPair(za, eb, "near", domain, doc.name))
            else:
                pool += [(za, ea), (zb, eb)]
    half = len(pool) // 2  # each Chinese side with the English of a block half the pool away
    for n, (zh, _) in enumerate(pool):
        out.append(LabelledPair(zh, pool[(n + half) % len(pool)][1], "random", domain, "pool"))
    rng.shuffle(out)
    return out


def training_pairs(documents: list[Document], seed: int = 3) -> list[tuple[str, str, int]]:
    """Right pairs and synthetic noise from ``documents`` (zh, en, label): the noise ``align
    calibrate`` fits a domain's model on (``align.score.calibrate.synthetic_examples``)."""
    from align.score.calibrate import synthetic_examples

    return [(e.zh, e.en, e.label) for e in synthetic_examples([doc.pairs for doc in documents], seed)]
