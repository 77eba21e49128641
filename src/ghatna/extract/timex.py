"""Which stretches of text are time expressions, and what TIMEX3 value each one has.

The engine knows no language. A pack supplies `timex/words.tsv` (word classes: months, weekdays,
units, parts of day, relative words …), `numbers.tsv`, `tense.tsv` and `timex/rules.tsv`:
regular expressions over the text in which `{class}` stands for any word of a class, each with
a normalisation written as a call of the functions below. Where rules overlap the longest match
wins, then the earlier rule. Values are then computed in document order, anchored to the
publication date (deictic and relative expressions), to the last date the article mentioned
(anaphoric ones: उसी दिन, अगले दिन), and to the tense of its clause (कल, weekdays, year-less dates).

Normalisation functions (arguments are rule groups or constants):
    date(day, month=None, year=None)   month(month, year=None)   year(year)   decade(num)
    slashdate(day, month, year=None)   holiday(value)   deictic(offset)   this(unit, relative)
    weekday(weekday, relative=None)    shift(unit, n, anchor='doc'|'last')   same(unit)
    pod(date_value, part_of_day)       sentence_date()   clock(hour, minute=None, part_of_day=None)
    duration(n, unit)   unit_of()   every(unit)   every_weekday(weekday)   every_pod(part_of_day)
    literal(value)   past()   present()   future_of_last()   unknown()
"""
from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import regex

from ..langs import LanguagePack
from . import numbers
from ..schema import DocAnalysis, Timex, nfc
from ..text import ascii_digits, tokenize
from .patterns import ANY_DIGIT, SPACE, WORD_END, WORD_START, Starts, alternation, by_first_letter, inline, longest_first, word_starts

_B, _E = WORD_START, WORD_END
UNKNOWN_DAY = "XXXX-XX-XX"


class Reject(Exception):
    """A rule matched something that is not a time expression after all (e.g. year 4711)."""


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    regex: regex.Pattern
    value: ast.expr
    group_class: dict[str, str]
    anchors: frozenset[str]  # words one of which the text must contain; empty: always try
    starts: Starts | None  # what a match may begin with (patterns.word_starts); None: anything


_WORDS = regex.compile(r"[\p{L}\p{M}]+", regex.V1)
_SPACES = regex.compile(r"\s+")
NUMERIC_CLASSES = ("num", "day", "year", "hour", "minute")


@dataclass
class Grammar:
    rules: list[Rule]
    classes: dict[str, dict[str, str]]  # class -> NFC form -> value
    numbers: dict[str, float]
    number_modifiers: dict[str, str]
    tenses: list[tuple[str, regex.Pattern]]
    clause_breaks: regex.Pattern  # words that begin a new clause (its own tense)
    range_joint: regex.Pattern  # `30 अप्रैल से 16 मई`: one expression, valued at its start
    of_joint: regex.Pattern  # `18 दिसंबर की रात`: a coarser and a finer expression joined
    anchored: dict[str, list[int]] = field(init=False)  # anchor word -> the rules (indexes) it anchors
    week_words: list[str] = field(init=False)  # the units worth a week (`हफ्ते`, `सप्ताह`)

    def __post_init__(self) -> None:
        self.week_words = [form for form, unit in self.classes.get("unit", {}).items() if unit == "W"]
        self.anchored = {}
        for k, rule in enumerate(self.rules):
            for word in rule.anchors:
                self.anchored.setdefault(word, []).append(k)


def _number_pattern(numbers: dict[str, float], modifiers: dict[str, str]) -> str:
    mods = alternation(modifiers)
    return (rf"(?:(?:{mods}){SPACE}+)?(?:\p{{Nd}}+(?:[.,]\p{{Nd}}+)*{_E}|(?:{alternation(numbers)}){_E})"
            if mods else rf"(?:\p{{Nd}}+(?:[.,]\p{{Nd}}+)*|{alternation(numbers)}){_E}")


@cache
def grammar(pack: LanguagePack) -> Grammar:
    classes: dict[str, dict[str, str]] = {}
    for row in pack.table("timex/words.tsv"):
        classes.setdefault(row["class"], {})[nfc(row["form"])] = row["value"]
    numbers = {nfc(r["word"]): float(r["value"]) for r in pack.table("numbers.tsv")}
    modifiers = {nfc(r["word"]): r["operation"] for r in pack.table("number_modifiers.tsv")}
    num = _number_pattern(numbers, modifiers)
    small = alternation([w for w, v in numbers.items() if v <= 12 and v == int(v)])
    not_year = alternation(classes.get("not_after_year", {}))
    special = {
        "num": num,
        "day": r"\p{Nd}{1,2}" + _E,
        "year": r"\p{Nd}{4}" + _E + (rf"(?!{SPACE}*(?:{not_year}){_E})" if not_year else ""),
        "hour": rf"(?:\p{{Nd}}{{1,2}}|{small}){_E}",
        "minute": r"\p{Nd}{2}" + _E,
    }

    def expand(pattern: str, group_class: dict[str, str]) -> str:
        def one(m: regex.Match) -> str:
            cls, _, name = m.group(1).partition(":")
            name = name or cls
            group_class[name] = cls
            if cls in special:
                body = special[cls]
            elif cls in classes:
                body = rf"(?:{alternation(classes[cls])}){_E}"
            else:
                raise ValueError(f"unknown class {{{cls}}} in timex rule pattern {pattern!r}")
            return f"(?P<{name}>{body})"

        return regex.sub(r"\{(\w+(?::\w+)?)\}", one, inline(pattern))

    rules = []
    for row in pack.table("timex/rules.tsv"):
        group_class: dict[str, str] = {}
        pattern = nfc(row["pattern"])
        body = expand(pattern, group_class)
        # a rule can only match where one of its words is: its literal words and the words of its
        # classes (numbers are everywhere, so a rule of numbers alone is always tried)
        anchors = set(_WORDS.findall(regex.sub(r"\{[^}]*\}", " ", pattern)))
        for cls in group_class.values():
            if cls not in NUMERIC_CLASSES:
                anchors.update(form.split()[0] for form in classes.get(cls, {}))
        # postpositions and particles are everywhere: they anchor only a rule with nothing else
        common = set(classes.get("common", ()))
        if anchors - common:
            anchors -= common
        rules.append(Rule(row["name"], row["type"], regex.compile(f"{_B}(?:{body}){_E}", regex.V1),
                          ast.parse(row["value"], mode="eval").body, group_class, frozenset(anchors),
                          _starts(body)))
    tenses = [(r["tense"], regex.compile(r["pattern"], regex.V1)) for r in pack.table("tense.tsv")]
    breaks = alternation(classes.get("clause_break", ())) or r"(?!)"
    return Grammar(rules, classes, numbers, modifiers, tenses,
                   regex.compile(rf"{_B}(?:{breaks}){_E}", regex.V1),
                   _joint(classes.get("range_joint", {}), "-–"), _joint(classes.get("of_joint", {})))


def _starts(body: str) -> Starts | None:
    # word-boundary assertions consume nothing: without them the starts are the same
    words = word_starts(body.replace(_B, "").replace(_E, ""))
    return Starts(words) if words is not None else None


# --- reading numbers --------------------------------------------------------------------------

def number_value(text: str, g: Grammar) -> float | None:
    """'३' -> 3, 'डेढ़' -> 1.5, 'साढ़े तीन' -> 3.5, '3,600' -> 3600: read by extract/numbers.py."""
    return numbers.value(text, _number_words(g))


@cache
def _number_words_of(values: tuple, modifiers: tuple) -> numbers.NumberWords:
    return numbers.NumberWords.from_maps(dict(values), dict(modifiers))


def _number_words(g: Grammar) -> numbers.NumberWords:
    return _number_words_of(tuple(g.numbers.items()), tuple(g.number_modifiers.items()))


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# --- the normaliser ---------------------------------------------------------------------------

def _day(d: dt.date) -> str:
    return d.isoformat()


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return dt.date(y, m + 1, 1)


def _parse_day(value: str | None) -> dt.date | None:
    if value and len(value) >= 10 and value[:4].isdigit() and value[5:7].isdigit() and value[8:10].isdigit():
        try:
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            return None
    return None


class Normaliser:
    """Evaluates rule values for one document, keeping the anchors as it goes."""

    def __init__(self, g: Grammar, anchor: dt.date | None) -> None:
        self.g = g
        self.anchor = anchor
        self.last = anchor  # the last day-precise date mentioned, else the publication date
        self.mentioned: dt.date | None = None  # the last day-precise date the text itself gave
        self.tense = "past"
        self.sentence_day: str | None = None
        self.match: regex.Match | None = None
        self.group_class: dict[str, str] = {}

    # evaluation
    def evaluate(self, rule: Rule, match: regex.Match) -> str:
        self.match, self.group_class = match, rule.group_class
        value = self._eval(rule.value)
        if not isinstance(value, str):
            raise Reject(rule.name)
        return value

    def _eval(self, node: ast.expr):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self._group(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = self._eval(node.operand)
            return None if v is None else -v
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = getattr(self, "f_" + node.func.id, None)
            if fn is None:
                raise ValueError(f"unknown timex function {node.func.id}()")
            return fn(*[self._eval(a) for a in node.args],
                      **{k.arg: self._eval(k.value) for k in node.keywords})
        raise ValueError(f"unsupported timex value expression: {ast.dump(node)}")

    def _group(self, name: str):
        text = self.match.group(name) if name in self.group_class else None
        if text is None:
            return None
        cls = self.group_class[name]
        if cls in ("num", "hour"):
            return number_value(text, self.g)
        if cls in ("day", "year", "minute"):
            return int(ascii_digits(text))
        return self.g.classes[cls][nfc(_SPACES.sub(" ", text))]

    # helpers
    def _infer_year(self, month: int, day: int | None) -> int | None:
        if self.anchor is None:
            return None
        candidates = []
        for y in (self.anchor.year - 1, self.anchor.year, self.anchor.year + 1):
            try:
                candidates.append(dt.date(y, month, day or 1))
            except ValueError:
                continue
        if not candidates:
            raise Reject("no such day")
        ref = self.anchor if day else self.anchor.replace(day=1)
        if self.tense == "future":
            preferred = [c for c in candidates if c >= ref]
        else:
            preferred = [c for c in candidates if c <= ref]
        pool = preferred or candidates
        return min(pool, key=lambda c: abs((c - ref).days)).year

    def _at(self, unit: str, d: dt.date) -> str:
        if unit in ("D", "H", "MIN", "S"):
            return _day(d)
        if unit == "W":
            y, w, _ = d.isocalendar()
            return f"{y}-W{w:02d}"
        if unit == "M":
            return f"{d.year}-{d.month:02d}"
        if unit == "Y":
            return f"{d.year}"
        if unit == "DE":
            return f"{d.year // 10:03d}"
        if unit == "CE":
            return f"{d.year // 100:02d}"
        raise Reject(unit)

    def _unknown_at(self, unit: str) -> str:
        return {"D": UNKNOWN_DAY, "W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX"}.get(unit, "XXXX")

    def _shift_date(self, base: dt.date, unit: str, n: float) -> dt.date:
        if not float(n).is_integer():  # डेढ़ साल पहले: go down a unit
            unit, n = {"Y": ("M", n * 12), "M": ("D", n * 30), "W": ("D", n * 7), "DE": ("Y", n * 10)}.get(unit, (unit, n))
        n = int(round(n))
        try:
            if unit in ("D", "H", "MIN", "S"):
                return base + dt.timedelta(days=n if unit == "D" else 0)
            if unit == "W":
                return base + dt.timedelta(weeks=n)
            if unit == "M":
                return _add_months(base, n)
            if unit == "Y":
                return base.replace(year=base.year + n, day=min(base.day, 28))
            if unit == "DE":
                return base.replace(year=base.year + 10 * n, day=min(base.day, 28))
            if unit == "CE":
                return base.replace(year=base.year + 100 * n, day=min(base.day, 28))
        except (ValueError, OverflowError):
            raise Reject("date out of range") from None
        raise Reject(unit)

    # the functions rules may call
    def f_date(self, day, month=None, year=None):
        if day is None or not 1 <= day <= 31:
            raise Reject("day")
        if month is None:
            if self.anchor is None:
                return f"XXXX-XX-{day:02d}"
            month, year = self.anchor.month, self.anchor.year
        month = int(month)
        if year is None:
            year = self._infer_year(month, day)
            if year is None:
                return f"XXXX-{month:02d}-{day:02d}"
        try:
            return _day(dt.date(int(year), month, day))
        except ValueError:
            raise Reject("no such day") from None

    def f_month(self, month, year=None):
        month = int(month)
        if year is None:
            year = self._infer_year(month, None)
            if year is None:
                return f"XXXX-{month:02d}"
        return f"{int(year):04d}-{month:02d}"

    def f_year(self, year):
        if year is None or not 1800 <= year <= 2100:
            raise Reject("year")
        return f"{year:04d}"

    def f_decade(self, n):
        if n is None:
            raise Reject("decade")
        n = int(n)
        if 1000 <= n <= 2100:
            return f"{n // 10:03d}"
        if 0 <= n < 100 and n % 10 == 0:
            return f"19{n // 10}"
        raise Reject("decade")

    def f_slashdate(self, day, month, year=None):
        if month is None or not 1 <= month <= 12:
            raise Reject("month")
        return self.f_date(day, month, year)

    def f_holiday(self, value):
        if value.startswith("XXXX-") and value[5:7].isdigit() and self.anchor:
            return self.f_date(int(value[8:10]), int(value[5:7]))
        return value

    def f_deictic(self, offset):
        n = int(offset)
        if self.anchor is None:
            return "PRESENT_REF" if n == 0 else UNKNOWN_DAY
        sign = 1 if self.tense == "future" else -1
        return _day(self.anchor + dt.timedelta(days=sign * n))

    def f_this(self, unit, relative):
        if self.anchor is None:
            return self._unknown_at(unit)
        return self._at(unit, self._shift_date(self.anchor, unit, int(relative)))

    def f_weekday(self, weekday, relative=None):
        weekday = int(weekday)
        if self.anchor is None:
            return UNKNOWN_DAY
        a = self.anchor
        if relative is not None and any(w in self.match.group(0) for w in self.g.week_words):  # `अगले हफ्ते सोमवार`
            monday = a - dt.timedelta(days=a.isoweekday() - 1) + dt.timedelta(weeks=int(relative))
            return _day(monday + dt.timedelta(days=weekday - 1))
        direction = {"-1": "past", "+1": "future"}.get(relative, self.tense)
        delta = (a.isoweekday() - weekday) % 7
        if direction == "future":
            return _day(a + dt.timedelta(days=(weekday - a.isoweekday()) % 7))
        return _day(a - dt.timedelta(days=delta))

    def f_shift(self, unit, n, anchor="doc"):
        base = self.anchor if anchor == "doc" else self.last
        if base is None or n is None:
            return self._unknown_at(unit)
        return self._at(unit, self._shift_date(base, unit, n))

    def f_same(self, unit):
        if self.last is None:
            return self._unknown_at(unit)
        return self._at(unit if unit in ("D", "W", "M", "Y") else "D", self.last)

    def f_pod(self, base, part_of_day):
        day = base if _parse_day(base) else UNKNOWN_DAY
        return f"{day}T{part_of_day}"

    def f_sentence_date(self):
        """A bare part of day (शाम, तड़के) belongs to the day the narrative is on: the date given
        earlier in its sentence, else the last one the article gave; else unknown."""
        if self.sentence_day:
            return self.sentence_day
        return _day(self.mentioned) if self.mentioned else UNKNOWN_DAY

    def f_clock(self, hour, minute=None, part_of_day=None):
        if hour is None:
            raise Reject("hour")
        h = int(hour)
        if part_of_day in ("AF", "EV") and h < 12 or part_of_day == "NI" and 6 <= h < 12:
            h += 12
        if not 0 <= h <= 24 or minute is not None and not 0 <= minute < 60:
            raise Reject("clock")
        return f"{UNKNOWN_DAY}T{h:02d}:{minute or 0:02d}"

    def f_duration(self, n, unit):
        amount = "X" if n is None else _fmt(n)
        if unit in ("H", "MIN", "S"):
            return f"PT{amount}{'M' if unit == 'MIN' else unit}"
        return f"P{amount}{unit}"

    def f_unit_of(self):
        text = nfc(self.match.group(0))
        for cls in ("unit", "vague_unit"):
            unit = self.g.classes.get(cls, {}).get(text)
            if unit is not None:
                return unit
        return "D"

    def f_every(self, unit):
        return self.f_duration(1, unit)

    def f_every_weekday(self, weekday):
        return f"XXXX-WXX-{int(weekday)}"

    def f_every_pod(self, part_of_day):
        return f"{UNKNOWN_DAY}T{part_of_day}"

    def f_literal(self, value):
        return value

    def f_past(self):
        return "PAST_REF"

    def f_present(self):
        return "PRESENT_REF"

    def f_future_of_last(self):
        return "FUTURE_REF"

    def f_unknown(self):
        return UNKNOWN_DAY


# --- the extractor ----------------------------------------------------------------------------

@dataclass
class _Found:
    start: int
    end: int
    rule: Rule
    match: regex.Match


LOOKBACK = 6  # words a rule may start before its anchor word (`रात 8 : 30 से 10 बजे`)


def _candidates(text: str, g: Grammar, tokens: list | None = None) -> list[_Found]:
    """Every match of every rule. A rule is tried only at words whose first letter a match of it
    can begin with (`Rule.starts`) and, if it has anchor words, only shortly before one of them;
    not across the whole text."""
    if tokens is None:
        tokens = tokenize(text)
    anchored = g.anchored
    near: dict[int, set[int]] = {}  # rule -> the tokens at most LOOKBACK before one of its anchors
    for i, t in enumerate(tokens):
        rules = anchored.get(t.text)
        if rules:
            window = range(max(0, i - LOOKBACK), i + 1)
            for k in rules:
                tried = near.get(k)
                if tried is None:
                    near[k] = set(window)
                else:
                    tried.update(window)
    norms = [t.norm for t in tokens]
    firsts = [ANY_DIGIT if w[:1].isdigit() else w[:1] for w in norms]
    by_first = None
    found = []
    for k, rule in enumerate(g.rules):
        if rule.anchors:
            tried = near.get(k)
            if tried is None:
                continue
            at = sorted(tried)
            if rule.starts is not None:
                letters = rule.starts.first_letters
                at = [i for i in at if firsts[i] in letters]
        elif rule.starts is not None:  # no anchor word, but known starts (a number)
            if by_first is None:
                by_first = by_first_letter(norms)
            at = rule.starts.among(norms, by_first)
        else:
            found.extend(_Found(m.start(), m.end(), rule, m) for m in rule.regex.finditer(text))
            continue
        match = rule.regex.match
        for i in at:
            m = match(text, tokens[i].start)
            if m:
                found.append(_Found(m.start(), m.end(), rule, m))
    return found


def _select(found: list[_Found], order: dict[str, int]) -> list[_Found]:
    """Longest first, then earlier rule; no overlaps."""
    return longest_first(found, lambda f: (f.start, f.end), lambda f: order[f.rule.name])


def sentence_tense(sentence: str, g: Grammar) -> str:
    for tense, pattern in g.tenses:
        if pattern.search(sentence):
            return tense
    return "past"


def clause_tense(text: str, start: int, end: int, sentence, g: Grammar) -> str:
    """The tense of the clause holding text[start:end]: the sentence cut at the clause breaks of
    timex/words.tsv (`मंत्री ने सोमवार को कहा कि कल प्रदर्शन होगा`: सोमवार is read in a past
    clause, कल in a future one)."""
    if sentence is None:
        return "past"
    lo, hi = sentence.start, sentence.end
    for m in g.clause_breaks.finditer(text, sentence.start, sentence.end):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return sentence_tense(text[lo:hi], g)


# "30 अप्रैल से 16 मई", "रात 8 बजे से देर रात 1 बजे": one expression (its value is the start)
def _joint(words: dict[str, str], punctuation: str = "") -> regex.Pattern:
    """What may stand between two expressions: one of `words` (timex/words.tsv) or punctuation."""
    alts = [regex.escape(p) for p in punctuation] + ([alternation(words)] if words else [])
    return regex.compile(rf"\s*(?:{'|'.join(alts) or '(?!)'})\s*", regex.V1)
# "अगले साल अप्रैल", "नवंबर, 2006", "गुरुवार सुबह 6 बजे": a coarser and a finer expression
_BESIDE = regex.compile(r"\s*,?\s*", regex.V1)
# "18 दिसंबर की रात", "13 तारीख को सुबह", "रविवार के दिन": joined by a postposition
_POINT = ("DATE", "TIME")


def _combine(a: str, b: str) -> str:
    """The value of two adjacent point expressions read as one."""
    if len(a) == 4 and a.isdigit() and len(b) >= 7 and b[4] == "-":
        return a + b[4:]  # year + month(-day)
    if _parse_day(a) and "T" in b:
        return a[:10] + b[b.index("T"):]  # day + time of day
    if _parse_day(b):
        return b
    return a if "X" not in a[:4] else b


def _merge(timexes: list[Timex], text: str, g: Grammar) -> list[Timex]:
    out: list[Timex] = []
    for t in timexes:
        prev = out[-1] if out else None
        if prev is not None and prev.type in _POINT and t.type in _POINT:
            gap = text[prev.end:t.start]
            if "\n" in gap:  # a line break ends the sentence
                out.append(t)
                continue
            if g.range_joint.fullmatch(gap) and "-" not in prev.text[-1:]:
                value = prev.value
            elif _BESIDE.fullmatch(gap) or (g.of_joint.fullmatch(gap) and gap[:1].isspace() and gap[-1:].isspace() and (t.type == "TIME" or t.value == UNKNOWN_DAY)):
                value = _combine(prev.value, t.value)
            else:
                out.append(t)
                continue
            out[-1] = Timex(prev.start, t.end, text[prev.start:t.end],
                            "TIME" if "T" in value else prev.type, value)
            continue
        out.append(t)
    return out


def extract(analysis: DocAnalysis, pack: LanguagePack) -> None:
    g = grammar(pack)
    text = analysis.text
    order = {r.name: i for i, r in enumerate(g.rules)}
    anchor = dt.date.fromisoformat(analysis.date) if analysis.date else None
    norm = Normaliser(g, anchor)
    timexes: list[Timex] = []
    current_sentence = None
    for f in _select(_candidates(text, g, analysis.tokens or None), order):
        sentence = analysis.sentence_of(f.start)
        if sentence is not current_sentence:
            current_sentence = sentence
            norm.sentence_day = None
        norm.tense = clause_tense(text, f.start, f.end, sentence, g)
        try:
            value = norm.evaluate(f.rule, f.match)
        except Reject:
            continue
        day = _parse_day(value)
        if day is not None:
            norm.last = norm.mentioned = day
            norm.sentence_day = value[:10]
        timexes.append(Timex(f.start, f.end, text[f.start:f.end], f.rule.type, value))
    analysis.timexes = _merge(timexes, text, g)
