"""``align apply``: a reviewer's corrections applied to an output folder. Corrected pairs are
marked reviewed with quality 1.0, rejected sentences are listed with their reason, no
sentence is lost, the result is the same bytes every time, and a review of other outputs is
refused naming its line."""

import json
import sys

import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import cli, main
from align.records import join_sentences
from align.review.order import ErrorsFirst, likely_wrong, signed_length_deviation

from .conftest import pair_records
from .test_schema import validator
from .test_export import DTD


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ref(record):
    return {"zh_ids": record["zh_ids"], "en_ids": record["en_ids"], "zh": record["zh"], "en": record["en"]}


def sentences_ref(records):
    """A bead of unaligned sentences (a candidate pair shown side by side)."""
    zh = [r for r in records if r["lang"] == "zh"]
    en = [r for r in records if r["lang"] == "en"]
    return {"zh_ids": [r["id"] for r in zh], "en_ids": [r["id"] for r in en],
            "zh": join_sentences([r["text"] for r in zh], "zh"), "en": join_sentences([r["text"] for r in en], "en")}


def write_review(path, lines):
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def apply(folder, review, out):
    return CliRunner().invoke(cli, ["apply", str(folder), str(review), "-o", str(out)])


def refused(folder, review, out, monkeypatch, capsys) -> str:
    """The one line ``align apply`` prints when it refuses (exit 2)."""
    monkeypatch.setattr(sys, "argv", ["align", "apply", str(folder), str(review), "-o", str(out)])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def all_sentence_ids(folder):
    ids = [s for p in pair_records(folder) for s in p["zh_ids"] + p["en_ids"]]
    return ids + [u["id"] for u in read_jsonl(folder / "unaligned.jsonl")]


def corpus(seed_run):
    return read_jsonl(seed_run / "corpus.jsonl")


def test_accept_reject_merge_edit_and_pair_a_candidate(seed_run, tmp_path):
    pairs = corpus(seed_run)
    unaligned = read_jsonl(seed_run / "unaligned.jsonl")
    candidate_id = next(u["candidate"]["id"] for u in unaligned if u["candidate"])
    candidate = [u for u in unaligned if u["candidate"] and u["candidate"]["id"] == candidate_id]
    review = write_review(tmp_path / "review.jsonl", [
        {"action": "accept", "beads": [ref(pairs[0])]},
        {"action": "reject", "beads": [ref(pairs[1])]},
        {"action": "merge", "beads": [ref(pairs[2]), ref(pairs[3])]},
        {"action": "edit", "beads": [ref(pairs[4])], "en": "An English text the reviewer wrote."},
        {"action": "accept", "beads": [sentences_ref(candidate)]},
    ])
    result = apply(seed_run, review, tmp_path / "new")
    assert result.exit_code == 0, result.output
    new = tmp_path / "new"
    by_ids = {(tuple(p["zh_ids"]), tuple(p["en_ids"])): p for p in pair_records(new)}
    accepted = by_ids[tuple(pairs[0]["zh_ids"]), tuple(pairs[0]["en_ids"])]
    assert accepted["reviewed"] and accepted["quality"] == 1.0 and accepted["signals"] == pairs[0]["signals"]
    merged = by_ids[tuple(pairs[2]["zh_ids"] + pairs[3]["zh_ids"]), tuple(pairs[2]["en_ids"] + pairs[3]["en_ids"])]
    assert merged["reviewed"] and merged["zh"] == pairs[2]["zh"] + pairs[3]["zh"]
    assert merged["shape"] == f"{len(merged['zh_ids'])}-{len(merged['en_ids'])}"
    edited = by_ids[tuple(pairs[4]["zh_ids"]), tuple(pairs[4]["en_ids"])]
    assert edited["en"] == "An English text the reviewer wrote." and edited["zh"] == pairs[4]["zh"]
    paired = [p for p in by_ids.values() if set(p["zh_ids"] + p["en_ids"]) == {u["id"] for u in candidate}]
    assert len(paired) == 1 and paired[0]["reviewed"]
    assert (tuple(pairs[1]["zh_ids"]), tuple(pairs[1]["en_ids"])) not in by_ids
    rejected = {u["id"]: u for u in read_jsonl(new / "unaligned.jsonl") if u["reason"] == "rejected_by_reviewer"}
    assert set(rejected) == set(pairs[1]["zh_ids"] + pairs[1]["en_ids"])
    assert sorted(all_sentence_ids(new)) == sorted(all_sentence_ids(seed_run))  # nothing lost, nothing twice
    reviewed_units = set()
    for name in ("corpus.tmx", "mined.tmx"):
        tmx = etree.parse(str(new / name))
        assert DTD.validate(tmx), DTD.error_log
        reviewed_units |= {tu.get("tuid") for tu in tmx.iter("tu") if tu.find("prop[@type='x-reviewed']") is not None}
    assert reviewed_units == {p["id"] for p in pair_records(new) if p["reviewed"]}
    assert accepted["id"] in reviewed_units
    run = json.loads((new / "run.json").read_text())
    assert run["counts"]["pairs_reviewed"] == 4 and run["reviews"][0]["lines"] == 5
    assert run["counts"]["unaligned_by_reason"]["rejected_by_reviewer"] == len(rejected)
    assert (new / "review.jsonl").read_bytes() == review.read_bytes()
    pair_schema, unaligned_schema = validator("corpus"), validator("unaligned")
    for record in pair_records(new):  # the corrected records are records of the published schema
        pair_schema.validate(record)
    for record in read_jsonl(new / "unaligned.jsonl"):
        unaligned_schema.validate(record)
    assert "rejected_by_reviewer" in (new / "report.html").read_text(encoding="utf-8")


def multi_sentence_pair(seed_run):
    return next(p for p in pair_records(seed_run) if len(p["en_ids"]) > 1 or len(p["zh_ids"]) > 1)


def test_split_a_bead_and_move_a_sentence_back(seed_run, tmp_path, monkeypatch, capsys):
    pair = multi_sentence_pair(seed_run)
    lang = "en" if len(pair["en_ids"]) > 1 else "zh"
    other = "zh" if lang == "en" else "en"
    texts = [e["text"] for e in pair["provenance"][lang]]
    ids = pair[lang + "_ids"]
    first = {lang + "_ids": ids[:-1], other + "_ids": pair[other + "_ids"], lang: join_sentences(texts[:-1], lang),
             other: pair[other]}
    last = {lang + "_ids": ids[-1:], other + "_ids": [], lang: texts[-1], other: ""}
    split = {"action": "split", "beads": [ref(pair)], f"{lang}_count": len(ids) - 1,
             f"{other}_count": len(pair[other + "_ids"])}
    review = write_review(tmp_path / "split.jsonl", [split])
    assert apply(seed_run, review, tmp_path / "split").exit_code == 0
    part = next(p for p in pair_records(tmp_path / "split")
                if p[lang + "_ids"] == first[lang + "_ids"] and p[other + "_ids"] == first[other + "_ids"])
    assert part["reviewed"] and part[lang] == first[lang] and part["signals"]["cosine"] is None
    left = {u["id"]: u for u in read_jsonl(tmp_path / "split" / "unaligned.jsonl")}
    assert left[ids[-1]]["reason"] == "rejected_by_reviewer" and left[ids[-1]]["text"] == texts[-1]
    move = {"action": "move", "beads": [last, first], "sentence": ids[-1]}
    review = write_review(tmp_path / "both.jsonl", [split, move])
    result = apply(seed_run, review, tmp_path / "both")
    assert result.exit_code == 0, result.output
    rebuilt = next(p for p in pair_records(tmp_path / "both") if p[lang + "_ids"] == ids)
    assert rebuilt["reviewed"] and rebuilt[lang] == pair[lang] and rebuilt["id"] == pair["id"]
    wrong_edge = {"action": "move", "beads": [first, last], "sentence": ids[0]} if len(ids) > 2 else None
    if wrong_edge:  # only the sentence at the edge facing the other bead may move
        assert "not at the edge" in refused(seed_run, write_review(tmp_path / "edge.jsonl", [split, wrong_edge]),
                                            tmp_path / "edge", monkeypatch, capsys)


def test_the_same_review_gives_the_same_bytes(seed_run, tmp_path):
    pairs = corpus(seed_run)
    review = write_review(tmp_path / "review.jsonl", [{"action": "accept", "beads": [ref(pairs[0])]},
                                                      {"action": "reject", "beads": [ref(pairs[1])]}])
    for out in ("a", "b"):
        assert apply(seed_run, review, tmp_path / out).exit_code == 0
    again = apply(tmp_path / "a", review, tmp_path / "c")  # applied to its own result: already there
    assert again.exit_code == 0 and "already applied" in again.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "corpus.tmx" in names and "report.html" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes() == (
            tmp_path / "c" / name).read_bytes(), name


@pytest.mark.parametrize("damage, message", [
    (lambda line: line["beads"][0].update(en=line["beads"][0]["en"] + " (changed)"), "line 2: the en text of"),
    (lambda line: line["beads"][0].update(zh_ids=["nowhere.txt#zh0"]), "line 2: no sentence nowhere.txt#zh0"),
    (lambda line: line.update(action="translate"), "review.jsonl:2: unknown action 'translate'"),
    (lambda line: line.update(beads=[]), "review.jsonl:2: accept names 1 bead(s)"),
])
def test_a_review_of_other_outputs_is_refused_naming_its_line(seed_run, tmp_path, damage, message, monkeypatch,
                                                              capsys):
    pairs = corpus(seed_run)
    lines = [{"action": "accept", "beads": [ref(pairs[0])]}, {"action": "accept", "beads": [ref(pairs[1])]}]
    damage(lines[1])
    line = refused(seed_run, write_review(tmp_path / "review.jsonl", lines), tmp_path / "new", monkeypatch, capsys)
    assert message in line
    assert not (tmp_path / "new").exists()  # nothing written


def test_a_bead_cannot_be_taken_twice_nor_written_over_its_folder(seed_run, tmp_path, monkeypatch, capsys):
    pairs = corpus(seed_run)
    twice = write_review(tmp_path / "twice.jsonl", [{"action": "merge", "beads": [ref(pairs[0]), ref(pairs[1])]},
                                                    {"action": "accept", "beads": [ref(pairs[0])]}])
    assert "line 2: no bead of" in refused(seed_run, twice, tmp_path / "new", monkeypatch, capsys)
    assert "new folder" in refused(seed_run, twice, seed_run, monkeypatch, capsys)


def test_errors_first_puts_a_misplaced_boundary_above_its_quality():
    """Two neighbours, one far too long and the other far too short, rank above a pair of
    lower quality whose length is right."""
    def record(n, zh, en, quality):
        return {"id": f"p{n}", "zh": zh, "en": en, "zh_ids": [f"d#zh{n}"], "en_ids": [f"d#en{n}"], "quality": quality}
    zh = "这是一个中文句子，长度正常。"
    fits = "This is a Chinese sentence, normal length."
    pairs = [record(0, zh, fits + " " + fits + " " + fits, 0.9), record(1, zh, "Short.", 0.9),
             record(2, zh, fits, 0.7), record(3, zh, fits, 0.95)]
    ratio = 3.0
    assert signed_length_deviation(zh, fits, ratio) == pytest.approx(0.0, abs=0.2)
    scores = likely_wrong(pairs, set(), ratio)
    assert set(sorted(scores, key=lambda i: -scores[i])[:2]) == {"p0", "p1"}
    assert likely_wrong(pairs, set(), ratio, ErrorsFirst(boundary=0, beside_left_out=0))["p2"] == pytest.approx(0.3)
    beside = likely_wrong(pairs, {"d#zh4"}, ratio)  # a sentence left out after the last pair
    assert beside["p3"] == pytest.approx(scores["p3"] + ErrorsFirst().beside_left_out)


def test_the_review_page_orders_by_likely_error_and_links_the_map_to_rows(seed_run):
    from lxml import html

    tree = html.fromstring((seed_run / "report.html").read_bytes())
    rows = tree.xpath('//table[contains(@class, "editable")]//tr[@data-kind="pair"]')
    assert rows and all(r.get("data-suspect") for r in rows)
    assert tree.xpath('//select[@name="order"]/option[@value="suspect"]')
    links = tree.xpath('//svg[@class="map"]//a/@href')
    assert links and all(tree.get_element_by_id(link.split("#", 1)[1]) is not None for link in links)
    candidates = tree.xpath('//tr[@data-kind="candidate"]')
    assert candidates and all(c.xpath('.//td[@class="zh"]/span[@data-sid]') and c.xpath('.//td[@class="en"]/span[@data-sid]')
                              for c in candidates)
