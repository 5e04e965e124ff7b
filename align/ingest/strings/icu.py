"""ICU MessageFormat branches (``{count, plural, one{# item} other{# items}}``,
``{gender, select, male{He} other{They}}``, ``selectordinal``), as Flutter ARB, react-intl
and String Catalogs write them: one unit per branch, the text around the branch kept in
each, the branch named (``one``, ``male``; ``male/one`` for a plural inside a select).

Inside a ``plural`` or ``selectordinal`` branch ``#`` stands for the number: such a form
says so (``hash_arg``), and its ``#`` is a placeholder. A ``select`` branch is text a
translator translates, never a placeholder."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEAD = re.compile(r"\{\s*(\w+)\s*,\s*(plural|selectordinal|select)\s*,(?:\s*offset\s*:\s*\d+)?")
_PLURAL_FORM = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")
_SELECT_FORM = re.compile(r"\s*([\w-]+)\s*\{")
MAX_DEPTH = 3
MAX_FORMS = 64


@dataclass(frozen=True)
class IcuForm:
    """One branch of an ICU message: its name, the whole message in that branch, and whether
    a ``#`` in it is the plural number (a placeholder)."""

    name: str
    text: str
    hash_arg: bool = False


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


def _branches(message: str) -> list[IcuForm]:
    """The branches of the first ICU plural, selectordinal or select of ``message``; ``[]``
    when it has none or it is malformed."""
    head = _HEAD.search(message)
    if not head:
        return []
    end = _closing(message, head.start())
    if end < 0:
        return []
    numeric = head.group(2) != "select"
    form = _PLURAL_FORM if numeric else _SELECT_FORM
    forms, k = [], head.end()
    while m := form.match(message, k):
        close = _closing(message, m.end() - 1)
        if close < 0:
            return []
        branch = message[m.end():close]
        forms.append(IcuForm(m.group(1), message[:head.start()] + branch + message[end + 1:], numeric and "#" in branch))
        k = close + 1
    return forms if forms and not message[k:end].strip() else []


def icu_forms(message: str, depth: int = 0) -> list[IcuForm]:
    """Every branch of the ICU plurals and selects of ``message`` (nested ones too, their
    names joined with ``/``); ``[]`` when it has none, is malformed or has too many.

    >>> [(f.name, f.text, f.hash_arg) for f in icu_forms("You have {n, plural, =0{no mail} one{# mail} other{{n} mails}}.")]
    [('=0', 'You have no mail.', False), ('one', 'You have # mail.', True), ('other', 'You have {n} mails.', False)]
    >>> [(f.name, f.text) for f in icu_forms("{g, select, male{He} other{They}} left")]
    [('male', 'He left'), ('other', 'They left')]
    >>> [(f.name, f.hash_arg) for f in icu_forms("{g, select, male{{n, plural, one{# cat} other{# cats}}} other{-}}")]
    [('male/one', True), ('male/other', True), ('other', False)]
    """
    forms = _branches(message) if depth < MAX_DEPTH else []
    out = []
    for form in forms:
        inner = icu_forms(form.text, depth + 1)
        out += [IcuForm(f"{form.name}/{f.name}", f.text, f.hash_arg or form.hash_arg) for f in inner] or [form]
    return out if len(out) <= MAX_FORMS else []

