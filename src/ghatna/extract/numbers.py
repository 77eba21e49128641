"""What number a Hindi number phrase states: the one place ghatna reads numbers.

Time expressions (`number_value` in timex.py) and quantities both come here. A number phrase is
a sequence of groups, each a count and the scale words after it, summed while the scales fall:

    164, १६४, 3,600, 1,50,000, 8.2      digits of any script, Western or Indian grouping
    दो, बीस, डेढ़, ढाई                    words of numbers.tsv (role count or fraction)
    साढ़े तीन, सवा दो, पौने दो             a modifier of number_modifiers.tsv before a count
    दो सौ, 20 हजार, डेढ़ लाख, सौ करोड़     a count times its scale words (role scale)
    दो हजार पांच सौ, 10 लाख 30 हजार      groups with falling scales, summed
    सवा सौ = 125                         a modifier before a bare scale

Approximators (`करीब`, `कम से कम` before; `से अधिक`, `से ज्यादा` after) and vague counts
(`हजारों`, `सैकड़ों`) come from quantities/approximate.tsv. Approximators are reported beside
the number, never inside its span; vague counts are found with their lower bound and `vague`
set, so callers decide what to do with them.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache, cached_property

import regex

from ..langs import LanguagePack
from ..schema import Token, nfc
from ..text import tokenize

_DIGITS = regex.compile(r"^[0-9]+(?:[.,][0-9]+)*$")
# 3,600 / 12,345,678 (Western) and 1,50,000 / 12,34,56,789 (Indian); then an optional decimal part
_GROUPED = regex.compile(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}|[0-9]+)(?:\.[0-9]+)?$")
MAX_BARE_SCALE = 1000  # सौ and हजार count alone (`हजार लोग`); लाख, करोड़, अरब need a count


@dataclass(frozen=True)
class NumberWords:
    """A language's number vocabulary, as numbers.py reads it."""

    counts: dict[str, float]  # numbers by themselves: दो, बीस, डेढ़
    scales: dict[str, float]  # multipliers of the count before them: सौ, हजार, लाख
    modifiers: dict[str, float]  # added to the count after them: साढ़े +0.5, पौने -0.25
    vague: dict[str, float] = None  # type: ignore[assignment]  # हजारों -> 1000 (lower bound)
    approximators: tuple[tuple[tuple[str, ...], str], ...] = ()  # (words, class), longest first
    not_numbers: tuple[tuple[str, ...], ...] = ()  # set phrases: एक साथ (together)

    @cached_property
    def starters(self) -> frozenset[str]:
        """Every word a number phrase or a set phrase may start with (digits aside)."""
        return frozenset((*self.counts, *self.scales, *self.modifiers, *(self.vague or {}),
                          *(p[0] for p in self.not_numbers if p)))

    @classmethod
    def from_maps(cls, values: dict[str, float], modifiers: dict[str, str]) -> NumberWords:
        """From a plain word -> value map (what timex.py's grammar holds): a word worth a power
        of ten from 100 up is a scale. Enough for single words; `number_words(pack)` is the full
        reading, with roles from the table."""
        scales = {w: v for w, v in values.items() if v in (100, 1000, 100000, 10000000, 1000000000)}
        counts = {w: v for w, v in values.items() if w not in scales}
        return cls(counts, scales, _modifier_map(modifiers), {})


def _modifier_map(modifiers: dict[str, str]) -> dict[str, float]:
    out = {}
    for word, operation in modifiers.items():
        op, amount = operation.split()
        out[nfc(word)] = float(amount) * (1 if op == "plus" else -1)
    return out


def _norm_words(phrase: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(nfc(phrase)))


@cache
def number_words(pack: LanguagePack) -> NumberWords:
    counts: dict[str, float] = {}
    scales: dict[str, float] = {}
    for row in pack.table("numbers.tsv"):
        word, value = nfc(row["word"]).casefold(), float(row["value"])
        (scales if row.get("role") == "scale" else counts)[word] = value
    modifiers = _modifier_map({r["word"]: r["operation"] for r in pack.table("number_modifiers.tsv")})
    vague: dict[str, float] = {}
    approx: list[tuple[tuple[str, ...], str]] = []
    not_numbers: list[tuple[str, ...]] = []
    for row in pack.table("quantities/approximate.tsv"):
        if row["class"] == "vague":
            vague[nfc(row["words"]).casefold()] = float(row["value"])
        elif row["class"] == "not_number":
            not_numbers.append(_norm_words(row["words"]))
        else:
            approx.append((_norm_words(row["words"]), row["class"]))
    approx.sort(key=lambda a: -len(a[0]))
    return NumberWords(counts, scales, modifiers, vague, tuple(approx), tuple(not_numbers))


@dataclass(frozen=True)
class NumberMatch:
    """A number phrase over tokens[first:last+1] (characters start:end) and what it states."""

    first: int
    last: int
    start: int
    end: int
    value: float | int
    vague: bool = False
    approx: str | None = None  # about | at_least | more_than | less_than
    approx_first: int | None = None  # token range of the approximator, when there is one
    approx_last: int | None = None


def _digits_value(norm: str) -> float | None:
    if not _DIGITS.match(norm):
        return None
    if "," in norm and not _GROUPED.match(norm):
        return None  # `5,6` is a list, not a number
    try:
        return float(norm.replace(",", ""))
    except ValueError:
        return None


def as_number(value: float) -> float | int:
    """164.0 -> 164 (counts are integers in JSON), 1.5 stays."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _count_at(words: list[str], k: int, w: NumberWords) -> tuple[float, int] | None:
    """A count at words[k] (digits or a count word, after an optional modifier): (value, next k)."""
    if k >= len(words):
        return None
    mod = 0.0
    if words[k] in w.modifiers and k + 1 < len(words):
        nxt = words[k + 1]
        if nxt in w.counts or nxt in w.scales or _digits_value(nxt) is not None:
            mod = w.modifiers[words[k]]
            k += 1
            if nxt in w.scales:  # सवा सौ = 1.25 × 100
                return 1 + mod, k
    value = _digits_value(words[k])
    if value is None:
        value = w.counts.get(words[k])
    if value is None:
        return None
    return value + mod, k + 1


def read_at(words: list[str], i: int, w: NumberWords) -> tuple[float, int] | None:
    """The number phrase starting at words[i]: (value, index after its last word), or None."""
    total = 0.0
    k = i
    last_scale = float("inf")
    n = len(words)
    while k < n:
        count = _count_at(words, k, w)
        if count is None:
            if words[k] in w.scales and w.scales[words[k]] <= MAX_BARE_SCALE and k == i:
                count = (1.0, k)  # हजार लोग
            else:
                break
        base, kk = count
        scale = 1.0
        while kk < n and words[kk] in w.scales and (scale == 1.0 or w.scales[words[kk]] > scale):
            scale *= w.scales[words[kk]]
            kk += 1
        if k > i and not (1.0 < scale < last_scale):
            break  # a following group joins only with a smaller scale: 10 लाख 30 हजार
        total += base * scale
        k = kk
        if scale == 1.0:
            break  # a plain count ends the phrase: 5 लोग
        last_scale = scale
    if k == i:
        return None
    return total, k


def value(text: str, w: NumberWords) -> float | None:
    """The value of a whole number phrase: '३' -> 3, 'साढ़े तीन' -> 3.5, '1,50,000' -> 150000,
    'दो हजार पांच सौ' -> 2500; None unless the phrase is one number and nothing else."""
    words = [t.norm for t in tokenize(nfc(text))]
    if len(words) == 1 and words[0] in (w.vague or {}):
        return w.vague[words[0]]
    if len(words) == 1 and words[0] in w.scales:
        return w.scales[words[0]]  # a scale word named alone is worth itself (`लाख`)
    if words and "," in words[0] and _digits_value(words[0]) is None and len(words) == 1:
        try:  # timex.py's old leniency: any digits with commas
            return float(words[0].replace(",", ""))
        except ValueError:
            return None
    found = read_at(words, 0, w) if words else None
    if found is None or found[1] != len(words):
        return None
    return found[0]


_MARK = regex.compile(r"\p{M}")


def _glued(text: str, tok: Token) -> bool:
    """A digit token glued to letters (`5वीं`, `G20`, `1st`) is part of a word, not a count."""
    before = text[tok.start - 1] if tok.start > 0 else " "
    after = text[tok.end] if tok.end < len(text) else " "
    return (before.isalpha() or after.isalpha() or
            _MARK.match(after) is not None or _MARK.match(before) is not None)


def _approx_before(words: list[str], i: int, w: NumberWords, lo: int) -> tuple[str, int] | None:
    for phrase, cls in w.approximators:
        if cls in ("about", "at_least") and i - len(phrase) >= lo and tuple(words[i - len(phrase):i]) == phrase:
            return cls, i - len(phrase)
    return None


def _approx_after(words: list[str], k: int, w: NumberWords) -> tuple[str, int] | None:
    for phrase, cls in w.approximators:
        if cls in ("more_than", "less_than") and tuple(words[k:k + len(phrase)]) == phrase:
            return cls, k + len(phrase) - 1
    return None


def find_numbers(text: str, tokens: list[Token], w: NumberWords, lo: int = 0, hi: int | None = None,
                 blocked: list[tuple[int, int]] | None = None) -> list[NumberMatch]:
    """Every number phrase among tokens[lo:hi], left to right, none inside a `blocked` range."""
    hi = len(tokens) if hi is None else hi
    words = [t.norm for t in tokens[lo:hi]]
    ranges = sorted(blocked or [])
    starts = [s for s, _ in ranges]
    vague = w.vague or {}
    starters = w.starters

    def is_blocked(j: int) -> bool:
        at = tokens[lo + j].start
        k = bisect.bisect_right(starts, at) - 1
        return k >= 0 and any(s <= at < e for s, e in ranges[max(0, k - 3):k + 1])

    found: list[NumberMatch] = []
    i = 0
    while i < len(words):
        digit = words[i][0].isdigit()
        if not digit and words[i] not in starters:
            i += 1  # no number starts here
            continue
        if is_blocked(i) or (digit and _glued(text, tokens[lo + i])):
            i += 1
            continue
        idiom = next((p for p in w.not_numbers if tuple(words[i:i + len(p)]) == p), None)
        if idiom:
            i += len(idiom)
            continue
        if words[i] in vague:
            val, k, is_vague = vague[words[i]], i + 1, True
        else:
            got = read_at(words, i, w)
            if got is None:
                i += 1
                continue
            val, k = got
            is_vague = False
            # stop the phrase before a blocked token (a time expression it ran into)
            for j in range(i + 1, k):
                if is_blocked(j):
                    got = read_at(words[:j], i, w)
                    if got is None:
                        break
                    val, k = got
                    break
        before = _approx_before(words, i, w, 0)
        after = _approx_after(words, k, w)
        approx = (before or after or (None, None))[0]
        a_first = before[1] if before else (k if after else None)
        a_last = (i - 1) if before else (after[1] if after else None)
        first, last = lo + i, lo + k - 1
        found.append(NumberMatch(first, last, tokens[first].start, tokens[last].end, as_number(val),
                                 is_vague, approx,
                                 None if a_first is None else lo + a_first,
                                 None if a_last is None else lo + a_last))
        i = k
    return found
