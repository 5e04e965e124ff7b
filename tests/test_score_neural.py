"""``align score -m comet / cometkiwi``: the refusals (no model, no source, no package), and
the scoring path from a local checkpoint to a score and a signature naming the model.

The ``unbabel-comet`` package cannot be installed beside this project's environment (its
2.2.7 pins numpy<2, transformers<5, huggingface-hub<1 and protobuf<5; the environment has
numpy 2.4, transformers 5.25, huggingface-hub 2.4, protobuf 7.36). So here the scoring path
is tested against a stand-in for the library's interface (``load_from_checkpoint(path,
local_files_only=)``, ``model.predict(samples, batch_size=, gpus=, progress_bar=,
accelerator=)`` giving ``scores``), the one unbabel-comet 2.2.7 has: ``bench/comet_real.py``
(``make bench-comet``, in an environment of its own) runs the same path through the library
on tiny models it builds, and checks align's scores against the library's own."""

import hashlib
import json
import logging
import subprocess
import sys
import types
import warnings
from importlib.util import find_spec

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.score.neural import comet_library

from .test_score_flags import PAIRS, planted_system, write


@pytest.fixture
def files(tmp_path):
    return {"src": write(tmp_path / "src.zh", [zh for zh, _ in PAIRS]),
            "ref": write(tmp_path / "ref.en", [en for _, en in PAIRS]),
            "hyp": write(tmp_path / "hyp.en", planted_system())}


@pytest.fixture
def model(tmp_path):
    """A model folder as COMET lays it out: hparams.yaml and checkpoints/model.ckpt."""
    folder = tmp_path / "tiny-comet"
    (folder / "checkpoints").mkdir(parents=True)
    (folder / "hparams.yaml").write_text("class_identifier: regression_metric\n", encoding="utf-8")
    (folder / "checkpoints" / "model.ckpt").write_bytes(bytes(range(256)) * 64)
    return folder


def align(*args):
    return subprocess.run([sys.executable, "-m", "align.cli", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("metric, with_ref", [("comet", True), ("cometkiwi", False)])
def test_without_a_model_one_line_says_how_to_give_one(files, metric, with_ref):
    args = ["score", "-i", files["hyp"], "--src", files["src"], "--target-lang", "en", "-m", metric]
    proc = align(*args, *(["-r", files["ref"]] if with_ref else []))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"-m {metric} needs a local COMET checkpoint: give --comet-model PATH" in proc.stderr


def test_comet_needs_the_source_and_a_real_checkpoint(files, model, tmp_path):
    proc = align("score", "-i", files["hyp"], "-r", files["ref"], "--target-lang", "en", "-m", "comet",
                 "--comet-model", model)
    assert proc.returncode == 2 and "give --src" in proc.stderr and proc.stderr.count("\n") == 1
    proc = align("score", "-i", files["hyp"], "-r", files["ref"], "--src", files["src"], "--target-lang", "en",
                 "-m", "comet", "--comet-model", tmp_path / "nothing")
    assert proc.returncode == 2 and "no COMET checkpoint" in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.skipif(find_spec("comet") is not None, reason="unbabel-comet is installed here")
def test_without_the_package_one_line_names_the_extra(files, model):
    proc = align("score", "-i", files["hyp"], "-r", files["ref"], "--src", files["src"], "--target-lang", "en",
                 "-m", "comet", "--comet-model", model)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "unbabel-comet" in proc.stderr and "zhen-align[comet]" in proc.stderr


class StandIn:
    """The library's interface as documented; a line's score is the share of its words
    found in the reference (or the source's length ratio without one)."""

    def __init__(self):
        self.loaded, self.calls = [], []
        self.module = types.SimpleNamespace(__version__="9.9.9", load_from_checkpoint=self.load)

    def load(self, path, local_files_only=False):
        self.loaded.append((path, local_files_only))
        return self

    def predict(self, samples, batch_size, gpus, progress_bar, accelerator):
        self.calls.append({"samples": samples, "batch_size": batch_size, "gpus": gpus, "accelerator": accelerator})
        scores = [self.score(s) for s in samples]
        return types.SimpleNamespace(scores=scores, system_score=sum(scores) / len(scores))

    @staticmethod
    def score(sample):
        words = sample["mt"].split()
        if "ref" not in sample:
            return min(1.0, len(sample["mt"]) / (3 * len(sample["src"]) or 1))
        return sum(w in sample["ref"].split() for w in words) / len(words) if words else 0.0


@pytest.fixture
def stand_in(monkeypatch):
    library = StandIn()
    monkeypatch.setitem(sys.modules, "comet", library.module)
    real = find_spec
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: object() if name == "comet" else real(name, *a))
    return library


def test_comet_scores_with_a_signature_naming_the_model(files, model, stand_in):
    result = CliRunner().invoke(cli, ["score", "-i", str(files["hyp"]), "-r", str(files["ref"]), "--src",
                                      str(files["src"]), "--target-lang", "en", "-m", "comet", "bleu",
                                      "--comet-model", str(model), "--comet-batch-size", "4", "--format", "json",
                                      "--sentence"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    [bleu, comet] = out["scores"]
    hyps, refs = planted_system(), [en for _, en in PAIRS]
    lines = [StandIn.score({"mt": h, "ref": r}) for h, r in zip(hyps, refs)]
    assert comet["metric"] == "COMET" and comet["score"] == pytest.approx(sum(lines) / len(lines), abs=1e-4)
    assert comet["higher_is_better"] is True
    digest = hashlib.sha256((model / "checkpoints" / "model.ckpt").read_bytes()).hexdigest()[:16]
    assert comet["signature"] == f"model:tiny-comet|sha256:{digest}|nrefs:1|comet:9.9.9"
    assert stand_in.loaded == [(str(model / "checkpoints" / "model.ckpt"), True)]
    [call] = stand_in.calls
    assert (call["batch_size"], call["gpus"], call["accelerator"]) == (4, 0, "cpu")
    assert call["samples"][0] == {"src": PAIRS[0][0], "mt": hyps[0], "ref": refs[0]}
    assert [row["COMET"] for row in out["sentences"]] == [round(v, 4) for v in lines]
    assert out["sentence_signatures"]["COMET"] == comet["signature"] and bleu["metric"] == "BLEU"


def test_excluding_flagged_lines_averages_the_kept_ones_and_says_so(files, model, stand_in):
    result = CliRunner().invoke(cli, ["score", "-i", str(files["hyp"]), "-r", str(files["ref"]), "--src",
                                      str(files["src"]), "--target-lang", "en", "-m", "comet", "--comet-model",
                                      str(model / "checkpoints" / "model.ckpt"), "--exclude-flagged", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    [comet] = json.loads(result.stdout)["scores"]
    assert comet["score"] == pytest.approx(1.0) and comet["signature"].endswith("|flagged:excluded|segments:12/24")


def test_cometkiwi_needs_no_reference(files, model, stand_in):
    result = CliRunner().invoke(cli, ["score", "-i", str(files["hyp"]), "--src", str(files["src"]), "-m", "cometkiwi",
                                      "--comet-model", str(model), "--comet-device", "cuda", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    [kiwi] = out["scores"]
    assert kiwi["metric"] == "COMET-Kiwi" and "|nrefs:0|" in kiwi["signature"]
    assert "ref" not in stand_in.calls[0]["samples"][0] and stand_in.calls[0]["gpus"] == 1
    assert out["estimate"] == "reference-free" and out["flags"]["copied_source"] == 4


def test_the_report_shows_comet_beside_the_other_metrics(files, model, stand_in, tmp_path):
    page = tmp_path / "compare.html"
    result = CliRunner().invoke(cli, ["score", "-i", str(files["ref"]), str(files["hyp"]), "-r", str(files["ref"]),
                                      "--src", str(files["src"]), "--target-lang", "en", "-m", "chrf", "comet",
                                      "--comet-model", str(model), "--report", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.count("model:tiny-comet|sha256:") == 2  # corpus and sentence signature
    # the first system is the reference itself; the second is too on its 12 unplanted lines
    assert html.count("COMET 1.0000<br>") == len(PAIRS) + 12


def test_the_checkpoint_is_loaded_once_for_every_system_and_metric(files, model, stand_in):
    result = CliRunner().invoke(cli, ["score", "-i", str(files["ref"]), str(files["hyp"]), "-r", str(files["ref"]),
                                      "--src", str(files["src"]), "--target-lang", "en", "-m", "comet", "cometkiwi",
                                      "--comet-model", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert stand_in.loaded == [(str(model / "checkpoints" / "model.ckpt"), True)]
    assert len(stand_in.calls) == 4  # two systems, two metrics, one model
    assert ["ref" in call["samples"][0] for call in stand_in.calls] == [True, False, True, False]


def test_the_librarys_chatter_stays_off_stderr_and_its_warnings_pass(monkeypatch, caplog):
    """Lightning logs the hardware and tips at INFO on every predict (and sets its logger to
    INFO on import); torchmetrics warns on import. Kept quiet while COMET runs, not after."""
    monkeypatch.setitem(sys.modules, "comet", types.SimpleNamespace(__version__="9.9.9"))
    lightning = logging.getLogger("pytorch_lightning")
    monkeypatch.setattr(lightning, "level", logging.INFO)
    caplog.set_level(logging.INFO)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with comet_library() as library:
            lightning.getChild("utilities.rank_zero").info("GPU available: False, used: False")
            lightning.warning("a real problem")
            warnings.warn("pkg_resources is deprecated as an API", UserWarning)
        warnings.warn("after COMET", UserWarning)
    assert library.__version__ == "9.9.9"
    assert [r.getMessage() for r in caplog.records] == ["a real problem"]
    assert [str(w.message) for w in seen] == ["after COMET"] and lightning.level == logging.INFO
