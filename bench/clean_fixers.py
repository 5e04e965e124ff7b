"""What the default fixers change in clean, professionally translated text.

Clean text needs no repair, so every edit a default fixer makes here is a candidate for
damage: the script counts them per fixer and corpus and prints each one for a reader to judge
(README "Reliability" gives the figures). Corpora: the 25 Kubernetes pages of
../shared/bench/k8s-dev (both languages, read as `align run` reads them), the six MAC-dev
novel chapters in both languages, and the Constitution of the PRC with its official English
(bench/data/constitution-zh-en.tsv). Flags (which change nothing) are not counted.

    python bench/clean_fixers.py [--show N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import mac_dev_dir  # noqa: E402

from align.ingest import read_document  # noqa: E402
from align.normalize import Normalizer  # noqa: E402
from align.records import Paragraph  # noqa: E402

HERE = Path(__file__).resolve().parent
K8S = HERE.parent.parent / "shared" / "bench" / "k8s-dev" / "input"


def k8s_documents():
    for path in sorted(K8S.glob("*.md")):
        document, _text = read_document(path, path.stem)
        yield f"k8s {path.name}", document.paragraphs


def _document(name: str, lines: list[tuple[str, str, str]]) -> tuple[str, tuple[Paragraph, ...]]:
    """``(location, text, lang)`` lines as the paragraphs of one document."""
    return name, tuple(Paragraph(doc_id=name, index=i, start=0, end=len(text), text=text, lang=lang, location=where)
                       for i, (where, text, lang) in enumerate(lines))


def mac_documents():
    root = mac_dev_dir()
    for lang in ("zh", "en"):
        for path in sorted((root / lang).glob("*.txt")):
            lines = [(f"line {n}", line, lang) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                     if line.strip()]
            yield _document(f"mac {lang}/{path.name}", lines)


def law_documents():
    rows = [line.split("\t")[:2] for line in (HERE / "data" / "constitution-zh-en.tsv").read_text(encoding="utf-8").splitlines()]
    yield _document("law zh", [(f"line {n}", zh, "zh") for n, (zh, _en) in enumerate(rows, 1)])
    yield _document("law en", [(f"line {n}", en, "en") for n, (_zh, en) in enumerate(rows, 1)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=20, help="edits printed per fixer (0: none)")
    args = parser.parse_args()
    normalizer = Normalizer()
    counts: Counter = Counter()
    paragraphs: Counter = Counter()
    shown: Counter = Counter()
    for corpus, documents in (("k8s-dev", k8s_documents()), ("mac-dev", mac_documents()), ("law", law_documents())):
        for name, doc in documents:
            for result in normalizer.paragraphs(p for p in doc if p.lang in ("zh", "en")):
                p = result.paragraph
                paragraphs[corpus, p.lang] += 1
                for edit in result.normalized.edits:
                    if edit.kind == "flag":
                        continue
                    counts[corpus, p.lang, edit.fixer] += 1
                    if shown[edit.fixer] < args.show:
                        shown[edit.fixer] += 1
                        context = p.text[max(0, edit.start - 15): edit.end + 15]
                        print(f"{edit.fixer}: {name} {p.location}: {edit.before!r} -> {edit.after!r} in «{context}»")
    print()
    print("| corpus | lang | paragraphs | fixer | edits |")
    print("| --- | --- | --- | --- | --- |")
    for (corpus, lang), n in sorted(paragraphs.items()):
        fixers = sorted((f, c) for (co, la, f), c in counts.items() if (co, la) == (corpus, lang))
        for fixer, c in fixers or [("(none)", 0)]:
            print(f"| {corpus} | {lang} | {n} | {fixer} | {c} |")


if __name__ == "__main__":
    main()
