"""The review page in a real browser (headless Chromium driven by Selenium): a reviewer
accepts a pair, rejects one, merges two rows and edits a text; a reload keeps the work (local
storage); the downloaded review.jsonl, given to ``align apply``, gives the corrected corpus."""

import json
import shutil
import time

import pytest
from click.testing import CliRunner

from align.cli import cli

from .conftest import pair_records

webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed (pip install selenium)")
By = pytest.importorskip("selenium.webdriver.common.by").By


@pytest.fixture
def browser(tmp_path):
    chromium = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("no Chromium with chromium-driver on this machine (Debian: apt-get install chromium chromium-driver)")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=webdriver.ChromeService(driver), options=options)
    session.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    session.downloads = downloads
    yield session
    session.quit()


def pair_rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "table.rows.editable tr[data-kind=pair]")


def sentence_ids(row, lang):
    return [s.get_attribute("data-sid") for s in row.find_elements(By.CSS_SELECTOR, f"td.{lang} span.s")]


def bead_of(row):
    return sentence_ids(row, "zh"), sentence_ids(row, "en")


def in_order(sentence_id):
    """Sentences of a bead in order: by document, then position."""
    doc, tail = sentence_id.rsplit("#", 1)
    return doc, int(tail[2:])


def wait_for(path, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not path.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    return path


def test_correct_the_alignment_in_the_browser_and_apply_it(seed_run, tmp_path, browser):
    browser.get((seed_run / "report.html").as_uri())
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    rows = pair_rows(browser)
    accepted, rejected = bead_of(rows[0]), bead_of(rows[1])
    rows[0].click()  # the keyboard: choose a row, press a
    browser.find_element(By.TAG_NAME, "body").send_keys("a")
    rows[1].find_element(By.CSS_SELECTOR, "button.do-reject").click()
    rows = pair_rows(browser)
    first, second = bead_of(rows[1]), bead_of(rows[1].find_element(By.XPATH, "following-sibling::tr[1]"))
    rows[1].find_element(By.CSS_SELECTOR, "button.do-merge").click()
    rows = pair_rows(browser)
    edited = bead_of(rows[3])
    rows[3].find_element(By.CSS_SELECTOR, "button.do-edit").click()
    box = rows[3].find_element(By.CSS_SELECTOR, "textarea.edit-en")
    box.clear()
    box.send_keys("The reviewer's English.")
    rows[3].find_element(By.CSS_SELECTOR, "button.edit-save").click()
    assert browser.find_element(By.ID, "review-count").text == "4 corrections"

    browser.refresh()  # local storage: a reload loses nothing
    assert browser.find_element(By.ID, "review-count").text == "4 corrections"
    assert "restored" in browser.find_element(By.ID, "review-status").text
    assert len(pair_rows(browser)) == len(rows)
    browser.find_element(By.ID, "review-download").click()
    review = wait_for(browser.downloads / "review.jsonl")
    actions = [json.loads(line)["action"] for line in review.read_text(encoding="utf-8").splitlines()]
    assert actions == ["accept", "reject", "merge", "edit"]

    result = CliRunner().invoke(cli, ["apply", str(seed_run), str(review), "-o", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    by_bead = {(tuple(p["zh_ids"]), tuple(p["en_ids"])): p for p in pair_records(tmp_path / "new")}
    assert by_bead[tuple(accepted[0]), tuple(accepted[1])]["reviewed"]
    assert (tuple(rejected[0]), tuple(rejected[1])) not in by_bead
    merged = by_bead[tuple(sorted(first[0] + second[0], key=in_order)), tuple(sorted(first[1] + second[1], key=in_order))]
    assert merged["reviewed"] and merged["quality"] == 1.0
    assert by_bead[tuple(edited[0]), tuple(edited[1])]["en"] == "The reviewer's English."
    unaligned = [json.loads(line) for line in (tmp_path / "new" / "unaligned.jsonl").read_text().splitlines()]
    assert {u["id"] for u in unaligned if u["reason"] == "rejected_by_reviewer"} == set(rejected[0] + rejected[1])


PAGE_BEADS = """return [].map.call(document.querySelectorAll('table.rows.editable tr[data-kind]'), function (tr) {
  function ids(lang) { return [].map.call(tr.querySelectorAll('td.' + lang + ' span.s'), function (s) { return s.dataset.sid; }); }
  return [tr.dataset.kind, ids('zh'), ids('en')]; });"""


def test_what_the_page_shows_is_what_apply_writes(seed_run, tmp_path, browser):
    """Random corrections by key (a fixed seed): after a reload the page is the same, and the
    pairs ``align apply`` writes from the download are the pairs the page shows."""
    import random

    from selenium.common.exceptions import WebDriverException

    chance = random.Random(7)
    browser.get((seed_run / "report.html").as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(30):
        rows = browser.find_elements(By.CSS_SELECTOR, "table.rows.editable tr[data-kind]")
        row, key = chance.choice(rows), chance.choice("aarmms[]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        spans = row.find_elements(By.CSS_SELECTOR, "span.s")
        try:
            (chance.choice(spans) if key in "s[]" and spans else row.find_element(By.CSS_SELECTOR, "td.q")).click()
        except WebDriverException:  # a row the sticky bar covers: try another
            continue
        body.send_keys(key)
    made = int(browser.find_element(By.ID, "review-count").text.split()[0])
    assert made >= 10
    shown = browser.execute_script(PAGE_BEADS)
    browser.refresh()
    assert browser.execute_script(PAGE_BEADS) == shown
    browser.find_element(By.ID, "review-download").click()
    review = wait_for(browser.downloads / "review.jsonl")
    assert len(review.read_text(encoding="utf-8").splitlines()) == made
    result = CliRunner().invoke(cli, ["apply", str(seed_run), str(review), "-o", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    written = {(tuple(p["zh_ids"]), tuple(p["en_ids"])) for p in pair_records(tmp_path / "new")}
    assert written == {(tuple(zh), tuple(en)) for kind, zh, en in shown if kind == "pair"}
