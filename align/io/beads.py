"""The bead text format used by Vecalign/Bertalign gold files: ``[0,1]:[0]``, ``[5]:[]``."""

from __future__ import annotations

import re

from ..errors import InputError
from ..records import Bead

_BEAD = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def format_bead(bead: Bead) -> str:
    """Format a bead.

    >>> format_bead(Bead((0, 1), (0,)))
    '[0,1]:[0]'
    """
    return f"[{','.join(map(str, bead.src))}]:[{','.join(map(str, bead.tgt))}]"


def parse_bead(line: str) -> Bead:
    """Parse a bead.

    >>> parse_bead("[5]:[]")
    Bead(src=(5,), tgt=(), score=0.0)
    """
    m = _BEAD.match(line)
    if not m:
        shown = line.strip()
        raise InputError(f"not a bead: {shown[:40]!r}{'...' if len(shown) > 40 else ''}")

    def ids(group: str) -> tuple[int, ...]:
        return tuple(int(x) for x in group.split(",") if x.strip())

    return Bead(ids(m.group(1)), ids(m.group(2)))


def read_beads(text: str, origin: str = "") -> list[Bead]:
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            beads.append(parse_bead(line))
        except InputError as exc:
            raise InputError(f"{origin}:{number}: {exc}") from exc
    return beads
