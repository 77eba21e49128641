"""Exports of the merged events. Each format is one module with `write(events, out)`; text
formats write to a text stream, binary ones (parquet) to a binary stream."""
from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from ..schema import Event
from . import acled_csv, events_jsonl, parquet, plover_jsonl

FORMATS = {"events-jsonl": events_jsonl, "plover-jsonl": plover_jsonl, "acled-csv": acled_csv,
           "parquet": parquet}
BINARY_FORMATS = ("parquet",)


class UnavailableFormat(ValueError):
    pass


def export(events: Iterable[Event], fmt: str, out: IO) -> int:
    if fmt not in FORMATS:
        raise UnavailableFormat(
            f"export format {fmt!r} is not available in this version (available: {', '.join(FORMATS)})")
    return FORMATS[fmt].write(events, out)
