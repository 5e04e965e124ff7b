"""Structure that misleads: a law whose Chinese and English paragraphing differ (issue 33).

Builds ``law.zh.md`` and ``law.en.md`` from the Constitution of the PRC and its official English
version (``bench/data/constitution-zh-en.tsv``, one row a Chinese paragraph and its English):

- the Chinese keeps the items （一）（二）（三） of an article in the article's paragraph, as
  Chinese laws are printed; the English gives each item a paragraph of its own;
- the English opens with a table of contents (a heading and a list of the chapter titles)
  that the Chinese lacks;
- chapter and section titles are Markdown headings on both sides;
- with ``--article-headings``, the English writes each ``Article N`` as a heading of its own
  above the article's text, where the Chinese keeps ``第一条`` in the article's paragraph.

``align run`` sees the two files (named as translations, so paired by name) with its
defaults. A pair is right when the gold rows its Chinese comes from are the rows its English
comes from (each sentence found by its text, in order), so a pair over an article and its items is right and a pair with
a line of the contents is wrong. Printed: pairs, precision, recall (rows in a right pair),
wrong pairs at quality 0.8 or above, the contents lines aligned, and the reliability of the
quality by decile (``--min-quality 0``: every pair judged).

    python bench/structure.py [--article-headings] [--keep DIR] [--examples N]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TSV = ROOT / "bench" / "data" / "constitution-zh-en.tsv"
ITEM = re.compile(r"^（[一二三四五六七八九十]{1,3}）")
HEADING = re.compile(r"^(第[一二三四五六七八九十]+[章节]|序　言)")
CONTENTS = -1  # the row of the contents lines, which the Chinese lacks


def read_rows() -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in TSV.read_text(encoding="utf-8").splitlines() if line.strip()]


ARTICLE = re.compile(r"^(Article \d+) (.+)$")


def build(rows, article_headings: bool = False) -> tuple[str, str, list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """The two Markdown texts and, for each side, ``(start, end, row)`` of every row's text."""
    zh, en = [], []
    zh_spans, en_spans = [], []
    zh_len = en_len = 0

    def add(side, spans, length, text, row, prefix="", glue="\n\n"):
        piece = (glue if side else "") + prefix
        side.append(piece + text)
        spans.append((length + len(piece), length + len(piece) + len(text), row))
        return length + len(piece) + len(text)

    chapters = [en_text for zh_text, en_text in rows if zh_text.startswith("第") and "章" in zh_text[:5]]
    for n, (zh_text, en_text) in enumerate(rows):
        heading = bool(HEADING.match(zh_text))
        if ITEM.match(zh_text) and zh:
            zh_len = add(zh, zh_spans, zh_len, zh_text, n, glue="")  # the item stays in the article's paragraph
        else:
            zh_len = add(zh, zh_spans, zh_len, zh_text, n, "## " if heading or n == 0 else "")
        article = ARTICLE.match(en_text) if article_headings else None
        if article:  # "Article 1" as a heading of its own, the Chinese keeps 第一条 in its paragraph
            en_len = add(en, en_spans, en_len, article.group(1), n, "### ")
            en_len = add(en, en_spans, en_len, article.group(2), n)
        else:
            en_len = add(en, en_spans, en_len, en_text, n, "## " if heading or n == 0 else "")
        if n == 1:  # after the title and the adoption note: the English contents
            en_len = add(en, en_spans, en_len, "Contents", CONTENTS, "## ")
            for title in chapters:
                en_len = add(en, en_spans, en_len, title, CONTENTS, "- ", glue="\n" if en[-1].startswith("- ") else "\n\n")
    return "".join(zh) + "\n", "".join(en) + "\n", zh_spans, en_spans


def _squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def locate(sentences, text: str, spans) -> dict[str, set[int]]:
    """The rows each sentence (in document order) comes from, found by its text in ``text``
    (NFKC, white space ignored): the reader's offsets are not the file's in Markdown."""
    squeezed, where = [], []
    for start, end, row in spans:
        piece = _squeeze(text[start:end])
        squeezed.append(piece)
        where.extend([row] * len(piece))
    whole, cursor, out = "".join(squeezed), 0, {}
    for s in sentences:
        needle = _squeeze(s.text)
        at = whole.find(needle, cursor)
        if at < 0 or not needle:
            out[s.id] = set()
            continue
        out[s.id] = set(where[at:at + len(needle)])
        cursor = at + len(needle)
    return out


def rows_of(sentences, located) -> set[int]:
    return {row for s in sentences for row in located.get(s.id, ())}


def score(pairs, located, n_rows: int) -> dict:
    right, wrong, covered = [], [], set()
    for p in pairs:
        zh_rows, en_rows = rows_of(p.zh, located), rows_of(p.en, located)
        if zh_rows and zh_rows == en_rows and CONTENTS not in zh_rows:
            right.append(p)
            covered |= zh_rows
        else:
            wrong.append(p)
    return {"right": right, "wrong": wrong, "precision": len(right) / max(1, len(pairs)),
            "recall": len(covered) / n_rows}


def reliability(right, wrong) -> str:
    cells = []
    for d in range(10):
        lo, hi = d / 10, (d + 1) / 10
        inside = [(p, ok) for ps, ok in ((right, True), (wrong, False)) for p in ps
                  if lo <= p.quality < hi or (d == 9 and p.quality == 1.0)]
        share = sum(ok for _, ok in inside) / len(inside) if inside else None
        cells.append(f"{len(inside)}: {share:.2f}" if inside else "0")
    return " | ".join(cells)


def main() -> None:
    from align.config import RunConfig
    from align.embed import get_encoder
    from align.run import run
    from align.score.select import SelectSettings
    from align.translate.stage import TranslateSettings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", help="write the two files here (and keep them)")
    parser.add_argument("--examples", type=int, default=0, help="print this many wrong pairs")
    parser.add_argument("--article-headings", action="store_true",
                        help="the English writes each 'Article N' as a heading of its own")
    args = parser.parse_args()
    rows = read_rows()
    zh_text, en_text, zh_spans, en_spans = build(rows, args.article_headings)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="structure-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "law.zh.md").write_text(zh_text, encoding="utf-8")
    (folder / "law.en.md").write_text(en_text, encoding="utf-8")
    result = run([folder], RunConfig(translate=TranslateSettings(mode="none"), select=SelectSettings(0.0)),
                 get_encoder("use"))
    every = [p for p in result.all_pairs if not p.rejected_by]
    kept = [p for p in every if p.quality >= 0.5]
    sentences = result.prepared.sentences
    located = {**locate([s for s in sentences if s.doc_id == "law.zh.md" and s.lang == "zh"], zh_text, zh_spans),
               **locate([s for s in sentences if s.doc_id == "law.en.md" and s.lang == "en"], en_text, en_spans)}
    at_default = score(kept, located, len(rows))
    judged = score(every, located, len(rows))
    contents = sum(1 for p in every if CONTENTS in rows_of(p.en, located))
    confident_wrong = [p for p in judged["wrong"] if p.quality >= 0.8]
    print(f"law rows={len(rows)} pairs={len(kept)} precision={at_default['precision']:.4f} "
          f"recall={at_default['recall']:.4f} wrong_at_0.8+={len(confident_wrong)} contents_aligned={contents}")
    print("reliability by decile (pairs: share right), min-quality 0: " + reliability(judged["right"], judged["wrong"]))
    for p in sorted(judged["wrong"], key=lambda p: -p.quality)[:args.examples]:
        print(f"  wrong {p.quality:.3f} {p.method} {p.zh_text[:50]} | {p.en_text[:80]}")


if __name__ == "__main__":
    main()
