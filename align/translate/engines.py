"""The translation engines."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import DISTRIBUTION
from ..errors import ConfigurationError, InputError, ModelError
from .base import DecodeSettings, Translator, check_direction

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.bin")
CONFIG_FILES = ("config.json", "generation_config.json", "vocab.json", "shared_vocabulary.json",
                "source_vocabulary.json", "target_vocabulary.json", "source.spm", "target.spm")


def model_fingerprint(folder: Path) -> str:
    """Hash of a model folder's config, vocabulary, tokenizer and weight files (size and content)."""
    digest = hashlib.sha256()
    for name in sorted(CONFIG_FILES + WEIGHT_FILES):
        path = folder / name
        if path.is_file():
            digest.update(name.encode())
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def _check_folder(folder: Path, kind: str) -> None:
    if not folder.exists():
        raise ModelError(f"{folder}: no such model folder")
    if not folder.is_dir():
        raise ModelError(f"{folder}: not a folder (a {kind} model is a folder)")
    if not (folder / "source.spm").is_file() or not (folder / "target.spm").is_file():
        raise ModelError(f"{folder}: no tokenizer (source.spm and target.spm are missing)")


class MarianTranslator(Translator):
    """transformers MarianMTModel + MarianTokenizer from a local folder (greedy or beam search)."""

    engine = "marian"

    def __init__(self, folder: str | Path, direction: str, settings: DecodeSettings = DecodeSettings()) -> None:
        super().__init__(direction, settings)
        self.folder = Path(folder)
        _check_folder(self.folder, "Marian")
        if not any((self.folder / w).is_file() for w in WEIGHT_FILES[:2]):
            raise ModelError(f"{self.folder}: no model weights (model.safetensors or pytorch_model.bin)")
        self._fingerprint = model_fingerprint(self.folder)
        try:
            import torch
            from transformers import MarianMTModel, MarianTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError(f"the marian engine needs torch, transformers and sentencepiece: pip install '{DISTRIBUTION}[mt]'") from exc
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        if settings.threads:
            torch.set_num_threads(settings.threads)
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                self.tokenizer = MarianTokenizer.from_pretrained(str(self.folder))
            self.model = MarianMTModel.from_pretrained(str(self.folder)).eval()
        except Exception as exc:  # transformers raises many kinds here
            raise ModelError(f"{self.folder}: cannot load the Marian model ({type(exc).__name__}: {exc})") from exc
        vocab = len(self.tokenizer)
        if vocab != self.model.config.vocab_size:
            raise ModelError(
                f"{self.folder}: tokenizer vocabulary ({vocab}) does not match the model ({self.model.config.vocab_size})"
            )
        self._torch = torch

    def fingerprint(self) -> str:
        return self._fingerprint

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, truncation=False)["input_ids"])

    def _translate_batch(self, texts: list[str]) -> list[str]:
        batch = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True,
                               max_length=self.settings.max_input_tokens)
        longest = int(batch["attention_mask"].sum(dim=1).max())
        with self._torch.inference_mode():
            generated = self.model.generate(
                **batch,
                num_beams=self.settings.beams,
                do_sample=False,
                max_new_tokens=self.max_new_tokens(longest),
                min_new_tokens=self.settings.min_new_tokens,
            )
        return [t.strip() for t in self.tokenizer.batch_decode(generated, skip_special_tokens=True)]


class Ct2Translator(Translator):
    """CTranslate2 (int8) from a folder made by ``align models convert``."""

    engine = "ct2"

    def __init__(self, folder: str | Path, direction: str, settings: DecodeSettings = DecodeSettings(),
                 compute_type: str = "int8") -> None:
        super().__init__(direction, settings)
        self.folder = Path(folder)
        _check_folder(self.folder, "CTranslate2")
        if not (self.folder / "model.bin").is_file():
            raise ModelError(f"{self.folder}: not a CTranslate2 model (no model.bin); make one with 'align models convert'")
        self._fingerprint = model_fingerprint(self.folder)
        self.compute_type = compute_type
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:
            raise ModelError(f"the ct2 engine needs ctranslate2 and sentencepiece: pip install '{DISTRIBUTION}[mt]'") from exc
        try:
            self.translator = ctranslate2.Translator(
                str(self.folder), device=settings.device, compute_type=compute_type,
                intra_threads=settings.threads or 0, inter_threads=1,
            )
            self.source_sp = sentencepiece.SentencePieceProcessor(model_file=str(self.folder / "source.spm"))
            self.target_sp = sentencepiece.SentencePieceProcessor(model_file=str(self.folder / "target.spm"))
        except Exception as exc:
            raise ModelError(f"{self.folder}: cannot load the CTranslate2 model ({type(exc).__name__}: {exc})") from exc
        self._check_vocabulary()

    def _check_vocabulary(self) -> None:
        vocab_file = next((self.folder / n for n in ("shared_vocabulary.json", "source_vocabulary.json")
                           if (self.folder / n).is_file()), None)
        if vocab_file is None:
            return
        vocab = set(json.loads(vocab_file.read_text(encoding="utf-8")))
        pieces = [self.source_sp.id_to_piece(i) for i in range(self.source_sp.get_piece_size())]
        unknown = sum(1 for p in pieces if p not in vocab)
        if unknown > 0.5 * len(pieces):
            raise ModelError(f"{self.folder}: the tokenizer does not match the model vocabulary "
                             f"({unknown} of {len(pieces)} pieces unknown)")

    @property
    def signature(self) -> str:
        return super().signature + f"|compute:{self.compute_type}"

    def fingerprint(self) -> str:
        return self._fingerprint

    def count_tokens(self, text: str) -> int:
        return len(self.source_sp.encode(text)) + 1

    def _translate_batch(self, texts: list[str]) -> list[str]:
        tokens = [self.source_sp.encode(t, out_type=str)[: self.settings.max_input_tokens - 1] + ["</s>"] for t in texts]
        longest = max(len(t) for t in tokens)
        results = self.translator.translate_batch(
            tokens,
            beam_size=self.settings.beams,
            max_batch_size=self.settings.batch_size,
            # transformers spends the last of max_new_tokens on a forced </s>; CTranslate2 counts
            # only real tokens, so one fewer keeps the two engines' outputs identical.
            max_decoding_length=max(1, self.max_new_tokens(longest) - 1),
            min_decoding_length=min(self.settings.min_new_tokens, max(1, self.max_new_tokens(longest) - 1)),
        )
        return [self.target_sp.decode_pieces(r.hypotheses[0]).strip() for r in results]


class FileTranslator(Translator):
    """Translations supplied by the user: one line per input sentence, in order."""

    engine = "file"

    def __init__(self, path: str | Path, direction: str) -> None:
        super().__init__(direction, DecodeSettings())
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such translation file")
        self.lines = self.path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        self._fingerprint = hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]

    def fingerprint(self) -> str:
        return self._fingerprint

    def count_tokens(self, text: str) -> int:
        return len(text)

    def translate(self, texts, progress=None):
        from .base import Translation

        if len(texts) != len(self.lines):
            raise InputError(f"{self.path}: {len(self.lines)} lines, but there are {len(texts)} sentences to translate")
        return [Translation(line) for line in self.lines]


class NoneTranslator(Translator):
    engine = "none"

    def count_tokens(self, text: str) -> int:
        return 0

    def translate(self, texts, progress=None):
        from .base import Translation

        return [Translation("") for _ in texts]


ENGINES = ("marian", "ct2", "file", "none")  # --engine of align translate


def get_translator(engine: str, direction: str, model: str | os.PathLike | None = None,
                   settings: DecodeSettings = DecodeSettings()) -> Translator:
    check_direction(direction)
    if engine == "none":
        return NoneTranslator(direction, settings)
    if model is None:
        raise ConfigurationError(f"the {engine} engine needs a model (--mt-model PATH)")
    if engine == "marian":
        return MarianTranslator(model, direction, settings)
    if engine == "ct2":
        return Ct2Translator(model, direction, settings)
    if engine == "file":
        return FileTranslator(model, direction)
    raise ConfigurationError(f"unknown engine {engine!r}: use {', '.join(ENGINES)}")
