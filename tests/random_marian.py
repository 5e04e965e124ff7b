"""Random-weight Marian models with real sentencepiece tokenizers, for tests and benchmarks.

No weights can be downloaded here, so the translation code is exercised on models of the
right architecture whose weights are random: the loading, batching, splitting, caching and
decoding paths are the real ones; only the translations are nonsense.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def train_sentencepiece(texts: Sequence[str], prefix: Path, vocab_size: int, chinese: bool) -> Path:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts)), model_prefix=str(prefix), vocab_size=vocab_size,
        character_coverage=0.9995 if chinese else 1.0, model_type="unigram", minloglevel=2,
        bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, eos_piece="</s>", unk_piece="<unk>",
        hard_vocab_limit=False, num_threads=2, seed_sentencepiece_size=200_000,
    )
    model = prefix.with_suffix(".model")
    target = prefix.with_suffix(".spm")
    model.replace(target)
    prefix.with_suffix(".vocab").unlink(missing_ok=True)
    return target


def build_random_marian(
    out: Path,
    source_texts: Sequence[str],
    target_texts: Sequence[str],
    direction: str = "zh-en",
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 64,
    source_pieces: int = 1000,
    target_pieces: int = 600,
    vocab_size: int | None = None,
    seed: int = 0,
) -> Path:
    """Write a Marian model folder (config, weights, source.spm, target.spm, vocab.json).

    ``vocab_size`` pads the shared vocabulary with unused tokens up to that size (to match
    the cost of a real model's 65k-token output layer); ``<pad>`` is the last token, as in
    the OPUS-MT models.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    src_lang, tgt_lang = direction.split("-")
    train_sentencepiece(source_texts, out / "source", source_pieces, src_lang == "zh")
    train_sentencepiece(target_texts, out / "target", target_pieces, tgt_lang == "zh")
    import sentencepiece as spm

    vocab: dict[str, int] = {}
    for name in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(out / f"{name}.spm"))
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    filler = 0
    while vocab_size and len(vocab) < vocab_size - 1:
        vocab.setdefault(f"<unused{filler}>", len(vocab))
        filler += 1
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    torch.manual_seed(seed)
    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=d_model,
        encoder_layers=layers, decoder_layers=layers, encoder_attention_heads=heads, decoder_attention_heads=heads,
        encoder_ffn_dim=ffn, decoder_ffn_dim=ffn, max_position_embeddings=512,
        pad_token_id=vocab["<pad>"], eos_token_id=vocab["</s>"], decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"], share_encoder_decoder_embeddings=True,
    )
    MarianMTModel(config).save_pretrained(str(out))
    tokenizer = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                                vocab=str(out / "vocab.json"), source_lang=src_lang, target_lang=tgt_lang)
    tokenizer.save_pretrained(str(out))
    (out / "align-model.json").write_text(json.dumps({"engine": "marian", "direction": direction,
                                                       "note": "random weights, for tests and benchmarks"}), encoding="utf-8")
    return out
