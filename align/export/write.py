"""Write the outputs of ``align run`` into one folder, each file atomically."""

from __future__ import annotations

import json
from pathlib import Path

from ..io.atomic import write_text
from ..io.jsonl import write_jsonl
from ..io.tmx import write_tmx
from ..records import RunResult
from ..review.data import Outputs
from ..review.write import write_report
from .formats import TextPair, write_moses, write_tsv
from .records import edit_record, pair_record, pair_tmx_unit, signature_id, unaligned_record
from .report import run_report


def write_outputs(result: RunResult, out_dir: Path, settings: dict, signatures: dict[str, str],
                  formats=("tmx", "jsonl"), review: bool = True) -> dict:
    """Write the corpus in each of ``formats``, the unaligned sentences, the edits, the run
    report and (with ``review``) the review report; return the run report (``run.json``)."""
    paths = result.prepared.paths()
    signature = signature_id(signatures)
    records = [pair_record(p, paths, signature, result.lang_tags) for p in result.pairs]
    dropped_chars = 0
    if "tmx" in formats:
        header_props = [("x-" + k + "-signature", v) for k, v in signatures.items()]
        units = (pair_tmx_unit(p, r, result.lang_tags) for p, r in zip(result.pairs, records))
        dropped_chars = write_tmx(out_dir / "corpus.tmx", units, header_props, result.lang_tags[0])
    if "jsonl" in formats:
        write_jsonl(out_dir / "corpus.jsonl", records)
    texts = [TextPair(p.zh_text, p.en_text, p.quality) for p in result.pairs]
    if "tsv" in formats:
        write_tsv(out_dir / "corpus.tsv", texts)
    if "moses" in formats:
        write_moses(out_dir / "corpus", texts)
    unaligned = [unaligned_record(u, paths, result.translations) for u in result.unaligned]
    edits = [edit_record(e, paths) for e in result.prepared.edits]
    write_jsonl(out_dir / "unaligned.jsonl", unaligned)
    write_jsonl(out_dir / "edits.jsonl", edits)
    for doc_id, text in result.prepared.texts.items():
        write_text(out_dir / "extracted" / f"{doc_id}.txt", text)
    report = run_report(result, settings, signatures, signature, dropped_chars, formats)
    write_text(out_dir / "run.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if review:  # from the same records as the files, so that align report OUT rebuilds it the same
        write_report(out_dir, Outputs(json.loads(json.dumps(report)), records, unaligned, edits))
    return report
