"""A reviewer's corrections (``review.jsonl``, saved by the review page) applied to the records
of an output folder.

Each line is one action on one or two *beads*. A bead is named by its sentence ids and the
texts the reviewer saw, so a review that no longer matches the folder is refused::

    {"action": "accept", "beads": [{"zh_ids": ["a#zh3"], "en_ids": ["a#en4"], "zh": "…", "en": "…"}]}

- ``accept``: the bead is right. A bead may also name sentences that are each unaligned (a
  rejected candidate shown side by side): they become a pair.
- ``reject``: the bead is wrong; its sentences are listed as ``rejected_by_reviewer``.
- ``edit``: new ``zh`` and/or ``en`` text for the bead.
- ``merge``: two beads become one.
- ``split``: the first ``zh_count`` Chinese and ``en_count`` English sentences become a bead
  of their own, the rest another.
- ``move``: ``sentence`` leaves the first bead for the second, a neighbour.

Pairs a reviewer touched get ``reviewed: true`` and quality 1.0; a sentence left with no
partner is listed as unaligned. Actions apply in order, so a line may name a bead an earlier
line made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from ..errors import InputError
from ..records import bead_id, join_sentences, sentence_doc, sentence_index
from .data import Outputs

ACTIONS = ("accept", "reject", "edit", "merge", "split", "move")
REJECTED_BY_REVIEWER = "rejected_by_reviewer"
BEADS_NAMED = MappingProxyType({"accept": 1, "reject": 1, "edit": 1, "split": 1, "merge": 2, "move": 2})


@dataclass(frozen=True)
class BeadRef:
    """A bead as the review names it: its sentence ids and the texts the reviewer saw."""

    zh_ids: tuple[str, ...]
    en_ids: tuple[str, ...]
    zh: str
    en: str

    @property
    def ids(self) -> tuple[str, ...]:
        return self.zh_ids + self.en_ids


@dataclass(frozen=True)
class Correction:
    """One line of ``review.jsonl``."""

    line: int
    action: str
    beads: tuple[BeadRef, ...]
    zh: str | None = None  # edit: the new texts
    en: str | None = None
    zh_count: int = 0  # split: sentences of each side in the first bead
    en_count: int = 0
    sentence: str = ""  # move: the sentence that moves


def _ids(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and "#" in v for v in value):
        raise ValueError(f"{where} is not a list of sentence ids")
    return tuple(value)


def _bead_ref(value, n: int) -> BeadRef:
    if not isinstance(value, dict):
        raise ValueError(f"bead {n} is not an object")
    zh_ids, en_ids = _ids(value.get("zh_ids"), f"bead {n} zh_ids"), _ids(value.get("en_ids"), f"bead {n} en_ids")
    if not zh_ids and not en_ids:
        raise ValueError(f"bead {n} names no sentence")
    texts = value.get("zh", ""), value.get("en", "")
    if not all(isinstance(t, str) for t in texts):
        raise ValueError(f"bead {n}: 'zh' and 'en' are texts")
    return BeadRef(zh_ids, en_ids, *texts)


def _correction(line: int, value) -> Correction:
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    action = value.get("action")
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    beads = value.get("beads")
    if not isinstance(beads, list) or len(beads) != BEADS_NAMED[action]:
        raise ValueError(f"{action} names {BEADS_NAMED[action]} bead(s) in 'beads'")
    new = {k: value.get(k) for k in ("zh", "en")}
    if action == "edit" and (not any(isinstance(v, str) for v in new.values())
                             or not all(v is None or isinstance(v, str) for v in new.values())):
        raise ValueError("edit gives the new text as 'zh' and/or 'en'")
    counts = value.get("zh_count", 0), value.get("en_count", 0)
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
        raise ValueError("'zh_count' and 'en_count' are numbers of sentences")
    sentence = value.get("sentence", "")
    if action == "move" and not (isinstance(sentence, str) and "#" in sentence):
        raise ValueError("move names its 'sentence' by id")
    return Correction(line, action, tuple(_bead_ref(b, n + 1) for n, b in enumerate(beads)),
                      new["zh"] if action == "edit" else None, new["en"] if action == "edit" else None,
                      counts[0], counts[1], sentence if action == "move" else "")


def read_review(path: Path) -> list[Correction]:
    """The corrections of a review file; a line that is not one is an error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the review file ({exc})") from exc
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_correction(n, json.loads(line)))
        except (ValueError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}:{n}: {exc}") from exc
    if not out:
        raise InputError(f"{path}: no corrections in the review file")
    return out


@dataclass(frozen=True)
class SentenceInfo:
    """What the outputs say of one sentence: enough to list it alone or pair it anew."""

    id: str
    lang: str
    text: str
    provenance: dict
    garble: float = 0.0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bead:
    """A bead of the working state: a pair (both sides) or one unaligned sentence."""

    zh: tuple[str, ...]
    en: tuple[str, ...]
    zh_text: str
    en_text: str
    record: dict | None = None  # the output record it still is, as written (None once changed)
    method: str = "parallel"
    mined: bool = False  # from mined.* (and goes back there)
    reviewed: bool = False
    edited: bool = False
    rejected: bool = False  # a sentence a reviewer took out of a pair

    @property
    def key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self.zh, self.en

    @property
    def is_pair(self) -> bool:
        return bool(self.zh) and bool(self.en)


class ReviewError(InputError):
    """A review that does not match the outputs it is applied to."""


def _order(ids) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda s: (sentence_doc(s), sentence_index(s))))


@dataclass
class ReviewState:
    """The beads of an output folder while corrections are applied."""

    sentences: dict[str, SentenceInfo]
    beads: dict[tuple, Bead]
    unaligned: dict[str, dict] = field(default_factory=dict)  # the unaligned records as written

    def single(self, sentence_id: str) -> Bead:
        info = self.sentences[sentence_id]
        side = ((sentence_id,), ()) if info.lang == "zh" else ((), (sentence_id,))
        return self.beads.get(side) or Bead(*side, info.text if info.lang == "zh" else "",
                                            info.text if info.lang == "en" else "")

    def take(self, ref: BeadRef, line: int) -> Bead:
        """Remove the bead ``ref`` names from the state and return it: a bead as it stands, or
        sentences that are each unaligned put together."""
        key = (ref.zh_ids, ref.en_ids)
        if key in self.beads:
            bead = self.beads.pop(key)
        else:
            missing = [s for s in ref.ids if s not in self.sentences]
            if missing:
                raise ReviewError(f"line {line}: no sentence {missing[0]} in these outputs")
            singles = [self.single(s) for s in ref.ids]
            if any(b.key not in self.beads for b in singles):
                raise ReviewError(f"line {line}: no bead of {' '.join(ref.ids)} in these outputs "
                                  "(the review is of other outputs, or an earlier line changed it)")
            for b in singles:
                del self.beads[b.key]
            bead = self.compose(ref.zh_ids, ref.en_ids, singles, reviewed=False)
        if (bead.zh_text, bead.en_text) != (ref.zh, ref.en):
            changed = "zh" if bead.zh_text != ref.zh else "en"
            raise ReviewError(f"line {line}: the {changed} text of {' '.join(ref.ids)} is not what the review saw")
        return bead

    def compose(self, zh: tuple[str, ...], en: tuple[str, ...], sources: list[Bead], reviewed: bool = True) -> Bead:
        """A new bead of the sentences ``zh`` and ``en``, its method from the first pair among
        ``sources`` (or the candidate its sentences were left out with)."""
        texts = {lang: join_sentences([self.sentences[s].text for s in ids], lang) for lang, ids in (("zh", zh), ("en", en))}
        origin = next((b for b in sources if b.is_pair), None)
        if origin is not None:
            method, mined = origin.method, origin.mined
        else:
            candidates = [(self.unaligned.get(s) or {}).get("candidate") or {} for s in zh + en]
            method = next((c["method"] for c in candidates if c.get("method")), "parallel")
            mined = method == "mined"
        return Bead(zh, en, texts["zh"], texts["en"], None, method, mined, reviewed)

    def put(self, bead: Bead) -> None:
        """Put ``bead`` back: a pair as it is, a one-sided bead as unaligned sentences."""
        if bead.is_pair:
            self.beads[bead.key] = bead
            return
        for s in bead.zh + bead.en:
            single = self.single(s)
            self.beads[single.key] = replace(single, rejected=True)


def _sentences(outputs: Outputs) -> dict[str, SentenceInfo]:
    found: dict[str, SentenceInfo] = {}
    for record in outputs.pairs:
        for lang in ("zh", "en"):
            entries = record.get("provenance", {}).get(lang, [])
            for sid, entry in zip(record[f"{lang}_ids"], entries):
                text = entry.get("text", record[lang] if len(record[f"{lang}_ids"]) == 1 else None)
                if text is None:
                    continue  # an older align's record: its sentences cannot be split apart
                found[sid] = SentenceInfo(sid, lang, text, {k: v for k, v in entry.items() if k != "text"},
                                          record["signals"].get("garble") or 0.0, tuple(record.get("flags", ())))
    for u in outputs.unaligned:
        found[u["id"]] = SentenceInfo(u["id"], u["lang"], u["text"], u.get("provenance", {}), u.get("garble", 0.0),
                                      tuple(u.get("flags", ())))
    return found


def review_state(outputs: Outputs, mined_ids: set[str]) -> ReviewState:
    """The state of an output folder before any correction (``mined_ids``: the ids of the
    pairs read from ``mined.jsonl``)."""
    state = ReviewState(_sentences(outputs), {}, {u["id"]: u for u in outputs.unaligned})
    for record in outputs.pairs:
        bead = Bead(tuple(record["zh_ids"]), tuple(record["en_ids"]), record["zh"], record["en"], record,
                    record["method"], record["id"] in mined_ids, bool(record.get("reviewed")))
        state.beads[bead.key] = bead
    for u in outputs.unaligned:
        if u["lang"] in ("zh", "en"):
            single = state.single(u["id"])
            state.beads[single.key] = replace(single, rejected=u["reason"] == REJECTED_BY_REVIEWER)
    return state


def _split_at(bead: Bead, c: Correction, state: ReviewState) -> list[Bead]:
    if bead.edited:
        raise ReviewError(f"line {c.line}: a bead whose text was edited cannot be split (split it first)")
    if not (c.zh_count <= len(bead.zh) and c.en_count <= len(bead.en)) or (c.zh_count, c.en_count) in (
            (0, 0), (len(bead.zh), len(bead.en))):
        raise ReviewError(f"line {c.line}: cannot split a {len(bead.zh)}-{len(bead.en)} bead after "
                          f"{c.zh_count} Chinese and {c.en_count} English sentences")
    return [state.compose(bead.zh[:c.zh_count], bead.en[:c.en_count], [bead]),
            state.compose(bead.zh[c.zh_count:], bead.en[c.en_count:], [bead])]


def _move(source: Bead, target: Bead, c: Correction, state: ReviewState) -> list[Bead]:
    lang = state.sentences[c.sentence].lang if c.sentence in state.sentences else ""
    side = source.zh if lang == "zh" else source.en
    if c.sentence not in side:
        raise ReviewError(f"line {c.line}: {c.sentence} is not in the bead it moves from")
    if source.edited or target.edited:
        raise ReviewError(f"line {c.line}: a sentence cannot move into or out of an edited bead")
    others = target.zh if lang == "zh" else target.en
    edges = (side[-1],) if others and sentence_index(others[0]) > sentence_index(c.sentence) else (
        (side[0],) if others else (side[0], side[-1]))
    if c.sentence not in edges:
        raise ReviewError(f"line {c.line}: {c.sentence} is not at the edge of its bead next to the other bead")
    rest = tuple(s for s in side if s != c.sentence)
    moved = _order(others + (c.sentence,))
    if lang == "zh":
        return [state.compose(rest, source.en, [source, target]), state.compose(moved, target.en, [target, source])]
    return [state.compose(source.zh, rest, [source, target]), state.compose(target.zh, moved, [target, source])]


def _apply_one(state: ReviewState, c: Correction) -> None:
    beads = [state.take(ref, c.line) for ref in c.beads]
    if c.action in ("accept", "edit") and not beads[0].is_pair:
        raise ReviewError(f"line {c.line}: {c.action} needs sentences of both languages")
    if c.action == "accept":
        results = [replace(beads[0], reviewed=True)]
    elif c.action == "edit":
        b = beads[0]
        results = [replace(b, zh_text=b.zh_text if c.zh is None else c.zh.strip(), en_text=b.en_text if c.en is None
                           else c.en.strip(), record=None, reviewed=True, edited=True)]
        if not (results[0].zh_text and results[0].en_text):
            raise ReviewError(f"line {c.line}: an edit leaves a side empty (reject the pair instead)")
    elif c.action == "reject":
        results = [Bead(b.zh, (), "", "") for b in beads] + [Bead((), b.en, "", "") for b in beads]
    elif c.action == "merge":
        if any(b.edited for b in beads):
            raise ReviewError(f"line {c.line}: an edited bead cannot be merged (merge it first)")
        results = [state.compose(_order(beads[0].zh + beads[1].zh), _order(beads[0].en + beads[1].en), beads)]
    elif c.action == "split":
        results = _split_at(beads[0], c, state)
    else:
        results = _move(beads[0], beads[1], c, state)
    for bead in results:
        if bead.zh or bead.en:
            state.put(bead)


def apply_corrections(outputs: Outputs, corrections: list[Correction], mined_ids: set[str]) -> ReviewState:
    """The state of ``outputs`` after ``corrections``, in order."""
    state = review_state(outputs, mined_ids)
    for c in corrections:
        _apply_one(state, c)
    return state


@dataclass(frozen=True)
class RunFacts:
    """What every record of a run shares: its signature and language tags."""

    signature: str
    langs: dict
    signal_names: tuple[str, ...]


def reviewed_record(bead: Bead, state: ReviewState, facts: RunFacts) -> dict:
    """The ``corpus.jsonl`` record of a pair a reviewer checked: quality 1.0, ``reviewed``; the
    run's signals are kept when the bead is the pair the run found, and null otherwise."""
    base = bead.record or {}
    kept = bool(base) and (bead.zh, bead.en) == (tuple(base["zh_ids"]), tuple(base["en_ids"]))
    infos = [state.sentences[s] for s in bead.zh + bead.en]
    return {
        "id": bead_id(bead.zh, bead.en),
        "zh": bead.zh_text,
        "en": bead.en_text,
        "zh_ids": list(bead.zh),
        "en_ids": list(bead.en),
        "shape": f"{len(bead.zh)}-{len(bead.en)}",
        "method": bead.method,
        "quality": 1.0,
        "signals": dict(base["signals"]) if kept else {name: None for name in facts.signal_names},
        "rejected_by": [],
        "rule_details": {},
        "flags": sorted({f for info in infos for f in info.flags}),
        "zh_translation": base.get("zh_translation", "") if kept else "",
        "en_translation": base.get("en_translation", "") if kept else "",
        "provenance": {lang: [state.sentences[s].provenance | {"text": state.sentences[s].text} for s in ids]
                       for lang, ids in (("zh", bead.zh), ("en", bead.en))},
        "signature": base.get("signature", facts.signature),
        "langs": dict(base.get("langs", facts.langs)),
        "markup": base.get("markup") if kept and not bead.edited else None,
        "reviewed": True,
    }


def rejected_record(sentence: SentenceInfo, line_note: str) -> dict:
    """The ``unaligned.jsonl`` record of a sentence a reviewer took out of its pair."""
    return {"id": sentence.id, "lang": sentence.lang, "text": sentence.text, "reason": REJECTED_BY_REVIEWER,
            "detail": line_note, "garble": round(sentence.garble, 4), "flags": list(sentence.flags), "translation": "",
            "provenance": dict(sentence.provenance), "candidate": None}


def _pair_order(record: dict) -> tuple:
    return (sentence_doc(record["zh_ids"][0]), sentence_index(record["zh_ids"][0]),
            sentence_doc(record["en_ids"][0]), sentence_index(record["en_ids"][0]))


@dataclass(frozen=True)
class Corrected:
    """The records of a corrected output folder."""

    corpus: list[dict]
    mined: list[dict]
    unaligned: list[dict]


def corrected_records(state: ReviewState, facts: RunFacts, note: str) -> Corrected:
    """Pairs in the run's order (Chinese document and position, then English), each unaligned
    sentence once: as written when no correction touched it, else ``rejected_by_reviewer``."""
    corpus, mined, unaligned = [], [], []
    for bead in state.beads.values():
        if bead.is_pair:
            record = bead.record if bead.record is not None and not bead.reviewed else reviewed_record(bead, state, facts)
            (mined if bead.mined else corpus).append(record)
        else:
            sid = (bead.zh + bead.en)[0]
            written = state.unaligned.get(sid)
            untouched = written is not None and not bead.rejected
            unaligned.append(written if untouched or (written or {}).get("reason") == REJECTED_BY_REVIEWER
                             else rejected_record(state.sentences[sid], note))
    unaligned += [u for u in state.unaligned.values() if u["lang"] not in ("zh", "en")]
    positions = {u["id"]: n for n, u in enumerate(state.unaligned.values())}
    unaligned.sort(key=lambda u: (positions.get(u["id"], len(positions)), sentence_doc(u["id"]), u["lang"],
                                  sentence_index(u["id"])))
    return Corrected(sorted(corpus, key=_pair_order), sorted(mined, key=_pair_order), unaligned)
