"""The local model store (``models/``): list, pull (where a network exists) and convert."""

from __future__ import annotations

from types import MappingProxyType

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import DISTRIBUTION
from ..errors import ModelError
from .base import check_direction

REFERENCE_MODELS = MappingProxyType({"zh-en": "Helsinki-NLP/opus-mt-zh-en", "en-zh": "Helsinki-NLP/opus-mt-en-zh"})
METADATA = "align-model.json"


def default_store() -> Path:
    return Path(os.environ.get("ALIGN_MODELS", "models"))


@dataclass(frozen=True)
class StoredModel:
    name: str
    path: Path
    engine: str
    direction: str
    size_bytes: int


def _direction_of(folder: Path) -> str:
    meta = folder / METADATA
    if meta.is_file():
        return json.loads(meta.read_text(encoding="utf-8")).get("direction", "?")
    m = re.search(r"(?<![a-z])(zh|en)[-_](zh|en)(?![a-z])", folder.name.lower())
    return f"{m.group(1)}-{m.group(2)}" if m and m.group(1) != m.group(2) else "?"


def _engine_of(folder: Path) -> str | None:
    if (folder / "model.bin").is_file():
        return "ct2"
    config = folder / "config.json"
    if config.is_file():
        try:
            if json.loads(config.read_text(encoding="utf-8")).get("model_type") == "marian":
                return "marian"
        except json.JSONDecodeError:
            return None
    return None


def list_models(root: Path | None = None) -> list[StoredModel]:
    root = root or default_store()
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        engine = _engine_of(folder)
        if engine:
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            found.append(StoredModel(folder.name, folder, engine, _direction_of(folder), size))
    return found


def find_model(direction: str, root: Path | None = None) -> StoredModel | None:
    """The model to use for a direction: a ct2 model first (faster), else a Marian one."""
    candidates = [m for m in list_models(root) if m.direction == direction]
    candidates.sort(key=lambda m: (m.engine != "ct2", m.name))
    return candidates[0] if candidates else None


def engine_for(path: Path) -> str:
    """The engine that reads ``path``: a model folder's kind, or ``file`` for a file of translations."""
    if not path.exists():
        raise ModelError(f"{path}: no such model folder")
    engine = _engine_of(path) if path.is_dir() else "file"
    if engine is None:
        raise ModelError(f"{path}: not a Marian or CTranslate2 model folder")
    return engine


@dataclass(frozen=True)
class ResolvedModel:
    path: Path
    engine: str


def resolve_model(direction: str, given: str | os.PathLike | None = None, root: Path | None = None,
                  engine: str | None = None) -> ResolvedModel | None:
    """The model for ``direction``: the path the user gave, else the store's choice; ``None``
    when the store has none. ``engine`` overrides the engine read from the folder."""
    path = Path(given) if given is not None else None
    if path is None:
        stored = find_model(direction, root)
        if stored is None:
            return None
        path = stored.path
    return ResolvedModel(path, engine or engine_for(path))


def no_model_reason(direction: str, root: Path | None = None) -> str:
    return f"no {direction} model in {root or default_store()}/"


def pull(direction: str, root: Path | None = None) -> Path:
    """Download a reference model from the Hugging Face hub (needs a network)."""
    check_direction(direction)
    root = root or default_store()
    repo = REFERENCE_MODELS[direction]
    target = root / repo.split("/")[-1]
    try:
        from huggingface_hub import snapshot_download
    except ImportError as exc:
        raise ModelError("align models pull needs huggingface_hub: pip install huggingface_hub") from exc
    try:
        snapshot_download(repo, local_dir=str(target), allow_patterns=["*.json", "*.spm", "*.safetensors", "*.txt"],
                          etag_timeout=10)
    except Exception as exc:  # network errors come in many types
        shutil.rmtree(target, ignore_errors=True)
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise ModelError(
            f"cannot download {repo} from the Hugging Face hub (no network access? {reason}); "
            f"copy the model folder into {root}/ by hand"
        ) from exc
    return target


QUANTIZATIONS = ("int8", "int8_float32", "float32")  # what CTranslate2 stores a converted model as


def convert(marian_dir: Path, out_dir: Path, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a Marian folder to CTranslate2 (int8 by default) and copy its tokenizer along."""
    from .engines import model_fingerprint

    if not (marian_dir / "config.json").is_file():
        raise ModelError(f"{marian_dir}: not a Marian model folder (no config.json)")
    for name in ("source.spm", "target.spm"):
        if not (marian_dir / name).is_file():
            raise ModelError(f"{marian_dir}: no tokenizer ({name} is missing)")
    if out_dir.exists() and any(out_dir.iterdir()) and not force:
        raise ModelError(f"{out_dir}: exists and is not empty (use --force to replace it)")
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise ModelError(f"align models convert needs ctranslate2: pip install '{DISTRIBUTION}[mt]'") from exc
    tmp = out_dir.with_name(out_dir.name + ".tmp-convert")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        TransformersConverter(str(marian_dir)).convert(str(tmp), quantization=quantization, force=True)
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(f"{marian_dir}: conversion failed ({type(exc).__name__}: {exc})") from exc
    for name in ("source.spm", "target.spm"):
        shutil.copy2(marian_dir / name, tmp / name)
    direction = _direction_of(marian_dir)
    (tmp / METADATA).write_text(json.dumps({
        "engine": "ct2", "direction": direction, "quantization": quantization,
        "converted_from": str(marian_dir), "source_fingerprint": model_fingerprint(marian_dir),
    }, indent=1), encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)
    return out_dir
