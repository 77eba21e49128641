"""A document too long to analyse in one piece is cut into parts at paragraph boundaries.

News articles run to a few thousand characters; a text of hundreds of thousands is nearly always
many articles in one file, and analysing it whole costs memory in proportion to its length and
time faster than that (an event weighs every number and place of its document). So a text longer
than `MAX_CHARS` is cut into parts no longer than that: at the last blank line before the limit,
else the last line break, else the last sentence end, else the last space (never in the first
half of a part, never inside a character's combining marks). Each part is a document of its own,
named `name#partN`, with the whole's date, title, URL and language; its offsets are into itself.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..schema import Document

__all__ = ["MAX_CHARS", "split_long"]

MAX_CHARS = 50_000
_CUTS = ("\n\n", "\n", "। ", "? ", "! ", ". ", " ")  # best first; the cut goes after it


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


def split_long(doc: Document, max_chars: int = MAX_CHARS) -> Iterator[Document]:
    """The document itself when short enough, else its parts in order."""
    text = doc.text
    if len(text) <= max_chars:
        yield doc
        return
    start, n = 0, 0
    while start < len(text):
        end = len(text) if len(text) - start <= max_chars else _cut(text, start, start + max_chars)
        part = text[start:end].strip()
        start = end
        if not part:
            continue
        n += 1
        suffix = f"#part{n}"
        yield Document(text=part, name=doc.name + suffix, source=doc.source + suffix,
                       date=doc.date, lang=doc.lang, url=doc.url, title=doc.title,
                       record_id=doc.record_id + suffix if doc.record_id is not None else None)
