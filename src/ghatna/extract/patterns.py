"""How a pack's word lists become regular expressions, and which of several overlapping matches
wins, and how word phrases are looked up in a list of words. Shared by the rule-driven
extractors (time expressions, quantities, events, claims)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

import re._constants as _c
import re._parser as _re_parser

import regex

WORD_START = r"(?<![\p{L}\p{M}\p{N}])"  # no letter, mark or digit before: a word starts here
WORD_END = r"(?![\p{L}\p{M}\p{N}])"  # no letter, mark or digit after: a word ends here
# whitespace inside a line: a line break ends a sentence (text.py), so no phrase may cross one
SPACE = r"[^\S\n]"

M = TypeVar("M")


def alternation(forms: Iterable[str]) -> str:
    """`a|b|c` for a list of words or phrases, longest first, spaces matching any whitespace
    but a line break."""
    return "|".join(regex.escape(f).replace(r"\ ", SPACE + "+")
                    for f in sorted(set(forms), key=len, reverse=True))


def inline(pattern: str) -> str:
    """A pack pattern with its spaces and `\\s` made whitespace that is not a line break."""
    return pattern.replace(" ", SPACE + "+").replace(r"\s", SPACE)


def longest_first(found: Iterable[M], span: Callable[[M], tuple[int, int]],
                  rank: Callable[[M], int]) -> list[M]:
    """The matches to keep: longest first, then lower `rank` (earlier rule), then leftmost; none
    overlapping a kept one; returned in text order."""
    chosen: list[tuple[int, M]] = []
    taken = bytearray()
    for f in sorted(found, key=lambda f: (span(f)[0] - span(f)[1], rank(f), span(f)[0])):
        start, end = span(f)
        if end <= start:
            continue
        if len(taken) < end:
            taken.extend(b"\0" * (end - len(taken)))
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\1" * (end - start)
        chosen.append((start, f))
    return [f for _, f in sorted(chosen, key=lambda c: c[0])]


V = TypeVar("V")


class PhraseTable(Generic[V]):
    """Phrases (tuples of normalised words) with a value each, found at a position of a word list
    without trying every phrase: indexed by first and by last word, longest phrase first (then
    table order)."""

    def __init__(self, items: Iterable[tuple[tuple[str, ...], V]]):
        self.items = sorted((i for i in items if i[0]), key=lambda i: -len(i[0]))
        self._first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        self._last: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for item in self.items:
            self._first.setdefault(item[0][0], []).append(item)
            self._last.setdefault(item[0][-1], []).append(item)
        self.first_words = frozenset(self._first)  # `at` finds nothing at any other word

    def at(self, words: Sequence[str], i: int, hi: int | None = None) -> tuple[tuple[str, ...], V] | None:
        """The longest phrase starting at words[i] (and ending before `hi`)."""
        if not 0 <= i < len(words):
            return None
        hi = len(words) if hi is None else min(hi, len(words))
        for item in self._first.get(words[i], ()):
            n = len(item[0])
            if i + n <= hi and (n == 1 or tuple(words[i:i + n]) == item[0]):
                return item
        return None

    def ending_at(self, words: Sequence[str], end: int, lo: int = 0) -> tuple[tuple[str, ...], V] | None:
        """The longest phrase ending right before words[end] (and starting at or after `lo`)."""
        if not 0 < end <= len(words):
            return None
        for item in self._last.get(words[end - 1], ()):
            n = len(item[0])
            if end - n >= lo and (n == 1 or tuple(words[end - n:end]) == item[0]):
                return item
        return None


_MAX_STARTS = 256


def word_starts(pattern: str) -> frozenset[str] | None:
    """The letters that every match of `pattern` must begin with, as a set of alternatives cut at
    the first character that is not a letter or mark: `(?:विरोध )?(?:प्रदर्शन|प्रदर्शनों) X` ->
    {विरोध, प्रदर्शन, प्रदर्शनों}. A match that may begin with a digit gives ANY_DIGIT. None when that
    cannot be said (a match may start with anything, or the pattern is beyond Python's own `re`
    syntax). Lets a scanner try a pattern only where one of these begins, instead of at every
    position of the text (see `may_start`)."""
    try:
        parsed = _re_parser.parse(pattern.replace(r"\p{Nd}", r"\d"))
    except Exception:  # noqa: BLE001 - regex-module syntax `re` does not read: no shortcut
        return None
    starts, _ = _expand(list(parsed))
    if starts is None:
        return None
    cut = frozenset(ANY_DIGIT if s[:1] == ANY_DIGIT else _LETTERS.match(s).group() for s in starts)
    return None if "" in cut else cut


ANY_DIGIT = "\0"  # in word_starts: a match may begin with any digit
_LETTERS = regex.compile(r"[\p{L}\p{M}]*", regex.V1)


class Starts:
    """`word_starts` indexed by first letter, to ask of many tokens whether a match may begin there."""

    def __init__(self, words: frozenset[str]):
        self.digit = ANY_DIGIT in words
        self.by_char: dict[str, list[str]] = {}
        for w in words - {ANY_DIGIT}:
            self.by_char.setdefault(w[0], []).append(w)
        # the first letters a match may begin with (ANY_DIGIT: a digit), as by_first_letter keys them
        self.first_letters = frozenset(self.by_char) | ({ANY_DIGIT} if self.digit else frozenset())

    def among(self, words: Sequence[str], by_first: dict[str, list[int]]) -> list[int]:
        """The indexes of the `words` (normalised tokens, grouped by `by_first_letter`) that one
        of the starts begins, in order."""
        found = list(by_first.get(ANY_DIGIT, ())) if self.digit else []
        for first, starts in self.by_char.items():
            found += [i for i in by_first.get(first, ()) if any(words[i].startswith(s) for s in starts)]
        return sorted(found)


def by_first_letter(words: Sequence[str]) -> dict[str, list[int]]:
    """Indexes of `words` by first letter (ANY_DIGIT for every word starting with a digit)."""
    out: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        out.setdefault(ANY_DIGIT if w[:1].isdigit() else w[:1], []).append(i)
    return out


def _expand(items: list) -> tuple[set[str] | None, bool]:
    """(literal prefixes of a match of the sequence `items`, whether they are whole matches)."""
    out = {""}
    for k, (op, av) in enumerate(items):
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # zero-width
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[:2] == (0, 1):
            # optional: a match goes on with it or without it
            with_it, w1 = _expand(list(av[2]) + items[k + 1:])
            without, w2 = _expand(items[k + 1:])
            if with_it is None or without is None:
                return None, False
            alts, whole = with_it | without, w1 and w2
            return ({o + a for o in out for a in alts} if len(out) * len(alts) <= _MAX_STARTS
                    else None), whole
        alts, whole = _expand_item(op, av)
        if alts is None:
            return out, False
        out = {o + a for o in out for a in alts}
        if len(out) > _MAX_STARTS:
            return None, False
        if not whole:
            return out, False
    return out, True


def _expand_item(op, av) -> tuple[set[str] | None, bool]:
    if op is _c.LITERAL:
        return {ANY_DIGIT if chr(av).isdigit() else chr(av)}, not chr(av).isdigit()
    if op is _c.IN and av == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]:
        return {ANY_DIGIT}, False
    if op is _c.SUBPATTERN:
        return _expand(list(av[-1]))
    if op is _c.BRANCH:
        alts: set[str] = set()
        whole = True
        for branch in av[1]:
            a, w = _expand(list(branch))
            if a is None:
                return None, False
            alts |= a
            whole = whole and w
        return alts, whole
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        lo, _, sub = av
        a, _ = _expand(list(sub))
        if a is None:
            return None, False
        return (a | {""}) if lo == 0 else a, False
    return None, False
