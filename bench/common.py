"""Shared helpers of the MAC-dev benchmark scripts (not part of the package)."""

from __future__ import annotations

import os
from pathlib import Path

from align.io.beads import read_beads

DEFAULT_MAC_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "mac-dev"


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mac_dev_dir() -> Path:
    path = Path(os.environ.get("MAC_DEV", DEFAULT_MAC_DEV))
    if not (path / "gold").is_dir():
        raise SystemExit(f"MAC-dev not found at {path}: set MAC_DEV=/path/to/mac-dev")
    return path


def chapters(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "gold").glob("*.align"))


def read_lines(path: Path) -> list[str]:
    return [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()]


def read_chapter(root: Path, name: str):
    zh = read_lines(root / "zh" / f"{name}.txt")
    en = read_lines(root / "en" / f"{name}.txt")
    gold = read_beads((root / "gold" / f"{name}.align").read_text(encoding="utf-8"))
    trans_path = root / "trans" / f"{name}.txt"
    trans = read_lines(trans_path) if trans_path.exists() else None
    return zh, en, gold, trans
