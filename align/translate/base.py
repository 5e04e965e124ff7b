"""The translator interface: length-sorted batching and splitting of overlong sentences."""

from __future__ import annotations

from types import MappingProxyType

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigurationError
from ..signature import settings_signature
from ..records import Translation

DIRECTIONS = ("zh-en", "en-zh")


@dataclass(frozen=True)
class DecodeSettings:
    beams: int = 1
    batch_size: int = 16
    max_input_tokens: int = 256
    max_new_tokens: int | None = None  # default: 2 x input tokens + 10
    min_new_tokens: int = 0
    threads: int | None = None
    device: str = "cpu"  # where CTranslate2 runs: cpu, cuda or auto

    def signature(self) -> str:
        return settings_signature("", self, skip=("batch_size", "threads", "device"))


def check_direction(direction: str) -> tuple[str, str]:
    if direction not in DIRECTIONS:
        raise ConfigurationError(f"unknown direction {direction!r}: use zh-en or en-zh")
    src, tgt = direction.split("-")
    return src, tgt


_CLAUSE_BREAK = MappingProxyType({
    "zh": re.compile(r"(?<=[，；：、,;:])"),
    "en": re.compile(r"(?<=[,;:])\s+|\s+(?=(?:and|but|or|which|while|because)\s)"),
})


class Translator:
    """Base class. Subclasses implement ``_translate_batch`` and ``count_tokens``."""

    engine = "base"

    def __init__(self, direction: str, settings: DecodeSettings = DecodeSettings()) -> None:
        self.source_lang, self.target_lang = check_direction(direction)
        self.direction = direction
        self.settings = settings

    def fingerprint(self) -> str:
        return ""

    @property
    def signature(self) -> str:
        return f"{self.engine}|{self.direction}|model:{self.fingerprint()}|{self.settings.signature()}"

    def count_tokens(self, text: str) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _translate_batch(self, texts: list[str]) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def translate(self, texts: Sequence[str], progress=None) -> list[Translation]:
        """Translate ``texts``; one result per input, in order. Overlong inputs are split at
        clause boundaries, translated in pieces and rejoined (flagged ``split``)."""
        pieces: list[str] = []
        owners: list[int] = []
        flags: list[tuple[str, ...]] = []
        for i, text in enumerate(texts):
            parts = self.split_overlong(text) if text.strip() else [text]
            flags.append(("split",) if len(parts) > 1 else ())
            pieces.extend(parts)
            owners.extend([i] * len(parts))
        outputs = [""] * len(pieces)
        order = sorted((i for i, p in enumerate(pieces) if p.strip()), key=lambda i: self.count_tokens(pieces[i]))
        size = max(1, self.settings.batch_size)
        batches = [order[k : k + size] for k in range(0, len(order), size)]
        for batch in progress(batches, desc=f"translate {self.direction}", unit="batch") if progress else batches:
            for i, out in zip(batch, self._translate_batch([pieces[i] for i in batch])):
                outputs[i] = out
        joiner = "" if self.target_lang == "zh" else " "
        joined: list[list[str]] = [[] for _ in texts]
        for owner, out in zip(owners, outputs):
            joined[owner].append(out)
        return [Translation(joiner.join(p for p in parts if p), f) for parts, f in zip(joined, flags)]

    def split_overlong(self, text: str) -> list[str]:
        limit = self.settings.max_input_tokens
        if self.count_tokens(text) <= limit:
            return [text]
        clauses = [c for c in _CLAUSE_BREAK[self.source_lang].split(text) if c and c.strip()]
        chunks: list[str] = []
        current = ""
        joiner = "" if self.source_lang == "zh" else " "
        for clause in clauses:
            candidate = (current + joiner + clause) if current else clause
            if current and self.count_tokens(candidate) > limit:
                chunks.append(current)
                current = clause
            else:
                current = candidate
        if current:
            chunks.append(current)
        # A clause that is still too long is cut by characters.
        out: list[str] = []
        for chunk in chunks:
            while self.count_tokens(chunk) > limit and len(chunk) > 1:
                cut = max(1, len(chunk) * limit // max(1, self.count_tokens(chunk)))
                out.append(chunk[:cut])
                chunk = chunk[cut:]
            out.append(chunk)
        return out

    def max_new_tokens(self, input_tokens: int) -> int:
        return self.settings.max_new_tokens or (2 * input_tokens + 10)
