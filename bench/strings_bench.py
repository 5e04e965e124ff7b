"""String-file benchmark: ``align run`` on the source trees of bench/strings/projects/ (one
folder per public project and format), scored against key pairs read by other code.

Gold, per project: the units of each Chinese file and its English counterpart as
translate-toolkit reads them (Android, JSON, ARB, .properties, .strings, .resx; PyYAML and
a plain flattening for Rails YAML), and the key pairs *translated in both files*: the key is
in both, both values are non-empty, and the Chinese differs from the English. A found pair
is right when its key is such a gold key. translate-toolkit does not read Android
``<string-array>`` items (keys ``NAME[0]``…), so those are counted apart, not as errors.

Prints, per project and overall: precision and recall of key pairs, the share of TMX units
that name their key, the share of units whose text holds a placeholder that carry it as
``<ph>``, and whether the TMX validates against the TMX 1.4b DTD.

    python bench/strings_bench.py [--out /tmp/strings-bench] [--projects bench/strings/projects]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%(\d+\$)?[-#0]*\d*[sd@fu]|%l+d|\{\{?\s*\w+\s*\}?\}|%\{\w+\}|\$\w+\$")


def tt_units(path: Path) -> dict[str, str]:
    """key -> text of a file, read by translate-toolkit (PyYAML for YAML)."""
    from translate.storage import aresource, jsonl10n, properties, resx

    data = path.read_bytes()
    if path.suffix in (".yml", ".yaml"):
        tree = yaml.safe_load(data)
        (_, tree), = tree.items()
        return dict(flat_yaml(tree))
    store = {".xml": aresource.AndroidResourceFile, ".json": jsonl10n.I18NextV4File, ".arb": jsonl10n.ARBJsonFile,
             ".properties": properties.javautf8file, ".strings": properties.stringsutf8file,
             ".resx": resx.RESXFile}[path.suffix](io.BytesIO(data))
    out = {}
    for unit in store.units:
        if unit.isheader() or (hasattr(unit, "istranslatable") and not unit.istranslatable()):
            continue
        element = getattr(unit, "xmlelement", None)
        if path.suffix == ".resx" and element is not None and (element.get("type") or element.get("mimetype")):
            continue  # a typed .resx entry (a size, a point, an image): no text to translate
        key = unit.getid().lstrip(".")
        out[key] = str(unit.source.strings[-1] if hasattr(unit.source, "strings") else unit.source)
    return out


def flat_yaml(tree, prefix=""):
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from flat_yaml(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(tree, str):
        yield prefix, tree


def gold_keys(zh_file: Path, en_file: Path) -> set[str]:
    zh, en = tt_units(zh_file), tt_units(en_file)
    return {k for k in zh.keys() & en.keys() if zh[k].strip() and en[k].strip() and zh[k].strip() != en[k].strip()}


def run(projects: Path, out: Path) -> None:
    import shutil

    if (out / "run.json").is_file():
        shutil.rmtree(out)  # an earlier output of this benchmark
    subprocess.run([sys.executable, "-m", "align.cli", "run", str(projects), "-o", str(out), "-q"],
                   check=True, cwd=ROOT)


def found_pairs(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(line)["method"] == "keyed"]


def file_pairs(out: Path) -> set[tuple[str, str]]:
    """The (zh file, en file) pairs the run made (``run.json``: pairs decided by ``locale``)."""
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {(p["zh"], p["en"]) for p in run_json["document_pairing"]["document_pairs"] if p["how"] == "locale"}


def key_of(record: dict) -> str:
    key = record["key"]
    if record["provenance"]["zh"][0]["file"].endswith((".yml", ".yaml")) and record.get("plural"):
        return f"{key}.{record['plural']}"
    return key


def tmx_figures(out: Path) -> tuple[bool, float, float, int, int]:
    tree = etree.parse(str(out / "corpus.tmx"))
    valid = etree.DTD(str(ROOT / "tests" / "data" / "tmx14.dtd")).validate(tree)
    keyed = [tu for tu in tree.iter("tu") if tu.findtext("prop[@type='x-method']") == "keyed"]
    named = sum(1 for tu in keyed if tu.findtext("prop[@type='x-key']"))
    with_ph, protected = 0, 0
    for tu in keyed:
        for tuv in tu.iter("tuv"):
            seg = tuv.find("seg")
            text = "".join(seg.itertext())
            if PLACEHOLDER.search(text):
                with_ph += 1
                protected += bool(seg.findall("ph"))
    return valid, named / max(1, len(keyed)), protected / max(1, with_ph), len(keyed), with_ph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=Path, default=ROOT / "bench" / "strings" / "projects")
    parser.add_argument("--out", type=Path, default=Path("/tmp/strings-bench"))
    parser.add_argument("--no-run", action="store_true", help="score the output folder of an earlier run")
    args = parser.parse_args()
    if not args.no_run:
        run(args.projects, args.out)
    records = found_pairs(args.out)
    by_files: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        by_files.setdefault((r["provenance"]["zh"][0]["file"], r["provenance"]["en"][0]["file"]), []).append(r)
    total = {"found": 0, "right": 0, "gold": 0, "arrays": 0}
    print(f"{'project':<22} {'zh file':<44} {'found':>6} {'gold':>6} {'precision':>9} {'recall':>7}")
    for zh_file, en_file in sorted(file_pairs(args.out)):
        gold = gold_keys(Path(zh_file), Path(en_file))
        found = {key_of(r) for r in by_files.get((zh_file, en_file), [])}
        arrays = {k for k in found if re.search(r"\[\d+\]$", k) and zh_file.endswith(".xml")}
        found -= arrays
        right = len(found & gold)
        project = Path(zh_file).relative_to(args.projects.resolve()).parts[0]
        print(f"{project:<22} {Path(zh_file).name[:44]:<44} {len(found):>6} {len(gold):>6} "
              f"{right / max(1, len(found)):>9.4f} {right / max(1, len(gold)):>7.4f}")
        for k, v in (("found", len(found)), ("right", right), ("gold", len(gold)), ("arrays", len(arrays))):
            total[k] += v
    valid, named, protected, units, with_ph = tmx_figures(args.out)
    print(f"all: {total['found']} key pairs found ({total['arrays']} string-array items more, not in the gold), "
          f"{total['gold']} gold; precision {total['right'] / max(1, total['found']):.4f}, "
          f"recall {total['right'] / max(1, total['gold']):.4f}")
    print(f"TMX: valid against tmx14.dtd: {valid}; {units} keyed units, {named:.2%} name their key; "
          f"{with_ph} segments hold a placeholder, {protected:.2%} carry it as <ph>")


if __name__ == "__main__":
    main()
