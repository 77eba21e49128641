"""What a user's search query means, independent of the database that runs it.

`प्रदर्शन*` is a prefix query; other terms must match whole words; all terms must occur.
Quotes and operators typed by the user are treated as text, never as query syntax.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..schema import nfc

_TERM = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d]+(\*)?", regex.V1)


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool


class EmptyQuery(ValueError):
    pass


def parse_query(query: str) -> list[Term]:
    terms = [Term(m.group().rstrip("*"), bool(m.group(1))) for m in _TERM.finditer(nfc(query))]
    if not terms:
        raise EmptyQuery(f"nothing to search for in {query!r}")
    return terms


def fts5_match(terms: list[Term]) -> str:
    """SQLite FTS5 MATCH syntax: each term a quoted string, prefix terms starred."""
    return " ".join('"{}"{}'.format(t.text.replace('"', '""'), "*" if t.prefix else "") for t in terms)
