"""People, organisations and places in one document, with the name each is shown under.

The pack's trained CRF (extract/ner_model.py) tags all sentences of the document at once and
proposes PER/ORG/LOC spans; per sentence, the pack's name lists (extract/known_names.py) add the
places and organisations they know and fix the label of those they recognise; Latin-script names
inside Hindi text are taken too (camel case `NetBlocks` as an organisation); titles (`राष्ट्रपति`,
`कर्नल-जनरल`) are cut off a name and announce a person where the model hesitated; the police,
the army and their like are organisations (`entities/generic_orgs.tsv`). A second pass finds
every name again wherever the document repeats it and the model missed it.

Then the mentions of the document are grouped: spellings with the same transliteration key or
a close one (resolve/names.py), a surname alone with the full name it belongs to, acronyms with
their expansions, known organisations with their other spellings. Each group's `canonical` is its
most complete form as written; places carry a GeoNames `kb_id`, chosen among same-named places
by the countries the document talks about (resolve/geo.py).
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import regex

from ..langs import LanguagePack
from ..resolve.geo import choose_place, geocoder
from ..resolve.names import is_part_of, name_key, same_name
from ..schema import DocAnalysis, EntityMention, Token
from .known_names import MAX_INITIAL, KnownName, fold, hyphen_joined, known_names
from .ner_model import Tagged, ner_model, spans_of

_LATIN_NAME = regex.compile(r"^\p{Lu}[\p{Latin}\p{M}'’.]*$")
_LATIN_ACRONYM = regex.compile(r"^\p{Lu}{2,}$")
_LATIN_CAMEL = regex.compile(r"^\p{Lu}\p{Ll}+\p{Lu}")  # NetBlocks, LegCo: a brand or body, not a person
_NAME_CHAR = regex.compile(r"[\p{L}\p{M}]")

_ACRONYM_SKIP = {"for", "of", "and", "the", "end", "fr", "af", "te", "d"}
# a person's name after a title is taken when the model gives it at least this probability
TITLE_CUE_MIN_P = 0.005
MAX_NAME_AFTER_TITLE = 4
# an unknown spelling is looked up in the gazetteer by key when the model's own features of the
# token (its state scores, without the neighbours' labels) give it a place's odds
FUZZY_PLACE_MIN_P = 0.02
# a place the gazetteer knows is taken where the model's own features of its first token give it
# at least these odds of starting a place
KNOWN_PLACE_MIN_P = 0.2


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    label: str
    known: KnownName | None = None
    key: str = ""


@dataclass
class _Group:
    label: str
    members: list[_Mention] = field(default_factory=list)
    known_group: str | None = None

    @property
    def best(self) -> _Mention:
        # most words, then Devanagari over Latin (the document's script), then longest, first seen
        return max(self.members, key=lambda m: (len(m.key.split()), not m.text.isascii(),
                                                len(m.text), -m.start))


@cache
def _org_heads(pack: LanguagePack) -> frozenset[str]:
    return frozenset(fold(r["word"]) for r in pack.table("entities/org_heads.tsv"))


@cache
def _boundaries(pack: LanguagePack) -> frozenset[str]:
    return frozenset(fold(r["word"]) for r in pack.table("entities/name_boundaries.tsv"))


def _sentence_tokens(analysis: DocAnalysis) -> list[list[Token]]:
    starts = [t.start for t in analysis.tokens]
    out = []
    for s in analysis.sentences:
        lo, hi = bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end)
        out.append(hyphen_joined(analysis.tokens[lo:hi], analysis.text))
    return out


def _is_word(tok: str) -> bool:
    return bool(_NAME_CHAR.match(tok))


def _sentence_mentions(tokens: list[Token], folded: list[str], text: str, pack: LanguagePack,
                       tagged: Tagged | None, sentence: int) -> list[_Mention]:
    names = known_names(pack)
    words = [t.text for t in tokens]
    tags = tagged.tags[sentence] if tagged is not None else ["O"] * len(words)
    spans: dict[tuple[int, int], str] = {(a, b): lab for a, b, lab in spans_of(tags)}
    known_at: dict[tuple[int, int], KnownName] = {}
    boundaries, org_heads, first_words = _boundaries(pack), _org_heads(pack), names.first_words
    # the model's own odds of a place starting at each token (None: no model)
    place_odds = tagged.local_odds(sentence, "B-LOC") if tagged is not None else None
    # the tokens where one of the cases below may apply: a known name or title begins, a place
    # the model half-believes in, a word not in Devanagari (which has no capitals); the loop
    # goes from one to the next, as every other token would only be stepped over
    looks = [k for k, w in enumerate(words)
             if folded[k] in first_words or not "\u0900" <= w[0] <= "\u097f"
             or (place_odds is not None and len(w) >= 4 and place_odds[k] >= FUZZY_PLACE_MIN_P)]

    i = 0
    while (nxt := bisect.bisect_left(looks, i)) < len(looks):
        i = looks[nxt]
        # titles: never part of the name; a hesitant model is trusted after one
        if folded[i] in first_words:
            t, m = names.title_at(folded, i), names.match(folded, i)
        else:
            t, m = 0, None
        if t and not (m and m[0] - i > t):
            j = i + t
            kind = names.title_kind(folded, i, t)
            for (a, b), lab in list(spans.items()):  # a span starting with the title loses it
                if i <= a < j:
                    del spans[(a, b)]
                    if b > j:
                        spans[(j, b)] = lab
            end = j
            while (kind == "person" and end < len(words) and end - j < MAX_NAME_AFTER_TITLE
                   and _is_word(words[end]) and folded[end] not in boundaries
                   and folded[end] not in org_heads and names.title_at(folded, end) == 0
                   and names.match(folded, end) is None and not any(a <= end < b for a, b in spans)):
                end += 1
            if end > j and tagged is not None:
                p = tagged.marginal(sentence, "B-PER", j)
                if p >= TITLE_CUE_MIN_P:
                    after = next(((a, b) for a, b in spans if a == end and spans[(a, b)] == "PER"), None)
                    if after is not None:  # `एंटनी` + model's `ब्लिंकन`: one name
                        del spans[after]
                        end = after[1]
                    spans[(j, end)] = "PER"
            i = j
            continue
        if m:
            end, entry = m
            overlapping = [(a, b) for a, b in spans if a < end and b > i]
            # a known name replaces what it covers; a longer model span that holds it stays
            if all(i <= a and b <= end for a, b in overlapping):
                for k in overlapping:
                    del spans[k]
                if entry.label in ("LOC", "ORG"):
                    if entry.label == "ORG":
                        strong = True
                    elif tagged is not None:  # `सूरत`, `बारी`: also words; the model weighs the context
                        strong = place_odds[i] >= KNOWN_PLACE_MIN_P
                    else:
                        strong = any(p.precision != "city" or p.population >= 100_000 for p in entry.places)
                    if strong or overlapping:
                        spans[(i, end)] = entry.label
                        known_at[(i, end)] = entry
            i = end
            continue
        # a spelling the gazetteer lacks letter for letter (`अलमाटी`), when the model half-agrees
        if (place_odds is not None and len(words[i]) >= 4 and place_odds[i] >= FUZZY_PLACE_MIN_P
                and not any(a <= i < b for a, b in spans)):
            options = [p for p in geocoder(names).candidates(words[i])
                       if p.precision != "city" or p.population >= 100_000]
            if options:
                spans[(i, i + 1)] = "LOC"
                known_at[(i, i + 1)] = KnownName("LOC", options[0].latin, tuple(options))
                i += 1
                continue
        # Latin-script names inside Hindi text (Devanagari has no capitals: not tried there)
        if not "\u0900" <= words[i][0] <= "\u097f" and _LATIN_NAME.match(words[i]) and not any(a <= i < b for a, b in spans):
            end = i + 1
            while end < len(words) and _LATIN_NAME.match(words[end]):
                end += 1
            label = ("ORG" if all(_LATIN_ACRONYM.match(w) for w in words[i:end])
                     or (end == i + 1 and _LATIN_CAMEL.match(words[i])) else "PER")
            spans[(i, end)] = label
            i = end
            continue
        i += 1

    # the police, the army, the government: an organisation where no longer name holds them
    after = 0  # the end of the last one taken
    for i in [k for k, f in enumerate(folded) if f in names.generic_first]:
        g = names.generic_org(folded, i) if i >= after else None
        if g is not None and not any(a < g[0] and i < b for a, b in spans):
            place = next(((a, b) for (a, b), lab in spans.items() if b == i and lab == "LOC"), None)
            if place is not None:  # `हॉन्गकॉन्ग सरकार`: the government of a place is one body
                del spans[place]
                known_at.pop(place, None)
                spans[(place[0], g[0])] = "ORG"
            elif g[1].group:
                spans[(i, g[0])] = "ORG"
                known_at[(i, g[0])] = g[1]
            after = g[0]

    out = []
    for (a, b), label in sorted(spans.items()):
        cut = next((k for k in range(a + 1, b) if words[k] in "()[]{},;:\"|"), None)
        if cut is not None:  # a name does not run across brackets or commas
            b = cut
        while b > a and not _is_word(words[b - 1]):
            b -= 1
        while a < b and not _is_word(words[a]):
            a += 1
        if a >= b:
            continue
        if b - a == 1 and folded[a] in org_heads and (a, b) not in known_at:
            continue  # `कार्यालय` alone is a common noun, not a name
        if label != "ORG" and (a, b) not in known_at and folded[b - 1] in org_heads:
            label = "ORG"  # `ऊर्जा मंत्रालय`: the head noun says what it is
        start, end = tokens[a].start, tokens[b - 1].end
        out.append(_Mention(start, end, text[start:end], label, known_at.get((a, b))))
    return out


def _acronym_of(short: _Mention, full: _Mention) -> bool:
    letters = short.text.casefold()
    if not (short.text.isascii() and short.text.isupper() and 2 <= len(letters) <= 8):
        return False
    words = [w for w in full.key.split() if w not in _ACRONYM_SKIP]
    return len(words) == len(letters) and all(w[0] == c for w, c in zip(words, letters))


def _joins(m: _Mention, g: _Group) -> bool:
    if m.label != g.label:
        return False
    if m.known is not None and g.known_group is not None:
        return m.known.group == g.known_group
    best = g.best
    if any(same_name(m.key, o.key) for o in g.members):
        return True
    if m.label == "PER" and is_part_of(m.key, best.key):
        return True
    return m.label == "ORG" and _acronym_of(m, best)


def group_mentions(mentions: list[_Mention]) -> list[_Group]:
    """Mentions of one document grouped into entities (most complete forms first)."""
    groups: list[_Group] = []
    order = sorted(mentions, key=lambda m: (-len(m.key.split()), -len(m.text), m.start))
    for m in order:
        target = None
        for g in groups:
            if _joins(m, g):
                target = g
                break
        if target is None:
            target = _Group(m.label, known_group=m.known.group if m.known else None)
            groups.append(target)
        target.members.append(m)
        if target.known_group is None and m.known is not None:
            target.known_group = m.known.group
    return groups


def _repeated_name_words(analysis: DocAnalysis, mentions: list[_Mention]) -> list[_Mention]:
    """A word of a person's multi-word name seen again alone later in the document (`टोकायव`
    after `कसीम-ज़ोमार्ट टोकायव`) is that person, even where the model missed it."""
    words = {}
    for m in mentions:
        parts = m.text.split()
        if m.label == "PER" and len(parts) > 1:
            for w in parts[1:]:
                if len(w) >= 3:
                    words.setdefault(fold(w), m.start)
    if not words:
        return []
    covered = sorted((m.start, m.end) for m in mentions)
    starts = [c[0] for c in covered]
    out = []
    for t in analysis.tokens:
        first = words.get(fold(t.text))
        if first is None or t.start <= first:
            continue
        k = bisect.bisect_right(starts, t.start) - 1
        if k >= 0 and covered[k][0] <= t.start < covered[k][1]:
            continue
        out.append(_Mention(t.start, t.end, t.text, "PER"))
    return out


def _repeated_names(sentences: list[list[Token]], folded_sentences: list[list[str]], text: str,
                    mentions: list[_Mention]) -> list[_Mention]:
    """A name found once is that name wherever the document writes it again letter for letter,
    even where the model missed it there (a second pass over the document's own findings)."""
    labels: dict[tuple[str, ...], str] = {}
    for m in mentions:
        toks = tuple(fold(w) for w in m.text.split())
        if toks and len(m.text) >= 3:
            labels.setdefault(toks, m.label)
    if not labels:
        return []
    first = {k[0] for k in labels}
    longest = max(len(k) for k in labels)
    covered = sorted((m.start, m.end) for m in mentions)
    starts = [c[0] for c in covered]

    def free(start: int, end: int) -> bool:
        k = bisect.bisect_left(starts, end) - 1
        return k < 0 or covered[k][1] <= start

    out = []
    for tokens, folded in zip(sentences, folded_sentences):
        i = 0
        while i < len(tokens):
            if folded[i] in first:
                for n in range(min(longest, len(tokens) - i), 0, -1):
                    label = labels.get(tuple(folded[i:i + n]))
                    if label is not None and free(tokens[i].start, tokens[i + n - 1].end):
                        start, end = tokens[i].start, tokens[i + n - 1].end
                        out.append(_Mention(start, end, text[start:end], label))
                        i += n - 1
                        break
            i += 1
    return out


def extract(analysis: DocAnalysis, pack: LanguagePack) -> None:
    text = analysis.text
    mentions: list[_Mention] = []
    sentences = [tokens for tokens in _sentence_tokens(analysis) if tokens]
    model = ner_model(pack)
    words = [[t.text for t in s] for s in sentences]
    folded = [[fold(w) for w in ws] for ws in words]
    tagged = model.tag_sentences(words, folded) if model is not None else None
    for k, tokens in enumerate(sentences):
        mentions.extend(_sentence_mentions(tokens, folded[k], text, pack, tagged, k))
    if not mentions:
        return
    mentions.extend(_repeated_names(sentences, folded, text, mentions))
    mentions.extend(_repeated_name_words(analysis, mentions))
    for m in mentions:
        # `के. तोकायेव`: a person's initials say nothing the surname's group does not
        words = m.text.split()
        named = [w for w in words if not (w.endswith(".") and len(w) <= MAX_INITIAL + 1)] if m.label == "PER" else words
        m.key = name_key(" ".join(named or words))
    mentions = [m for m in mentions if m.key]
    groups = group_mentions(mentions)

    # Places: the countries the document names settle which same-named place is meant.
    names = known_names(pack)
    geo = geocoder(names)
    countries: Counter[str] = Counter()
    place_options: dict[int, list] = {}
    for gi, g in enumerate(groups):
        if g.label != "LOC":
            continue
        known = next((m.known for m in g.members if m.known is not None), None)
        options = list(known.places) if known else geo.candidates(g.best.text)
        place_options[gi] = options
        for p in options:
            if p.precision == "country":
                countries[p.country_code] += len(g.members)
    by_mention: dict[int, tuple[str, str | None]] = {}
    for gi, g in enumerate(groups):
        place = choose_place(place_options.get(gi, []), countries)
        kb_id = place.kb_id if place else None
        canonical = g.best.text
        for m in g.members:
            by_mention[id(m)] = (canonical, kb_id)
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        canonical, kb_id = by_mention[id(m)]
        analysis.entities.append(EntityMention(m.start, m.end, m.text, m.label, canonical, kb_id))
