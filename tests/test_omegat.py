"""OmegaT as a real client of align's TMX: a zh-CN -> en-US project with ``corpus.tmx`` in
``tm/auto/`` fills the Chinese segments of a law from its aligned official translation."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import cli

LAW = Path(__file__).parent / "data" / "quality" / "constitution-24.tsv"  # articles of the PRC Constitution

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>ZH-CN</source_lang>
    <target_lang>EN-US</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def omegat_project(folder: Path, source: Path, tmx: Path) -> Path:
    for name in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (folder / name).mkdir(parents=True)
    shutil.copy(source, folder / "source" / source.name)
    shutil.copy(tmx, folder / "tm" / "auto" / tmx.name)
    (folder / "omegat.project").write_text(PROJECT, encoding="utf-8")
    return folder


def segments(stats: str) -> tuple[int, int]:
    """Total and remaining (untranslated) segments from OmegaT's project_stats.txt."""
    total = re.search(r"^Total:\s+(\d+)", stats, re.M)
    remaining = re.search(r"^Remaining:\s+(\d+)", stats, re.M)
    return int(total.group(1)), int(remaining.group(1))


@pytest.mark.skipif(shutil.which("omegat") is None, reason="OmegaT is not installed (Debian package omegat)")
def test_omegat_fills_the_chinese_segments_of_a_law_from_corpus_tmx(tmp_path):
    rows = [line.split("\t") for line in LAW.read_text(encoding="utf-8").splitlines()]
    zh, en = tmp_path / "law.zh.txt", tmp_path / "law.en.txt"
    zh.write_text("\n\n".join(z for z, _ in rows) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(e for _, e in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(zh), str(en), "-o", str(out), "-q", "--translate", "none"])
    assert result.exit_code == 0, result.output
    project = omegat_project(tmp_path / "project", zh, out / "corpus.tmx")
    run = subprocess.run(["omegat", "--mode=console-translate", f"--config-dir={tmp_path / 'config'}",
                          "--disable-project-locking", "--no-team", str(project)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "TMXR_WARNING_INCORRECT_SOURCE_LANG" not in run.stdout + run.stderr  # zh-CN, as the project
    total, remaining = segments((project / "omegat" / "project_stats.txt").read_text(encoding="utf-8"))
    assert total >= len(rows) and (total - remaining) / total >= 0.95
    translated = (project / "target" / zh.name).read_text(encoding="utf-8")
    assert "Article 5 The People’s Republic of China shall practice law-based governance" in translated
