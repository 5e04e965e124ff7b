"""Translation-memory upkeep: the units a translator must look at in a TM that grew for years.

*Conflicts*: one source text with several different translations, and one translation used
for several different sources; *duplicates*: the same pair of texts more than once. Texts
are compared as they are, white space aside (``Save`` and ``Save.`` are different texts, a
paragraph-long unit is one text). Each finding lists the units (their ids, texts and
quality), so that it can be acted on; ``best_of_each`` keeps the best-scored translation of
each source (and one copy of each duplicate), ``conflict_marks`` names each unit's findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

SEVERAL_TRANSLATIONS = "one_source_several_translations"
SEVERAL_SOURCES = "one_translation_several_sources"
DUPLICATE = "exact_duplicate"


@dataclass(frozen=True)
class TmUnit:
    """A unit as the TM has it: its position in the file (1, 2, ...: what tells units apart),
    its id there (a ``tuid``, a record id), its texts and its quality."""

    position: int
    id: str
    zh: str
    en: str
    quality: float = 0.0


@dataclass(frozen=True)
class Finding:
    """A conflict or a duplicate: its kind, the text the units share (and its language), and
    the units, grouped by the text they differ in (one group for a duplicate)."""

    kind: str
    lang: str
    text: str
    variants: tuple[tuple[str, tuple[TmUnit, ...]], ...]

    def record(self) -> dict:
        """What the listing (JSONL, one finding a line) says of it."""
        other = "en" if self.lang == "zh" else "zh"
        return {"kind": self.kind, "lang": self.lang, "text": self.text,
                "variants": [{other: text, "units": [{"position": u.position, "id": u.id, "quality": u.quality}
                                                     for u in units]}
                             for text, units in self.variants]}


def _key(text: str) -> str:
    return " ".join(text.split())


def _grouped(units: Sequence[TmUnit], shared: str, differing: str, kind: str) -> list[Finding]:
    by_shared: dict[str, dict[str, list[TmUnit]]] = {}
    for unit in units:
        by_shared.setdefault(_key(getattr(unit, shared)), {}).setdefault(_key(getattr(unit, differing)), []).append(unit)
    return [Finding(kind, shared, text, tuple((other, tuple(found)) for other, found in variants.items()))
            for text, variants in by_shared.items() if len(variants) > 1]


def find_upkeep(units: Sequence[TmUnit], source: str = "en") -> tuple[Finding, ...]:
    """Every conflict (``source`` is the language translated from) and every duplicate.

    >>> tm = [TmUnit(1, "a", "保存", "Save"), TmUnit(2, "b", "存储", "Save"), TmUnit(3, "c", "保存", "Store"),
    ...       TmUnit(4, "d", "确定", "OK"), TmUnit(5, "e", "确定", "OK")]
    >>> [(f.kind, f.text) for f in find_upkeep(tm)]
    [('one_source_several_translations', 'Save'), ('one_translation_several_sources', '保存'), ('exact_duplicate', 'OK')]
    """
    target = "zh" if source == "en" else "en"
    duplicates: dict[tuple[str, str], list[TmUnit]] = {}
    for unit in units:
        duplicates.setdefault((_key(getattr(unit, source)), _key(getattr(unit, target))), []).append(unit)
    return tuple(_grouped(units, source, target, SEVERAL_TRANSLATIONS) + _grouped(units, target, source, SEVERAL_SOURCES)
                 + [Finding(DUPLICATE, source, s, ((t, tuple(found)),)) for (s, t), found in duplicates.items()
                    if len(found) > 1])


def upkeep_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Findings by kind, and the units in them (a unit in two findings counts once)."""
    counts = {kind: sum(f.kind == kind for f in findings) for kind in (SEVERAL_TRANSLATIONS, SEVERAL_SOURCES, DUPLICATE)}
    counts["units_in_findings"] = len({u.position for f in findings for _, units in f.variants for u in units})
    return counts


def best_of_each(units: Sequence[TmUnit], source: str = "en") -> set[int]:
    """The positions to keep: for each source text, the units of its best-scored translation (the
    first of equals), and of those, the first copy of each duplicate."""
    best: dict[str, TmUnit] = {}
    for unit in units:
        key = _key(getattr(unit, source))
        if key not in best or unit.quality > best[key].quality:
            best[key] = unit
    return {unit.position for unit in best.values()}


def conflict_marks(findings: Sequence[Finding]) -> dict[int, str]:
    """Each unit in a finding, and the findings it is in (``one_source_several_translations:3``:
    the kind, and how many units the finding holds)."""
    marks: dict[int, list[str]] = {}
    for finding in findings:
        size = sum(len(units) for _, units in finding.variants)
        for _, units in finding.variants:
            for unit in units:
                marks.setdefault(unit.position, []).append(f"{finding.kind}:{size}")
    return {position: ",".join(found) for position, found in marks.items()}


def record_findings(records: Sequence[dict], source: str = "en") -> tuple[Finding, ...]:
    """The findings in ``corpus.jsonl`` records (what ``align run`` lists in ``conflicts.jsonl``)."""
    return find_upkeep([TmUnit(n, r["id"], r["zh"], r["en"], r["quality"]) for n, r in enumerate(records, 1)], source)


POLICIES = ("all", "best", "mark")  # keep every unit, the best translation of each source, or all marked


def _unit_of(item, position: int) -> TmUnit:
    """A rescored corpus entry as a TM unit (its id: the TMX ``tuid`` or the record's ``id``)."""
    entry = item.entry
    unit_id = entry.unit.tuid if entry.unit is not None else str((entry.record or {}).get("id", position))
    return TmUnit(position, unit_id, entry.zh, entry.en, item.quality)


def _marked(item, mark: str):
    """A rescored entry carrying its findings: a TMX prop ``x-tm-conflict``, a JSONL field ``tm_conflict``."""
    entry = item.entry
    unit = replace(entry.unit, props=entry.unit.props + (("x-tm-conflict", mark),)) if entry.unit is not None else None
    record = {**entry.record, "tm_conflict": mark} if entry.record is not None else None
    return replace(item, entry=replace(entry, unit=unit, record=record))


def tm_upkeep(items: list, source: str = "en", policy: str = "all") -> tuple[list, tuple[Finding, ...]]:
    """The findings in rescored corpus entries (``score.rescore.Rescored``), and the entries to
    write: all of them (``all``), the best translation of each source (``best``), or all,
    those in a finding marked (``mark``)."""
    units = [_unit_of(item, n) for n, item in enumerate(items, 1)]
    findings = find_upkeep(units, source)
    if policy == "best":
        keep = best_of_each(units, source)
        return [item for unit, item in zip(units, items) if unit.position in keep], findings
    if policy == "mark":
        marks = conflict_marks(findings)
        return [_marked(item, marks[u.position]) if u.position in marks else item for u, item in zip(units, items)], findings
    return list(items), findings


def corpus_upkeep(corpus, kept: list, listing=None, policy: str = "all") -> tuple[list, dict]:
    """TM upkeep of a rescored corpus (``io.corpus.Corpus``) when asked (a ``listing``
    path, or a policy other than ``all``): the entries to write, and the counts (``{}`` when
    not asked). The source language is the TMX header's ``srclang`` (English elsewhere)."""
    if listing is None and policy == "all":
        return kept, {}
    from ..io.jsonl import write_jsonl

    srclang = corpus.tmx_header.srclang.lower() if corpus.format == "tmx" else "en"
    written, findings = tm_upkeep(kept, "zh" if srclang.startswith("zh") else "en", policy)
    if listing is not None:
        write_jsonl(listing, (f.record() for f in findings))
    return written, upkeep_counts(findings) | {"kept_after_upkeep": len(written)}


def tm_summary(counts: dict) -> str:
    """The counts in a few words.

    >>> tm_summary({SEVERAL_TRANSLATIONS: 2, SEVERAL_SOURCES: 1, DUPLICATE: 3, "units_in_findings": 9, "kept_after_upkeep": 7})
    '2 sources with several translations, 1 translation of several sources, 3 exact duplicates (9 units); 7 units written'
    """
    return (f"{counts[SEVERAL_TRANSLATIONS]} sources with several translations, {counts[SEVERAL_SOURCES]} "
            f"translation{'s' if counts[SEVERAL_SOURCES] != 1 else ''} of several sources, {counts[DUPLICATE]} exact "
            f"duplicates ({counts['units_in_findings']} units); {counts['kept_after_upkeep']} units written")
