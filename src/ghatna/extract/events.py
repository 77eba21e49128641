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
from .patterns import SPACE, WORD_END, WORD_START, alternation, inline, longest_first, word_starts
from ..text import first_token_at
from .phrases import agent_before, clause_subject, phrase_before, phrase_words, token_index_at
from .timex import grammar as timex_grammar, sentence_tense

_B, _E = WORD_START, WORD_END

# which counted things belong to which kind of event (a number in the sentence of another
# kind of event is not this event's)
KINDS_FOR = {
    "ASSAULT": ("dead", "injured"), "PROTEST": ("participants", "dead", "injured", "arrested"),
    "COERCE": ("arrested", "dead", "injured"), "MOBILIZE": ("troops",), "RETREAT": ("troops",),
    "AID": ("money",), "SANCTION": ("arrested",),
}


@dataclass(frozen=True)
class EventWords:
    """The pack's events/words.tsv, by class (see the table's header for what each does)."""
    passive: frozenset[str]
    not_participle: frozenset[str]
    negation: frozenset[str]
    modal: frozenset[str]
    condition: frozenset[str]
    clause_break: frozenset[str]
    clause_coordinate: frozenset[str]
    demand_after: tuple[str, ...]
    demand_only: regex.Pattern
    demand_ending: frozenset[str]
    demand_subject: tuple[str, ...]
    count_joint: frozenset[str]
    location_after: regex.Pattern
    passive_agent: tuple[str, ...]
    passive_object: tuple[str, ...]
    headline_recipient: frozenset[str]


@cache
def event_words(pack: LanguagePack) -> EventWords:
    by: dict[str, list[str]] = {}
    for row in pack.table("events/words.tsv"):
        by.setdefault(row["class"], []).append(nfc(row["word"]))

    def after(cls: str, end: str = _E) -> regex.Pattern:  # one of the words, after whitespace
        return regex.compile(rf"\s*(?:{alternation(by.get(cls, ()))}){end}", regex.V1)

    words = {f: frozenset(by.get(f, ())) for f in EventWords.__dataclass_fields__}
    words.update(demand_after=tuple(by.get("demand_after", ())), demand_only=after("demand_only"),
                 demand_subject=tuple(by.get("demand_subject", ())),
                 location_after=after("location_after", ""),  # पहुंच: पहुंचकर, पहुंचे
                 passive_agent=tuple(by.get("passive_agent", ())),
                 passive_object=tuple(by.get("passive_object", ())))
    return EventWords(**words)


@dataclass(frozen=True)
class Trigger:
    pattern: regex.Pattern
    type: str
    mode: str | None
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    order: int


@dataclass
class Lexicon:
    """The triggers, and where each may start: the words its matches begin with (see
    patterns.word_starts), so a text is scanned once for those words, not once per trigger."""
    triggers: list[Trigger]
    by_char: dict[str, list[tuple[str, Trigger]]]  # first letter -> (start word, trigger)
    anywhere: list[Trigger]  # triggers whose start cannot be said: scanned whole
    seen: dict[str, tuple[Trigger, ...]]  # token text -> the triggers that may start there

    def starting(self, word: str) -> tuple[Trigger, ...]:
        found = self.seen.get(word)
        if found is None:
            found = tuple(dict.fromkeys(t for start, t in self.by_char.get(word[:1], ())
                                        if word.startswith(start)))
            if len(self.seen) > 100_000:
                self.seen.clear()
            self.seen[word] = found
        return found


@cache
def lexicon(pack: LanguagePack) -> Lexicon:
    triggers, starts = _triggers(pack)
    by_char: dict[str, list[tuple[str, Trigger]]] = {}
    anywhere = []
    for t, words in zip(triggers, starts):
        if words is None:
            anywhere.append(t)
        for w in words or ():
            by_char.setdefault(w[0], []).append((w, t))
    return Lexicon(triggers, by_char, anywhere, {})


def _triggers(pack: LanguagePack) -> tuple[list[Trigger], list[frozenset[str] | None]]:
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

    triggers, starts = [], []
    for i, row in enumerate(pack.table("events/lexicon.tsv")):
        body = regex.sub(r"\{(\w+)\}", verb_group, inline(nfc(row["trigger"])))
        starts.append(word_starts(regex.sub(r"\{\w+\}", r"\\d", nfc(row["trigger"]))))
        triggers.append(Trigger(
            # POSIX: leftmost-longest, so `उतर|उतर आए` takes the whole verb group
            regex.compile(f"{_B}(?:{body}){_E}", regex.V1 | regex.POSIX), row["type"],
            None if row["mode"] in ("", "-") else row["mode"],
            tuple(m for m in row["actor"].split("|") if m and m != "-"),
            tuple(m for m in row["recipient"].split("|") if m and m != "-"), i))
    return triggers, starts


@dataclass
class _Found:
    start: int
    end: int
    trigger: Trigger


def _select(text: str, tokens, lex: Lexicon) -> list[_Found]:
    found = [_Found(m.start(), m.end(), t) for t in lex.anywhere for m in t.pattern.finditer(text)]
    seen = lex.seen  # `lex.starting`, its cache read here first: it is asked of every token
    for tok in tokens:
        ts = seen.get(tok.text)
        for t in ts if ts is not None else lex.starting(tok.text):
            m = t.pattern.match(text, tok.start)
            if m is not None:
                found.append(_Found(m.start(), m.end(), t))
    return longest_first(found, lambda f: (f.start, f.end), lambda f: f.trigger.order)


class _Roles:
    """Reads the roles of one trigger in its clause."""

    def __init__(self, analysis: DocAnalysis, pack: LanguagePack, blocked: list[tuple[int, int]]):
        self.a, self.pack, self.blocked = analysis, pack, blocked
        self.words = phrase_words(pack)
        self.ew = event_words(pack)

    def clause_start(self, index: int, sentence_start: int) -> tuple[int, bool]:
        """Where the clause of token `index` begins, and whether it begins after a coordinating
        break (so that it may share the agent of the clause before)."""
        tokens = self.a.tokens
        for i in range(index - 1, -1, -1):
            if tokens[i].start < sentence_start:
                break
            if tokens[i].text in self.ew.clause_break:
                return tokens[i].end, False
            if tokens[i].text in self.ew.clause_coordinate:
                return tokens[i].end, True
        return sentence_start, False

    def shared_agent(self, index: int, sentence_start: int) -> Span | None:
        """The agent of the clauses before a coordinating break (`अदालत ने उसे बरी किया, लेकिन
        … दोषी करार दिया`), read across coordinating breaks only."""
        tokens = self.a.tokens
        i = index
        while True:
            clause, coordinate = self.clause_start(i, sentence_start)
            if not coordinate:
                return None
            k = first_token_at(tokens, clause) - 1  # the break word
            start, _ = self.clause_start(k, sentence_start)
            span = agent_before(self.a, self.pack, k, start, self.blocked)
            if span is not None:
                return span
            i = k

    def marked(self, marker: str, index: int, clause: int, floor: int = -1) -> Span | None:
        """The phrase closed by `marker` (one or more words) nearest left of token `index`."""
        tokens = self.a.tokens
        parts = marker.split()
        objects = marker in self.words.object_marker
        fused = len(parts) > 1 and parts[0] in self.words.genitive
        for i in range(index - len(parts), -1, -1):
            if tokens[i].start < clause or i <= floor:
                break
            if objects and tokens[i].text in self.words.object_pronoun:
                return Span(tokens[i].start, tokens[i].end, tokens[i].text)
            if all(tokens[i + k].text == p for k, p in enumerate(parts)):
                return phrase_before(self.a, self.pack, i, clause, self.blocked)
            if fused and tokens[i].text in self.words.genitive_pronoun \
                    and all(tokens[i + k].text == p for k, p in enumerate(parts[1:], 1)):
                return Span(tokens[i].start, tokens[i].end, tokens[i].text)  # उनके साथ
        return None

    def genitive(self, index: int, clause: int) -> Span | None:
        if index >= 1 and self.a.tokens[index - 1].text in self.words.genitive:
            return phrase_before(self.a, self.pack, index - 1, clause, self.blocked)
        return None

    def find(self, markers: tuple[str, ...], index: int, clause: int, floor: int = -1,
             role: str = "actor") -> Span | None:
        for m in markers:
            if m in self.words.agent_marker:
                span = agent_before(self.a, self.pack, index, clause, self.blocked, (m,))
            elif m == "gen":
                span = self.genitive(index, clause)
            elif m == "subj":
                prev = self.a.tokens[index - 1].text if index else ""
                if prev in self.words.object_pronoun:  # उसे: an object, never the actor
                    span = (Span(self.a.tokens[index - 1].start, self.a.tokens[index - 1].end, prev)
                            if role == "recipient"
                            else clause_subject(self.a, self.pack, clause, index - 1, self.blocked))
                else:
                    span = (phrase_before(self.a, self.pack, index, clause, self.blocked)
                            or clause_subject(self.a, self.pack, clause, index, self.blocked))
            elif m in self.words.genitive:
                span = self.genitive(index, clause) if self.a.tokens[index - 1].text == m else None
            else:
                span = self.marked(m, index, clause, floor)
            if span is not None:
                return span
        return None


def is_passive(verb: list[str], ew: EventWords) -> bool:
    """A form of जाना after a participle (`गिरफ्तार किया गया`), not after a stem that makes a
    compound with it (`ले गई`, `हो गया`)."""
    return any(w in ew.passive and verb[k - 1] not in ew.not_participle for k, w in enumerate(verb) if k > 0)


def _verb_tokens(analysis: DocAnalysis, index: int, end: int) -> list[str]:
    """The words of the trigger starting at token `index` and ending at character `end`."""
    out = []
    for t in analysis.tokens[index:]:
        if t.start >= end:
            break
        out.append(t.text)
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


def _with_count(analysis: DocAnalysis, span: Span | None, joints: frozenset[str]) -> Span | None:
    """`200 से अधिक लोगों`: a phrase right after a number that counts it takes the number in."""
    if span is None:
        return None
    for q in analysis.quantities:
        # only whitespace, or a joint word (the से of `200 से अधिक`), between number and phrase
        if not 0 <= span.start - q.end <= 5:
            continue
        gap = analysis.text[q.end:span.start]
        if (gap.strip() == "" or gap.strip() in joints) and "\n" not in gap:
            return Span(q.start, span.end, analysis.text[q.start:span.end])
    return span


def _location(analysis: DocAnalysis, sentence, trigger_start: int, place_after: regex.Pattern) -> Span | None:
    best = None
    for e in analysis.entities:
        if e.label != "LOC" or not (sentence.start <= e.start < sentence.end):
            continue
        if place_after.match(analysis.text, e.end):
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


def _duration_of(analysis: DocAnalysis, genitive: frozenset[str]) -> list[tuple[int, int]]:
    """Durations that are part of a noun phrase (`23 साल के लड़के`: one followed by a genitive)."""
    out = []
    for t in analysis.timexes:
        if t.type == "DURATION":
            i = first_token_at(analysis.tokens, t.end)
            if i < len(analysis.tokens) and analysis.tokens[i].text in genitive:
                out.append((t.start, t.end))
    return out


def extract(analysis: DocAnalysis, pack: LanguagePack) -> None:
    text = analysis.text
    tokens = analysis.tokens
    tg = timex_grammar(pack)
    ew = event_words(pack)
    found = _select(text, tokens, lexicon(pack))
    # a role phrase stops at a time expression (unless it describes the phrase: `23 साल के
    # लड़के`) and at another event's verb group (`छापा मारकर X को गिरफ्तार किया`); a one-word
    # trigger may be a role (`हिंसा की निंदा की`)
    inside = set(_duration_of(analysis, phrase_words(pack).genitive))
    timex_spans = [(t.start, t.end) for t in analysis.timexes if (t.start, t.end) not in inside]
    verbal = [f for f in found if any(c.isspace() for c in text[f.start:f.end])]
    dated = sorted((t.start, t.value[:10]) for t in analysis.timexes
                   if t.type in ("DATE", "TIME") and len(t.value) >= 10 and t.value[:4].isdigit())
    events: list[EventMention] = []
    for f in found:
        sentence = analysis.sentence_of(f.start)
        index = token_index_at(analysis, f.start)
        if sentence is None or index is None:
            continue
        roles = _Roles(analysis, pack, timex_spans + [(o.start, o.end) for o in verbal if o is not f])
        clause, _ = roles.clause_start(index, sentence.start)
        verb = _verb_tokens(analysis, index, f.end)
        t = f.trigger
        agentive = any(m in roles.words.agent_marker for m in t.actor)
        passive = agentive and is_passive(verb, ew)
        if passive:
            actor = roles.find(ew.passive_agent, index, clause)
            recipient = roles.find((*ew.passive_object,
                                    *(m for m in t.recipient if m != "subj" and m not in roles.words.agent_marker),
                                    "subj"), index, clause, role="recipient")
        else:
            recipient = roles.find(t.recipient, index, clause, role="recipient") if "gen" in t.recipient else None
            actor = roles.find(tuple(m for m in t.actor if not (m == "gen" and recipient)), index, clause)
            if recipient is None:
                floor = token_index_at(analysis, actor.start) if actor else -1
                markers = tuple(m for m in t.recipient if m != "gen")
                recipient = roles.find(markers, index, clause, floor if floor is not None else -1,
                                       role="recipient")
                if recipient is None and actor is not None:  # headlines: पर-phrase before the agent
                    recipient = roles.find(tuple(m for m in markers if m in ew.headline_recipient),
                                           index, clause, role="recipient")
            if actor is None and agentive and len(verb) > 1:  # a verb, not a bare noun
                actor = roles.shared_agent(index, sentence.start)
        # what the verb group says about whether and how it happened
        after = text[f.end:min(sentence.end, f.end + 40)]
        before = tokens[index - 1].text if index > 0 else ""
        negated = bool(ew.negation & set(verb)) or before in ew.negation
        group = text[f.start:f.end] + " " + " ".join(after.split()[:2])
        clause_words = text[clause:f.start].split()
        if any(w in ew.condition for w in clause_words) or ew.modal & set(group.split()):
            modality = "hypothetical"
        elif after.lstrip().startswith(ew.demand_after) or (verb and verb[-1] in ew.demand_ending):
            modality = "demand"
        elif sentence_tense(group, tg) == "future":
            modality = "future"
        else:
            modality = "asserted"
        demand = ew.demand_only.match(text, f.end) if modality == "demand" and t.type != "REQUEST" else None
        if demand and actor is None:  # `वीसी को इस्तीफा देना चाहिए`: the one who should act
            actor = roles.find(ew.demand_subject, index, clause)
        actor, recipient = _with_count(analysis, actor, ew.count_joint), _with_count(analysis, recipient, ew.count_joint)
        if recipient and actor and recipient.start < actor.end and actor.start < recipient.end:
            recipient = None
        current = next((v for s, v in reversed(dated) if s < f.start), analysis.date)
        date, from_sentence = _date(analysis, sentence, f.start, current)
        quantities = _counts(analysis, sentence, f.start, KINDS_FOR.get(t.type, ()), (actor, recipient))
        confidence = 0.55 + 0.15 * bool(actor) + 0.1 * bool(recipient) + 0.1 * from_sentence \
            - 0.15 * (len(verb) == 1)
        events.append(EventMention(
            type=t.type, mode=t.mode, trigger=Span(f.start, f.end, text[f.start:f.end]),
            actor=actor, recipient=recipient,
            location=_location(analysis, sentence, f.start, ew.location_after),
            date=date, negated=negated, modality=modality,
            quantities={k: int(v) if float(v).is_integer() else v for k, v in quantities.items()},
            confidence=round(max(0.1, min(0.95, confidence)), 2)))
        if demand:  # `इस्तीफा देना चाहिए`: a REQUEST that the demanded event happen
            events.append(EventMention(
                type="REQUEST", mode=None, trigger=Span(f.start, demand.end(), text[f.start:demand.end()]),
                actor=None, recipient=actor, location=events[-1].location, date=date,
                modality="asserted", confidence=round(max(0.1, confidence - 0.1), 2)))
    analysis.events = events
