"""Stage 4b: machine translation (zh→en and en→zh) behind one small interface.

Engines: ``marian`` (Hugging Face transformers, from a local folder), ``ct2``
(CTranslate2 int8, from a folder made by ``align models convert``), ``file`` (translations
supplied by the user, one per line) and ``none``. A persistent SQLite cache sits in front of
any engine. Heavy imports (torch, transformers, ctranslate2) happen on first use.
"""

from __future__ import annotations

from .base import DecodeSettings, Translation, Translator
from .cache import CachedTranslator, TranslationCache
from .engines import get_translator

__all__ = ["DecodeSettings", "Translation", "Translator", "CachedTranslator", "TranslationCache", "get_translator"]
