"""OmegaT as a client of align's TMX: the share of a law's Chinese segments that OmegaT fills
from ``corpus.tmx`` in ``tm/auto/`` of a zh-CN -> en-US project.

The law is the PRC Constitution with its official English version (``bench/data``): its
Chinese and English paragraphs are written as two text files, ``align run`` aligns them,
and OmegaT (Debian package ``omegat``, console mode) translates the Chinese file with the
TMX. Printed: OmegaT's segment counts and the fill rate, for ``--tmx-units bead`` and
``--tmx-units sentence``.

    python bench/omegat.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_omegat import omegat_project, segments  # noqa: E402  the project layout the test uses


def fill_rate(tmp: Path, zh: Path, en: Path, units: str) -> tuple[int, int]:
    out = tmp / f"out-{units}"
    subprocess.run([sys.executable, "-m", "align.cli", "run", str(zh), str(en), "-o", str(out), "-q",
                    "--translate", "none", "--tmx-units", units], check=True)
    project = omegat_project(tmp / f"project-{units}", zh, out / "corpus.tmx")
    subprocess.run(["omegat", "--mode=console-translate", f"--config-dir={tmp / 'config'}", "--disable-project-locking",
                    "--no-team", str(project)], check=True, capture_output=True, timeout=600)
    return segments((project / "omegat" / "project_stats.txt").read_text(encoding="utf-8"))


def main() -> None:
    if shutil.which("omegat") is None:
        raise SystemExit("OmegaT is not installed (apt-get install omegat)")
    rows = [line.split("\t") for line in (ROOT / "bench" / "data" / "constitution-zh-en.tsv").read_text(
        encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory(prefix="bench-omegat-") as name:
        tmp = Path(name)
        zh, en = tmp / "constitution.zh.txt", tmp / "constitution.en.txt"
        zh.write_text("\n\n".join(z for z, _ in rows) + "\n", encoding="utf-8")
        en.write_text("\n\n".join(e for _, e in rows) + "\n", encoding="utf-8")
        print(f"{len(rows)} Chinese paragraphs")
        print("| --tmx-units | OmegaT segments | filled | fill rate |")
        print("| --- | --- | --- | --- |")
        for units in ("bead", "sentence"):
            total, remaining = fill_rate(tmp, zh, en, units)
            print(f"| {units} | {total} | {total - remaining} | {(total - remaining) / total:.1%} |")


if __name__ == "__main__":
    main()
