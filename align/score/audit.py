"""What each filter of the accept decision did: how many pairs each hard rule, the minimum
quality and the deduplication left out, with the first few of them, so that a user can judge
a filter without reading every line (``run.json`` ``filters``, ``align score``'s summary)."""

from __future__ import annotations

from collections.abc import Sequence

from .dedup import DUPLICATE
from .hardrules import RULE_NAMES
from .select import BELOW_MIN_QUALITY, REJECTED_BY_RULE, Judged, SelectSettings, Verdict

SAMPLE = 5  # pairs shown of what each filter removed
THRESHOLDS = tuple(round(t / 10, 1) for t in range(1, 10))


def _shown(item: Judged, detail: str) -> dict:
    return {"zh": item.zh[:200], "en": item.en[:200], "quality": item.quality, "detail": detail}


def _rules(items: Sequence[Judged], verdicts: Sequence[Verdict | None], settings: SelectSettings) -> dict:
    """Per rule: the pairs it left out (a pair breaking two rules counts for each) and, for a
    rule switched off (``--no-rule``), the pairs that broke it and were kept all the same."""
    out = {}
    for name in RULE_NAMES:
        hits = [(j, v) for j, v in zip(items, verdicts) if name in j.rejected_by]
        removed = [(j, v) for j, v in hits if v is not None and v.reason == REJECTED_BY_RULE]
        entry = {"removed": len(removed),
                 "sample": [_shown(j, dict(zip(j.rejected_by, j.details)).get(name, "")) for j, _ in removed[:SAMPLE]]}
        if name in settings.no_rules or settings.keep_rejected:
            entry["broken_but_kept"] = sum(1 for _, v in hits if v is None or v.reason != REJECTED_BY_RULE)
        out[name] = entry
    return out


def filter_audit(items: Sequence[Judged], verdicts: Sequence[Verdict | None], settings: SelectSettings) -> dict:
    """The audit of one accept decision (``select.decide``) over ``items``."""
    below = [(j, v) for j, v in zip(items, verdicts) if v is not None and v.reason == BELOW_MIN_QUALITY]
    duplicates = [(j, v) for j, v in zip(items, verdicts) if v is not None and v.reason == DUPLICATE]
    passing = [j.quality for j, v in zip(items, verdicts) if v is None or v.reason != REJECTED_BY_RULE]
    return {
        "pairs": len(items),
        "kept": sum(1 for v in verdicts if v is None),
        "rules": _rules(items, verdicts, settings),
        "rules_switched_off": list(settings.no_rules),
        "min_quality": {"threshold": settings.min_quality, "removed": len(below),
                        "kept_at": {str(t): sum(1 for q in passing if q >= t) for t in THRESHOLDS},
                        "sample": [_shown(j, v.detail) for j, v in below[:SAMPLE]]},
        "dedup": {"mode": settings.dedup or None, "removed": len(duplicates),
                  "sample": [_shown(j, v.detail) for j, v in duplicates[:SAMPLE]]},
    }


def audit_lines(audit: dict) -> list[str]:
    """The audit in a few lines of text, for the command line's summary.

    >>> audit_lines({"pairs": 3, "kept": 1, "rules": {"identical": {"removed": 1}}, "rules_switched_off": [],
    ...              "min_quality": {"threshold": 0.5, "removed": 1}, "dedup": {"mode": None, "removed": 0}})
    ['filters: 1 of 3 pairs kept; rules: identical 1; below min quality 0.5: 1']
    """
    rules = ", ".join(f"{name} {entry['removed']}" for name, entry in audit["rules"].items() if entry["removed"])
    parts = [f"filters: {audit['kept']} of {audit['pairs']} pairs kept", f"rules: {rules or 'none removed'}"]
    if audit["rules_switched_off"]:
        parts.append("switched off: " + ", ".join(audit["rules_switched_off"]))
    parts.append(f"below min quality {audit['min_quality']['threshold']}: {audit['min_quality']['removed']}")
    if audit["dedup"]["mode"]:
        parts.append(f"duplicates ({audit['dedup']['mode']}): {audit['dedup']['removed']}")
    return ["; ".join(parts)]
