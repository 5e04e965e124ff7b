"""The translation step of ``align run``: plan (a model per direction, the tasks of its
distinct texts), map (``translate_texts`` on the mapper the pipeline chose), collect (the
translation of every sentence and the report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError, ModelError
from ..io.cachedir import translations_path
from ..mapper import TaskContext
from ..records import DirectionReport, Sentence, TranslationReport
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
    texts: tuple[str, ...]


@dataclass(frozen=True)
class TranslateResult:
    translations: tuple[Translation, ...]
    from_cache: int
    translated: int
    signature: str


def translate_texts(context: TaskContext, item: TranslateItem) -> TranslateResult:
    """Translations of ``item.texts``, through the translation cache of the worker's cache
    folder when it has one; the worker loads each model once."""
    key = ("translator", item.engine, item.direction, item.model, item.decode)
    translator = context.kept(key, lambda: get_translator(item.engine, item.direction, item.model, item.decode))
    if not context.cache_dir:
        return TranslateResult(tuple(translator.translate(list(item.texts))), 0, len(item.texts), translator.signature)
    path = translations_path(context.cache_dir)
    cached = CachedTranslator(translator, context.kept(("translation-cache", str(path)), lambda: TranslationCache(path)))
    results = cached.translate(list(item.texts))
    return TranslateResult(tuple(results), cached.hits, cached.misses, translator.signature)


@dataclass(frozen=True)
class DirectionPlan:
    """What translating one direction takes: its sentences, the model, and the tasks of its
    distinct texts (none, and why, when the direction is skipped)."""

    direction: str
    sentences: tuple[Sentence, ...]
    items: tuple[TranslateItem, ...] = ()
    engine: str = ""
    model: str = ""
    decode: DecodeSettings = field(default_factory=DecodeSettings)
    skipped: str = ""  # why nothing is translated


def _plan_direction(direction: str, sentences: list[Sentence], settings: TranslateSettings) -> DirectionPlan:
    todo = tuple(s for s in sentences if s.lang == direction.split("-")[0])
    if settings.mode == "none":
        return DirectionPlan(direction, todo, skipped="--translate none")
    store = Path(settings.store) if settings.store else None
    model = resolve_model(direction, dict(settings.models).get(direction), store)
    if model is None:
        reason = f"{no_model_reason(direction, store)} and none given with --mt-model"
        if settings.mode == "required":
            raise ModelError(f"translation required but {reason}")
        return DirectionPlan(direction, todo, skipped=reason)
    texts = list(dict.fromkeys(s.text for s in todo))
    items = tuple(TranslateItem(model.engine, direction, str(model.path), settings.decode,
                                tuple(texts[i : i + TEXTS_PER_TASK])) for i in range(0, len(texts), TEXTS_PER_TASK))
    return DirectionPlan(direction, todo, items, model.engine, str(model.path), settings.decode)


def plan_translation(sentences: list[Sentence], settings: TranslateSettings) -> tuple[DirectionPlan, ...]:
    """The plan of each direction: which model, and the tasks (``TEXTS_PER_TASK`` distinct
    texts each) a mapper runs with ``translate_texts``; a required model that is missing is
    an error here, before any work."""
    if settings.mode not in MODES:
        raise ConfigurationError(f"unknown --translate mode {settings.mode!r}: use auto, required or none")
    return tuple(_plan_direction(direction, sentences, settings) for direction in DIRECTIONS)


def _report(plan: DirectionPlan, done: list[TranslateResult], by_text: dict[str, Translation]) -> DirectionReport:
    signature = done[0].signature if done else get_translator(plan.engine, plan.direction, plan.model,
                                                              plan.decode).signature
    return DirectionReport("done", engine=plan.engine, model=plan.model, signature=signature,
                           sentences=len(plan.sentences), distinct_texts=sum(len(i.texts) for i in plan.items),
                           translated=sum(r.translated for r in done), from_cache=sum(r.from_cache for r in done),
                           split_overlong=sum(1 for s in plan.sentences if "split" in by_text[s.text].flags))


def collect_translations(plans: tuple[DirectionPlan, ...], done: dict[str, list[TranslateResult]]
                         ) -> tuple[dict[str, Translation], TranslationReport]:
    """``{sentence id: Translation}`` and the report, from the results of each plan's tasks
    (``done``, by direction, in the order of its items)."""
    translations: dict[str, Translation] = {}
    reports = []
    for plan in plans:
        if plan.skipped:
            reports.append((plan.direction, DirectionReport("skipped", plan.skipped)))
            continue
        results = done.get(plan.direction, [])
        by_text = {t: r for item, result in zip(plan.items, results) for t, r in zip(item.texts, result.translations)}
        translations.update({s.id: by_text[s.text] for s in plan.sentences})
        reports.append((plan.direction, _report(plan, results, by_text)))
    return translations, TranslationReport(tuple(reports))
