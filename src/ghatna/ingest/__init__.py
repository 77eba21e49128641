"""Reading articles from files: what ghatna accepts as input, and what it makes of each file.

`read_inputs(paths)` yields one `Document` per article, and an `InputError` (never an exception)
for every input that gave none, so a run over a messy folder reports what it skipped and why.

Formats, by file suffix:
  .txt              one article per file (first short line = title)
  .html, .htm       one article per page: trafilatura's main text, date from page metadata
  .jsonl            one article per line: {"id", "text", "date"?, "url"?, "title"?, "lang"?}
  .warc, .warc.gz   one article per HTML page fetched with 200 OK
  .xml              RSS or Atom feed, one article per entry

Whatever the format, a document is then screened: one with no letters or digits (no sentence)
or typed in a legacy Hindi font encoding (legacy_fonts.py) is an InputError; one longer than
parts.MAX_CHARS is cut into parts at paragraph boundaries (parts.py). A long plain-text file comes
as a `LongText`, its text read again a chunk at a time for each of these decisions (each looks
only as far as it needs), so it is never held whole.

Near-duplicate blocking (MinHash + LSH) lives in `near_duplicates`, re-exported here.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import regex

from ..schema import Document
from .dates import DateError, normalize_date, parse_date
from .errors import InputError
from .jsonl import read_jsonl_file
from .legacy_fonts import legacy_font, legacy_font_of_chunks
from .near_duplicates import (
    NEAR_DUPLICATE_THRESHOLD,
    estimated_jaccard,
    estimated_jaccards,
    lsh_bands,
    minhash_signature,
)
from .parts import LongText, split_long
from .plaintext import read_text_file

__all__ = [
    "InputError",
    "SUPPORTED_SUFFIXES",
    "read_inputs",
    "read_file",
    "minhash_signature",
    "lsh_bands",
    "estimated_jaccard",
    "estimated_jaccards",
    "NEAR_DUPLICATE_THRESHOLD",
    "parse_date",
    "normalize_date",
    "DateError",
]

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".warc", ".warc.gz", ".xml")

Reader = Callable[[Path, "str | None"], Iterator["Document | LongText | InputError"]]



def _imported_on_use(module: str, name: str) -> Reader:
    """The reader `name` of `module`, imported when first called: the HTML, WARC and feed readers
    pull in trafilatura, lxml, warcio and feedparser (about half a second), which a process that
    only analyses documents (a map worker) never needs."""
    def read(path: Path, default_date: str | None) -> Iterator[Document | InputError]:
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)(path, default_date)
    return read


_READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": _imported_on_use("html", "read_html_file"),
    ".htm": _imported_on_use("html", "read_html_file"),
    ".jsonl": read_jsonl_file,
    ".warc": _imported_on_use("warc", "read_warc_file"),
    ".warc.gz": _imported_on_use("warc", "read_warc_file"),
    ".xml": _imported_on_use("feed", "read_feed_file"),
}


def _suffix(path: Path) -> str | None:
    """The supported suffix the file name ends with (case-insensitive), longest first."""
    name = path.name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return None


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _folder_files(folder: Path) -> Iterator[Path]:
    """Supported, non-hidden files under `folder`, recursively, in sorted (deterministic) order."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not _is_hidden(name) and _suffix(path) is not None:
                yield path


_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")


def screened(item: Document | LongText | InputError) -> Iterator[Document | InputError]:
    """A read document as it goes on: rejected with its reason, whole, or in parts."""
    if isinstance(item, InputError):
        yield item
        return
    if isinstance(item, Document):
        letters = bool(_LETTER_OR_DIGIT.search(item.text))
        font = legacy_font(item.text) if letters else None
    else:
        letters = any(_LETTER_OR_DIGIT.search(chunk) for chunk in item.chunks())
        font = legacy_font_of_chunks(item.chunks()) if letters else None
    if not letters:
        yield InputError(item.source, "no sentences (the text has no letters or digits)")
    elif font is not None:
        yield InputError(item.source, f"text in the {font} legacy font encoding (Latin characters"
                                      " standing for Devanagari): convert it to Unicode first")
    else:
        yield from split_long(item)


def read_file(path: str | Path, default_date: str | None = None) -> Iterator[Document | InputError]:
    """The documents in one file, by its suffix; bad input becomes InputErrors, never exceptions."""
    path = Path(path)
    source = str(path)
    suffix = _suffix(path)
    if suffix is None:
        yield InputError(source, "unsupported file type (supported: " + ", ".join(SUPPORTED_SUFFIXES) + ")")
        return
    try:
        for item in _READERS[suffix](path, default_date):
            yield from screened(item)
    except OSError as e:
        yield InputError(source, f"cannot read file ({e.strerror or e})")
    except Exception as e:  # noqa: BLE001 -- one bad file must not end the run
        yield InputError(source, f"unexpected error reading file ({type(e).__name__}: {e})")


def _read_paths(paths: Iterable[str | Path], default_date: str | None) -> Iterator[Document | InputError]:
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = False
            for file in _folder_files(path):
                found = True
                yield from read_file(file, default_date)
            if not found:
                yield InputError(str(path), "folder holds no supported input files")
        elif path.is_file():
            yield from read_file(path, default_date)
        elif path.exists():
            yield InputError(str(path), "not a regular file or folder")
        else:
            yield InputError(str(path), "no such file or folder")


def read_inputs(paths: Iterable[str | Path], default_date: str | None = None
                ) -> Iterator[Document | InputError]:
    """Files or folders -> Documents, and an InputError for each input that gave none.

    Folders are read recursively in sorted order; there, files with unsupported suffixes and
    hidden files/folders are skipped silently, while an explicitly named file with an
    unsupported suffix is an InputError, as is a missing path. Documents whose input carried no
    date get `default_date` (normalised to YYYY-MM-DD; an unreadable one raises ValueError here,
    at call time, since it is the caller's argument and not input).
    """
    if default_date is not None:
        default_date = parse_date(default_date)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _read_paths(list(paths), default_date)
