"""The review page's orders and filters in a real browser (headless Chromium), on the seed
run: the errors-first scores written on the page, the three orders, and each filter."""

import json

from .test_review_page import By, browser  # noqa: F401 - the fixture

ROWS = """return [].map.call(document.querySelectorAll('table.rows.editable'), function(table, t){
  return [].map.call(table.querySelectorAll('tr[data-id]'), function(r){
    return {table: t, id: r.dataset.id, kind: r.dataset.kind, pos: parseFloat(r.dataset.pos),
            quality: r.dataset.quality === '' ? null : parseFloat(r.dataset.quality),
            suspect: parseFloat(r.dataset.suspect), method: r.dataset.method || '', doc: r.dataset.doc,
            hidden: r.classList.contains('hidden'), text: r.textContent};
  });
}).reduce(function(a, b){return a.concat(b);}, []);"""


def rows(browser):  # noqa: F811
    return browser.execute_script(ROWS)


def choose(browser, name, value):  # noqa: F811
    """Pick an option as a user does: the select's value changes and it fires ``change``."""
    select = browser.find_element(By.NAME, name)
    assert value in browser.execute_script("return [].map.call(arguments[0].options, function(o){return o.value;})", select)
    browser.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", select, value)


def records(folder, name):
    path = folder / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []


def beside_left_out(pair, left_out):
    """How many sentences next to the pair's edges are unaligned, read from the files."""
    count = 0
    for lang in ("zh", "en"):
        ids = pair[f"{lang}_ids"]
        doc = ids[0].rsplit("#", 1)[0]
        numbers = [int(i.rsplit("#", 1)[1][len(lang):]) for i in ids]
        count += sum(f"{doc}#{lang}{n}" in left_out for n in (min(numbers) - 1, max(numbers) + 1))
    return count


def test_errors_first_scores_and_order_on_the_page(seed_run, browser):  # noqa: F811
    browser.get((seed_run / "report.html").as_uri())
    pairs = {p["id"]: p for p in records(seed_run, "corpus.jsonl") + records(seed_run, "mined.jsonl")}
    left_out = {u["id"] for u in records(seed_run, "unaligned.jsonl")}
    rows_before = rows(browser)
    shown = [r for r in rows_before if r["kind"] == "pair"]
    assert {r["id"] for r in shown} == set(pairs)
    extra = 0
    for r in shown:
        # the score adds what a reviewer sees at once to 1 - quality: never less than that
        assert r["suspect"] >= 1 - pairs[r["id"]]["quality"] - 1e-4, r
        extra += r["suspect"] > 1 - pairs[r["id"]]["quality"] + 0.4 and beside_left_out(pairs[r["id"]], left_out) > 0
    assert extra >= 1  # the seeds have beads with a sentence left out beside them, scored higher
    choose(browser, "order", "suspect")
    after = rows(browser)
    assert sorted(r["id"] for r in after) == sorted(r["id"] for r in rows_before)  # every row kept
    for table in {r["table"] for r in after}:
        in_table = [r for r in after if r["table"] == table]
        scores = [r["suspect"] for r in in_table]
        assert scores == sorted(scores, reverse=True), table  # most likely wrong first
        assert [r["kind"] for r in in_table if r["kind"] == "unaligned"] == \
            [r["kind"] for r in in_table[len(in_table) - sum(r["kind"] == "unaligned" for r in in_table):]]
    assert any(len({r["suspect"] for r in after if r["table"] == t and r["kind"] == "pair"}) > 1
               for t in {r["table"] for r in after})  # an order that could come out reversed
    choose(browser, "order", "quality")
    for table in {r["table"] for r in after}:
        qualities = [r["quality"] for r in rows(browser) if r["table"] == table and r["kind"] == "pair"]
        assert qualities == sorted(qualities)
    choose(browser, "order", "document")
    for table in {r["table"] for r in after}:
        positions = [r["pos"] for r in rows(browser) if r["table"] == table]
        assert positions == sorted(positions)


def _visible(browser):  # noqa: F811
    return [r for r in rows(browser) if not r["hidden"]]


def test_filters_by_quality_method_text_document_and_unaligned(seed_run, browser):  # noqa: F811
    browser.get((seed_run / "report.html").as_uri())
    everything = rows(browser)
    assert not any(r["hidden"] for r in everything)
    assert {r["kind"] for r in everything} >= {"pair", "unaligned"}
    qmin = browser.find_element(By.NAME, "qmin")
    qmin.send_keys("0.9")
    visible = _visible(browser)
    pairs = [r for r in everything if r["kind"] == "pair"]
    assert {r["id"] for r in visible if r["kind"] == "pair"} == {r["id"] for r in pairs if r["quality"] >= 0.9}
    assert 0 < len([r for r in visible if r["kind"] == "pair"]) < len(pairs)
    qmin.clear()
    browser.execute_script("arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", qmin)
    assert len(_visible(browser)) == len(everything)
    choose(browser, "method", "mined")
    visible = _visible(browser)
    assert visible and {r["method"] for r in visible} == {"mined"} and not [r for r in visible if r["kind"] == "unaligned"]
    choose(browser, "method", "")
    browser.find_element(By.NAME, "text").send_keys("Sora")
    visible = _visible(browser)
    assert visible and all("sora" in r["text"].lower() for r in visible)
    assert all("sora" not in r["text"].lower() for r in rows(browser) if r["hidden"])
    browser.find_element(By.NAME, "text").clear()
    browser.execute_script("arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
                           browser.find_element(By.NAME, "text"))
    doc = browser.execute_script("return document.querySelector('select[name=doc] option:nth-child(2)').value")
    choose(browser, "doc", doc)
    visible = _visible(browser)
    assert visible and all(doc in r["doc"] for r in visible) and len(visible) < len(everything)
    choose(browser, "doc", "")
    browser.find_element(By.NAME, "unaligned").click()
    visible = _visible(browser)
    assert visible and not [r for r in visible if r["kind"] != "pair"]
    shown = browser.find_element(By.ID, "shown").text
    assert shown == f"{len(visible)} of {len(everything)} rows shown"
