"""What the command line prints about a run: one-line messages, and the summary of
``align run`` on standard error. Printing only: the numbers come from the run and its report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click


def printable_line(message) -> str:
    """A message as one printable line: control characters (a newline or BEL in a file name)
    are written as escapes.

    >>> printable_line("bad\\nname\\x07.txt")
    'bad\\\\nname\\\\x07.txt'
    """
    text = str(message)
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)



SUMMARY_DOCUMENT_PAIRS = 10  # document pairs named on the console (run.json lists them all)


def print_run_summary(result, report: dict, output: Path, quiet: bool) -> None:
    """The run's warnings (skipped files, manifest pairs whose content disagrees) and, unless
    ``quiet``, what it made: counts, filters, document pairs, Traditional Chinese, translation."""
    for skipped in result.prepared.skipped:
        if skipped.warn:
            click.echo(printable_line(f"align: warning: skipped {skipped.path}: {skipped.reason}"), err=True)
    for p in result.document_pairs:
        if p.content_disagrees:
            click.echo(printable_line(f"align: warning: {p.zh_doc} and {p.en_doc} are a translation by the manifest, "
                                      f"but their content is {p.evidence.kind}: aligned as parallel"), err=True)
    if quiet:
        return
    passed = sum(not s.warn for s in result.prepared.skipped)
    if passed:
        click.echo(f"align: {passed} file{'s' if passed != 1 else ''} with no strings to translate passed over "
                   "(listed in run.json)", err=True)
    counts = report["counts"]
    in_pairs = sum(len(p.zh) + len(p.en) for p in result.pairs)
    mined = f", {counts['pairs_in_mined']} in mined.* (mined from comparable text)" if counts["pairs_in_mined"] else ""
    click.echo(f"align: {len(result.prepared.sentences)} sentences -> {len(result.pairs)} pairs "
               f"({in_pairs} sentences): {counts['pairs_in_corpus']} in corpus.*{mined}; "
               f"{len(result.unaligned)} unaligned; wrote {output}/", err=True)
    found = report["document_pairing"]["document_pairs"]
    if result.filters:
        from .score.audit import audit_lines

        for line in audit_lines(result.filters):
            click.echo(f"align: {line}", err=True)
    how = Counter(p.how for p in result.document_pairs)
    if how:
        comparable = sum(p.aligned == "comparable" for p in result.document_pairs)
        click.echo("align: document pairs decided by " + ", ".join(f"{how_} ({n})" for how_, n in sorted(how.items()))
                   + "; the rest by content" + (f"; {comparable} of them comparable by content, mined" if comparable
                                                else ""), err=True)
    for pair in found[:SUMMARY_DOCUMENT_PAIRS]:
        mined = f", {pair['mined']} of them mined" if pair["mined"] else ""
        click.echo(printable_line(f"align:   {pair['zh']} <-> {pair['en']} (by {pair['how']}: {pair['pairs']} pairs{mined})"),
                   err=True)
    if len(found) > SUMMARY_DOCUMENT_PAIRS:
        click.echo(f"align:   ... and {len(found) - SUMMARY_DOCUMENT_PAIRS} more document pairs (run.json: "
                   "document_pairing.document_pairs)", err=True)
    if result.traditional:
        click.echo(f"align: {len(result.traditional)} document(s) in Traditional Chinese, matched through Simplified "
                   "(the corpus keeps the text as written; --t2s-output converts it)", err=True)
    for direction, info in result.translation_report.items():
        if info.status == "done":
            click.echo(f"align: {direction}: {info.sentences} sentences, {info.translated} translated, "
                       f"{info.from_cache} from cache ({info.engine})", err=True)
        else:
            click.echo(f"align: {direction}: translation skipped: {info.reason}", err=True)
