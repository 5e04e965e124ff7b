"""Stage 1: read files in their formats (plain text, HTML, Markdown, Word, PDF, subtitles),
split them into located paragraphs and tag each paragraph's language.

Each format has a reader in this package that returns an ``Extracted``: the text taken from
the file, its paragraphs with a location a user can find in the original (a line, a page,
a cue, an element path) and the blocks it left out. The format comes from ``--input-format``,
else the extension, else a look at the content.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from dataclasses import dataclass, replace

from ..errors import ConfigurationError, InputError
from ..io.outdir import is_output_folder
from ..io.streams import STDIN, compression_of, inner_path, read_input
from ..mapper import Mapper, in_process, map_largest_first
from ..records import Document, Edit, Paragraph, SkippedFile
from ..language import tag_blocks
from ..io.corpus import TRANSLATION_FILES
from .formats import INPUT_FORMATS, extract, format_of
from ..io.decode import decode_bytes
from .text import split_paragraphs

__all__ = ["FoundInputs", "IngestSettings", "ReadLimits", "decode_bytes", "document_id", "find_input_files", "find_inputs", "ingest",
           "read_document", "read_documents", "read_files", "split_paragraphs"]


MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What one input may cost: its size on disk (and decoded), what a compressed file or a
    .docx may inflate to, and its longest line; a file over a limit is skipped with its reason."""

    file_bytes: int = 512 * MB  # --max-file-size
    expanded_bytes: int = 256 * MB  # --max-expanded-size: .gz/.xz/.bz2 content, the parts of a .docx
    line_bytes: int = 16 * MB  # --max-line-size: checked before decoding


def longest_line(data: bytes) -> int:
    """The length in bytes of the longest line of ``data`` (found without copying it).

    >>> longest_line(b"ab\\ncdef\\n"), longest_line(b"")
    (4, 0)
    """
    longest, start = 0, 0
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            return max(longest, len(data) - start)
        longest = max(longest, end - start)
        start = end + 1


@dataclass(frozen=True)
class IngestSettings:
    """How inputs are read: ``input_format`` for every file (else by extension and content),
    and whether the extracted text is kept for ``--keep-extracted``."""

    input_format: str | None = None
    keep_extracted: bool = False
    limits: ReadLimits = ReadLimits()

    def __post_init__(self) -> None:
        if self.input_format is not None and self.input_format not in INPUT_FORMATS:
            raise ConfigurationError(f"unknown input format {self.input_format!r}: use {', '.join(INPUT_FORMATS)}")


def path_text(path: str | os.PathLike) -> str:
    """A path as text that any output can hold: bytes of a file name that are not UTF-8 are
    written as ``\\xNN`` escapes.

    >>> path_text(os.fsdecode(b"in/\\xff.txt"))
    'in/\\\\xff.txt'
    """
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def document_id(path: Path, root: Path | None) -> str:
    """A stable, filesystem-safe id: the path relative to its input root, sanitized
    (``stdin`` for ``-``)."""
    if str(path) == STDIN:
        return "stdin"
    rel = path.name if root is None else os.path.relpath(path, root)
    safe = re.sub(r"[^\w.\-]+", "_", rel.replace(os.sep, "__"), flags=re.UNICODE).strip("._") or "doc"
    if safe != rel.replace(os.sep, "__"):
        safe = f"{safe}-{hashlib.sha1(rel.encode('utf-8', 'surrogateescape')).hexdigest()[:6]}"
    return safe


def _load(path: Path, input_format: str | None, limits: ReadLimits) -> tuple[bytes, str]:
    """The bytes of a file and its format, within ``limits``. Only regular files are read: a
    FIFO, a device or a socket would block or never end."""
    try:
        if str(path) != STDIN:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: not a regular file (a FIFO, device or socket): skipped")
            if info.st_size > limits.file_bytes:
                raise InputError(f"{path}: {info.st_size} bytes, over the {limits.file_bytes}-byte cap (--max-file-size)")
        data = read_input(path, limits.expanded_bytes if compression_of(path) else limits.file_bytes)
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(f"{path}: empty file")
    fmt = input_format or format_of(inner_path(path), data)
    if fmt not in ("docx", "pdf", "epub"):
        longest = longest_line(data)
        if longest > limits.line_bytes:
            raise InputError(f"{path}: a line of {longest} bytes, over the {limits.line_bytes}-byte line cap "
                             "(--max-line-size; no text a person wrote has such lines)")
    return data, fmt


def _reading(path: Path, fmt: str, read):
    """``read()``, with a reader's parser error on a broken or hostile file made an input error."""
    try:
        return read()
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
    except (ValueError, OverflowError, LookupError, TypeError, AttributeError, KeyError, IndexError,
            RecursionError, UnicodeError) as exc:  # a reader's parser on a broken or hostile file: skip it
        raise InputError(f"{path}: not a readable {fmt} file ({type(exc).__name__})") from exc


def _paragraphs(doc_id: str, extracted, where: str = "") -> tuple[Paragraph, ...]:
    """The located, language-tagged paragraphs of an extracted text (``where``: a prefix of
    each location, such as a page inside a book)."""
    text = extracted.text
    langs = tag_blocks([text[b.start:b.end] for b in extracted.blocks])
    return tuple(Paragraph(doc_id=doc_id, index=i, start=b.start, end=b.end, text=text[b.start:b.end], lang=lang,
                           location=f"{where} {b.location}".strip(), kind=b.kind,
                           code=tuple(c for c in extracted.inline_code if c in text[b.start:b.end]))
                 for i, (b, lang) in enumerate(zip(extracted.blocks, langs)))


def _removed(extracted_format: str, removed, doc_id: str) -> tuple[Edit, ...]:
    return tuple(Edit(f"{extracted_format}_extraction", "remove", r.offset, r.offset, r.text, "",
                      f"{r.reason}; {r.location}", doc_id, -1) for r in removed)


def _book_documents(path: Path, doc_id: str, data: bytes, name: str, limits: ReadLimits) -> list[tuple[Document, str]]:
    """An EPUB as one document per chapter (``DOC__c003``: its spine position), of one book."""
    from .epub import extract_epub

    book = _reading(path, "epub", lambda: extract_epub(data, limits.expanded_bytes))
    out = []
    for n, chapter in enumerate(book.chapters):
        chapter_id = f"{doc_id}__c{chapter.position:03d}"
        paragraphs = _paragraphs(chapter_id, chapter.extracted)  # located by page and element path
        removed = _removed("epub", chapter.extracted.removed + (book.removed if n == 0 else ()), chapter_id)
        out.append((Document(doc_id=chapter_id, path=path_text(path), encoding="utf-8", paragraphs=paragraphs,
                             format="epub", removed=removed, name=f"{name or path.name}/{chapter.href}", book=doc_id,
                             chapter=chapter.position, title=chapter.title), chapter.extracted.text))
    if not out:
        raise InputError(f"{path}: no text extracted from the EPUB file")
    return out


def read_documents(path: Path, doc_id: str, input_format: str | None = None, name: str = "",
                   limits: ReadLimits = ReadLimits()) -> list[tuple[Document, str]]:
    """Read one file in its format: its documents (one; an EPUB gives one per chapter), each
    with the text extracted from it (the text that paragraph offsets refer to)."""
    data, fmt = _load(path, input_format, limits)
    if fmt == "epub":
        return _book_documents(path, doc_id, data, name, limits)
    extracted, encoding = _reading(path, fmt, lambda: extract(data, fmt, limits.expanded_bytes))
    paragraphs = _paragraphs(doc_id, extracted)
    if not paragraphs:
        raise InputError(f"{path}: no text" + (f" extracted from the {extracted.format.upper()} file" if extracted.format != "text" else ""))
    return [(Document(doc_id=doc_id, path=path_text(path), encoding=encoding, paragraphs=paragraphs,
                      format=extracted.format, removed=_removed(extracted.format, extracted.removed, doc_id),
                      name=name or path.name), extracted.text)]


def read_document(path: Path, doc_id: str, input_format: str | None = None, name: str = "",
                  limits: ReadLimits = ReadLimits()) -> tuple[Document, str]:
    """Read one file in its format; return its (first) document and the text extracted from it."""
    return read_documents(path, doc_id, input_format, name, limits)[0]


def find_input_files(inputs: Iterable[str | os.PathLike], skipped: list[SkippedFile] | None = None
                     ) -> list[tuple[Path, Path | None]]:
    """``walk_inputs``; no file at all is an ``InputError``."""
    skipped = skipped if skipped is not None else []
    found = walk_inputs(inputs, skipped)
    if not found:
        raise InputError(nothing_found(skipped))
    return found


def nothing_found(skipped: list[SkippedFile]) -> str:
    return "no input files found" + (f" ({skipped[0].path}: {skipped[0].reason})" if skipped else "")


def walk_inputs(inputs: Iterable[str | os.PathLike], skipped: list[SkippedFile]) -> list[tuple[Path, Path | None]]:
    """Expand files and folders into ``(file, root)`` pairs, sorted, following no symlink loops.
    Folders that hold an ``align`` output (a run's marker) are left out, and a folder that
    cannot be listed goes to ``skipped`` with its reason; a missing path is an ``InputError``."""
    found: list[tuple[Path, Path | None]] = []

    def unlistable(error: OSError) -> None:
        skipped.append(SkippedFile(path_text(error.filename), f"cannot list the folder ({error.strerror or error})"))

    for item in inputs:
        path = Path(item)
        if str(item) == STDIN:  # standard input, read as one document
            found.append((path, None))
            continue
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            if is_output_folder(path):
                raise InputError(f"{path}: an align output folder, not an input")
            root = path
            seen: set[tuple[int, int]] = set()
            for dirpath, dirnames, filenames in os.walk(path, followlinks=True, onerror=unlistable):
                try:
                    st = os.stat(dirpath)
                except OSError as error:
                    unlistable(error)
                    dirnames[:] = []
                    continue
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    dirnames[:] = []
                    continue
                seen.add(key)
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not is_output_folder(os.path.join(dirpath, d)))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    found.append((Path(dirpath) / name, root))
        else:
            found.append((path, None))
    return sorted(found, key=lambda fr: str(fr[0]))


@dataclass(frozen=True)
class FoundInputs:
    """The files of the inputs, found by one walk and each classified once."""

    documents: tuple[tuple[Path, Path | None], ...] = ()  # (file, input folder) read as documents
    bitext: tuple[Path, ...] = ()  # TMX, XLIFF and PO files found in a folder
    strings: tuple[tuple[Path, Path | None], ...] = ()  # software string files: paired by key
    skipped: tuple[SkippedFile, ...] = ()  # folders that cannot be listed


def find_inputs(inputs: Iterable[str | os.PathLike]) -> FoundInputs:
    """Walk the inputs once and tell each file's kind: a document, bitext found in a folder,
    or a string file (``ingest.strings``)."""
    from .strings import is_string_file

    skipped: list[SkippedFile] = []
    documents, bitext, strings = [], [], []
    for path, root in walk_inputs(inputs, skipped):
        if walked_bitext(path, root):
            bitext.append(path)
        elif str(path) != STDIN and is_string_file(path, root):
            strings.append((path, root))
        else:
            documents.append((path, root))
    return FoundInputs(tuple(documents), tuple(bitext), tuple(strings), tuple(skipped))


def walked_bitext(path: Path, root: Path | None) -> bool:
    """Whether a file a folder walk found is bitext (TMX, XLIFF, PO), not a document."""
    return root is not None and path.suffix.lower() in TRANSLATION_FILES


def set_aside(path: Path, root: Path | None) -> bool:
    """Whether an input file is no document: bitext found in a folder, or a string file
    (``ingest.strings``: read and paired by key instead)."""
    from .strings import is_string_file

    return walked_bitext(path, root) or is_string_file(path, root)


def string_files(inputs: Iterable[str | os.PathLike]) -> list[tuple[Path, Path | None]]:
    """The software string files among the inputs and in the input folders, with their folder."""
    return list(find_inputs(inputs).strings)


def ingest(inputs: Iterable[str | os.PathLike], input_format: str | None = None, limits: ReadLimits = ReadLimits(),
           progress=None) -> tuple[list[tuple[Document, str]], list[SkippedFile]]:
    """Read every input file. Unreadable, binary and special files are skipped and reported,
    not fatal."""
    skipped: list[SkippedFile] = []
    found = [(path, root) for path, root in find_input_files(inputs, skipped) if not set_aside(path, root)]
    return read_files(found, skipped, input_format, limits, progress)


@dataclass(frozen=True)
class ReadItem:
    """A task: read one input file as the document (or the book's documents) ``doc_id``."""

    path: Path
    doc_id: str
    name: str  # its path in its input folder
    input_format: str | None
    limits: ReadLimits


def read_file(context, item: ReadItem) -> tuple[list[tuple[Document, str]], str | None]:
    """The documents of one file with their text, or why the file cannot be read."""
    try:
        return read_documents(item.path, item.doc_id, item.input_format, item.name, item.limits), None
    except InputError as exc:
        return [], path_text(str(exc).removeprefix(f"{item.path}: "))


def read_files(found, skipped: list[SkippedFile], input_format: str | None = None, limits: ReadLimits = ReadLimits(),
               progress=None, mapper: Mapper | None = None) -> tuple[list[tuple[Document, str]], list[SkippedFile]]:
    """Read the document files ``found`` (``(file, input folder)``), a task each on ``mapper``
    when its tasks run on this machine (else, and for standard input, in this process), the
    largest first; those that cannot be read are added to ``skipped`` with their reason."""
    found = list(found)
    given = _document_ids(found, lambda k: True)
    items = [ReadItem(path, doc_id, path.name if root is None else os.path.relpath(path, root), input_format, limits)
             for (path, root), doc_id in zip(found, given)]
    if not getattr(mapper, "same_machine", False) or any(str(path) == STDIN for path, _ in found):
        mapper = in_process()
    results = map_largest_first(mapper, read_file, items, [_size(path) for path, _ in found], "read", progress)
    final = _document_ids(found, lambda k: results[k][1] is None)
    documents: list[tuple[Document, str]] = []
    for k, (path, _) in enumerate(found):
        if final[k] != given[k]:  # an earlier file of its id could not be read: the id it gets (as read in turn)
            results[k] = read_file(None, replace(items[k], doc_id=final[k]))
        read, reason = results[k]
        if reason is not None:
            skipped.append(SkippedFile(path_text(path), reason))
        documents.extend(read)
    return documents, skipped


def _document_ids(found, read: Callable[[int], bool]) -> list[str]:
    """Each file's document id: its path in its folder (``document_id``), with ``_`` added while
    an earlier file that was ``read`` has it."""
    used: set[str] = set()
    ids = []
    for k, (path, root) in enumerate(found):
        doc_id = document_id(path, root)
        while doc_id in used:
            doc_id += "_"
        ids.append(doc_id)
        if read(k):
            used.add(doc_id)
    return ids


def _size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
