"""The review report: its numbers against run.json, every pair and unaligned sentence in it,
no request leaves the page, and large runs split into pages."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from lxml import html

from align.cli import cli

from .conftest import pair_records


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def page(path):
    return html.fromstring(path.read_bytes())


def ids_in(tree):
    """Pair ids and sentence ids (rows, and the sentences of candidate pairs shown side by side)."""
    return {el.get(a) for el in tree.iter() for a in ("data-id", "data-sid") if el.get(a)}


def test_report_numbers_match_run_json(seed_run):
    tree = page(seed_run / "report.html")
    report = json.loads((seed_run / "run.json").read_text())
    counts = report["counts"]

    def number(node_id):
        return int(tree.get_element_by_id(node_id).text_content())

    assert number("n-documents") == counts["files_read"]
    assert number("n-sentences") == counts["sentences"]
    assert number("n-pairs") == counts["pairs_exported"]
    assert number("n-unaligned") == counts["sentences_unaligned"]
    assert number("n-edits") == counts["edits"]
    for method, n in counts["pairs_by_method"].items():
        [cell] = tree.xpath(f'//td[@data-method-count="{method}"]')
        assert int(cell.text_content()) == n
    for reason, n in counts["unaligned_by_reason"].items():
        [cell] = tree.xpath(f'//td[@data-reason-count="{reason}"]')
        assert int(cell.text_content()) == n


def test_every_pair_and_unaligned_sentence_is_in_the_report(seed_run):
    shown = ids_in(page(seed_run / "report.html"))
    pairs = pair_records(seed_run)
    unaligned = read_jsonl(seed_run / "unaligned.jsonl")
    assert {p["id"] for p in pairs} <= shown
    assert {u["id"] for u in unaligned} <= shown
    tree = page(seed_run / "report.html")
    rows = tree.xpath('//tr[@data-kind="pair"]')
    assert len(rows) == len(pairs)
    assert len(tree.xpath("//svg[@class='map']")) >= 1 and len(tree.xpath("//svg[@class='chart']")) >= 1


def test_the_report_makes_no_request(seed_run):
    tree = page(seed_run / "report.html")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert "http" not in (el.get("src") or "")
        if el.tag != "a":
            assert "http" not in (el.get("href") or "")
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src] | //img | //iframe")
    styles = " ".join(s.text_content() for s in tree.xpath("//style"))
    assert "url(" not in styles and "@import" not in styles


def test_report_is_rebuilt_from_the_files_alone(seed_run, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(seed_run, copy)
    (copy / "report.html").unlink()
    result = CliRunner().invoke(cli, ["report", str(copy)])
    assert result.exit_code == 0, result.output
    assert (copy / "report.html").read_bytes() == (seed_run / "report.html").read_bytes()
    (copy / "run.json").unlink()
    result = CliRunner().invoke(cli, ["report", str(copy)])
    assert result.exit_code != 0 and "no run.json" in str(result.exception)


def test_large_runs_get_a_page_per_document_pair(seed_run, tmp_path, monkeypatch):
    from align.review import write

    copy = tmp_path / "out"
    shutil.copytree(seed_run, copy)
    monkeypatch.setattr(write, "PAGE_ROWS", 20)
    write.write_report(copy)
    pages = sorted((copy / "report").glob("*.html"))
    assert len(pages) >= 2
    main = page(copy / "report.html")
    links = {a.get("href") for a in main.xpath("//nav[@class='pages']/a")}
    assert links == {f"report/{p.name}" for p in pages}
    shown = set().union(*(ids_in(page(p)) for p in pages))
    pairs = pair_records(copy)
    assert {p["id"] for p in pairs} <= shown
    assert len(main.xpath('//tr[@data-kind="pair"]')) == 2 * min(write.SAMPLE, len(pairs))  # best and worst


def test_no_report_option(tmp_path, seeds_dir):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(seeds_dir / "004_8d7ed185ea0e00be.txt"), str(seeds_dir / "002_995c6917baa853e1.txt"),
                                      "-o", str(out), "-q", "--translate", "none", "--no-report"])
    assert result.exit_code == 0, result.output
    assert not (out / "report.html").exists() and (out / "corpus.jsonl").exists()


@pytest.mark.parametrize("quality, colour", [(0.0, "hsl(0,"), (0.5, "hsl(60,"), (1.0, "hsl(120,")])
def test_quality_colours(quality, colour):
    from align.review.charts import quality_colour

    assert quality_colour(quality).startswith(colour)


def test_text_is_escaped(seed_run, tmp_path):
    from align.review.data import Outputs
    from align.review.write import write_report

    outputs = Outputs.read(seed_run)
    outputs.pairs[0]["zh"] = "<script>alert(1)</script>"
    write_report(tmp_path, outputs)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
    assert len(re.findall(r"<script>", text)) == 1  # the page's own filter script only


def test_values_read_back_from_an_output_folder_are_escaped_in_the_map():
    from align.review.charts import alignment_map
    from align.review.data import DocumentPair

    hostile = "<script>alert(1)</script>"
    view = DocumentPair("a.zh", "a.en", [{"zh_ids": ["a.zh#zh0"], "en_ids": ["a.en#en0"], "shape": hostile,
                                          "method": hostile, "quality": 0.5}], [])
    svg = alignment_map(view, 1, 1)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_report_of_damaged_records_is_an_input_error_naming_the_line(seed_run, tmp_path):
    import shutil

    from align.errors import InputError
    from align.review.write import write_report

    folder = tmp_path / "copy"
    shutil.copytree(seed_run, folder, ignore=shutil.ignore_patterns(".align-cache"))
    lines = (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["quality"] = "high"
    lines[1] = json.dumps(record)
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"corpus.jsonl:2: 'quality' is missing or not a number"):
        write_report(folder)
    (folder / "corpus.jsonl").write_bytes(bytes(range(256)))
    with pytest.raises(InputError):
        write_report(folder)
    (folder / "corpus.jsonl").write_text(json.dumps({"id": "x", "translation": {"zh-CN": "你好", "en-US": "Hi"}}) + "\n",
                                         encoding="utf-8")
    with pytest.raises(InputError, match="--jsonl-layout translation"):
        write_report(folder)


def test_hostile_records_run_no_script_in_a_real_browser(seed_run, tmp_path):
    import re
    import shutil
    import subprocess

    from align.review.write import write_report

    browser = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium)")
    folder = tmp_path / "copy"
    shutil.copytree(seed_run, folder, ignore=shutil.ignore_patterns(".align-cache"))
    attack = '<img src=x onerror="document.title=\'PWNED\'"><script>document.title="PWNED"</script>'
    lines = (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    hostile = []
    for line in lines:
        record = json.loads(line)
        record.update(method=attack, shape=attack, zh=attack + record["zh"], en=record["en"] + attack)
        hostile.append(json.dumps(record))
    (folder / "corpus.jsonl").write_text("\n".join(hostile) + "\n", encoding="utf-8")
    report = write_report(folder).path
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert "<body" in dom
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert "PWNED" not in title and "<script>document.title" not in dom
