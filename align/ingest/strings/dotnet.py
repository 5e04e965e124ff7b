""".NET ``.resx`` (``<data name><value>`` with ``<comment>``; typed or binary entries,
serialized objects and ``>>`` designer entries left out) and Qt Linguist ``.ts`` (source and
translation in one file: ``unfinished`` and ``obsolete``/``vanished`` messages marked,
``numerus`` forms one unit each)."""

from __future__ import annotations

from ...errors import InputError
from .units import StringFile, StringUnit, numbered
from .xmlsafe import local_name, parse_xml


def read_resx(data: bytes, path: str) -> StringFile:
    root = parse_xml(data, ".resx")
    if local_name(root) != "root":
        raise InputError("not a .resx file (no <root>)")
    units = []
    for entry in root.iter("data"):
        name = entry.get("name") or ""
        if not name or name.startswith(">>") or entry.get("type") or entry.get("mimetype"):
            continue
        value, comment = entry.find("value"), entry.find("comment")
        if value is None:
            continue
        units.append(StringUnit(name, value.text or "", (comment.text or "").strip() if comment is not None else ""))
    return StringFile(path, "resx", numbered(units))


def _qt_state(translation) -> str:
    kind = translation.get("type") if translation is not None else "unfinished"
    return "obsolete" if kind in ("obsolete", "vanished") else ("unfinished" if kind == "unfinished" else "")


def _qt_message(context: str, message) -> tuple[list[StringUnit], list[StringUnit]]:
    source = "".join(message.find("source").itertext()) if message.find("source") is not None else ""
    comment = message.find("comment")
    extra = (comment.text or "") if comment is not None else ""
    key = f"{context}::{source}" + (f"::{extra}" if extra else "")
    note = "\n".join(x for x in (extra, (message.findtext("extracomment") or "")) if x)
    translation = message.find("translation")
    state = _qt_state(translation)
    if message.get("numerus") == "yes" and translation is not None:
        forms = [("".join(f.itertext())) for f in translation.findall("numerusform")]
        names = ["one", "other"] if len(forms) == 2 else ["other"] if len(forms) == 1 else [str(n) for n in range(len(forms))]
        return ([StringUnit(key, source, note, plural=n) for n in names],
                [StringUnit(key, text, note, plural=n, state=state) for n, text in zip(names, forms)])
    target = "".join(translation.itertext()) if translation is not None else ""
    return [StringUnit(key, source, note)], [StringUnit(key, target, note, state=state)]


def read_qt(data: bytes, path: str) -> StringFile:
    root = parse_xml(data, "Qt .ts")
    if local_name(root) != "TS":
        raise InputError("not a Qt .ts file (no <TS> root)")
    sources, targets = [], []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            s, t = _qt_message(name, message)
            sources += s
            targets += t
    source_lang = root.get("sourcelanguage") or "en"
    target_lang = root.get("language") or ""
    return StringFile(path, "qt", locale=source_lang,
                      languages=((source_lang, numbered(sources)), (target_lang, numbered(targets))))
