"""The composition root of ``align run`` and ``align.build_corpus``: the one place that opens
what a run needs from its ``RunConfig`` and closes it again.

A ``Runtime`` opens the output folder (a temporary one for ``-o -``, whose ``corpus.jsonl``
goes to standard output as it closes), chooses the cache folder, builds the worker spec and
the driver's encoder with its embedding store, and opens the mapper the config names (this
process, ``-j N`` or Ray); ``run`` and ``write`` are the pipeline and the exporters on them.
The command line parses its options into a ``RunConfig`` (``align.config.run_config``), calls
``run_to_folder`` and prints; the API (``align.build_corpus``) opens the same ``Runtime``.
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .config import RunConfig
from .embed import Encoder
from .executor import open_executor
from .export.report import OUTPUT_FILES
from .export.write import write_outputs
from .io.atomic import remove_stale_temporaries
from .io.cachedir import run_cache_dir
from .io.outdir import prepare_output_folder
from .mapper import Mapper
from .records import RunResult
from .run import run
from .tasks import WorkerSpec, worker_context


def open_output_folder(folder: Path, overwrite: bool) -> int:
    """Make ``folder`` ready for a run's outputs; the number of files of an earlier run removed."""
    removed = prepare_output_folder(folder, overwrite)
    remove_stale_temporaries(folder, OUTPUT_FILES)
    return removed


def cache_folder(config: RunConfig, folder: Path | None) -> Path | None:
    """The run's cache folder: ``config.cache_dir``, else the user's cache folder for ``-o -``,
    else ``FOLDER/.align-cache``; None (no cache) for a run with neither (``build_corpus``)."""
    if config.cache_dir is None and folder is None:
        return None
    return run_cache_dir(config.cache_dir, folder or Path("."), user_cache=config.output.to_stdout)


def write_run(result: RunResult, config: RunConfig, folder: Path, mapper: Mapper | None = None,
              progress: Callable | None = None) -> dict:
    """Write ``result`` into ``folder`` as ``config.output`` says; ``run.json`` records
    ``config`` as the run's settings. Returns ``run.json``."""
    out = config.output
    return write_outputs(result, folder, formats=out.formats, mapper=mapper, review=out.review,
                         jsonl_layout=out.jsonl_layout, progress=progress, mined_in_corpus=out.mined_in_corpus,
                         tmx_units=out.tmx_units, keep_unaligned_cues=out.keep_unaligned_cues, cue_times=out.cue_times,
                         settings=config.as_dict())


def stream_corpus(folder: Path, stream: BinaryIO | None = None) -> None:
    """``-o -``: the run's corpus.jsonl to ``stream`` (standard output), and the folder removed."""
    if (folder / "corpus.jsonl").is_file():
        stream = stream or sys.stdout.buffer
        stream.write((folder / "corpus.jsonl").read_bytes())
        stream.flush()
    shutil.rmtree(folder, ignore_errors=True)


class Runtime:
    """What one run holds open: the output folder (when ``config.output.folder`` names one),
    the cache folder, the encoder and the mapper. A context manager: leaving it closes the
    mapper (its worker processes, or Ray) and, for ``-o -``, streams the corpus."""

    def __init__(self, config: RunConfig, encoder: Encoder | None = None) -> None:
        self.config = config
        self.folder: Path | None = None  # where the outputs are written (a temporary folder for -o -)
        self.removed = 0  # files of an earlier run removed from the folder
        self.cache_dir: Path | None = None
        self.encoder = encoder
        self.mapper: Mapper | None = None

    def __enter__(self) -> Runtime:
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def _open(self) -> None:
        out = self.config.output
        if out.folder is not None:
            self.folder = Path(tempfile.mkdtemp(prefix="align-run-")) if out.to_stdout else Path(out.folder)
            self.removed = open_output_folder(self.folder, out.overwrite)
        self.cache_dir = cache_folder(self.config, self.folder)
        spec = WorkerSpec(self.config.encoder, None if self.cache_dir is None else str(self.cache_dir),
                          device=self.config.device)
        if self.encoder is None:
            self.encoder = spec.build_encoder()
        self.mapper = open_executor(self.config.execution, functools.partial(worker_context, spec, warm=True),
                                    worker_context(spec, self.encoder))

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        mapper, self.mapper = self.mapper, None
        if mapper is not None:
            mapper.close()
        if self.config.output.to_stdout and self.folder is not None:
            stream_corpus(self.folder)

    def run(self, progress: Callable | None = None) -> RunResult:
        """Every stage on the config's inputs, on this runtime's encoder and mapper."""
        return run(list(self.config.inputs), self.config, self.encoder, progress, self.mapper)

    def write(self, result: RunResult, progress: Callable | None = None) -> dict:
        """The outputs of ``result`` in this runtime's folder; ``run.json``."""
        if self.folder is None:
            raise ValueError("this runtime has no output folder")  # a bug: run_to_folder gives one
        return write_run(result, self.config, self.folder, self.mapper, progress)


@dataclass(frozen=True)
class Completed:
    """What ``align run`` did: the run's result, its ``run.json`` and where it wrote."""

    result: RunResult
    report: dict
    folder: Path  # the output folder (``-``: standard output)


def run_to_folder(config: RunConfig, progress: Callable | None = None,
                  notify: Callable[[str], None] | None = None) -> Completed:
    """``align run``: the pipeline on ``config.inputs`` and ``config.bitext``, written into
    ``config.output.folder``. ``notify`` hears what happens to the folder before the run
    (the files of an earlier run removed)."""
    if config.output.folder is None:
        raise ValueError("run_to_folder needs config.output.folder")  # a bug: the command line always gives -o
    with Runtime(config) as runtime:
        if runtime.removed and notify is not None:
            notify(f"removed {runtime.removed} files of the earlier run in {runtime.folder}/")
        result = runtime.run(progress)
        report = runtime.write(result, progress)
    return Completed(result, report, Path(config.output.folder))


def open_encoder(name: str = "use", cache_dir: str | Path | None = None, device: str = "cpu") -> Encoder:
    """The encoder of a command that embeds outside a run (``align calibrate``, ``align
    score``): ``name`` (``use``, ``e5``, ``st:PATH``), with the embedding store of
    ``cache_dir`` when given, built as a run's workers build theirs."""
    return WorkerSpec(name, None if cache_dir is None else str(cache_dir), device=device).build_encoder()


def open_translator(direction: str, engine: str | None, model, decode, cache_dir: str | Path | None = None):
    """The translator of ``align translate``: the model resolved (``model`` a folder or None:
    the model store's; ``engine`` None: from the folder; ``none``: copy the source), behind
    the translation cache of ``cache_dir`` when given."""
    from .errors import InputError
    from .io.cachedir import translations_path
    from .translate import CachedTranslator, TranslationCache, get_translator
    from .translate.store import no_model_reason, resolve_model

    if engine != "none":
        resolved = resolve_model(direction, model, engine=engine)
        if resolved is None:
            raise InputError(f"{no_model_reason(direction)}: give one with --mt-model")
        model, engine = resolved.path, resolved.engine
    translator = get_translator(engine, direction, model, decode)
    if cache_dir:
        translator = CachedTranslator(translator, TranslationCache(translations_path(cache_dir)))
    return translator
