"""How a pack's word lists become regular expressions, and which of several overlapping matches
wins. Shared by the rule-driven extractors (time expressions, events)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

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
