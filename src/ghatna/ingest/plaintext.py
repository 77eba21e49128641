"""A plain-text file is one article; its first line, when short, is its title."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..schema import Document
from .decode import DecodeError, decode_text
from .errors import InputError

__all__ = ["read_text_file", "text_document"]

MAX_TITLE_CHARS = 200


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def text_document(text: str, name: str, source: str, date: str | None) -> Document | InputError:
    """The Document for decoded text (title = the first non-empty line, if shorter than 200)."""
    text = _clean(text)
    if not text:
        return InputError(source, "empty document")
    first = next(line.strip() for line in text.split("\n") if line.strip())
    title = first if len(first) < MAX_TITLE_CHARS else None
    return Document(text=text, name=name, source=source, date=date, title=title)


def read_text_file(path: Path, default_date: str | None) -> Iterator[Document | InputError]:
    source = str(path)
    try:
        text = decode_text(path.read_bytes())
    except DecodeError as e:
        yield InputError(source, str(e))
        return
    yield text_document(text, path.name, source, default_date)
