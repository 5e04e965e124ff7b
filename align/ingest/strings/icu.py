"""ICU MessageFormat plurals (``{count, plural, one{# item} other{# items}}``), as Flutter ARB,
react-intl and String Catalogs write them: one unit per form, the text around the plural
kept in each form."""

from __future__ import annotations

import re

_HEAD = re.compile(r"\{\s*(\w+)\s*,\s*(plural|selectordinal)\s*,")
_FORM = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``start`` (-1 when it is not closed)."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return -1


def plural_forms(message: str) -> list[tuple[str, str]]:
    """The forms of the first ICU plural of ``message`` as (form, whole text in that form);
    ``[]`` when it has none or it is malformed.

    >>> plural_forms("You have {n, plural, =0{no mail} one{# mail} other{{n} mails}}.")
    [('=0', 'You have no mail.'), ('one', 'You have # mail.'), ('other', 'You have {n} mails.')]
    """
    head = _HEAD.search(message)
    if not head:
        return []
    end = _closing(message, head.start())
    if end < 0:
        return []
    forms, k = [], head.end()
    while True:
        m = _FORM.match(message, k)
        if not m:
            break
        close = _closing(message, m.end() - 1)
        if close < 0:
            return []
        forms.append((m.group(1), message[:head.start()] + message[m.end():close] + message[end + 1:]))
        k = close + 1
    rest = message[k:end].strip()
    return forms if forms and not rest else []
