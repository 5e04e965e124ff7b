"""Signals and fits a domain model could use, compared on the halves of ``bench/calibrate_domain.py``
without fitting through the command line each time.

Each fold of ``align calibrate``'s sample and each held-out set (right pairs, near misses and
random pairs of the other half, ``quality_sets.test_pairs``) is judged once by the library
(``align.score.calibrate.judge_part``: every signal ``align`` computes, the optional ones too)
and kept in a pickle (``--features``); both encoders' vectors are kept beside them. Then each
set of signals (``--sets``) is fitted as ``align calibrate`` fits it (the same folds, weights,
logistic regression and threshold policies) with numpy alone, and measured on the held-out
half: right / near / random kept at the ``negatives`` threshold (``--max-near``), the AUC of
right pairs against near misses, and the right pairs the best threshold could keep: the lowest
within the limits, chosen on the held-out half itself (no threshold chosen on the sample can do
better).

Besides the library's signals, a set may name candidates computed here from the vectors,
which no model can weigh yet:

- ``competition`` / ``e5_competition``: a pair's cosine less the best cosine its Chinese side has
  with any other English side of the file or its English side with any other Chinese side
  (USE / e5): how far it beats its strongest competitor for either side.

    python bench/calibrate_candidates.py --domains news,novels [--features /tmp/feat.pkl]
        [--cache vectors.sqlite] [--max-near 0.05] [--near-weight 1]
        [--sets "default=cosine,margin,length_deviation,copied_tokens;..."]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from calibrate_domain import halves  # noqa: E402
from quality_sets import CALIBRATION_DOMAINS as DOMAINS, test_pairs  # noqa: E402

from align.score.calibrate import (CalibrateSettings, Example, _balanced, _folds, fit_logistic, judge_part,  # noqa: E402
                                   predict, read_sample, roc_auc, threshold_keeping, threshold_within)
from align.score.optional import SELECTABLE_NAMES  # noqa: E402
from align.score.quality import GARBLE_PENALTY  # noqa: E402

MEASURED = tuple(n for n in SELECTABLE_NAMES if not n.startswith("mt_chrf"))
ALL_TEN = "cosine,margin,length_deviation,copied_tokens,e5_cosine,e5_margin,dictionary_coverage,name_agreement," \
          "number_agreement,mark_agreement"
SETS = (f"default=cosine,margin,length_deviation,copied_tokens;all ten={ALL_TEN};"
        f"all ten, scaled length={ALL_TEN.replace('length_deviation', 'scaled_length_deviation')};"
        f"all ten + competition={ALL_TEN},competition,e5_competition;"
        "margins and agreements=margin,e5_margin,copied_tokens,dictionary_coverage,name_agreement,number_agreement,"
        "mark_agreement;margins and agreements + competition=margin,e5_margin,copied_tokens,dictionary_coverage,"
        "name_agreement,number_agreement,mark_agreement,competition,e5_competition")


def judged(examples: list, encoder, second, shipped) -> dict:
    """One file's signals (every one the library measures), hard-rule verdicts and vectors."""
    part = judge_part(examples, MEASURED, encoder, shipped, second)
    zh, en = [e.zh for e in examples], [e.en for e in examples]
    return {"x": part.features, "kinds": part.kinds, "passes": part.passes,
            "use": (encoder.encode_alone(zh), encoder.encode_alone(en)),
            "e5": (second.encode_alone(zh), second.encode_alone(en))}


def features(domains: list[str], cache: str | None) -> dict:
    """Every fold and held-out set of each domain and direction, judged."""
    from align.embed import EmbeddingStore, get_encoder
    from align.score.optional import second_encoder
    from align.score.quality import load_quality_model

    encoder = get_encoder("use", store=EmbeddingStore(cache) if cache else None)
    second, shipped, out = second_encoder(encoder), load_quality_model(), {}
    for domain in domains:
        a, b = halves(DOMAINS[domain](), "halves")
        for name, (fit_on, test_on) in (("A -> B", (a, b)), ("B -> A", (b, a))):
            with tempfile.TemporaryDirectory(prefix="bench-candidates-") as tmp:
                path = Path(tmp) / "clean.tsv"
                path.write_text("".join(f"{z}\t{e}\n" for d in fit_on for z, e in d.pairs), encoding="utf-8")
                sample = read_sample([path], 50)
            folds = [judged(f, encoder, second, shipped) for f in _folds(sample, CalibrateSettings())]
            held = judged([Example(p.zh, p.en, p.kind) for p in test_pairs(domain, test_on)], encoder, second, shipped)
            out[(domain, name)] = {"folds": folds, "test": held}
            print(f"judged {domain} {name}", file=sys.stderr, flush=True)
    return out


def competition(zh: np.ndarray, en: np.ndarray) -> np.ndarray:
    """Each pair's cosine less the best cosine of its Chinese side with another English side of
    the file, or of its English side with another Chinese side."""
    similarity = zh @ en.T
    cosine = np.diag(similarity).copy()
    np.fill_diagonal(similarity, -np.inf)
    return cosine - np.maximum(similarity.max(axis=1), similarity.max(axis=0))


def columns(part: dict, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The signals ``names`` of a judged file, candidates computed here, and its garble."""
    table = {n: part["x"][:, i] for i, n in enumerate(MEASURED)}
    table["competition"], table["e5_competition"] = competition(*part["use"]), competition(*part["e5"])
    return np.stack([table[n] for n in names], axis=1), table["garble"]


def measured(data: dict, names: list[str], max_near: float, near_weight: float) -> str:
    """Fit as ``align calibrate`` does (out of fold for the negatives threshold, then on every
    fold) and measure on the held-out half."""
    folds = data["folds"]
    xs = [columns(f, names) for f in folds]
    kinds = [f["kinds"] for f in folds]
    oof = []
    for k in range(len(folds)):
        x = np.vstack([xs[j][0] for j in range(len(folds)) if j != k])
        kind = np.concatenate([kinds[j] for j in range(len(folds)) if j != k])
        w = fit_logistic(x, (kind == "right").astype(float), _balanced(kind, near_weight))
        oof.append(predict(w, xs[k][0]) * (1 - GARBLE_PENALTY * np.clip(xs[k][1], 0, 1)))
    quality, kind = np.concatenate(oof), np.concatenate(kinds)
    passes = np.concatenate([f["passes"] for f in folds])
    threshold = threshold_within(quality, kind, passes, {"shifted": max_near, "random": 0.005}) or \
        threshold_keeping(quality, (kind == "right").astype(float), passes, 0.95)
    w = fit_logistic(np.vstack([x for x, _ in xs]), (kind == "right").astype(float), _balanced(kind, near_weight))
    held = data["test"]
    x, garble = columns(held, names)
    q = predict(w, x) * (1 - GARBLE_PENALTY * np.clip(garble, 0, 1))
    kept = (q >= threshold) & held["passes"]
    rates = " / ".join(f"{kept[held['kinds'] == k].mean():.3f}" for k in ("right", "near", "random"))
    near = held["kinds"] != "random"
    best = threshold_within(q, held["kinds"], held["passes"], {"near": max_near, "random": 0.005})
    ceiling = "-" if best is None else f"{((q >= best) & held['passes'])[held['kinds'] == 'right'].mean():.3f}"
    return (f"{threshold:.2f} | {rates} | {roc_auc(q[near], (held['kinds'][near] == 'right').astype(float)):.4f} "
            f"| {ceiling}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", default="news,novels")
    parser.add_argument("--features", help="a pickle of the judged files: read when it exists, else written")
    parser.add_argument("--cache", help="an embedding store (sqlite file) both encoders keep their vectors in")
    parser.add_argument("--sets", default=SETS, help="NAME=SIGNAL,SIGNAL;... (candidates: competition, e5_competition)")
    parser.add_argument("--max-near", type=float, default=0.05)
    parser.add_argument("--near-weight", type=float, default=1.0)
    args = parser.parse_args()
    path = Path(args.features) if args.features else None
    if path and path.exists():
        data = pickle.loads(path.read_bytes())
    else:
        data = features(args.domains.split(","), args.cache)
        if path:
            path.write_bytes(pickle.dumps(data))
    print(f"negatives threshold: near misses at most {args.max_near}, random pairs 0.005; near weight {args.near_weight}\n")
    print("| fitted on -> measured on | signals | threshold | right / near / random kept | AUC right vs near "
          "| right kept at the best threshold |")
    print("| --- | --- | --- | --- | --- | --- |")
    for entry in args.sets.split(";"):
        label, names = entry.split("=")
        for (domain, direction), one in sorted(data.items()):
            if domain in args.domains.split(","):
                print(f"| {domain} {direction} | {label} | {measured(one, names.split(','), args.max_near, args.near_weight)} |")


if __name__ == "__main__":
    main()
