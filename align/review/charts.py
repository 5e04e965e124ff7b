"""Charts as inline SVG (no library, no request): a quality histogram per method with the
minimum-quality line, and the alignment map of a document pair."""

from __future__ import annotations

from html import escape

from ..records import sentence_index
from .data import DocumentPair

BINS = 20


def quality_colour(quality: float) -> str:
    """Red (0) through amber to green (1).

    >>> quality_colour(0.0), quality_colour(1.0)
    ('hsl(0,70%,45%)', 'hsl(120,70%,45%)')
    """
    return f"hsl({round(120 * max(0.0, min(1.0, quality)))},70%,45%)"


def histogram(qualities: list[float], min_quality: float, title: str, width: int = 360, height: int = 140) -> str:
    """Counts of pairs per quality bin of width 0.05; the dashed line is ``--min-quality``."""
    counts = [0] * BINS
    for q in qualities:
        counts[min(BINS - 1, int(q * BINS))] += 1
    top = max(counts) or 1
    plot_h, bar_w = height - 30, width / BINS
    bars = []
    for i, n in enumerate(counts):
        h = plot_h * n / top
        bars.append(f'<rect x="{i * bar_w:.1f}" y="{plot_h - h + 15:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                    f'fill="{quality_colour((i + 0.5) / BINS)}"><title>{i / BINS:.2f}-{(i + 1) / BINS:.2f}: {n} pairs</title></rect>')
    x = min_quality * width
    return (f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<text x="0" y="11" font-size="11">{escape(title)} ({len(qualities)} pairs, highest bin {top})</text>'
            + "".join(bars)
            + f'<line x1="{x:.1f}" x2="{x:.1f}" y1="12" y2="{plot_h + 15}" stroke="#333" stroke-dasharray="4 3"/>'
            f'<text x="{min(x + 3, width - 70):.1f}" y="{plot_h + 27}" font-size="10">min {min_quality}</text>'
            f'<text x="0" y="{height - 2}" font-size="10">0</text><text x="{width - 8}" y="{height - 2}" font-size="10">1</text>'
            "</svg>")


def alignment_map(view: DocumentPair, zh_count: int, en_count: int, links: dict[str, str] | None = None,
                  size: int = 320) -> str:
    """Chinese position across, English position down: each pair a box coloured by its quality
    (rejected pairs outlined in black), sentences left out as grey ticks on the axes. With
    ``links`` (href by pair id), a box is a link to its row."""
    links = links or {}
    n, m = max(1, zh_count), max(1, en_count)
    sx, sy = (size - 20) / n, (size - 20) / m
    parts = [f'<rect x="20" y="20" width="{size - 20}" height="{size - 20}" fill="#fafafa" stroke="#ccc"/>']
    for p in view.pairs:
        zi = [sentence_index(s) for s in p["zh_ids"]]
        ei = [sentence_index(s) for s in p["en_ids"]]
        x, y = 20 + min(zi) * sx, 20 + min(ei) * sy
        w, h = max(2.0, (max(zi) - min(zi) + 1) * sx), max(2.0, (max(ei) - min(ei) + 1) * sy)
        stroke = ' stroke="#000" stroke-width="1.5"' if p.get("rejected_by") else ""
        box = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{quality_colour(p["quality"])}"'
               f'{stroke}><title>{escape(str(p["shape"]))} {escape(str(p["method"]))} '
               f'{escape(str(p["quality"]))}</title></rect>')
        href = links.get(p.get("id", ""))
        parts.append(f'<a href="{escape(href)}">{box}</a>' if href is not None else box)
    for u in view.unaligned:
        i = sentence_index(u["id"])
        if u["lang"] == "zh":
            parts.append(f'<rect x="{20 + i * sx:.1f}" y="4" width="{max(1.5, sx):.1f}" height="12" fill="#999">'
                         f'<title>zh {i}: {escape(u["reason"])}</title></rect>')
        else:
            parts.append(f'<rect x="4" y="{20 + i * sy:.1f}" width="12" height="{max(1.5, sy):.1f}" fill="#999">'
                         f'<title>en {i}: {escape(u["reason"])}</title></rect>')
    return (f'<svg class="map" role="img" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>alignment map: {escape(view.zh_doc)} (across) and '
            f'{escape(view.en_doc)} (down)</title>' + "".join(parts) + "</svg>")
