"""``align score -m comet`` and ``-m cometkiwi`` through the real ``unbabel-comet`` package,
on tiny models built here, offline.

unbabel-comet 2.2.7 pins numpy<2, transformers<5, huggingface-hub<1 and protobuf<5, so it
cannot live in the project's own environment; this script runs in one of its own:

    make bench-comet
    # which does:
    python3 -m venv .venv-comet
    .venv-comet/bin/pip install torch==2.13.0        # first, so that comet keeps this torch
    .venv-comet/bin/pip install unbabel-comet
    .venv-comet/bin/pip install -e '.[comet]'
    .venv-comet/bin/python bench/comet_real.py

What it does, with nothing downloaded (``HF_HUB_OFFLINE=1``):
1. a tiny XLM-R-like encoder folder: a Unigram tokenizer (``tokenizers``) whose pieces are
   the characters of the sentences below, saved as ``XLMRobertaTokenizerFast``, and an ``XLMRobertaConfig``
   with 2 layers of width 32 (no weights: COMET builds the encoder from the config);
2. two COMET models on it, randomly initialised with a fixed seed: a ``RegressionMetric``
   (as ``Unbabel/wmt22-comet-da``: source, hypothesis, reference) and a ``UnifiedMetric``
   reading only ``mt`` and ``src`` (as ``Unbabel/wmt22-cometkiwi-da``), each saved as COMET's
   downloads lay a model out: ``hparams.yaml`` and ``checkpoints/model.ckpt``;
3. ``align score -m comet --comet-model MODEL`` (and ``-m cometkiwi``) on a few lines, then
   the same lines through ``comet.load_from_checkpoint(...).predict(...)`` directly.

It prints each score and signature and exits 1 unless align's per-line scores are the
library's own (to 4 decimals), its corpus score is their mean, and the signature names the
model and the SHA-256 of its checkpoint. The models are untrained (fixed seeds, so the
scores repeat; the digests do not, as each checkpoint records the temporary folder of its
encoder): the scores say nothing about the translations, only that the path from checkpoint
to signature works.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PAIRS = [  # written for this script
    ("今天天气很好，我们去公园散步。", "The weather is nice today, so we are going for a walk in the park."),
    ("这本书我已经读了三遍。", "I have already read this book three times."),
    ("请把窗户关上，外面太冷了。", "Please close the window, it is too cold outside."),
    ("他每天早上六点起床跑步。", "He gets up at six every morning to go running."),
    ("会议推迟到下周二举行。", "The meeting has been postponed until next Tuesday."),
    ("这家餐馆的饺子特别好吃。", "The dumplings at this restaurant are especially good."),
]
HYPOTHESES = [
    "The weather is good today, we go to the park for a walk.",
    "这本书我已经读了三遍。",  # the source, copied
    "Please shut the window, outside is too cold.",
    "",  # empty
    "La réunion a été reportée à mardi prochain.",  # French
    "The dumplings of this restaurant are very delicious.",
]


def tiny_encoder(folder: Path) -> Path:
    """An XLM-R-shaped encoder folder: tokenizer files and a config, no weights."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    text = [s for pair in PAIRS for s in pair] + HYPOTHESES
    pieces = sorted({"\u2581"} | {c for line in text for c in line if not c.isspace()})  # one piece a character
    tokenizer = Tokenizer(models.Unigram([(p, 0.0) for p in specials] + [(p, -1.0) for p in pieces], unk_id=3))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    tokenizer.post_processor = processors.RobertaProcessing(sep=("</s>", 2), cls=("<s>", 0))
    fast = XLMRobertaTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", sep_token="</s>",
                                   cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")
    fast.save_pretrained(folder)
    XLMRobertaConfig(vocab_size=len(fast), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=130, pad_token_id=1, bos_token_id=0,
                     eos_token_id=2).save_pretrained(folder)
    return folder


def save_model(model, folder: Path) -> Path:
    """``hparams.yaml`` and ``checkpoints/model.ckpt``, as COMET's downloads have them."""
    import pytorch_lightning
    import torch
    import yaml

    hparams = dict(model.hparams)
    (folder / "checkpoints").mkdir(parents=True)
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    ckpt = folder / "checkpoints" / "model.ckpt"
    torch.save({"state_dict": model.state_dict(), "hyper_parameters": hparams,
                "pytorch-lightning_version": pytorch_lightning.__version__}, ckpt)
    return folder


def tiny_models(root: Path) -> dict[str, Path]:
    """A reference-based and a reference-free COMET model on the tiny encoder."""
    import torch

    from align.score.neural import comet_library

    with comet_library():
        from comet.models import RegressionMetric, UnifiedMetric
    encoder = str(tiny_encoder(root / "tiny-xlmr"))
    common = {"pretrained_model": encoder, "load_pretrained_weights": False, "local_files_only": True,
              "hidden_sizes": [16], "layer_transformation": "sparsemax"}
    torch.manual_seed(36)
    comet = RegressionMetric(**common)
    torch.manual_seed(37)
    kiwi = UnifiedMetric(**common, input_segments=["mt", "src"], word_layer=2)
    return {"comet": save_model(comet, root / "tiny-comet-da"), "cometkiwi": save_model(kiwi, root / "tiny-cometkiwi")}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def align_score(metric: str, model: Path, files: dict[str, Path]) -> dict:
    """``align score`` in a subprocess of this environment, its JSON output."""
    args = [sys.executable, "-m", "align.cli", "score", "-i", files["hyp"], "--src", files["src"], "--target-lang",
            "en", "-m", metric, "--comet-model", model, "--comet-batch-size", "4", "--format", "json", "--sentence"]
    if metric == "comet":
        args += ["-r", files["ref"]]
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"align score -m {metric} failed (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def library_scores(metric: str, model: Path) -> list[float]:
    """The same lines scored by the library directly."""
    from align.score.neural import comet_library

    samples = [{"src": zh, "mt": hyp} for (zh, _), hyp in zip(PAIRS, HYPOTHESES)]
    if metric == "comet":
        for sample, (_, en) in zip(samples, PAIRS):
            sample["ref"] = en
    with comet_library() as comet:
        found = comet.load_from_checkpoint(str(model / "checkpoints" / "model.ckpt"), local_files_only=True).predict(
            samples, batch_size=4, gpus=0, progress_bar=False, accelerator="cpu")
    return [round(float(v), 4) for v in found.scores]


def check(metric: str, model: Path, out: dict) -> list[str]:
    """What disagrees between align's output and the library's own scores."""
    from align.score.neural import comet_library

    with comet_library() as comet:
        version = comet.__version__
    [score] = out["scores"]
    lines = [row[score["metric"]] for row in out["sentences"]]
    digest = hashlib.sha256((model / "checkpoints" / "model.ckpt").read_bytes()).hexdigest()[:16]
    want = f"model:{model.name}|sha256:{digest}|nrefs:{1 if metric == 'comet' else 0}|comet:{version}"
    problems = []
    own = library_scores(metric, model)
    if lines != own:
        problems.append(f"{metric}: per-line scores {lines} are not the library's {own}")
    if abs(score["score"] - sum(lines) / len(lines)) > 1e-4:
        problems.append(f"{metric}: corpus score {score['score']} is not the mean of the lines")
    if score["signature"] != want:
        problems.append(f"{metric}: signature {score['signature']} is not {want}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build the models in this (new) folder and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        files = {"src": write_lines(root / "src.zh", [zh for zh, _ in PAIRS]),
                 "ref": write_lines(root / "ref.en", [en for _, en in PAIRS]),
                 "hyp": write_lines(root / "hyp.en", HYPOTHESES)}
        problems = []
        for metric, model in tiny_models(root).items():
            out = align_score(metric, model, files)
            [score] = out["scores"]
            print(f"{score['metric']} {score['score']:.4f} {score['signature']}")
            print(f"  per line: {[row[score['metric']] for row in out['sentences']]}; flags: {out['flags']}")
            problems += check(metric, model, out)
    for problem in problems:
        print(problem, file=sys.stderr)
    print("ok: align's scores are the library's, signatures name the model and its weights" if not problems
          else f"{len(problems)} disagreement(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
