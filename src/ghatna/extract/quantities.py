"""Which numbers in a document count something, and what: the dead, the injured, the arrested,
the participants of a protest, deployed troops, money, or anything else (`other`).

A number phrase is read by numbers.py. Its unit comes from the word right after it (or a symbol
before it) in `quantities/units.tsv`: a currency makes it money (`डेढ़ लाख रुपये` = 150000 INR),
any other unit keeps it `other` with that unit (`16 फीसदी` = 16 %). Without a unit, the cue words
of `quantities/kinds.tsv` around it decide the kind: what happened to the counted (a predicate
later in the clause: `164 लोगों की मौत हुई`), else the counted noun right after the number
(`2,500 सैनिक`), else a cue before it in the clause (`मृतकों की संख्या 225`).

Spans are the number phrase alone: approximators (`करीब`, `से अधिक`) and the counted noun stay
outside, as a timex span leaves out its postposition; the value is the number as stated.
Numbers inside time expressions (a year, `48 घंटे`) are not quantities, nor are vague counts
(`हजारों`: no number is stated), nor a lone `एक` that counts nothing relevant (mostly the
indefinite article).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..langs import LanguagePack
from ..schema import DocAnalysis, Quantity, nfc
from ..text import first_token_at, tokenize
from . import numbers
from .patterns import PhraseTable

WINDOW = 10  # tokens after the number that a predicate cue may be in
HEAD_WORDS = 2  # the counted noun is one of the first two words after the number
BEFORE_WINDOW = 8  # tokens before the number that a before-cue may be in
CLAUSE_END = frozenset(",;:।!?()[]{}|–—")  # a cue never reaches across these
PRIORITY = {"predicate": 0, "head": 1, "before": 2}


@dataclass(frozen=True)
class Unit:
    words: tuple[str, ...]
    unit: str
    kind: str
    position: str
    value: float | None


@dataclass(frozen=True)
class QuantityWords:
    cues: dict[str, PhraseTable[str]]  # role -> cue words -> kind
    units_after: PhraseTable[tuple[int, Unit]]  # (table order, unit) of units after the number
    units_before: PhraseTable[tuple[int, Unit]]
    fused: PhraseTable[Unit]  # words that are a number and its unit at once (दोगुना)
    clause_breaks: frozenset[str]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(nfc(phrase)))


@cache
def quantity_words(pack: LanguagePack) -> QuantityWords:
    cues: dict[str, list[tuple[tuple[str, ...], str]]] = {"predicate": [], "head": [], "before": []}
    for row in pack.table("quantities/kinds.tsv"):
        cues[row["role"]].append((_words(row["cue"]), row["kind"]))
    units = [Unit(_words(r["word"]), r["unit"], r["kind"], r["position"],
                  float(r["value"]) if r.get("value") else None)
             for r in pack.table("quantities/units.tsv")]
    plain = [(u.words, (i, u)) for i, u in enumerate(units) if u.value is None]
    breaks = frozenset(nfc(r["word"]) for r in pack.table("quantities/clause_breaks.tsv"))
    return QuantityWords({k: PhraseTable(v) for k, v in cues.items()},
                         PhraseTable(x for x in plain if x[1][1].position == "after"),
                         PhraseTable(x for x in plain if x[1][1].position == "before"),
                         PhraseTable((u.words, u) for u in units if u.value is not None), breaks)


def _clause(words: list[str], start: int, step: int, limit: int, stops: set[int],
            breaks: frozenset[str]) -> list[int]:
    """Token indexes from `start` in direction `step` up to the clause's end (at most `limit`)."""
    out = []
    i = start
    while 0 <= i < len(words) and len(out) < limit:
        w = words[i]
        if i in stops or w in CLAUSE_END or w in breaks:
            break
        out.append(i)
        i += step
    return out


def _cue_at(words: list[str], i: int, cues: PhraseTable[str]) -> str | None:
    found = cues.at(words, i)
    return found[1] if found else None


def extract(analysis: DocAnalysis, pack: LanguagePack) -> None:
    nw = numbers.number_words(pack)
    qw = quantity_words(pack)
    tokens = analysis.tokens
    words = [t.norm for t in tokens]
    blocked = [(t.start, t.end) for t in analysis.timexes]
    found: list[Quantity] = []
    for sent in analysis.sentences:
        lo = first_token_at(tokens, sent.start)
        hi = first_token_at(tokens, sent.end)
        matches = numbers.find_numbers(analysis.text, tokens, nw, lo, hi, blocked)
        number_tokens = {i for m in matches for i in range(m.first, m.last + 1)}
        for m in matches:
            if m.vague:
                continue
            q = _quantity(analysis, words, m, lo, hi, number_tokens, qw)
            if q is not None:
                found.append(q)
        found.extend(_fused_multipliers(analysis, words, lo, hi, blocked, qw))
    found.sort(key=lambda q: q.start)
    analysis.quantities = found



def _unit(words: list[str], m: numbers.NumberMatch, lo: int, hi: int, qw: QuantityWords) -> Unit | None:
    found = [f[1] for f in (qw.units_after.at(words, m.last + 1, hi), qw.units_before.ending_at(words, m.first, lo))
             if f is not None]
    # the longest unit, then the earlier row
    return min(found, key=lambda f: (-len(f[1].words), f[0]))[1] if found else None


def _quantity(analysis: DocAnalysis, words: list[str], m: numbers.NumberMatch, lo: int, hi: int,
              number_tokens: set[int], qw: QuantityWords) -> Quantity | None:
    text = analysis.text[m.start:m.end]
    unit = _unit(words, m, lo, hi, qw)
    if unit is not None:
        return Quantity(m.start, m.end, text, m.value, unit.unit, unit.kind, m.approx)
    after_start = (m.approx_last + 1) if (m.approx and m.approx_first is not None
                                          and m.approx_first > m.last) else m.last + 1
    stops = number_tokens - set(range(m.first, m.last + 1))
    after = [i for i in _clause(words, after_start, 1, WINDOW, stops, qw.clause_breaks) if i < hi]
    before_start = (m.approx_first - 1) if (m.approx and m.approx_first is not None
                                            and m.approx_first < m.first) else m.first - 1
    before = [i for i in _clause(words, before_start, -1, BEFORE_WINDOW, stops, qw.clause_breaks)
              if i >= lo]
    kind = None
    for i in after:
        kind = _cue_at(words, i, qw.cues["predicate"])
        if kind:
            break
    if kind is None:
        heads = [i for i in after if words[i][:1].isalpha()][:HEAD_WORDS]
        for i in heads:
            kind = _cue_at(words, i, qw.cues["head"])
            if kind:
                break
    if kind is None:
        for i in before:
            kind = _cue_at(words, i, qw.cues["before"])
            if kind:
                break
    kind = kind or "other"
    if kind == "other" and m.value == 1 and not words[m.first][:1].isdigit():
        return None  # एक बयान, एक अस्पताल: the article, not a count
    return Quantity(m.start, m.end, text, m.value, None, kind, m.approx)


def _fused_multipliers(analysis: DocAnalysis, words: list[str], lo: int, hi: int,
                       blocked: list[tuple[int, int]], qw: QuantityWords) -> list[Quantity]:
    """दोगुना, तिगुना: a number and its unit in one word."""
    out = []
    tokens = analysis.tokens
    firsts = qw.fused.first_words
    for i in [i for i in range(lo, hi) if words[i] in firsts]:
        found = qw.fused.at(words, i)
        if found is None:
            continue
        u = found[1]
        s, e = tokens[i].start, tokens[i + len(u.words) - 1].end
        if not any(bs <= s < be for bs, be in blocked):
            out.append(Quantity(s, e, analysis.text[s:e], numbers.as_number(u.value), u.unit, u.kind))
    return out
