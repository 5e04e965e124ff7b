"""Cutting a sequence into consecutive pieces: encoder batches, executor tasks, output shards."""

from __future__ import annotations

from collections.abc import Sequence


def chunked(items: Sequence, size: int) -> list[tuple]:
    """``items`` in consecutive tuples of at most ``size``.

    >>> chunked("abcde", 2)
    [('a', 'b'), ('c', 'd'), ('e',)]
    """
    return [tuple(items[i : i + size]) for i in range(0, len(items), max(1, size))]
