"""``align run``: the stages wired together. Each step is a function of the previous step's records."""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np

from . import __version__
from .aligner.documents import PairDecision, PairingSettings, classify_pair
from .aligner.mining import MiningSettings, knn_mean, mine
from .aligner.parallel import ParallelSettings, align_parallel
from .embed import Encoder, OverlapEmbeddings, embed_overlaps
from .errors import InputError
from .garble import sentence_garble
from .ingest import SkippedFile, ingest
from .normalize import NormalizedParagraph, normalize_paragraphs
from .records import Document, Edit, Pair, Sentence, Unaligned
from .score.hardrules import broken_rules
from .score.quality import length_deviation, load_quality_model
from .sections import Section, build_sections
from .segment import segment
from .translate.base import Translation
from .translate.stage import TranslateSettings, translate_sentences

log = logging.getLogger("align")
JOINER = {"zh": "", "en": " "}


@dataclass(frozen=True)
class RunSettings:
    encoder: str = "use"
    t2s: bool = False
    min_quality: float = 0.0
    keep_rejected: bool = False
    parallel: ParallelSettings = field(default_factory=ParallelSettings)
    mining: MiningSettings = field(default_factory=MiningSettings)
    pairing: PairingSettings = field(default_factory=PairingSettings)
    translate: TranslateSettings = field(default_factory=TranslateSettings)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["signatures"] = {
            "parallel": self.parallel.signature(),
            "mining": self.mining.signature(),
            "pairing": self.pairing.signature(),
        }
        return d


@dataclass
class Prepared:
    """Output of ingest → normalize → segment."""

    documents: list[Document]
    skipped: list[SkippedFile]
    paragraphs: dict[str, list[NormalizedParagraph]]
    sentences: list[Sentence]

    @property
    def edits(self) -> list[Edit]:
        return [e for paras in self.paragraphs.values() for p in paras for e in p.edits]


@dataclass
class Aligned:
    pairs: list[Pair]
    unaligned: list[Unaligned]
    decisions: list[PairDecision]


def prepare(inputs, t2s: bool = False) -> Prepared:
    docs, skipped = ingest(inputs)
    if not docs:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
        raise InputError(f"no readable input files ({reasons})")
    paragraphs: dict[str, list[NormalizedParagraph]] = {}
    sentences: list[Sentence] = []
    kept: list[tuple[Document, str]] = []
    for document, text in docs:
        langs = {p.lang for p in document.paragraphs}
        if not langs & {"zh", "en"}:
            skipped.append(SkippedFile(document.path, "no Chinese or English text (another language?)"))
            continue
        kept.append((document, text))
    if not kept:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
        raise InputError(f"no readable Chinese or English input ({reasons})")
    for document, _text in kept:
        paras = list(normalize_paragraphs(document.paragraphs, t2s=t2s))
        paragraphs[document.doc_id] = paras
        sentences.extend(segment(paras, sentence_garble))
    langs = {s.lang for s in sentences}
    if "zh" not in langs or "en" not in langs:
        missing = "Chinese" if "zh" not in langs else "English"
        raise InputError(f"no {missing} text found in the input: nothing to align")
    skipped.sort(key=lambda s: s.path)
    return Prepared([d for d, _ in kept], skipped, paragraphs, sentences)


def embed_sections(sections: list[Section], encoder: Encoder, max_overlap: int, progress=None) -> dict[str, OverlapEmbeddings]:
    out = {}
    for section in progress(sections, desc="embed", unit="section") if progress else sections:
        out[section.id] = embed_overlaps(encoder, section.texts, max_overlap, JOINER[section.lang])
    return out


def decide_pairs(sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                 settings: PairingSettings, candidates: int = 8) -> list[PairDecision]:
    """Class every candidate Chinese-English section pair. Candidates for a Chinese section are
    the English sections of its own document and the ``candidates`` English sections with the
    most similar centroids, so the work grows linearly with the number of sections."""
    zh = [s for s in sections if s.lang == "zh"]
    en = [s for s in sections if s.lang == "en"]
    if not zh or not en:
        return []
    centroids = {}
    for s in zh + en:
        c = embeddings[s.id].vectors[0].mean(axis=0)
        centroids[s.id] = c / (np.linalg.norm(c) + 1e-9)
    en_matrix = np.stack([centroids[e.id] for e in en])
    decisions = []
    for z in zh:
        sims = en_matrix @ centroids[z.id]
        chosen = set(np.argsort(-sims, kind="stable")[:candidates].tolist())
        chosen |= {i for i, e in enumerate(en) if e.doc_id == z.doc_id}
        for i in sorted(chosen):
            e = en[i]
            decisions.append(classify_pair(z.id, e.id, embeddings[z.id].vectors[0], embeddings[e.id].vectors[0], settings))
    return decisions


def _components(decisions: list[PairDecision]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in decisions:
        if d.kind != "unrelated":
            parent[find(d.zh_section)] = find(d.en_section)
    groups: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    return sorted(groups.values(), key=lambda g: sorted(g))


@dataclass(frozen=True)
class _RawPair:
    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    method: str
    zh_vec: np.ndarray
    en_vec: np.ndarray
    component: int


def align_sections(sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                   decisions: list[PairDecision], settings: RunSettings) -> tuple[list[_RawPair], dict[str, str], list[set[str]]]:
    """Parallel alignment for parallel section pairs, then mining over what is left in each
    group of related sections. Returns raw pairs and, for every sentence left over, a reason."""
    by_id = {s.id: s for s in sections}
    used: set[str] = set()
    reasons: dict[str, str] = {}
    raw: list[_RawPair] = []
    components = _components(decisions)
    component_of = {sid: n for n, comp in enumerate(components) for sid in comp}

    def strength(d: PairDecision):
        same_doc = by_id[d.zh_section].doc_id == by_id[d.en_section].doc_id
        return (not same_doc, -round(d.coverage, 6), -round(d.link_cosine, 6), d.zh_section, d.en_section)

    for d in sorted((d for d in decisions if d.kind == "parallel"), key=strength):
        z, e = by_id[d.zh_section], by_id[d.en_section]
        if any(s.id in used for s in z.sentences + e.sentences):
            continue  # each section is aligned as parallel at most once
        for bead in align_parallel(embeddings[z.id], embeddings[e.id], settings.parallel):
            if bead.src and bead.tgt:
                zs = tuple(z.sentences[i] for i in bead.src)
                es = tuple(e.sentences[j] for j in bead.tgt)
                used.update(s.id for s in zs + es)
                raw.append(_RawPair(zs, es, "parallel",
                                    embeddings[z.id].vectors[len(bead.src) - 1][bead.src[0]],
                                    embeddings[e.id].vectors[len(bead.tgt) - 1][bead.tgt[0]],
                                    component_of[z.id]))
            else:
                for i in bead.src:
                    reasons[z.sentences[i].id] = "skipped_by_parallel_alignment"
                for j in bead.tgt:
                    reasons[e.sentences[j].id] = "skipped_by_parallel_alignment"

    for number, component in enumerate(components):
        zh_secs = [by_id[s] for s in sorted(component) if by_id[s].lang == "zh"]
        en_secs = [by_id[s] for s in sorted(component) if by_id[s].lang == "en"]
        zh_emb, zh_sents, zh_breaks = _concat(zh_secs, embeddings)
        en_emb, en_sents, en_breaks = _concat(en_secs, embeddings)
        zh_ok = np.array([s.id not in used for s in zh_sents], dtype=bool)
        en_ok = np.array([s.id not in used for s in en_sents], dtype=bool)
        beads = mine(zh_emb, en_emb, settings.mining, zh_ok, en_ok, en_breaks, zh_breaks) if zh_ok.any() and en_ok.any() else []
        for bead in beads:
            zs = tuple(zh_sents[i] for i in bead.src)
            es = tuple(en_sents[j] for j in bead.tgt)
            used.update(s.id for s in zs + es)
            raw.append(_RawPair(zs, es, "mined", zh_emb.vectors[len(zs) - 1][bead.src[0]],
                                en_emb.vectors[len(es) - 1][bead.tgt[0]], number))
        for s in zh_sents + en_sents:
            if s.id not in used:
                reasons.setdefault(s.id, "no_match_in_related_documents")
    for section in sections:
        if section.id not in component_of:
            for s in section.sentences:
                reasons.setdefault(s.id, "no_related_document")
    for s_id in used:
        reasons.pop(s_id, None)
    return raw, reasons, components


def _concat(sections: list[Section], embeddings: dict[str, OverlapEmbeddings]):
    if not sections:
        return OverlapEmbeddings(np.zeros((1, 0, 1), np.float32), np.zeros(0)), [], np.zeros(0, bool)
    vectors = np.concatenate([embeddings[s.id].vectors for s in sections], axis=1)
    lengths = np.concatenate([embeddings[s.id].lengths for s in sections])
    sentences = [x for s in sections for x in s.sentences]
    breaks = np.zeros(len(sentences), dtype=bool)
    pos = 0
    for s in sections:
        pos += len(s.sentences)
        breaks[pos - 1] = True
    return OverlapEmbeddings(vectors, lengths), sentences, breaks


def score_pairs(raw: list[_RawPair], sections: list[Section], embeddings: dict[str, OverlapEmbeddings],
                components: list[set[str]], k: int,
                translations: dict[str, Translation] | None = None) -> tuple[list[Pair], float]:
    """Compute every signal and the combined quality for each raw pair."""
    from .score.metrics import sentence_chrf

    translations = translations or {}
    model = load_quality_model()
    by_id = {s.id: s for s in sections}
    singles: dict[tuple[int, str], np.ndarray] = {}
    for n, comp in enumerate(components):
        for lang in ("zh", "en"):
            secs = [embeddings[s].vectors[0] for s in sorted(comp) if by_id[s].lang == lang]
            singles[(n, lang)] = np.concatenate(secs) if secs else np.zeros((0, 1), np.float32)
    ratio = model_length_ratio()
    pairs = []
    for r in raw:
        cos = float(r.zh_vec @ r.en_vec)
        kx = float(knn_mean(r.zh_vec[None, :], singles[(r.component, "en")], k)[0])
        ky = float(knn_mean(r.en_vec[None, :], singles[(r.component, "zh")], k)[0])
        margin = cos / max(1e-6, (kx + ky) / 2)
        zh_text = "".join(s.text for s in r.zh)
        en_text = " ".join(s.text for s in r.en)
        dev = length_deviation(len(zh_text), len(en_text), ratio)
        garble = max(s.garble for s in r.zh + r.en)
        values = {"cosine": round(cos, 4), "margin": round(margin, 4), "length_deviation": round(dev, 4),
                  "garble": round(garble, 4)}
        zh_mt = " ".join(translations[s.id].text for s in r.zh if s.id in translations)
        en_mt = "".join(translations[s.id].text for s in r.en if s.id in translations)
        if zh_mt:
            values["mt_chrf_zh_en"] = round(sentence_chrf(zh_mt, en_text, "en"), 4)
        if en_mt:
            values["mt_chrf_en_zh"] = round(sentence_chrf(en_mt, zh_text, "zh"), 4)
        quality = model.score(values, garble)
        pairs.append(Pair(r.zh, r.en, r.method, values, round(quality, 4), broken_rules(zh_text, en_text),
                          zh_translation=zh_mt, en_translation=en_mt))
    return pairs, ratio


def model_length_ratio() -> float:
    import json
    from importlib import resources

    data = json.loads(resources.files("align").joinpath("data", "quality_model.json").read_text(encoding="utf-8"))
    return float(data.get("length_ratio", 3.0))


def select_pairs(pairs: list[Pair], min_quality: float, keep_rejected: bool) -> tuple[list[Pair], list[Unaligned]]:
    kept, dropped = [], []
    for pair in pairs:
        if pair.rejected_by and not keep_rejected:
            reason, detail = "rejected_by_rule", ",".join(pair.rejected_by)
        elif pair.quality < min_quality:
            reason, detail = "below_min_quality", f"quality {pair.quality:.4f} < {min_quality}"
        else:
            kept.append(pair)
            continue
        for s in pair.zh + pair.en:
            other = pair.en_text if s.lang == "zh" else pair.zh_text
            dropped.append(Unaligned(s, reason, f"{detail}; paired with: {other[:200]}"))
    return kept, dropped


def pair_sort_key(pair: Pair):
    return (pair.zh[0].doc_id, pair.zh[0].index, pair.en[0].doc_id, pair.en[0].index)


def run_pipeline(inputs, settings: RunSettings, encoder: Encoder, progress=None) -> dict:
    """Run every stage and return everything the exporters need (pure: writes nothing)."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    prepared = prepare(inputs, settings.t2s)
    timings["ingest_normalize_segment"] = time.perf_counter() - t

    t = time.perf_counter()
    translations, translation_report = translate_sentences(prepared.sentences, settings.translate, progress)
    timings["translate"] = time.perf_counter() - t

    t = time.perf_counter()
    sections = build_sections(prepared.sentences)
    max_overlap = max(settings.parallel.max_bead, settings.mining.max_run)
    embeddings = embed_sections(sections, encoder, max_overlap, progress)
    timings["embed"] = time.perf_counter() - t

    t = time.perf_counter()
    decisions = decide_pairs(sections, embeddings, settings.pairing)
    raw, reasons, components = align_sections(sections, embeddings, decisions, settings)
    timings["align"] = time.perf_counter() - t

    t = time.perf_counter()
    scored, ratio = score_pairs(raw, sections, embeddings, components, settings.mining.k, translations)
    scored.sort(key=pair_sort_key)
    kept, dropped = select_pairs(scored, settings.min_quality, settings.keep_rejected)
    by_id = {s.id: s for s in prepared.sentences}
    unaligned = [Unaligned(by_id[sid], reason) for sid, reason in reasons.items()] + dropped
    unaligned.sort(key=lambda u: (u.sentence.doc_id, u.sentence.lang, u.sentence.index))
    timings["score"] = time.perf_counter() - t
    return {
        "prepared": prepared,
        "sections": sections,
        "decisions": decisions,
        "pairs": kept,
        "all_pairs": scored,
        "unaligned": unaligned,
        "length_ratio": ratio,
        "translations": translations,
        "translation": translation_report,
        "timings": timings,
        "encoder": encoder.signature,
        "version": __version__,
    }


def sentence_accounting(result: dict) -> dict[str, dict[str, int]]:
    """Per document: sentences after segmentation, in exported pairs, and unaligned."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for s in result["prepared"].sentences:
        counts[s.doc_id]["sentences"] += 1
    for p in result["pairs"]:
        for s in p.zh + p.en:
            counts[s.doc_id]["in_pairs"] += 1
    for u in result["unaligned"]:
        counts[u.sentence.doc_id]["unaligned"] += 1
    return {doc: {k: c[k] for k in ("sentences", "in_pairs", "unaligned")} for doc, c in sorted(counts.items())}
