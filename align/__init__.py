"""align: build Chinese-English parallel corpora from documents.

The Python face (``align.api``), with the command line's defaults:

- ``align.align_sentences(zh, en)`` -> ``list[AlignedBead]`` (indices, texts, quality);
- ``align.align_presplit(src, tgt)`` -> the raw beads of ``align pair --presplit``;
- ``align.build_corpus(inputs, config=None)`` -> ``BuiltCorpus`` (``.pairs``, ``.write(out_dir)``);
- ``align.score_pairs(pairs)`` -> ``list[Judgement]``.

They load on first use, so that ``import align`` stays cheap.
"""

__version__ = "0.1.0"
DISTRIBUTION = "zhen-align"  # the name on PyPI (``align`` there is another project); the import name is align
__all__ = ["AlignedBead", "BuiltCorpus", "ExecutorSettings", "Judgement", "OutputSettings", "RunConfig", "align_presplit",
           "align_sentences", "build_corpus", "score_pairs"]


def __getattr__(name: str):
    if name in ("AlignedBead", "BuiltCorpus", "align_presplit", "align_sentences", "build_corpus", "score_pairs"):
        from . import api

        return getattr(api, name)
    if name == "Judgement":
        from .score.judge import Judgement

        return Judgement
    if name in ("RunConfig", "OutputSettings", "ExecutorSettings"):
        from . import config

        return getattr(config, name)
    raise AttributeError(f"module 'align' has no attribute {name!r}")
