"""Mining benchmark with gold, built from MAC-dev: comparable documents with known translations.

For each chapter and seed: a random 20-40% of the gold beads (both sides present) are kept
whole as the hidden true pairs; every other bead keeps one side only (a translation-less
sentence from the same story, the hardest distractor); sentences of other chapters are added
to each side as further distractors; the paragraphs of each side are shuffled. Each
chapter gives a Chinese and an English document; ``align run`` sees all of them at once.

A mined pair is right (lax) when all its sentences come from one hidden true pair, and
exact (strict) when it holds that pair's sentences and nothing else. Precision is over
mined pairs, recall over hidden true pairs. Also printed: F1 at the best threshold on the
pair's quality (as in BUCC), and the figures by seed.

``--domain law``, ``--domain docs`` or ``--domain news`` builds the same kind of files from
literal translations (the Constitution with its official English version; the k8s-dev pages'
gold units; the WMT newstest2019 and 2020 en-zh segments of ``bench/news-dev``, in documents
of 40 consecutive segments), one unit a paragraph, closer to the comparable Wikipedia text of
BUCC, where hidden translations are literal; ``--hidden-share 0.1,0.2`` makes them rarer.

    python bench/mining.py [--seeds 1,2,3] [--chapters 001,...] [--domain novels|law|docs|news]
                           [--hidden-share LO,HI] [--quality-model FILE] [--dump FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import DEFAULT_MAC_DEV  # noqa: E402

NAMES = ("001", "002", "003", "004", "005", "006")


@dataclass
class Construction:
    """The documents of one seed and, for each paragraph, the true pair it belongs to (or None)."""

    texts: dict[str, str] = field(default_factory=dict)  # file name -> text
    owner: dict[tuple[str, int], str | None] = field(default_factory=dict)  # (file, paragraph) -> pair id
    hidden: dict[str, str] = field(default_factory=dict)  # pair id -> chapter


def chapter_beads(mac: Path, name: str):
    from align.io.beads import read_beads

    zh = (mac / "zh" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    en = (mac / "en" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    beads = read_beads((mac / "gold" / f"{name}.align").read_text(encoding="utf-8"))
    return [("".join(zh[i] for i in b.src), " ".join(en[j] for j in b.tgt)) for b in beads if b.src and b.tgt]


def construct(mac: Path, names, seed: int, foreign_share: float = 0.2) -> Construction:
    return construct_from({name: chapter_beads(mac, name) for name in names}, seed, foreign_share)


def domain_beads(domain: str) -> dict[str, list[tuple[str, str]]]:
    """The right pairs of each document of another domain of ``bench/quality_sets.py``: ``law``
    (the Constitution and its official English version, ten parts), ``docs`` (the k8s-dev
    pages' gold units) or ``news`` (WMT news 2019 and 2020, 1,000 segments of each, 50 parts):
    literal translations, one sentence or block a unit, as in BUCC."""
    from quality_sets import CALIBRATION_DOMAINS

    seen: set[str] = set()
    out = {}
    for doc in CALIBRATION_DOMAINS[domain]():  # a unit repeated (a table header, "For example:") is kept once, as BUCC does
        out[doc.name] = [(zh, en) for zh, en in doc.pairs if not (zh in seen or en in seen or seen.update((zh, en)))]
    return out


def construct_from(beads: dict[str, list[tuple[str, str]]], seed: int, foreign_share: float = 0.2,
                   share_range: tuple[float, float] = (0.2, 0.4)) -> Construction:
    rng = random.Random(seed)
    names = list(beads)
    out = Construction()
    for name in names:
        share = rng.uniform(*share_range)
        zh_side: list[tuple[str, str | None]] = []
        en_side: list[tuple[str, str | None]] = []
        for n, (zh, en) in enumerate(beads[name]):
            if rng.random() < share:
                pair = f"{name}:{n}"
                out.hidden[pair] = name
                zh_side.append((zh, pair))
                en_side.append((en, pair))
            elif rng.random() < 0.5:
                zh_side.append((zh, None))
            else:
                en_side.append((en, None))
        others = [b for other in names if other != name for b in beads[other]]
        for side, index in ((zh_side, 0), (en_side, 1)):
            side.extend((b[index], None) for b in rng.sample(others, int(foreign_share * len(side))))
            rng.shuffle(side)
        for lang, side in (("zh", zh_side), ("en", en_side)):
            file = f"{name}.{lang}.txt"
            out.texts[file] = "\n\n".join(text for text, _ in side) + "\n"
            out.owner.update({(file, k): pair for k, (_, pair) in enumerate(side)})
    return out


def pair_owner(pair, owner) -> str | None:
    found = {owner.get((s.doc_id, s.paragraph)) for s in pair.zh + pair.en}
    return found.pop() if len(found) == 1 else None


def evaluate(pairs, construction: Construction, sentences) -> dict:
    """Lax and strict precision, recall and F1 of the exported pairs (mined or not: the files are
    named as translations, ``NAME.zh.txt`` and ``NAME.en.txt``, so every pair the run exports counts)."""
    mined = list(pairs)  # every exported pair counts, whatever its method (the shared-task protocol)
    sizes: dict[str, int] = {}
    for s in sentences:
        pair = construction.owner.get((s.doc_id, s.paragraph))
        if pair:
            sizes[pair] = sizes.get(pair, 0) + 1
    right = [(p, pair_owner(p, construction.owner)) for p in mined]
    lax = [o for _, o in right if o]
    strict = [o for p, o in right if o and len(p.zh) + len(p.en) == sizes[o]]
    out = {}
    for name, hits in (("lax", lax), ("strict", strict)):
        precision = len(hits) / max(1, len(mined))
        recall = len(set(hits)) / max(1, len(construction.hidden))
        out[name] = {"precision": precision, "recall": recall,
                     "f1": 2 * precision * recall / max(1e-9, precision + recall)}
    out["mined"] = len(mined)
    out["hidden"] = len(construction.hidden)
    return out


def best_threshold_f1(scored: list[tuple[float, bool]], hidden: int) -> tuple[float, float]:
    """The best F1 over thresholds on the score (BUCC's measure), and that threshold."""
    best = (0.0, 1.0)
    right = 0
    for n, (score, ok) in enumerate(sorted(scored, key=lambda x: -x[0]), 1):
        right += ok
        p, r = right / n, right / max(1, hidden)
        f1 = 2 * p * r / max(1e-9, p + r)
        if f1 > best[0]:
            best = (f1, score)
    return best


def run_seed(mac: Path, names, seed: int, encoder, config, domain: str = "novels",
             share_range: tuple[float, float] = (0.2, 0.4)):
    from align.run import run

    construction = (construct(mac, names, seed) if domain == "novels" and share_range == (0.2, 0.4)
                    else construct_from(domain_beads(domain) if domain != "novels" else
                                        {name: chapter_beads(mac, name) for name in names}, seed, 0.2, share_range))
    with tempfile.TemporaryDirectory() as tmp:
        for file, text in construction.texts.items():
            (Path(tmp) / file).write_text(text, encoding="utf-8")
        result = run([Path(tmp)], config, encoder)
    return construction, result


def main() -> None:
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.score.select import SelectSettings
    from align.translate.stage import TranslateSettings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--chapters", default=",".join(NAMES))
    parser.add_argument("--mac-dev", default=str(DEFAULT_MAC_DEV))
    parser.add_argument("--domain", default="novels", choices=("novels", "law", "docs", "news"),
                        help="novels: MAC-dev chapters (the default); law, docs, news: the literal translations of "
                             "bench/quality_sets.py (Constitution, k8s-dev units, WMT news), one unit a paragraph")
    parser.add_argument("--hidden-share", default="0.2,0.4",
                        help="the share of each document's pairs kept whole, drawn in this range (default 0.2,0.4)")
    parser.add_argument("--min-quality", type=float, default=None, help="default: the product's default (0.5)")
    parser.add_argument("--quality-model", help="a quality model file to judge by (default: the shipped one)")
    parser.add_argument("--dump", help="write every pair found (signals, method, right or not) as JSONL")
    parser.add_argument("--run-threshold", type=float, default=None,
                        help="the margin a mined many-sentence bead needs (default: the product's)")
    args = parser.parse_args()
    names = args.chapters.split(",")
    encoder = get_encoder("use")
    select = SelectSettings(args.min_quality if args.min_quality is not None else 0.5)
    config = RunConfig(translate=TranslateSettings(mode="none"), select=select, quality_model=args.quality_model)
    if args.run_threshold is not None:
        config = replace(config, mining=replace(config.mining, run_threshold=args.run_threshold))
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    print(f"{'seed':>4} {'hidden':>6} {'mined':>6} {'lax P':>6} {'lax R':>6} {'lax F1':>6} {'strict P':>8} "
          f"{'strict R':>8} {'best-threshold F1':>17}")
    for seed in (int(s) for s in args.seeds.split(",")):
        construction, result = run_seed(Path(args.mac_dev), names, seed, encoder, config, args.domain,
                                        tuple(float(x) for x in args.hidden_share.split(",")))
        e = evaluate(result.pairs, construction, result.prepared.sentences)
        scored = [(p.quality, pair_owner(p, construction.owner) is not None) for p in result.all_pairs if p.method == "mined"]
        f1, threshold = best_threshold_f1(scored, e["hidden"])
        print(f"{seed:>4} {e['hidden']:>6} {e['mined']:>6} {e['lax']['precision']:>6.3f} {e['lax']['recall']:>6.3f} "
              f"{e['lax']['f1']:>6.3f} {e['strict']['precision']:>8.3f} {e['strict']['recall']:>8.3f} "
              f"{f1:>8.3f} at {threshold:.3f}", flush=True)
        if dump:
            for p in result.all_pairs:
                owner = pair_owner(p, construction.owner)
                chapter = p.zh[0].doc_id.split(".")[0]
                dump.write(json.dumps({"domain": args.domain, "seed": seed, "hidden": e["hidden"], "chapter": chapter,
                                       "method": p.method, "signals": p.signals,
                                       "shape": f"{len(p.zh)}-{len(p.en)}", "owner": owner,
                                       "quality": p.quality, "rejected_by": list(p.rejected_by), "right": owner is not None,
                                       "zh": p.zh_text, "en": p.en_text}, ensure_ascii=False) + "\n")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
