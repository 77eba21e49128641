"""Text as the rest of ghatna sees it: NFC, digits of any script, sentences and tokens with offsets.

Offsets are always into the NFC text; nothing here rewrites the text, so a span found on a
token's normalised form still points at the characters the article printed.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import regex

from .schema import Sentence, Token, nfc

__all__ = ["nfc", "ascii_digits", "tokenize", "split_sentences", "script_profile"]

# A word is letters and combining marks (Devanagari vowel signs and virama are marks, which
# Python's own \w does not match) with the zero-width (non-)joiners that live inside Indic words.
_WORD = r"[\p{L}\p{M}\u200c\u200d]+(?:[\p{L}\p{M}\p{N}\u200c\u200d])*"
# 3,600 / 1,50,000 / 3.5 / ५०
_NUMBER = r"\p{Nd}+(?:[.,]\p{Nd}+)*"
_TOKEN_RE = regex.compile(rf"{_NUMBER}|{_WORD}|[^\s]", regex.V1)

_SENTENCE_END = regex.compile(r"[।॥?!.]+|\n", regex.V1)
_CLOSERS = "\"'”’»)]}"
_LATIN_UPPER = regex.compile(r"^\p{Lu}$")


# a decimal digit (category Nd) of any script but ASCII: ०-९, ০-৯, ٠-٩, ... (found by pattern, not
# by a table of every code point, which took a quarter of a second to build at import)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(m: re.Match) -> str:
    return str(unicodedata.digit(m.group()))


def ascii_digits(s: str) -> str:
    """'५ जनवरी' -> '5 जनवरी': any decimal digit of any script to ASCII, other characters kept."""
    return s if s.isascii() else _OTHER_DIGIT.sub(_ascii_digit, s)


@lru_cache(maxsize=1 << 15)  # bounded: a long run keeps meeting new words (numbers, names)
def _norm(word: str) -> str:
    """A token's normalised form: ASCII digits, case folded, NFC (so callers compare it as is)."""
    if word.isascii():
        return word.lower()
    return nfc(ascii_digits(word).casefold())


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    norm, find = _norm, text.find
    out = []
    pos = start
    # findall and str.find rather than finditer's match objects: only whitespace lies between
    # two tokens and a token never starts with whitespace, so a word's first occurrence after the
    # previous token is where it was matched
    for word in _TOKEN_RE.findall(text, start, end):
        s = find(word, pos)
        pos = s + len(word)
        out.append(Token(s, pos, word, norm(word)))
    return out


def first_token_at(tokens: list[Token], offset: int) -> int:
    """The index of the first token starting at or after character `offset`."""
    return bisect.bisect_left(tokens, offset, key=lambda t: t.start)


def word_norms(tokens: list[Token]) -> list[str]:
    """The normalised words and numbers among `tokens` (punctuation dropped)."""
    return [t.norm for t in tokens if t.norm[0].isalnum() or unicodedata.category(t.norm[0])[0] == "M"]


def _word_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and (text[i - 1].isalnum() or unicodedata.category(text[i - 1]).startswith("M")):
        i -= 1
    return text[i:pos]


def _is_abbreviation_dot(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the '.' at `dot` belongs to an abbreviation, an initial or a number, not a boundary."""
    before = _word_before(text, dot)
    after = text[dot + 1] if dot + 1 < len(text) else ""
    if before and before[-1].isdigit() and after.isdigit():
        return True  # 3.5
    if after and (after.isalnum() and not after.isspace()) and before:
        return True  # U.S.A, e.g.x: no space after the dot
    if not before and dot >= 2 and text[dot - 1] == " ":
        spaced = _word_before(text, dot - 1)  # `डॉ . कंवरसैन`, `के . एन . काटजू`: a spaced dot
        return bool(spaced) and spaced.casefold() in abbreviations and after in (" ", "")
    if not before:
        return False
    if before.casefold() in abbreviations:
        return True
    return bool(_LATIN_UPPER.match(before))  # initials: "J. Smith"


def split_sentences(text: str, abbreviations: Iterable[str] = ()) -> list[Sentence]:
    """Sentences on ।, ॥, ?, !, . and line breaks; a '.' after an abbreviation or initial is kept
    inside the sentence (`डॉ.`, `जन.`, `के.`). Spans are trimmed of surrounding whitespace."""
    abbrs = abbreviations if isinstance(abbreviations, frozenset) else frozenset(
        a.casefold() for a in abbreviations)
    sentences: list[Sentence] = []
    start = 0
    n = len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.group() == "\n":
            cut = m.start()
        else:
            if m.group() == "." and _is_abbreviation_dot(text, m.start(), abbrs):
                continue
            cut = m.end()
            while cut < n and text[cut] in _CLOSERS:
                cut += 1
        _append_trimmed(text, start, cut, sentences)
        start = max(cut, m.end())
    _append_trimmed(text, start, n, sentences)
    return sentences


def _append_trimmed(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        if out and out[-1].end > start:  # a closer already taken by the previous sentence
            start = out[-1].end
        out.append(Sentence(start, end))
    elif end > start and out and out[-1].end == start:
        # stray punctuation after a sentence ("!!", "।।"): keep it with that sentence
        out[-1] = Sentence(out[-1].start, end)


_SCRIPTS = {"DEVANAGARI": "Deva", "LATIN": "Latn", "ARABIC": "Arab", "BENGALI": "Beng",
            "GURMUKHI": "Guru", "GUJARATI": "Gujr", "TAMIL": "Taml", "TELUGU": "Telu",
            "CYRILLIC": "Cyrl"}


def script_profile(text: str, sample: int = 4000) -> dict[str, int]:
    """Letters per script in (a sample of) the text: {'Deva': 812, 'Latn': 14}."""
    counts: dict[str, int] = {}
    # each distinct character named once (Counter keeps first-seen order, so the scripts come
    # in the order the text first uses them)
    for ch, n in Counter(text[:sample]).items():
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + n
    return counts


@lru_cache(maxsize=4096)
def _script(letter: str) -> str:
    return _SCRIPTS.get(unicodedata.name(letter, "").split(" ", 1)[0], "Other")
