"""Alignment of related sections: parallel alignment where a section pair is parallel, then
mining over what is left in each group of related sections. Every sentence not in a found
pair gets the reason it was left out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..records import Candidate, OverlapEmbeddings, PairDecision, Section, Sentence
from .mining import MiningSettings, mine, mine_paragraphs
from .parallel import ParallelSettings, align_sentences
from .sections import sections_of

NO_RELATED_DOCUMENT = "no_related_document"
OTHER_LANGUAGE_IN_PAIR = "other_language_in_document_pair"
NO_MATCH = "no_match_in_related_documents"
SKIPPED_BY_PARALLEL = "skipped_by_parallel_alignment"
COMPARABLE_PAIR = "the documents are paired by name or manifest, but their content is comparable, not parallel: mined"


@dataclass
class GroupAlignment:
    """Pairs found, the reason each left-over sentence was left out, and the groups of related
    sections (``group`` of a candidate indexes ``groups``)."""

    candidates: list[Candidate] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    groups: list[set[str]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    details: dict[str, str] = field(default_factory=dict)  # sentence id -> what its reason is about

    def skip(self, skipped: list[tuple[Sentence, str]]) -> None:
        """Sentences the parallel aligner left alone, with what they lay between."""
        for sentence, detail in skipped:
            self.reasons[sentence.id] = SKIPPED_BY_PARALLEL
            self.details[sentence.id] = detail

    def add(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)
        self.used.update(s.id for s in candidate.zh + candidate.en)


def parallel_order(decisions: list[PairDecision], by_id: dict[str, Section]) -> list[PairDecision]:
    """Parallel decisions, strongest first: same document, then coverage, then link cosine."""

    def strength(d: PairDecision):
        same_doc = by_id[d.zh_section].doc_id == by_id[d.en_section].doc_id
        return (not same_doc, -round(d.coverage, 6), -round(d.link_cosine, 6), d.zh_section, d.en_section)

    return sorted((d for d in decisions if d.kind == "parallel"), key=strength)


def align_parallel_pairs(result: GroupAlignment, decisions: list[PairDecision], by_id: dict[str, Section],
                         embeddings: dict[str, OverlapEmbeddings], settings: ParallelSettings,
                         group_of: dict[str, int]) -> None:
    """Align each parallel section pair; a section is aligned as parallel at most once."""
    for d in parallel_order(decisions, by_id):
        z, e = by_id[d.zh_section], by_id[d.en_section]
        if any(s.id in result.used for s in z.sentences + e.sentences):
            continue
        found, skipped = align_sentences((z.sentences, embeddings[z.id]), (e.sentences, embeddings[e.id]), settings,
                                         "parallel", group_of[z.id])
        for candidate in found:
            result.add(candidate)
        result.skip(skipped)


def concat_sections(sections: list[Section], embeddings: dict[str, OverlapEmbeddings]
                    ) -> tuple[OverlapEmbeddings, list[Sentence], np.ndarray]:
    """The sections' embeddings end to end, their sentences, and where each section ends."""
    if not sections:
        return OverlapEmbeddings(np.zeros((1, 0, 1), np.float32), np.zeros(0)), [], np.zeros(0, bool)
    vectors = np.concatenate([embeddings[s.id].vectors for s in sections], axis=1)
    lengths = np.concatenate([embeddings[s.id].lengths for s in sections])
    sentences = [x for s in sections for x in s.sentences]
    breaks = np.zeros(len(sentences), dtype=bool)
    breaks[np.cumsum([len(s.sentences) for s in sections]) - 1] = True
    return OverlapEmbeddings(vectors, lengths), sentences, breaks


def _slice(emb: OverlapEmbeddings, start: int, end: int) -> OverlapEmbeddings:
    """The embeddings of sentences ``start .. end - 1`` (runs reaching past ``end`` are never read)."""
    return OverlapEmbeddings(emb.vectors[:, start:end], emb.lengths[start:end])


def mine_paragraph_pairs(result: GroupAlignment, number: int, zh: tuple, en: tuple,
                         settings: MiningSettings, parallel: ParallelSettings) -> None:
    """Paragraphs that translate each other, found by margin, then aligned sentence by sentence
    inside each pair (monotonic, as parallel text; a many-to-many bead only where the
    paragraphs' margin reaches ``settings.run_threshold``); ``zh`` and ``en`` are
    (embeddings, sentences)."""
    (zh_emb, zh_sents), (en_emb, en_sents) = zh, en
    zh_ok = np.array([s.id not in result.used for s in zh_sents], dtype=bool)
    en_ok = np.array([s.id not in result.used for s in en_sents], dtype=bool)
    found = mine_paragraphs(zh_emb, [(s.doc_id, s.paragraph) for s in zh_sents], zh_ok,
                            en_emb, [(s.doc_id, s.paragraph) for s in en_sents], en_ok, settings)
    for (zs, ze), (es, ee), margin in found:
        found, _skipped = align_sentences((zh_sents[zs:ze], _slice(zh_emb, zs, ze)),
                                          (en_sents[es:ee], _slice(en_emb, es, ee)), parallel, "mined", number)
        for candidate in found:  # skipped sentences stay available to sentence mining
            if len(candidate.zh) > 1 and len(candidate.en) > 1 and margin < settings.run_threshold:
                continue  # a many-to-many bead of a paragraph pair on weak evidence: mined one by one
            result.add(candidate)


def mine_group(result: GroupAlignment, number: int, group: set[str], by_id: dict[str, Section],
               embeddings: dict[str, OverlapEmbeddings], settings: MiningSettings,
               parallel: ParallelSettings = ParallelSettings()) -> None:
    """Mine the sentences of one group that parallel alignment did not use: paragraph pairs
    first (with ``settings.paragraph_threshold``), then single sentences and runs of two."""
    zh_emb, zh_sents, zh_breaks = concat_sections([by_id[s] for s in sorted(group) if by_id[s].lang == "zh"], embeddings)
    en_emb, en_sents, en_breaks = concat_sections([by_id[s] for s in sorted(group) if by_id[s].lang == "en"], embeddings)
    if settings.paragraph_threshold and zh_sents and en_sents:
        mine_paragraph_pairs(result, number, (zh_emb, zh_sents), (en_emb, en_sents), settings, parallel)
    zh_ok = np.array([s.id not in result.used for s in zh_sents], dtype=bool)
    en_ok = np.array([s.id not in result.used for s in en_sents], dtype=bool)
    beads = mine(zh_emb, en_emb, settings, zh_ok, en_ok, en_breaks, zh_breaks) if zh_ok.any() and en_ok.any() else []
    for bead in beads:
        result.add(Candidate(tuple(zh_sents[i] for i in bead.src), tuple(en_sents[j] for j in bead.tgt), "mined",
                             zh_emb.run(bead.src[0], len(bead.src)), en_emb.run(bead.tgt[0], len(bead.tgt)), number))
    for s in zh_sents + en_sents:
        if s.id not in result.used:
            result.reasons.setdefault(s.id, NO_MATCH)


def align_group(number: int, sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                decisions: list[PairDecision], parallel: ParallelSettings = ParallelSettings(),
                mining: MiningSettings = MiningSettings()) -> GroupAlignment:
    """One group of related ``sections`` (numbered ``number``) with the decisions between
    them: parallel alignment, then mining, and a reason for every sentence left over. Groups
    share no sentence, so each can be aligned on its own (and anywhere)."""
    by_id = {s.id: s for s in sections}
    result = GroupAlignment(groups=[set(by_id)])
    align_parallel_pairs(result, decisions, by_id, embeddings, parallel, dict.fromkeys(by_id, number))
    mine_group(result, number, set(by_id), by_id, embeddings, mining, parallel)
    for s_id in result.used:
        result.reasons.pop(s_id, None)
        result.details.pop(s_id, None)
    return result


def align_document_pair(number: int, sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                        documents: tuple[tuple[str, ...], tuple[str, ...]],
                        parallel: ParallelSettings = ParallelSettings()) -> GroupAlignment:
    """A Chinese document and its English counterpart (paired by name or manifest) aligned
    as one parallel text: all the Chinese sentences of the one against all the English
    sentences of the other, monotonically, no bead across a block. Text of the other
    language inside either document (an English paragraph left untranslated in the Chinese
    page) is left out with its reason. ``documents``: the Chinese and the English documents
    (a chapter and those that continue it, one after the other)."""
    zh_docs, en_docs = documents
    zh, en = sections_of(sections, zh_docs, "zh"), sections_of(sections, en_docs, "en")
    zh_emb, zh_sents, _ = concat_sections(zh, embeddings)
    en_emb, en_sents, _ = concat_sections(en, embeddings)
    result = GroupAlignment(groups=[{s.id for s in sections}])
    found, skipped = align_sentences((zh_sents, zh_emb), (en_sents, en_emb), parallel, "parallel", number)
    for candidate in found:
        result.add(candidate)
    result.skip(skipped)
    used = {s.id for s in zh + en}
    for section in sections:
        if section.id in used:
            continue
        where = "English text in the Chinese document" if section.doc_id in zh_docs else "Chinese text in the English document"
        for sentence in section.sentences:
            result.reasons[sentence.id] = OTHER_LANGUAGE_IN_PAIR
            result.details[sentence.id] = f"{where} of a pair"
    return result


def align_comparable_pair(number: int, sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                          documents: tuple[tuple[str, ...], tuple[str, ...]], mining: MiningSettings = MiningSettings(),
                          parallel: ParallelSettings = ParallelSettings()) -> GroupAlignment:
    """A document pair (by name or manifest) whose content is comparable, not parallel: the
    Chinese sentences of the one mined against the English sentences of the other (paragraph
    pairs first, then sentences), as the content pairing mines comparable sections. Text of
    the other language inside either document is left out with its reason."""
    zh_docs, en_docs = documents
    by_id = {s.id: s for s in sections}
    own = {s.id for s in sections_of(sections, zh_docs, "zh") + sections_of(sections, en_docs, "en")}
    result = GroupAlignment(groups=[set(by_id)])
    mine_group(result, number, own, by_id, embeddings, mining, parallel)
    for s_id in result.used:
        result.reasons.pop(s_id, None)
    for section in sections:
        for sentence in section.sentences:
            if section.id not in own:
                where = "English text in the Chinese document" if section.doc_id in zh_docs else \
                    "Chinese text in the English document"
                result.reasons[sentence.id] = OTHER_LANGUAGE_IN_PAIR
                result.details[sentence.id] = f"{where} of a pair"
            elif sentence.id not in result.used:
                result.details[sentence.id] = COMPARABLE_PAIR
    return result


def decisions_by_group(decisions: list[PairDecision], groups: list[set[str]]) -> list[list[PairDecision]]:
    """The decisions that joined each group (unrelated ones join none)."""
    group_of = {sid: n for n, group in enumerate(groups) for sid in group}
    out: list[list[PairDecision]] = [[] for _ in groups]
    for d in decisions:
        if d.kind != "unrelated":
            out[group_of[d.zh_section]].append(d)
    return out


def unrelated_reasons(sections: list[Section], groups: list[set[str]]) -> dict[str, str]:
    """``no_related_document`` for every sentence of a section in no group."""
    grouped = set().union(*groups) if groups else set()
    return {s.id: NO_RELATED_DOCUMENT for section in sections if section.id not in grouped for s in section.sentences}
