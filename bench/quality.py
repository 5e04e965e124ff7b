"""Quality of pairs of unknown origin, as ``align score CORPUS`` judges them: does the default
threshold keep right pairs and drop near misses and random pairs, in every domain?

The pairs come from public zh-en documents of four domains (``bench/quality_sets.py``):
novels (MAC-dev), documentation (k8s-dev), law (the Constitution of the PRC) and software
messages (dpkg's catalogue), each sentence used once. Every file goes through the
product's own path: written as TSV, read with ``read_corpus`` and judged by ``rescore``
(so the margin is measured within the file and the length ratio is the file's own).

The bitext model is a logistic regression over ``FEATURES``, fitted on right pairs against
Bicleaner-style synthetic noise (``quality_sets.training_pairs``), each domain weighted
equally. Three figures per domain:
- *unseen domain*: fitted on the other three domains only;
- *unseen documents*: documents in two folds, fitted on the other fold of every domain;
- *shipped*: the model in ``align/data/quality_model.json`` (fitted on all four domains'
  noise, so this row is not held out).
and *before*: the parallel model, which judged such pairs in align 0.1.
Each prints the share of right, near and random pairs at or above the default threshold,
the ROC-AUC of right pairs against near misses, and the ECE; ``--reliability`` adds the
quality deciles of the unseen-documents predictions with the share of right pairs in each.

    python bench/quality.py [--reliability] [--write]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fit_quality import roc_auc  # noqa: E402
from quality_sets import DOMAINS, test_pairs, training_pairs  # noqa: E402

from align.embed import get_encoder  # noqa: E402
from align.export.formats import one_line  # noqa: E402
from align.score.calibrate import fit_logistic  # noqa: E402
from align.score.quality import BITEXT, load_quality_model  # noqa: E402
from align.io.corpus import read_corpus  # noqa: E402
from align.score.rescore import rescore  # noqa: E402
from align.score.select import DEFAULT_MIN_QUALITY  # noqa: E402

FEATURES = ("cosine", "margin", "length_deviation", "copied_tokens")


def judged_file(pairs: list[tuple[str, str]], encoder, model, method: str = "") -> list:
    """``rescore`` of the pairs written as one TSV file (bitext, as a user's file would be);
    ``method`` judges them as pairs of that method instead (``parallel``: what align 0.1 did
    with bitext)."""
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as tmp:
        path = Path(tmp) / "pairs.tsv"
        path.write_text("".join(f"{one_line(z)}\t{one_line(e)}\n" for z, e in pairs), encoding="utf-8")
        corpus = read_corpus(path)
        if len(corpus.entries) != len(pairs):
            raise SystemExit(f"{len(pairs) - len(corpus.entries)} pairs lost writing the benchmark file")
        entries = [replace(e, method=method) for e in corpus.entries] if method else corpus.entries
        return rescore(entries, encoder, model=model)


def matrix(rescored: list) -> np.ndarray:
    return np.array([[r.signals[f] for f in FEATURES] for r in rescored], dtype=float)


def fit(blocks: list[tuple[np.ndarray, np.ndarray]], l2: float = 1e-2, steps: int = 60) -> np.ndarray:
    """Weighted logistic regression (``align calibrate``'s), each block (a domain's file) weighing the same."""
    x = np.vstack([b[0] for b in blocks])
    y = np.concatenate([b[1] for b in blocks])
    weight = np.concatenate([np.full(len(b[1]), 1.0 / len(b[1])) for b in blocks])
    return fit_logistic(x, y, weight, l2, steps)


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ w[:-1] + w[-1], -60, 60)))


def deciles(quality: np.ndarray, labels: np.ndarray) -> list[tuple[int, int, float | None]]:
    """(decile, pairs, share right) for the quality bins [0, 0.1), ..., [0.9, 1]."""
    bins = np.minimum((quality * 10).astype(int), 9)
    return [(b, int((bins == b).sum()), float(labels[bins == b].mean()) if (bins == b).any() else None)
            for b in range(10)]


def ece(quality: np.ndarray, labels: np.ndarray) -> float:
    bins = np.minimum((quality * 10).astype(int), 9)
    return float(sum((bins == b).sum() / len(quality) * abs(quality[bins == b].mean() - labels[bins == b].mean())
                     for b in range(10) if (bins == b).any()))


def summary_row(label: str, quality: np.ndarray, kinds: np.ndarray, passes_rules: np.ndarray, threshold: float) -> str:
    """Kept: at or above the threshold and breaking no hard rule, as ``align score`` keeps."""
    labels = (kinds == "right").astype(int)
    keep = (quality >= threshold) & passes_rules
    kept = {k: float(np.mean(keep[kinds == k])) for k in ("right", "near", "random")}
    near = kinds != "random"
    return (f"| {label} | {int((kinds == 'right').sum())}/{int((kinds == 'near').sum())}/{int((kinds == 'random').sum())} "
            f"| {kept['right']:.3f} | {kept['near']:.3f} | {kept['random']:.3f} "
            f"| {roc_auc(quality[near], labels[near]):.4f} | {ece(quality, labels):.3f} |")


@dataclass(frozen=True)
class TestFile:
    features: np.ndarray
    kinds: np.ndarray
    passes_rules: np.ndarray
    quality: np.ndarray  # as the shipped model judged it
    before: np.ndarray  # as align 0.1 judged it: the parallel model, its fixed length ratio


class Files:
    """The judged benchmark files: for each domain and fold (0, 1, or ``None`` for all its
    documents), the test pairs and the training noise with its labels."""

    def __init__(self, encoder, model):
        self.tests, self.training = {}, {}
        for domain, load in DOMAINS.items():
            documents = load()
            for fold in (None, 0, 1):
                docs = documents if fold is None else [d for n, d in enumerate(documents) if n % 2 == fold]
                tests = test_pairs(domain, docs)
                texts = [(p.zh, p.en) for p in tests]
                judged = judged_file(texts, encoder, model)
                before = judged_file(texts, encoder, model, "parallel") if fold is None else judged
                self.tests[(domain, fold)] = TestFile(matrix(judged), np.array([p.kind for p in tests]),
                                                      np.array([not r.rejected_by for r in judged]),
                                                      np.array([r.quality for r in judged]),
                                                      np.array([r.quality for r in before]))
                noise = training_pairs(docs)
                self.training[(domain, fold)] = (matrix(judged_file([(z, e) for z, e, _ in noise], encoder, model)),
                                                 np.array([label for _, _, label in noise]))


def unseen_domain(files: Files, domain: str) -> np.ndarray:
    w = fit([files.training[(d, None)] for d in DOMAINS if d != domain])
    return predict(w, files.tests[(domain, None)].features)


def unseen_documents(files: Files, domain: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Predictions for each fold's test file by the model fitted on the other fold."""
    quality, kinds, rules = [], [], []
    for fold in (0, 1):
        w = fit([files.training[(d, 1 - fold)] for d in DOMAINS])
        test = files.tests[(domain, fold)]
        quality.append(predict(w, test.features))
        kinds.append(test.kinds)
        rules.append(test.passes_rules)
    return np.concatenate(quality), np.concatenate(kinds), np.concatenate(rules)


def write_model(w: np.ndarray, encoder_signature: str) -> None:
    from quality_model_file import write_quality_model

    write_quality_model(encoder_signature, methods={BITEXT: {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w[:-1]],
        "bias": round(float(w[-1]), 6),
        "trained_on": "right pairs vs Bicleaner-style noise (shifted, random, truncated, extended, replaced) of "
                      f"{', '.join(DOMAINS)} (bench/quality.py); length ratio measured per file",
    }})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reliability", action="store_true", help="print the quality deciles of held-out predictions")
    parser.add_argument("--write", action="store_true", help="fit on all four domains and write the bitext model")
    args = parser.parse_args()
    encoder, model = get_encoder("use"), load_quality_model()
    files = Files(encoder, model)
    threshold = DEFAULT_MIN_QUALITY
    if args.write:
        write_model(fit([files.training[(d, None)] for d in DOMAINS]), encoder.signature)
        load_quality_model.cache_clear()
        files = Files(encoder, load_quality_model())  # judged again by the model just written
    print(f"threshold {threshold} (the default of align run and align score); kept: share at or above it\n")
    print("| domain, model | right/near/random pairs | right kept | near kept | random kept | AUC right vs near | ECE |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    held_out = {}
    for domain in DOMAINS:
        test = files.tests[(domain, None)]
        print(summary_row(f"{domain}, before (parallel model)", test.before, test.kinds, test.passes_rules, threshold))
        print(summary_row(f"{domain}, unseen domain", unseen_domain(files, domain), test.kinds, test.passes_rules,
                          threshold))
        held_out[domain] = unseen_documents(files, domain)
        print(summary_row(f"{domain}, unseen documents", *held_out[domain], threshold))
        print(summary_row(f"{domain}, shipped (fitted on it)", test.quality, test.kinds, test.passes_rules, threshold))
    if args.reliability:
        print("\nreliability, unseen documents: quality decile -> pairs, share right")
        print("| domain | " + " | ".join(f"{b / 10:.1f}" for b in range(10)) + " | ECE |")
        print("| --- |" + " --- |" * 11)
        for domain, (quality, kinds, _) in held_out.items():
            labels = (kinds == "right").astype(int)
            cells = [f"{n}: {share:.2f}" if share is not None else "0" for _, n, share in deciles(quality, labels)]
            print(f"| {domain} | " + " | ".join(cells) + f" | {ece(quality, labels):.3f} |")


if __name__ == "__main__":
    main()
