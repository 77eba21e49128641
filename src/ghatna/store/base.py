"""The one storage interface: what the pipeline, the CLI and (later) the API may ask of a store.

SQLite is the embedded default; a PostgreSQL store implements the same methods. Writes come in
whole batches, each one transaction, so a run killed at any moment leaves either all of a batch
or none of it, and a re-run continues where it stopped.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..schema import DocAnalysis, Document, Event


class StoreError(RuntimeError):
    """The store cannot be opened or used (no store there, server unreachable, extra missing)."""


@dataclass
class StoredDocument:
    """One analysed document as a batch write carries it: what the store keeps of its analysis
    (the JSON, and the sentences it indexes for search), not the analysis itself (the map phase
    writes the JSON where it analysed the document: engine.MapResult)."""

    document: Document
    lang: str
    sentences: list[tuple[int, int]]  # (start, end) of each sentence
    analysis_json: str  # rows.analysis_json
    signature: list[int] = field(default_factory=list)  # MinHash, for near-duplicate checks
    bands: list[str] = field(default_factory=list)  # LSH band keys of the signature
    near_duplicate_of: str | None = None
    near_duplicate_score: float | None = None

    @classmethod
    def of(cls, document: Document, analysis: DocAnalysis, signature: list[int] | None = None,
           bands: list[str] | None = None) -> StoredDocument:
        from .rows import analysis_json

        return cls(document, analysis.lang, [(s.start, s.end) for s in analysis.sentences],
                   analysis_json(analysis), signature or [], bands or [])


@dataclass
class EntityObservation:
    """A surface form of a canonical entity seen once in a document (the reduce phase's input)."""

    entity_id: str
    name: str
    label: str
    variant: str
    kb_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    key: str = ""  # the name's transliteration key (resolve/names.py)
    blocks: list[str] = field(default_factory=list)  # lookup keys under which it is found again


@dataclass
class Resolution:
    """What resolving a set of documents adds to the store, written in one transaction that also
    marks those documents resolved."""

    doc_ids: list[str]
    entities: list[EntityObservation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # new or changed merged events, replaced whole
    claims: list[dict[str, Any]] = field(default_factory=list)
    # (mention id, (doc seq, position), event id, doc id, mention record JSON)
    event_mentions: list[tuple[str, tuple[int, int], str, str, dict[str, Any]]] = field(default_factory=list)
    event_keys: list[tuple[str, str]] = field(default_factory=list)  # (blocking key, event id), new ones
    # (event id, evidence JSON, tallies JSON) of the new or changed events: what the merge step
    # scores a new report against, and what the event's fields are chosen from
    event_summaries: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    new_stories: dict[str, int] = field(default_factory=dict)  # story id -> sequence of its first document
    story_merges: dict[str, str] = field(default_factory=dict)  # absorbed story id -> surviving id
    doc_stories: dict[str, str] = field(default_factory=dict)  # document id -> story id
    story_people: list[tuple[str, str]] = field(default_factory=list)  # (person entity id, document id)


@dataclass
class SearchHit:
    doc_id: str
    doc_name: str
    sentence: str
    start: int
    end: int
    highlighted: str  # the sentence with matches wrapped in [ ]

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "doc_name": self.doc_name, "sentence": self.sentence,
                "start": self.start, "end": self.end, "highlighted": self.highlighted}


@dataclass(frozen=True)
class EventFilter:
    """Which merged events a dashboard view asks for; every field None/False means all.

    `start`/`end` are dates of the form YYYY, YYYY-MM or YYYY-MM-DD, both inclusive (an `end` of
    `2022-01` keeps every date in January); a date filter keeps only events with a known year.
    `entity` is an entity id or any name or spelling of one (as actor, recipient or place);
    `place` is the id of the event's location entity; `text` is a search query (store/query.py)
    that one of the event's source sentences must match."""

    start: str | None = None
    end: str | None = None
    type: str | None = None
    entity: str | None = None
    place: str | None = None
    story: str | None = None
    text: str | None = None
    flagged: bool = False


@dataclass
class Page:
    """One page of a longer ordered result: `total` is the length of the whole result."""

    total: int
    items: list[Any]


class Store(ABC):
    """A ghatna store. Implementations: `SQLiteStore` (default), a PostgreSQL store (extra)."""

    # -- documents ---------------------------------------------------------------------------
    @abstractmethod
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        """The ids among `ids` that are already stored."""

    @abstractmethod
    def near_duplicates(self, items: list[tuple[list[str], list[int]]],
                        threshold: float) -> list[tuple[str, float] | None]:
        """For each (bands, signature) of a batch's documents, all read at once: the stored
        document sharing an LSH band with it and at least `threshold` estimated Jaccard
        similarity, with that similarity; None where there is none."""

    @abstractmethod
    def add_documents(self, batch: list[StoredDocument]) -> int:
        """Store documents with their sentences and analyses in one transaction; documents
        already present are ignored. Returns how many were new."""

    @abstractmethod
    def document(self, doc_id: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def documents(self) -> list[dict[str, Any]]:
        """Every stored document's metadata (no text), in the order they were added."""

    @abstractmethod
    def analysis(self, doc_id: str) -> DocAnalysis: ...

    @abstractmethod
    def unresolved_documents(self) -> list[dict[str, Any]]:
        """Stored documents whose mentions are not yet folded into entities and events, in store
        order: each one's id, seq, name and date."""

    # -- the reduce phase ----------------------------------------------------------------------
    @abstractmethod
    def save_resolution(self, resolution: Resolution) -> None: ...

    @abstractmethod
    def event_candidates(self, keys: list[str]) -> dict[str, dict[str, dict[str, Any] | None]]:
        """The events filed under each blocking key (at most the latest `limit` per key, oldest
        first), each with the evidence of its stored summary (None where none is stored):
        {key: {event id: evidence JSON}}."""

    @abstractmethod
    def event_tallies(self, event_id: str) -> dict[str, Any]:
        """The tallies of an event's stored summary (JSON)."""

    @abstractmethod
    def event_mentions_of(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The stored mention records of each event, in store order: {event id: [mention JSON]}."""

    @abstractmethod
    def document_stories(self, doc_ids: list[str]) -> dict[str, tuple[str, int]]:
        """The story of each stored document with the sequence of the story's first document."""

    @abstractmethod
    def stories_naming(self, person_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        """The stories (id, first-document sequence) whose documents name each person."""

    @abstractmethod
    def entity_candidates(self, block: str) -> list[tuple[str, str]]:
        """(entity id, name key) of the stored entities filed under a blocking key
        ("LOC:k:almati", "PER:s:tkyv", ...; see resolve/entities.py)."""

    # -- reading -------------------------------------------------------------------------------
    @abstractmethod
    def events(self) -> Iterator[Event]:
        """Merged events in timeline order: by date, undated last, then by id."""

    @abstractmethod
    def event(self, event_id: str) -> Event | None: ...

    @abstractmethod
    def stories(self) -> list[dict[str, Any]]:
        """Stories with their documents' count, first and last publication date and title,
        largest first."""

    @abstractmethod
    def entities(self) -> list[dict[str, Any]]: ...

    @abstractmethod
    def claims(self) -> list[dict[str, Any]]: ...

    @abstractmethod
    def search(self, query: str, limit: int = 50) -> list[SearchHit]: ...

    @abstractmethod
    def stats(self) -> dict[str, int]: ...

    # -- dashboard queries (the API of `ghatna serve`) -----------------------------------------
    # Every filter value reaches the database as a bound parameter; implementations choose among
    # fixed SQL fragments by which filters are present, never by their values.
    def query_events(self, where: EventFilter, limit: int, offset: int = 0) -> Page:
        """The events `where` keeps, in timeline order (date, undated last, id); a page of
        `Event`s with the number of all of them."""
        raise StoreError(f"{type(self).__name__} does not answer the dashboard's queries yet")

    def query_places(self, where: EventFilter, limit: int = 1000) -> list[dict[str, Any]]:
        """Locations of the events `where` keeps, most events first: `{"entity_id", "name",
        "lat", "lon", "country_code", "events"}` (places without coordinates included)."""
        raise StoreError(f"{type(self).__name__} does not answer the dashboard's queries yet")

    def event_facets(self) -> dict[str, Any]:
        """What the filters offer: `{"types": {type: events}, "first_date", "last_date",
        "flagged": events with a flag, "undated": events without a date}`."""
        raise StoreError(f"{type(self).__name__} does not answer the dashboard's queries yet")

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """One entity record (as `entities()` gives them), None if there is none."""
        raise StoreError(f"{type(self).__name__} does not answer the dashboard's queries yet")

    def query_entities(self, text: str | None, label: str | None, limit: int,
                       offset: int = 0) -> Page:
        """Entities whose name or a spelling contains `text` (any if None), of `label` (any if
        None), most mentioned first."""
        raise StoreError(f"{type(self).__name__} does not answer the dashboard's queries yet")

    def query_claims(self, speaker: str | None, doc_id: str | None, limit: int,
                     offset: int = 0) -> Page:
        """Claims by the speaker entity `speaker` and/or from document `doc_id`, in document
        order."""
        raise StoreError(f"{type(self).__name__} does not answer the dashboard's queries yet")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around several writes (`add_documents`, `save_resolution`), which
        then commit together at its end, or not at all if it raises. A run writes several
        batches in one: pages that every batch rewrites (an index's last leaf, a busy event's
        summary) go to the log once a transaction, not once a batch. (Here, for a store that
        cannot group its writes: each commits as it goes.)"""
        yield

    @abstractmethod
    def close(self) -> None: ...

    def usable(self, check: bool = False) -> bool:
        """Whether the store's connection can still answer (a server's may have dropped);
        `check`: ask the server, rather than go by how the last statement ended."""
        return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
