"""The records ghatna passes between its phases, and their JSON.

Every extracted item is a span into the NFC text of one `Document`; the JSON field names and
shapes here are the outside contract (docs/CONTRACT.md) and must not drift.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any


_NUKTA = "\u093c"


def nfc(text: str) -> str:
    """The text in Unicode's NFC. Hindi text nearly always is NFC already, but a nukta (़), which
    can compose with the letter before it (न + ़ = ऩ), makes Python's quick check answer "maybe",
    and the whole article is then normalised the slow way (140 µs for a 2,400-character article,
    against 4 when the check says yes). A space or a newline is a boundary NFC never composes or
    reorders across, so words are normalised independently: when the text less its nuktas passes
    the quick check, only the words with a nukta are normalised."""
    if _NUKTA in text and unicodedata.is_normalized("NFC", text.replace(_NUKTA, "")):
        return _nfc_words_with_nukta(text)
    return unicodedata.normalize("NFC", text)


def _nfc_words_with_nukta(text: str) -> str:
    """`text` with each word (between spaces and newlines) that holds a nukta in NFC."""
    out: list[str] = []
    done, n = 0, len(text)
    i = text.find(_NUKTA)
    while i != -1:
        start = max(text.rfind(" ", done, i), text.rfind("\n", done, i), done - 1) + 1
        space, newline = text.find(" ", i), text.find("\n", i)
        end = min(space if space >= 0 else n, newline if newline >= 0 else n)
        out += (text[done:start], unicodedata.normalize("NFC", text[start:end]))
        done = end
        i = text.find(_NUKTA, end)
    out.append(text[done:])
    return "".join(out)


def content_id(text: str) -> str:
    """A document's id: a hash of its NFC text, so the same article read twice is one document."""
    return _text_hash(nfc(text))


def _text_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:24]


def stable_id(*parts: object) -> str:
    """A short deterministic id from the parts (same inputs, same id, in every process)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:20]


@dataclass
class Document:
    """One article, its text NFC-normalised; `id` is the content hash of that text."""

    text: str
    name: str  # file base name, or the JSONL record id
    source: str  # where it was read from (path, path#item, path:line)
    date: str | None = None  # publication date, YYYY-MM-DD
    lang: str | None = None
    url: str | None = None
    title: str | None = None
    record_id: str | None = None  # the input's own id (JSONL `id`), if any
    id: str = ""

    def __post_init__(self) -> None:
        self.text = self._normalised = nfc(self.text)  # _normalised: not a field, see nfc_text
        if not self.id:
            self.id = _text_hash(self.text)

    def nfc_text(self) -> str:
        """The text, NFC: as made at construction unless `text` was assigned since (normalising
        a whole article again costs a tenth of a millisecond or more)."""
        return self.text if self.text is getattr(self, "_normalised", None) else nfc(self.text)


@dataclass
class Span:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Sentence:
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass
class Token:
    start: int
    end: int
    text: str
    norm: str  # lower-cased, ASCII digits: what lexicons are matched against


class _Flat:
    """A dataclass of plain fields whose JSON is its fields (asdict deep-copies, and analyses of
    every document are written out: it was a tenth of storing them)."""

    def to_json(self) -> dict[str, Any]:
        names = type(self).__dict__.get("_names")
        if names is None:
            names = tuple(f.name for f in fields(self))
            type(self)._names = names
        return {n: getattr(self, n) for n in names}


@dataclass
class Timex(_Flat):
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value


@dataclass
class EntityMention(_Flat):
    start: int
    end: int
    text: str
    label: str  # PER | ORG | LOC
    canonical: str
    kb_id: str | None = None


@dataclass
class Quantity(_Flat):
    start: int
    end: int
    text: str
    value: float | int
    unit: str | None
    kind: str  # dead | injured | arrested | participants | troops | money | other
    approx: str | None = None  # about | at_least | more_than | less_than: how exactly it was stated


@dataclass
class EventMention:
    type: str
    trigger: Span
    mode: str | None = None
    actor: Span | None = None
    recipient: Span | None = None
    location: Span | None = None
    date: str | None = None
    negated: bool = False
    modality: str = "asserted"  # asserted | future | hypothetical | demand
    quantities: dict[str, float | int] = field(default_factory=dict)
    confidence: float = 0.5

    def to_json(self) -> dict[str, Any]:
        span = lambda s: s.to_json() if s is not None else None  # noqa: E731
        return {
            "type": self.type,
            "mode": self.mode,
            "trigger": self.trigger.to_json(),
            "actor": span(self.actor),
            "recipient": span(self.recipient),
            "location": span(self.location),
            "date": self.date,
            "negated": self.negated,
            "modality": self.modality,
            "quantities": dict(self.quantities),
            "confidence": self.confidence,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> EventMention:
        span = lambda s: Span(**s) if s else None  # noqa: E731
        return cls(
            type=d["type"], mode=d.get("mode"), trigger=Span(**d["trigger"]),
            actor=span(d.get("actor")), recipient=span(d.get("recipient")),
            location=span(d.get("location")), date=d.get("date"),
            negated=bool(d.get("negated", False)), modality=d.get("modality", "asserted"),
            quantities=dict(d.get("quantities") or {}), confidence=float(d.get("confidence", 0.5)),
        )


@dataclass
class Claim:
    start: int
    end: int
    text: str
    speaker: Span | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.to_json() if self.speaker else None,
            "start": self.start, "end": self.end, "text": self.text, "date": self.date,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Claim:
        sp = d.get("speaker")
        return cls(start=d["start"], end=d["end"], text=d["text"],
                   speaker=Span(**sp) if sp else None, date=d.get("date"))


@dataclass
class DocAnalysis:
    """What the map phase found in one document: the annotation object of `ghatna tag`."""

    id: str | None
    lang: str
    date: str | None
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)  # internal: not part of the JSON
    timexes: list[Timex] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "date": self.date,
            "text": self.text,
            "sentences": [s.to_json() for s in self.sentences],
            "timexes": [t.to_json() for t in self.timexes],
            "entities": [e.to_json() for e in self.entities],
            "quantities": [q.to_json() for q in self.quantities],
            "events": [e.to_json() for e in self.events],
            "claims": [c.to_json() for c in self.claims],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocAnalysis:
        return cls(
            id=d.get("id"), lang=d["lang"], date=d.get("date"), text=d["text"],
            sentences=[Sentence(**s) for s in d.get("sentences", [])],
            timexes=[Timex(**t) for t in d.get("timexes", [])],
            entities=[EntityMention(**e) for e in d.get("entities", [])],
            quantities=[Quantity(**q) for q in d.get("quantities", [])],
            events=[EventMention.from_json(e) for e in d.get("events", [])],
            claims=[Claim.from_json(c) for c in d.get("claims", [])],
        )

    def sentence_of(self, offset: int) -> Sentence | None:
        """The sentence holding character `offset` (binary search: sentences are in order)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None


# --- records of the reduce phase (what the store, exports and timeline speak) ---

@dataclass
class EntityRef:
    name: str
    entity_id: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "entity_id": self.entity_id}


@dataclass
class Mention:
    """Where an event was reported: the document and the sentence, with the trigger's offsets."""

    doc_id: str
    doc_name: str
    sentence: str
    start: int
    end: int
    date_text: str | None = None

    def to_json(self) -> dict[str, Any]:
        # written out, not asdict(): every merged event's mentions are serialised each time the
        # event changes, and asdict's deep copy was a tenth of resolve time
        return {"doc_id": self.doc_id, "doc_name": self.doc_name, "sentence": self.sentence,
                "start": self.start, "end": self.end, "date_text": self.date_text}


@dataclass
class Flag:
    kind: str  # date_conflict | quantity_conflict | date_outlier | actor_conflict
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail}


def date_precision(date: str | None) -> str:
    if not date:
        return "unknown"
    if date.startswith("XXXX"):
        return "unknown"
    n = len(date)
    return {10: "day", 7: "month", 4: "year"}.get(n, "unknown")


@dataclass
class Event:
    """One real-world event, merged from one or more mentions across documents."""

    id: str
    type: str
    mode: str | None
    date: str | None
    actors: list[EntityRef] = field(default_factory=list)
    recipients: list[EntityRef] = field(default_factory=list)
    location: dict[str, Any] | None = None
    quantities: dict[str, int] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    confidence: float = 0.5
    modality: str = "asserted"  # asserted | future | hypothetical | demand
    negated: bool = False
    story_id: str | None = None  # the story its reports belong to (resolve/stories.py)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "date": self.date,
            "date_precision": date_precision(self.date),
            "actors": [a.to_json() for a in self.actors],
            "recipients": [r.to_json() for r in self.recipients],
            "location": self.location,
            "quantities": dict(self.quantities),
            "mentions": [m.to_json() for m in self.mentions],
            "flags": [f.to_json() for f in self.flags],
            "confidence": self.confidence,
            "modality": self.modality,
            "negated": self.negated,
            "story_id": self.story_id,
        }

    def record(self) -> dict[str, Any]:
        """The event record of the outside contract (events-jsonl, timeline --json): exactly
        its fields; modality, polarity and story are ghatna's own additions, shown by the API."""
        d = self.to_json()
        for k in ("modality", "negated", "story_id"):
            del d[k]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"], type=d["type"], mode=d.get("mode"), date=d.get("date"),
            actors=[EntityRef(**a) for a in d.get("actors", [])],
            recipients=[EntityRef(**r) for r in d.get("recipients", [])],
            location=d.get("location"), quantities=dict(d.get("quantities") or {}),
            mentions=[Mention(**m) for m in d.get("mentions", [])],
            flags=[Flag(**f) for f in d.get("flags", [])],
            confidence=float(d.get("confidence", 0.5)),
            modality=d.get("modality", "asserted"), negated=bool(d.get("negated", False)),
            story_id=d.get("story_id"),
        )
