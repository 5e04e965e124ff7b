"""A quality model fitted to a domain (``align calibrate``), measured on pairs it never saw.

For each domain of ``bench/quality_sets.py`` (novels: MAC-dev chapters; docs: k8s-dev pages;
law: the PRC Constitution; software: dpkg's messages; news: 1,000 pairs of WMT newstest2019
en-zh and 1,000 of newstest2020, ``bench/news-dev``, so that its halves are the two years), the documents are cut in two halves
(``--split``: ``halves``, the first half of the documents against the second, or ``parity``,
even against odd). The clean right pairs of one half are written as a TSV and given to the
library's ``align calibrate`` (``read_sample`` + ``calibrate``: synthetic negatives, the fit,
the threshold of its policy, out of fold). The model is then used,
at its own threshold, on the right pairs, near misses (a Chinese sentence with the next
English one, its own partner absent) and random pairs of the *other* half, judged as one
file through ``rescore`` as ``align score --quality-model`` judges it; then the halves swap.
*before* is the shipped model at the default threshold 0.5 on the same pairs.

    python bench/calibrate_domain.py [--domains novels,docs] [--split halves|parity]
        [--threshold-by keep-right|precision|negatives] [--keep-right 0.95] [--target-precision 0.95]
        [--signals cosine,margin,length_deviation,copied_tokens] [--cache vectors.sqlite]
        [--max-near 0.05] [--max-random 0.005] [--near-weight 1]

``--signals`` may name the optional signals too (``e5_cosine``, ``e5_margin``,
``dictionary_coverage``, ``name_agreement``, ``number_agreement``, ``mark_agreement``,
``scaled_length_deviation``: ``align/score/optional.py``); ``--max-near``/``--max-random`` are the
limits of the ``negatives`` threshold, ``--near-weight`` the weight of a near miss in the fit;
the rows *at its precision / negatives threshold* use the thresholds those policies chose on
the sample, out of fold.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality_sets import CALIBRATION_DOMAINS as DOMAINS, test_pairs  # noqa: E402

from align.embed import EmbeddingStore, get_encoder  # noqa: E402
from align.score.calibrate import DEFAULT_FEATURES, CalibrateSettings, calibrate, ece, read_sample, roc_auc  # noqa: E402
from align.score.quality import load_quality_model, quality_model_from_text  # noqa: E402
from align.io.corpus import CorpusEntry  # noqa: E402
from align.score.rescore import rescore  # noqa: E402
from align.score.select import DEFAULT_MIN_QUALITY  # noqa: E402


def halves(documents: list, split: str) -> tuple[list, list]:
    if split == "parity":
        return documents[0::2], documents[1::2]
    mid = (len(documents) + 1) // 2
    return documents[:mid], documents[mid:]


def fitted_model(documents: list, encoder, settings: CalibrateSettings):
    """The model ``align calibrate`` fits on the documents' right pairs, written as one TSV."""
    with tempfile.TemporaryDirectory(prefix="bench-calibrate-") as tmp:
        path = Path(tmp) / "clean.tsv"
        path.write_text("".join(f"{z}\t{e}\n" for d in documents for z, e in d.pairs), encoding="utf-8")
        calibration = calibrate(read_sample([path], settings.block), encoder, settings)
    return quality_model_from_text(json.dumps(calibration.model)), calibration


def judged(pairs: list, encoder, model) -> tuple[np.ndarray, np.ndarray]:
    """Quality and whether each pair breaks no hard rule, the pairs judged as one file."""
    rescored = rescore([CorpusEntry(p.zh, p.en) for p in pairs], encoder, model=model)
    return np.array([r.quality for r in rescored]), np.array([not r.rejected_by for r in rescored])


def row(label: str, quality: np.ndarray, passes: np.ndarray, kinds: np.ndarray, threshold: float) -> str:
    keep = (quality >= threshold) & passes
    kept = {k: float(keep[kinds == k].mean()) for k in ("right", "near", "random")}
    labels = (kinds == "right").astype(float)
    near = kinds != "random"
    counts = "/".join(str(int((kinds == k).sum())) for k in ("right", "near", "random"))
    return (f"| {label} | {counts} | {threshold:.2f} | {kept['right']:.3f} | {kept['near']:.3f} | {kept['random']:.3f} "
            f"| {roc_auc(quality[near], labels[near]):.4f} | {ece(quality, labels):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", default=",".join(DOMAINS))
    parser.add_argument("--split", choices=("halves", "parity"), default="halves")
    parser.add_argument("--target-precision", type=float, default=0.95)
    parser.add_argument("--threshold-by", choices=("keep-right", "precision", "negatives"), default="keep-right")
    parser.add_argument("--keep-right", type=float, default=0.95)
    parser.add_argument("--signals", default=",".join(DEFAULT_FEATURES), help="the signals the fit weighs")
    parser.add_argument("--max-near", type=float, default=0.05, help="near misses the negatives threshold may keep")
    parser.add_argument("--max-random", type=float, default=0.005, help="random pairs the negatives threshold may keep")
    parser.add_argument("--near-weight", type=float, default=1.0, help="the weight of a near miss in the fit")
    parser.add_argument("--block", type=int, default=50)
    parser.add_argument("--cache", help="an embedding store (sqlite file) both encoders keep their vectors in")
    parser.add_argument("--skip-before", action="store_true", help="leave out the shipped model's rows")
    args = parser.parse_args()
    store = EmbeddingStore(args.cache) if args.cache else None
    encoder, shipped = get_encoder("use", store=store), load_quality_model()
    settings = CalibrateSettings(features=tuple(args.signals.split(",")), target_precision=args.target_precision,
                                 keep_right=args.keep_right,
                                 threshold_by=args.threshold_by, max_near=args.max_near, max_random=args.max_random,
                                 near_weight=args.near_weight, block=args.block)
    print(f"split {args.split}; signals {args.signals}; threshold by {args.threshold_by} (keep right {args.keep_right}, "
          f"target precision {args.target_precision}, near misses at most {args.max_near}, random pairs at most "
          f"{args.max_random}); near weight {args.near_weight}; kept: at or above the threshold, "
          "breaking no hard rule\n")
    print("| domain: fitted on -> measured on | right/near/random | threshold | right kept | near kept | random kept "
          "| AUC right vs near | ECE |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for domain in args.domains.split(","):
        a, b = halves(DOMAINS[domain](), args.split)
        for name, (fit_on, test_on) in (("A -> B", (a, b)), ("B -> A", (b, a))):
            tests = test_pairs(domain, test_on)
            kinds = np.array([p.kind for p in tests])
            if not args.skip_before:
                quality, passes = judged(tests, encoder, shipped)
                print(row(f"{domain} {name}, before (shipped model)", quality, passes, kinds, DEFAULT_MIN_QUALITY))
            model, calibration = fitted_model(fit_on, encoder, settings)
            quality, passes = judged(tests, encoder, model)
            label = f"{domain} {name}, fitted on {sum(len(d.pairs) for d in fit_on)} clean pairs"
            print(row(label, quality, passes, kinds, model.threshold))
            held = calibration.figures
            print(row(f"{label}, at 0.5", quality, passes, kinds, DEFAULT_MIN_QUALITY))
            for policy, at in held["alternatives"].items():
                if policy in ("precision", "negatives") and at and at["threshold"] != model.threshold:
                    print(row(f"{label}, at its {policy} threshold", quality, passes, kinds, at["threshold"]))
            print(f"|   (its sample, out of fold: threshold {held['threshold']}, right kept "
                  f"{held['kept_at_threshold']['right']:.3f}, shifted kept {held['kept_at_threshold'].get('shifted', 0):.3f}, "
                  f"AUC {held['auc']}) | | | | | | | |")


if __name__ == "__main__":
    main()
