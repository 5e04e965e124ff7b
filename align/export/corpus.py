"""Rescoring a corpus file (``align score CORPUS``) and writing it back, in the format its file
name asks for, keeping what it carried and naming the signatures it was scored with."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import sys
import tempfile

from ..errors import InputError
from ..io.corpus import Corpus, TsvLayout, read_corpus
from ..io.streams import STDIN
from ..io.atomic import write_text
from ..io.jsonl import write_jsonl
from ..io.tmx import TranslationUnit, write_tmx
from ..score.rescore import RescoreSummary, Rescored, filter_rescored, rescore, rescoring_signatures
from ..score.select import SelectSettings
from .formats import TextPair, format_for, write_moses, write_tsv
from .records import rescored_record, rescored_unit, signature_id

SIGNATURE_PROP = "x-{}-signature"  # a TMX header's prop of each signature, as align run writes them


@dataclass(frozen=True)
class RescoreSettings:
    """How ``align score CORPUS`` rescores, filters and writes a corpus."""

    select: SelectSettings = field(default_factory=SelectSettings)
    quality_model: str | None = None  # a model file (align calibrate); None: the shipped one
    encoder: str = "use"
    layout: TsvLayout = field(default_factory=TsvLayout)  # where a TSV holds its texts
    output: Path | None = None  # where the kept pairs go ("-": standard output); None: nowhere
    output_format: str | None = None  # None: from the output's extension
    append_score: bool = False  # a TSV written back row by row, the quality as one more column
    conflicts: Path | None = None  # TM upkeep: where its findings are listed
    tm_keep: str = "all"  # TM upkeep: all, best or mark (score.upkeep.POLICIES)


@dataclass(frozen=True)
class RescoredFile:
    corpus: Corpus
    kept: list  # the Rescored entries written
    summary: RescoreSummary  # with the signatures the kept pairs were scored with
    tm: dict  # TM upkeep's counts ({} when not asked)


def rescore_file(path: str | Path, settings: RescoreSettings = RescoreSettings(),
                 progress: Callable | None = None) -> RescoredFile:
    """Read a corpus, judge every pair again, keep what the selection keeps (and TM upkeep,
    when asked), write the kept pairs to ``settings.output``; its signatures replace the
    corpus's where they differ (TMX header props, each JSONL record's ``signature``)."""
    from ..embed import get_encoder
    from ..score.judge import quality_model
    from ..score.upkeep import corpus_upkeep

    out_format = format_for(settings.output, settings.output_format) if settings.output else None
    model = quality_model(settings.quality_model)
    corpus = read_corpus(Path(path), settings.layout)
    encoder = get_encoder(settings.encoder)
    rescored = rescore(corpus.entries, encoder, model=model, measured_by=corpus.encoder_signature, progress=progress)
    recorded = all(isinstance(r.entry.signals.get("margin"), (int, float)) for r in rescored)
    signatures = rescoring_signatures(corpus.signatures, encoder.signature, model, 4, settings.select, recorded)
    kept, summary = filter_rescored(rescored, settings.select, model.signature)
    summary = replace(summary, signatures=signatures, signature=signature_id(signatures))
    kept, tm = corpus_upkeep(corpus, kept, settings.conflicts, settings.tm_keep)
    if settings.output:
        write_rescored(settings.output, corpus, kept, out_format, settings.append_score, signatures)
    return RescoredFile(corpus, kept, summary, tm)


def _unit(item: Rescored, number: int) -> TranslationUnit:
    entry = item.entry
    unit = entry.unit
    if unit is None:  # a JSONL record written as TMX
        record = entry.record or {}
        unit = TranslationUnit(str(record.get("id", number)), entry.zh, entry.en)
    return rescored_unit(unit, item.quality, item.signals, item.rejected_by)


def _record(item: Rescored, number: int, signature: str) -> dict:
    entry = item.entry
    record = entry.record
    if record is None:  # a TMX unit written as JSONL
        record = {"id": entry.unit.tuid if entry.unit else str(number), "zh": entry.zh, "en": entry.en}
    record = rescored_record(record, item.quality, item.signals, item.rejected_by, item.rule_details)
    return {**record, "signature": signature} if signature else record


def signed_header(props, signatures: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A TMX header's props with each signature's prop (``x-NAME-signature``) holding
    ``signatures``: replaced where it stood, added at the end where the header had none.

    >>> signed_header((("x-encoder-signature", "old"), ("x-note", "kept")), {"encoder": "new", "quality": "q"})
    (('x-encoder-signature', 'new'), ('x-note', 'kept'), ('x-quality-signature', 'q'))
    """
    named = {SIGNATURE_PROP.format(name): value for name, value in signatures.items()}
    props = tuple((ptype, named.get(ptype, value)) for ptype, value in props)
    present = {ptype for ptype, _ in props}
    return props + tuple((ptype, value) for ptype, value in named.items() if ptype not in present)


def write_rescored(path: Path, corpus: Corpus, kept: list[Rescored], fmt: str, append_score: bool = False,
                   signatures: Mapping[str, str] | None = None) -> None:
    """``-`` writes to standard output (through a temporary file, so a failure writes nothing).
    With ``signatures`` (what the pairs were scored with), a TMX's header carries each of them
    and each JSONL record their short id."""
    if signatures and fmt == "tmx":
        corpus = replace(corpus, tmx_header=replace(corpus.tmx_header, props=signed_header(corpus.tmx_header.props,
                                                                                           signatures)))
    signature = signature_id(dict(signatures)) if signatures else ""
    if str(path) == STDIN:
        with tempfile.TemporaryDirectory(prefix="align-") as tmp:
            temporary = Path(tmp) / f"out.{fmt}"
            _write_rescored(temporary, corpus, kept, fmt, append_score, signature)
            sys.stdout.buffer.write(temporary.read_bytes())
            sys.stdout.buffer.flush()
        return
    _write_rescored(path, corpus, kept, fmt, append_score, signature)


def _write_rescored(path: Path, corpus: Corpus, kept: list[Rescored], fmt: str, append_score: bool = False,
                    signature: str = "") -> None:
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
        write_jsonl(path, (_record(r, n, signature) for n, r in enumerate(kept)))
    else:
        texts = [TextPair(r.entry.zh, r.entry.en, r.quality, r.entry.method, r.signals.get("margin"),
                          r.signals.get("garble")) for r in kept]
        (write_tsv if fmt == "tsv" else write_moses)(path, texts)
