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


# What a search index counts as a word: letters, numbers, private-use characters and marks (the
# vowel signs and virama of Devanagari stay inside the word), as SQLite's FTS5 tokenizer is told
# in sqlite.py. Every other character separates words.
_WORD = regex.compile(r"[\p{L}\p{N}\p{Co}\p{M}]+", regex.V1)


def index_words(text: str) -> list[str]:
    """The words of `text` as a search index holds them: split as above, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def like_escape(text: str) -> str:
    """`text` as a LIKE pattern matching it literally (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(text: str) -> str:
    """PostgreSQL tsvector input for `text`: each word a lexeme with its position, taken as it is
    (no parser, no dictionary), so words split exactly as `index_words` splits them."""
    return " ".join(f"{_lexeme(w)}:{i}" for i, w in enumerate(index_words(text)[:16383], 1))


def tsquery_literal(terms: list[Term]) -> str:
    """PostgreSQL tsquery input meaning what `fts5_match` means: every term, a term of several
    index words a phrase, a prefix term's last word a prefix."""
    parts = []
    for t in terms:
        words = index_words(t.text)
        if not words:
            continue
        lexemes = [_lexeme(w) for w in words]
        if t.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    if not parts:
        raise EmptyQuery("nothing to search for")
    return " & ".join(parts)


def highlight(sentence: str, terms: list[Term]) -> str:
    """The sentence with every word a term matches wrapped in [ ] (as FTS5's highlight())."""
    whole = {w for t in terms for w in index_words(t.text)}
    prefixes = tuple(index_words(t.text)[-1] for t in terms if t.prefix and index_words(t.text))

    def mark(m: regex.Match) -> str:
        w = m.group().lower()
        return f"[{m.group()}]" if w in whole or (prefixes and w.startswith(prefixes)) else m.group()

    return _WORD.sub(mark, sentence)
