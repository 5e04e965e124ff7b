"""Translation throughput: transformers Marian fp32 against CTranslate2 int8, side by side.

No real weights can be downloaded here, so the benchmark builds an architecture-identical
random-weight model of OPUS-MT size (d_model 512, 6+6 layers, 8 heads, FFN 2048, a shared
vocabulary padded to about 65k tokens, sentencepiece models trained on the seeds and
MAC-dev), converts it to CTranslate2 int8, and translates the same inputs of fixed length
(30 tokens) into outputs of fixed length (32 tokens, forced with min and max new tokens),
greedy and with beam 4, on 2 threads. Each engine runs in its own process so its peak
memory (max RSS) is its own.

    python bench/translate_speed.py [--sentences 48] [--threads 2] [--workdir build/bench-mt]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import peak_rss_mb  # noqa: E402

INPUT_TOKENS = 30
OUTPUT_TOKENS = 32


def corpus_lines(lang: str) -> list[str]:
    from common import DEFAULT_MAC_DEV

    from align.language import detect_language

    lines = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        lines += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    mac = Path(DEFAULT_MAC_DEV)
    if mac.is_dir():
        for path in sorted((mac / lang).glob("*.txt")):
            lines += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [ln for ln in lines if detect_language(ln) == lang]


def build(workdir: Path) -> tuple[Path, Path]:
    from tests.random_marian import build_random_marian
    from align.translate.store import convert

    marian = workdir / "opus-size-zh-en"
    ct2 = workdir / "opus-size-zh-en-ct2"
    if not (marian / "model.safetensors").is_file():
        build_random_marian(marian, corpus_lines("zh"), corpus_lines("en"), "zh-en", d_model=512, layers=6, heads=8,
                            ffn=2048, source_pieces=8000, target_pieces=8000, vocab_size=65_000, seed=1)
    if not (ct2 / "model.bin").is_file():
        convert(marian, ct2, "int8", force=True)
    return marian, ct2


def fixed_length_inputs(marian: Path, count: int) -> list[str]:
    """Texts whose source tokenization is exactly INPUT_TOKENS tokens (with </s>)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(marian / "source.spm"))
    out = []
    for line in corpus_lines("zh"):
        pieces = sp.encode(line, out_type=str)
        if len(pieces) < INPUT_TOKENS - 1:
            continue
        text = sp.decode_pieces(pieces[: INPUT_TOKENS - 1])
        if len(sp.encode(text)) == INPUT_TOKENS - 1:
            out.append(text)
        if len(out) == count:
            break
    return out



def child(engine: str, folder: str, beams: int, threads: int, texts_file: str) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    from align.translate import DecodeSettings, get_translator

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    settings = DecodeSettings(beams=beams, batch_size=16, threads=threads,
                              min_new_tokens=OUTPUT_TOKENS, max_new_tokens=OUTPUT_TOKENS)
    translator = get_translator(engine, "zh-en", folder, settings)
    translator.translate(texts[:4])  # warm-up
    start = time.perf_counter()
    out = translator.translate(texts)
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(json.dumps({"engine": engine, "beams": beams, "sentences": len(out), "seconds": seconds,
                      "sentences_per_second": len(out) / seconds, "peak_rss_mb": peak_mb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=48)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench-mt")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, folder, beams, threads, texts_file = args.child
        child(engine, folder, int(beams), int(threads), texts_file)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    marian, ct2 = build(args.workdir)
    print(f"model ready in {time.perf_counter() - t:.1f} s: {marian} and {ct2}")
    texts = fixed_length_inputs(marian, args.sentences)
    texts_file = args.workdir / "inputs.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    print(f"{len(texts)} inputs of {INPUT_TOKENS} tokens, outputs of {OUTPUT_TOKENS} tokens, {args.threads} threads")
    results = {}
    for beams in (1, 4):
        for engine, folder in (("marian", marian), ("ct2", ct2)):
            proc = subprocess.run([sys.executable, __file__, "--child", engine, str(folder), str(beams), str(args.threads),
                                   str(texts_file)], capture_output=True, text=True, check=True)
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            results[(engine, beams)] = row
            label = "fp32" if engine == "marian" else "int8"
            print(f"{engine:<7}{label:<5} beam {beams}: {row['sentences_per_second']:6.2f} sentences/s "
                  f"({row['sentences']} in {row['seconds']:.1f} s), peak RSS {row['peak_rss_mb']:.0f} MB")
    for beams in (1, 4):
        ratio = results[("ct2", beams)]["sentences_per_second"] / results[("marian", beams)]["sentences_per_second"]
        print(f"ct2 / marian speed ratio, beam {beams}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
