"""Command-line interface: a thin click layer over the library.

Library errors (``AlignError``) become a one-line message on stderr and a non-zero exit.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from pathlib import Path
from types import MappingProxyType

import click

from . import DISTRIBUTION, __version__
from .config import CORPUS_FORMATS, CUE_TIMES, EXECUTORS, JSONL_LAYOUTS, TMX_UNITS, normalize_settings, option_names as _names
from .console import printable_line
from .embed import DEVICES
from .errors import AlignError, InputError
from .export.formats import FORMATS
from .ingest.formats import INPUT_FORMATS
from .records import LANGS
from .score.calibrate import THRESHOLD_POLICIES
from .score.dedup import DEDUP_MODES
from .score.metrics import TARGET_LANGS
from .score.neural import DEVICES as COMET_DEVICES
from .score.upkeep import POLICIES as TM_POLICIES
from .score.select import DEFAULT_MIN_QUALITY
from .translate.base import DIRECTIONS
from .translate.engines import ENGINES
from .translate.stage import MODES as TRANSLATE_MODES
from .translate.store import QUANTIZATIONS

PAIR_FORMATS = ("beads", "tsv", "jsonl")  # what align pair prints: 0-based beads, TSV or JSON lines
REPORT_FORMATS = ("text", "json")  # what align score prints

EXIT_OK = 0
EXIT_INCOMPLETE = 1  # --strict and an input was skipped; or work that could not run to its end
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_CODES = MappingProxyType({  # every code the command line exits with, as --help says it
    EXIT_OK: "success",
    EXIT_INCOMPLETE: "completed, but --strict and an input was skipped; or a worker or the Ray cluster failed",
    EXIT_USAGE: "usage or input error (bad path or option, empty input, unreadable model or file)",
    EXIT_INTERNAL: "internal error (a bug: ALIGN_DEBUG=1 prints the traceback)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
})


def exit_codes_help() -> str:
    """The exit codes as the help of ``align`` prints them (one line each).

    >>> exit_codes_help().splitlines()[1:3]
    ['Exit codes:', '  0    success']
    """
    return "\b\nExit codes:\n" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES.items())


def encoder_option(command):
    return click.option("--encoder", default="use", show_default=True, help="Sentence encoder: use, e5 or st:PATH.")(command)


def normalize_options(command):
    """--glossary, --fix, --no-fix: the normalization settings shared by run and normalize."""
    command = click.option("--no-fix", "no_fix", multiple=True, metavar="NAME[,NAME]",
                           help="Switch fixers off by name (see align normalize --list-fixers).")(command)
    command = click.option("--fix", "fix", multiple=True, metavar="NAME[,NAME]",
                           help="Switch opt-in fixers on by name, e.g. han_latin_spacing.")(command)
    return click.option("--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
                        help="Extra glossary TSV (source, target, note); repeatable.")(command)


def _dedup_mode(ctx, param, value):
    """``--dedup MODE``; ``true`` (a settings file of align 0.1, where it was a switch) is ``pair``."""
    if value in (None, False, "false"):
        return None
    if value in (True, "true"):
        return "pair"
    if value not in DEDUP_MODES:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(DEDUP_MODES)}", ctx, param)
    return value


def filter_options(command):
    """--quality-model, --no-rule, --dedup: the accept decision's settings shared by run and score."""
    command = click.option("--dedup", callback=_dedup_mode, is_flag=False, flag_value="pair", metavar=f"[{'|'.join(DEDUP_MODES)}]",
                           help="Keep one pair of duplicates, the best: pair (both texts the same, white space, punctuation, "
                                "width and case aside; the mode of --dedup alone), source or target (the same Chinese or "
                                "English), near (both the same but for numbers); the others are listed as duplicate.")(command)
    command = click.option("--no-rule", "no_rules", multiple=True, metavar="NAME[,NAME]",
                           help="Switch a hard rule off: pairs that break only it are kept, still marked (see align "
                                "rules); repeatable.")(command)
    return click.option("--quality-model", type=click.Path(dir_okay=False, exists=True),
                        help="Judge every pair by this model (align calibrate writes one); its threshold is the "
                             "default --min-quality.")(command)


def _min_quality(ctx: click.Context, given: float, model_path: str | None) -> float:
    """--min-quality as given, else the threshold of the --quality-model, else the default."""
    from click.core import ParameterSource

    from .score.judge import quality_model

    if model_path is None or ctx.get_parameter_source("min_quality") not in (ParameterSource.DEFAULT, None):
        return given
    threshold = quality_model(model_path).threshold
    return given if threshold is None else threshold


def _progress(quiet: bool):
    if quiet:
        return None
    from tqdm import tqdm

    # disable=None: no bar where stderr is not a terminal (a log file, a pipe, CI)
    return functools.partial(tqdm, file=sys.stderr, leave=False, dynamic_ncols=True, delay=2.0, disable=None)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, epilog=exit_codes_help())
@click.version_option(__version__, prog_name="align")
def cli() -> None:
    """Build Chinese-English parallel corpora from documents.

    \b
    Example:
      align run seeds/ -o outputs/seeds
      align normalize seeds/*.txt --explain
    """


def _language_tag(value: str | None, lang: str) -> str | None:
    """A valid BCP 47 tag of ``lang`` (``zh_CN`` is written ``zh-CN``); anything else is a usage error."""
    from .errors import ConfigurationError
    from .language import language_tag

    if value is None:
        return None
    try:
        return language_tag(value, lang)
    except ConfigurationError as exc:
        raise click.BadParameter(str(exc)) from None


def _load_config(ctx: click.Context, param, value) -> None:
    """``--config FILE``: a TOML file of this command's settings, by option name (as ``align
    config OUTDIR`` writes them); the command line wins over the file, the file over defaults."""
    if value is None:
        return
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(Path(value).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise click.BadParameter(f"{value}: not a readable TOML file ({exc})", ctx, param) from exc
    names = {p.name for p in ctx.command.params if p.name != "config"}
    unknown = sorted(set(data) - names)
    if unknown:
        raise click.BadParameter(f"{value}: unknown setting {unknown[0]!r}", ctx, param)
    ctx.default_map = {**(ctx.default_map or {}), **data}


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="Output folder ('-': only corpus.jsonl, to standard output).")
@click.option("--min-quality", type=click.FloatRange(0, 1), default=DEFAULT_MIN_QUALITY, show_default=True,
              help="Pairs below this quality go to unaligned.jsonl instead of corpus.*.")
@click.option("--keep-rejected", is_flag=True, help="Keep pairs that break a hard rule (they stay marked).")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(CORPUS_FORMATS),
              help="Corpus formats to write; repeatable [default: tmx and jsonl]. tsv: zh, en, quality; "
                   "moses: corpus.zh and corpus.en, line by line; xlsx: a sheet to review (align apply reads it back); "
                   "srt, vtt: bilingual subtitles, one cue per pair, timed from the input cues; bilingual-html: "
                   "corpus.html, each paragraph followed by its translation (a parallel book to read).")
@click.option("--keep-unaligned-cues", is_flag=True,
              help="In corpus.srt/corpus.vtt, keep the cues no pair used, with their one language.")
@click.option("--cue-times", type=click.Choice(CUE_TIMES), default="both", show_default=True,
              help="Time each cue of corpus.srt/corpus.vtt by the cues of both inputs, or of the Chinese (zh) or "
                   "English (en) file only: for two files timed to different releases of a video.")
@click.option("--bitext", "bitexts", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Aligned pairs to score and export with the rest: .tmx, .xlf/.xliff, .po, .tsv (zh, en), or a "
                   "Moses pair NAME.zh + NAME.en (give either); repeatable. TMX, XLIFF and PO inputs, given or found "
                   "in a folder, are taken as bitext.")
@click.option("--t2s", is_flag=True, help="Match Traditional Chinese in its Simplified form (OpenCC); the corpus "
              "keeps the text as written.")
@click.option("--t2s-output", is_flag=True, help="Also write the Chinese converted to Simplified (logged as edits).")
@click.option("--zh-tag", callback=lambda ctx, param, value: _language_tag(value, "zh"),
              help="BCP 47 language tag of the Chinese side in TMX and JSONL, e.g. zh-TW [default: the bitext's, "
                   "else zh-CN].")
@click.option("--en-tag", callback=lambda ctx, param, value: _language_tag(value, "en"),
              help="BCP 47 language tag of the English side, e.g. en-GB [default: the bitext's, else en-US].")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS),
              help="Read every input in this format [default: by extension, then by content].")
@click.option("--keep-extracted", is_flag=True,
              help="Write the text taken from each input to OUT/extracted/DOC.txt (provenance offsets refer to it).")
@encoder_option
@normalize_options
@filter_options
@click.option("--translate", "translate_mode", type=click.Choice(TRANSLATE_MODES), default="auto",
              show_default=True, help="auto: translate when a model is found; required: fail without one.")
@click.option("--mt-model", "mt_models", multiple=True, metavar="[DIR=]PATH",
              help="MT model folder (Marian or CTranslate2), e.g. zh-en=models/opus-mt-zh-en; repeatable.")
@click.option("--beams", type=click.IntRange(1, 16), default=1, show_default=True, help="Beam size for MT.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Embedding and translation cache folder [default: OUTPUT/.align-cache].")
@click.option("--overwrite", is_flag=True, help="Write into a folder that holds files align did not write "
              "(align replaces only its own files there).")
@click.option("--max-file-size", type=click.IntRange(1), default=512, show_default=True,
              help="Skip input files larger than this many MB.")
@click.option("--max-expanded-size", type=click.IntRange(1), default=256, show_default=True,
              help="Skip a compressed input or a .docx that inflates to more than this many MB.")
@click.option("--max-line-size", type=click.IntRange(1), default=16, show_default=True,
              help="Skip a text file with a line longer than this many MB.")
@click.option("--no-report", is_flag=True, help="Do not write report.html (the review report).")
@click.option("--tmx-units", type=click.Choice(TMX_UNITS), default="bead", show_default=True,
              help="TMX units: every bead, or only those whose sides are one sentence each (the units a "
                   "sentence-segmenting CAT tool such as OmegaT retrieves; the others stay in the other formats).")
@click.option("--mined-in-corpus", is_flag=True,
              help="Write pairs mined from comparable text into corpus.* with the rest [default: apart, in mined.*: "
                   "they are paraphrases at best, not translations a translation memory should hold].")
@click.option("--jsonl-layout", type=click.Choice(JSONL_LAYOUTS), default="align", show_default=True,
              help="corpus.jsonl records: align's (texts, ids, scores, provenance), or the Hugging Face "
                   "translation layout ({\"translation\": {\"zh\": ..., \"en\": ...}}, with id, method and quality).")
@click.option("--executor", "executor_kind", type=click.Choice(EXECUTORS), default="local", show_default=True,
              help="Where normalization, translation, embedding and alignment run: this process, or Ray workers "
                   f"(pip install '{DISTRIBUTION}[ray]'). Both write the same files byte for byte.")
@click.option("--address", help="Ray cluster to join (auto, ray://HOST:PORT) [default: start a local Ray runtime].")
@click.option("--workers", type=click.IntRange(1), help="Ray workers, one CPU each [default: every CPU of the cluster].")
@click.option("--ray-timeout", type=click.FloatRange(1), default=30, show_default=True,
              help="Seconds to start or join Ray before giving up with an error.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Processes on this machine: this one and N-1 workers (the same tasks and the same output "
                   "bytes as -j 1).")
@click.option("--device", type=click.Choice(DEVICES), default="cpu", show_default=True,
              help="Where st: encoders and CTranslate2 models run.")
@click.option("--pairs", "pairs_manifest", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="TSV of document pairs (Chinese path, English path a line), before any pairing by name or content; "
                   "each is aligned as parallel or mined as comparable by its content, or as parallel whatever its "
                   "content with a third cell 'translation' (a disagreeing content is reported).")
@click.option("--no-name-pairing", is_flag=True, help="Do not pair documents by name (NAME.zh.md with NAME.en.md, "
              "README.zh-CN.md with README.md, zh-cn/P with en/P): pair every document by content.")
@click.option("--strict", is_flag=True, help="Exit 1 when any input file was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or log lines.")
@click.option("--config", type=click.Path(dir_okay=False, exists=True), is_eager=True, expose_value=False,
              callback=_load_config, help="A TOML file of settings by option name (align config OUTDIR writes one); "
                                          "the command line wins over it.")
def run(**options):
    """Run the whole pipeline on files and folders and write a scored corpus.

    Writes corpus.tmx, corpus.jsonl, mined.tmx and mined.jsonl (pairs mined from comparable
    text, apart unless --mined-in-corpus), unaligned.jsonl, edits.jsonl, run.json and
    report.html (the review report) into the output folder. Every sentence ends up in a pair or
    in unaligned.jsonl with a reason. Software string files (Android strings.xml, JSON, .arb,
    .properties, .strings, YAML locale files, .resx, Qt .ts) are paired by locale and their
    strings by key (method keyed).

    \b
    Example:
      align run seeds/ -o outputs/seeds --min-quality 0.6
      align run crawl/ -o outputs/crawl --executor ray --address auto
    """
    from .config import run_config
    from .console import print_run_summary
    from .runtime import run_to_folder

    if not options["inputs"] and not options["bitexts"]:
        raise click.UsageError("give INPUTS (files or folders) or --bitext FILE")
    if _is_default(click.get_current_context(), "min_quality"):
        options["min_quality"] = None  # the --quality-model's threshold, else the default
    config = run_config(options)
    done = run_to_folder(config, _progress(config.quiet),
                         None if config.quiet else lambda note: click.echo(f"align: {note}", err=True))
    print_run_summary(done.result, done.report, done.folder, config.quiet)
    if config.strict and any(s.warn for s in done.result.prepared.skipped):
        sys.exit(EXIT_INCOMPLETE)


def _is_default(ctx: click.Context, name: str) -> bool:
    """Whether option ``name`` took its default (given neither on the command line nor in --config)."""
    from click.core import ParameterSource

    return ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None)


@cli.command(name="config")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
def config_command(folder):
    """Print the settings of the run in FOLDER as TOML, to replay it with --config.

    \b
    Example:
      align config outputs/seeds > run.toml
      align run --config run.toml -o outputs/again
    """
    from .config import recorded_options
    from .io.toml import dumps_flat

    try:
        run_json = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder}: no readable run.json (is this an align run output folder?)") from exc
    if not isinstance(run_json, dict):
        raise InputError(f"{folder}/run.json: not a run report")
    try:
        options = recorded_options(run_json)
    except InputError as exc:
        raise InputError(f"{folder}/run.json: {exc}") from exc
    click.echo(dumps_flat(options), nl=False)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--pages", is_flag=True, help="A page per document pair under FOLDER/report/, whatever the size of the run.")
def report(folder, pages):
    """Rebuild report.html of an output folder from its files (run.json, corpus.jsonl,
    unaligned.jsonl, edits.jsonl).

    The report is one self-contained HTML file (no network; JavaScript only filters and
    sorts). Runs of more than 2,000 rows get a page per document pair under FOLDER/report/.

    \b
    Example:
      align report outputs/seeds && xdg-open outputs/seeds/report.html
    """
    from .review.write import write_report

    click.echo(f"align: wrote {write_report(folder, pages=pages).path}", err=True)


@cli.command(name="apply")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("review", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="Folder for the corrected outputs (not FOLDER itself).")
@click.option("--overwrite", is_flag=True, help="Write into a folder that holds files align did not write.")
@click.option("--quality-model", type=click.Path(dir_okay=False, exists=True),
              help="Judge the pairs the review did not correct again by this model (align calibrate writes one), "
                   "with the run's encoder; reviewed pairs keep quality 1.0, no pair is dropped.")
def apply_command(folder, review, output, overwrite, quality_model):
    """Apply the corrections saved by the review page (review.jsonl), or a reviewed corpus.xlsx
    (its decision column and edited texts), to the output folder FOLDER, and write the
    corrected corpus, unaligned.jsonl, run.json and report to OUTPUT.

    Pairs the reviewer accepted, edited, merged, split or moved a sentence into are marked
    reviewed (quality 1.0, "reviewed": true, TMX prop x-reviewed); the sentences of rejected
    pairs are listed in unaligned.jsonl as rejected_by_reviewer. A review that does not match
    FOLDER (an id it lacks, a text that changed) is refused, naming the first bad line or row.

    \b
    Example:
      align apply outputs/seeds ~/Downloads/review.jsonl -o outputs/seeds-reviewed
      align apply outputs/seeds corpus-checked.xlsx -o outputs/seeds-reviewed
    """
    from .export.reviewed import apply_review, run_encoder

    encoder = run_encoder(folder) if quality_model else None
    applied = apply_review(folder, review, output, overwrite, quality_model, encoder)
    counts = applied.report["counts"]
    if quality_model:
        again = applied.report["judged_again"]
        click.echo(f"align: {again['pairs']} pairs judged again by {again['signature']}", err=True)
    note = " (already applied there: nothing changed)" if applied.already_applied else ""
    click.echo(f"align: {applied.corrections} corrections{note}; {counts['pairs_exported']} pairs, "
               f"{counts['pairs_reviewed']} reviewed, {counts['sentences_unaligned']} sentences unaligned; "
               f"wrote {output}", err=True)


@cli.command()
@click.argument("clean", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The model file to write (JSON), for --quality-model.")
@click.option("--threshold-by", type=click.Choice(THRESHOLD_POLICIES), default="keep-right",
              show_default=True, help="The model's threshold, out of fold: the highest keeping --keep-right of the "
              "right pairs; the lowest reaching --target-precision; the lowest keeping at most --max-near of "
              "shifted neighbours and --max-random of random pairs. All three are printed.")
@click.option("--max-near", type=click.FloatRange(0, 0.99), default=0.05, show_default=True,
              help="The share of near misses (shifted neighbours) the negatives threshold may keep.")
@click.option("--max-random", type=click.FloatRange(0, 0.99), default=0.005, show_default=True,
              help="The share of random pairs the negatives threshold may keep.")
@click.option("--near-weight", type=click.FloatRange(0.1, 100), default=1.0, show_default=True,
              help="The weight in the fit of a near miss against another synthetic negative.")
@click.option("--keep-right", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help="The share of right pairs the keep-right threshold keeps.")
@click.option("--target-precision", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help="The share of kept pairs that are right at the precision threshold.")
@click.option("--signals", "features", multiple=True, metavar="NAME[,NAME]",
              help="The signals the model weighs [default: cosine, margin, length_deviation, copied_tokens]; "
                   "also e5_cosine, e5_margin, dictionary_coverage, name_agreement, number_agreement, mark_agreement, "
                   "scaled_length_deviation "
                   "(computed only where such a model judges).")
@click.option("--block", type=click.IntRange(2), default=50, show_default=True,
              help="Consecutive pairs of a block; the blocks are dealt into 5 folds, each measured by the fit on the others.")
@click.option("--seed", type=int, default=3, show_default=True, help="Seed of the synthetic negatives.")
@encoder_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def calibrate(clean, output, threshold_by, max_near, max_random, near_weight, keep_right, target_precision, features,
              block, seed, encoder, quiet):
    """Fit the quality model to a domain from CLEAN pairs (.tmx, .xlf, .po, .tsv, NAME.zh):
    right pairs against the synthetic negatives the shipped model is trained on (shifted
    neighbours, random, truncated, extended, half-replaced, Chinese cut short), and print what
    the fit achieves on each fifth of the sample when fitted on the rest. A TSV with a `label` column (right or
    wrong) adds the pairs labelled wrong to the negatives.

    \b
    Example:
      align calibrate my-clean.tmx -o my-domain.json
      align score crawled.tsv --quality-model my-domain.json -o kept.tsv
    """
    from .runtime import open_encoder
    from .io.atomic import write_text
    from .score.calibrate import DEFAULT_FEATURES, CalibrateSettings, calibrate as fit, figure_lines, read_sample

    settings = CalibrateSettings(_names(features) or DEFAULT_FEATURES, target_precision, keep_right, threshold_by,
                                 max_near, max_random, near_weight, block, seed=seed)
    sample = read_sample(clean, block)
    calibration = fit(sample, open_encoder(encoder), settings)
    write_text(output, json.dumps(calibration.model, ensure_ascii=False, indent=2) + "\n")
    for line in figure_lines(calibration.figures):
        click.echo(line)
    click.echo(f"align: wrote {output} ({sample.size} pairs, sha256 {sample.sha256[:12]})", err=True)


@cli.command()
@click.argument("corpus", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dev", type=click.IntRange(0), required=True, help="Pairs in the dev set.")
@click.option("--test", type=click.IntRange(0), required=True, help="Pairs in the test set.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for train, dev, test (in the corpus's format), removed.jsonl and split.json.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the draw.")
@click.option("--overwrite", is_flag=True, help="Write into a folder that holds files align did not write.")
def split(corpus, dev, test, output, seed, overwrite):
    """Cut dev and test sets from CORPUS (.jsonl, .tmx, .tsv, .xlf, .po, NAME.zh) and a
    training set with no pair whose Chinese or English is, exactly or near (case,
    punctuation, width, numbers and white space aside), a side of a dev or test pair; the
    pairs left out are listed in removed.jsonl with the pair each one matches.

    \b
    Example:
      align split corpus.jsonl --dev 2000 --test 2000 -o splits/
    """
    from .export.split import split_corpus

    report = split_corpus(corpus, output, dev, test, seed, overwrite)
    removed = ", ".join(f"{n} {why}" for why, n in report["removed_by"].items())
    click.echo(f"align: {report['pairs']} pairs -> train {report['train']}, dev {report['dev']}, test {report['test']}; "
               f"{report['removed']} removed from train" + (f" ({removed})" if removed else "") + f"; wrote {output}",
               err=True)


@cli.command()
def rules():
    """List the hard rules, with what each checks (switch one off with --no-rule NAME).

    \b
    Example:
      align rules
      align score crawled.tsv --no-rule number_mismatch -o kept.tsv
    """
    from .score.hardrules import rule_descriptions

    for name, checks in rule_descriptions():
        click.echo(f"{name}\t{checks}")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", type=click.Choice(("auto",) + LANGS), default="auto", show_default=True,
              help="Language of every paragraph, or auto-detect per paragraph.")
@click.option("--explain", is_flag=True, help="Print every edit (fixer, offset, before -> after) instead of the text.")
@normalize_options
@click.option("--t2s", is_flag=True, help="Convert Traditional Chinese to Simplified (OpenCC).")
@click.option("--list-fixers", is_flag=True, help="List the fixers, their languages and whether they are on by default.")
def normalize(files, lang, explain, t2s, glossaries, fix, no_fix, list_fixers):
    """Repair and clean text; print the normalized text or, with --explain, the edit log
    (in text order).

    \b
    Example:
      align normalize seeds/003_33bbebf178b5b090.txt --explain
      align normalize README.zh.md --fix han_latin_spacing --no-fix halfwidth_punctuation
    """
    from dataclasses import replace

    from .ingest import read_document
    from .normalize import FIXERS, Normalizer

    if list_fixers:
        for f in FIXERS:
            langs = ",".join(sorted(f.langs))
            click.echo(f"{f.name:<31} {langs:<13} {'on ' if f.default else 'off'}  {f.description}")
        return
    if not files:
        raise click.UsageError("give one or more FILES (or --list-fixers)")
    normalizer = Normalizer(normalize_settings(t2s, glossaries, fix, no_fix))
    for path in files:
        document, _ = read_document(path, path.name)
        paragraphs = document.paragraphs
        if lang != "auto":
            paragraphs = tuple(replace(p, lang=lang) for p in paragraphs)
        results = list(normalizer.paragraphs(paragraphs))
        if explain:
            click.echo(f"== {path} ({document.encoding})")
            edits = sorted((e for r in results for e in r.edits), key=lambda e: (e.start, e.end))
            for e in edits:
                note = f"  [{e.note}]" if e.note else ""
                click.echo(f"{e.start:>7}  {e.kind:<6} {e.fixer:<31} {e.before!r} -> {e.after!r}{note}")
            click.echo(f"   {len(edits)} edits")
        else:
            click.echo("\n\n".join(r.text for r in results if r.text))


@cli.command()
@click.argument("src", type=click.Path(path_type=Path, dir_okay=False, exists=True, allow_dash=True))
@click.argument("tgt", type=click.Path(path_type=Path, dir_okay=False, exists=True, allow_dash=True))
@click.option("--presplit", is_flag=True, help="Inputs hold one sentence per line (required for now).")
@click.option("--format", "fmt", type=click.Choice(PAIR_FORMATS), default="beads", show_default=True)
@encoder_option
@click.option("--src-lang", type=click.Choice(LANGS), default="zh", show_default=True)
@click.option("--src-trans", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Machine translation of SRC into TGT's language, one line per SRC line (adds the MT signal).")
@click.option("--mt-weight", type=click.FloatRange(0, 1), default=0.3, show_default=True,
              help="Weight of the MT signal when --src-trans is given.")
def pair(src, tgt, presplit, fmt, encoder, src_lang, src_trans, mt_weight):
    """Align two files of one sentence per line (monotonic many-to-many alignment).

    Prints one bead per line, 0-based and in order: [0,1]:[0], [5]:[], []:[7].

    \b
    Example:
      align pair zh.txt en.txt --presplit --format beads > test.align
    """
    from .api import align_presplit
    from .io.beads import format_bead
    from .records import join_sentences

    if not presplit:
        raise InputError("align pair needs --presplit: give files with one sentence per line")
    if str(src) == str(tgt) == "-":
        raise click.UsageError("only one of SRC and TGT can be standard input")
    src_lines = [ln.strip() for ln in _read_lines(src)]
    tgt_lines = [ln.strip() for ln in _read_lines(tgt)]
    if not any(src_lines) or not any(tgt_lines):
        raise InputError("empty input file")
    tgt_lang = "en" if src_lang == "zh" else "zh"
    trans_lines = None
    if src_trans:
        trans_lines = [ln.strip() for ln in src_trans.read_text(encoding="utf-8").splitlines()]
        if len(trans_lines) != len(src_lines):
            raise InputError(f"{src_trans}: {len(trans_lines)} lines, but {src} has {len(src_lines)}")
    beads = align_presplit(src_lines, tgt_lines, encoder, src_lang, trans_lines, mt_weight)
    for bead in beads:
        if fmt == "beads":
            click.echo(format_bead(bead))
        elif fmt == "tsv":
            s = join_sentences([src_lines[i] for i in bead.src], src_lang)
            t = join_sentences([tgt_lines[j] for j in bead.tgt], tgt_lang)
            click.echo(f"{format_bead(bead)}\t{bead.score:.4f}\t{s}\t{t}")
        else:
            click.echo(json.dumps({"src": list(bead.src), "tgt": list(bead.tgt), "score": bead.score,
                                   "src_text": [src_lines[i] for i in bead.src],
                                   "tgt_text": [tgt_lines[j] for j in bead.tgt]}, ensure_ascii=False))


@cli.command(name="eval")
@click.argument("gold", type=click.Path(path_type=Path, exists=True))
@click.argument("test", type=click.Path(path_type=Path, exists=True))
@click.option("--per-file", is_flag=True, help="Also print scores for each file.")
def evaluate(gold, test, per_file):
    """Strict and lax precision/recall/F1 of test alignments against gold (.align files or folders).

    TEST can also be a corpus.jsonl from align run: its pairs are compared with the gold file
    named after each Chinese document (zh/001.txt -> GOLD/001.align).

    \b
    Example:
      align eval ../shared/bench/mac-dev/gold outputs/mac-dev
      align eval ../shared/bench/mac-dev/gold outputs/mac-run/corpus.jsonl --per-file
    """
    from .evaluate import evaluate_paths

    total, files = evaluate_paths(gold, test)
    rows = list(files.items()) if per_file else []
    for name, counts in rows + [("total", total)]:
        s, lx = counts.strict(), counts.lax()
        click.echo(f"{name:<12} strict P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f}   "
                   f"lax P {lx.precision:.4f} R {lx.recall:.4f} F1 {lx.f1:.4f}")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True, allow_dash=True))
@click.option("--direction", required=True, type=click.Choice(DIRECTIONS))
@click.option("--engine", type=click.Choice(ENGINES), help="Default: from the model folder.")
@click.option("--mt-model", "model", type=click.Path(path_type=Path),
              help="Model folder (or, with --engine file, the translations file). Default: from models/.")
@click.option("--beams", type=click.IntRange(1, 16), default=1, show_default=True)
@click.option("--batch-size", type=click.IntRange(1, 1024), default=16, show_default=True)
@click.option("--max-input-tokens", type=click.IntRange(8, 4096), default=256, show_default=True,
              help="Longer sentences are split at clause boundaries and rejoined.")
@click.option("--threads", type=click.IntRange(1, 256), help="CPU threads for the engine.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), help="Translation cache folder.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout.")
def translate(file, direction, engine, model, beams, batch_size, max_input_tokens, threads, cache_dir, output):
    """Translate a file of sentences, one per line; print one translation per input line.

    \b
    Example:
      align translate sentences.zh --direction zh-en --mt-model models/opus-mt-zh-en -o out.en
    """
    from .io.atomic import write_text
    from .runtime import open_translator
    from .translate import DecodeSettings

    settings = DecodeSettings(beams=beams, batch_size=batch_size, max_input_tokens=max_input_tokens, threads=threads)
    lines = _read_lines(file)
    translator = open_translator(direction, engine, model, settings, cache_dir)
    results = translator.translate(lines)
    text = "".join(r.text.replace("\n", " ") + "\n" for r in results)
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)


@cli.group()
def models():
    """The local model store (models/, or $ALIGN_MODELS): list, pull, convert.

    \b
    Example:
      align models list
      align models convert models/opus-mt-zh-en models/opus-mt-zh-en-ct2
    """


@models.command(name="list")
def models_list():
    """List the models in the store: name, direction, engine, size.

    \b
    Example:
      ALIGN_MODELS=/data/models align models list
    """
    from .translate.store import default_store, list_models

    found = list_models()
    if not found:
        click.echo(f"no models in {default_store()}/")
    for m in found:
        click.echo(f"{m.name:<32} {m.direction:<6} {m.engine:<7} {m.size_bytes / 1e6:8.1f} MB  {m.path}")


@models.command(name="pull")
@click.argument("directions", nargs=-1, required=True, type=click.Choice(DIRECTIONS))
def models_pull(directions):
    """Download the reference OPUS-MT models from the Hugging Face hub (needs a network).

    \b
    Example:
      align models pull zh-en en-zh
    """
    from .translate.store import pull

    for direction in directions:
        click.echo(f"align: {direction}: downloaded to {pull(direction)}", err=True)


@models.command(name="convert")
@click.argument("marian_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--quantization", type=click.Choice(QUANTIZATIONS), default="int8", show_default=True)
@click.option("--force", is_flag=True, help="Replace OUT_DIR if it exists.")
def models_convert(marian_dir, out_dir, quantization, force):
    """Convert a Marian model folder to CTranslate2 (for --engine ct2).

    \b
    Example:
      align models convert models/opus-mt-zh-en models/opus-mt-zh-en-ct2
    """
    from .translate.store import convert

    click.echo(f"align: wrote {convert(marian_dir, out_dir, quantization, force)}", err=True)


def _read_lines(path, blank_end: bool = False) -> list[str]:
    """The lines of a file, of standard input for ``-``, decompressed by its extension; with
    ``blank_end``, empty lines at the end are lines too (a system's empty outputs)."""
    from .ingest import decode_bytes
    from .io.streams import read_input

    data = read_input(path)
    if not data.strip():
        raise InputError(f"{path}: empty file")
    text, _ = decode_bytes(data)
    text = text.replace("\r\n", "\n")
    return (text[:-1] if blank_end and text.endswith("\n") else text.rstrip("\n")).split("\n")


@cli.command()
@click.argument("args", nargs=-1, metavar="[CORPUS | MORE_SYSTEMS | METRICS]")
@click.option("-i", "--hyp", "hyps", multiple=True,
              help="Translations, one per line ('-': standard input). Several systems: -i sys1 sys2 (the first "
                   "is the baseline of a paired test).")
@click.option("-r", "--ref", "refs", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Reference translations, one per line (repeatable).")
@click.option("-m", "--metrics", "metric_names", multiple=True,
              help="bleu, chrf, chrf++, ter (sacrebleu's names; -m bleu chrf) [default: all four]; comet (with --src "
                   "and --ref) and cometkiwi (with --src) from a local checkpoint (--comet-model).")
@click.option("--confidence", is_flag=True, help="95%% confidence intervals by bootstrap resampling (one system).")
@click.option("--confidence-n", type=click.IntRange(2), default=1000, show_default=True, help="Bootstrap resamples.")
@click.option("--paired-bs", is_flag=True, help="Paired bootstrap resampling of each system against the first.")
@click.option("--paired-ar", is_flag=True, help="Paired approximate randomization of each system against the first.")
@click.option("--paired-bs-n", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--paired-ar-n", type=click.IntRange(1), default=10000, show_default=True)
@click.option("--resegment", is_flag=True,
              help="The hypothesis is a document whose lines need not match the reference's: align it to the "
                   "reference sentence by sentence first, and report omitted and added sentences.")
@click.option("--src", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Source sentences: with --ref, every flag is checked (copied_source needs the source); "
                   "without --ref, reference-free mode.")
@click.option("--exclude-flagged", is_flag=True,
              help="Score only the lines no system has a flag on (empty, copied_source, wrong_language, "
                   "untranslated_span); the signatures say so.")
@click.option("--report", "report", type=click.Path(path_type=Path, dir_okay=False),
              help="With --ref: write FILE.html, one self-contained page comparing the systems segment by segment.")
@click.option("--comet-model", type=click.Path(path_type=Path),
              help="-m comet/cometkiwi: a local COMET checkpoint (a model folder with hparams.yaml and "
                   "checkpoints/model.ckpt, or that file); its name and weights digest go into the signature.")
@click.option("--comet-batch-size", type=click.IntRange(1), default=8, show_default=True, help="COMET batch size.")
@click.option("--comet-device", type=click.Choice(COMET_DEVICES), default="cpu", show_default=True,
              help="Where COMET runs.")
@click.option("--target-lang", type=click.Choice(TARGET_LANGS), help="Language of --hyp (picks the tokenization).")
@click.option("--sentence", is_flag=True, help="Also print per-line scores as JSONL (one system).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@click.option("--min-quality", type=click.FloatRange(0, 1), default=DEFAULT_MIN_QUALITY, show_default=True,
              help="With CORPUS: keep pairs at or above this quality (an estimate of the probability that the "
                   "pair is a translation; 0 keeps every pair that breaks no hard rule).")
@click.option("--keep-rejected", is_flag=True, help="With CORPUS: keep pairs that break a hard rule.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="With CORPUS: write the kept pairs here, in the format of the extension (.tmx, .jsonl, .tsv).")
@click.option("--output-format", type=click.Choice(FORMATS),
              help="Format of -o when its extension does not say (moses: -o PREFIX writes PREFIX.zh and PREFIX.en).")
@click.option("--header/--no-header", default=None,
              help="With a TSV CORPUS: its first line is (not) a header [default: when it reads as column names].")
@click.option("--zh-col", "--scol", "zh_col", type=click.IntRange(1), help="With a TSV CORPUS: the Chinese column (1-based).")
@click.option("--en-col", "--tcol", "en_col", type=click.IntRange(1), help="With a TSV CORPUS: the English column (1-based).")
@click.option("--append-score", is_flag=True,
              help="With a TSV CORPUS and -o: write each kept row back with every column and the quality appended.")
@filter_options
@click.option("--conflicts", "conflicts", type=click.Path(path_type=Path, dir_okay=False),
              help="With CORPUS: TM upkeep. Write the conflicts (one source with several translations, one "
                   "translation of several sources) and exact duplicates among the kept units here (JSONL, one "
                   "finding a line); their counts go into the summary.")
@click.option("--tm-keep", type=click.Choice(TM_POLICIES), default="all", show_default=True,
              help="With CORPUS: keep every unit; only the best-scored translation of each source (no conflict "
                   "of that kind, no duplicate left); or all, each unit in a finding marked (x-tm-conflict).")
@encoder_option
@click.option("--mt-model", "mt_model", type=click.Path(path_type=Path),
              help="Reference-free mode: model for the reverse direction (round-trip chrF). Default: from models/.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def score(args, hyps, refs, metric_names, confidence, confidence_n, paired_bs, paired_ar, paired_bs_n, paired_ar_n,
          resegment, src, exclude_flagged, report, comet_model, comet_batch_size, comet_device, target_lang, sentence,
          fmt, min_quality, keep_rejected, output, output_format, header, zh_col, en_col, append_score, quality_model,
          no_rules, dedup, conflicts, tm_keep, encoder, mt_model, quiet):
    """Score translations (BLEU, chrF, chrF++, TER, COMET) or rescore and filter a corpus.

    \b
    Three modes:
      -i H [H2 ...] -r R [-r R2] --target-lang zh|en   metrics via sacrebleu, with signatures;
                                                       several systems: --paired-bs or --paired-ar;
                                                       lines flagged (copied, empty, wrong language)
      --src S -i H                                     reference-free estimates (no reference)
      CORPUS [--min-quality Q] [-o OUT]                 rescore, filter, write back; CORPUS is
                                                       .jsonl, .tmx, .xlf/.xliff, .tsv or NAME.zh (+ NAME.en)

    \b
    Example:
      align score -i mt.txt -r ref.txt --target-lang en -m bleu chrf --confidence
      align score -i base.txt new.txt -r ref.txt --target-lang zh --paired-bs
      align score -i base.txt new.txt -r ref.txt --src src.zh --target-lang en --report compare.html
      align score outputs/seeds/corpus.tmx --min-quality 0.8 -o filtered.jsonl
      align score TM.tmx --min-quality 0 --conflicts conflicts.jsonl --tm-keep best -o clean.tmx
    """
    from .score.metrics import METRICS
    from .score.neural import NEURAL, CometSettings

    if hyps:
        systems, metric_names = _systems_and_metrics(hyps, args, metric_names)
        names, comet = tuple(metric_names) or METRICS, CometSettings(comet_model, comet_batch_size, comet_device)
        if report and (resegment or not refs):
            raise click.UsageError("--report takes --ref, without --resegment")
        if refs and resegment:
            if set(names) & set(NEURAL):
                raise click.UsageError("-m comet and cometkiwi do not take --resegment")
            _score_resegmented(systems, refs, target_lang, fmt, names, encoder, exclude_flagged)
        elif refs:
            _score_with_references(systems, refs, target_lang, sentence, fmt, names,
                                   (confidence, confidence_n), _paired_test(paired_bs, paired_ar, paired_bs_n,
                                                                           paired_ar_n), (src, exclude_flagged, comet),
                                   report)
        elif src is not None and len(systems) == 1:
            if exclude_flagged:
                raise click.UsageError("--exclude-flagged takes --ref (reference-free mode counts the flags only)")
            _score_without_references(src, Path(systems[0]), sentence, fmt, encoder, mt_model, target_lang,
                                      (names if metric_names else (), comet))
        else:
            raise click.UsageError("give --ref with --hyp (or --src with one --hyp)")
    elif len(args) == 1:
        _rescore_command(Path(args[0]), (min_quality, keep_rejected, quality_model, no_rules, dedup),
                         (output, output_format, append_score, fmt), (zh_col, en_col, header), encoder, quiet,
                         (conflicts, tm_keep))
    elif args:
        raise click.UsageError("give one CORPUS (several systems go after --hyp)")
    else:
        raise click.UsageError("give CORPUS, or --hyp with --ref, or --src with --hyp")


def _rescore_command(corpus: Path, filtering, writing, tsv, encoder, quiet: bool, upkeep) -> None:
    """``align score CORPUS``: the options of rescoring gathered and handed to ``_score_corpus``."""
    from .io.corpus import TsvLayout
    from .score.select import SelectSettings

    min_quality, keep_rejected, quality_model, no_rules, dedup = filtering
    output, output_format, append_score, fmt = writing
    if append_score and not output:
        raise click.UsageError("--append-score needs -o OUT.tsv")
    ctx = click.get_current_context()
    select = SelectSettings(_min_quality(ctx, min_quality, quality_model), keep_rejected, dedup, _names(no_rules))
    _score_corpus(corpus, select, quality_model, output, output_format, encoder, fmt, TsvLayout(*tsv), append_score,
                  _progress(quiet), upkeep)


def _systems_and_metrics(hyps, args, metric_names) -> tuple[list[str], list[str]]:
    """sacrebleu's "-i sys1 sys2" and "-m bleu chrf": the words after an option go to it."""
    from .score.metrics import METRICS
    from .score.neural import NEURAL

    metric_names, systems = list(_names(metric_names)), list(hyps)
    for arg in args:
        if metric_names and arg.lower() in METRICS + NEURAL and not Path(arg).exists():
            metric_names.append(arg.lower())
        else:
            systems.append(arg)
    return systems, metric_names


def _paired_test(paired_bs: bool, paired_ar: bool, bs_n: int, ar_n: int) -> tuple[str, int] | None:
    if paired_bs and paired_ar:
        raise click.UsageError("--paired-bs and --paired-ar exclude each other")
    if paired_bs:
        return "bs", bs_n
    return ("ar", ar_n) if paired_ar else None


def _score_with_references(systems, refs, target_lang, sentence, fmt, names, confidence, paired, flagging, report):
    from .score.compare import sentence_rows
    from .score.flags import describe_counts, flag_systems
    from .score.metrics import check_lines
    from .score.systems import score_systems, split_names

    if target_lang is None:
        raise click.UsageError("--target-lang zh|en is required with --ref")
    if len(systems) > 1 and (confidence[0] or sentence):
        raise click.UsageError("--confidence and --sentence take one system; compare several with --paired-bs or --paired-ar")
    if paired and len(systems) < 2:
        raise click.UsageError("a paired test needs two systems or more: -i baseline.txt other.txt")
    if paired and split_names(names)[1]:
        raise click.UsageError("paired tests take sacrebleu's metrics (bleu, chrf, chrf++, ter), "
                               "not comet or cometkiwi")
    outputs = [_read_score_lines(Path(h) if h != "-" else h) for h in systems]
    ref_lines = [_read_score_lines(r) for r in refs]
    sources = None if flagging[0] is None else _read_score_lines(flagging[0])
    for name, hyps in zip(systems, outputs):
        check_lines(hyps, ref_lines + ([sources] if sources else []),
                    [str(name)] + [str(r) for r in refs] + [str(flagging[0])])
        _warn_on_language(hyps, target_lang)
    flagged = flag_systems(outputs, sources, target_lang, flagging[1])
    scored = score_systems(outputs, ref_lines, sources, target_lang, names, flagged, flagging[2],
                           confidence[1] if confidence[0] and len(systems) == 1 else 1)
    if report:
        _write_score_report(report, list(zip(systems, outputs)), ref_lines, sources, target_lang, names, flagged,
                            scored)
    if len(systems) > 1:
        _print_systems(systems, [flagged.select(h) for h in outputs], [flagged.select(r) for r in ref_lines],
                       target_lang, names, paired, fmt, flagged, scored.corpus)
        return
    hyps, scores = outputs[0], scored.corpus[0]
    rows, signatures = [[]], {}
    if sentence:
        rows, signatures = sentence_rows([hyps], ref_lines, target_lang, split_names(names)[0], scored.neural)
    rows = rows[0]
    for row, flag in zip(rows, flagged.flags[0]):
        row["flag"] = None if flag is None else flag.name
    if fmt == "json":
        out = {"scores": [s.as_dict() for s in scores], "flags": flagged.counts[0]}
        if sentence:
            out["sentence_signatures"] = signatures
            out["sentences"] = rows
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for s in scores:
        value = f"{s.score:6.4f}" if s.name.startswith("COMET") else f"{s.score:6.2f}"  # COMET is in [0, 1]
        click.echo(f"{s.name:<7} {value}  {s.signature}" + (f"  {s.detail}" if confidence[0] else ""))
    click.echo(f"flags   {describe_counts(flagged.counts[0])} (of {len(hyps)} lines)")
    if rows:  # text mode: a tab-separated table, never JSON mixed into text
        columns = [c for c in rows[0] if c not in ("line", "flag")]
        click.echo("\t".join(["line"] + columns + ["flag"]))
        for row in rows:
            click.echo("\t".join([str(row["line"])] + [f"{row[c]:.2f}" for c in columns] + [row["flag"] or "-"]))


def _write_score_report(path, systems, ref_lines, sources, target_lang, names, flagged, scored):
    from .review.score_page import write_score_report
    from .score.compare import compare_segments, sentence_rows
    from .score.systems import split_names

    rows = sentence_rows([h for _, h in systems], ref_lines, target_lang, split_names(names)[0], scored.neural)
    write_score_report(path, compare_segments(systems, ref_lines, sources, rows, scored.corpus, flagged))
    click.echo(f"align: wrote {path}", err=True)


def _read_score_lines(path) -> list[str]:
    return _read_lines(path, blank_end=True)


def _score_resegmented(systems, refs, target_lang, fmt, names, encoder, exclude_flagged):
    from .runtime import open_encoder
    from .score.flags import describe_counts, flag_systems
    from .score.metrics import corpus_scores
    from .score.resegment import resegment

    if target_lang is None:
        raise click.UsageError("--target-lang zh|en is required with --ref")
    if len(systems) != 1 or len(refs) != 1:
        raise click.UsageError("--resegment takes one hypothesis document and one reference document")
    found = resegment(_read_lines(Path(systems[0]) if systems[0] != "-" else "-"), _read_lines(refs[0]), target_lang,
                      open_encoder(encoder))
    if not found.hypotheses:
        raise InputError("--resegment: no hypothesis sentence could be aligned to the reference")
    flagged = flag_systems([found.hypotheses], None, target_lang, exclude_flagged)  # no source: partly
    scores = corpus_scores(flagged.select(found.hypotheses), [flagged.select(found.references)], target_lang, names)
    if fmt == "json":
        click.echo(json.dumps({"scores": [dict(s.as_dict(), signature=flagged.sign(s.signature)) for s in scores],
                               "flags": flagged.counts[0], "resegment": found.as_dict()}, ensure_ascii=False, indent=1))
        return
    for s in scores:
        click.echo(f"{s.name:<7} {s.score:6.2f}  {flagged.sign(s.signature)}|resegment:align")
    click.echo(f"flags   {describe_counts(flagged.counts[0])} (of {len(found.hypotheses)} segments)")
    click.echo(f"segments {len(found.hypotheses)}, omitted {len(found.omitted)} reference sentences, "
               f"added {len(found.added)} hypothesis sentences")


def _print_systems(systems, outputs, ref_lines, target_lang, names, paired, fmt, flagged, corpus):
    """Scores of several systems (``corpus``: each one's), or a paired test of each against the first."""
    from .score.flags import describe_counts
    from .score.metrics import compare_systems

    if paired is None:
        table = list(zip(systems, corpus))
        if fmt == "json":
            click.echo(json.dumps({"systems": [{"system": n, "scores": [s.as_dict() for s in sc], "flags": c}
                                               for (n, sc), c in zip(table, flagged.counts)]},
                                  ensure_ascii=False, indent=1))
            return
        for (name, scores), counts in zip(table, flagged.counts):
            click.echo(f"{name}: " + "  ".join(f"{s.name} {s.score:.2f}" for s in scores)
                       + f"  flags: {describe_counts(counts)}")
        for s in table[0][1]:
            click.echo(f"{s.name:<7} {s.signature}")
        return
    result = compare_systems(list(zip(systems, outputs)), ref_lines, target_lang, names, *paired)
    result = type(result)({m: flagged.sign(sig) for m, sig in result.signatures.items()},
                          [dict(row, flags=c) for row, c in zip(result.rows, flagged.counts)])
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return
    for row in result.rows:
        cells = []
        for metric in result.signatures:
            cell = row[metric]
            p_value = "" if cell["p_value"] is None else f" p={cell['p_value']:.4f}"
            cells.append(f"{metric} {cell['score']:.2f} (μ = {cell['mean']:.2f} ± {cell['ci']:.2f}){p_value}")
        click.echo(f"{row['system']}: " + "  ".join(cells) + f"  flags: {describe_counts(row['flags'])}")
    for metric, signature in result.signatures.items():
        click.echo(f"{metric:<7} {signature}")


def _warn_on_language(hyps: list[str], target_lang: str) -> None:
    from .language import detect_language

    found = detect_language(" ".join(hyps[:200]))
    if found in ("zh", "en") and found != target_lang:
        click.echo(f"align: warning: --target-lang {target_lang}, but the hypotheses read as {found}: "
                   "the tokenization may be wrong", err=True)


def _score_without_references(src, hyp, sentence, fmt, encoder, mt_model, target_lang, neural):
    from .runtime import open_encoder
    from .language import detect_language
    from .score.flags import describe_counts, flag_systems
    from .score.reference_free import reference_free
    from .score.systems import score_systems, split_names

    lexical, neural_names = split_names(neural[0])
    if lexical:
        raise click.UsageError(f"-m {lexical[0]} needs --ref (without a reference: -m cometkiwi)")
    sources, hyps = _read_score_lines(src), _read_score_lines(hyp)
    if len(sources) != len(hyps):
        raise InputError(f"{hyp}: {len(hyps)} lines, but {src} has {len(sources)}")
    target_lang = target_lang or ("en" if detect_language(" ".join(sources)) == "zh" else "zh")
    flagged = flag_systems([hyps], sources, target_lang)
    kiwi = score_systems([hyps], [], sources, target_lang, neural_names, flagged, neural[1])
    result = reference_free(sources, hyps, open_encoder(encoder), mt_model)
    for row, flag in zip(result.lines, flagged.flags[0]):
        row.update({lines.name: lines.scores[row["line"] - 1] for lines in kiwi.neural[0]})
        row["flag"] = None if flag is None else flag.name
    if fmt == "json":
        out = dict(result.as_dict(), flags=flagged.counts[0], scores=[s.as_dict() for s in kiwi.corpus[0]])
        if sentence:
            out["sentences"] = result.lines
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    else:
        click.echo("Reference-free ESTIMATES (no reference translation was given):")
        click.echo(f"embedding cosine (mean) {result.embedding_cosine_mean:.4f}  {result.embedding_signature}")
        if result.round_trip_chrf is None:
            click.echo(f"round-trip chrF          {result.round_trip_note}")
        else:
            click.echo(f"round-trip chrF          {result.round_trip_chrf:.2f}  {result.round_trip_signature}  "
                       f"({result.round_trip_note})")
        for s in kiwi.corpus[0]:
            click.echo(f"{s.name:<23} {s.score:.4f}  {s.signature}")
        click.echo(f"flags                   {describe_counts(flagged.counts[0])} (of {len(hyps)} lines)")
    if sentence:
        for row in result.lines:
            click.echo(json.dumps(row))


def _score_corpus(corpus, select, model_path, output, output_format, encoder, fmt, layout, append_score,
                  progress=None, upkeep=(None, "all")):
    from .export.corpus import RescoreSettings, rescore_file
    from .score.audit import audit_lines
    from .score.upkeep import tm_summary

    settings = RescoreSettings(select, model_path, encoder, layout, output, output_format, append_score,
                               conflicts=upkeep[0], tm_keep=upkeep[1])
    done = rescore_file(corpus, settings, progress)
    summary, tm = done.summary, done.tm
    to_stderr = str(output) == "-"  # standard output holds the corpus
    if tm:
        click.echo(f"TM upkeep: {tm_summary(tm)}" + (f"; listed in {upkeep[0]}" if upkeep[0] else ""), err=True)
    if fmt == "json":
        click.echo(json.dumps(summary.as_dict() | ({"tm_upkeep": tm} if tm else {}), ensure_ascii=False),
                   err=to_stderr)
    else:
        mean = "n/a" if summary.mean_quality_kept is None else f"{summary.mean_quality_kept:.4f}"
        dropped = summary.why_dropped()
        click.echo(f"{summary.pairs} pairs rescored, {summary.kept} kept, mean quality of kept pairs {mean}"
                   + (f"; {dropped}" if dropped else "") + (f"; wrote {output}" if output and not to_stderr else ""),
                   err=to_stderr)
        audit = audit_lines(summary.filters) if model_path or select.no_rules or select.dedup else []
        for line in audit + [f"quality model: {summary.quality_signature}", f"signatures: {summary.signature} "
                             f"(--format json lists them)"]:
            click.echo(line, err=to_stderr)


def _fail(message: str, code: int) -> None:
    """Print ``message`` as the last line on standard error and exit: progress bars still open
    are closed first, and what would come after (a Ray runtime's log lines as it shuts down at
    exit) is not written."""
    tqdm = sys.modules.get("tqdm")
    for bar in list(getattr(getattr(tqdm, "tqdm", None), "_instances", ())):
        bar.close()
    click.echo(printable_line(message), err=True)
    sys.stderr.flush()
    if sys.stderr is sys.__stderr__:  # the process's own standard error (not a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
    sys.exit(code)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="align: %(message)s", stream=sys.stderr)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        _fail("align: interrupted", EXIT_INTERRUPTED)
    except click.ClickException as exc:  # usage errors too: one line, not click's three
        hint = f" (see align {exc.ctx.info_name} --help)" if isinstance(exc, click.UsageError) and exc.ctx else ""
        _fail(f"align: error: {exc.format_message()}{hint}", exc.exit_code)
    except AlignError as exc:
        _fail(f"align: error: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        _fail("align: interrupted", EXIT_INTERRUPTED)
    except OSError as exc:
        _fail(f"align: error: {exc.filename or ''}: {exc.strerror or exc}", EXIT_USAGE)
    except Exception as exc:  # a bug: one line for users, the traceback on request
        if os.environ.get("ALIGN_DEBUG"):  # the traceback, and still the exit code of an internal error
            import traceback

            traceback.print_exc()
            sys.exit(EXIT_INTERNAL)
        _fail(f"align: internal error: {type(exc).__name__}: {exc} (set ALIGN_DEBUG=1 for the traceback)", EXIT_INTERNAL)


if __name__ == "__main__":
    main()
