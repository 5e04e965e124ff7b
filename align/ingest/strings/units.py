"""What a string-file reader gives: the units of one file, each a key and its text."""

from __future__ import annotations

from dataclasses import dataclass

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class StringUnit:
    """One string of a localisation file: its key, its text (escapes decoded, markup kept as
    written), the notes beside it, its position in the file (1-based) and, for a plural
    entry, the form (``one``, ``other``, ``=0``; an ICU select's branch, ``male``). ``state``
    is ``obsolete`` or ``unfinished`` where the file says so (Qt, String Catalogs), else
    ``""``. ``hash_arg``: the text is an ICU plural branch, where ``#`` is the number."""

    key: str
    text: str
    notes: str = ""
    position: int = 0
    plural: str = ""
    state: str = ""
    hash_arg: bool = False

    @property
    def pair_key(self) -> tuple[str, str]:
        """What a unit pairs by: its key and its plural form."""
        return self.key, self.plural


@dataclass(frozen=True)
class StringFile:
    """The units a string file holds. ``locale`` is the language the file's content says it
    is in (a YAML root key, an ARB ``@@locale``), ``""`` when only its path can say. A file
    that holds several languages (Qt ``.ts``, ``.xcstrings``) gives each in ``languages``
    (locale, units) and no ``units`` of its own."""

    path: str
    format: str
    units: tuple[StringUnit, ...] = ()
    locale: str = ""
    languages: tuple[tuple[str, tuple[StringUnit, ...]], ...] = ()


def numbered(units) -> tuple[StringUnit, ...]:
    """Units with their positions 1, 2, ... in the order given."""
    from dataclasses import replace

    return tuple(replace(u, position=n) for n, u in enumerate(units, 1))
