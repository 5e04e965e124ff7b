"""The one writer of ``align/data/quality_model.json`` (the shipped quality model).

Three benchmark scripts fit parts of it: ``fit_quality.py`` the top-level model (its
``length_ratio`` and the fallback weights), ``calibrate.py`` the ``parallel`` and ``mined``
models, ``quality.py`` the ``bitext`` model. Each replaces only its own part through
``write_quality_model``, which keeps every other part as it is and makes the signature from
the whole file, so running the scripts one after another never drops a model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.io.atomic import write_text  # noqa: E402

MODEL_FILE = ROOT / "align" / "data" / "quality_model.json"
DEFAULT_KEYS = ("features", "weights", "bias", "length_ratio", "trained_on")


def model_signature(data: dict, encoder_signature: str) -> str:
    """``calibrated-logreg``, the features of each method (methods with the same features
    together, in file order), the encoder and the methods: what made every quality value."""
    by_features: dict[str, list[str]] = {}
    for name, model in data.get("methods", {}).items():
        by_features.setdefault("+".join(model["features"]), []).append(name)
    parts = [f"{','.join(names)}:{features}" for features, names in by_features.items()]
    methods = ",".join(sorted(data.get("methods", {})))
    return "|".join(["calibrated-logreg", *parts, f"enc:{encoder_signature}", f"methods:{methods}", "v2"])


def write_quality_model(encoder_signature: str, default: dict | None = None, methods: dict | None = None,
                        path: Path = MODEL_FILE) -> dict:
    """Replace the top-level model (``default``: the keys of ``DEFAULT_KEYS``) and/or the models
    of the ``methods`` named, keep the rest of ``path`` as it is, and write it with its new
    signature. Returns what was written."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if default is not None:
        unknown = set(default) - set(DEFAULT_KEYS)
        if unknown:
            raise ValueError(f"not keys of the top-level model: {sorted(unknown)}")
        data.update(default)
    data.setdefault("methods", {}).update(methods or {})
    data["signature"] = model_signature(data, encoder_signature)
    write_text(path, json.dumps(data, indent=2) + "\n")
    kept = sorted(set(data["methods"]) - set(methods or {}))
    print(f"wrote {path} ({'top-level model, ' if default else ''}{', '.join(sorted(methods or {})) or 'no method'}"
          f" replaced; {', '.join(kept) or 'no other method'} kept)")
    return data
