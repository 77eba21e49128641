"""Where a place is: a place name to its GeoNames id, coordinates, country and precision.

Same-named places are told apart by the countries the document talks about (a document about
Kazakhstan means the Kazakh city), then by population. Names the gazetteer does not hold letter
for letter are found by their transliteration key (`अलमाटी` finds Almaty's `अल्माटी`).
"""
from __future__ import annotations

from collections import Counter
from functools import cache

from ..extract.known_names import KnownNames, Place
from .names import name_key, same_name, skeleton


class Geocoder:
    def __init__(self, names: KnownNames) -> None:
        self.names = names
        self._by_key: dict[str, list[Place]] | None = None
        self._by_skeleton: dict[str, list[str]] | None = None

    @property
    def loaded(self) -> bool:
        return self._by_key is not None

    def load(self) -> None:
        """Build the index by key now (0.1 s for the Hindi pack), not at the first place name."""
        self._index()

    def _index(self) -> tuple[dict[str, list[Place]], dict[str, list[str]]]:
        if self._by_key is None:
            by_key: dict[str, list[Place]] = {}
            for entry in self.names.entries.values():
                for p in entry.places:
                    for k in p.keys or (name_key(p.name), name_key(p.latin)):
                        if not k:
                            continue
                        if p not in by_key.setdefault(k, []):
                            by_key[k].append(p)
            by_skel: dict[str, list[str]] = {}
            for k in by_key:
                by_skel.setdefault(skeleton(k), []).append(k)
            self._by_key, self._by_skeleton = by_key, by_skel
        return self._by_key, self._by_skeleton  # type: ignore[return-value]

    def candidates(self, name: str) -> list[Place]:
        """The gazetteer places a name may be: by exact key, else by a fuzzy key match within
        the same consonant skeleton."""
        by_key, by_skel = self._index()
        key = name_key(name)
        if not key:
            return []
        if key in by_key:
            return list(by_key[key])
        found: list[Place] = []
        for k in sorted(by_skel.get(skeleton(key), [])):
            if same_name(key, k):
                found.extend(p for p in by_key[k] if p not in found)
        return found

    def place_by_id(self, geonameid: int) -> Place | None:
        return self.names.places_by_id.get(geonameid)


def choose_place(candidates: list[Place] | tuple[Place, ...], countries: Counter[str]) -> Place | None:
    """The most likely of same-named places: a country over a city of that name, then the
    country the document talks about most, then the most populous."""
    if not candidates:
        return None
    rank = {"country": 2, "region": 1, "city": 0}
    return max(candidates, key=lambda p: (p.precision == "country", countries.get(p.country_code, 0),
                                          rank.get(p.precision, 0), p.population, -(p.geonameid or 0)))


@cache
def geocoder(names: KnownNames) -> Geocoder:
    return Geocoder(names)
