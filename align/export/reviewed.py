"""``align apply``: an output folder corrected by a review file, written to a new folder.

Everything is read and checked before anything is written, so a review that does not match
the folder leaves no output behind. The new folder holds the corrected corpus in the formats
of the run, ``unaligned.jsonl``, the run's ``edits.jsonl``, the review file itself, a
``run.json`` whose counts and ``reviews`` say what changed, and a new ``report.html``.
Applying a review that is already in a folder's ``run.json`` changes nothing, so the same
review applied twice gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..io.atomic import write_parts, write_text
from ..io.jsonl import read_jsonl
from ..io.outdir import mark_output_folder, prepare_output_folder
from ..review.corrections import (Corrected, Correction, ReviewError, RunFacts, apply_corrections, corrected_records,
                                  read_review)
from ..records import sentence_doc
from ..review.data import Outputs
from ..review.sheet import correction_line, is_sheet, read_sheet
from ..review.write import write_report
from ..score.signals import SIGNAL_NAMES
from .report import CORPUS, FORMAT_SUFFIXES, MINED, output_files, upkeep_report, write_conflicts
from .shards import jsonl_bytes, render_records
from .write import write_corpus_files, write_reading_files

REVIEW_FILE = "review.jsonl"


@dataclass(frozen=True)
class AppliedReview:
    out_dir: Path
    report: dict  # the new run.json
    corrections: int
    already_applied: bool


def _formats(run: dict) -> list[str]:
    written = set(run.get("outputs", []))
    return [fmt for fmt, suffixes in FORMAT_SUFFIXES.items() if all(CORPUS + s in written for s in suffixes)]


def _mined_ids(folder: Path) -> set[str]:
    path = folder / f"{MINED}.jsonl"
    return {record["id"] for _, record in read_jsonl(path)} if path.is_file() else set()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _counts(run: dict, corrected: Corrected) -> dict:
    pairs = corrected.corpus + corrected.mined
    counts = dict(run.get("counts", {}))
    counts.update({
        "sentences_in_pairs": sum(len(p["zh_ids"]) + len(p["en_ids"]) for p in pairs),
        "sentences_unaligned": len(corrected.unaligned),
        "pairs_exported": len(pairs),
        "pairs_reviewed": sum(1 for p in pairs if p.get("reviewed")),
        "pairs_by_method": dict(sorted(Counter(p["method"] for p in pairs).items())),
        "pairs_by_shape": dict(sorted(Counter(p["shape"] for p in pairs).items())),
        "unaligned_by_reason": dict(sorted(Counter(u["reason"] for u in corrected.unaligned).items())),
    })
    return counts


def _documents(run: dict, corrected: Corrected) -> dict:
    in_pairs, unaligned = Counter(), Counter()
    for p in corrected.corpus + corrected.mined:
        in_pairs.update(sentence_doc(s) for s in p["zh_ids"] + p["en_ids"])
    unaligned.update(sentence_doc(u["id"]) for u in corrected.unaligned)
    return {doc: {**info, "in_pairs": in_pairs[doc], "unaligned": unaligned[doc]} if isinstance(info, dict) else info
            for doc, info in run.get("documents", {}).items()}


def _new_run(run: dict, corrected: Corrected, review: dict, formats: list[str], mined_files: bool) -> dict:
    out = dict(run)
    out["counts"] = _counts(run, corrected)
    out["documents"] = _documents(run, corrected)
    reviews = list(run.get("reviews", []))
    if review["sha256"] not in [r.get("sha256") for r in reviews]:
        reviews.append(review)
    out["reviews"] = reviews
    out["outputs"] = output_files(formats, True, mined_files) + [REVIEW_FILE]
    return out


def _read(folder: Path, review_path: Path) -> tuple[Outputs, list[Correction], bytes]:
    """The folder's records, the corrections and the review's bytes: a reviewed sheet
    (``.xlsx``, or a zip by any name) is read into the corrections of ``review.jsonl``, and those are its bytes."""
    outputs = Outputs.read(folder)
    if outputs.pairs and "reviewed" not in outputs.pairs[0]:
        raise InputError(f"{folder}: written by an older align (its records have no 'reviewed' field): run it again")
    if is_sheet(review_path):
        corrections = read_sheet(review_path, outputs.pairs)
        return outputs, corrections, jsonl_bytes([correction_line(c) for c in corrections])
    corrections = read_review(review_path)
    return outputs, corrections, review_path.read_bytes()


def _rejudged(corrected: Corrected, report: dict, model_path: str, encoder) -> tuple[Corrected, dict]:
    """The pairs the review did not correct judged again by the model (``rejudged``), and the
    run.json that says so (signatures, settings, ``judged_again``)."""
    from .rejudged import rejudge

    k = report.get("settings", {}).get("mining", {}).get("k", 4)
    again = rejudge((corrected.corpus, corrected.mined), model_path, encoder, report.get("signatures", {}), k)
    report = {**report, "signatures": again.signatures, "signature": again.signature,
              "settings": {**report.get("settings", {}), "quality_model": str(model_path)}}
    report["judged_again"] = {"quality_model": Path(model_path).name, "signature": again.signatures["quality"],
                              "pairs": again.rejudged}
    return Corrected(again.records[0], again.records[1], corrected.unaligned), report


def apply_review(folder: Path, review_path: Path, out_dir: Path, overwrite: bool = False,
                 model_path: str | None = None, encoder=None) -> AppliedReview:
    """Apply ``review_path`` to the output folder ``folder`` and write the result to ``out_dir``;
    with ``model_path``, the pairs the review did not correct are judged again by that model
    (``encoder``: the run's)."""
    if out_dir.resolve() == folder.resolve():
        raise InputError(f"{out_dir}: write the corrected outputs to a new folder, not the one reviewed")
    outputs, corrections, data = _read(folder, review_path)
    digest = _digest(data)
    already = digest in [r.get("sha256") for r in outputs.run.get("reviews", []) if isinstance(r, dict)]
    try:
        state = apply_corrections(outputs, [] if already else corrections, _mined_ids(folder))
    except ReviewError as exc:
        raise InputError(f"{review_path}, {exc} (is the review of {folder}?)") from exc
    tags = outputs.run.get("language_tags", {"zh": "zh", "en": "en"})
    facts = RunFacts(outputs.run.get("signature", ""), dict(tags), SIGNAL_NAMES)
    corrected = corrected_records(state, facts, f"taken out of its pair in review ({review_path.name})")
    formats = _formats(outputs.run)
    mined_files = bool(corrected.mined) or (folder / f"{MINED}.jsonl").is_file()
    review = {"file": review_path.name, "sha256": digest, "lines": len(corrections),
              "actions": dict(sorted(Counter(c.action for c in corrections).items()))}
    report = _new_run(outputs.run, corrected, review, formats, mined_files)
    if model_path is not None:
        corrected, report = _rejudged(corrected, report, model_path, encoder)
    edits = (folder / "edits.jsonl").read_bytes() if (folder / "edits.jsonl").is_file() else b""
    _write(out_dir, overwrite, report, corrected, formats, mined_files, data, edits)
    return AppliedReview(out_dir, report, len(corrections), already)


def _write(out_dir: Path, overwrite: bool, report: dict, corrected: Corrected, formats: list[str], mined_files: bool,
           review: bytes, edits: bytes) -> None:
    prepare_output_folder(out_dir, overwrite)
    mark_output_folder(out_dir, report["outputs"])
    tags = (report.get("language_tags", {}).get("zh", "zh"), report.get("language_tags", {}).get("en", "en"))
    output = report.get("settings", {}).get("output") or report.get("options", {})  # options: a run.json of before
    by_stem = {stem: records for stem, records in ((CORPUS, corrected.corpus), (MINED, corrected.mined))
               if stem == CORPUS or mined_files}
    for stem, records in by_stem.items():
        rendered = render_records(records, tags, "tmx" in formats, "align", output.get("tmx_units", "bead"))
        write_corpus_files(out_dir / stem, formats, [rendered], report.get("signatures", {}), tags[0])
    titles = {doc: entry["title"] for doc, entry in report.get("documents", {}).items() if entry.get("title")}
    report.update(write_reading_files(out_dir, formats, by_stem, corrected.unaligned,
                                      bool(output.get("keep_unaligned_cues")), output.get("cue_times", "both"), titles))
    write_parts(out_dir / "unaligned.jsonl", [jsonl_bytes(corrected.unaligned)])
    write_parts(out_dir / "edits.jsonl", [edits])
    write_parts(out_dir / REVIEW_FILE, [review])
    report["tm_upkeep"] = upkeep_report(write_conflicts(out_dir, corrected.corpus + corrected.mined))
    write_text(out_dir / "run.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    edits_records = [r for _, r in read_jsonl(out_dir / "edits.jsonl")]
    outputs = Outputs(json.loads(json.dumps(report)), corrected.corpus + corrected.mined, corrected.unaligned,
                      edits_records)
    pages = write_report(out_dir, outputs).pages
    mark_output_folder(out_dir, report["outputs"] + pages)


def run_encoder(folder: Path):
    """The encoder the run of ``folder`` used (its ``run.json`` settings)."""
    from ..embed import get_encoder

    run = Outputs.read(folder).run
    return get_encoder(str(run.get("settings", {}).get("encoder") or "use"))
