"""Scoring the pairs an aligner found: every signal, the hard rules and the quality, by one
``Judge`` per group of related documents."""

from __future__ import annotations

import numpy as np

from ..records import Candidate, OverlapEmbeddings, Pair, Section, Translation, join_sentences
from .judge import ToJudge, judge_pairs
from .quality import QualityModel


def group_vectors(groups: list[set[str]], sections: list[Section],
                  embeddings: dict[str, OverlapEmbeddings]) -> dict[tuple[int, str], np.ndarray]:
    """The single-sentence vectors of each group of related sections, by language: the
    neighbourhood a pair's margin is measured against."""
    by_id = {s.id: s for s in sections}
    out: dict[tuple[int, str], np.ndarray] = {}
    for n, group in enumerate(groups):
        for lang in ("zh", "en"):
            parts = [embeddings[s].singles for s in sorted(group) if by_id[s].lang == lang]
            out[(n, lang)] = np.concatenate(parts) if parts else np.zeros((0, 1), np.float32)
    return out


def to_judge(candidate: Candidate, translations: dict[str, Translation]) -> ToJudge:
    """What the judge needs of a candidate: its joined texts, vectors, garble and translations."""
    zh_mt = join_sentences([translations[s.id].text for s in candidate.zh if s.id in translations], "en")
    en_mt = join_sentences([translations[s.id].text for s in candidate.en if s.id in translations], "zh")
    return ToJudge(join_sentences([s.text for s in candidate.zh], "zh"), join_sentences([s.text for s in candidate.en], "en"),
                   candidate.method, candidate.zh_vec, candidate.en_vec,
                   max(s.garble for s in candidate.zh + candidate.en), zh_mt, en_mt)


def score_candidates(candidates: list[Candidate], neighbours: dict[tuple[int, str], np.ndarray], k: int,
                     model: QualityModel, translations: dict[str, Translation] | None = None,
                     encoder=None) -> list[Pair]:
    """A scored ``Pair`` for each candidate, sorted by document and position: the candidates
    of each group judged together against the group's ``neighbours`` (bitext pairs expect the
    length ratio of their own file, which is a group). The optional signals a fitted model
    weighs are measured against the group's candidates (``encoder``: whose store e5 shares)."""
    translations = translations or {}
    by_group: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_group.setdefault(candidate.group, []).append(candidate)
    pairs = []
    for group, members in by_group.items():
        items = [to_judge(c, translations) for c in members]
        judged = judge_pairs(items, model, neighbours[(group, "zh")], neighbours[(group, "en")], k,
                             encoder=encoder)
        pairs.extend(Pair(c.zh, c.en, c.method, j.signals, j.quality, j.rejected_by, zh_translation=item.zh_translation,
                          en_translation=item.en_translation, rule_details=j.rule_details)
                     for c, item, j in zip(members, items, judged))
    return sorted(pairs, key=Pair.sort_key)
