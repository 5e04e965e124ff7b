"""``align run``: the stages in order, each a function of the previous stage's records.

``run(inputs, config, encoder)`` returns a ``RunResult`` and writes nothing; the exporters
write it. Stage timings go into the result (and only into ``run.json``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .aligner.documents import decide_pairs
from .aligner.groups import align_groups
from .aligner.interleaved import align_interleaved_documents, interleaved_documents
from .aligner.sections import build_sections
from .config import RunConfig
from .embed import Encoder, embed_overlaps
from .errors import InputError
from .garble import GarbleMeter
from .ingest import IngestSettings, ingest
from .normalize import NormalizedParagraph, Normalizer, NormalizeSettings
from .normalize.fixers import to_simplified
from .bitext import BitextInput, prepare_bitext
from .records import OverlapEmbeddings, Pair, Prepared, RunResult, Section, Sentence, SkippedFile, Unaligned
from .score.pairs import group_vectors, score_candidates
from .score.quality import load_quality_model
from .score.dedup import dedup_pairs
from .score.select import select_pairs
from .segment import segment
from .translate.stage import translate_sentences

Progress = Callable | None


def _reasons(skipped: list[SkippedFile]) -> str:
    return "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])


def prepare(inputs, settings: NormalizeSettings = NormalizeSettings(), progress: Progress = None,
            reading: IngestSettings = IngestSettings(), require_both: bool = True) -> Prepared:
    """Ingest, normalize and segment; files with no Chinese or English text are skipped."""
    docs, skipped = ingest(inputs, reading.input_format)
    if not docs:
        raise InputError(f"no readable input files ({_reasons(skipped)})")
    kept, texts = [], {}
    for document, text in docs:
        if {p.lang for p in document.paragraphs} & {"zh", "en"}:
            kept.append(document)
            if reading.keep_extracted:
                texts[document.doc_id] = text
        else:
            skipped.append(SkippedFile(document.path, "no Chinese or English text (another language?)"))
    if not kept:
        raise InputError(f"no readable Chinese or English input ({_reasons(skipped)})")
    normalizer = Normalizer(settings)
    paragraphs: dict[str, list[NormalizedParagraph]] = {}
    sentences: list[Sentence] = []
    for document in progress(kept, desc="normalize", unit="file") if progress else kept:
        paragraphs[document.doc_id] = list(normalizer.paragraphs(document.paragraphs))
        sentences.extend(segment(paragraphs[document.doc_id], GarbleMeter.of))
    langs = {s.lang for s in sentences}
    if require_both and ("zh" not in langs or "en" not in langs):
        missing = "Chinese" if "zh" not in langs else "English"
        also = f" (skipped: {_reasons(sorted(skipped, key=lambda s: s.path))})" if skipped else ""
        raise InputError(f"no {missing} text found in the input: nothing to align{also}")
    skipped.sort(key=lambda s: s.path)
    return Prepared(kept, skipped, paragraphs, sentences, texts)


def embed_sections(sections: list[Section], encoder: Encoder, max_overlap: int,
                   progress: Progress = None, simplified: bool = False) -> dict[str, OverlapEmbeddings]:
    """Overlap embeddings of every section; with ``simplified``, Chinese is embedded in its
    Simplified form (the text itself is left as written)."""
    out = {}
    for section in progress(sections, desc="embed", unit="section") if progress else sections:
        texts = section.texts
        if simplified and section.lang == "zh":
            texts = [to_simplified(t) for t in texts]
        out[section.id] = embed_overlaps(encoder, texts, max_overlap, section.lang)
    return out


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start


def read_inputs(inputs, config: RunConfig, encoder: Encoder, progress: Progress = None) -> tuple[Prepared, BitextInput]:
    """Documents (ingest, normalize, segment) and bitext (read, normalize, embed); the bitext
    sentences join the prepared ones so that every sentence is accounted for."""
    inputs = list(inputs)
    prepared = (prepare(inputs, config.normalize, progress, config.ingest, require_both=not config.bitext)
                if inputs else Prepared([], [], {}, []))
    bitext = prepare_bitext(config.bitext, Normalizer(config.normalize), encoder,
                            {d.doc_id for d in prepared.documents})
    prepared.documents.extend(bitext.documents)
    prepared.paragraphs.update(bitext.paragraphs)
    prepared.sentences.extend(bitext.sentences)
    return prepared, bitext


def select(scored: list[Pair], config: RunConfig) -> tuple[list[Pair], list[Unaligned], int]:
    """The accept decision, then (with ``--dedup``) one copy of each duplicate pair."""
    kept, dropped = select_pairs(scored, config.select)
    if not config.select.dedup:
        return kept, dropped, 0
    before = len(kept)
    kept, duplicates = dedup_pairs(kept)
    return kept, dropped + duplicates, before - len(kept)


def run(inputs, config: RunConfig, encoder: Encoder, progress: Progress = None) -> RunResult:
    """Run every stage on ``inputs`` (files and folders) and ``config.bitext``, and return what
    the exporters need."""
    timings: dict[str, float] = {}
    model = load_quality_model()
    with _timed(timings, "ingest_normalize_segment"):
        prepared, bitext = read_inputs(inputs, config, encoder, progress)
    with _timed(timings, "translate"):
        translations, translation_report = translate_sentences(prepared.sentences, config.translate, progress)
    with _timed(timings, "embed"):
        sections = build_sections(s for s in prepared.sentences if s.doc_id not in bitext.paragraphs)
        embeddings = embed_sections(sections, encoder, config.max_overlap, progress, config.match_simplified)
    with _timed(timings, "align"):
        interleaved = interleaved_documents(sections, embeddings, config.interleaved)
        general = [s for s in sections if s.doc_id not in interleaved]
        decisions = decide_pairs(general, embeddings, config.pairing, progress=progress)
        aligned = align_groups(general, embeddings, decisions, config.parallel, config.mining, progress)
        groups, found, reasons = align_interleaved_documents(sections, embeddings, interleaved, config.parallel,
                                                             len(aligned.groups))
        aligned.groups += groups
        aligned.candidates += found
        aligned.reasons.update(reasons)
    with _timed(timings, "score"):
        neighbours = {**group_vectors(aligned.groups, sections, embeddings), **bitext.neighbours}
        scored = score_candidates(aligned.candidates + bitext.candidates, neighbours, config.mining.k, model,
                                  translations)
        kept, dropped, duplicate_pairs = select(scored, config)
        by_id = {s.id: s for s in prepared.sentences}
        unaligned = [Unaligned(by_id[sid], reason) for sid, reason in aligned.reasons.items()]
        unaligned += bitext.unaligned + dropped
        unaligned.sort(key=lambda u: (u.sentence.doc_id, u.sentence.lang, u.sentence.index))
    tags = (config.zh_tag or (bitext.tags or ("zh", "en"))[0], config.en_tag or (bitext.tags or ("zh", "en"))[1])
    return RunResult(prepared, sections, decisions, kept, scored, unaligned, translations, translation_report,
                     encoder.signature, model.length_ratio, timings, duplicate_pairs, tags, tuple(sorted(interleaved)))
