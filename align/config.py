"""``RunConfig``: every setting of ``align run``, typed, with the signatures it gives the outputs;
``run_config`` builds it from the command line's options (by parameter name), and
``run_options`` gives those options back from the ``settings`` a ``run.json`` records (what
``align config`` writes as TOML)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .aligner.documents import PairingSettings
from .aligner.interleaved import InterleavedSettings
from .aligner.mining import MiningSettings
from .aligner.parallel import ParallelSettings
from .errors import ConfigurationError, InputError
from .executor.base import EXECUTORS, ExecutorSettings
from .ingest import MB, IngestSettings, ReadLimits
from .io.corpus import TRANSLATION_FILES
from .normalize import NormalizeSettings
from .export.subtitles import CUE_TIMES
from .score.quality import QualityModel
from .score.select import DEFAULT_MIN_QUALITY, SelectSettings
from .score.signals import SIGNALS, SignalSettings
from .translate.base import DecodeSettings
from .translate.stage import TranslateSettings, parse_model_option

CORPUS_FORMATS = ("tmx", "jsonl", "tsv", "moses", "xlsx", "srt", "vtt", "bilingual-html")  # --format of align run
DEFAULT_FORMATS = ("tmx", "jsonl")
TMX_UNITS = ("bead", "sentence")  # --tmx-units
JSONL_LAYOUTS = ("align", "translation")  # --jsonl-layout
__all__ = ["CORPUS_FORMATS", "EXECUTORS", "ExecutorSettings", "JSONL_LAYOUTS", "OutputSettings", "RunConfig", "TMX_UNITS",
           "recorded_options", "run_config", "run_options"]
TO_STDOUT = "-"  # the output folder that means: corpus.jsonl to standard output, nothing else written
T2S_FIXER = "traditional_to_simplified"  # the fixer --t2s-output switches on


@dataclass(frozen=True)
class OutputSettings:
    """Where and how ``align run`` writes: the folder (``-``: corpus.jsonl to standard output),
    the corpus formats and the layout of their records."""

    folder: str | None = None  # -o; None: not chosen yet (build_corpus(...).write(OUT) chooses it)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    review: bool = True  # report.html (--no-report turns it off)
    jsonl_layout: str = "align"
    tmx_units: str = "bead"
    mined_in_corpus: bool = False  # pairs mined from comparable text in corpus.* (default: apart, in mined.*)
    keep_unaligned_cues: bool = False  # corpus.srt/.vtt keep the cues no pair used
    cue_times: str = "both"  # corpus.srt/.vtt: a pair's cue timed by both sides' cues, or by zh or en only
    overwrite: bool = False  # write into a folder of files align did not write

    def __post_init__(self) -> None:
        for given, allowed, what in ((self.formats, CORPUS_FORMATS, "format"), ((self.jsonl_layout,), JSONL_LAYOUTS,
                                      "JSONL layout"), ((self.tmx_units,), TMX_UNITS, "TMX unit"),
                                     ((self.cue_times,), CUE_TIMES, "cue times")):
            bad = [g for g in given if g not in allowed]
            if bad:
                raise ConfigurationError(f"unknown {what} {bad[0]!r}: use {', '.join(allowed)}")

    @property
    def to_stdout(self) -> bool:
        return self.folder == TO_STDOUT


@dataclass(frozen=True)
class RunConfig:
    inputs: tuple[str, ...] = ()  # files and folders read as documents (build_corpus and align run give them)
    encoder: str = "use"
    ingest: IngestSettings = field(default_factory=IngestSettings)
    normalize: NormalizeSettings = field(default_factory=NormalizeSettings)
    translate: TranslateSettings = field(default_factory=TranslateSettings)
    pairing: PairingSettings = field(default_factory=PairingSettings)
    interleaved: InterleavedSettings = field(default_factory=InterleavedSettings)
    parallel: ParallelSettings = field(default_factory=ParallelSettings)
    mining: MiningSettings = field(default_factory=MiningSettings)
    select: SelectSettings = field(default_factory=SelectSettings)
    match_simplified: bool = False  # embed Chinese in its Simplified form (--t2s)
    pair_by_name: bool = True  # pair NAME.zh.md with NAME.en.md (and mirrored folders) before any content search
    pairs_manifest: str | None = None  # --pairs: a TSV of Chinese path, English path
    bitext: tuple[str, ...] = ()  # files of aligned pairs (TMX, XLIFF, TSV, Moses) to score and export
    quality_model: str | None = None  # a model file (align calibrate) that judges every pair; None: the shipped one
    zh_tag: str | None = None  # language tags written to TMX and JSONL; None: from the bitext, else zh-CN
    en_tag: str | None = None
    output: OutputSettings = field(default_factory=OutputSettings)
    execution: ExecutorSettings = field(default_factory=ExecutorSettings)  # local, -j N or Ray
    cache_dir: str | None = None  # embeddings and translations; None: OUTPUT/.align-cache (align.runtime decides)
    quiet: bool = False  # no progress bars or log lines
    strict: bool = False  # align run exits 1 when an input file was skipped

    @property
    def device(self) -> str:
        """Where ``st:`` encoders and CTranslate2 models run (one setting: ``--device``)."""
        return self.translate.decode.device

    @property
    def max_overlap(self) -> int:
        """The longest run of sentences any aligner embeds."""
        return max(self.parallel.max_bead, self.mining.max_run)

    def signatures(self, encoder_signature: str, model: QualityModel) -> dict[str, str]:
        """Every signature a run's numbers depend on: the signals, encoder, quality model and aligners."""
        described = SignalSettings(encoder_signature, model.length_ratio, self.mining.k)
        return {
            **{f"signal:{s.name}": s.describe(described) for s in SIGNALS},
            "encoder": encoder_signature,
            "quality": model.signature,
            "parallel": self.parallel.signature(),
            "mining": self.mining.signature(),
            "pairing": self.pairing.signature(),
            "interleaved": self.interleaved.signature(),
            "normalize": self.normalize.signature(),
            "select": self.select.signature(),
        }

    def as_dict(self) -> dict:
        return asdict(self)


def option_names(values) -> tuple[str, ...]:
    """Names given as repeatable, comma-separated option values.

    >>> option_names(["a,b", " c "])
    ('a', 'b', 'c')
    """
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def normalize_settings(t2s: bool, glossaries, fix=(), no_fix=()) -> NormalizeSettings:
    """The normalization of ``--t2s-output`` (``t2s``), ``--glossary``, ``--fix`` and ``--no-fix``."""
    enable = option_names(fix) + ((T2S_FIXER,) if t2s else ())
    return NormalizeSettings(enable=tuple(dict.fromkeys(enable)), disable=option_names(no_fix),
                             glossaries=tuple(str(g) for g in glossaries))


def split_inputs(inputs, bitexts=()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The inputs read as documents, and the bitext files: ``bitexts`` and the TMX, XLIFF and
    PO files among the inputs.

    >>> split_inputs(["a/", "b.tmx"], ["c.tsv"])
    (('a/',), ('c.tsv', 'b.tmx'))
    """
    is_bitext = [Path(i).suffix.lower() in TRANSLATION_FILES for i in inputs]
    return (tuple(str(i) for i, b in zip(inputs, is_bitext) if not b),
            tuple(str(b) for b in bitexts) + tuple(str(i) for i, b in zip(inputs, is_bitext) if b))


def _min_quality(given: float | None, model_path: str | None) -> float:
    """``--min-quality`` as given, else the threshold of the ``--quality-model``, else the default."""
    if given is not None:
        return given
    if model_path is None:
        return DEFAULT_MIN_QUALITY
    from .score.judge import quality_model

    threshold = quality_model(model_path).threshold
    return DEFAULT_MIN_QUALITY if threshold is None else threshold


def _output_settings(o: Mapping) -> OutputSettings:
    folder = None if o["output"] is None else str(o["output"])
    if folder == TO_STDOUT:  # only corpus.jsonl, every pair in it
        return OutputSettings(folder, ("jsonl",), False, o["jsonl_layout"], o["tmx_units"], True,
                              o["keep_unaligned_cues"], o["cue_times"], o["overwrite"])
    return OutputSettings(folder, tuple(dict.fromkeys(o["formats"])) or DEFAULT_FORMATS, not o["no_report"],
                          o["jsonl_layout"], o["tmx_units"], o["mined_in_corpus"], o["keep_unaligned_cues"],
                          o["cue_times"], o["overwrite"])


def run_config(o: Mapping) -> RunConfig:
    """The ``RunConfig`` of ``align run``'s options ``o``, by parameter name (``min_quality``
    None: the ``--quality-model``'s threshold, else the default). Every option lands in a field."""
    inputs, bitexts = split_inputs(o["inputs"], o["bitexts"])
    limits = ReadLimits(o["max_file_size"] * MB, o["max_expanded_size"] * MB, o["max_line_size"] * MB)
    return RunConfig(
        inputs=inputs, encoder=o["encoder"],
        ingest=IngestSettings(o["input_format"], o["keep_extracted"], limits),
        normalize=normalize_settings(o["t2s_output"], o["glossaries"], o["fix"], o["no_fix"]),
        match_simplified=o["t2s"] or o["t2s_output"], pair_by_name=not o["no_name_pairing"],
        pairs_manifest=str(o["pairs_manifest"]) if o["pairs_manifest"] else None,
        zh_tag=o["zh_tag"], en_tag=o["en_tag"], bitext=bitexts,
        translate=TranslateSettings(mode=o["translate_mode"], models=tuple(parse_model_option(m) for m in o["mt_models"]),
                                    decode=DecodeSettings(beams=o["beams"], device=o["device"])),
        select=SelectSettings(min_quality=_min_quality(o["min_quality"], o["quality_model"]),
                              keep_rejected=o["keep_rejected"], dedup=o["dedup"], no_rules=option_names(o["no_rules"])),
        quality_model=None if o["quality_model"] is None else str(o["quality_model"]),
        output=_output_settings(o),
        execution=ExecutorSettings(o["executor_kind"], o["address"], o["workers"], o["jobs"], o["ray_timeout"]),
        cache_dir=None if o["cache_dir"] is None else str(o["cache_dir"]),
        quiet=o["quiet"], strict=o["strict"])


def run_options(settings: Mapping) -> dict:
    """``align run``'s options (by parameter name, ``None`` left out) that give the run whose
    ``run.json`` recorded ``settings`` (``RunConfig.as_dict``): what ``align config`` writes."""
    s, out, select, normalize = settings, settings["output"], settings["select"], settings["normalize"]
    limits, execution, decode = settings["ingest"]["limits"], settings["execution"], settings["translate"]["decode"]
    t2s_output = T2S_FIXER in normalize["enable"]
    options = {
        "inputs": list(s["inputs"]), "output": out["folder"], "min_quality": select["min_quality"],
        "keep_rejected": select["keep_rejected"], "dedup": select["dedup"] or None, "formats": list(out["formats"]),
        "keep_unaligned_cues": out["keep_unaligned_cues"], "cue_times": out.get("cue_times", "both"),
        "bitexts": list(s["bitext"]), "t2s_output": t2s_output,
        "zh_tag": s["zh_tag"], "en_tag": s["en_tag"], "input_format": s["ingest"]["input_format"],
        "keep_extracted": s["ingest"]["keep_extracted"], "encoder": s["encoder"],
        "t2s": s["match_simplified"] and not t2s_output, "glossaries": list(normalize["glossaries"]),
        "fix": [n for n in normalize["enable"] if n != T2S_FIXER], "no_fix": list(normalize["disable"]),
        "quality_model": s["quality_model"], "no_rules": list(select["no_rules"]),
        "translate_mode": s["translate"]["mode"], "mt_models": [f"{d}={p}" for d, p in s["translate"]["models"]],
        "beams": decode["beams"], "cache_dir": s["cache_dir"], "overwrite": out["overwrite"],
        "max_file_size": limits["file_bytes"] // MB, "max_expanded_size": limits["expanded_bytes"] // MB,
        "max_line_size": limits["line_bytes"] // MB, "no_report": not out["review"], "tmx_units": out["tmx_units"],
        "mined_in_corpus": out["mined_in_corpus"], "jsonl_layout": out["jsonl_layout"],
        "executor_kind": execution["kind"], "address": execution["address"], "workers": execution["workers"],
        "ray_timeout": execution["timeout"], "jobs": execution["jobs"], "device": decode["device"],
        "pairs_manifest": s["pairs_manifest"], "no_name_pairing": not s["pair_by_name"], "strict": s["strict"],
        "quiet": s["quiet"]}
    return {name: value for name, value in options.items() if value is not None}


def recorded_options(run: Mapping) -> dict:
    """``align run``'s options of the run a ``run.json`` (``run``) records: from its
    ``settings``, or, in a folder written before the settings were complete, the ``options``
    it kept beside them."""
    if isinstance(run.get("options"), dict):
        return dict(run["options"])
    try:
        return run_options(run["settings"])
    except (KeyError, TypeError) as exc:
        raise InputError(f"holds no complete settings (written by an older align?): {exc} missing") from exc
