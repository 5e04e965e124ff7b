"""Which evidence would let the mined quality reach the shared-task target (precision 0.92 at
recall 0.90 of the hidden translations): mined-model variants fitted leave-one-domain-out on
the dumps of ``bench/mining.py``.

Each dump (``python bench/mining.py --domain D --seeds N --hidden-share LO,HI --min-quality 0
--dump FILE``) holds every scored pair of one or more runs, with its signals and whether it is
right. This script adds the signals a run does not compute by default (``align.score.optional``:
dictionary coverage, number, name and mark agreement; e5 cosine and margin with ``--e5``, slow)
and a *relative cosine* (the pair's cosine less the ``--quantile`` of the cosines of the mined
candidates of its run, ``--per group`` of its document pair), then, for each domain, fits each
variant (``fit_quality.fit_logistic``) on the other domains' dumps and prints, for each held-out
run (named by its dump and seed), the figures of ``bench/mining.py`` at quality 0.5 (every exported pair counts: no hard rule
broken, quality at or above 0.5) and the best recall at precision 0.92 or above, with the
quality it needs. ``shipped``: the dump's own quality (the shipped model).

    python bench/mining_models.py FILE.jsonl [FILE.jsonl ...] [--e5] [--quantile 0.8] [--per run|group]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fit_quality import fit_logistic  # noqa: E402

BASE = ("cosine", "margin", "length_deviation")
VARIANTS = {
    "refit": BASE,
    "+copied": BASE + ("copied_tokens",),
    "+numbers,marks": BASE + ("copied_tokens", "number_agreement", "mark_agreement"),
    "+dictionary": BASE + ("copied_tokens", "dictionary_coverage"),
    "relative": ("relative_cosine", "margin", "length_deviation", "copied_tokens"),
    "relative+dictionary": BASE + ("copied_tokens", "dictionary_coverage", "relative_cosine"),
}
E5_VARIANTS = {"+e5": BASE + ("copied_tokens", "e5_cosine", "e5_margin"),
               "+e5+dictionary": BASE + ("copied_tokens", "dictionary_coverage", "e5_cosine", "e5_margin")}
TEXT_SIGNALS = ("dictionary_coverage", "name_agreement", "number_agreement", "mark_agreement")


def read_runs(paths: list[str]) -> dict[str, list[dict]]:
    """The pairs of each run of the dumps, by the dump's name and the seed."""
    runs: dict[str, list[dict]] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            runs.setdefault(f"{Path(path).stem}:{row['seed']}", []).append(row)
    return runs


def add_signals(rows: list[dict], e5: bool, quantile: float, per: str, second=None) -> None:
    """The optional signals (``align.score.optional``, over each document pair as one file) and
    the relative cosine of every pair of one run, in place."""
    from align.score.optional import optional_signals

    names = TEXT_SIGNALS + (("e5_cosine", "e5_margin") if e5 else ())
    groups: dict[str, list[dict]] = {}
    for row in (r for r in rows if r["method"] == "mined"):
        groups.setdefault(row["chapter"] if per == "group" else "run", []).append(row)
    for members in groups.values():
        level = float(np.quantile([r["signals"]["cosine"] for r in members], quantile))
        for row, extra in zip(members, optional_signals([(r["zh"], r["en"]) for r in members], names, second=second)):
            row["signals"].update(extra, relative_cosine=round(row["signals"]["cosine"] - level, 4))


def probabilities(w: np.ndarray, rows: list[dict], features) -> np.ndarray:
    """The variant's quality of the mined pairs (the garble penalty of ``align.score.quality``
    included); the other pairs keep the quality of the run."""
    out = np.array([r["quality"] for r in rows], dtype=float)
    mined = [n for n, r in enumerate(rows) if r["method"] == "mined"]
    x = np.array([[rows[n]["signals"][f] for f in features] for n in mined], dtype=float)
    garble = np.clip([rows[n]["signals"].get("garble", 0.0) for n in mined], 0.0, 1.0)
    out[mined] = (1.0 - 0.5 * garble) / (1.0 + np.exp(-np.clip(x @ w[:-1] + w[-1], -60, 60)))
    return out


def figures(rows: list[dict], quality: np.ndarray, target: float = 0.92) -> tuple[int, float, float, float, float]:
    """Exported pairs, precision and recall at 0.5; the best recall at precision >= ``target``
    and the quality it needs (ranked by quality, pairs that break a hard rule left out)."""
    hidden = rows[0]["hidden"]
    kept = [(q, r) for q, r in zip(quality, rows) if not r["rejected_by"]]
    exported = [r for q, r in kept if q >= 0.5]
    right = [r for r in exported if r["right"]]
    best, needs, hits, found = 0.0, 1.0, 0, set()
    for n, (q, r) in enumerate(sorted(kept, key=lambda qr: -qr[0]), 1):
        if r["right"]:
            hits += 1
            found.add(r["owner"])
        if hits / n >= target and len(found) / hidden > best:
            best, needs = len(found) / hidden, float(q)
    return (len(exported), len(right) / max(1, len(exported)), len({r["owner"] for r in right}) / hidden, best, needs)


def leave_one_domain_out(runs: dict[str, list[dict]], features) -> dict[str, tuple]:
    """Each run's figures under the variant fitted on the runs of the other domains."""
    domain = {name: rows[0]["domain"] for name, rows in runs.items()}
    out = {}
    for name, rows in runs.items():
        train = [r for other, rs in runs.items() if domain[other] != domain[name] for r in rs if r["method"] == "mined"]
        x = np.array([[r["signals"][f] for f in features] for r in train], dtype=float)
        w = fit_logistic(x, np.array([r["right"] for r in train], dtype=float))
        out[name] = figures(rows, probabilities(w, rows, features))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dumps", nargs="+")
    parser.add_argument("--e5", action="store_true", help="also the e5 cosine and margin (embeds every pair again)")
    parser.add_argument("--quantile", type=float, default=0.8)
    parser.add_argument("--per", choices=("run", "group"), default="run")
    args = parser.parse_args()
    runs = read_runs(args.dumps)
    second = None
    if args.e5:
        from align.embed import get_encoder
        from align.score.optional import second_encoder

        second = second_encoder(get_encoder("use"))
    for rows in runs.values():
        add_signals(rows, args.e5, args.quantile, args.per, second)
    variants = {**VARIANTS, **(E5_VARIANTS if args.e5 else {})}
    table = {"shipped": {n: figures(rows, np.array([r["quality"] for r in rows])) for n, rows in runs.items()}}
    table.update({v: leave_one_domain_out(runs, features) for v, features in variants.items()})
    width = max(len(name) for name in runs)
    print(f"{'variant':<20} {'run':<{width}} {'pairs':>5} {'P':>6} {'R':>6}  best R at P>=0.92 (quality)")
    for variant, by_run in table.items():
        for name in sorted(by_run):
            n, p, r, best, needs = by_run[name]
            print(f"{variant:<20} {name:<{width}} {n:>5} {p:>6.3f} {r:>6.3f}  {best:.3f} ({needs:.2f})")


if __name__ == "__main__":
    main()
