"""Which stretches of a stored text the dashboard shows highlighted, and as what.

Everything comes from the stored analysis of the document (the map phase's spans), never from
re-reading the text: entities, event triggers, time expressions and numbers for a whole
document; and for one event mention its own trigger, actor, recipient, place, date and numbers
inside its sentence. Spans may overlap (a number inside a date, a name inside an actor), so a
text is also cut into segments, each listing the spans that cover it, for the page to render
without working out overlaps itself.
"""
from __future__ import annotations

from typing import Any

from ..schema import DocAnalysis, EventMention, Span


def _span(kind: str, start: int, end: int, label: str | None = None,
          detail: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "start": start, "end": end, "label": label, "detail": detail}


def document_spans(analysis: DocAnalysis) -> list[dict[str, Any]]:
    """Every highlighted span of a document, in text order: `kind` is entity, trigger, timex or
    quantity; `label` the entity label, event type, timex type or quantity kind; `detail` the
    canonical name, mode, normalised value or number."""
    spans = [_span("entity", e.start, e.end, e.label, e.canonical) for e in analysis.entities]
    spans += [_span("trigger", ev.trigger.start, ev.trigger.end, ev.type, ev.mode)
              for ev in analysis.events]
    spans += [_span("timex", t.start, t.end, t.type, t.value) for t in analysis.timexes]
    spans += [_span("quantity", q.start, q.end, q.kind, _number(q.value)) for q in analysis.quantities]
    return sorted(spans, key=lambda s: (s["start"], -s["end"], s["kind"]))


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def mention_spans(analysis: DocAnalysis, trigger_start: int, trigger_end: int
                  ) -> tuple[dict[str, int] | None, list[dict[str, Any]]]:
    """The sentence (`{"start", "end"}` in the document) of the event mention whose trigger is at
    `trigger_start`..`trigger_end`, and its roles and the sentence's dates and numbers as spans
    relative to that sentence: trigger, actor, recipient, location, timex, quantity."""
    sentence = analysis.sentence_of(trigger_start)
    if sentence is None:
        return None, []
    em = next((e for e in analysis.events
               if e.trigger.start == trigger_start and e.trigger.end == trigger_end), None)
    spans: list[dict[str, Any]] = []

    def inside(start: int, end: int) -> bool:
        return sentence.start <= start and end <= sentence.end

    def add(kind: str, s: Span | None, label: str | None = None, detail: str | None = None) -> None:
        if s is not None and inside(s.start, s.end):
            spans.append(_span(kind, s.start - sentence.start, s.end - sentence.start, label, detail))

    if em is None:  # the analysis no longer has it: show the trigger alone
        add("trigger", Span(trigger_start, trigger_end, ""))
    else:
        _add_roles(add, em)
    for t in analysis.timexes:
        if inside(t.start, t.end):
            add("timex", Span(t.start, t.end, t.text), t.type, t.value)
    for q in analysis.quantities:
        if inside(q.start, q.end):
            add("quantity", Span(q.start, q.end, q.text), q.kind, _number(q.value))
    spans.sort(key=lambda s: (s["start"], -s["end"], s["kind"]))
    return {"start": sentence.start, "end": sentence.end}, spans


def _add_roles(add, em: EventMention) -> None:
    add("trigger", em.trigger, em.type, em.mode)
    add("actor", em.actor)
    add("recipient", em.recipient)
    add("location", em.location)


def segments(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`text` cut at every span boundary: `[{"text", "marks": [indexes into spans]}]`, in order,
    the segments' texts joined giving `text` back."""
    n = len(text)
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for i, s in enumerate(spans):
        a, b = max(0, min(s["start"], n)), max(0, min(s["end"], n))
        if a < b:
            opens.setdefault(a, []).append(i)
            closes.setdefault(b, []).append(i)
    bounds = sorted({0, n, *opens, *closes})
    active: set[int] = set()
    out = []
    for a, b in zip(bounds, bounds[1:]):
        active.difference_update(closes.get(a, ()))
        active.update(opens.get(a, ()))
        out.append({"text": text[a:b], "marks": sorted(active)})
    return out
