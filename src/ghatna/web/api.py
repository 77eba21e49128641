"""The JSON API under /api/: one endpoint behind every view of the dashboard.

Read-only: each request reads through a read-only store connection that no other thread uses
(readers.py: SQLite `mode=ro` opened per request, PostgreSQL kept per worker thread), so a run
may write meanwhile. Every
parameter is checked against a pattern and a length or range before it reaches the store, which
binds it as a query parameter.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query

from ..schema import Event
from ..store import EmptyQuery, EventFilter, Page, Store
from .highlight import document_spans, mention_spans, segments
from .readers import Readers

MAX_PAGE = 500
MAX_OFFSET = 1_000_000
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ID = r"^[\w.:-]{1,128}$"  # entity, event, story and document ids: letters, digits, - _ . :
TYPE = r"^[A-Z_]{1,40}$"  # a PLOVER type
LABEL = r"^(PER|ORG|LOC)$"

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
NOT_FOUND = {404: {"description": "No such record in this store."}}
T = TypeVar("T")
BAD_QUERY = {422: {"description": "A parameter is out of its range or pattern."}}


def event_filter(
    start: Annotated[str | None, Query(pattern=DATE, description="From this date (YYYY[-MM[-DD]]), inclusive.")] = None,
    end: Annotated[str | None, Query(pattern=DATE, description="Up to this date, inclusive.")] = None,
    type: Annotated[str | None, Query(pattern=TYPE, description="PLOVER event type.")] = None,
    entity: Annotated[str | None, Query(min_length=1, max_length=200, description="Entity id, name or spelling (actor, recipient or place).")] = None,
    place: Annotated[str | None, Query(pattern=ID, description="Entity id of the event's location.")] = None,
    story: Annotated[str | None, Query(pattern=ID, description="Story id.")] = None,
    text: Annotated[str | None, Query(min_length=1, max_length=200, description="Words a source sentence contains (word* for a prefix).")] = None,
    flagged: Annotated[bool, Query(description="Only events with a conflict or outlier flag.")] = False,
) -> EventFilter:
    """The event filters, as query parameters of every endpoint that lists events."""
    return EventFilter(start=start, end=end, type=type, entity=entity, place=place, story=story,
                       text=text, flagged=flagged)


Filter = Annotated[EventFilter, Depends(event_filter)]


def found(record: T | None, what: str, key: str) -> T:
    if record is None:
        raise HTTPException(404, f"no {what} {key}")
    return record


def paged(name: str, page: Page, limit: int, offset: int, items: list | None = None) -> dict[str, Any]:
    """A page of a list: the items under `name`, with the length of the whole list."""
    return {"total": page.total, "limit": limit, "offset": offset,
            name: page.items if items is None else items}


def router(readers: Readers) -> APIRouter:
    api = APIRouter(prefix="/api", responses=BAD_QUERY)

    @contextmanager
    def store() -> Iterator[Store]:
        with readers.store() as s:
            try:
                yield s
            except EmptyQuery as e:  # a search with no words in it
                raise HTTPException(422, str(e)) from e

    @api.get("/events", summary="Merged events, filtered, in timeline order")
    def events(where: Filter, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        with store() as s:
            page = s.query_events(where, limit, offset)
        return paged("events", page, limit, offset, [e.to_json() for e in page.items])

    @api.get("/places", summary="Where the filtered events happened, with counts")
    def places(where: Filter, limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> dict[str, Any]:
        with store() as s:
            return {"places": s.query_places(where, limit)}

    @api.get("/events/{event_id}", responses=NOT_FOUND,
             summary="One event with every mention: its sentence and highlighted roles")
    def event(event_id: Annotated[str, _path_id()]) -> dict[str, Any]:
        with store() as s:
            ev = found(s.event(event_id), "event", event_id)
            return {**ev.to_json(), "sources": _sources(s, ev)}

    @api.get("/entities", summary="Canonical entities, most mentioned first")
    def entities(q: Text = None,
                 label: Annotated[str | None, Query(pattern=LABEL)] = None,
                 limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        with store() as s:
            page = s.query_entities(q, label, limit, offset)
        return paged("entities", page, limit, offset)

    @api.get("/entities/{entity_id}", responses=NOT_FOUND,
             summary="One entity with all its spellings, its events and its claims")
    def entity(entity_id: Annotated[str, _path_id()], limit: Limit = 100,
               offset: Offset = 0) -> dict[str, Any]:
        with store() as s:
            record = found(s.entity(entity_id), "entity", entity_id)
            events = s.query_events(EventFilter(entity=entity_id), limit, offset)
            claims = s.query_claims(entity_id, None, MAX_PAGE)
        return {**record, "events_total": events.total,
                "events": [e.to_json() for e in events.items], "claims": claims.items}

    @api.get("/claims", summary="Attributed statements, in document order")
    def claims(speaker: Annotated[str | None, Query(pattern=ID, description="Speaker's entity id.")] = None,
               doc: Annotated[str | None, Query(pattern=ID, description="Document id.")] = None,
               limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        with store() as s:
            page = s.query_claims(speaker, doc, limit, offset)
        return paged("claims", page, limit, offset)

    @api.get("/documents/{doc_id}", responses=NOT_FOUND,
             summary="A document's text with its entities, triggers, dates and numbers highlighted")
    def document(doc_id: Annotated[str, _path_id()]) -> dict[str, Any]:
        with store() as s:
            doc = found(s.document(doc_id), "document", doc_id)
            spans = document_spans(s.analysis(doc_id))
        return {**doc, "spans": spans, "segments": segments(doc["text"], spans)}

    @api.get("/search", summary="Full-text search over sentences (whole Devanagari words)")
    def search(q: Annotated[str, Query(min_length=1, max_length=200, description="Words; word* is a prefix.")],
               limit: Limit = 50) -> dict[str, Any]:
        with store() as s:
            hits = s.search(q, limit=limit)
        return {"query": q, "hits": [h.to_json() for h in hits]}

    @api.get("/stats", summary="Counts, event types and the date range")
    def stats() -> dict[str, Any]:
        with store() as s:
            return {**s.stats(), **s.event_facets()}

    @api.get("/stories", summary="Stories: documents and events grouped by what they report")
    def stories() -> dict[str, Any]:
        with store() as s:
            return {"stories": s.stories()}

    return api


def _path_id():
    from fastapi import Path

    return Path(pattern=ID)


def _sources(store: Store, ev: Event) -> list[dict[str, Any]]:
    """Each mention of `ev` with its document's name and date and its sentence's highlights."""
    analyses: dict[str, Any] = {}
    out = []
    for m in ev.mentions:
        if m.doc_id not in analyses:
            try:
                analyses[m.doc_id] = (store.document(m.doc_id), store.analysis(m.doc_id))
            except KeyError:
                analyses[m.doc_id] = (None, None)
        doc, analysis = analyses[m.doc_id]
        sentence, spans = mention_spans(analysis, m.start, m.end) if analysis else (None, [])
        text = doc["text"][sentence["start"]:sentence["end"]] if sentence else m.sentence
        out.append({**m.to_json(), "doc_date": doc["date"] if doc else None,
                    "doc_title": doc["title"] if doc else None,
                    "sentence_start": sentence["start"] if sentence else None,
                    "spans": spans, "segments": segments(text, spans)})
    return out
