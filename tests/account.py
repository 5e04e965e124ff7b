"""An account of every input sentence, rebuilt from the files a run wrote and from its inputs,
without the run's own ``nothing_lost`` flag or any of its counts.

``account(out, inputs)`` reads ``corpus.jsonl``/``mined.jsonl`` (each pair's provenance names
its sentences, with their texts), ``corpus.tmx``/``mined.tmx`` (the ``x-zh-ids``/``x-en-ids``
props) and ``unaligned.jsonl``, and checks that:

- every sentence id is written exactly once: in one pair or as one unaligned record, never in
  both, never twice;
- a TMX unit names the sentences of a JSONL pair, with the same texts;
- each document's sentences of a language are numbered from 0 without a gap (a sentence
  dropped from every file leaves a hole);
- for each plain-text input file in UTF-8 that the run did not skip (``skipped_files``),
  every letter and digit of the file lies inside a written sentence's character span, or inside a span ``edits.jsonl`` logs as removed
  (boilerplate): a sentence missing from every file leaves its letters uncovered; and a
  sentence whose span no normalization edit touches has the file's own text (white space
  aside).

It returns the multiset of ``(id, text)`` it rebuilt. The checks use the standard library and
lxml only: nothing from ``align``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from lxml import etree


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _written(out: Path) -> tuple[list[dict], list[dict]]:
    """Every sentence entry of the pairs (their provenance), and the pairs' records."""
    entries, pairs = [], []
    for name in ("corpus.jsonl", "mined.jsonl"):
        for record in _jsonl(out / name):
            pairs.append(record)
            for lang in ("zh", "en"):
                provenance = record["provenance"][lang]
                assert [p["id"] for p in provenance] == record[f"{lang}_ids"], record["id"]
                assert _squeeze("".join(p["text"] for p in provenance)) == _squeeze(record[lang]), record["id"]
                entries += [{**p, "lang": lang, "where": name} for p in provenance]
    for record in _jsonl(out / "unaligned.jsonl"):
        entries.append({**record["provenance"], "id": record["id"], "text": record["text"], "lang": record["lang"],
                        "where": "unaligned.jsonl"})
    return entries, pairs


def _check_tmx(out: Path, pairs: list[dict]) -> None:
    by_ids = {(" ".join(p["zh_ids"]), " ".join(p["en_ids"])): p for p in pairs}
    for name in ("corpus.tmx", "mined.tmx"):
        if not (out / name).is_file():
            continue
        for tu in etree.parse(str(out / name)).iter("tu"):
            props = {p.get("type"): p.text or "" for p in tu.iter("prop")}
            key = (props["x-zh-ids"], props["x-en-ids"])
            assert key in by_ids, f"{name}: a unit of {key} is in no JSONL pair"
            segs = ["".join(seg.itertext()) for seg in tu.iter("seg")]
            pair = by_ids[key]
            if not pair.get("markup"):
                assert segs == [_xml_chars(pair["zh"]), _xml_chars(pair["en"])], f"{name}: {key}"


def _xml_chars(text: str) -> str:
    """What XML 1.0 can hold (its Char production), written out from the standard."""
    def ok(c: str) -> bool:
        o = ord(c)
        return o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or 0x10000 <= o <= 0x10FFFF

    return "".join(c for c in text if ok(c))


def _check_numbering(entries: list[dict]) -> None:
    indices: dict[tuple[str, str], list[int]] = defaultdict(list)
    for e in entries:
        doc, tail = e["id"].rsplit("#", 1)
        lang = tail.rstrip("0123456789")
        indices[doc, lang].append(int(tail[len(lang):]))
    for (doc, lang), found in indices.items():
        assert sorted(found) == list(range(len(found))), f"{doc}: {lang} sentences missing: " \
            f"{sorted(set(range(max(found) + 1)) - set(found))}"


def _check_input(text: str, path: Path, entries: list[dict], removed: list[tuple[int, int]],
                 edited: list[tuple[int, int]]) -> None:
    covered = bytearray(len(text) + 1)
    for start, end in removed:
        covered[start:end] = b"\x01" * (end - start)
    for e in entries:
        covered[e["start"]:e["end"]] = b"\x01" * (e["end"] - e["start"])
        touched = any(s < e["end"] and e["start"] < t for s, t in edited)
        if not touched:
            assert _squeeze(e["text"]) == _squeeze(text[e["start"]:e["end"]]), \
                f"{path.name} {e['id']}: written {e['text']!r}, the file has {text[e['start']:e['end']]!r}"
    lost = [i for i, ch in enumerate(text) if not covered[i] and unicodedata.category(ch)[0] in "LN"]
    if lost:
        at = lost[0]
        raise AssertionError(f"{path.name}: {len(lost)} letters in no written sentence, from offset {at}: "
                             f"{text[max(0, at - 10):at + 40]!r}")


def _input_files(inputs) -> list[Path]:
    files = []
    for item in [inputs] if isinstance(inputs, (str, Path)) else list(inputs or []):
        item = Path(item)
        files += sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
    return [p for p in files if p.suffix in ("", ".txt")]


def _by_file(records: list[dict]) -> dict[Path, list[dict]]:
    """Records grouped by the resolved path of their ``file``, in their order."""
    grouped: dict[Path, list[dict]] = {}
    resolved: dict[str, Path] = {}
    for r in records:
        where = resolved.setdefault(r["file"], Path(r["file"]).resolve())
        grouped.setdefault(where, []).append(r)
    return grouped


def account(out: Path, inputs=None) -> Counter:
    """The multiset of ``(sentence id, text)`` written by the run in ``out``, each checked to be
    written once; with ``inputs`` (files or folders), each plain-text input's letters are
    checked to be in the written sentences (see the module's docstring)."""
    out = Path(out)
    entries, pairs = _written(out)
    ids = Counter(e["id"] for e in entries)
    twice = {i: [e["where"] for e in entries if e["id"] == i] for i, n in ids.items() if n > 1}
    assert not twice, f"sentences written more than once: {dict(list(twice.items())[:5])}"
    _check_tmx(out, pairs)
    _check_numbering(entries)
    edits = _jsonl(out / "edits.jsonl")
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").is_file() else {}
    skipped = {Path(s["file"]).resolve() for s in run.get("skipped_files", [])}
    by_file, edits_by_file = _by_file(entries), _by_file(edits)
    for path in _input_files(inputs):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # another encoding: its offsets are in text this check does not decode
        if path.resolve() in skipped:
            continue
        mine, logged = by_file.get(path.resolve(), []), edits_by_file.get(path.resolve(), [])
        removed = [(e["start"], e["end"]) for e in logged if e["kind"] == "remove"]
        edited = [(e["start"], max(e["end"], e["start"] + 1)) for e in logged if e["kind"] != "flag"]
        _check_input(text, path, mine, removed, edited)
    return Counter((e["id"], e["text"]) for e in entries)


def accounted(out: Path, inputs=None) -> Counter:
    """``account(out, inputs)``, and ``run.json`` agrees with it: ``nothing_lost`` and as many
    sentences as were found written."""
    found = account(out, inputs)
    counts = json.loads((Path(out) / "run.json").read_text(encoding="utf-8"))["counts"]
    assert counts["nothing_lost"] is True and counts["sentences"] == sum(found.values()), counts
    return found
