"""The corpus files in shards: consecutive runs of pairs, unaligned sentences and edits,
rendered to bytes by an executor's workers and joined in order by the driver. The shards
are cut by count alone, so the files are the same whoever rendered them."""

from __future__ import annotations

from dataclasses import dataclass

from ..mapper import TaskContext
from ..io.jsonl import dumps
from ..io.tmx import tmx_units as tmx_units_bytes
from ..records import Edit, Pair, Translation, Unaligned
from .records import edit_record, is_sentence_unit, pair_record, pair_tmx_unit, translation_record, unaligned_record

ITEMS_PER_SHARD = 5000


@dataclass(frozen=True)
class PairShard:
    pairs: tuple[Pair, ...]
    paths: dict[str, str]
    signature: str
    tags: tuple[str, str]
    tmx: bool
    layout: str = "align"  # corpus.jsonl layout: "align" records, or "translation" (Hugging Face)
    tmx_units: str = "bead"  # "sentence": the TMX holds only units whose sides are one sentence each
    names: dict | None = None  # documents by their path in their input folder (string-file units name their files so)


@dataclass(frozen=True)
class RenderedPairs:
    records: list[dict]  # the corpus.jsonl objects (the review report reads them too)
    jsonl: bytes
    tmx: bytes
    dropped_chars: int  # characters XML 1.0 cannot hold, left out of the TMX


def jsonl_bytes(records: list[dict]) -> bytes:
    return "".join(dumps(r) + "\n" for r in records).encode("utf-8")


def render_pairs(context: TaskContext, shard: PairShard) -> RenderedPairs:
    records = [pair_record(p, shard.paths, shard.signature, shard.tags, shard.names) for p in shard.pairs]
    return render_records(records, shard.tags, shard.tmx, shard.layout, shard.tmx_units)


def render_records(records: list[dict], tags: tuple[str, str], tmx: bool, layout: str = "align",
                   tmx_units: str = "bead") -> RenderedPairs:
    """The JSONL and TMX bytes of ``corpus.jsonl`` records (of a run, or corrected by a review)."""
    in_tmx = [r for r in records if tmx_units == "bead" or is_sentence_unit(r)]
    units, dropped = tmx_units_bytes(pair_tmx_unit(r, tags) for r in in_tmx) if tmx else (b"", 0)
    written = records if layout == "align" else [translation_record(r) for r in records]
    return RenderedPairs(records, jsonl_bytes(written), units, dropped)


@dataclass(frozen=True)
class LeftOverShard:
    """Unaligned sentences (with their translations) or edits."""

    unaligned: tuple[Unaligned, ...]
    edits: tuple[Edit, ...]
    paths: dict[str, str]
    translations: dict[str, Translation]


def render_left_over(context: TaskContext, shard: LeftOverShard) -> tuple[list[dict], bytes]:
    records = ([unaligned_record(u, shard.paths, shard.translations) for u in shard.unaligned]
               + [edit_record(e, shard.paths) for e in shard.edits])
    return records, jsonl_bytes(records)
