"""The quality of pairs of unknown origin (the bitext model): the same from every format,
below the default threshold for wrong pairs, and versioned."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.embed import get_encoder
from align.io.tmx import TranslationUnit, write_tmx
from align.score.hardrules import broken_rules
from align.score.quality import BITEXT, load_quality_model
from align.io.corpus import read_corpus
from align.score.rescore import rescore
from align.score.select import DEFAULT_MIN_QUALITY

LAW = Path(__file__).parent / "data" / "quality" / "constitution-24.tsv"  # articles of the PRC Constitution


def law_pairs() -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in LAW.read_text(encoding="utf-8").splitlines()]


def shuffled(pairs):
    """Each Chinese side with the English of the pair half the file away."""
    half = len(pairs) // 2
    return [(zh, pairs[(n + half) % len(pairs)][1]) for n, (zh, _) in enumerate(pairs)]


def write_all_formats(pairs, folder: Path) -> list[Path]:
    """The same pairs as TSV, Moses, TMX and JSONL, none saying how they were found."""
    folder.mkdir()
    tsv, jsonl, tmx = folder / "pairs.tsv", folder / "pairs.jsonl", folder / "pairs.tmx"
    tsv.write_text("".join(f"{z}\t{e}\n" for z, e in pairs), encoding="utf-8")
    (folder / "pairs.zh").write_text("".join(z + "\n" for z, _ in pairs), encoding="utf-8")
    (folder / "pairs.en").write_text("".join(e + "\n" for _, e in pairs), encoding="utf-8")
    jsonl.write_text("".join(json.dumps({"zh": z, "en": e}, ensure_ascii=False) + "\n" for z, e in pairs),
                     encoding="utf-8")
    write_tmx(tmx, [TranslationUnit(str(n), z, e) for n, (z, e) in enumerate(pairs)], (), "zh")
    return [tsv, folder / "pairs.zh", tmx, jsonl]


def qualities(path: Path) -> list[float]:
    corpus = read_corpus(path)
    return [r.quality for r in rescore(corpus.entries, get_encoder("use"))]


def test_the_same_pairs_get_the_same_quality_from_every_format(tmp_path):
    pairs = law_pairs()[:8] + shuffled(law_pairs()[8:16])
    paths = write_all_formats(pairs, tmp_path / "corpus")
    assert {e.method for p in paths for e in read_corpus(p).entries} == {BITEXT}
    tsv, *others = [qualities(p) for p in paths]
    assert all(q == tsv for q in others)
    assert min(tsv[:8]) >= DEFAULT_MIN_QUALITY > max(tsv[8:])


def test_shuffled_pairs_fall_below_the_default_threshold_and_right_ones_stay_above(tmp_path):
    right, wrong = tmp_path / "right.tsv", tmp_path / "shuffled.tsv"
    right.write_text("".join(f"{z}\t{e}\n" for z, e in law_pairs()), encoding="utf-8")
    wrong.write_text("".join(f"{z}\t{e}\n" for z, e in shuffled(law_pairs())), encoding="utf-8")
    assert min(qualities(right)) >= DEFAULT_MIN_QUALITY
    assert max(qualities(wrong)) < DEFAULT_MIN_QUALITY
    result = CliRunner().invoke(cli, ["score", str(wrong)])  # the default threshold of align score
    assert result.exit_code == 0, result.output
    assert f"{len(law_pairs())} pairs rescored, 0 kept" in result.output


def test_a_tsv_align_wrote_keeps_method_and_recorded_signals(seed_run, tmp_path):
    """Rescoring the TSV align wrote gives the run's qualities, as the JSONL does."""
    tsv = tmp_path / "corpus.tsv"
    result = CliRunner().invoke(cli, ["score", str(seed_run / "corpus.jsonl"), "--min-quality", "0", "-o", str(tsv)])
    assert result.exit_code == 0, result.output
    header, *rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert header == ["zh", "en", "quality", "method", "margin", "garble"]
    run = [json.loads(line) for line in (seed_run / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r[3] for r in rows] == [r["method"] for r in run]
    again = read_corpus(tsv)
    assert [e.method for e in again.entries] == [r["method"] for r in run]
    assert qualities(tsv) == [r["quality"] for r in run]


@pytest.mark.parametrize("zh, en", [
    ("详情请参阅 https://kubernetes.io/docs/。", "See https://kubernetes.io/docs/ for details."),
    ("详情请参阅[文档](https://kubernetes.io/docs/)。", "See the [documentation](https://kubernetes.io/docs/)."),
    ("见 https://kubernetes.io/docs/（英文）", "See https://kubernetes.io/docs/, in English."),
])
def test_url_rule_leaves_the_punctuation_around_a_url_out(zh, en):
    assert broken_rules(zh, en, 3.0) == ()
    assert broken_rules(zh, en.replace("kubernetes.io/docs/", "kubernetes.io/blog/"), 3.0) == ("url_mismatch",)


def test_the_model_file_loads_every_method_and_its_digest_is_in_the_signature(tmp_path, monkeypatch):
    model = load_quality_model()
    assert set(model.methods) == {"parallel", "mined", BITEXT, "keyed"}
    assert model.methods[BITEXT].features == ("cosine", "margin", "length_deviation", "copied_tokens")
    assert model.judged_as("some-other-tool") == BITEXT and model.judged_as("mined") == "mined"
    import hashlib
    from importlib import resources

    text = resources.files("align").joinpath("data", "quality_model.json").read_text(encoding="utf-8")
    assert model.signature.endswith("|model:" + hashlib.sha256(text.encode()).hexdigest()[:12])


def test_a_run_records_the_model_signature(seed_run):
    run = json.loads((seed_run / "run.json").read_text(encoding="utf-8"))
    assert run["signatures"]["quality"] == load_quality_model().signature
