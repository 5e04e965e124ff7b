"""Writing the review report: ``report.html`` beside the other outputs, one self-contained file
(no network, readable without JavaScript). Past ``PAGE_ROWS`` rows, each document pair gets
pages of its own under ``report/`` and the main page keeps the summary, the list of
document pairs and samples of the best and worst pairs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..io.atomic import write_text
from ..io.outdir import is_output_folder, mark_output_folder, previous_files
from .charts import alignment_map, histogram, quality_colour
from .data import DocumentPair, Outputs, Row, document_pairs, summary
from .order import likely_wrong

DEFAULT_RATIO = 4.0  # English characters per Chinese one, when run.json does not say
PAGE_ROWS = 2000  # rows on one page; a run with more is split into pages per document pair
MAP_PAIRS = 5000  # boxes drawn on one alignment map at most (evenly sampled beyond)
SAMPLE = 50  # best and worst pairs on the main page of a split report
EDIT_LIMIT = 500  # edits listed per document (the rest are in edits.jsonl)
UNPAIRED_LIMIT = 500


@dataclass
class View:
    view: DocumentPair
    anchor: str
    mean: float
    rows: list[Row]
    map: str
    pages: list[str]
    likely_wrong: dict[str, float]  # by pair id: the errors-first order


def row_anchor(pair_id: str) -> str:
    return f"r-{pair_id}"


def _row_pages(rows: list[Row], pages: list[str]) -> dict[str, str]:
    """The page (relative to the report's folder) each pair row of a view is on ("" when the
    view is on the main page)."""
    out = {}
    for n, row in enumerate(rows):
        if row.kind == "pair":
            out[row.record["id"]] = Path(pages[n // PAGE_ROWS]).name if pages else ""
    return out


def environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("align.review", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["colour"] = quality_colour
    return env


def _highest_indexes(outputs: Outputs) -> dict[tuple[str, str], int]:
    """For each document and language, one more than the highest sentence index a pair holds
    (one pass over the pairs: a pass per document made the report quadratic in the files)."""
    highest: dict[tuple[str, str], int] = {}
    for pair in outputs.pairs:
        for lang in ("zh", "en"):
            for sid in pair[f"{lang}_ids"]:
                doc, index = sid.rsplit("#", 1)
                key = (doc, lang)
                highest[key] = max(highest.get(key, 0), int(index[2:]) + 1)
    return highest


def _counts(outputs: Outputs, highest: dict[tuple[str, str], int], doc: str, lang: str) -> int:
    counted = outputs.run.get("documents", {}).get(doc, {}).get("sentences_by_language", {}).get(lang, 0)
    return max(int(counted), highest.get((doc, lang), 0))


def _map(outputs: Outputs, highest: dict[tuple[str, str], int], view: DocumentPair, links: dict[str, str]) -> str:
    """The alignment map of a view, each box a link to its row (``links``: page by pair id)."""
    sampled = view
    if len(view.pairs) > MAP_PAIRS:
        step = len(view.pairs) / MAP_PAIRS
        sampled = DocumentPair(view.zh_doc, view.en_doc, [view.pairs[int(i * step)] for i in range(MAP_PAIRS)],
                               view.unaligned)
    hrefs = {pid: f"{page}#{row_anchor(pid)}" for pid, page in links.items()}
    return alignment_map(sampled, _counts(outputs, highest, view.zh_doc, "zh"),
                         _counts(outputs, highest, view.en_doc, "en"), hrefs)


def _options(outputs: Outputs, views: list[DocumentPair]) -> dict:
    return {
        "methods": sorted({p["method"] for p in outputs.pairs}),
        "shapes": sorted({p["shape"] for p in outputs.pairs}),
        "rules": sorted({r for p in outputs.pairs for r in p.get("rejected_by", [])}),
        "docs": [v.key for v in views],
    }


def _views(outputs: Outputs, split: bool) -> tuple[list[View], dict]:
    pairs, unpaired = document_pairs(outputs)
    views = []
    ratio = float(outputs.run.get("length_ratio") or DEFAULT_RATIO)
    highest = _highest_indexes(outputs)
    for n, view in enumerate(pairs):
        rows = view.rows()
        pages = [f"report/{n:04d}-{k + 1}.html" for k in range(max(1, -(-len(rows) // PAGE_ROWS)))] if split else []
        mean = sum(p["quality"] for p in view.pairs) / max(1, len(view.pairs))
        scores = likely_wrong(view.pairs, {u["id"] for u in view.unaligned}, ratio)
        views.append(View(view, f"pair-{n}", mean, rows, _map(outputs, highest, view, _row_pages(rows, pages)), pages, scores))
    return views, unpaired


def _write_pages(env, folder: Path, views: list[View], common: dict) -> list[str]:
    template = env.get_template("pair.html.j2")
    written = []
    for v in views:
        names = [Path(p).name for p in v.pages]
        for k, name in enumerate(names):
            html = template.render(**common, title=f"{v.view.zh_doc} ↔ {v.view.en_doc}", up="../", page=k + 1,
                                   pages=names, map=v.map if k == 0 else "", key=v.view.key, suspects=v.likely_wrong,
                                   rows=v.rows[k * PAGE_ROWS : (k + 1) * PAGE_ROWS])
            write_text(folder / "report" / name, html)
            written.append(f"report/{name}")
    return written


@dataclass(frozen=True)
class ReportFiles:
    path: Path  # report.html
    pages: list[str]  # pages of document pairs, relative to the folder


def _remove_old_pages(folder: Path) -> None:
    """Pages an earlier report of this folder wrote (as its marker lists them); nothing else
    in ``report/`` is touched."""
    for name in previous_files(folder):
        path = folder / name
        if name.startswith("report/") and path.is_file() and not path.is_symlink():
            path.unlink()


def write_report(folder: Path, outputs: Outputs | None = None, pages: bool = False) -> ReportFiles:
    """Build the report of an output folder from its files (or from ``outputs`` already read);
    ``pages`` gives each document pair pages of its own whatever the size of the run."""
    outputs = outputs or Outputs.read(folder)
    s = summary(outputs)
    total_rows = len(outputs.pairs) + len(outputs.unaligned)
    split = pages or total_rows > PAGE_ROWS
    views, unpaired = _views(outputs, split)
    env = environment()
    common = {"version": __version__, "signature": outputs.run.get("signature", ""),
              "options": _options(outputs, [v.view for v in views])}
    by_quality = sorted(outputs.pairs, key=lambda p: p["quality"])
    edits: dict[str, list[dict]] = {}
    for e in outputs.edits:
        edits.setdefault(e["doc"], []).append(e)
    methods = sorted({p["method"] for p in outputs.pairs})
    histograms = [histogram([p["quality"] for p in outputs.pairs if p["method"] == m], s["min_quality"], f"quality: {m}")
                  for m in methods]
    html = env.get_template("report.html.j2").render(
        **common, title="align review report", up="", s=s, histograms=histograms, views=views, split=split,
        total_rows=total_rows, page_rows=PAGE_ROWS, unpaired=unpaired, unpaired_limit=UNPAIRED_LIMIT,
        edits=edits, edit_limit=EDIT_LIMIT,
        samples={"worst": [Row.of_pair(p) for p in by_quality[:SAMPLE]],
                 "best": [Row.of_pair(p) for p in by_quality[::-1][:SAMPLE]]})
    _remove_old_pages(folder)
    written = _write_pages(env, folder, views, common) if split else []
    write_text(folder / "report.html", html)
    if is_output_folder(folder):
        mark_output_folder(folder, [f for f in previous_files(folder) if not f.startswith("report/")] + written)
    return ReportFiles(folder / "report.html", written)
