"""``corpus.html`` (``--format bilingual-html``): the aligned text as a reader reads a parallel
book: document by document, in the Chinese text's order, each paragraph followed by its
translation. A Chinese paragraph's pairs give the paragraph and, below it, their English;
a sentence in no pair keeps its place with its one language (marked), so nothing is left out.
One self-contained page, no script."""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Mapping
from itertools import groupby
from pathlib import Path
from types import MappingProxyType

from ..io.atomic import write_text
from ..records import join_sentences, sentence_doc, sentence_index

STYLE = ("body{font:16px/1.6 serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}"
         "h2{font:bold 1.1em sans-serif;border-bottom:1px solid #ccc;margin-top:2.5em}"
         ".p{margin:1.2em 0}.zh{margin:0}.en{margin:.2em 0 0;color:#245;font-style:italic}"
         ".alone{color:#999}.alone::after{content:' (no translation found)';font-size:.8em}")


def _rows(records: list[dict], unaligned: list[dict]) -> list[tuple[tuple, str, str, tuple]]:
    """(order key, Chinese text, English text, Chinese paragraph) of every pair and unaligned
    sentence: pairs and Chinese sentences by their Chinese position, an English sentence just
    after the pair before it in its document (before the first, when none is before it)."""
    rows = []
    en_after: dict[str, list[tuple[int, tuple]]] = {}
    for r in records:
        first = r["provenance"]["zh"][0] if r["provenance"].get("zh") else {}
        key = (sentence_doc(r["zh_ids"][0]), sentence_index(r["zh_ids"][0]), 0)
        rows.append((key, r["zh"], r["en"], (first.get("doc"), first.get("paragraph"))))
        for sid in r["en_ids"]:
            en_after.setdefault(sentence_doc(sid), []).append((sentence_index(sid), key))
    for positions in en_after.values():
        positions.sort()
    for u in unaligned:
        if u.get("lang") == "zh":
            key = (sentence_doc(u["id"]), sentence_index(u["id"]), 0)
            rows.append((key, u["text"], "", (u["provenance"].get("doc"), u["provenance"].get("paragraph"))))
        elif u.get("lang") == "en":
            positions = en_after.get(sentence_doc(u["id"]), [])
            index = sentence_index(u["id"])
            at = bisect_right(positions, (index, ()))
            if at:
                key = (positions[at - 1][1][0], positions[at - 1][1][1], 1 + index)
            else:  # before its document's first pair (a sentence its partner lacks), or in a document with none
                key = (positions[0][1][0], positions[0][1][1], index - positions[0][0]) if positions else \
                    (sentence_doc(u["id"]), -1, index)
            rows.append((key, "", u["text"], ("", u["id"])))
    return sorted(rows, key=lambda row: row[0])


def _block(rows: list) -> str:
    zh = join_sentences([r[1] for r in rows if r[1]], "zh")
    en = join_sentences([r[2] for r in rows if r[2]], "en")
    out = ['<div class="p">']
    if zh:
        out.append(f'<p class="zh{"" if en else " alone"}" lang="zh">{html.escape(zh)}</p>')
    if en:
        out.append(f'<p class="en{"" if zh else " alone"}" lang="en">{html.escape(en)}</p>')
    return "".join(out) + "</div>"


def render_bilingual(records: list[dict], unaligned: list[dict], title: str = "Parallel text",
                     headings: Mapping[str, str] = MappingProxyType({})) -> str:
    """The page: a section per Chinese document (headed by ``headings``, such as a book's
    chapter titles, else its id), a block per Chinese paragraph."""
    body = []
    for doc, doc_rows in groupby(_rows(records, unaligned), key=lambda row: row[0][0]):
        body.append(f"<h2>{html.escape(headings.get(doc) or doc)}</h2>")
        for _, block in groupby(doc_rows, key=lambda row: row[3]):
            body.append(_block(list(block)))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def write_bilingual(path: Path, records: list[dict], unaligned: list[dict],
                    headings: Mapping[str, str] = MappingProxyType({})) -> int:
    """Write the page to ``path``; return the number of pairs it shows."""
    write_text(path, render_bilingual(records, unaligned, headings=headings))
    return len(records)
