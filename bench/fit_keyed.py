"""Fit the quality model of keyed pairs (string-file units paired by key) on the string-file
dev data, and report how it separates right pairs from wrong ones on held-back projects.

Positives: the key pairs of bench/strings/projects/ (units paired by key, translated).
Negatives: *another string's translation*, the Chinese of a key with the English of another
key of the same file (a random one, and the next one: a near miss among similar strings).
The signals are computed by the pipeline's own scoring (``score_candidates``: cosine, margin
against the file's own strings, length deviation at the file's ratio, copied tokens).
A pair paired by key is right far more often than not, so negatives are weighted to a prior
of ``--wrong-share`` (10%): the model then needs evidence to score a pair low, and a short UI
string (``OK``/``确定``) whose embedding says little keeps a high quality.

    python bench/fit_keyed.py [--held-out arb-kelivo,yaml-19wu,strings-ucopy] [--write]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.bitext import bitext_candidates  # noqa: E402
from align.embed import get_encoder  # noqa: E402
from align.ingest import string_files  # noqa: E402
from align.keyed import prepare_keyed  # noqa: E402
from align.normalize import Normalizer  # noqa: E402
from align.score.pairs import score_candidates  # noqa: E402
from align.score.quality import load_quality_model  # noqa: E402

FEATURES = ("cosine", "margin", "length_deviation", "copied_tokens")
PROJECTS = ROOT / "bench" / "strings" / "projects"


def signals(pairs, encoder, model, group: int) -> list[dict]:
    candidates, neighbours = bitext_candidates(tuple(pairs), group, encoder, "keyed")
    return [p.signals for p in score_candidates(candidates, neighbours, 4, model)]


def examples(encoder, rng) -> list[tuple[str, list[float], int]]:
    """(project, features, label) of every right pair and two wrong ones per right pair."""
    model = load_quality_model()
    keyed = prepare_keyed(string_files([PROJECTS]), Normalizer())
    out = []
    for part in keyed.parts:
        project = Path(part.documents[0].path).relative_to(PROJECTS.resolve()).parts[0]
        pairs = list(part.pairs)
        if len(pairs) < 3:
            continue
        shuffled = [(z, pairs[(k + rng.randrange(1, len(pairs))) % len(pairs)][1]) for k, (z, _) in enumerate(pairs)]
        near = [(z, pairs[(k + 1) % len(pairs)][1]) for k, (z, _) in enumerate(pairs)]
        for found, label in ((pairs, 1), (shuffled, 0), (near, 0)):
            out += [(project, [s[f] for f in FEATURES], label) for s in signals(found, encoder, model, part.group)]
    return out


def fit(rows, wrong_share: float):
    from sklearn.linear_model import LogisticRegression

    x = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    weights = np.where(y == 1, 1.0, wrong_share / (1 - wrong_share) * (y == 1).sum() / max(1, (y == 0).sum()))
    return LogisticRegression(C=10.0, max_iter=1000).fit(x, y, sample_weight=weights)


def report(name: str, clf, rows) -> None:
    x = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    p = clf.predict_proba(x)[:, 1]
    print(f"{name}: {int((y == 1).sum())} right pairs, {(p[y == 1] >= 0.5).mean():.2%} at quality >= 0.5; "
          f"{int((y == 0).sum())} wrong pairs (another string's translation), {(p[y == 0] < 0.5).mean():.2%} below 0.5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held-out", default="arb-kelivo,yaml-19wu,strings-ucopy")
    parser.add_argument("--wrong-share", type=float, default=0.1)
    parser.add_argument("--write", action="store_true", help="write the model fitted on all projects into quality_model.json")
    args = parser.parse_args()
    rows = examples(get_encoder("use"), random.Random(1))
    held = set(args.held_out.split(","))
    train = [r for r in rows if r[0] not in held]
    test = [r for r in rows if r[0] in held]
    clf = fit(train, args.wrong_share)
    report("train", clf, train)
    report("held out (" + ", ".join(sorted(held)) + ")", clf, test)
    if args.write:
        from quality_model_file import write_quality_model

        final = fit(rows, args.wrong_share)
        keyed = {
            "features": list(FEATURES), "weights": [round(float(w), 6) for w in final.coef_[0]],
            "bias": round(float(final.intercept_[0]), 6),
            "trained_on": f"{sum(r[2] for r in rows)} key pairs of bench/strings/projects (8 projects, 7 formats) vs "
                          f"another string's translation (random and next key), prior of a wrong pair {args.wrong_share}"}
        write_quality_model(get_encoder("use").signature, methods={"keyed": keyed})


if __name__ == "__main__":
    main()
