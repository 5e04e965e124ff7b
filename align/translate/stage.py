"""The translation step of ``align run``: choose a model per direction, translate every sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError, ModelError
from ..records import Sentence
from .base import DIRECTIONS, DecodeSettings, Translation
from .cache import CachedTranslator, TranslationCache
from .engines import get_translator
from .store import _direction_of, no_model_reason, resolve_model

MODES = ("auto", "required", "none")


@dataclass(frozen=True)
class TranslateSettings:
    mode: str = "auto"
    models: tuple[tuple[str, str], ...] = ()  # (direction, path) given by the user
    store: str | None = None
    decode: DecodeSettings = field(default_factory=DecodeSettings)
    cache_dir: str | None = None


def parse_model_option(value: str) -> tuple[str, str]:
    """``zh-en=PATH`` or ``PATH`` (direction read from the folder's metadata or name)."""
    if "=" in value and value.split("=", 1)[0] in DIRECTIONS:
        direction, path = value.split("=", 1)
        return direction, path
    direction = _direction_of(Path(value))
    if direction not in DIRECTIONS:
        raise ConfigurationError(f"{value}: cannot tell the model's direction; write --mt-model zh-en={value}")
    return direction, value


def translate_sentences(sentences: list[Sentence], settings: TranslateSettings, progress=None):
    """Return ``{sentence id: Translation}`` and a report per direction for ``run.json``."""
    if settings.mode not in MODES:
        raise ConfigurationError(f"unknown --translate mode {settings.mode!r}: use auto, required or none")
    given = dict(settings.models)
    translations: dict[str, Translation] = {}
    report: dict[str, dict] = {}
    for direction in DIRECTIONS:
        src_lang = direction.split("-")[0]
        todo = [s for s in sentences if s.lang == src_lang]
        if settings.mode == "none":
            report[direction] = {"status": "skipped", "reason": "--translate none"}
            continue
        store = Path(settings.store) if settings.store else None
        model = resolve_model(direction, given.get(direction), store)
        if model is None:
            reason = f"{no_model_reason(direction, store)} and none given with --mt-model"
            if settings.mode == "required":
                raise ModelError(f"translation required but {reason}")
            report[direction] = {"status": "skipped", "reason": reason}
            continue
        path = model.path
        translator = get_translator(model.engine, direction, path, settings.decode)
        cache_dir = Path(settings.cache_dir) if settings.cache_dir else None
        engine = CachedTranslator(translator, TranslationCache(cache_dir / "translations.sqlite")) if cache_dir else translator
        results = engine.translate([s.text for s in todo], progress)
        translations.update({s.id: r for s, r in zip(todo, results)})
        report[direction] = {
            "status": "done",
            "engine": translator.engine,
            "model": str(path),
            "signature": translator.signature,
            "sentences": len(todo),
            "translated": getattr(engine, "misses", len(todo)),
            "from_cache": getattr(engine, "hits", 0),
            "split_overlong": sum(1 for r in results if "split" in r.flags),
        }
    return translations, report
