"""Scoring a translated document whose lines do not match the reference's (``align score
--resegment``): both are split into sentences, the hypothesis is aligned to the reference
with ``align``'s own monotonic aligner (both sides in the target language), and the aligned
segments are scored. Reference sentences with no partner are *omitted* material, hypothesis
sentences with no partner *added* material; both are reported beside the scores, as book-
length MT evaluation needs (mwerSegmenter re-segments by edit distance to the reference alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..aligner.parallel import ParallelSettings, align_parallel
from ..embed import Encoder, embed_overlaps
from ..errors import InputError
from ..records import join_sentences
from ..segment import split_sentences


@dataclass(frozen=True)
class Resegmented:
    hypotheses: list[str]  # aligned segments, one per bead with both sides
    references: list[str]
    omitted: list[str]  # reference sentences the hypothesis has nothing for
    added: list[str]  # hypothesis sentences the reference has nothing for

    def as_dict(self) -> dict:
        return {"segments": len(self.hypotheses), "omitted_sentences": len(self.omitted),
                "added_sentences": len(self.added), "omitted": self.omitted, "added": self.added}


def document_sentences(lines: Sequence[str], lang: str) -> list[str]:
    """The sentences of a document given as lines, however it was wrapped: lines are joined
    into paragraphs at blank lines, then split.

    >>> document_sentences(["She walks. The street", "is damp.", "", "Many walk."], "en")
    ['She walks.', 'The street is damp.', 'Many walk.']
    """
    paragraphs, current = [], []
    for line in list(lines) + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(join_sentences(current, lang))
            current = []
    return [p[s:e] for p in paragraphs for s, e in split_sentences(p, lang)]


def resegment(hyp_lines: Sequence[str], ref_lines: Sequence[str], lang: str, encoder: Encoder,
              settings: ParallelSettings = ParallelSettings()) -> Resegmented:
    """Align the hypothesis document to the reference document, sentence by sentence."""
    hyps, refs = document_sentences(hyp_lines, lang), document_sentences(ref_lines, lang)
    if not hyps or not refs:
        raise InputError("--resegment: the hypothesis or the reference has no sentence")
    beads = align_parallel(embed_overlaps(encoder, hyps, settings.max_bead, lang),
                           embed_overlaps(encoder, refs, settings.max_bead, lang), settings)
    out_h, out_r, omitted, added = [], [], [], []
    for bead in beads:
        if bead.src and bead.tgt:
            out_h.append(join_sentences([hyps[i] for i in bead.src], lang))
            out_r.append(join_sentences([refs[j] for j in bead.tgt], lang))
        else:
            added += [hyps[i] for i in bead.src]
            omitted += [refs[j] for j in bead.tgt]
    return Resegmented(out_h, out_r, omitted, added)
