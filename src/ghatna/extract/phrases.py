"""Which words form the noun phrase that a postposition marks: the agent before ने, the object
before को, the place before में, the speaker before ने कहा or के मुताबिक.

Hindi marks roles with postpositions after the noun phrase, so a phrase is read leftwards from
its postposition until a word that cannot belong to it (a verb, a conjunction, another
postposition, punctuation, a time expression). का/के/की join a genitive chain into one phrase
(`6 गांवों के किसान`, `गृह मंत्रालय के प्रवक्ता`); और joins coordinated phrases, and once it has,
commas join the rest of the list (`कमल, बृजेश, रवींद्र और बंटी`). A determiner opens the phrase
(`इन लोगों`). Parenthesised asides (`कमल गोयल (40)`), hyphenated words (`उत्तर-पूर्व`) and
abbreviation dots (`डॉ. कंवरसैन`, `एम. एस. गिल`) stay inside. Pronouns with a case marker fused in
(`उन्होंने`, `उसे`) are their own phrase. The word classes are in the pack's `phrases/words.tsv`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..langs import LanguagePack
from ..schema import DocAnalysis, Span, Token, nfc
from ..text import first_token_at

MAX_WORDS = 12


@dataclass(frozen=True)
class PhraseWords:
    stop: frozenset[str]
    genitive: frozenset[str]
    coordinator: frozenset[str]
    agent_pronoun: frozenset[str]
    object_pronoun: frozenset[str]
    determiner: frozenset[str]
    agent_marker: frozenset[str]  # ने: the postposition after an agent
    object_marker: frozenset[str]  # को: the postposition an object pronoun has fused in
    postposition: frozenset[str]  # every case marker: a phrase carrying one is no bare subject
    genitive_pronoun: frozenset[str]  # उनके: the phrase of `के साथ` fused into one word


@cache
def phrase_words(pack: LanguagePack) -> PhraseWords:
    by_class: dict[str, set[str]] = {}
    for row in pack.table("phrases/words.tsv"):
        by_class.setdefault(row["class"], set()).add(nfc(row["word"]))
    return PhraseWords(*(frozenset(by_class.get(c, ())) for c in
                         ("stop", "genitive", "coordinator", "agent_pronoun", "object_pronoun",
                          "determiner", "agent_marker", "object_marker", "postposition",
                          "genitive_pronoun")))


def _is_word(tok: Token) -> bool:
    return tok.text[0].isalnum() or tok.text[0] in "\u0900\u0901\u0902\u0903" or tok.norm[0].isalpha()


def phrase_before(analysis: DocAnalysis, pack: LanguagePack, index: int,
                  sentence_start: int = 0, blocked: list[tuple[int, int]] | None = None) -> Span | None:
    """The noun phrase ending right before token `index` (the postposition), or None.

    `sentence_start` is a character offset the phrase may not cross; `blocked` are character
    ranges (e.g. time expressions) that end the phrase."""
    words = phrase_words(pack)
    tokens = analysis.tokens
    blocked = blocked or []
    first = last = None
    listing = False  # a coordinator was passed: commas now join list items
    i = index - 1
    n = 0
    while i >= 0 and n < MAX_WORDS:
        tok = tokens[i]
        if tok.start < sentence_start or any(s <= tok.start < e for s, e in blocked):
            break
        word = tok.text
        if not _is_word(tok):
            if last is None:
                break
            if word == ")":  # an aside in brackets: (40)
                j = i - 1
                while j >= 0 and tokens[j].text != "(" and i - j < 6:
                    j -= 1
                if j < 0 or tokens[j].text != "(" or tokens[j].start < sentence_start:
                    break
                i = j - 1
                continue
            prev = tokens[i - 1].text if i > 0 else ""
            if word == "," and listing and i > 0 and _is_word(tokens[i - 1]) and prev not in words.stop:
                i -= 1
                continue
            if word == "-" and i > 0 and _is_word(tokens[i - 1]) and tokens[i - 1].end == tok.start:
                i -= 1  # उत्तर-पूर्व
                continue
            if word == "." and i > 0 and (prev.casefold() in pack.abbreviations):
                first = i - 1  # डॉ. / एम. एस.
                i -= 2
                n += 1
                continue
            break
        if word in words.genitive or word in words.coordinator:
            # joins only if there is a phrase on both sides
            if last is None or i == 0 or not _is_word(tokens[i - 1]) or tokens[i - 1].text in words.stop:
                break
            listing = listing or word in words.coordinator
        elif word in words.determiner:
            first = i  # opens the phrase (इन लोगों), or is the whole phrase (वे)
            if last is None:
                last = i
            break
        elif word in words.stop or word in words.agent_pronoun or word in words.object_pronoun:
            break  # a pronoun with its case fused in is a whole phrase of its own
        first = i
        if last is None:
            last = i
        n += 1
        i -= 1
    if first is None or last is None:
        return None
    while first <= last and tokens[first].text in words.genitive | words.coordinator:
        first += 1
    if first > last:
        return None
    start, end = tokens[first].start, tokens[last].end
    return Span(start, end, analysis.text[start:end])


def token_index_at(analysis: DocAnalysis, offset: int) -> int | None:
    """The index of the token starting at character `offset` (binary search)."""
    tokens = analysis.tokens
    i = first_token_at(tokens, offset)
    return i if i < len(tokens) and tokens[i].start == offset else None


def agent_before(analysis: DocAnalysis, pack: LanguagePack, index: int,
                 sentence_start: int = 0, blocked: list[tuple[int, int]] | None = None,
                 markers: tuple[str, ...] | frozenset[str] | None = None) -> Span | None:
    """The nearest agent left of token `index` in its sentence: the phrase before an agent marker
    (`ने`, or `markers`), or a pronoun with the marker fused into it (`उन्होंने`)."""
    words = phrase_words(pack)
    markers = words.agent_marker if markers is None else markers
    tokens = analysis.tokens
    for i in range(index - 1, -1, -1):
        tok = tokens[i]
        if tok.start < sentence_start:
            break
        word = tok.text
        if word in words.agent_pronoun:
            return Span(tok.start, tok.end, tok.text)
        if word in markers:
            return phrase_before(analysis, pack, i, sentence_start, blocked)
    return None


def clause_subject(analysis: DocAnalysis, pack: LanguagePack, clause_start: int, index: int,
                   blocked: list[tuple[int, int]] | None = None) -> Span | None:
    """The unmarked phrase that opens a clause (its subject in the usual Hindi order), read from
    `clause_start` up to token `index`: `पुलिस उसे … थाने ले गई` -> पुलिस. Opening time expressions
    (`शुक्रवार को`) are skipped. None if the first phrase carries a postposition."""
    words = phrase_words(pack)
    tokens = analysis.tokens
    blocked = blocked or []
    i = token_index_at(analysis, clause_start)
    if i is None:
        i = next((k for k, t in enumerate(tokens) if t.start >= clause_start), len(tokens))
    while i < index:  # skip punctuation, time expressions and their को
        t = tokens[i]
        if not _is_word(t) or any(s <= t.start < e for s, e in blocked) or \
                (i > 0 and any(s <= tokens[i - 1].start < e for s, e in blocked) and t.text in words.object_marker):
            i += 1
            continue
        break
    j = i
    while j < index:
        word = tokens[j].text
        if not _is_word(tokens[j]) or word in words.stop or word in words.object_pronoun \
                or word in words.agent_pronoun or any(s <= tokens[j].start < e for s, e in blocked):
            break
        j += 1
    if j == i or (j < len(tokens) and tokens[j].text in words.postposition):
        return None
    return phrase_before(analysis, pack, j, clause_start, blocked)
