from pathlib import Path

import pytest

from align.errors import InputError
from align.evaluate import count, evaluate_paths
from align.records import Bead


def test_strict_and_lax_by_hand():
    gold = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), ()), Bead((3, 4), (3,)), Bead((5,), (4,))]
    test = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((), (2,)), Bead((2,), ()), Bead((3, 4), (3,)), Bead((5,), (4,))]
    c = count(gold, test)
    # Non-empty: gold 4 beads, test 4 beads; exact matches: [0]:[0], [3,4]:[3], [5]:[4].
    assert (c.gold, c.test, c.strict_hits_test, c.strict_hits_gold) == (4, 4, 3, 3)
    assert c.strict().precision == pytest.approx(0.75) and c.strict().recall == pytest.approx(0.75)
    # Lax: [1]:[1] overlaps gold [1]:[1,2], so everything counts.
    assert c.lax().f1 == pytest.approx(1.0)


def test_lax_misses_when_no_overlap_on_one_side():
    c = count([Bead((0,), (0,)), Bead((1,), (1,))], [Bead((0,), (1,)), Bead((1,), (0,))])
    assert c.lax().precision == 0.0 and c.strict().f1 == 0.0


def test_folders(tmp_path: Path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "test").mkdir()
    (tmp_path / "gold" / "a.align").write_text("[0]:[0]\n[1]:[1]\n")
    (tmp_path / "test" / "a.align").write_text("[0]:[0]\n[1]:[]\n[]:[1]\n")
    total, files = evaluate_paths(tmp_path / "gold", tmp_path / "test")
    assert total.strict().precision == 1.0 and total.strict().recall == 0.5
    (tmp_path / "gold" / "b.align").write_text("[0]:[0]\n")
    with pytest.raises(InputError, match="no such file"):
        evaluate_paths(tmp_path / "gold", tmp_path / "test")


def test_corpus_jsonl_is_evaluated_against_gold_files_by_document(tmp_path: Path):
    import json

    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "001.align").write_text("[0]:[0]\n[1,2]:[1]\n[3]:[2,3]\n")
    (gold / "002.align").write_text("[0]:[0]\n")
    records = [
        {"zh_ids": ["zh__001.txt#zh0"], "en_ids": ["en__001.txt#en0"]},
        {"zh_ids": ["zh__001.txt#zh1", "zh__001.txt#zh2"], "en_ids": ["en__001.txt#en1"]},
        {"zh_ids": ["zh__001.txt#zh3"], "en_ids": ["en__001.txt#en2"]},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    total, files = evaluate_paths(gold, corpus)
    assert (files["001"].strict_hits_test, files["001"].test, files["001"].gold) == (2, 3, 3)
    assert files["001"].lax().precision == 1.0
    assert files["002"].test == 0 and files["002"].strict().recall == 0.0
    assert total.gold == 4


def test_errors_are_one_short_line(tmp_path: Path):
    bad = tmp_path / "bad.align"
    bad.write_text("[0]:[0]\n" + "x" * 500 + "\n")
    with pytest.raises(InputError) as info:
        evaluate_paths(bad, bad)
    message = str(info.value)
    assert "\n" not in message and len(message) < len(str(bad)) + 80 and ":2:" in message
