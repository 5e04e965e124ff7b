"""Writing a rescored corpus back, in the format its file name asks for, keeping what it carried."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import sys
import tempfile

from ..errors import InputError
from ..io.streams import STDIN
from ..io.atomic import write_text
from ..io.jsonl import write_jsonl
from ..io.tmx import TranslationUnit, write_tmx
from ..score.rescore import Corpus, Rescored
from .formats import TextPair, write_moses, write_tsv
from .records import rescored_record, rescored_unit

QUALITY_PROP = "x-quality-signature"  # as the TMX of align run names it


def _unit(item: Rescored, number: int) -> TranslationUnit:
    entry = item.entry
    unit = entry.unit
    if unit is None:  # a JSONL record written as TMX
        record = entry.record or {}
        unit = TranslationUnit(str(record.get("id", number)), entry.zh, entry.en)
    return rescored_unit(unit, item.quality, item.signals, item.rejected_by)


def _record(item: Rescored, number: int) -> dict:
    entry = item.entry
    record = entry.record
    if record is None:  # a TMX unit written as JSONL
        record = {"id": entry.unit.tuid if entry.unit else str(number), "zh": entry.zh, "en": entry.en}
    return rescored_record(record, item.quality, item.signals, item.rejected_by, item.rule_details)


def write_rescored(path: Path, corpus: Corpus, kept: list[Rescored], fmt: str, append_score: bool = False,
                   quality_signature: str = "") -> None:
    """``-`` writes to standard output (through a temporary file, so a failure writes nothing).
    A TMX's ``x-quality-signature`` header prop becomes ``quality_signature`` (the model that
    rescored it), added where the source had none."""
    if quality_signature and fmt == "tmx":
        props = [p for p in corpus.tmx_header.props if p[0] != QUALITY_PROP] + [(QUALITY_PROP, quality_signature)]
        corpus = replace(corpus, tmx_header=replace(corpus.tmx_header, props=tuple(props)))
    if str(path) == STDIN:
        with tempfile.TemporaryDirectory(prefix="align-") as tmp:
            temporary = Path(tmp) / f"out.{fmt}"
            _write_rescored(temporary, corpus, kept, fmt, append_score)
            sys.stdout.buffer.write(temporary.read_bytes())
            sys.stdout.buffer.flush()
        return
    _write_rescored(path, corpus, kept, fmt, append_score)


def _write_rescored(path: Path, corpus: Corpus, kept: list[Rescored], fmt: str, append_score: bool = False) -> None:
    """TMX keeps the source's header props, datatype, language tags and inline markup; JSONL keeps every field of the
    records it read; TSV holds the texts, quality, method and recorded signals, Moses the texts. With
    ``append_score``, a TSV input is written back row by row, every column kept, with the
    quality as one more column (and ``quality`` added to its header)."""
    if append_score:
        if not all(r.entry.cells for r in kept):
            raise InputError("--append-score writes a TSV input back: give a .tsv corpus")
        rows = ([list(corpus.tsv_header) + ["quality"]] if corpus.tsv_header else []) + [
            list(r.entry.cells) + [f"{r.quality:.4f}"] for r in kept]
        write_text(path, "".join("\t".join(row) + "\n" for row in rows))
    elif fmt == "tmx":
        header = corpus.tmx_header
        write_tmx(path, (_unit(r, n) for n, r in enumerate(kept)), header.props, header.srclang, header.datatype)
    elif fmt == "jsonl":
        write_jsonl(path, (_record(r, n) for n, r in enumerate(kept)))
    else:
        texts = [TextPair(r.entry.zh, r.entry.en, r.quality, r.entry.method, r.signals.get("margin"),
                          r.signals.get("garble")) for r in kept]
        (write_tsv if fmt == "tsv" else write_moses)(path, texts)
