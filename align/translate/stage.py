"""The translation step of ``align run``: choose a model per direction, translate every sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError, ModelError
from ..io.cachedir import translations_path
from ..mapper import Mapper, TaskContext, in_process
from ..records import Sentence
from .base import DIRECTIONS, DecodeSettings, Translation
from .cache import CachedTranslator, TranslationCache
from .engines import get_translator
from .store import _direction_of, no_model_reason, resolve_model

MODES = ("auto", "required", "none")
TEXTS_PER_TASK = 256  # texts a translation task gets: a few batches


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


@dataclass(frozen=True)
class TranslateItem:
    """A task: distinct texts to translate with one model."""

    engine: str
    direction: str
    model: str
    decode: DecodeSettings
    cache_dir: str | None
    texts: tuple[str, ...]


@dataclass(frozen=True)
class TranslateResult:
    translations: tuple[Translation, ...]
    from_cache: int
    translated: int
    signature: str


def translate_texts(context: TaskContext, item: TranslateItem) -> TranslateResult:
    """Translations of ``item.texts``, through the translation cache when there is one; the
    worker loads each model once."""
    key = ("translator", item.engine, item.direction, item.model, item.decode)
    translator = context.kept(key, lambda: get_translator(item.engine, item.direction, item.model, item.decode))
    if not item.cache_dir:
        return TranslateResult(tuple(translator.translate(list(item.texts))), 0, len(item.texts), translator.signature)
    path = translations_path(item.cache_dir)
    cached = CachedTranslator(translator, context.kept(("translation-cache", str(path)), lambda: TranslationCache(path)))
    results = cached.translate(list(item.texts))
    return TranslateResult(tuple(results), cached.hits, cached.misses, translator.signature)


def translate_sentences(sentences: list[Sentence], settings: TranslateSettings, progress=None,
                        mapper: Mapper | None = None):
    """Return ``{sentence id: Translation}`` and a report per direction for ``run.json``.
    The distinct texts are translated ``TEXTS_PER_TASK`` a task on ``mapper``."""
    if settings.mode not in MODES:
        raise ConfigurationError(f"unknown --translate mode {settings.mode!r}: use auto, required or none")
    mapper = mapper or in_process()
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
        texts = list(dict.fromkeys(s.text for s in todo))
        items = [TranslateItem(model.engine, direction, str(model.path), settings.decode, settings.cache_dir,
                               tuple(texts[i : i + TEXTS_PER_TASK])) for i in range(0, len(texts), TEXTS_PER_TASK)]
        done = mapper.map(translate_texts, items, f"translate {direction}", progress)
        by_text = {t: r for item, result in zip(items, done) for t, r in zip(item.texts, result.translations)}
        translations.update({s.id: by_text[s.text] for s in todo})
        report[direction] = {
            "status": "done",
            "engine": model.engine,
            "model": str(model.path),
            "signature": done[0].signature if done else get_translator(model.engine, direction, model.path,
                                                                       settings.decode).signature,
            "sentences": len(todo),
            "distinct_texts": len(texts),
            "translated": sum(r.translated for r in done),
            "from_cache": sum(r.from_cache for r in done),
            "split_overlong": sum(1 for s in todo if "split" in by_text[s.text].flags),
        }
    return translations, report
