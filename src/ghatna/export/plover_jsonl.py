"""PLOVER JSON Lines: one event a line in the PLOVER manual's data fields (chapter "Data Fields"):
`id, date, actor, recipient, event, mode, context, event_loc, event_text, text_info, cite_info,
coder, …`, with the size fields `dead`, `injured`, `arrested` (and ghatna's other counts) and the
location object's GeoNames fields. Lists where the manual allows several values."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from .. import __version__
from ..schema import Event
from .countries import country_name, iso3

CODER = f"ghatna {__version__}"


def _entity(ref) -> dict:
    return {"entity_text": ref.name, "identifier_id": ref.entity_id}


def record(e: Event) -> dict:
    loc = e.location
    event_loc = None
    if loc:
        event_loc = {"extracted_place": loc.get("name"), "resolved_place": loc.get("name"),
                     "geonameid": loc.get("geonameid"), "lat": loc.get("lat"), "lon": loc.get("lon"),
                     "country": country_name(loc.get("country_code")),
                     "country_code": iso3(loc.get("country_code"))}
    rec = {
        "id": e.id,
        "has_event": True,
        "date": e.date,
        "actor": [_entity(a) for a in e.actors],
        "recipient": [_entity(r) for r in e.recipients],
        "event": [e.type],
        "mode": [e.mode] if e.mode else [],
        "context": [],
        "event_loc": event_loc,
        "event_text": [m.sentence for m in e.mentions],
        "text_info": [{"doc_id": m.doc_id, "start": m.start, "end": m.end} for m in e.mentions],
        "cite_info": [{"citation": m.doc_name, "language": "hi", "coder": CODER,
                       "codebook": "plover-base"} for m in e.mentions],
        "coder": CODER,
        "event_scale": e.confidence,
        "comment": "; ".join(f"{f.kind}: {f.detail}" for f in e.flags) or None,
    }
    for kind, value in e.quantities.items():  # dead, injured, arrested are the manual's names
        rec[kind] = value
    return rec


def write(events: Iterable[Event], out: IO[str]) -> int:
    n = 0
    for e in events:
        out.write(json.dumps(record(e), ensure_ascii=False) + "\n")
        n += 1
    return n
