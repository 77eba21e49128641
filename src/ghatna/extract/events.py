"""Which words report an event, of which PLOVER type and mode, and who did it to whom, where,
when, how many, whether it happened.

The engine knows no language. The pack's `events/lexicon.tsv` lists triggers (regular expressions
in which {do}, {give} … are verb groups from `events/verbs.tsv`) with their type, mode and role
frame: which postpositions mark the actor and the recipient. Roles are read from the noun phrases
those postpositions close (extract/phrases.py): the agent before ने (or द्वारा in a passive), the
object before को/पर/से, the genitive before a noun trigger. The place is a LOC entity before में;
the date is a time expression of the sentence, else the narrative's current date with lower
confidence; numbers come from the sentence's quantities.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from ..langs import LanguagePack
from ..schema import DocAnalysis, EventMention, Span, nfc
from .patterns import SPACE, WORD_END, WORD_START, alternation, inline, longest_first
from .phrases import agent_before, clause_subject, phrase_before, phrase_words, token_index_at
from .timex import grammar as timex_grammar, sentence_tense

_B, _E = WORD_START, WORD_END

PASSIVE = frozenset({"गया", "गई", "गए", "गयी", "गईं"})
# a form of जाना after these is a compound (ले गई: took away; हो गया: became), not a passive
NOT_PARTICIPLE = frozenset({"ले", "दे", "चल", "चले", "आ", "निकल", "भाग", "लौट", "पहुंच", "बढ़", "उठ",
                            "जा", "रुक", "बैठ", "मर", "हो", "बन", "कर", "बदल", "फैल", "भड़क"})
NEGATION = frozenset({"नहीं", "न", "ना", "नही"})
MODAL = frozenset({"सकता", "सकती", "सकते", "सके", "सकें"})
CONDITION = frozenset({"अगर", "यदि", "बशर्ते"})
CLAUSE_BREAK = frozenset({"कि", "जबकि", "लेकिन", "मगर", "परंतु", "क्योंकि", "जो", "जिसने", "जिन्होंने", ":", ";", "?"})
DEMAND_AFTER = ("की मांग", "की अपील", "की गुहार", "चाहिए", "का आदेश", "का निर्देश")
# words after an event that make the demand itself a REQUEST with no trigger of its own
DEMAND_ONLY = regex.compile(SPACE + r"*(?:चाहिए|होगा)(?![\p{L}\p{M}])", regex.V1)
# which counted things belong to which kind of event (a number in the sentence of another
# kind of event is not this event's)
KINDS_FOR = {
    "ASSAULT": ("dead", "injured"), "PROTEST": ("participants", "dead", "injured", "arrested"),
    "COERCE": ("arrested", "dead", "injured"), "MOBILIZE": ("troops",), "RETREAT": ("troops",),
    "AID": ("money",), "SANCTION": ("arrested",),
}


@dataclass(frozen=True)
class Trigger:
    pattern: regex.Pattern
    type: str
    mode: str | None
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    order: int


@cache
def lexicon(pack: LanguagePack) -> list[Trigger]:
    classes: dict[str, list[str]] = {}
    for row in pack.table("events/verbs.tsv"):
        classes.setdefault(row["class"], []).append(nfc(row["form"]))
    particle = rf"(?:(?:{alternation(classes['particle'])}){SPACE}+)*"
    aux = rf"(?:{SPACE}+{particle}(?:{alternation(classes['aux'])}){_E})*"

    def verb_group(m: regex.Match) -> str:
        cls = m.group(1)
        if cls not in classes:
            raise ValueError(f"unknown verb class {{{cls}}} in events/lexicon.tsv")
        return rf"{particle}(?:{alternation(classes[cls])}){_E}{aux}"

    triggers = []
    for i, row in enumerate(pack.table("events/lexicon.tsv")):
        body = regex.sub(r"\{(\w+)\}", verb_group, inline(nfc(row["trigger"])))
        triggers.append(Trigger(
            # POSIX: leftmost-longest, so `उतर|उतर आए` takes the whole verb group
            regex.compile(f"{_B}(?:{body}){_E}", regex.V1 | regex.POSIX), row["type"],
            None if row["mode"] in ("", "-") else row["mode"],
            tuple(m for m in row["actor"].split("|") if m and m != "-"),
            tuple(m for m in row["recipient"].split("|") if m and m != "-"), i))
    return triggers


@dataclass
class _Found:
    start: int
    end: int
    trigger: Trigger


def _select(text: str, triggers: list[Trigger]) -> list[_Found]:
    found = [_Found(m.start(), m.end(), t) for t in triggers for m in t.pattern.finditer(text)]
    return longest_first(found, lambda f: (f.start, f.end), lambda f: f.trigger.order)


class _Roles:
    """Reads the roles of one trigger in its clause."""

    def __init__(self, analysis: DocAnalysis, pack: LanguagePack, blocked: list[tuple[int, int]]):
        self.a, self.pack, self.blocked = analysis, pack, blocked
        self.words = phrase_words(pack)

    def clause_start(self, index: int, sentence_start: int) -> int:
        tokens = self.a.tokens
        for i in range(index - 1, -1, -1):
            if tokens[i].start < sentence_start:
                break
            if nfc(tokens[i].text) in CLAUSE_BREAK:
                return tokens[i].end
        return sentence_start

    def marked(self, marker: str, index: int, clause: int, floor: int = -1) -> Span | None:
        """The phrase closed by `marker` (one or more words) nearest left of token `index`."""
        tokens = self.a.tokens
        parts = marker.split()
        for i in range(index - len(parts), -1, -1):
            if tokens[i].start < clause or i <= floor:
                break
            if marker == "को" and nfc(tokens[i].text) in self.words.object_pronoun:
                return Span(tokens[i].start, tokens[i].end, tokens[i].text)
            if all(nfc(tokens[i + k].text) == p for k, p in enumerate(parts)):
                return phrase_before(self.a, self.pack, i, clause, self.blocked)
        return None

    def genitive(self, index: int, clause: int) -> Span | None:
        if index >= 1 and nfc(self.a.tokens[index - 1].text) in self.words.genitive:
            return phrase_before(self.a, self.pack, index - 1, clause, self.blocked)
        return None

    def find(self, markers: tuple[str, ...], index: int, clause: int, floor: int = -1,
             role: str = "actor") -> Span | None:
        for m in markers:
            if m == "ने":
                span = agent_before(self.a, self.pack, index, clause, self.blocked)
            elif m == "gen":
                span = self.genitive(index, clause)
            elif m == "subj":
                prev = nfc(self.a.tokens[index - 1].text) if index else ""
                if prev in self.words.object_pronoun:  # उसे: an object, never the actor
                    span = (Span(self.a.tokens[index - 1].start, self.a.tokens[index - 1].end, prev)
                            if role == "recipient"
                            else clause_subject(self.a, self.pack, clause, index - 1, self.blocked))
                else:
                    span = (phrase_before(self.a, self.pack, index, clause, self.blocked)
                            or clause_subject(self.a, self.pack, clause, index, self.blocked))
            elif m in ("का", "की", "के"):
                span = self.genitive(index, clause) if nfc(self.a.tokens[index - 1].text) == m else None
            else:
                span = self.marked(m, index, clause, floor)
            if span is not None:
                return span
        return None


def _verb_tokens(analysis: DocAnalysis, index: int, end: int) -> list[str]:
    """The words of the trigger starting at token `index` and ending at character `end`."""
    out = []
    for t in analysis.tokens[index:]:
        if t.start >= end:
            break
        out.append(nfc(t.text))
    return out


def _counts(analysis: DocAnalysis, sentence, trigger_start: int, kinds: tuple[str, ...],
            roles: tuple[Span | None, ...]) -> dict[str, float]:
    """The event's numbers by kind: a number inside one of its role phrases first (`10 लाख लोगों
    ने हिस्सा लिया`), else the one of that kind nearest the trigger in its sentence."""
    def rank(q) -> int:
        inside = any(r is not None and r.start <= q.start < r.end for r in roles)
        return 0 if inside else 1 + abs(q.start - trigger_start)

    out: dict[str, float] = {}
    for q in sorted((q for q in analysis.quantities if sentence.start <= q.start < sentence.end
                     and q.kind in kinds), key=rank):
        out.setdefault(q.kind, q.value)
    return out


def _with_count(analysis: DocAnalysis, span: Span | None) -> Span | None:
    """`200 से अधिक लोगों`: a phrase right after a number that counts it takes the number in."""
    if span is None:
        return None
    for q in analysis.quantities:
        # only whitespace, or the से of `200 से अधिक`, between the number and the phrase
        if not 0 <= span.start - q.end <= 5:
            continue
        gap = analysis.text[q.end:span.start]
        if gap.strip() in ("", "से") and "\n" not in gap:
            return Span(q.start, span.end, analysis.text[q.start:span.end])
    return span


def _location(analysis: DocAnalysis, sentence, trigger_start: int) -> Span | None:
    text = analysis.text
    best = None
    for e in analysis.entities:
        if e.label != "LOC" or not (sentence.start <= e.start < sentence.end):
            continue
        after = text[e.end:e.end + 12]
        if regex.match(r"\s*(?:में|के पास|स्थित|के बाहर|के अंदर|पहुंच)", after):
            dist = abs(trigger_start - e.start)
            if best is None or dist < best[0]:
                best = (dist, Span(e.start, e.end, e.text))
    return best[1] if best else None


def _day_value(value: str) -> bool:
    return len(value) >= 7 and value[:4].isdigit() and value[4] == "-" and "W" not in value[:8]


def _date(analysis: DocAnalysis, sentence, trigger_start: int, current: str | None) -> tuple[str | None, bool]:
    """The event's date: the nearest dated expression of its sentence (then True), else the
    narrative's current date (then False)."""
    best = None
    for t in analysis.timexes:
        if t.type in ("DATE", "TIME") and sentence.start <= t.start < sentence.end and _day_value(t.value):
            dist = abs(trigger_start - t.start) + (0 if t.start < trigger_start else 5)
            if best is None or dist < best[0]:
                best = (dist, t.value[:10] if "T" in t.value else t.value)
    if best:
        return best[1], True
    return current, False


def extract(analysis: DocAnalysis, pack: LanguagePack) -> None:
    text = analysis.text
    tokens = analysis.tokens
    tg = timex_grammar(pack)
    blocked = [(t.start, t.end) for t in analysis.timexes]
    roles = _Roles(analysis, pack, blocked)
    dated = sorted((t.start, t.value[:10]) for t in analysis.timexes
                   if t.type in ("DATE", "TIME") and len(t.value) >= 10 and t.value[:4].isdigit())
    events: list[EventMention] = []
    for f in _select(text, lexicon(pack)):
        sentence = analysis.sentence_of(f.start)
        index = token_index_at(analysis, f.start)
        if sentence is None or index is None:
            continue
        clause = roles.clause_start(index, sentence.start)
        verb = _verb_tokens(analysis, index, f.end)
        t = f.trigger
        passive = "ने" in t.actor and any(w in PASSIVE and verb[k - 1] not in NOT_PARTICIPLE
                                          for k, w in enumerate(verb) if k > 0)
        if passive:
            actor = roles.find(("द्वारा", "की ओर से"), index, clause)
            recipient = roles.find(("को", *(m for m in t.recipient if m not in ("ने", "subj")), "subj"),
                                   index, clause, role="recipient")
        else:
            recipient = roles.find(t.recipient, index, clause, role="recipient") if "gen" in t.recipient else None
            actor = roles.find(tuple(m for m in t.actor if not (m == "gen" and recipient)), index, clause)
            if recipient is None:
                floor = token_index_at(analysis, actor.start) if actor else -1
                markers = tuple(m for m in t.recipient if m != "gen")
                recipient = roles.find(markers, index, clause, floor if floor is not None else -1,
                                       role="recipient")
                if recipient is None and actor is not None:  # headlines: पर-phrase before the agent
                    recipient = roles.find(tuple(m for m in markers if m == "पर"), index, clause,
                                           role="recipient")
        actor, recipient = _with_count(analysis, actor), _with_count(analysis, recipient)
        if recipient and actor and recipient.start < actor.end and actor.start < recipient.end:
            recipient = None
        # what the verb group says about whether and how it happened
        after = text[f.end:min(sentence.end, f.end + 40)]
        before = nfc(tokens[index - 1].text) if index > 0 else ""
        negated = bool(NEGATION & set(verb)) or before in NEGATION
        group = text[f.start:f.end] + " " + " ".join(after.split()[:2])
        clause_text = text[clause:f.start]
        if any(w in CONDITION for w in clause_text.split()) or MODAL & set(group.split()):
            modality = "hypothetical"
        elif after.lstrip().startswith(DEMAND_AFTER) or regex.search(r"(?:जाए|जाएं|जाये)$", text[f.start:f.end]):
            modality = "demand"
        elif sentence_tense(group, tg) == "future":
            modality = "future"
        else:
            modality = "asserted"
        current = next((v for s, v in reversed(dated) if s < f.start), analysis.date)
        date, from_sentence = _date(analysis, sentence, f.start, current)
        quantities = _counts(analysis, sentence, f.start, KINDS_FOR.get(t.type, ()), (actor, recipient))
        confidence = 0.55 + 0.15 * bool(actor) + 0.1 * bool(recipient) + 0.1 * from_sentence \
            - 0.15 * (len(verb) == 1)
        events.append(EventMention(
            type=t.type, mode=t.mode, trigger=Span(f.start, f.end, text[f.start:f.end]),
            actor=actor, recipient=recipient, location=_location(analysis, sentence, f.start),
            date=date, negated=negated, modality=modality,
            quantities={k: int(v) if float(v).is_integer() else v for k, v in quantities.items()},
            confidence=round(max(0.1, min(0.95, confidence)), 2)))
        demand = DEMAND_ONLY.match(text, f.end) if modality == "demand" and t.type != "REQUEST" else None
        if demand:  # `इस्तीफा देना चाहिए`: a REQUEST that the demanded event happen
            events.append(EventMention(
                type="REQUEST", mode=None, trigger=Span(f.start, demand.end(), text[f.start:demand.end()]),
                actor=None, recipient=actor, location=events[-1].location, date=date,
                modality="asserted", confidence=round(max(0.1, confidence - 0.1), 2)))
    analysis.events = events


