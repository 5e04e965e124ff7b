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
