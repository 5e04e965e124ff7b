"""Parallel books: the six MAC-dev chapters as two EPUB editions against the same chapters as
plain text files, scored against the gold alignment with the same code.

The Chinese edition (EPUB 2, NCX) holds the six chapters, its lines grouped three to a
paragraph; the English edition (EPUB 3, navigation document) has a title page and a contents
page the Chinese lacks, and its lines grouped four to a paragraph (paragraphs cut
differently); each chapter has a heading. Two plain-text baselines: A, the chapters as
MAC-dev gives them (a gold unit a line); B, the EPUB's paragraphs, one a line (what the EPUB
reader gives the segmenter: B against EPUB measures the reader and the chapter pairing, A
against B the sentence segmentation of whole paragraphs). A fourth run has the same editions
with each chapter in several files, as a converter splits it (the Chinese continuation files
not in the navigation, the English ones each named there), split at other places in the two
languages: it should give what the EPUB gives. Every run is
``align run --translate none``. A
pair is mapped to chapter lines through its sentences' text in the extracted text; it is right
when its lines are exactly a gold bead (strict, as ``align eval``; heading pairs are not
counted), and a gold bead is found when a pair has exactly its lines. Also printed: pairs
whose sides lie in different chapters (none may), the EPUB sentences left unaligned, and
what the EPUB's loss against A is made of: the gold beads A finds and the EPUB does not,
those an EPUB sentence runs across the edge of (the gold cut a sentence the segmenter keeps
whole) against those aligned otherwise, and the marks the gold cut after inside EPUB sentences.

    python bench/epub_books.py [--keep build/epub-books]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import chapters, mac_dev_dir, read_chapter  # noqa: E402

from align.export.write import file_name  # noqa: E402
from tests.epub_books import make_epub  # noqa: E402

ZH_NUMBERS = "一二三四五六七八九十"


def squeeze(text: str) -> str:
    return "".join(text.split())


def grouped(lines: list[str], size: int) -> list[str]:
    return ["\n".join(lines[k:k + size]) for k in range(0, len(lines), size)]


def split(title: str, paragraphs: list[str], size: int, named: bool) -> list[tuple[str | None, list[str]]]:
    """A chapter as files of ``size`` paragraphs, as a converter splits it: the files after the
    first named in the navigation (``Chapter 1 (2)``, with that heading) or not (None)."""
    return [(title if k == 0 else (f"{title} ({k + 1})" if named else None), paragraphs[s:s + size])
            for k, s in enumerate(range(0, len(paragraphs), size))]


def build_books(root: Path, names: list[str], folder: Path, files: tuple[int, int] | None = None) -> None:
    """The two editions; ``files``: each chapter split into files of that many paragraphs
    (Chinese, English), the Chinese continuation files not in the navigation, the English ones
    each named there."""
    folder.mkdir(parents=True, exist_ok=True)
    zh, en = [], []
    for n, name in enumerate(names):
        zh_lines, en_lines, _, _ = read_chapter(root, name)
        zh_chapter = (f"第{ZH_NUMBERS[n]}章", grouped(zh_lines, 3))
        en_chapter = (f"Chapter {n + 1}", grouped(en_lines, 4))
        zh += split(*zh_chapter, files[0], named=False) if files else [zh_chapter]
        en += split(*en_chapter, files[1], named=True) if files else [en_chapter]
    contents = ["Contents"] + [title for title, _ in en if title]
    make_epub(folder / "novel.zh.epub", zh, version=2, lang="zh")
    make_epub(folder / "novel.en.epub", en, version=3, front=[
        ("title.xhtml", "titlepage", ["Six Chapters", "Stories translated from the Chinese"]),
        ("contents.xhtml", "", contents)])


RUNS = (("plain text A: a sentence a line, as MAC-dev gives them", "lines"),
        ("plain text B: the EPUB's paragraphs, one a line", "paragraphs"),
        ("EPUB: two editions, paragraphs cut differently, title and contents page in the English", "epub"),
        ("EPUB split: the same, each chapter in files as a converter splits it (Chinese 30 paragraphs a file, "
         "English 25, each named in the navigation)", "epub-split"))


def write_texts(root: Path, names: list[str], folder: Path, joined: bool) -> None:
    """The chapters as NNN.zh.txt and NNN.en.txt: a line each (as given), or (``joined``) the
    EPUB editions' paragraphs, one a line."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        zh, en, _, _ = read_chapter(root, name)
        for lang, lines, size, glue in (("zh", zh, 3, ""), ("en", en, 4, " ")):
            units = [glue.join(p.split("\n")) for p in grouped(lines, size)] if joined else lines
            (folder / f"{name}.{lang}.txt").write_text("\n".join(units) + "\n", encoding="utf-8")


def run(inputs: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "align.cli", "run", str(inputs), "-o", str(out), "-q", "--translate", "none",
                    "--keep-extracted", "--overwrite"], check=True)



def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []


def chapter_of(text: str, names: list[str], doc: str) -> str | None:
    """The MAC-dev chapter a document holds: by file name (plain text) or by its heading (EPUB)."""
    stem = doc.split(".")[0]
    if stem in names:
        return stem
    head = text.split("\n", 1)[0].strip().split(" (")[0]  # Chapter 1 (2): a file of chapter 1
    for n, name in enumerate(names):
        if head in (f"第{ZH_NUMBERS[n]}章", f"Chapter {n + 1}"):
            return name
    return None


def sentence_lines(out: Path, root: Path, names: list[str]) -> dict[str, tuple[str | None, frozenset[int]]]:
    """Each sentence id -> (its chapter, the chapter lines it lies in), found by its text."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for r in records(out / "corpus.jsonl") + records(out / "mined.jsonl"):
        for lang in ("zh", "en"):
            for e in r["provenance"][lang]:
                spans.setdefault(e["doc"], []).append((e["start"], e["end"], e["id"]))
    for u in records(out / "unaligned.jsonl"):
        spans.setdefault(u["provenance"]["doc"], []).append((u["provenance"]["start"], u["provenance"]["end"], u["id"]))
    found = {}
    for doc, items in spans.items():
        text = (out / "extracted" / f"{file_name(doc)}.txt").read_text(encoding="utf-8")
        chapter = chapter_of(text, names, doc)
        if chapter is None:
            found.update({sid: (None, frozenset()) for _, _, sid in items})
            continue
        zh, en, _, _ = read_chapter(root, chapter)
        lines = zh if ".zh." in doc or doc.startswith("novel.zh") else en
        joined, owner = "", []
        for n, line in enumerate(lines):
            joined += squeeze(line)
            owner += [n] * len(squeeze(line))
        cursor = 0
        for start, end, sid in sorted(items):
            key = squeeze(text[start:end])
            at = joined.find(key, cursor) if key else -1
            if at < 0:
                found[sid] = (chapter, frozenset())
                continue
            found[sid] = (chapter, frozenset(owner[at:at + len(key)]))
            cursor = at + len(key)
    return found


def score(out: Path, root: Path, names: list[str]) -> dict:
    where = sentence_lines(out, root, names)
    gold = set()
    for name in names:
        gold |= {(name, frozenset(b.src), frozenset(b.tgt)) for b in read_chapter(root, name)[2] if b.src and b.tgt}
    counted = right = crossing = lax_right = 0
    found, lax_found = set(), set()
    for r in records(out / "corpus.jsonl") + records(out / "mined.jsonl"):
        sides = [[where[s] for s in r[f"{lang}_ids"]] for lang in ("zh", "en")]
        chapter_set = {c for side in sides for c, _ in side}
        if len(chapter_set) > 1:
            crossing += 1
        lines = [frozenset().union(*(ls for _, ls in side)) for side in sides]
        if not lines[0] and not lines[1]:
            continue  # a heading pair: not in the gold
        counted += 1
        bead = (next(iter(chapter_set)), lines[0], lines[1]) if len(chapter_set) == 1 else None
        if bead in gold:
            right += 1
            found.add(bead)
        touched = {g for g in gold if bead and g[0] == bead[0] and g[1] & bead[1] and g[2] & bead[2]}
        lax_right += bool(touched)
        lax_found |= touched
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"pairs": counted, "precision": right / max(1, counted), "recall": len(found) / len(gold),
            "lax_precision": lax_right / max(1, counted), "lax_recall": len(lax_found) / len(gold),
            "crossing": crossing, "unaligned": run_json["counts"]["unaligned_by_reason"]}


def found_beads(out: Path, root: Path, names: list[str]) -> tuple[set, dict]:
    """The gold beads a run's pairs hit exactly, and each sentence's chapter and lines."""
    where = sentence_lines(out, root, names)
    gold = {(name, frozenset(b.src), frozenset(b.tgt)) for name in names
            for b in read_chapter(root, name)[2] if b.src and b.tgt}
    hits = set()
    for r in records(out / "corpus.jsonl") + records(out / "mined.jsonl"):
        sides = [[where[s] for s in r[f"{lang}_ids"]] for lang in ("zh", "en")]
        chapter_set = {c for side in sides for c, _ in side}
        if len(chapter_set) == 1:
            bead = (next(iter(chapter_set)),) + tuple(frozenset().union(*(ls for _, ls in side)) for side in sides)
            hits |= {bead} & gold
    return hits, where


def cut_mark(line: str) -> str:
    """The mark a gold line ends with (where the gold cut), or ``other``."""
    tail = line.rstrip()
    for mark in ("——", "…", "。", "！", "？", "；", "：", "，", ".", "!", "?", ";", ":", ",", "–", "—"):
        if tail.rstrip("”’\"'」』）)").endswith(mark):
            return mark
    return "other"


def breakdown(plain: Path, epub: Path, root: Path, names: list[str]) -> str:
    """Why the EPUB finds fewer gold beads than plain text ``plain``: the beads that run finds
    and the EPUB does not, split into those an EPUB sentence runs across the edge of (the gold
    cut a sentence there that the segmenter keeps whole) and those aligned otherwise; and the
    marks the gold cut after inside EPUB sentences."""
    found, _ = found_beads(plain, root, names)
    epub_found, where = found_beads(epub, root, names)
    spans = {}
    for sid, (chapter, lines) in where.items():
        lang = "zh" if "#zh" in sid else "en"
        spans.setdefault((chapter, lang), []).append(lines)
    crossed = [g for g in found - epub_found
               if any(ls & side and not ls <= side for lang, side in (("zh", g[1]), ("en", g[2]))
                      for ls in spans.get((g[0], lang), []))]
    marks: dict[str, int] = {}
    for (chapter, lang), sentences in sorted(spans.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if chapter is None:
            continue
        lines = read_chapter(root, chapter)[0 if lang == "zh" else 1]
        for ls in sentences:
            for n in sorted(ls)[:-1]:
                key = f"{lang} {cut_mark(lines[n])}"
                marks[key] = marks.get(key, 0) + 1
    return (f"gold beads plain text A finds and the EPUB does not: {len(found - epub_found)} (the other way: "
            f"{len(epub_found - found)}); an EPUB sentence runs across the edge of {len(crossed)} of them, "
            f"{len(found - epub_found) - len(crossed)} are aligned otherwise\n"
            f"gold cuts inside EPUB sentences, by the mark the gold line ends with: "
            + ", ".join(f"{k} {v}" for k, v in sorted(marks.items(), key=lambda kv: (-kv[1], kv[0]))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs in this folder")
    args = parser.parse_args()
    root = mac_dev_dir()
    names = chapters(root)
    with tempfile.TemporaryDirectory(prefix="epub-books-") as tmp:
        base = args.keep or Path(tmp)
        write_texts(root, names, base / "lines", joined=False)
        write_texts(root, names, base / "paragraphs", joined=True)
        build_books(root, names, base / "epub")
        build_books(root, names, base / "epub-split", files=(30, 25))
        results = {}
        for label, folder in RUNS:
            run(base / folder, base / f"out-{folder}")
            results[label] = score(base / f"out-{folder}", root, names)
        why = breakdown(base / "out-lines", base / "out-epub", root, names)
    for label, r in results.items():
        print(f"{label}\n    pairs {r['pairs']}  strict P {r['precision']:.4f} R {r['recall']:.4f}  lax P "
              f"{r['lax_precision']:.4f} R {r['lax_recall']:.4f}  crossing chapters {r['crossing']}  "
              f"unaligned {r['unaligned']}")
    epub = results[RUNS[2][0]]
    for label, _ in RUNS[:2]:
        r = results[label]
        print(f"EPUB minus {label.split(':')[0]}: strict P {epub['precision'] - r['precision']:+.4f} "
              f"R {epub['recall'] - r['recall']:+.4f}, lax P {epub['lax_precision'] - r['lax_precision']:+.4f} "
              f"R {epub['lax_recall'] - r['lax_recall']:+.4f}")
    whole = results[RUNS[3][0]]
    print(f"EPUB split minus EPUB: strict P {whole['precision'] - epub['precision']:+.4f} "
          f"R {whole['recall'] - epub['recall']:+.4f}")
    print(why)


if __name__ == "__main__":
    main()
