"""``align score --report``: one self-contained page comparing systems segment by segment,
opened in headless Chromium (Selenium) from ``file://``."""

import re
import shutil

import pytest
from click.testing import CliRunner

from align.cli import cli

from .test_score_flags import COPIED, PAIRS, planted_system, write



def other_system():
    """A second system: the reference, with a word changed on every third line."""
    return [en.replace(" the ", " a ", 1) if i % 3 == 0 else en for i, (_, en) in enumerate(PAIRS)]


@pytest.fixture
def report(tmp_path):
    src = write(tmp_path / "src.zh", [zh for zh, _ in PAIRS])
    ref = write(tmp_path / "ref.en", [en for _, en in PAIRS])
    first = write(tmp_path / "first.en", other_system())
    second = write(tmp_path / "second.en", planted_system())
    page = tmp_path / "compare.html"
    result = CliRunner().invoke(cli, ["score", "-i", str(first), str(second), "-r", str(ref), "--src", str(src),
                                      "--target-lang", "en", "--report", str(page), "-m", "bleu", "chrf"])
    assert result.exit_code == 0, result.output
    return page


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed (pip install selenium)")
    chromium = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("no Chromium with chromium-driver on this machine (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    session = webdriver.Chrome(service=webdriver.ChromeService(driver), options=options)
    yield session
    session.quit()


def segments(browser, shown_only=False):
    """(line, difference) of each segment in page order."""
    from selenium.webdriver.common.by import By

    heads = browser.find_elements(By.CSS_SELECTOR, "table.segments tr[data-row]")
    return [(int(h.get_attribute("data-row")), float(h.get_attribute("data-d1"))) for h in heads
            if not shown_only or h.is_displayed()]


def test_the_page_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    assert html.count('data-row="') == len(PAIRS)
    assert "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0" in html  # the corpus BLEU signature


def test_the_report_opens_sorted_by_the_difference_and_filters(report, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    browser.get(report.as_uri())
    assert not [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    rows = segments(browser)
    assert sorted(line for line, _ in rows) == list(range(1, len(PAIRS) + 1))  # every segment, once
    assert [d for _, d in rows] == sorted(d for _, d in rows)  # largest loss first
    assert rows[0][1] < 0 < rows[-1][1]
    assert browser.find_element(By.ID, "shown").text == f"{len(PAIRS)} of {len(PAIRS)} segments shown"
    counts = {c.get_attribute("data-flag-count"): int(c.text)
              for c in browser.find_elements(By.CSS_SELECTOR, "tr[data-system='1'] td[data-flag-count]")}
    assert counts == {"empty": 3, "copied_source": 4, "wrong_language": 4, "untranslated_span": 1}

    Select(browser.find_element(By.NAME, "flag")).select_by_visible_text("copied_source")
    assert sorted(line - 1 for line, _ in segments(browser, shown_only=True)) == sorted(COPIED)
    Select(browser.find_element(By.NAME, "flag")).select_by_value("")
    Select(browser.find_element(By.NAME, "order")).select_by_value("line")
    assert [line for line, _ in segments(browser)] == list(range(1, len(PAIRS) + 1))
    Select(browser.find_element(By.NAME, "order")).select_by_value("gain")
    assert [d for _, d in segments(browser)] == sorted((d for _, d in rows), reverse=True)
    box = browser.find_element(By.NAME, "dmin")
    box.send_keys("1")
    assert all(d >= 1 for _, d in segments(browser, shown_only=True))
    assert len(segments(browser, shown_only=True)) == sum(d >= 1 for _, d in rows)
    second = browser.find_element(By.CSS_SELECTOR, "table.segments tr[data-row='1']").find_element(
        By.XPATH, "following-sibling::tr[1]")  # line 1: the second system's output
    assert [e.text for e in second.find_elements(By.CSS_SELECTOR, "td.out del, td.out ins")] == ["a", "the"]
    assert not [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_one_system_is_sorted_by_its_sentence_score_worst_first(tmp_path):
    from align.score.compare import compare_segments, sentence_rows
    from align.score.flags import flag_systems
    from align.score.metrics import corpus_scores

    refs = [[en for _, en in PAIRS]]
    hyps = planted_system()
    flagged = flag_systems([hyps], None, "en")
    for metric in ("chrf", "ter"):
        corpus = [corpus_scores(hyps, refs, "en", [metric])]
        scored = sentence_rows([hyps], refs, "en", [metric])
        rows = compare_segments([("sys", hyps)], refs, None, scored, corpus, flagged).rows
        name = corpus[0][0].name
        values = [r["outputs"][0]["scores"][name] for r in rows]
        assert values == sorted(values, reverse=name == "TER") and len(rows) == len(PAIRS)
        assert all(r["difference"] is None for r in rows)
