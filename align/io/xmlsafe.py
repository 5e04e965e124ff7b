"""Text that XML 1.0 cannot hold is dropped before export, and the drop is counted."""

from __future__ import annotations

import re

_XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> tuple[str, int]:
    """Return ``text`` without characters XML 1.0 forbids, and how many were removed.

    >>> xml_safe("a\\x0bb\\ufffe")
    ('ab', 2)
    """
    cleaned, removed = _XML_INVALID.subn("", text)
    return cleaned, removed
