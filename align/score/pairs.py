"""Scoring the pairs an aligner found: every signal, the hard rules and the quality."""

from __future__ import annotations

import numpy as np

from ..records import Candidate, OverlapEmbeddings, Pair, Section, Translation, join_sentences
from ..similarity import knn_mean
from .judge import judge
from .metrics import SentenceChrf
from .optional import optional_signals, wanted
from .quality import QualityModel
from .signals import PairEvidence


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


def evidence_of(candidate: Candidate, neighbours: dict[tuple[int, str], np.ndarray], k: int,
                translations: dict[str, Translation]) -> PairEvidence:
    zh_mt = join_sentences([translations[s.id].text for s in candidate.zh if s.id in translations], "en")
    en_mt = join_sentences([translations[s.id].text for s in candidate.en if s.id in translations], "zh")
    return PairEvidence(
        zh=join_sentences([s.text for s in candidate.zh], "zh"),
        en=join_sentences([s.text for s in candidate.en], "en"),
        zh_vec=candidate.zh_vec,
        en_vec=candidate.en_vec,
        zh_knn=float(knn_mean(candidate.zh_vec[None, :], neighbours[(candidate.group, "en")], k)[0]),
        en_knn=float(knn_mean(candidate.en_vec[None, :], neighbours[(candidate.group, "zh")], k)[0]),
        garble=max(s.garble for s in candidate.zh + candidate.en),
        zh_translation=zh_mt,
        en_translation=en_mt,
    )


def score_candidates(candidates: list[Candidate], neighbours: dict[tuple[int, str], np.ndarray], k: int,
                     model: QualityModel, translations: dict[str, Translation] | None = None,
                     encoder=None) -> list[Pair]:
    """A scored ``Pair`` for each candidate, sorted by document and position. Bitext pairs
    expect the length ratio of their own file (group). The optional signals a fitted model
    weighs are measured against these candidates (``encoder``: whose store e5 shares)."""
    translations = translations or {}
    evidence = [evidence_of(c, neighbours, k, translations) for c in candidates]
    files: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for c, e in zip(candidates, evidence):
        files.setdefault((c.group, c.method), []).append((e.zh, e.en))
    ratios = {key: model.length_ratio_for(key[1], texts) for key, texts in files.items()}
    extra = optional_signals([(e.zh, e.en) for e in evidence], wanted(model), encoder, k)
    pairs, chrf = [], SentenceChrf()
    for candidate, e, values in zip(candidates, evidence, extra):
        judged = judge(e, candidate.method, model, ratios[(candidate.group, candidate.method)], values, chrf=chrf)
        pairs.append(Pair(candidate.zh, candidate.en, candidate.method, judged.signals, judged.quality,
                          judged.rejected_by, zh_translation=e.zh_translation, en_translation=e.en_translation,
                          rule_details=judged.rule_details))
    return sorted(pairs, key=Pair.sort_key)
