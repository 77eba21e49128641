"""A document too long to analyse in one piece is cut into parts at paragraph boundaries.

News articles run to a few thousand characters; a text of hundreds of thousands is nearly always
many articles in one file, and analysing it whole costs memory in proportion to its length and
time faster than that (an event weighs every number and place of its document). So a text longer
than `MAX_CHARS` is cut into parts no longer than that: at the last blank line before the limit,
else the last line break, else the last sentence end, else the last space (never in the first
half of a part, never inside a character's combining marks). Each part is a document of its own,
named `name#partN`, with the whole's date, title, URL and language; its offsets are into itself.

A cut looks no further than `MAX_CHARS` characters past the start of its part, so the parts can
be cut from a text that arrives a chunk at a time (a `LongText`, read from a large file) while
holding no more than a part and a chunk: the parts are the same as those of the text held whole.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..schema import Document

__all__ = ["MAX_CHARS", "LongText", "part_texts", "split_long"]

MAX_CHARS = 50_000
_CUTS = ("\n\n", "\n", "। ", "? ", "! ", ". ", " ")  # best first; the cut goes after it


@dataclass
class LongText:
    """A document longer than MAX_CHARS whose text is not held whole: `chunks()` gives its text
    (NFC, as a Document's) from the start, a chunk at a time, as often as it is called."""

    chunks: Callable[[], Iterator[str]]
    name: str
    source: str
    date: str | None = None
    lang: str | None = None
    url: str | None = None
    title: str | None = None
    record_id: str | None = None


def _cut(text: str, start: int, limit: int) -> int:
    """Where the part starting at `start` ends: a boundary in its second half, else `limit`."""
    for sep in _CUTS:
        at = text.rfind(sep, start + (limit - start) // 2, limit)
        if at >= 0:
            return at + len(sep)
    while limit > start + 1 and (unicodedata.category(text[limit])[0] == "M"
                                 or text[limit] in "\u200c\u200d"):
        limit -= 1  # keep a letter with its vowel signs and joiners
    return limit


def part_texts(chunks: Iterable[str], max_chars: int = MAX_CHARS) -> Iterator[str]:
    """The parts (stripped, empty ones left out) of the text the chunks make up, in order."""
    chunks = iter(chunks)
    text, start, more = "", 0, True
    while True:
        if more and len(text) - start <= max_chars:  # a cut needs max_chars + 1 characters
            text, start = text[start:], 0
            while more and len(text) <= max_chars:
                chunk = next(chunks, None)
                more = chunk is not None
                text += chunk or ""
        if start >= len(text):
            return
        end = len(text) if len(text) - start <= max_chars else _cut(text, start, start + max_chars)
        part = text[start:end].strip()
        start = end
        if part:
            yield part


def split_long(doc: Document | LongText, max_chars: int = MAX_CHARS) -> Iterator[Document]:
    """A Document itself when short enough, else its parts in order; a LongText's parts."""
    if isinstance(doc, Document):
        if len(doc.text) <= max_chars:
            yield doc
            return
        texts = part_texts((doc.text,), max_chars)
    else:
        texts = part_texts(doc.chunks(), max_chars)
    for n, part in enumerate(texts, 1):
        suffix = f"#part{n}"
        yield Document(text=part, name=doc.name + suffix, source=doc.source + suffix,
                       date=doc.date, lang=doc.lang, url=doc.url, title=doc.title,
                       record_id=doc.record_id + suffix if doc.record_id is not None else None)
