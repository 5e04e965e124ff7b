"""What the review report shows, computed from the output records alone (the dicts of
``corpus.jsonl``, ``unaligned.jsonl``, ``edits.jsonl`` and ``run.json``), so that a report can
be rebuilt from an output folder without the run."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..errors import InputError
from ..io.jsonl import read_jsonl
from ..records import join_sentences, sentence_doc, sentence_index


_TEXT, _IDS, _NUMBER = str, "ids", (int, float)
_PAIR = MappingProxyType({"zh": _TEXT, "en": _TEXT, "zh_ids": _IDS, "en_ids": _IDS, "quality": _NUMBER,
                          "method": _TEXT, "shape": _TEXT})
_REQUIRED = MappingProxyType({
    "corpus.jsonl": _PAIR,
    "mined.jsonl": _PAIR,
    "unaligned.jsonl": MappingProxyType({"id": _TEXT, "lang": _TEXT, "text": _TEXT, "reason": _TEXT}),
    "edits.jsonl": MappingProxyType({"doc": _TEXT, "fixer": _TEXT, "kind": _TEXT}),
})


def _record_problem(record: dict, required) -> str:
    """What is wrong with a record read back from an output folder ("" when nothing is)."""
    for key, kind in required.items():
        value = record.get(key)
        if kind == _IDS:
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and "#" in v for v in value):
                return f"{key!r} is not a list of sentence ids"
        elif not isinstance(value, kind) or isinstance(value, bool):
            return f"{key!r} is missing or not {'a number' if kind == _NUMBER else 'text'}"
    if "quality" in required and not 0 <= record["quality"] <= 1:
        return "'quality' is not between 0 and 1"
    return ""


@dataclass
class Outputs:
    """The records of one output folder."""

    run: dict
    pairs: list[dict]
    unaligned: list[dict]
    edits: list[dict]

    @classmethod
    def read(cls, folder: Path) -> Outputs:
        run_path = folder / "run.json"
        if not run_path.is_file():
            raise InputError(f"{folder}: no run.json (is this an align run output folder?)")
        if not (folder / "corpus.jsonl").is_file():
            raise InputError(f"{folder}: no corpus.jsonl (the report is built from it: run with --format jsonl)")
        try:
            run = json.loads(run_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{run_path}: not JSON ({exc.msg})") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{run_path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc

        def records(name: str) -> list[dict]:
            path = folder / name
            if not path.is_file():
                return []
            out = []
            for number, record in read_jsonl(path):
                if name.endswith("corpus.jsonl") and isinstance(record, dict) and "translation" in record and "zh" not in record:
                    raise InputError(f"{path}: written with --jsonl-layout translation; the report and align apply "
                                     "read the align layout (run again without that option)")
                problem = _record_problem(record, _REQUIRED[name])
                if problem:
                    raise InputError(f"{path}:{number}: {problem} (not a record align writes)")
                out.append(record)
            return out

        if not isinstance(run, dict):
            raise InputError(f"{run_path}: not a JSON object")
        return cls(run, records("corpus.jsonl") + records("mined.jsonl"), records("unaligned.jsonl"),
                   records("edits.jsonl"))


@dataclass
class Row:
    """One line of a side-by-side view: a pair, a candidate pair a rule or the minimum quality
    left out (its sentences side by side), or a sentence left out, in its place. Each side
    is a list of (sentence id, text): what the review page edits."""

    kind: str  # "pair", "candidate" or "unaligned"
    zh: str = ""
    en: str = ""
    record: dict = field(default_factory=dict)
    zh_sentences: list[tuple[str, str]] = field(default_factory=list)
    en_sentences: list[tuple[str, str]] = field(default_factory=list)
    edited: dict[str, str] = field(default_factory=dict)  # a side whose text is not its sentences' (edited in review)

    @property
    def quality(self) -> float | None:
        return self.record.get("quality") if self.kind != "unaligned" else None

    @classmethod
    def of_pair(cls, record: dict) -> Row:
        def side(lang: str) -> list[tuple[str, str]]:
            entries = record.get("provenance", {}).get(lang, [])
            if len(entries) == len(record[f"{lang}_ids"]) and all("text" in e for e in entries):
                return [(e["id"], e["text"]) for e in entries]
            return [("", record[lang])]  # an older align's record: the side as one text
        sides = {lang: side(lang) for lang in ("zh", "en")}
        edited = {lang: record[lang] for lang, items in sides.items()
                  if join_sentences([t for _, t in items], lang) != record[lang]}
        return cls("pair", record["zh"], record["en"], record, sides["zh"], sides["en"], edited)

    @classmethod
    def of_unaligned(cls, record: dict) -> Row:
        sentence = [(record["id"], record["text"])]
        if record["lang"] == "en":
            return cls("unaligned", en=record["text"], record=record, en_sentences=sentence)
        return cls("unaligned", zh=record["text"], record=record, zh_sentences=sentence)

    @classmethod
    def of_candidate(cls, candidate: dict, members: list[dict]) -> Row:
        """The sentences of a pair left out, side by side (``members``: their unaligned records)."""
        by_id = {u["id"]: u for u in members}
        zh = [(s, by_id[s]["text"]) for s in candidate["zh_ids"]]
        en = [(s, by_id[s]["text"]) for s in candidate["en_ids"]]
        record = dict(candidate, reason=members[0]["reason"], detail=members[0]["detail"].split("; paired with:")[0])
        return cls("candidate", join_sentences([t for _, t in zh], "zh"), join_sentences([t for _, t in en], "en"),
                   record, zh, en)


def _candidate_rows(unaligned: list[dict]) -> tuple[list[Row], list[dict]]:
    """Rows of candidates whose every sentence is among ``unaligned``, and the records left."""
    groups: dict[str, list[dict]] = {}
    for u in unaligned:
        if u.get("candidate"):
            groups.setdefault(u["candidate"]["id"], []).append(u)
    rows, used = [], set()
    for members in groups.values():
        candidate = members[0]["candidate"]
        if {u["id"] for u in members} == set(candidate["zh_ids"]) | set(candidate["en_ids"]):
            rows.append(Row.of_candidate(candidate, members))
            used.update(u["id"] for u in members)
    return rows, [u for u in unaligned if u["id"] not in used]


@dataclass
class DocumentPair:
    zh_doc: str
    en_doc: str
    pairs: list[dict] = field(default_factory=list)
    unaligned: list[dict] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.zh_doc}--{self.en_doc}"

    def rows(self) -> list[Row]:
        """Pairs in Chinese order, each candidate pair where its first Chinese sentence would
        be, each unaligned sentence in its place: a Chinese one before the first pair that
        comes after it, an English one after the last pair before it."""
        pairs = sorted(self.pairs, key=lambda p: (sentence_index(p["zh_ids"][0]), sentence_index(p["en_ids"][0])))
        candidates, unaligned = _candidate_rows(self.unaligned)
        keyed = [((sentence_index(p["zh_ids"][0]), 1, n), Row.of_pair(p)) for n, p in enumerate(pairs)]
        keyed += [((sentence_index(c.record["zh_ids"][0]), 0, -1 - n), c) for n, c in enumerate(candidates)]
        en_starts = [(sentence_index(p["en_ids"][0]), sentence_index(p["zh_ids"][0])) for p in pairs]
        for n, u in enumerate(unaligned):
            index = sentence_index(u["id"])
            if u["lang"] == "zh":
                keyed.append(((index, 0, n), Row.of_unaligned(u)))
            elif u["lang"] != "en":  # a block of no language (code) or of another language: at the end
                keyed.append(((float("inf"), 3, n), Row("unaligned", zh=u["text"], record=u)))
            else:
                before = [zh for en, zh in en_starts if en < index]
                keyed.append(((max(before) if before else -1, 2, n), Row.of_unaligned(u)))
        return [row for _, row in sorted(keyed, key=lambda kr: kr[0])]


def document_pairs(outputs: Outputs) -> tuple[list[DocumentPair], dict[str, list[dict]]]:
    """The document pairs that have pairs, each with its unaligned sentences (a sentence left
    out with a candidate pair goes to the view of that pair's documents where there is one;
    the others of a document to the view where it has the most pairs), and the unaligned
    sentences of documents that have no pair at all."""
    views: dict[tuple[str, str], DocumentPair] = {}
    for p in outputs.pairs:
        key = (sentence_doc(p["zh_ids"][0]), sentence_doc(p["en_ids"][0]))
        views.setdefault(key, DocumentPair(*key)).pairs.append(p)
    home: dict[str, tuple[str, str]] = {}
    for key, view in sorted(views.items(), key=lambda kv: -len(kv[1].pairs)):
        home.setdefault(key[0], key)
        home.setdefault(key[1], key)
    unpaired: dict[str, list[dict]] = {}
    for u in outputs.unaligned:
        doc = sentence_doc(u["id"])
        candidate = u.get("candidate") or {}
        shown_with = (sentence_doc(candidate["zh_ids"][0]), sentence_doc(candidate["en_ids"][0])) if candidate else None
        if shown_with in views:  # beside the sentences of its candidate pair
            views[shown_with].unaligned.append(u)
        elif doc in home:
            views[home[doc]].unaligned.append(u)
        else:
            unpaired.setdefault(doc, []).append(u)
    return sorted(views.values(), key=lambda v: (v.zh_doc, v.en_doc)), dict(sorted(unpaired.items()))


def summary(outputs: Outputs) -> dict:
    """The numbers of the summary, all from run.json and the records."""
    counts = outputs.run.get("counts", {})
    edits_by_fixer = Counter(e["fixer"] for e in outputs.edits)
    return {
        "documents": counts.get("files_read", len(outputs.run.get("documents", {}))),
        "sentences": counts.get("sentences", 0),
        "pairs": len(outputs.pairs),
        "pairs_by_method": dict(sorted(Counter(p["method"] for p in outputs.pairs).items())),
        "pairs_by_shape": dict(sorted(Counter(p["shape"] for p in outputs.pairs).items())),
        "unaligned": len(outputs.unaligned),
        "unaligned_by_reason": dict(sorted(Counter(u["reason"] for u in outputs.unaligned).items())),
        "edits": len(outputs.edits),
        "edits_by_fixer": dict(edits_by_fixer.most_common()),
        "skipped_files": outputs.run.get("skipped_files", []),
        "timings": outputs.run.get("timings_seconds", {}),
        "min_quality": outputs.run.get("settings", {}).get("select", {}).get("min_quality", 0.0),
    }
