"""Which stored entity a document's entity is: one id for every spelling of one entity across
documents.

A document's entities arrive already unified within the document (extract/entities.py: every
mention carries its canonical name). Each is looked up in the store by blocks, never against
all entities: its knowledge-base id (GeoNames place, known organisation), its exact
transliteration key, its consonant skeleton (then a fuzzy key match inside that block), and for a
one-word person name the words of stored full names (a surname alone links to the one stored
person it can be). A name with no match starts a new entity whose id is a hash of its label and
key, so the same inputs in the same order always give the same ids.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..extract.known_names import KnownNames, Place, known_names, name_tokens
from ..langs import UnknownLanguage, load_pack
from ..schema import EntityMention, stable_id
from ..store import Store
from .names import key_similarity, name_key, same_name, skeleton


@dataclass
class ResolvedEntity:
    entity_id: str
    blocks: list[str] = field(default_factory=list)
    place: Place | None = None


def _initial(word: str) -> bool:
    """An initial in a name's key (के. -> a letter or two)."""
    return len(word.rstrip(".")) <= 2


def pack_names(lang: str) -> KnownNames | None:
    """A language pack's name lists (known places, people, organisations); None for no pack."""
    try:
        return known_names(load_pack(lang))
    except UnknownLanguage:
        return None


def _org_group(names: KnownNames | None, canonical: str) -> str | None:
    if names is None:
        return None
    e = names.entries.get(name_tokens(canonical))
    return e.group if e is not None and e.label == "ORG" else None


@dataclass(slots=True)  # (slots: a document's are shipped from a worker, and unpickled faster)
class EntityKeys:
    """What resolving a name needs from the name alone (worked out where the document was
    analysed): its key, the blocks it is looked up and filed under, its knowledge-base group, and
    where it is if it is a known place."""

    label: str
    key: str
    blocks: list[str]
    group: str | None = None  # a knowledge-base id or known organisation's group: one entity
    where: tuple[float | None, float | None, str | None] | None = None  # (lat, lon, country code)


def entity_keys(lang: str, mention: EntityMention) -> tuple[EntityKeys, Place | None]:
    """The keys of an entity mention's name, and the known place it names, if any."""
    label, canonical = mention.label, mention.canonical
    key = name_key(canonical) or canonical.casefold()
    names = pack_names(lang)
    place = None
    if mention.kb_id and mention.kb_id.startswith("geonames:") and names is not None:
        place = names.places_by_id.get(int(mention.kb_id.split(":", 1)[1]))
    group = mention.kb_id or (f"org:{g}" if (g := _org_group(names, canonical)) else None)
    blocks = [f"{label}:k:{key}", f"{label}:s:{skeleton(key)}"]
    if label == "PER" and len(key.split()) > 1:
        blocks += [f"PER:w:{skeleton(w)}" for w in key.split()]
    if group:
        blocks.append(f"{label}:g:{group}")
    where = (place.lat, place.lon, place.country_code) if place is not None else None
    return EntityKeys(label, key, blocks, group, where), place


class EntityResolver:
    """Assigns entity ids to a run of documents; remembers what it assigned before the store has
    it (one Resolution holds many documents and is written at the end)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: dict[str, set[tuple[str, str]]] = {}  # block -> {(entity_id, key)}
        self.stored: dict[str, list[tuple[str, str]]] = {}  # block -> as the store has it (read once)

    def _candidates(self, block: str) -> set[tuple[str, str]]:
        stored = self.stored.get(block)
        if stored is None:
            stored = self.stored[block] = self.store.entity_candidates(block)
        return set(stored) | self.pending.get(block, set())

    def _remember(self, entity_id: str, key: str, blocks: list[str]) -> None:
        for b in blocks:
            self.pending.setdefault(b, set()).add((entity_id, key))

    def assign(self, keys: EntityKeys) -> str:
        """The id of the entity a name with these keys is: a stored or earlier one it matches,
        or a new one."""
        label, key, blocks = keys.label, keys.key, keys.blocks
        entity_id = None
        if keys.group:
            hit = sorted(self._candidates(f"{label}:g:{keys.group}"))
            entity_id = hit[0][0] if hit else "ent-" + stable_id(label, keys.group)
        if entity_id is None:
            exact = sorted(self._candidates(f"{label}:k:{key}"))
            if exact:
                entity_id = exact[0][0]
        if entity_id is None:
            close = [(key_similarity(key, k), eid) for eid, k in self._candidates(f"{label}:s:{skeleton(key)}")
                     if same_name(key, k)]
            if close:
                entity_id = max(close, key=lambda c: (c[0], c[1]))[1]
        words = key.split()
        if entity_id is None and label == "PER" and words and all(_initial(w) for w in words[:-1]):
            # a surname alone, or after initials (के. तोकायेव): the one full name it ends
            surname = words[-1]
            owners = {eid for eid, full in self._candidates(f"PER:w:{skeleton(surname)}")
                      if any(same_name(surname, w) for w in full.split())
                      and not all(_initial(w) for w in full.split()[:-1])}
            if len(owners) == 1:
                entity_id = owners.pop()
        if entity_id is None:
            entity_id = "ent-" + stable_id(label, key)
        self._remember(entity_id, key, blocks)
        return entity_id
