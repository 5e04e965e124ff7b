"""Write the outputs of ``align run`` into one folder, each file atomically."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..batching import chunked
from ..io.atomic import write_parts, write_text
from ..io.outdir import mark_output_folder
from ..io.tmx import join_tmx, tmx_frame
from ..mapper import Mapper, in_process
from ..records import RunResult, Translation, Unaligned
from ..review.data import Outputs
from ..review.write import write_report
from .bilingual import write_bilingual
from .formats import TextPair, write_moses, write_tsv
from .subtitles import APART_MS, write_subtitles
from .xlsx import write_xlsx
from .records import signature_id
from .report import CORPUS, MINED, output_files, run_report, write_conflicts
from .shards import ITEMS_PER_SHARD, LeftOverShard, PairShard, RenderedPairs, render_left_over, render_pairs

log = logging.getLogger(__name__)


def write_outputs(result: RunResult, out_dir: Path, formats=("tmx", "jsonl"), mapper: Mapper | None = None, *,
                  review: bool = True, jsonl_layout: str = "align", options: dict | None = None, progress=None,
                  mined_in_corpus: bool = False, tmx_units: str = "bead", settings: dict | None = None,
                  signatures: dict[str, str] | None = None, keep_unaligned_cues: bool = False,
                  cue_times: str = "both") -> dict:
    """Write the corpus in each of ``formats`` (pairs mined from comparable text apart, in
    ``mined.*``, unless ``mined_in_corpus``), the unaligned sentences, the edits, the run
    report and (with ``review``) the review report; return the run report (``run.json``).
    ``settings`` and ``signatures`` are the run's own (``RunResult``) unless given.
    ``tmx_units="sentence"`` leaves the units of more than one sentence a side out of the TMX
    (they stay in the other formats). The JSONL and TMX files are rendered in shards on
    ``mapper`` (default: this process). ``keep_unaligned_cues``: the subtitle files keep the
    cues no pair used, with their one language; ``cue_times``: which side's cues time them."""
    mapper = mapper or in_process()
    settings = result.settings if settings is None else settings
    signatures = result.signatures if signatures is None else signatures
    corpus = [p for p in result.pairs if mined_in_corpus or p.method != "mined"]
    mined = [p for p in result.pairs if not mined_in_corpus and p.method == "mined"]
    mark_output_folder(out_dir, output_files(formats, review, bool(mined)))  # before writing: a crash leaves a folder align owns
    paths = result.prepared.paths()
    signature = signature_id(signatures)
    by_stem, dropped_chars = {}, 0
    for stem, pairs in ((CORPUS, corpus), (MINED, mined)):
        if pairs or stem == CORPUS:
            by_stem[stem], dropped = _write_corpus(out_dir / stem, pairs, result, signatures, formats,
                                                   CorpusFiles(paths, signature, jsonl_layout, tmx_units,
                                                               result.prepared.names()), mapper, progress)
            dropped_chars += dropped
    records = [r for stem_records in by_stem.values() for r in stem_records]
    unaligned = _left_over(mapper, out_dir / "unaligned.jsonl",
                           [LeftOverShard(c, (), paths, _translations(c, result)) for c in chunked(result.unaligned, ITEMS_PER_SHARD)],
                           progress)
    reading = write_reading_files(out_dir, formats, by_stem, unaligned, keep_unaligned_cues, cue_times,
                                  {d.doc_id: d.title for d in result.prepared.documents if d.title})
    edits = _left_over(mapper, out_dir / "edits.jsonl",
                       [LeftOverShard((), c, paths, {}) for c in chunked(result.prepared.edits, ITEMS_PER_SHARD)], progress)
    extracted = [f"extracted/{file_name(doc_id)}.txt" for doc_id in result.prepared.texts]
    for name, text in zip(extracted, result.prepared.texts.values()):
        write_text(out_dir / name, text)
    findings = write_conflicts(out_dir, records)
    report = run_report(result, settings, signatures, signature, dropped_chars, formats, review, bool(mined), len(mined),
                        findings)
    if options is not None:
        report["options"] = options  # the command line as parsed: align config OUTDIR writes it as TOML
    report.update(reading)
    write_text(out_dir / "run.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    pages: list[str] = []
    if review:  # from the same records as the files, so that align report OUT rebuilds it the same
        pages = write_report(out_dir, Outputs(json.loads(json.dumps(report)), records, unaligned, edits)).pages
    mark_output_folder(out_dir, report["outputs"] + extracted + pages)
    return report


@dataclass(frozen=True)
class CorpusFiles:
    """What every corpus file of a run is written with."""

    paths: dict
    signature: str
    jsonl_layout: str
    tmx_units: str
    names: dict  # documents by their path in their input folder (the files a string-file unit names)


def _write_corpus(stem: Path, pairs: list, result: RunResult, signatures: dict[str, str], formats,
                  files: CorpusFiles, mapper: Mapper, progress) -> tuple[list[dict], int]:
    """``stem.tmx``, ``stem.jsonl``, ``stem.tsv``, ``stem.zh``/``stem.en`` of ``pairs``, as
    ``formats`` ask; the records written and the characters XML could not hold."""
    shards = [PairShard(chunk, files.paths, files.signature, result.lang_tags, "tmx" in formats, files.jsonl_layout,
                        files.tmx_units, files.names) for chunk in chunked(pairs, ITEMS_PER_SHARD)]
    rendered = mapper.map(render_pairs, shards, f"write {stem.name}", progress)
    dropped = write_corpus_files(stem, formats, rendered, signatures, result.lang_tags[0])
    return [r for part in rendered for r in part.records], dropped


def write_corpus_files(stem: Path, formats, rendered: list[RenderedPairs], signatures: dict[str, str],
                       srclang: str) -> int:
    """``stem.tmx``, ``stem.jsonl``, ``stem.tsv``, ``stem.zh``/``stem.en`` of the rendered
    records, as ``formats`` ask; return the characters XML could not hold."""
    dropped = 0
    if "tmx" in formats:
        header_props = [("x-" + k + "-signature", v) for k, v in signatures.items()]
        head, tail, dropped = tmx_frame(header_props, srclang)
        write_parts(stem.with_name(stem.name + ".tmx"), join_tmx(head, [part.tmx for part in rendered], tail))
        dropped += sum(part.dropped_chars for part in rendered)
    if "jsonl" in formats:
        write_parts(stem.with_name(stem.name + ".jsonl"), [part.jsonl for part in rendered])
    texts = [TextPair(r["zh"], r["en"], r["quality"], r["method"], r["signals"].get("margin"), r["signals"].get("garble"))
             for part in rendered for r in part.records]
    if "tsv" in formats:
        write_tsv(stem.with_name(stem.name + ".tsv"), texts)
    if "moses" in formats:
        write_moses(stem, texts)
    if "xlsx" in formats:
        write_xlsx(stem.with_name(stem.name + ".xlsx"), [r for part in rendered for r in part.records])
    return dropped


def write_reading_files(out_dir: Path, formats, by_stem: dict[str, list[dict]], unaligned: list[dict],
                        keep_unaligned_cues: bool = False, cue_times: str = "both",
                        headings: Mapping[str, str] = MappingProxyType({})) -> dict:
    """The subtitle files of each stem's records (``corpus.srt``, ``corpus.vtt``; the unaligned
    cues only in the corpus's, with ``keep_unaligned_cues``) and the bilingual page
    (``corpus.html``, with every unaligned sentence in its place, its documents headed by
    ``headings``); what ``run.json`` says of them."""
    said = {}
    for stem, stem_records in by_stem.items():
        if "bilingual-html" in formats:
            write_bilingual(out_dir / f"{stem}.html", stem_records, unaligned if stem == CORPUS else [], headings)
        kept = unaligned if stem == CORPUS and keep_unaligned_cues else []
        subtitles = write_subtitles(out_dir / stem, formats, stem_records, kept, cue_times)
        if subtitles is not None:
            said.setdefault("subtitles", {})[stem] = subtitles.as_dict()
            if subtitles.adjusted:
                log.warning("%s: %d cue times adjusted (by at most %d ms) where pairs' cues overlapped", stem,
                            subtitles.adjusted, subtitles.largest)
            if cue_times == "both" and abs(subtitles.zh_later or 0) >= APART_MS:
                log.warning("%s: the Chinese cues are shown %+.1f s from the English ones (another release?): "
                            "--cue-times zh or en times the subtitles by one file", stem, subtitles.zh_later / 1000)
    return said


def file_name(doc_id: str, limit: int = 200) -> str:
    """A document id as a file name a file system takes: an id over ``limit`` bytes is cut and
    given a hash of the whole, so two long ids never meet.

    >>> file_name("a.txt"), len(file_name("x" * 300).encode())
    ('a.txt', 213)
    """
    if len(doc_id.encode("utf-8")) <= limit:
        return doc_id
    cut = doc_id.encode("utf-8")[:limit].decode("utf-8", "ignore")
    return f"{cut}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:12]}"


def _translations(unaligned: tuple[Unaligned, ...], result: RunResult) -> dict[str, Translation]:
    return {u.sentence.id: result.translations[u.sentence.id] for u in unaligned if u.sentence.id in result.translations}


def _left_over(mapper: Mapper, path: Path, shards: list[LeftOverShard], progress=None) -> list[dict]:
    """Render ``shards`` on ``executor``, write them to ``path`` in order, return the records."""
    rendered = mapper.map(render_left_over, shards, f"write {path.name}", progress)
    write_parts(path, [data for _, data in rendered])
    return [r for records, _ in rendered for r in records]
