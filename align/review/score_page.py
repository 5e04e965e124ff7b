"""The page of ``align score --report FILE.html``: the systems compared segment by segment,
one self-contained file (styles and script inline, no request), written by the review
report's templates (``base.html.j2``) and opened from ``file://``."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..io.atomic import write_text
from ..score.compare import Comparison
from .write import environment


def render_score_report(comparison: Comparison) -> str:
    return environment().get_template("score_report.html.j2").render(
        title="align score: systems compared", version=__version__, signature="", c=comparison)


def write_score_report(path: Path, comparison: Comparison) -> Path:
    """Write the page atomically (a failed run leaves no partial file)."""
    write_text(path, render_score_report(comparison))
    return path
