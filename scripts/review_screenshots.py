"""Screenshots of the review page while a reviewer corrects it (headless Chromium, Selenium).

    python scripts/review_screenshots.py [OUTPUT_FOLDER] [SCREENSHOT_FOLDER]

Defaults: outputs/seeds (``make demo``) and docs/. Needs Debian's chromium, chromium-driver
and fonts-noto-cjk (for the Chinese), and Selenium (the ``test`` extra). It accepts the first
parallel pair, opens the editor on the next one, and shoots the page in document order and in
the "most likely wrong first" order. Nothing is saved: the browser profile is a temporary one.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def session(profile: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900",
                "--force-device-scale-factor=1", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=webdriver.ChromeService(shutil.which("chromedriver")), options=options)


def main(out: Path, shots: Path) -> None:
    page = (out / "report.html").resolve()
    if not page.is_file():
        sys.exit(f"no {page}: run make demo first")
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        browser = session(Path(profile))
        try:
            browser.get(page.as_uri())
            rows = browser.find_elements(By.CSS_SELECTOR, "table.rows.editable tr[data-kind=pair][data-method=parallel]")
            rows[0].click()
            browser.find_element(By.TAG_NAME, "body").send_keys("a")
            rows[1].find_element(By.CSS_SELECTOR, "td.en span.s").click()
            rows[2].find_element(By.CSS_SELECTOR, "button.do-edit").click()
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", rows[1])
            time.sleep(0.3)
            browser.save_screenshot(str(shots / "review-editing.png"))
            print(f"wrote {shots / 'review-editing.png'}")
            browser.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape closes nothing outside a box
            Select(browser.find_element(By.CSS_SELECTOR, "#filters select[name=order]")).select_by_value("suspect")
            first = browser.find_element(By.CSS_SELECTOR, "table.rows.editable tr[data-kind]")
            browser.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -170)", first)
            time.sleep(0.3)
            browser.save_screenshot(str(shots / "review-errors-first.png"))
            print(f"wrote {shots / 'review-errors-first.png'}")
        finally:
            browser.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "outputs/seeds"), Path(sys.argv[2] if len(sys.argv) > 2 else "docs"))
