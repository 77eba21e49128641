"""A plain-text file is one article; its first line, when short, is its title.

The file is read a chunk at a time and never held whole: line ends become "\\n", the text is
stripped and NFC-normalised chunk by chunk, exactly as if the whole were. A text of at most
`parts.MAX_CHARS` characters becomes a Document; a longer one a `LongText`, cut into parts as it
is read again (parts.py), so a file of any size takes the same memory.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..schema import Document, nfc
from .decode import DecodeError, open_text
from .errors import InputError
from .parts import MAX_CHARS, LongText

__all__ = ["read_text_file", "cleaned", "normalized"]

MAX_TITLE_CHARS = 200


def cleaned(chunks: Iterable[str]) -> Iterator[str]:
    """The text with "\\r\\n" and "\\r" as "\\n" and no whitespace at either end, in chunks."""
    cr, blank, started = "", "", False
    for chunk in chunks:
        chunk = cr + chunk
        cr = "\r" if chunk.endswith("\r") else ""  # a "\r\n" may be cut in two
        chunk = chunk[:len(chunk) - len(cr)].replace("\r\n", "\n").replace("\r", "\n")
        if not started:
            chunk = chunk.lstrip()
            started = bool(chunk)
        body = chunk.rstrip()
        if body:
            yield blank + body
            blank = chunk[len(body):]
        else:
            blank += chunk  # whitespace at the end is held until text follows it
        # (a final "\r" is whitespace at the end, stripped)


def normalized(chunks: Iterable[str]) -> Iterator[str]:
    """The text NFC-normalised, in chunks: each cut before a space or line break, which nothing
    composes with, so the chunks are those of the whole text normalised."""
    held = ""
    for chunk in chunks:
        held += chunk
        cut = max(held.rfind(" "), held.rfind("\n"))
        if cut > 0:
            yield nfc(held[:cut])
            held = held[cut:]
    if held:
        yield nfc(held)


def _title(chunks: Iterable[str]) -> str | None:
    """The first line (the text is stripped: it is not blank), if shorter than MAX_TITLE_CHARS."""
    line = ""
    for chunk in chunks:
        line += chunk
        if "\n" in line or len(line.rstrip()) >= MAX_TITLE_CHARS:
            break
    first = line.split("\n", 1)[0].strip()
    return first if len(first) < MAX_TITLE_CHARS else None


def read_text_file(path: Path, default_date: str | None) -> Iterator[Document | InputError | LongText]:
    source = str(path)
    try:
        decoded = open_text(path)
    except DecodeError as e:
        yield InputError(source, str(e))
        return

    def text() -> Iterator[str]:
        return normalized(cleaned(decoded()))

    head = ""
    for chunk in text():
        head += chunk
        if len(head) > MAX_CHARS:
            break
    if not head:
        yield InputError(source, "empty document")
        return
    title = _title(cleaned(decoded()))
    if len(head) > MAX_CHARS:
        yield LongText(text, name=path.name, source=source, date=default_date, title=title)
    else:
        yield Document(text=head, name=path.name, source=source, date=default_date, title=title)
