"""Planted copies, empty lines and French answers in MAC-dev's machine translation: does
``align score --src`` count exactly the planted lines and flag no clean one?
(bench/score-flags/README.md says where the lines come from.)"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAC = ROOT.parent / "shared" / "bench" / "mac-dev"
FRENCH = (ROOT / "bench" / "score-flags" / "french.txt").read_text(encoding="utf-8").splitlines()
PLANTED = 30  # lines of each kind


def one_to_one() -> tuple[list[str], list[str], list[str]]:
    """Source, reference and MT of every 1-1 gold bead of the six chapters."""
    sys.path.insert(0, str(ROOT))
    from align.io.beads import read_beads

    src, ref, mt = [], [], []
    for gold in sorted((MAC / "gold").glob("*.align")):
        zh = (MAC / "zh" / f"{gold.stem}.txt").read_text(encoding="utf-8").splitlines()
        en = (MAC / "en" / f"{gold.stem}.txt").read_text(encoding="utf-8").splitlines()
        trans = (MAC / "trans" / f"{gold.stem}.txt").read_text(encoding="utf-8").splitlines()
        for bead in read_beads(gold.read_text(encoding="utf-8"), str(gold)):
            if len(bead.src) == len(bead.tgt) == 1:
                src.append(zh[bead.src[0]]), ref.append(en[bead.tgt[0]]), mt.append(trans[bead.src[0]])
    return src, ref, mt


def k8s_gold() -> None:
    """The gold units of k8s-dev, each side scored as a translation of the other: every flag
    here is on a human translation (the lines printed say what it is)."""
    sys.path.insert(0, str(ROOT))
    from align.score.flags import flag_segments

    units = [json.loads(line) for line in (ROOT.parent / "shared" / "bench" / "k8s-dev" / "gold.jsonl").open()]
    units = [u for u in units if u.get("type") == "pair"]
    for target, source in (("en", "zh"), ("zh", "en")):
        hyps, srcs = [u[target].replace("\n", " ") for u in units], [u[source].replace("\n", " ") for u in units]
        flags = flag_segments(hyps, srcs, target)
        print(f"k8s-dev gold, {source}->{target}: {len(units)} units, {sum(f is not None for f in flags)} flagged")
        for i, flag in enumerate(flags):
            if flag is not None:
                print(f"  unit {i}: {flag.name}: {hyps[i][:90]}")


def main() -> None:
    src, ref, mt = one_to_one()
    chance = random.Random(36)
    lines = chance.sample(range(len(mt)), 3 * PLANTED)
    planted = {"copied_source": lines[:PLANTED], "empty": lines[PLANTED:2 * PLANTED],
               "wrong_language": lines[2 * PLANTED:]}
    system = list(mt)
    for i in planted["copied_source"]:
        system[i] = src[i]
    for i in planted["empty"]:
        system[i] = ""
    for k, i in enumerate(planted["wrong_language"]):
        system[i] = FRENCH[k % len(FRENCH)]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, data in (("src.zh", src), ("ref.en", ref), ("sys.en", system)):
            paths[name] = Path(tmp) / name
            paths[name].write_text("".join(f"{line}\n" for line in data), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "align.cli", "score", "-i", paths["sys.en"], "-r", paths["ref.en"],
                               "--src", paths["src.zh"], "--target-lang", "en", "-m", "chrf", "--format", "json",
                               "--sentence"], capture_output=True, text=True, cwd=ROOT, check=True)
    out = json.loads(proc.stdout)
    expected = {name: len(v) for name, v in planted.items()}
    flagged = {row["line"] - 1: row["flag"] for row in out["sentences"] if row["flag"]}
    truth = {i: name for name, v in planted.items() for i in v}
    print(f"{len(mt)} lines, planted {expected}")
    print(f"flags counted: {out['flags']}")
    print(f"planted lines flagged as planted: {sum(flagged.get(i) == n for i, n in truth.items())} of {len(truth)}")
    clean = [i for i in flagged if i not in truth]
    print(f"clean lines flagged: {len(clean)}")
    for i in clean:
        print(f"  line {i + 1}: {flagged[i]}: {system[i][:100]}")


if __name__ == "__main__":
    main()
    k8s_gold()
