"""Rescore an existing corpus (JSONL from ``align run``, or any TMX) with the current signals.

The signals come from the same computation as in ``align run`` (``signals.pair_signals``).
Two of them depend on what the corpus no longer holds, and are read from the record when
the corpus carries them (``align run`` records and TMX ``x-signal-*`` props): garble (the
source text before repair) and the margin (measured against the documents the pair came
from). Otherwise garble is measured by running the normalizers and the margin against the
whole corpus. The quality model is the one of the pair's method (``x-method``, ``method``),
``parallel`` where the corpus does not say.
Signals that cannot be recomputed (MT chrF without the translations) are kept as read.
"""

from __future__ import annotations

from collections import Counter

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..embed import Encoder
from ..errors import InputError
from ..garble import text_garble
from ..io.jsonl import read_jsonl
from ..io.tmx import TmxHeader, TranslationUnit, read_tmx_file
from ..similarity import knn_mean
from .judge import judge
from .metrics import SentenceChrf
from .quality import BITEXT, QualityModel, load_quality_model
from .audit import filter_audit
from .dedup import DUPLICATE
from .select import BELOW_MIN_QUALITY, REJECTED_BY_RULE, Judged, SelectSettings, decide
from .optional import optional_signals, wanted
from .signals import PairEvidence

SIGNAL_PROP = "x-signal-"


@dataclass(frozen=True)
class CorpusEntry:
    """One pair of a corpus as read: its texts, what the file said of it, and the record
    (JSONL) or translation unit (TMX) it came from, to be written back with new scores."""

    zh: str
    en: str
    signals: dict = field(default_factory=dict, hash=False)
    zh_translation: str = ""
    en_translation: str = ""
    record: dict | None = field(default=None, hash=False)
    method: str = BITEXT  # how the pair was found, where the corpus says (else: unknown, bitext)
    unit: TranslationUnit | None = None
    cells: tuple[str, ...] = ()  # the TSV row it came from, every column


@dataclass(frozen=True)
class Corpus:
    path: Path
    format: str  # "tmx" or "jsonl"
    entries: tuple[CorpusEntry, ...]
    tmx_header: TmxHeader = TmxHeader()
    encoder_signature: str = ""  # the encoder that measured the corpus's signals, where it says
    tsv_header: tuple[str, ...] = ()  # a TSV's header line


def _run_encoder(path: Path, entries: list[CorpusEntry]) -> str:
    """The encoder of the ``align run`` that wrote ``path``, from the run.json beside it (when
    the records carry that run's signature id)."""
    run_json = path.parent / "run.json"
    if not entries or not run_json.is_file():
        return ""
    try:
        run = json.loads(run_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not JSON, not UTF-8
        return ""
    if not isinstance(run, dict):
        return ""
    same_run = all((e.record or {}).get("signature") == run.get("signature") for e in entries)
    return str(run.get("signatures", {}).get("encoder", "")) if same_run and run.get("signature") else ""


@dataclass(frozen=True)
class Rescored:
    entry: CorpusEntry
    signals: dict
    quality: float
    rejected_by: tuple[str, ...]
    rule_details: tuple[str, ...] = ()


def _number(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def _tmx_entries(path: Path) -> tuple[list[CorpusEntry], TmxHeader]:
    tmx = read_tmx_file(path)
    entries = []
    for unit in tmx.units:
        signals = {k.removeprefix(SIGNAL_PROP): _number(v) for k, v in unit.props if k.startswith(SIGNAL_PROP)}
        method = dict(unit.props).get("x-method", BITEXT)
        entries.append(CorpusEntry(unit.zh, unit.en, signals, unit=unit, method=method))
    return entries, tmx.header


def _jsonl_entries(path: Path) -> list[CorpusEntry]:
    entries = []
    for number, record in read_jsonl(path):
        if isinstance(record.get("translation"), dict) and "zh" not in record:  # the Hugging Face layout
            texts = list(record["translation"].values())
            record = {**record, "zh": texts[0] if texts else None, "en": texts[1] if len(texts) > 1 else None}
        if not isinstance(record.get("zh"), str) or not isinstance(record.get("en"), str):
            raise InputError(f"{path}:{number}: not a corpus record with 'zh' and 'en' texts")
        entries.append(record_entry(record))
    return entries


def record_entry(record: dict) -> CorpusEntry:
    """The entry of a corpus record (``corpus.jsonl``) with its texts ``zh`` and ``en``."""
    signals = record.get("signals") if isinstance(record.get("signals"), dict) else {}
    signals = {k: v for k, v in signals.items() if v is not None}  # a signal a run did not compute
    return CorpusEntry(record["zh"], record["en"], signals, str(record.get("zh_translation") or ""),
                       str(record.get("en_translation") or ""), record=record,
                       method=str(record.get("method") or BITEXT))


RECORDED_COLUMNS = ("margin", "garble")  # the TSV columns ``align`` writes for what a file cannot give again


def _bitext_entries(path: Path, layout) -> tuple[list[CorpusEntry], tuple[str, ...]]:
    """The pairs of a bitext file. A TSV whose header names a ``method`` column (as the ones
    ``align`` writes) keeps each pair's method and its recorded ``margin`` and ``garble``."""
    from ..ingest.bitext import read_bitext

    bitext = read_bitext(path, layout)
    columns = {name.strip().lower(): k for k, name in enumerate(bitext.header)}

    def cell(p, name: str) -> str:
        k = columns.get(name)
        return p.cells[k].strip() if k is not None and k < len(p.cells) else ""

    entries = []
    for p in bitext.pairs:
        signals = {name: _number(cell(p, name)) for name in RECORDED_COLUMNS if cell(p, name)}
        unit = TranslationUnit(p.location, p.zh, p.en, (), bitext.zh_tag, bitext.en_tag,
                               p.zh_markup, p.en_markup)  # how a TMX written from it holds the pair
        entries.append(CorpusEntry(p.zh, p.en, {k: v for k, v in signals.items() if isinstance(v, float)},
                                   record={"id": p.location, "zh": p.zh, "en": p.en}, method=cell(p, "method") or BITEXT,
                                   unit=unit, cells=p.cells))
    return entries, bitext.header


def read_corpus(path: Path, layout=None) -> Corpus:
    """A corpus to rescore: JSONL (from ``align run``), TMX, XLIFF, gettext PO, TSV
    (``layout``: which columns, a header) or a Moses pair."""
    from ..ingest.bitext import TsvLayout

    from ..io.streams import STDIN, inner_path

    suffix = ".tsv" if str(path) == STDIN else inner_path(path).suffix.lower()
    if suffix in (".xlf", ".xliff", ".po", ".pot", ".tsv", ".zh", ".en"):
        entries, header = _bitext_entries(path, layout or TsvLayout())
        srclang = entries[0].unit.zh_lang if entries else TmxHeader().srclang
        return Corpus(path, "bitext", tuple(entries), TmxHeader(srclang=srclang), tsv_header=header)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".tmx":
        entries, header = _tmx_entries(path)
        corpus = Corpus(path, "tmx", tuple(entries), header, dict(header.props).get("x-encoder-signature", ""))
    else:
        entries = _jsonl_entries(path)
        corpus = Corpus(path, "jsonl", tuple(entries), encoder_signature=_run_encoder(path, entries))
    if not corpus.entries:
        raise InputError(f"{path}: no zh-en pairs found")
    return corpus


def _garble(entry: CorpusEntry) -> float:
    value = entry.signals.get("garble")
    return float(value) if isinstance(value, (int, float)) else text_garble(entry.zh, entry.en)


def _recorded(entry: CorpusEntry, same_encoder: bool) -> dict:
    """The signals of an entry the corpus measured better than a rescoring can: its cosine
    when this same encoder measured it (encoding a text again in another batch only adds
    float noise, which can flip a rounded value), its margin (against the documents the
    pair came from) and MT chrF (the translations are not in the corpus)."""
    numeric = {n: v for n, v in entry.signals.items() if isinstance(v, (int, float))}
    keep = {"margin"} | ({"cosine"} if same_encoder else set())
    recorded = {n: v for n, v in numeric.items() if n in keep}
    computed = {"mt_chrf_zh_en": bool(entry.zh_translation), "mt_chrf_en_zh": bool(entry.en_translation)}
    recorded.update({n: v for n, v in numeric.items() if n.startswith("mt_chrf") and not computed.get(n)})
    return recorded


def rescore(entries, encoder: Encoder, k: int = 4, model: QualityModel | None = None,
            measured_by: str = "", progress=None) -> list[Rescored]:
    """Recompute every signal, the hard rules and the quality of each entry, with the model
    of its method. The margin of an entry whose corpus does not record one is measured
    against the whole corpus, and bitext pairs expect the length ratio of the corpus's own
    bitext pairs. Where the corpus was measured by this same encoder (``measured_by``), its
    cosines are kept."""
    same_encoder = bool(measured_by) and measured_by == encoder.signature
    model = model or load_quality_model()
    entries = list(entries)
    zv = encoder.encode_alone([e.zh for e in entries], progress)
    ev = encoder.encode_alone([e.en for e in entries], progress)
    kx, ky = knn_mean(zv, ev, k), knn_mean(ev, zv, k)
    by_method: dict[str, list[tuple[str, str]]] = {}
    for e in entries:
        by_method.setdefault(model.judged_as(e.method), []).append((e.zh, e.en))
    ratios = {method: model.length_ratio_for(method, texts) for method, texts in by_method.items()}
    extra = optional_signals([(e.zh, e.en) for e in entries], wanted(model), encoder, k)  # none: a plain model
    out, chrf = [], SentenceChrf()
    numbered = list(enumerate(entries))
    for i, entry in progress(numbered, desc="rescore", unit="pair") if progress else numbered:
        evidence = PairEvidence(entry.zh, entry.en, zv[i], ev[i], float(kx[i]), float(ky[i]), _garble(entry),
                                entry.zh_translation, entry.en_translation)
        judged = judge(evidence, entry.method, model, ratios[model.judged_as(entry.method)],
                       {**extra[i], **_recorded(entry, same_encoder)}, chrf)
        out.append(Rescored(entry, judged.signals, judged.quality, judged.rejected_by, judged.rule_details))
    return out


@dataclass(frozen=True)
class RescoreSummary:
    pairs: int
    kept: int
    mean_quality_kept: float | None
    below_min_quality: int = 0
    rejected_by_rule: dict = field(default_factory=dict)  # rule name -> pairs it rejected
    duplicates: int = 0
    filters: dict = field(default_factory=dict)  # what each filter left out (score.audit.filter_audit)
    quality_signature: str = ""

    def as_dict(self) -> dict:
        return {"pairs": self.pairs, "kept": self.kept, "mean_quality_kept": self.mean_quality_kept,
                "below_min_quality": self.below_min_quality, "rejected_by_rule": self.rejected_by_rule,
                "duplicates": self.duplicates, "filters": self.filters, "quality_signature": self.quality_signature}

    def why_dropped(self) -> str:
        """What left the dropped pairs out, in a few words ("" when every pair was kept).

        >>> RescoreSummary(3, 0, None, 1, {"url_mismatch": 2}).why_dropped()
        'dropped: 1 below --min-quality, 2 by url_mismatch'
        """
        parts = ([f"{self.below_min_quality} below --min-quality"] if self.below_min_quality else []) + [
            f"{n} by {rule}" for rule, n in sorted(self.rejected_by_rule.items())] + (
            [f"{self.duplicates} duplicates"] if self.duplicates else [])
        return "dropped: " + ", ".join(parts) if parts else ""


def _judged(r: Rescored, number: int) -> Judged:
    record, unit = r.entry.record or {}, r.entry.unit
    name = str(record.get("id") or (unit.tuid if unit else "") or number + 1)
    return Judged(r.entry.zh, r.entry.en, r.quality, r.rejected_by, r.rule_details, name)


def filter_rescored(rescored: list[Rescored], settings: SelectSettings, quality_signature: str = ""
                    ) -> tuple[list[Rescored], RescoreSummary]:
    """The pairs the accept decision keeps, and a summary (the mean quality is over kept pairs;
    the dropped ones are counted by what dropped them, and audited)."""
    items = [_judged(r, n) for n, r in enumerate(rescored)]
    verdicts = decide(items, settings)
    kept = [r for r, v in zip(rescored, verdicts) if v is None]
    rules = Counter(name for r, v in zip(rescored, verdicts) if v is not None and v.reason == REJECTED_BY_RULE
                    for name in r.rejected_by if name not in settings.no_rules)
    count = Counter(v.reason for v in verdicts if v is not None)
    mean = round(float(np.mean([r.quality for r in kept])), 4) if kept else None
    return kept, RescoreSummary(len(rescored), len(kept), mean, count[BELOW_MIN_QUALITY], dict(sorted(rules.items())),
                                count[DUPLICATE], filter_audit(items, verdicts, settings), quality_signature)
