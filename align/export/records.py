"""Turning pipeline records into the JSON objects of ``corpus.jsonl``, ``unaligned.jsonl`` and ``edits.jsonl``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable

from ..records import Edit, Pair, Sentence, Unaligned
from .atomic import atomic_writer


def provenance(sentence: Sentence, paths: dict[str, str]) -> dict:
    return {
        "id": sentence.id,
        "doc": sentence.doc_id,
        "file": paths.get(sentence.doc_id, ""),
        "paragraph": sentence.paragraph,
        "start": sentence.start,
        "end": sentence.end,
    }


def pair_id(pair: Pair) -> str:
    key = "|".join(s.id for s in pair.zh) + "||" + "|".join(s.id for s in pair.en)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def pair_record(pair: Pair, paths: dict[str, str], signatures: dict[str, str]) -> dict:
    return {
        "id": pair_id(pair),
        "zh": pair.zh_text,
        "en": pair.en_text,
        "zh_ids": [s.id for s in pair.zh],
        "en_ids": [s.id for s in pair.en],
        "shape": pair.shape,
        "method": pair.method,
        "quality": pair.quality,
        "signals": pair.signals,
        "rejected_by": list(pair.rejected_by),
        "flags": sorted({f for s in pair.zh + pair.en for f in s.flags}),
        "zh_translation": pair.zh_translation,
        "en_translation": pair.en_translation,
        "provenance": {"zh": [provenance(s, paths) for s in pair.zh], "en": [provenance(s, paths) for s in pair.en]},
        "signatures": signatures,
    }


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


def dumps(record: dict) -> str:
    """One JSONL line: UTF-8 text, keys in a fixed order, lone surrogates escaped."""
    return json.dumps(record, ensure_ascii=_needs_ascii(record))


def _needs_ascii(record: dict) -> bool:
    """Lone surrogates cannot be written as UTF-8; such records are written with ASCII escapes."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def write_jsonl(path: str | os.PathLike, records: Iterable[dict]) -> int:
    count = 0
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(dumps(record) + "\n")
            count += 1
    return count
