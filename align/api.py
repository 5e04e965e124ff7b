"""The Python face of align, with the defaults of the command line (``--min-quality 0.5``,
the ``use`` encoder, the shipped quality model).

- ``align_sentences(zh, en)``: align two lists of sentences (``align pair``), each bead with
  its quality; the inputs may be strings or records with a ``text`` (a dict, or any object
  with a ``text`` attribute: a subtitle cue with its timings), which come back on the beads.
- ``build_corpus(inputs)``: the whole pipeline on files and folders (``align run``); the
  result writes the output folder with ``.write(out_dir)``.
- ``score_pairs(pairs)``: judge ``(zh, en)`` pairs of unknown origin (``align score``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .aligner.groups import SKIPPED_BY_PARALLEL
from .config import RunConfig
from .records import RunResult, Sentence
from .score.judge import Judgement
from .score.select import DEFAULT_MIN_QUALITY, SelectSettings, verdict

ALIGNED = "aligned"  # the reason of a bead that is kept


@dataclass(frozen=True)
class AlignedBead:
    """A bead of ``align_sentences``: indices into each input list, the texts, the quality,
    and whether the accept decision keeps it (``reason`` says why not: a bead with an empty
    side is ``skipped_by_parallel_alignment``)."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    zh_text: str
    en_text: str
    quality: float
    reason: str = ALIGNED
    rejected_by: tuple[str, ...] = ()
    zh_items: tuple = field(default=(), compare=False)  # the input items themselves, with their metadata
    en_items: tuple = field(default=(), compare=False)

    @property
    def kept(self) -> bool:
        return self.reason == ALIGNED


def _text(item) -> str:
    if isinstance(item, str):
        return item
    text = item.get("text") if isinstance(item, dict) else getattr(item, "text", None)
    if not isinstance(text, str):
        raise TypeError(f"an input sentence is a string or has a 'text' string, not {type(item).__name__}")
    return text


def _sentences(items: Sequence, lang: str) -> list[Sentence]:
    out, offset = [], 0
    for n, item in enumerate(items):
        text = _text(item)
        out.append(Sentence(f"{lang}{n}", lang, 0, n, lang, text, offset, offset + len(text)))
        offset += len(text) + 1
    return out


def align_sentences(zh: Sequence, en: Sequence, encoder="use", min_quality: float = DEFAULT_MIN_QUALITY
                    ) -> list[AlignedBead]:
    """Align Chinese and English sentences (monotonic, many-to-many) and judge each bead as
    ``align run`` judges parallel pairs. Every sentence is in exactly one bead; the beads
    come in order. ``encoder``: a name (``use``, ``e5``, ``st:PATH``) or an ``Encoder``."""
    from .aligner.parallel import align_sentences as align_runs
    from .embed import embed_overlaps, get_encoder
    from .score.pairs import score_candidates
    from .score.quality import load_quality_model

    config = RunConfig()
    enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
    zh_s, en_s = _sentences(zh, "zh"), _sentences(en, "en")
    zh_emb = embed_overlaps(enc, [s.text for s in zh_s], config.parallel.max_bead, "zh")
    en_emb = embed_overlaps(enc, [s.text for s in en_s], config.parallel.max_bead, "en")
    candidates, skipped = align_runs((zh_s, zh_emb), (en_s, en_emb), config.parallel, "parallel", 0)
    neighbours = {(0, "zh"): zh_emb.singles, (0, "en"): en_emb.singles}
    settings = SelectSettings(min_quality=min_quality)
    beads = []
    for pair in score_candidates(candidates, neighbours, config.mining.k, load_quality_model()):
        why = verdict(pair.quality, pair.rejected_by, settings)
        beads.append(AlignedBead(tuple(s.index for s in pair.zh), tuple(s.index for s in pair.en), pair.zh_text,
                                 pair.en_text, pair.quality, why.reason if why else ALIGNED, pair.rejected_by,
                                 tuple(zh[s.index] for s in pair.zh), tuple(en[s.index] for s in pair.en)))
    return _in_order(beads + [_skipped_bead(sentence, zh if sentence.lang == "zh" else en) for sentence, _ in skipped])


def align_presplit(src: Sequence[str], tgt: Sequence[str], encoder="use", src_lang: str = "zh",
                   src_translation: Sequence[str] | None = None, mt_weight: float = 0.3):
    """The beads (``aligner.parallel.Bead``: 0-based ``src`` and ``tgt`` line indices and a
    score) of two lists of sentences, as ``align pair --presplit`` prints them; with
    ``src_translation`` (a machine translation of each ``src`` line into the other language)
    the MT signal weighs ``mt_weight``."""
    from .aligner.parallel import ParallelSettings, align_parallel
    from .embed import embed_overlaps, get_encoder

    enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
    tgt_lang = "en" if src_lang == "zh" else "zh"
    settings = ParallelSettings(mt_weight=mt_weight if src_translation is not None else 0.0)
    src_mt = embed_overlaps(enc, list(src_translation), settings.max_bead, tgt_lang) if src_translation is not None else None
    return align_parallel(embed_overlaps(enc, list(src), settings.max_bead, src_lang),
                          embed_overlaps(enc, list(tgt), settings.max_bead, tgt_lang), settings, src_mt)


def _skipped_bead(sentence: Sentence, items: Sequence) -> AlignedBead:
    """The bead of a sentence the alignment left without a partner."""
    side, text, item = (sentence.index,), sentence.text, (items[sentence.index],)
    zh = sentence.lang == "zh"
    return AlignedBead(side if zh else (), () if zh else side, text if zh else "", "" if zh else text, 0.0,
                       SKIPPED_BY_PARALLEL, zh_items=item if zh else (), en_items=() if zh else item)


def _in_order(beads: list[AlignedBead]) -> list[AlignedBead]:
    """Beads in reading order: by their Chinese, a bead with only English just after the last
    bead whose English comes before it (the alignment is monotonic)."""
    paired = sorted((b.en[-1], b.zh[-1]) for b in beads if b.zh and b.en)
    ends = [e for e, _ in paired]

    def key(b: AlignedBead) -> tuple[float, int]:
        if b.zh:
            return b.zh[0], b.en[0] if b.en else -1
        k = bisect.bisect_left(ends, b.en[0])
        return (paired[k - 1][1] if k else -1) + 0.5, b.en[0]
    return sorted(beads, key=key)


@dataclass(frozen=True)
class BuiltCorpus:
    """What ``build_corpus`` found: the run's result, with the settings and signatures it
    was made with, ready to be written."""

    result: RunResult
    config: RunConfig

    @property
    def signatures(self) -> dict:
        return self.result.signatures

    @property
    def pairs(self):
        return self.result.pairs

    @property
    def unaligned(self):
        return self.result.unaligned

    def write(self, out_dir: str | Path, formats: Sequence[str] | None = None, review: bool | None = None) -> dict:
        """Write the output folder as ``align run -o OUT_DIR`` does, with the config's output
        settings (``formats`` and ``review`` replace its formats and report); return ``run.json``,
        whose ``settings`` ``align config OUT_DIR`` writes as TOML."""
        from .config import TO_STDOUT
        from .errors import ConfigurationError
        from .runtime import open_output_folder, write_run

        if str(out_dir) == TO_STDOUT:
            raise ConfigurationError("BuiltCorpus.write takes a folder, not '-'")
        chosen = {"folder": str(out_dir), **({} if formats is None else {"formats": tuple(dict.fromkeys(formats))}),
                  **({} if review is None else {"review": review})}
        config = replace(self.config, output=replace(self.config.output, **chosen))
        open_output_folder(Path(out_dir), config.output.overwrite)
        return write_run(self.result, config, Path(out_dir))


def build_corpus(inputs: Iterable[str | Path], config: RunConfig | None = None, encoder=None,
                 progress=None) -> BuiltCorpus:
    """Run the pipeline on files and folders (TMX, XLIFF and PO files among them are bitext)
    with ``config`` (the command line's defaults when ``None``) as ``align run`` does: its
    executor (``execution``: ``-j``, Ray), cache folder (``cache_dir``; None: no cache) and
    the rest. ``encoder``: an ``Encoder`` for this process (workers build ``config.encoder``);
    ``progress``: a tqdm-like factory for progress bars."""
    from .config import split_inputs
    from .runtime import Runtime

    config = config or RunConfig()
    documents, bitexts = split_inputs(list(inputs), config.bitext)
    config = replace(config, inputs=documents, bitext=bitexts, output=replace(config.output, folder=None))
    with Runtime(config, encoder) as runtime:
        return BuiltCorpus(runtime.run(progress), config)


def score_pairs(pairs: Iterable[tuple[str, str]], encoder="use", quality_model: str | Path | None = None
                ) -> list[Judgement]:
    """Judge ``(zh, en)`` pairs of unknown origin as ``align score`` judges a TSV of them:
    signals, the hard rules they break and their quality (by ``quality_model``, a file
    ``align calibrate`` wrote, else the shipped model). ``build_corpus`` takes the model in
    ``RunConfig(quality_model=...)``."""
    from .embed import get_encoder
    from .score.judge import quality_model as load_model
    from .io.corpus import CorpusEntry
    from .score.rescore import rescore

    enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
    entries = [CorpusEntry(zh, en) for zh, en in pairs]
    if not entries:
        return []
    model = load_model(None if quality_model is None else str(quality_model))
    return [Judgement(r.signals, r.quality, r.rejected_by, r.rule_details) for r in rescore(entries, enc, model=model)]
