"""Command-line interface: a thin click layer over the library.

Library errors (``AlignError``) become a one-line message on stderr and a non-zero exit.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

from . import DISTRIBUTION, __version__
from .errors import AlignError, InputError
from .normalize import NormalizeSettings
from .score.select import DEFAULT_MIN_QUALITY

EXIT_CODES = """\b
Exit codes: 0 success; 1 completed, but --strict and some inputs were skipped;
2 usage or input error (bad path, empty input, unreadable model or file)."""


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
    from .score.dedup import DEDUP_MODES

    if value in (None, False, "false"):
        return None
    if value in (True, "true"):
        return "pair"
    if value not in DEDUP_MODES:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(DEDUP_MODES)}", ctx, param)
    return value


def filter_options(command):
    """--quality-model, --no-rule, --dedup: the accept decision's settings shared by run and score."""
    command = click.option("--dedup", callback=_dedup_mode, is_flag=False, flag_value="pair", metavar="[pair|source|target|near]",
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


def _names(values) -> tuple[str, ...]:
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def normalize_settings(t2s: bool, glossaries, fix=(), no_fix=()) -> NormalizeSettings:
    enable = _names(fix) + (("traditional_to_simplified",) if t2s else ())
    return NormalizeSettings(enable=tuple(dict.fromkeys(enable)), disable=_names(no_fix),
                             glossaries=tuple(str(g) for g in glossaries))


def _progress(quiet: bool):
    if quiet:
        return None
    from tqdm import tqdm

    return functools.partial(tqdm, file=sys.stderr, leave=False, dynamic_ncols=True, delay=2.0)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def _as_setting(value):
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_as_setting(v) for v in value]
    return value


def _options_given(ctx: click.Context) -> dict:
    """The command's settings as parsed (defaults included), for ``run.json`` and ``align config``."""
    return {name: _as_setting(value) for name, value in ctx.params.items() if value is not None}


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="Output folder ('-': only corpus.jsonl, to standard output).")
@click.option("--min-quality", type=click.FloatRange(0, 1), default=DEFAULT_MIN_QUALITY, show_default=True,
              help="Pairs below this quality go to unaligned.jsonl instead of corpus.*.")
@click.option("--keep-rejected", is_flag=True, help="Keep pairs that break a hard rule (they stay marked).")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["tmx", "jsonl", "tsv", "moses", "xlsx", "srt", "vtt", "bilingual-html"]),
              help="Corpus formats to write; repeatable [default: tmx and jsonl]. tsv: zh, en, quality; "
                   "moses: corpus.zh and corpus.en, line by line; xlsx: a sheet to review (align apply reads it back); "
                   "srt, vtt: bilingual subtitles, one cue per pair, timed from the input cues; bilingual-html: "
                   "corpus.html, each paragraph followed by its translation (a parallel book to read).")
@click.option("--keep-unaligned-cues", is_flag=True,
              help="In corpus.srt/corpus.vtt, keep the cues no pair used, with their one language.")
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
@click.option("--input-format", type=click.Choice(["text", "html", "markdown", "docx", "pdf", "srt", "vtt", "epub"]),
              help="Read every input in this format [default: by extension, then by content].")
@click.option("--keep-extracted", is_flag=True,
              help="Write the text taken from each input to OUT/extracted/DOC.txt (provenance offsets refer to it).")
@encoder_option
@normalize_options
@filter_options
@click.option("--translate", "translate_mode", type=click.Choice(["auto", "required", "none"]), default="auto",
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
@click.option("--tmx-units", type=click.Choice(["bead", "sentence"]), default="bead", show_default=True,
              help="TMX units: every bead, or only those whose sides are one sentence each (the units a "
                   "sentence-segmenting CAT tool such as OmegaT retrieves; the others stay in the other formats).")
@click.option("--mined-in-corpus", is_flag=True,
              help="Write pairs mined from comparable text into corpus.* with the rest [default: apart, in mined.*: "
                   "they are paraphrases at best, not translations a translation memory should hold].")
@click.option("--jsonl-layout", type=click.Choice(["align", "translation"]), default="align", show_default=True,
              help="corpus.jsonl records: align's (texts, ids, scores, provenance), or the Hugging Face "
                   "translation layout ({\"translation\": {\"zh\": ..., \"en\": ...}}, with id, method and quality).")
@click.option("--executor", "executor_kind", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where normalization, translation, embedding and alignment run: this process, or Ray workers "
                   f"(pip install '{DISTRIBUTION}[ray]'). Both write the same files byte for byte.")
@click.option("--address", help="Ray cluster to join (auto, ray://HOST:PORT) [default: start a local Ray runtime].")
@click.option("--workers", type=click.IntRange(1), help="Ray workers, one CPU each [default: every CPU of the cluster].")
@click.option("--ray-timeout", type=click.FloatRange(1), default=30, show_default=True,
              help="Seconds to start or join Ray before giving up with an error.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Processes on this machine: this one and N-1 workers (the same tasks and the same output "
                   "bytes as -j 1).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True,
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
def run(inputs, output, min_quality, keep_rejected, dedup, formats, keep_unaligned_cues, bitexts, t2s_output, zh_tag, en_tag, input_format,
        keep_extracted, encoder, t2s, glossaries, fix, no_fix, quality_model, no_rules, translate_mode, mt_models, beams, cache_dir, overwrite,
        max_file_size, max_expanded_size, max_line_size, no_report, tmx_units, mined_in_corpus, jsonl_layout, executor_kind, address, workers, ray_timeout, jobs, device, pairs_manifest, no_name_pairing, strict, quiet):
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
    from .executor import ExecutorSettings, open_executor
    from .export.report import OUTPUT_FILES
    from .export.write import write_outputs
    from .io.atomic import remove_stale_temporaries
    from .io.cachedir import run_cache_dir
    from .io.outdir import prepare_output_folder
    from .run import run as run_pipeline
    from .tasks import WorkerSpec, worker_context

    inputs, bitexts = _documents_and_bitext(inputs, bitexts)
    to_stdout = str(output) == "-"
    if to_stdout:  # the run writes into a temporary folder, and corpus.jsonl goes to standard output
        output = Path(tempfile.mkdtemp(prefix="align-run-"))
        formats, no_report = ("jsonl",), True
    removed = prepare_output_folder(output, overwrite)
    if removed and not quiet:
        click.echo(f"align: removed {removed} files of the earlier run in {output}/", err=True)
    cache = run_cache_dir(cache_dir, output, user_cache=to_stdout)
    ctx = click.get_current_context()
    config = _run_config({**ctx.params, "min_quality": _min_quality(ctx, min_quality, quality_model)}, bitexts, cache)
    executor_settings = ExecutorSettings(executor_kind, address, workers, jobs, ray_timeout)
    remove_stale_temporaries(output, OUTPUT_FILES)
    spec = WorkerSpec(encoder, str(cache), device=device)
    encoder_object = spec.build_encoder()
    executor = open_executor(executor_settings, functools.partial(worker_context, spec),
                             worker_context(spec, encoder_object))
    try:
        result = run_pipeline(inputs, config, encoder_object, _progress(quiet), executor)
        report = write_outputs(result, output, formats=tuple(dict.fromkeys(formats)) or ("tmx", "jsonl"), review=not no_report,
                      mapper=executor,
                      jsonl_layout=jsonl_layout, options=_options_given(click.get_current_context()),
                      progress=_progress(quiet), mined_in_corpus=mined_in_corpus or to_stdout,
                      tmx_units=tmx_units, keep_unaligned_cues=keep_unaligned_cues)
    finally:
        executor.close()
        if to_stdout:
            _stream_corpus(output)
    _print_run_summary(result, report, Path("-") if to_stdout else output, quiet)
    if strict and any(s.warn for s in result.prepared.skipped):
        sys.exit(1)


def _documents_and_bitext(inputs, bitexts) -> tuple[list[Path], tuple[str, ...]]:
    """The inputs read as documents, and the bitext files: ``--bitext`` and the TMX, XLIFF and
    PO files among the inputs."""
    from .ingest.bitext import TRANSLATION_FILES

    bitexts = tuple(str(b) for b in bitexts) + tuple(str(i) for i in inputs if i.suffix.lower() in TRANSLATION_FILES)
    inputs = [i for i in inputs if i.suffix.lower() not in TRANSLATION_FILES]
    if not inputs and not bitexts:
        raise click.UsageError("give INPUTS (files or folders) or --bitext FILE")
    return inputs, bitexts


def _run_config(o: dict, bitexts: tuple[str, ...], cache):
    """The ``RunConfig`` of ``align run`` from its parsed options ``o`` (by parameter name)."""
    from .config import RunConfig
    from .ingest import MB, IngestSettings, ReadLimits
    from .score.select import SelectSettings
    from .translate import DecodeSettings
    from .translate.stage import TranslateSettings, parse_model_option

    limits = ReadLimits(o["max_file_size"] * MB, o["max_expanded_size"] * MB, o["max_line_size"] * MB)
    return RunConfig(
        encoder=o["encoder"],
        ingest=IngestSettings(o["input_format"], o["keep_extracted"], limits),
        normalize=normalize_settings(o["t2s_output"], o["glossaries"], o["fix"], o["no_fix"]),
        match_simplified=o["t2s"] or o["t2s_output"],
        pair_by_name=not o["no_name_pairing"],
        pairs_manifest=str(o["pairs_manifest"]) if o["pairs_manifest"] else None,
        zh_tag=o["zh_tag"],
        en_tag=o["en_tag"],
        bitext=bitexts,
        translate=TranslateSettings(mode=o["translate_mode"], models=tuple(parse_model_option(m) for m in o["mt_models"]),
                                    decode=DecodeSettings(beams=o["beams"], device=o["device"]), cache_dir=str(cache)),
        select=SelectSettings(min_quality=o["min_quality"], keep_rejected=o["keep_rejected"], dedup=o["dedup"],
                              no_rules=_names(o["no_rules"])),
        quality_model=o["quality_model"],
    )


def _stream_corpus(folder: Path) -> None:
    """``-o -``: the run's corpus.jsonl to standard output, and the temporary folder removed."""
    if (folder / "corpus.jsonl").is_file():
        sys.stdout.buffer.write((folder / "corpus.jsonl").read_bytes())
        sys.stdout.buffer.flush()
    shutil.rmtree(folder, ignore_errors=True)


SUMMARY_DOCUMENT_PAIRS = 10  # document pairs named on the console (run.json lists them all)


def _print_run_summary(result, report: dict, output: Path, quiet: bool) -> None:
    for skipped in result.prepared.skipped:
        if skipped.warn:
            click.echo(printable_line(f"align: warning: skipped {skipped.path}: {skipped.reason}"), err=True)
    for p in result.document_pairs:
        if p.content_disagrees:
            click.echo(printable_line(f"align: warning: {p.zh_doc} and {p.en_doc} are a translation by the manifest, "
                                      f"but their content is {p.evidence.kind}: aligned as parallel"), err=True)
    if quiet:
        return
    passed = sum(not s.warn for s in result.prepared.skipped)
    if passed:
        click.echo(f"align: {passed} file{'s' if passed != 1 else ''} with no strings to translate passed over "
                   "(listed in run.json)", err=True)
    counts = report["counts"]
    in_pairs = sum(len(p.zh) + len(p.en) for p in result.pairs)
    mined = f", {counts['pairs_in_mined']} in mined.* (mined from comparable text)" if counts["pairs_in_mined"] else ""
    click.echo(f"align: {len(result.prepared.sentences)} sentences -> {len(result.pairs)} pairs "
               f"({in_pairs} sentences): {counts['pairs_in_corpus']} in corpus.*{mined}; "
               f"{len(result.unaligned)} unaligned; wrote {output}/", err=True)
    found = report["document_pairing"]["document_pairs"]
    if result.filters:
        from .score.audit import audit_lines

        for line in audit_lines(result.filters):
            click.echo(f"align: {line}", err=True)
    how = Counter(p.how for p in result.document_pairs)
    if how:
        comparable = sum(p.aligned == "comparable" for p in result.document_pairs)
        click.echo("align: document pairs decided by " + ", ".join(f"{how_} ({n})" for how_, n in sorted(how.items()))
                   + "; the rest by content" + (f"; {comparable} of them comparable by content, mined" if comparable
                                                else ""), err=True)
    for pair in found[:SUMMARY_DOCUMENT_PAIRS]:
        mined = f", {pair['mined']} of them mined" if pair["mined"] else ""
        click.echo(printable_line(f"align:   {pair['zh']} <-> {pair['en']} (by {pair['how']}: {pair['pairs']} pairs{mined})"),
                   err=True)
    if len(found) > SUMMARY_DOCUMENT_PAIRS:
        click.echo(f"align:   ... and {len(found) - SUMMARY_DOCUMENT_PAIRS} more document pairs (run.json: "
                   "document_pairing.document_pairs)", err=True)
    if result.traditional:
        click.echo(f"align: {len(result.traditional)} document(s) in Traditional Chinese, matched through Simplified "
                   "(the corpus keeps the text as written; --t2s-output converts it)", err=True)
    for direction, info in result.translation_report.items():
        if info.status == "done":
            click.echo(f"align: {direction}: {info.sentences} sentences, {info.translated} translated, "
                       f"{info.from_cache} from cache ({info.engine})", err=True)
        else:
            click.echo(f"align: {direction}: translation skipped: {info.reason}", err=True)


@cli.command(name="config")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
def config_command(folder):
    """Print the settings of the run in FOLDER as TOML, to replay it with --config.

    \b
    Example:
      align config outputs/seeds > run.toml
      align run --config run.toml -o outputs/again
    """
    from .io.toml import dumps_flat

    try:
        options = json.loads((folder / "run.json").read_text(encoding="utf-8")).get("options")
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder}: no readable run.json (is this an align run output folder?)") from exc
    if not isinstance(options, dict):
        raise InputError(f"{folder}/run.json: holds no options (written by an older align?)")
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
    FOLDER (an id it lacks, a text that changed) is refused, naming the first bad line.

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
@click.option("--threshold-by", type=click.Choice(("keep-right", "precision", "negatives")), default="keep-right",
              show_default=True, help="The model's threshold, out of fold: the highest keeping --keep-right of the "
              "right pairs; the lowest reaching --target-precision; the lowest keeping at most 5% of shifted "
              "neighbours and 0.5% of random pairs. All three are printed.")
@click.option("--keep-right", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help="The share of right pairs the keep-right threshold keeps.")
@click.option("--target-precision", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help="The share of kept pairs that are right at the precision threshold.")
@click.option("--signals", "features", multiple=True, metavar="NAME[,NAME]",
              help="The signals the model weighs [default: cosine, margin, length_deviation, copied_tokens]; "
                   "also e5_cosine, e5_margin, dictionary_coverage, name_agreement, number_agreement, mark_agreement "
                   "(computed only where such a model judges).")
@click.option("--block", type=click.IntRange(2), default=50, show_default=True,
              help="Consecutive pairs of a block; the blocks are dealt into 5 folds, each measured by the fit on the others.")
@click.option("--seed", type=int, default=3, show_default=True, help="Seed of the synthetic negatives.")
@encoder_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def calibrate(clean, output, threshold_by, keep_right, target_precision, features, block, seed, encoder, quiet):
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
    from .embed import get_encoder
    from .io.atomic import write_text
    from .score.calibrate import DEFAULT_FEATURES, CalibrateSettings, calibrate as fit, figure_lines, read_sample

    settings = CalibrateSettings(_names(features) or DEFAULT_FEATURES, target_precision, keep_right, threshold_by,
                                 block, seed=seed)
    sample = read_sample(clean, block)
    calibration = fit(sample, get_encoder(encoder), settings)
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
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True,
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
@click.option("--format", "fmt", type=click.Choice(["beads", "tsv", "jsonl"]), default="beads", show_default=True)
@encoder_option
@click.option("--src-lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
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
@click.option("--direction", required=True, type=click.Choice(["zh-en", "en-zh"]))
@click.option("--engine", type=click.Choice(["marian", "ct2", "file", "none"]), help="Default: from the model folder.")
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
    from .io.cachedir import translations_path
    from .translate import CachedTranslator, DecodeSettings, TranslationCache, get_translator
    from .translate.store import no_model_reason, resolve_model

    if engine != "none":
        resolved = resolve_model(direction, model, engine=engine)
        if resolved is None:
            raise InputError(f"{no_model_reason(direction)}: give one with --mt-model")
        model, engine = resolved.path, resolved.engine
    lines = _read_lines(file)
    settings = DecodeSettings(beams=beams, batch_size=batch_size, max_input_tokens=max_input_tokens, threads=threads)
    translator = get_translator(engine, direction, model, settings)
    if cache_dir:
        translator = CachedTranslator(translator, TranslationCache(translations_path(cache_dir)))
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
@click.argument("directions", nargs=-1, required=True, type=click.Choice(["zh-en", "en-zh"]))
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
@click.option("--quantization", type=click.Choice(["int8", "int8_float32", "float32"]), default="int8", show_default=True)
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
@click.option("--comet-device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="Where COMET runs.")
@click.option("--target-lang", type=click.Choice(["zh", "en"]), help="Language of --hyp (picks the tokenization).")
@click.option("--sentence", is_flag=True, help="Also print per-line scores as JSONL (one system).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min-quality", type=click.FloatRange(0, 1), default=DEFAULT_MIN_QUALITY, show_default=True,
              help="With CORPUS: keep pairs at or above this quality (an estimate of the probability that the "
                   "pair is a translation; 0 keeps every pair that breaks no hard rule).")
@click.option("--keep-rejected", is_flag=True, help="With CORPUS: keep pairs that break a hard rule.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="With CORPUS: write the kept pairs here, in the format of the extension (.tmx, .jsonl, .tsv).")
@click.option("--output-format", type=click.Choice(["tmx", "jsonl", "tsv", "moses"]),
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
@click.option("--tm-keep", type=click.Choice(["all", "best", "mark"]), default="all", show_default=True,
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
    from .ingest.bitext import TsvLayout
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
    from .embed import get_encoder
    from .score.flags import describe_counts, flag_systems
    from .score.metrics import corpus_scores
    from .score.resegment import resegment

    if target_lang is None:
        raise click.UsageError("--target-lang zh|en is required with --ref")
    if len(systems) != 1 or len(refs) != 1:
        raise click.UsageError("--resegment takes one hypothesis document and one reference document")
    found = resegment(_read_lines(Path(systems[0]) if systems[0] != "-" else "-"), _read_lines(refs[0]), target_lang,
                      get_encoder(encoder))
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
    from .embed import get_encoder
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
    result = reference_free(sources, hyps, get_encoder(encoder), mt_model)
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
    from .embed import get_encoder
    from .export.corpus import write_rescored
    from .export.formats import format_for
    from .score.audit import audit_lines
    from .score.judge import quality_model
    from .score.rescore import filter_rescored, read_corpus, rescore
    from .score.upkeep import corpus_upkeep, tm_summary

    out_format = format_for(output, output_format) if output else None
    model = quality_model(model_path)
    read = read_corpus(corpus, layout)
    rescored = rescore(read.entries, get_encoder(encoder), model=model, measured_by=read.encoder_signature,
                       progress=progress)
    kept, summary = filter_rescored(rescored, select, model.signature)
    kept, tm = corpus_upkeep(read, kept, *upkeep)
    if output:
        write_rescored(output, read, kept, out_format, append_score, model.signature if model_path else "")
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
        if model_path or select.no_rules or select.dedup:
            for line in audit_lines(summary.filters) + [f"quality model: {model.signature}"]:
                click.echo(line, err=to_stderr)


def printable_line(message) -> str:
    """A message as one printable line: control characters (a newline or BEL in a file name)
    are written as escapes.

    >>> printable_line("bad\\nname\\x07.txt")
    'bad\\\\nname\\\\x07.txt'
    """
    text = str(message)
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


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
        _fail("align: interrupted", 130)
    except click.ClickException as exc:  # usage errors too: one line, not click's three
        hint = f" (see align {exc.ctx.info_name} --help)" if isinstance(exc, click.UsageError) and exc.ctx else ""
        _fail(f"align: error: {exc.format_message()}{hint}", exc.exit_code)
    except AlignError as exc:
        _fail(f"align: error: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        _fail("align: interrupted", 130)
    except OSError as exc:
        _fail(f"align: error: {exc.filename or ''}: {exc.strerror or exc}", 2)
    except Exception as exc:  # a bug: one line for users, the traceback on request
        if os.environ.get("ALIGN_DEBUG"):  # the traceback, and still the exit code of an internal error
            import traceback

            traceback.print_exc()
            sys.exit(3)
        _fail(f"align: internal error: {type(exc).__name__}: {exc} (set ALIGN_DEBUG=1 for the traceback)", 3)


if __name__ == "__main__":
    main()
