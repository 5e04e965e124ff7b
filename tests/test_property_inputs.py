"""A property of align run on any mix of real, truncated, binary and special files: it ends
with 0, 1 or 2 (never 3) within a time limit, accounts for every sentence it read, and
changes no file outside its output folder."""

import hashlib
import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .account import accounted

ZH = "她戴着太阳镜，涂着红色的口红。她自信而随意地走着。许多行人走来走去。\n"
EN = "She wears sunglasses and red lipstick. She walks confidently and casually. Many pedestrians walk about.\n"

KINDS = ("zh", "en", "truncated", "binary", "empty", "fifo", "devzero", "utf16_cut", "bom_lie", "broken_docx",
         "markdown", "html_fragment")


def make(folder, n, kind, cut):
    path = folder / f"f{n}_{kind}.txt"
    if kind == "zh":
        path.write_text(ZH, encoding="utf-8")
    elif kind == "en":
        path.write_text(EN, encoding="utf-8")
    elif kind == "truncated":
        data = (ZH + EN).encode("utf-8")
        path.write_bytes(data[: max(1, int(len(data) * cut))])
    elif kind == "binary":
        path.write_bytes(hashlib.sha256(str(cut).encode()).digest() * 8 + b"\0\1")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "devzero":
        path.symlink_to("/dev/zero")
    elif kind == "utf16_cut":
        path.write_bytes("她戴着太阳镜。".encode("utf-16")[:-1])
    elif kind == "bom_lie":
        path.write_bytes(b"\xef\xbb\xbf" + "她戴着太阳镜。".encode("gb18030"))
    elif kind == "broken_docx":
        path.with_suffix(".docx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    elif kind == "markdown":
        path.with_suffix(".md").write_text("# 标题 {#title}\n\n{{< note >}}\n\n" + ZH, encoding="utf-8")
    elif kind == "html_fragment":
        path.with_suffix(".html").write_text(f"<h2>Title</h2><p>{EN}</p><pre>x = 1</pre>", encoding="utf-8")


def snapshot(root, skip):
    out = {}
    for dirpath, _, files in os.walk(root):
        if dirpath.startswith(str(skip)):
            continue
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                out[path] = "special"
            else:
                with open(path, "rb") as handle:
                    out[path] = hashlib.sha1(handle.read()).hexdigest()
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=5), cut=st.floats(0.05, 0.95))
def test_any_mix_of_files_ends_cleanly_and_loses_nothing(tmp_path_factory, kinds, cut):
    root = tmp_path_factory.mktemp("mix")
    folder = root / "in"
    folder.mkdir()
    for n, kind in enumerate(kinds):
        make(folder, n, kind, cut)
    out = root / "out"
    before = snapshot(root, out)
    proc = subprocess.run([sys.executable, "-m", "align.cli", "run", str(folder), "-o", str(out), "-q",
                           "--cache-dir", str(out / ".align-cache")], capture_output=True, text=True, timeout=240)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(root, out) == before
    if proc.returncode == 0:
        accounted(out, folder)
    else:
        assert len(proc.stderr.strip().splitlines()) >= 1 and proc.stderr.strip().splitlines()[-1].startswith("align:")
