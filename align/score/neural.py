"""COMET-family metrics from a local checkpoint (``align score -m comet`` with a reference,
``-m cometkiwi`` without), through the ``unbabel-comet`` package (the ``comet`` extra).

Nothing is downloaded by name: the model is a checkpoint on disk (``--comet-model``: a
model folder holding ``hparams.yaml`` and ``checkpoints/model.ckpt``, or that file), and
its name and a digest of its weights go into the signature, so a score says which model
made it. The encoder the checkpoint names (``pretrained_model`` in ``hparams.yaml``) is
read from the local Hugging Face cache only (``local_files_only``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, ModuleType

from ..errors import InputError
from .metrics import MetricScore

NEURAL = ("comet", "cometkiwi")
TITLES = MappingProxyType({"comet": "COMET", "cometkiwi": "COMET-Kiwi"})
DEVICES = ("cpu", "cuda")
NO_MODEL = ("-m {name} needs a local COMET checkpoint: give --comet-model PATH (a model folder with hparams.yaml "
            "and checkpoints/model.ckpt, or that model.ckpt)")
NO_PACKAGE = ("-m {name} needs the unbabel-comet package (pip install 'zhen-align[comet]'); it is not installed "
              "in this environment")
_HUB_FOLDER = re.compile(r"^models--(.+?)--(.+)$")  # the Hugging Face cache's name for owner/model
_CHATTY = ("pytorch_lightning", "lightning_fabric")  # the loggers of the Trainer COMET predicts with


@dataclass(frozen=True)
class CometSettings:
    model: Path | None = None
    batch_size: int = 8
    device: str = "cpu"


def checkpoint_file(path: Path) -> Path:
    """The ``model.ckpt`` of a model folder (or the file itself), with its ``hparams.yaml``
    two folders up, where the library looks for it."""
    ckpt = path / "checkpoints" / "model.ckpt" if path.is_dir() else path
    if not ckpt.is_file():
        raise InputError(f"{path}: no COMET checkpoint (a model folder with checkpoints/model.ckpt, or that file)")
    if not (ckpt.parent.parent / "hparams.yaml").is_file():
        raise InputError(f"{ckpt}: no hparams.yaml in {ckpt.parent.parent} (COMET reads the model's settings there)")
    return ckpt


def model_name(ckpt: Path) -> str:
    """The model's name: ``owner/model`` for a Hugging Face cache folder, else the name of
    the model folder.

    >>> model_name(Path("hub/models--Unbabel--wmt22-comet-da/snapshots/abc/checkpoints/model.ckpt"))
    'Unbabel/wmt22-comet-da'
    >>> model_name(Path("models/my-comet/checkpoints/model.ckpt"))
    'my-comet'
    """
    for folder in ckpt.parents:
        found = _HUB_FOLDER.match(folder.name)
        if found:
            return f"{found.group(1)}/{found.group(2)}"
    return ckpt.parent.parent.name or ckpt.stem


def weights_digest(ckpt: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of the checkpoint file, the first 16 hex digits."""
    digest = hashlib.sha256()
    with ckpt.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()[:16]


def comet_signature(ckpt: Path, nrefs: int, library_version: str) -> str:
    """What made a COMET score: the model, its weights, the references and the library."""
    return f"model:{model_name(ckpt)}|sha256:{weights_digest(ckpt)}|nrefs:{nrefs}|comet:{library_version}"


def check_neural(names: Sequence[str], settings: CometSettings, has_source: bool, has_reference: bool) -> None:
    """Refuse, in one line, what cannot be scored: no model, no source, no reference for
    ``comet``, or no ``unbabel-comet`` package."""
    for name in names:
        if settings.model is None:
            raise InputError(NO_MODEL.format(name=name))
        checkpoint_file(settings.model)
        if not has_source:
            raise InputError(f"-m {name} reads the source sentences too: give --src")
        if name == "comet" and not has_reference:
            raise InputError("-m comet compares with a reference: give --ref (or use -m cometkiwi, which needs none)")
        if settings.device not in DEVICES:
            raise InputError(f"unknown device {settings.device!r}: use cpu or cuda")
        if importlib.util.find_spec("comet") is None:
            raise InputError(NO_PACKAGE.format(name=name))


@dataclass(frozen=True)
class NeuralLines:
    name: str  # the display name (COMET, COMET-Kiwi)
    scores: list[float]  # one per line
    signature: str

    def corpus(self, kept: Sequence[int], note: str = "") -> MetricScore:
        """The corpus score over the ``kept`` lines: their mean, as COMET's system score."""
        mean = sum(self.scores[i] for i in kept) / len(kept)
        return MetricScore(self.name, mean, f"{self.signature}|{note}" if note else self.signature, True)


@contextmanager
def comet_library() -> Iterator[ModuleType]:
    """The ``comet`` module, quiet on stderr while it is used: the Trainer it predicts with
    logs the hardware it found and tips at INFO, and it and its dependencies warn of
    deprecations (torchmetrics 0.10 of ``pkg_resources`` on import, torch of Lightning's
    ``LeafSpec`` as it predicts). Messages at WARNING and above still pass;
    the loggers' levels are restored afterwards."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)  # torch's, of Lightning's use of LeafSpec
        import comet  # after the filters: importing it warns; it sets Lightning's logger to INFO

        loggers = [logging.getLogger(name) for name in _CHATTY]
        levels = [logger.level for logger in loggers]
        try:
            for logger in loggers:
                logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
            yield comet
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)


@dataclass(frozen=True)
class CometScorer:
    """One loaded checkpoint, scoring any number of systems with ``comet`` or ``cometkiwi``:
    the model is read once per ``align score`` call, not once per system and metric."""

    model: object
    settings: CometSettings
    signature_of: Callable[[str], str]  # metric name -> signature

    def score_lines(self, name: str, sources: Sequence[str], hyps: Sequence[str],
                    refs: Sequence[Sequence[str]]) -> NeuralLines:
        """Per-line scores of one system by ``comet`` (source, hypothesis, first reference) or
        ``cometkiwi`` (source and hypothesis), on the device and in the batches asked for."""
        samples = [{"src": s, "mt": h} for s, h in zip(sources, hyps)]
        if name == "comet":
            for sample, ref in zip(samples, refs[0]):
                sample["ref"] = ref
        found = self.model.predict(samples, batch_size=self.settings.batch_size,
                                   gpus=1 if self.settings.device == "cuda" else 0, progress_bar=False,
                                   accelerator=self.settings.device)
        return NeuralLines(TITLES[name], [round(float(v), 4) for v in found.scores], self.signature_of(name))


@contextmanager
def comet_scorer(settings: CometSettings) -> Iterator[CometScorer]:
    """The checkpoint of ``settings`` loaded once (quietly, from local files only)."""
    ckpt = checkpoint_file(settings.model)
    with comet_library() as comet:
        model = comet.load_from_checkpoint(str(ckpt), local_files_only=True)
        version = getattr(comet, "__version__", "unknown")
        yield CometScorer(model, settings,
                          lambda name: comet_signature(ckpt, 1 if name == "comet" else 0, version))
