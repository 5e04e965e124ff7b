"""Turning records into what the output files hold: the JSON objects of ``corpus.jsonl``,
``unaligned.jsonl`` and ``edits.jsonl``, and the TMX unit of a pair (one mapping for
``align run`` and for rescoring)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from collections.abc import Sequence

from ..io.tmx import TranslationUnit
from ..records import Edit, Pair, Sentence, Unaligned, bead_id, sentence_doc
from ..score.optional import OPTIONAL_NAMES
from ..score.signals import SIGNAL_NAMES


def provenance(sentence: Sentence, paths: dict[str, str]) -> dict:
    return {
        "id": sentence.id,
        "doc": sentence.doc_id,
        "file": paths.get(sentence.doc_id, ""),
        "paragraph": sentence.paragraph,
        "start": sentence.start,
        "end": sentence.end,
        "location": sentence.location,
    }


def pair_id(pair: Pair) -> str:
    return bead_id([s.id for s in pair.zh], [s.id for s in pair.en])


def signature_id(signatures: dict[str, str]) -> str:
    """A short id of a run's signatures (the full set is in ``run.json``).

    >>> signature_id({"encoder": "use-m3"})
    '2a4f980f9d53'
    """
    return hashlib.sha1(json.dumps(signatures, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def pair_record(pair: Pair, paths: dict[str, str], signature: str, tags: tuple[str, str] = ("zh", "en"),
                names: dict[str, str] | None = None) -> dict:
    """A ``corpus.jsonl`` record: the same keys whatever the options (``rule_details`` empty
    when no rule failed, every signal present and ``null`` when it was not computed; the
    optional signals of a fitted model only where it weighs them), as
    ``align/data/schema/corpus.schema.json`` says."""
    return {
        "id": pair_id(pair),
        "zh": pair.zh_text,
        "en": pair.en_text,
        "zh_ids": [s.id for s in pair.zh],
        "en_ids": [s.id for s in pair.en],
        "shape": pair.shape,
        "method": pair.method,
        "quality": pair.quality,
        "signals": {name: pair.signals.get(name) for name in SIGNAL_NAMES}
                   | {name: pair.signals[name] for name in OPTIONAL_NAMES if name in pair.signals},
        "rejected_by": list(pair.rejected_by),
        "rule_details": dict(zip(pair.rejected_by, pair.rule_details)),
        "flags": sorted({f for s in pair.zh + pair.en for f in s.flags}),
        "zh_translation": pair.zh_translation,
        "en_translation": pair.en_translation,
        "provenance": {"zh": [provenance(s, paths) | {"text": s.text} for s in pair.zh],
                       "en": [provenance(s, paths) | {"text": s.text} for s in pair.en]},
        "signature": signature,
        "langs": {"zh": tags[0], "en": tags[1]},
        "markup": inline_markup(pair),
        "reviewed": False,
    } | key_fields(pair, names or {})


def key_fields(pair: Pair, names: dict[str, str]) -> dict:
    """What a pair of string-file units (method ``keyed``) says of its key: ``key``, for a
    plural entry ``plural`` (the form), and ``files``: each side's file by its path in the
    input folder it was found in (``names``), never the absolute path; nothing for other pairs.

    >>> from align.records import Sentence
    >>> s = Sentence("a#en0", "a", 0, 0, "en", "%d songs", 0, 8, location="songs", kind="plural:other")
    >>> key_fields(Pair((s,), (s,), "keyed"), {"a": "res/values/strings.xml"})
    {'key': 'songs', 'plural': 'other', 'files': {'zh': 'res/values/strings.xml', 'en': 'res/values/strings.xml'}}
    """
    if pair.method != "keyed" or len(pair.en) != 1 or len(pair.zh) != 1:
        return {}
    kind = pair.en[0].kind
    files = {lang: names[s[0].doc_id] for lang, s in (("zh", pair.zh), ("en", pair.en)) if names.get(s[0].doc_id)}
    return ({"key": pair.en[0].location} | ({"plural": kind.removeprefix("plural:")} if kind.startswith("plural:") else {})
            | ({"files": files} if files else {}))


def inline_markup(pair: Pair) -> dict | None:
    """The inline elements of a pair read from TMX or XLIFF (``{"zh": …, "en": …}`` in TMX
    markup, "" for a side without), so that its TMX unit keeps them; None for other pairs."""
    if len(pair.zh) != 1 or len(pair.en) != 1 or not (pair.zh[0].markup or pair.en[0].markup):
        return None
    return {"zh": pair.zh[0].markup, "en": pair.en[0].markup}


def candidate_record(pair: Pair) -> dict:
    """What ``unaligned.jsonl`` says of the pair a sentence was left out with."""
    return {"id": pair_id(pair), "zh_ids": [s.id for s in pair.zh], "en_ids": [s.id for s in pair.en],
            "shape": pair.shape, "method": pair.method, "quality": pair.quality}


def translation_record(record: dict) -> dict:
    """The Hugging Face translation layout of a corpus record (``--jsonl-layout translation``):
    what the transformers translation examples read, with the pair's id, method and quality."""
    langs = record["langs"]
    return {"id": record["id"], "translation": {langs["zh"]: record["zh"], langs["en"]: record["en"]},
            "method": record["method"], "quality": record["quality"]}


def unaligned_record(item: Unaligned, paths: dict[str, str], translations: dict | None = None) -> dict:
    s = item.sentence
    translation = (translations or {}).get(s.id)
    return {
        "id": s.id,
        "lang": s.lang,
        "text": s.text,
        "reason": item.reason,
        "detail": item.detail,
        "garble": round(s.garble, 4),
        "flags": list(s.flags),
        "translation": translation.text if translation else "",
        "provenance": provenance(s, paths),
        "candidate": candidate_record(item.candidate) if item.candidate else None,
    }


def edit_record(edit: Edit, paths: dict[str, str]) -> dict:
    return {
        "doc": edit.doc_id,
        "file": paths.get(edit.doc_id, ""),
        "paragraph": edit.paragraph,
        "fixer": edit.fixer,
        "kind": edit.kind,
        "start": edit.start,
        "end": edit.end,
        "before": edit.before,
        "after": edit.after,
        "note": edit.note,
    }


def score_props(quality: float, signals: dict, rejected_by: Sequence[str]) -> list[tuple[str, str]]:
    """The TMX props that carry a pair's scores."""
    props = [("x-quality", f"{quality:.4f}")]
    props += [(f"x-signal-{name}", f"{value}") for name, value in sorted(signals.items())]
    if rejected_by:
        props.append(("x-rejected-by", ",".join(rejected_by)))
    return props


def pair_tmx_unit(record: dict, tags: tuple[str, str] = ("zh", "en")) -> TranslationUnit:
    """The TMX unit of a ``corpus.jsonl`` record: scores, method, bead shape, documents, ids,
    and ``x-reviewed`` once a person checked it (the record holds everything the unit says,
    so a corrected corpus is written from its records alone)."""
    signals = {k: v for k, v in record["signals"].items() if v is not None}
    scores = score_props(record["quality"], signals, record["rejected_by"])
    props = scores[:1] + [
        ("x-method", record["method"]),
        ("x-bead", record["shape"]),
        ("x-zh-documents", " ".join(sorted({sentence_doc(s) for s in record["zh_ids"]}))),
        ("x-en-documents", " ".join(sorted({sentence_doc(s) for s in record["en_ids"]}))),
        ("x-zh-ids", " ".join(record["zh_ids"])),
        ("x-en-ids", " ".join(record["en_ids"])),
    ] + key_props(record) + scores[1:] + ([("x-reviewed", "true")] if record.get("reviewed") else [])
    segtype = "" if is_sentence_unit(record) else "block"  # the header says sentence
    markup = record.get("markup") or {}
    return TranslationUnit(record["id"], record["zh"], record["en"], tuple(props), tags[0], tags[1],
                           markup.get("zh", ""), markup.get("en", ""), segtype)


def key_props(record: dict) -> list[tuple[str, str]]:
    """The TMX props of a string-file unit: its key (``x-key``, and ``x-context``, the
    resource id CAT tools match on), the plural form, and the files of each side (by their
    path in their input folder: a TM carries no user's absolute path)."""
    if not record.get("key"):
        return []
    files = [(f"x-{lang}-file", record["files"][lang]) for lang in ("en", "zh") if record.get("files", {}).get(lang)]
    plural = [("x-plural", record["plural"])] if record.get("plural") else []
    return [("x-key", record["key"]), ("x-context", record["key"])] + plural + files


def is_sentence_unit(record: dict) -> bool:
    """Whether each side of a corpus record is one sentence: a unit a sentence-segmenting CAT
    tool (OmegaT, Trados) can retrieve for a segment."""
    return len(record["zh_ids"]) == 1 and len(record["en_ids"]) == 1


def _is_score_prop(ptype: str) -> bool:
    return ptype in ("x-quality", "x-rejected-by") or ptype.startswith("x-signal-")


def rescored_unit(unit: TranslationUnit, quality: float, signals: dict, rejected_by: Sequence[str]) -> TranslationUnit:
    """A unit read from a TMX with its score props replaced where they stood (or at the end);
    every other prop, the id, the language tags and the inline markup are kept as read."""
    scores = score_props(quality, signals, rejected_by)
    props: list[tuple[str, str]] = []
    placed = {"quality": False, "signals": False}
    for ptype, value in unit.props:
        if ptype == "x-quality" and not placed["quality"]:
            props.append(scores[0])
            placed["quality"] = True
        elif _is_score_prop(ptype) and ptype != "x-quality" and not placed["signals"]:
            props.extend(scores[1:])
            placed["signals"] = True
        elif not _is_score_prop(ptype):
            props.append((ptype, value))
    if not placed["quality"]:
        props.append(scores[0])
    if not placed["signals"]:
        props.extend(scores[1:])
    return replace(unit, props=tuple(props))


def rescored_record(record: dict, quality: float, signals: dict, rejected_by: Sequence[str],
                    rule_details: Sequence[str] = ()) -> dict:
    """A JSONL record with its scores replaced; every other field kept as read."""
    out = {k: v for k, v in record.items() if k != "rule_details"}
    out.update({"quality": quality, "signals": signals, "rejected_by": list(rejected_by)})
    if rule_details:
        out["rule_details"] = dict(zip(rejected_by, rule_details))
    return out
