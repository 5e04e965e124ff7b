"""Signatures: short strings built from a component's own settings, carried with every number."""

from __future__ import annotations

from dataclasses import asdict


def settings_signature(prefix: str, settings, skip: tuple[str, ...] = ()) -> str:
    """``prefix|name:value|...`` over a settings dataclass's fields (``skip`` left out).

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class S:
    ...     k: int = 4
    ...     chunk: int = 9
    >>> settings_signature("mine", S(), skip=("chunk",))
    'mine|k:4'
    """
    fields = "|".join(f"{k}:{v}" for k, v in asdict(settings).items() if k not in skip)
    return f"{prefix}|{fields}" if prefix else fields
