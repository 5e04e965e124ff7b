"""An output folder is ``align``'s own: it is marked, never read as input, and ``align``
removes only the files it wrote there.

``OUT/.align-run`` (JSON: the files of the last run, relative to ``OUT``) marks a folder that
``align run`` wrote. A later run into the same folder removes those files first (the corpus
files of other ``--format`` choices, report pages) and says how many; a folder that holds
other files and no marker is refused unless ``--overwrite`` is given, and even then only
files ``align`` would write are replaced. The folder walk of the inputs leaves out any folder
that holds a marker, so ``-o`` inside the input tree is never read back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import InputError
from .atomic import remove_stale_temporaries, write_text
from .cachedir import CACHE

MARKER = ".align-run"


def _legacy_outputs(folder: Path) -> list[str] | None:
    """The files an align 0.1 run listed in its ``run.json`` (written before the marker)."""
    try:
        report = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(report, dict) or "align_version" not in report or not isinstance(report.get("outputs"), list):
        return None
    return [f for f in report["outputs"] if isinstance(f, str)]


def is_output_folder(folder: str | os.PathLike) -> bool:
    """Whether ``folder`` holds a run's marker (false for a folder that cannot be looked into:
    the folder walk then reports it as one it cannot list)."""
    folder = Path(folder)
    try:
        return (folder / MARKER).is_file() or _legacy_outputs(folder) is not None
    except OSError:
        return False


def previous_files(folder: Path) -> list[str]:
    """The files the last run wrote into ``folder`` (relative paths), from its marker (or the
    ``run.json`` of an older align)."""
    try:
        listed = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("files", [])
    except FileNotFoundError:
        listed = _legacy_outputs(folder) or []
    except (OSError, ValueError, AttributeError):
        return []
    return [f for f in listed if isinstance(f, str) and not Path(f).is_absolute() and ".." not in Path(f).parts]


def prepare_output_folder(folder: Path, overwrite: bool = False) -> int:
    """Make ``folder`` ready for a run: create it, remove the files an earlier run wrote there
    (returns how many), and refuse a folder of someone else's files without ``overwrite``."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".align-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"{folder}: cannot write to the output folder ({exc.strerror or exc})") from exc
    remove_stale_temporaries(folder, [MARKER])  # a run killed while it wrote its marker left only this
    if is_output_folder(folder):
        removed = 0
        for name in previous_files(folder):
            path = folder / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed += 1
        return removed
    others = sorted(p.name for p in folder.iterdir() if p.name not in (CACHE,) and not p.name.startswith(".align-"))
    if others and not overwrite:
        raise InputError(f"{folder}: not empty and not written by align ({others[0]}, ...): "
                         "choose another folder or give --overwrite")
    return 0


def mark_output_folder(folder: Path, files: list[str]) -> None:
    """Record the files this run wrote (relative to ``folder``) in its marker."""
    write_text(folder / MARKER, json.dumps({"written_by": "align run", "files": sorted(files)}, indent=1) + "\n")
