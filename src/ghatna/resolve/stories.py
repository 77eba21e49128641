"""Which documents tell one story.

Two documents belong to one story when they report a common event (a merged event with
mentions in both), or when they name at least `SHARED_PEOPLE` of the same people (canonical
person ids: the cast of a story; places and organisations such as "the police" are too common to
tell stories apart). Stories are kept incrementally as a union of documents: a new document starts
its own story, joins the stories it links to, and when it links two stories they become one —
the one whose first document came first keeps its id, so ids are stable for the same inputs.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..schema import stable_id

SHARED_PEOPLE = 2


def story_id_of(doc_id: str) -> str:
    return "sty-" + stable_id(doc_id)


class StoryBuilder:
    """Union-find over story ids for one resolution; reads the stored stories it touches."""

    def __init__(self, store) -> None:
        self.store = store
        self.parent: dict[str, str] = {}
        self.seq: dict[str, int] = {}  # story -> sequence of its first document
        self.doc_story: dict[str, str] = {}
        self.new_stories: dict[str, int] = {}
        self.people: dict[str, set[str]] = {}  # person entity id -> stories naming them

    def _find(self, s: str) -> str:
        while self.parent.get(s, s) != s:
            s = self.parent[s]
        return s

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if (self.seq[rb], rb) < (self.seq[ra], ra):
            ra, rb = rb, ra
        self.parent[rb] = ra

    def load(self, doc_ids: Iterable[str]) -> None:
        """Know the stored stories of these documents."""
        known = self.store.document_stories([d for d in doc_ids if d not in self.doc_story])
        for doc, (story, seq) in known.items():
            self.doc_story[doc] = story
            self.seq.setdefault(story, seq)

    def add_documents(self, docs: list[tuple[str, int, set[str], set[str]]]) -> None:
        """New documents, each (doc id, sequence, people, the documents whose events it reports),
        in order; the stored stories of all their people and documents are read at once. Each
        document joins the stories of its people as they are when it comes, after the earlier
        documents' event links, and then is linked by its events: the stories are the same however
        the documents are cut into resolutions (as if resolved one at a time)."""
        self._load_people({p for _, _, people, _ in docs for p in people})
        self.load({d for _, _, _, linked in docs for d in linked} - {doc_id for doc_id, *_ in docs})
        for doc_id, seq, people, linked in docs:
            self._add_document(doc_id, seq, people)
            self.link([doc_id] + sorted(linked - {doc_id}))

    def _load_people(self, people: Iterable[str]) -> None:
        """Know the stored stories naming these people."""
        wanted = sorted(p for p in people if p not in self.people)
        if not wanted:
            return
        for person in wanted:
            self.people[person] = set()
        for person, stories in self.store.stories_naming(wanted).items():
            for s, s_seq in stories:
                self.seq.setdefault(s, s_seq)
                self.people[person].add(s)

    def _add_document(self, doc_id: str, seq: int, people: set[str]) -> None:
        """A new document's story, joined to the stories sharing enough of its people (their
        stored stories already loaded)."""
        story = story_id_of(doc_id)
        self.doc_story[doc_id] = story
        self.seq[story] = seq
        self.new_stories[story] = seq
        if not people:
            return
        counts: dict[str, int] = {}
        for p in people:
            for s in {self._find(x) for x in self.people.get(p, ())}:
                counts[s] = counts.get(s, 0) + 1
        for s, n in sorted(counts.items()):
            if n >= SHARED_PEOPLE:
                self._union(story, s)
        for p in people:
            self.people.setdefault(p, set()).add(story)

    def link(self, doc_ids: Iterable[str]) -> None:
        """These documents report a common event."""
        stories = [self.doc_story[d] for d in doc_ids if d in self.doc_story]
        for s in stories[1:]:
            self._union(stories[0], s)

    def story_of(self, doc_id: str) -> str:
        return self._find(self.doc_story[doc_id])

    def merges(self) -> dict[str, str]:
        """Stored or new stories absorbed into another: absorbed id -> surviving id."""
        return {s: self._find(s) for s in self.seq if self._find(s) != s}
