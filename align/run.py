"""``align run``: the stages in order, each a function of the previous stage's records.

``run(inputs, config, encoder)`` returns a ``RunResult`` and writes nothing; the exporters
write it. Stage timings go into the result (and only into ``run.json``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import MappingProxyType

import numpy as np

from .aligner.chapters import pair_chapters
from .aligner.documents import check_document_pairs, decide_pairs
from .aligner.groups import unrelated_reasons
from .aligner.interleaved import interleaved_documents
from .aligner.names import DocumentPair, document_pairs
from .aligner.sections import build_sections
from .aligner.work import BitextFile, GroupSettings, GroupWork, KeyedFiles, RelatedGroup, plan_groups
from .bitext import BitextInput, prepare_bitext
from .config import RunConfig
from .batching import chunked
from .embed import Encoder, assemble_overlaps, overlap_texts, texts_to_embed
from .errors import InputError
from .mapper import Mapper, in_process, map_largest_first
from .ingest import FoundInputs, IngestSettings, find_inputs, ingest, nothing_found, read_files
from .keyed import KeyedInput, prepare_keyed
from .normalize import Normalizer, NormalizeSettings
from .language import DEFAULT_TAGS, NEUTRAL, is_han
from .normalize.fixers import to_simplified
from .records import (LANGS, NormalizedParagraph, OverlapEmbeddings, Pair, PairDecision, Prepared, RunResult, Section, Selection,
                      Sentence, SkippedFile, Translation, Unaligned)
from .score.audit import filter_audit
from .score.dedup import DUPLICATE
from .score.judge import quality_model
from .score.select import Judged, decide, unaligned_of
from .tasks import NormalizeItem, align_and_score, batch_groups, embed_texts, normalize_documents
from .translate.stage import collect_translations, plan_translation, translate_texts

Progress = Callable | None
DOCUMENTS_PER_TASK = 16  # documents a normalization task gets at most
TASKS_PER_WORKER = 4  # fewer documents a task when there are few, so that every worker gets some
BATCHES_PER_TASK = 4  # encoder batches an embedding task gets
SENTENCES_PER_ALIGN_TASK = 500  # small groups of related sections travel together
NEUTRAL_TEXT = "neutral_text"
OTHER_LANGUAGE = "other_language"


def _reasons(skipped: list[SkippedFile]) -> str:
    return "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])


def prepare(inputs, settings: NormalizeSettings = NormalizeSettings(), progress: Progress = None,
            reading: IngestSettings = IngestSettings(), require_both: bool = True,
            mapper: Mapper | None = None) -> Prepared:
    """Ingest, normalize and segment ``inputs`` (files and folders, or the ``FoundInputs`` of a
    walk, whose documents are read); files with no Chinese or English text are skipped.
    Normalization and segmentation run on ``mapper`` (default: this process), a few
    documents a task."""
    if isinstance(inputs, FoundInputs):
        docs, skipped = read_files(inputs.documents, list(inputs.skipped), reading.input_format, reading.limits, progress,
                                   mapper)
    else:
        docs, skipped = ingest(inputs, reading.input_format, reading.limits, progress)
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
    mapper = mapper or in_process()
    per_task = min(DOCUMENTS_PER_TASK, -(-len(kept) // (TASKS_PER_WORKER * mapper.workers)))
    items = [NormalizeItem(chunk, settings) for chunk in chunked(kept, per_task)]
    costs = [sum(p.end - p.start for d in item.documents for p in d.paragraphs) for item in items]
    paragraphs: dict[str, list[NormalizedParagraph]] = {}
    sentences: list[Sentence] = []
    for done in map_largest_first(mapper, normalize_documents, items, costs, "normalize", progress):
        for doc_id, normalized, segmented in done:
            paragraphs[doc_id] = normalized
            sentences.extend(segmented)
    langs = {s.lang for s in sentences}
    if require_both and ("zh" not in langs or "en" not in langs):
        missing = "Chinese" if "zh" not in langs else "English"
        also = f" (skipped: {_reasons(sorted(skipped, key=lambda s: s.path))})" if skipped else ""
        raise InputError(f"no {missing} text found in the input: nothing to align{also}")
    skipped.sort(key=lambda s: s.path)
    return Prepared(kept, skipped, paragraphs, sentences, texts)


def embed_sections(sections: list[Section], encoder: Encoder, max_overlap: int, progress: Progress = None,
                   simplified: bool | frozenset[str] = False, mapper: Mapper | None = None
                   ) -> dict[str, OverlapEmbeddings]:
    """Overlap embeddings of every section; with ``simplified`` (true, or a set of document
    ids), Chinese is embedded in its Simplified form (the text itself is left as written). The distinct texts of all sections
    are embedded shortest first in batches of the encoder's size, a few batches a task on
    ``mapper``; ``encoder`` (the driver's) gives the batch size and the text limit."""
    mapper = mapper or in_process(encoder)
    layers = []
    for section in sections:
        texts = section.texts
        if section.lang == "zh" and (simplified is True or (simplified and section.doc_id in simplified)):
            texts = [to_simplified(t) for t in texts]
        layers.append(overlap_texts(texts, max_overlap, section.lang))
    todo = texts_to_embed(layers, encoder.max_chars)
    items = chunked(chunked(todo, encoder.batch_size), BATCHES_PER_TASK)
    costs = [sum(len(t) for batch in item for t in batch) for item in items]
    vectors: dict[str, np.ndarray] = {}
    for item, found in zip(items, map_largest_first(mapper, embed_texts, items, costs, "embed", progress)):
        for batch, array in zip(item, found):
            vectors.update(zip(batch, array))
    dim = next(iter(vectors.values())).shape[0] if vectors else (encoder.dim or 1)
    return {section.id: assemble_overlaps(layer, section.texts, vectors, encoder.max_chars, dim, section.lang)
            for section, layer in zip(sections, layers)}


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start


def read_inputs(inputs, config: RunConfig, progress: Progress = None,
                mapper: Mapper | None = None) -> tuple[Prepared, BitextInput, KeyedInput]:
    """Documents (ingest, normalize, segment), bitext (read, normalize) and string files (read,
    paired by key, normalized); the bitext and string-file documents and sentences are among
    the prepared ones, so that every sentence is translated and accounted for."""
    found = find_inputs(list(inputs))  # one walk: documents, TMX/XLIFF/PO files in folders, string files
    bitext_paths = tuple(config.bitext) + tuple(str(p) for p in found.bitext)
    strings = list(found.strings)  # Android, JSON, .properties, .strings, ... files: paired by key
    if not found.documents and not bitext_paths and not strings:
        raise InputError(nothing_found(list(found.skipped)))
    prepared = (prepare(found, config.normalize, progress, config.ingest,
                        require_both=not bitext_paths and not strings, mapper=mapper)
                if found.documents else Prepared([], list(found.skipped), {}, []))
    bitext = prepare_bitext(bitext_paths, Normalizer(config.normalize), {d.doc_id for d in prepared.documents})
    taken = {d.doc_id for d in prepared.documents} | bitext.documents
    keyed = prepare_keyed(strings, Normalizer(config.normalize), taken, -len(bitext.parts) - 1)
    if strings and not keyed.parts and not bitext.parts and not prepared.documents:
        raise InputError(f"no pair of Chinese and English string files found ({_reasons(list(keyed.skipped))})")
    documents = [p.document for p in bitext.parts] + [d for p in keyed.parts for d in p.documents]
    paragraphs = {**{p.document.doc_id: list(p.paragraphs) for p in bitext.parts},
                  **{doc: list(paras) for p in keyed.parts for doc, paras in p.paragraphs.items()}}
    return replace(prepared, documents=prepared.documents + documents, paragraphs={**prepared.paragraphs, **paragraphs},
                   sentences=prepared.sentences + [s for p in bitext.parts + keyed.parts for s in p.sentences],
                   skipped=sorted(prepared.skipped + list(keyed.skipped), key=lambda s: s.path)), bitext, keyed


def select(scored: list[Pair], config: RunConfig) -> Selection:
    """The accept decision (hard rules, minimum quality, then ``--dedup``), with its audit."""
    items = [Judged.of_pair(p) for p in scored]
    verdicts = decide(items, config.select)
    kept = [p for p, v in zip(scored, verdicts) if v is None]
    dropped = [u for p, v in zip(scored, verdicts) if v is not None for u in unaligned_of(p, v)]
    duplicates = sum(1 for v in verdicts if v is not None and v.reason == DUPLICATE)
    return Selection(kept, dropped, duplicates, filter_audit(items, verdicts, config.select))


def bitext_items(bitext: BitextInput, translations: dict[str, Translation], config: RunConfig) -> list[BitextFile]:
    """One task per bitext file: its pairs are embedded and judged as given."""
    settings = GroupSettings(config.parallel, config.mining, config.quality_model)
    return [BitextFile(part.group, part.pairs, {s.id: translations[s.id] for s in part.sentences if s.id in translations},
                       settings) for part in bitext.parts]


def keyed_items(keyed: KeyedInput, translations: dict[str, Translation], config: RunConfig) -> list[KeyedFiles]:
    """One task per pair of string files: its units, paired by key, are embedded and judged."""
    settings = GroupSettings(config.parallel, config.mining, config.quality_model)
    return [KeyedFiles(part.group, part.pairs, {s.id: translations[s.id] for s in part.sentences if s.id in translations},
                       settings) for part in keyed.parts]


def decide_document_pairs(prepared: Prepared, config: RunConfig, bitext_docs) -> list[DocumentPair]:
    """The document pairs decided before any content search: the ``--pairs`` manifest, then
    names (unless ``config.pair_by_name`` is off)."""
    documents = {d.doc_id: (d.path, d.name, d.main_language()) for d in prepared.documents
                 if d.doc_id not in bitext_docs and not d.book}  # a book's chapters are paired by pair_chapters
    return document_pairs(documents, config.pairs_manifest, config.pair_by_name)


def traditional_documents(sentences: list[Sentence]) -> frozenset[str]:
    """Documents whose Chinese is written in Traditional characters (more than 5% of their
    Han characters change under OpenCC t2s): they are matched through Simplified."""
    han: dict[str, list[str]] = {}
    for s in sentences:
        if s.lang == "zh":
            han.setdefault(s.doc_id, []).append(s.text)
    found = set()
    for doc, texts in han.items():
        text = "".join(texts)[:20000]
        changed = sum(a != b for a, b in zip(text, to_simplified(text)))
        if changed > 0.05 * max(1, sum(is_han(ch) for ch in text)):
            found.add(doc)
    return frozenset(found)


_BLOCK_KINDS = MappingProxyType({"heading": "a heading", "list_item": "a list item", "table_cell": "a table cell",
                                "caption": "a caption"})


def no_language_unaligned(sentences: list[Sentence]) -> list[Unaligned]:
    """Blocks of no language (code, commands, identifiers) and of other languages, each with its
    reason; the detail says what block of its document the text is (a heading, a table cell)."""
    out = []
    for s in sentences:
        block = f"{_BLOCK_KINDS[s.kind]}: " if s.kind in _BLOCK_KINDS else ""
        if s.lang == NEUTRAL:
            out.append(Unaligned(s, NEUTRAL_TEXT, f"{block}code, a command, an identifier or a number: the same in both languages"))
        elif s.lang not in LANGS:
            out.append(Unaligned(s, OTHER_LANGUAGE, f"{block}neither Chinese nor English"))
    return out


@dataclass(frozen=True)
class Sectioned:
    """The sections of a run, embedded, and what pairing decided about them: ``general`` are
    the sections content pairing saw (not in an interleaved or a name-paired document)."""

    sections: list[Section]
    embeddings: dict[str, OverlapEmbeddings]
    general: list[Section]
    decisions: list[PairDecision]
    interleaved: dict[str, int]
    named: list[DocumentPair] = field(default_factory=list)
    bitext: BitextInput = BitextInput()  # files of pairs given as they are: a group each
    keyed: KeyedInput = KeyedInput()  # pairs of string files, their units paired by key: a group each


@dataclass(frozen=True)
class AlignedSections:
    pairs: list[Pair]  # scored, from every group, in document order
    reasons: dict[str, str]  # sentence id -> why it is in no pair
    details: dict[str, str]  # sentence id -> what its reason is about


def align_sections(sectioned: Sectioned, translations: dict[str, Translation], config: RunConfig,
                   mapper: Mapper, progress: Progress = None) -> AlignedSections:
    """Align and score every group of related sections, interleaved document and named
    document pair on ``mapper``: the one path ``align run`` takes (the tests take it too)."""
    s = sectioned
    items: list[GroupWork] = plan_groups(s.sections, s.embeddings, s.decisions, s.interleaved, translations,
                                         GroupSettings(config.parallel, config.mining, config.quality_model), s.named)
    items += bitext_items(s.bitext, translations, config) + keyed_items(s.keyed, translations, config)
    batches = batch_groups(items, SENTENCES_PER_ALIGN_TASK)
    costs = [sum(item.size for item in batch) for batch in batches]
    done = [r for part in map_largest_first(mapper, align_and_score, batches, costs, "align", progress) for r in part]
    reasons = unrelated_reasons(s.general, [{x.id for x in item.sections} for item in items
                                            if isinstance(item, RelatedGroup)])
    details: dict[str, str] = {}
    for result in done:
        reasons.update(result.reasons)
        details.update(result.details)
    return AlignedSections(sorted((p for result in done for p in result.pairs), key=Pair.sort_key), reasons, details)


def run(inputs, config: RunConfig, encoder: Encoder, progress: Progress = None,
        mapper: Mapper | None = None) -> RunResult:
    """Run every stage on ``inputs`` (files and folders) and ``config.bitext``, and return what
    the exporters need. ``mapper`` runs the per-document work (default: this process, with
    ``encoder``); reading, pairing and the accept decision run here."""
    mapper, inputs = mapper or in_process(encoder), list(inputs)
    timings: dict[str, float] = {}
    model = quality_model(config.quality_model)
    with _timed(timings, "ingest_normalize_segment"):
        prepared, bitext, keyed = read_inputs(inputs, config, progress, mapper)
        given = bitext.documents | keyed.documents  # pairs as given: no content search
    with _timed(timings, "translate"):
        plans = plan_translation(prepared.sentences, config.translate)
        done = {p.direction: mapper.map(translate_texts, p.items, f"translate {p.direction}", progress) for p in plans}
        translations, translation_report = collect_translations(plans, done)
    with _timed(timings, "embed"):
        sections = build_sections(s for s in prepared.sentences if s.doc_id not in given and s.lang in LANGS)
        traditional = traditional_documents(prepared.sentences)
        embeddings = embed_sections(sections, encoder, config.max_overlap, progress,
                                    True if config.match_simplified else traditional, mapper)
    with _timed(timings, "pair"):
        chapters = pair_chapters(prepared.documents, sections, embeddings, config.pairing)
        named = check_document_pairs(decide_document_pairs(prepared, config, given), sections, embeddings,
                                     config.pairing) + chapters.pairs
        in_named = {d for p in named for d in p.zh_docs + p.en_docs} | chapters.held
        interleaved = interleaved_documents([s for s in sections if s.doc_id not in in_named], embeddings,
                                            config.interleaved)
        general = [s for s in sections if s.doc_id not in interleaved and s.doc_id not in in_named]
        decisions = decide_pairs(general, embeddings, config.pairing, progress=progress)
    with _timed(timings, "align"):
        aligned = align_sections(Sectioned(sections, embeddings, general, decisions, interleaved, named, bitext, keyed),
                                 translations, config, mapper, progress)
        left_out, why = chapters.left_out(sections)
        reasons, details = aligned.reasons | left_out, aligned.details | why
    with _timed(timings, "score"):
        scored = list(aligned.pairs)
        selection = select(scored, config)
        by_id = {s.id: s for s in prepared.sentences}
        in_candidates = {s.id for p in scored for s in p.zh + p.en}
        unaligned = [Unaligned(by_id[sid], reason, details.get(sid, "")) for sid, reason in reasons.items()
                     if sid not in in_candidates]
        unaligned += bitext.unaligned + keyed.unaligned + selection.dropped + no_language_unaligned(prepared.sentences)
        unaligned.sort(key=lambda u: (u.sentence.doc_id, u.sentence.lang, u.sentence.index))
    tags = (config.zh_tag or (bitext.tags or DEFAULT_TAGS)[0], config.en_tag or (bitext.tags or DEFAULT_TAGS)[1])
    return RunResult(prepared, sections, decisions, selection.kept, scored, unaligned, translations, translation_report,
                     encoder.signature, model.length_ratio, timings, selection.duplicates, tags, tuple(sorted(interleaved)),
                     tuple(named) + keyed.document_pairs, traditional if not config.match_simplified else frozenset(),
                     replace(config, inputs=tuple(str(i) for i in inputs)).as_dict(),
                     config.signatures(encoder.signature, model), selection.audit)
