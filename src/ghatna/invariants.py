"""What every analysis must satisfy, whatever the input: the checks the fuzz tests and
`bench/fuzz.py` run after `analyse()`.

Sentences are ordered, non-overlapping spans inside the text; every extracted span (time
expression, entity, quantity, event trigger and roles, claim and speaker) lies inside the text,
carries exactly the characters it points at, and lies inside one sentence.
"""
from __future__ import annotations

from collections.abc import Iterator

from .schema import DocAnalysis

__all__ = ["analysis_problems", "spans_of"]


def spans_of(analysis: DocAnalysis) -> Iterator[tuple[str, int, int, str]]:
    """(what, start, end, text) for every span the extractors reported."""
    for t in analysis.timexes:
        yield "timex", t.start, t.end, t.text
    for e in analysis.entities:
        yield "entity", e.start, e.end, e.text
    for q in analysis.quantities:
        yield "quantity", q.start, q.end, q.text
    for ev in analysis.events:
        for role in ("trigger", "actor", "recipient", "location"):
            span = getattr(ev, role)
            if span is not None:
                yield f"event {role}", span.start, span.end, span.text
    for c in analysis.claims:
        yield "claim", c.start, c.end, c.text
        if c.speaker is not None:
            yield "claim speaker", c.speaker.start, c.speaker.end, c.speaker.text


def analysis_problems(analysis: DocAnalysis) -> list[str]:
    """Every broken invariant of one analysis, described; an empty list when all hold."""
    text, n = analysis.text, len(analysis.text)
    problems: list[str] = []
    previous_end = 0
    for s in analysis.sentences:
        if not (previous_end <= s.start < s.end <= n):
            problems.append(f"sentence {s.start}-{s.end} out of order or outside the text")
        previous_end = max(previous_end, s.end)
    for what, start, end, span_text in spans_of(analysis):
        if not (0 <= start <= end <= n):
            problems.append(f"{what} {start}-{end} outside the text (length {n})")
            continue
        if text[start:end] != span_text:
            problems.append(f"{what} {start}-{end} says {span_text!r}, text has {text[start:end]!r}")
        sentence = analysis.sentence_of(start)
        if sentence is None or end > sentence.end:
            problems.append(f"{what} {start}-{end} {span_text!r} is not inside one sentence")
    return problems
