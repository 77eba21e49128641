"""Parquet: one row per merged event, the event record's fields as typed columns (participants,
mentions and flags as lists of structs, numbers as a map), for pandas, Polars, DuckDB and Spark.
Written in row groups, so a store of any size streams through bounded memory."""
from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from ..schema import Event

ROW_GROUP = 10_000


def schema():
    import pyarrow as pa

    ref = pa.struct([("name", pa.string()), ("entity_id", pa.string())])
    return pa.schema([
        ("id", pa.string()), ("type", pa.string()), ("mode", pa.string()),
        ("date", pa.string()), ("date_precision", pa.string()),
        ("actors", pa.list_(ref)), ("recipients", pa.list_(ref)),
        ("location", pa.struct([("name", pa.string()), ("entity_id", pa.string()),
                                ("geonameid", pa.int64()), ("lat", pa.float64()),
                                ("lon", pa.float64()), ("country_code", pa.string())])),
        ("quantities", pa.map_(pa.string(), pa.int64())),
        ("mentions", pa.list_(pa.struct([("doc_id", pa.string()), ("doc_name", pa.string()),
                                         ("sentence", pa.string()), ("start", pa.int64()),
                                         ("end", pa.int64()), ("date_text", pa.string())]))),
        ("flags", pa.list_(pa.struct([("kind", pa.string()), ("detail", pa.string())]))),
        ("confidence", pa.float64()),
    ])


def _row(e: Event) -> dict:
    r = e.record()
    loc = r["location"]
    r["location"] = None if loc is None else {k: loc.get(k) for k in
                                              ("name", "entity_id", "geonameid", "lat", "lon", "country_code")}
    r["quantities"] = sorted(r["quantities"].items())
    return r


def write(events: Iterable[Event], out: BinaryIO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sch = schema()
    n = 0
    with pq.ParquetWriter(out, sch, compression="zstd") as writer:
        rows: list[dict] = []
        for e in events:
            rows.append(_row(e))
            if len(rows) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(rows, schema=sch))
                n += len(rows)
                rows = []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=sch))
            n += len(rows)
    return n
