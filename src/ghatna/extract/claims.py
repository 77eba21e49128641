"""Who said what, and when: attributed statements (reported speech) in a document.

The pack's `claims/speech.tsv` lists the cues, each with a frame that says where the speaker and
the claim are:

    agent    X ने कहा कि …, X ने बताया, "…", उन्होंने दावा किया कि …   speaker = the agent (phrases.py)
    passive  बयान में कहा गया कि …                                    no speaker
    holder   X का कहना है कि …, X को डर है कि …                         speaker = the phrase before का/को
    source   X के मुताबिक …, X के अनुसार, "…", X के हवाले से बताया कि … speaker = X

The claim is what follows कि, or the quotation after the verb (which may run over several
sentences), or for a source the rest of its clause; it stops where the next attribution in the
sentence begins (`…हिस्सा लिया, जबकि पुलिस ने कहा कि …`). A verb marked `bare` also attributes
without कि (`उन्होंने इसे 'सबसे खूनी दिन' बताया`): the claim is then what lies between speaker and
verb, and a quotation just before the speaker (`"…," उन्होंने कहा`) is the claim of any verb.

A pronoun speaker (`उन्होंने`, `उनके अनुसार`) is replaced by the nearest named speaker or person
(PER entity) before it in the previous three sentences, else kept. The date is the statement's: a day-valued DATE/TIME timex
of the sentence outside the claim itself (`कैरी लैम ने सोमवार को साफ कर दिया कि …`), else the
publication date, else null; a date inside the claim dates what is reported, not the saying.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

from ..langs import LanguagePack
from ..schema import Claim, DocAnalysis, Sentence, Span, nfc
from ..text import first_token_at, tokenize
from .phrases import agent_before, phrase_before, phrase_words

OPEN_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
QUOTE_BEFORE_SPEAKER = {'"', "”", "»"}
MAX_QUOTE = 1500  # characters a quotation may run
PRONOUN_LOOKBACK = 3  # sentences
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TRIM = " \t\n,;:-–—।.!?"
_CLAUSE_END = frozenset({",", ";", "।", ".", "!", "?"})


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]
    frame: str
    bare: bool


@dataclass(frozen=True)
class ClaimWords:
    cues: tuple[Cue, ...]  # longest first
    classes: dict[str, frozenset[str]]
    by_first: dict[str, tuple[Cue, ...]]  # cues by their first word, longest first
    source_by_second: dict[str, tuple[Cue, ...]]  # source cues by their second word (उनके अनुसार)

    @cached_property
    def starters(self) -> frozenset[str]:
        """The words a cue can start at: a cue's first word, or a genitive pronoun (`उनके अनुसार`)."""
        return frozenset(self.by_first) | self.classes.get("genitive_pronoun", frozenset())


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(nfc(phrase)))


@cache
def claim_words(pack: LanguagePack) -> ClaimWords:
    cues = [Cue(_words(r["cue"]), r["frame"], r["bare"] == "yes") for r in pack.table("claims/speech.tsv")]
    cues.sort(key=lambda c: -len(c.words))
    classes: dict[str, set[str]] = {}
    for r in pack.table("claims/words.tsv"):
        classes.setdefault(r["class"], set()).add(nfc(r["word"]).casefold())
    by_first: dict[str, list[Cue]] = {}
    by_second: dict[str, list[Cue]] = {}
    for c in cues:
        by_first.setdefault(c.words[0], []).append(c)
        if c.frame == "source" and len(c.words) > 1:
            by_second.setdefault(c.words[1], []).append(c)
    return ClaimWords(tuple(cues), {k: frozenset(v) for k, v in classes.items()},
                      {k: tuple(v) for k, v in by_first.items()}, {k: tuple(v) for k, v in by_second.items()})


@dataclass
class _Found:
    cue_first: int  # token index of the cue's first word
    cue_last: int
    attribution_start: int  # character offset where the attribution (speaker or cue) begins
    speaker: Span | None
    start: int  # claim content
    end: int
    bounded: bool  # content runs to the clause end (may be cut at the next attribution)


def extract(analysis: DocAnalysis, pack: LanguagePack) -> None:
    cw = claim_words(pack)
    words = [t.norm for t in analysis.tokens]
    blocked = [(t.start, t.end) for t in analysis.timexes]
    claims: list[Claim] = []
    recent: list[tuple[int, Span]] = []  # (sentence index, named speaker)
    for si, sent in enumerate(analysis.sentences):
        found = _sentence_claims(analysis, pack, cw, words, sent, blocked)
        for f in found:
            speaker = f.speaker
            if speaker is not None and _is_pronoun(speaker.text, pack, cw):
                floor = analysis.sentences[max(0, si - PRONOUN_LOOKBACK)].start
                named = [sp for i, sp in recent if si - i <= PRONOUN_LOOKBACK]
                named += [Span(e.start, e.end, e.text) for e in analysis.entities
                          if e.label == "PER" and floor <= e.start < speaker.start]
                named = [sp for sp in named if sp.start < speaker.start]
                if named:
                    speaker = max(named, key=lambda sp: sp.start)
            elif speaker is not None:
                recent.append((si, speaker))
            if f.end <= f.start:
                continue
            text = analysis.text[f.start:f.end]
            claims.append(Claim(f.start, f.end, text, speaker, _statement_date(analysis, sent, f)))
    claims.sort(key=lambda c: (c.start, c.end))
    analysis.claims = claims


def _is_pronoun(text: str, pack: LanguagePack, cw: ClaimWords) -> bool:
    word = nfc(text).casefold()
    return word in phrase_words(pack).agent_pronoun or word in cw.classes.get("genitive_pronoun", ())


def _tok_range(analysis: DocAnalysis, sent: Sentence) -> tuple[int, int]:
    return first_token_at(analysis.tokens, sent.start), first_token_at(analysis.tokens, sent.end)


def _match_cue(words: list[str], i: int, hi: int, cw: ClaimWords) -> Cue | None:
    if i >= hi:
        return None
    candidates = cw.by_first.get(words[i], ())
    # उनके अनुसार: the pronoun takes the place of `X के`
    if i + 1 < hi and words[i] in cw.classes.get("genitive_pronoun", ()):
        candidates = sorted((*candidates, *cw.source_by_second.get(words[i + 1], ())),
                            key=lambda c: -len(c.words))
    for cue in candidates:
        n = len(cue.words)
        if i + n > hi:
            continue
        if tuple(words[i:i + n]) == cue.words or (
                cue.frame == "source" and cue.words[0] != words[i] and tuple(words[i + 1:i + n]) == cue.words[1:]):
            return cue
    return None


def _trim_speaker(analysis: DocAnalysis, span: Span | None, cw: ClaimWords) -> Span | None:
    if span is None:
        return None
    lead = cw.classes.get("lead_in", frozenset())
    toks = [t for t in tokenize(analysis.text, span.start, span.end)]
    while len(toks) > 1 and toks[0].norm in lead:
        toks.pop(0)
    s, e = toks[0].start, toks[-1].end
    return Span(s, e, analysis.text[s:e])


def _quote_after(text: str, pos: int) -> tuple[int, int] | None:
    """A quotation opening at `pos` (after spaces, a comma or a colon): its inside (start, end)."""
    i = pos
    while i < len(text) and text[i] in " \t,:–-":
        i += 1
    if i >= len(text) or text[i] not in OPEN_QUOTES:
        return None
    close = OPEN_QUOTES[text[i]]
    j = text.find(close, i + 1, i + 1 + MAX_QUOTE)
    nl = text.find("\n", i + 1, j if j >= 0 else i + 1 + MAX_QUOTE)
    if j < 0 or nl >= 0:
        return None
    return i + 1, j


def _quote_before(text: str, pos: int, floor: int) -> tuple[int, int] | None:
    """A quotation closing right before `pos` (`"…," उन्होंने कहा`): its inside."""
    i = pos
    while i > floor and text[i - 1] in " \t,–-":
        i -= 1
    if i <= floor or text[i - 1] not in QUOTE_BEFORE_SPEAKER:
        return None
    close = text[i - 1]
    opener = {"”": "“", "»": "«"}.get(close, '"')
    j = text.rfind(opener, max(0, i - 1 - MAX_QUOTE), i - 1)
    if j < 0 or "\n" in text[j:i]:
        return None
    return j + 1, i - 1


def _sentence_claims(analysis: DocAnalysis, pack: LanguagePack, cw: ClaimWords, words: list[str],
                     sent: Sentence, blocked: list[tuple[int, int]]) -> list[_Found]:
    text = analysis.text
    lo, hi = _tok_range(analysis, sent)
    aux = cw.classes.get("aux", frozenset())
    passive_aux = cw.classes.get("passive_aux", frozenset())
    found: list[_Found] = []
    starters = cw.starters
    i = lo
    while i < hi:
        cue = _match_cue(words, i, hi, cw) if words[i] in starters else None
        if cue is None:
            i += 1
            continue
        last = i + len(cue.words) - 1
        k = last + 1
        while k < hi and words[k] in aux:
            k += 1
        frame = cue.frame
        if frame == "agent" and k < hi and words[k] in passive_aux:
            frame = "passive"
        f = _read_frame(analysis, pack, cw, words, sent, blocked, frame, cue, i, last, k, lo, hi)
        if f is not None:
            found.append(f)
        i = last + 1
    _merge_sources(found)
    # a claim stops where the next attribution of its sentence begins
    starts = sorted(f.attribution_start for f in found)
    for f in found:
        if f.bounded:
            nxt = [s for s in starts if f.start < s < f.end]
            if nxt:
                f.end = nxt[0]
        while f.start < f.end and text[f.start] in " \t\n,:":
            f.start += 1
        while f.end > f.start and text[f.end - 1] in _TRIM:
            f.end -= 1
        # drop a conjunction left dangling before the next attribution (…, जबकि)
        tail = tokenize(text, f.start, f.end)
        while tail and tail[-1].norm in cw.classes.get("clause_joint", ()):
            f.end = tail[-1].start
            tail.pop()
            while f.end > f.start and text[f.end - 1] in _TRIM:
                f.end -= 1
    return found


def _merge_sources(found: list[_Found]) -> None:
    """`X के हवाले से बताया कि …`: the source is the speaker of the verb's claim."""
    for a in list(found):
        if a.speaker is None or a not in found:
            continue
        for b in found:
            if b is not a and b.cue_first == a.cue_last + 1 and a.start == -1:
                b.speaker = a.speaker
                b.attribution_start = min(b.attribution_start, a.attribution_start)
                found.remove(a)
                break


def _read_frame(analysis, pack, cw, words, sent, blocked, frame, cue, i, last, k, lo, hi) -> _Found | None:
    tokens, text = analysis.tokens, analysis.text
    after_cue = tokens[k - 1].end if k > lo else tokens[last].end
    content: tuple[int, int] | None = None
    bounded = False
    if k < hi and words[k] in cw.classes.get("complementizer", ()):
        start = tokens[k + 1].start if k + 1 < hi else sent.end
        content, bounded = (start, sent.end), True
    else:
        q = _quote_after(text, after_cue)
        if q is not None:
            content = q

    if frame == "passive":
        if content is None:
            return None
        return _Found(i, last, tokens[i].start, None, *content, bounded)

    if frame == "holder":
        speaker = _trim_speaker(analysis, phrase_before(analysis, pack, i, sent.start, blocked), cw)
        if content is None:
            return None
        return _Found(i, last, speaker.start if speaker else tokens[i].start, speaker, *content, bounded)

    if frame == "source":
        speaker = _source_speaker(analysis, pack, cw, i, sent, blocked)
        if speaker is None:
            return None
        if k < hi and _match_cue(words, k, hi, cw) is not None and _match_cue(words, k, hi, cw).frame == "agent":
            # X के हवाले से बताया कि: the verb's claim takes X as its speaker (see _merge_sources)
            return _Found(i, last, speaker.start, speaker, -1, -1, False)
        if content is None:
            start = tokens[last + 1].start if last + 1 < hi else sent.end
            q = _quote_after(text, tokens[last].end)
            content, bounded = (q, False) if q else ((start, sent.end), True)
        return _Found(i, last, speaker.start, speaker, *content, bounded)

    # agent
    speaker = _trim_speaker(analysis, agent_before(analysis, pack, i, sent.start, blocked), cw)
    if content is None:
        if speaker is None:
            return None
        q = _quote_before(text, speaker.start, max(0, sent.start - MAX_QUOTE))
        if q is not None and _between_is_empty(analysis, speaker, i):
            content = q
        elif cue.bare and _ends_clause(words, k, hi, cw):
            s = _agent_marker_end(analysis, speaker, phrase_words(pack).agent_marker)
            e = tokens[i].start
            if e <= s:
                return None
            content = (s, e)
        else:
            return None
    return _Found(i, last, speaker.start if speaker else tokens[i].start, speaker, *content, bounded)


def _between_is_empty(analysis: DocAnalysis, speaker: Span, cue_index: int) -> bool:
    """Nothing but ने (and time words) between the speaker and the verb: `"…," टोकायव ने कहा`."""
    between = [t for t in analysis.tokens if speaker.end <= t.start < analysis.tokens[cue_index].start]
    return len(between) <= 3


def _agent_marker_end(analysis: DocAnalysis, speaker: Span, markers: frozenset[str]) -> int:
    for t in analysis.tokens:
        if t.start >= speaker.end:
            return t.end if t.text in markers else speaker.end
    return speaker.end


def _ends_clause(words: list[str], k: int, hi: int, cw: ClaimWords) -> bool:
    return k >= hi or words[k] in _CLAUSE_END or words[k] in cw.classes.get("clause_joint", ())


def _source_speaker(analysis: DocAnalysis, pack: LanguagePack, cw: ClaimWords, i: int, sent: Sentence,
                    blocked: list[tuple[int, int]]) -> Span | None:
    """The X of `X के मुताबिक`: the phrase before के, or a genitive pronoun (`उनके अनुसार`)."""
    tokens = analysis.tokens
    first = tokens[i]
    word = first.norm
    if word in cw.classes.get("genitive_pronoun", ()):
        return Span(first.start, first.end, first.text)
    if i > 0 and tokens[i - 1].start >= sent.start and \
            tokens[i - 1].norm in cw.classes.get("genitive_pronoun", ()) and word not in phrase_words(pack).genitive:
        t = tokens[i - 1]
        return Span(t.start, t.end, t.text)
    span = _trim_speaker(analysis, phrase_before(analysis, pack, i, sent.start, blocked), cw)
    if span is None:
        return None
    last_word = tokenize(span.text)[-1].norm
    if last_word in cw.classes.get("not_source", ()):
        return None
    return span


def _statement_date(analysis: DocAnalysis, sent: Sentence, f: _Found) -> str | None:
    cue_at = analysis.tokens[f.cue_first].start
    best = None
    for t in analysis.timexes:
        if t.start < sent.start or t.end > sent.end or t.type not in ("DATE", "TIME"):
            continue
        if f.start <= t.start < f.end or not _DAY.match(t.value):
            continue
        d = abs(t.start - cue_at)
        if best is None or d < best[0]:
            best = (d, t.value[:10])
    if best:
        return best[1]
    return analysis.date
