"""``RunConfig``: every setting of ``align run``, typed, with the signatures it gives the outputs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .aligner.documents import PairingSettings
from .aligner.interleaved import InterleavedSettings
from .aligner.mining import MiningSettings
from .aligner.parallel import ParallelSettings
from .ingest import IngestSettings
from .normalize import NormalizeSettings
from .score.quality import QualityModel
from .score.select import SelectSettings
from .score.signals import SIGNALS, SignalSettings
from .translate.stage import TranslateSettings


@dataclass(frozen=True)
class RunConfig:
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
