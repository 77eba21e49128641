"""ACLED-style CSV: ACLED's column names, one merged event a row, with the event type and
sub-event type mapped from the PLOVER type and mode (ACLED codebook categories). Events ACLED
would not code as political violence or demonstrations land in "Strategic developments"."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from ..schema import Event
from .countries import country_name, iso3

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
           "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
           "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
           "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
           "notes", "fatalities", "tags", "timestamp"]

PV, DEM, SD = "Political violence", "Demonstrations", "Strategic developments"
# (PLOVER type, mode) -> (disorder type, ACLED event type, sub-event type); mode None = any mode
ACLED = {
    ("PROTEST", "riot"): (DEM, "Riots", "Violent demonstration"),
    ("PROTEST", None): (DEM, "Protests", "Peaceful protest"),
    ("ASSAULT", "crowd-control"): (DEM, "Protests", "Excessive force against protesters"),
    ("ASSAULT", "explosives"): (PV, "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("ASSAULT", "suicide-attack"): (PV, "Explosions/Remote violence", "Suicide bomb"),
    ("ASSAULT", "aerial"): (PV, "Explosions/Remote violence", "Air/drone strike"),
    ("ASSAULT", "drone"): (PV, "Explosions/Remote violence", "Air/drone strike"),
    ("ASSAULT", "heavy-weapons"): (PV, "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("ASSAULT", "abduct"): (PV, "Violence against civilians", "Abduction/forced disappearance"),
    ("ASSAULT", "sexual"): (PV, "Violence against civilians", "Sexual violence"),
    ("ASSAULT", None): (PV, "Violence against civilians", "Attack"),
    ("FIGHT", None): (PV, "Battles", "Armed clash"),
    ("COERCE", "arrest"): (SD, "Strategic developments", "Arrests"),
    ("COERCE", "seize"): (SD, "Strategic developments", "Non-violent transfer of territory"),
    ("AGREE", None): (SD, "Strategic developments", "Agreement"),
    ("SUPPORT", None): (SD, "Strategic developments", "Agreement"),
    ("MOBILIZE", None): (SD, "Strategic developments", "Change to group/activity"),
    ("RETREAT", "withdraw"): (SD, "Strategic developments", "Change to group/activity"),
}


def acled_category(type_: str, mode: str | None) -> tuple[str, str, str]:
    return ACLED.get((type_, mode)) or ACLED.get((type_, None)) or (SD, "Strategic developments", "Other")


def row(e: Event) -> dict:
    loc = e.location or {}
    cc = loc.get("country_code")
    disorder, event_type, sub = acled_category(e.type, e.mode)
    date, precision = "", ""
    if e.date and not e.date.startswith("XXXX"):
        if len(e.date) == 10:
            date, precision = e.date, 1
        elif len(e.date) == 7:
            date, precision = e.date + "-01", 3
        elif len(e.date) == 4:
            date, precision = e.date + "-01-01", 3
    return {
        "event_id_cnty": f"{iso3(cc) or 'XXX'}-{e.id}",
        "event_date": date, "year": date[:4], "time_precision": precision,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
        "actor1": "; ".join(a.name for a in e.actors), "assoc_actor_1": "", "inter1": "",
        "actor2": "; ".join(r.name for r in e.recipients), "assoc_actor_2": "", "inter2": "",
        "interaction": "", "civilian_targeting": "",
        "iso": "", "region": "", "country": country_name(cc) or "", "admin1": "", "admin2": "", "admin3": "",
        "location": loc.get("name") or "", "latitude": loc.get("lat") if loc.get("lat") is not None else "",
        "longitude": loc.get("lon") if loc.get("lon") is not None else "",
        "geo_precision": (1 if loc.get("geonameid") else 3) if loc.get("lat") is not None else "",
        "source": "; ".join(sorted({m.doc_name for m in e.mentions})), "source_scale": "",
        "notes": " | ".join(m.sentence for m in e.mentions[:3]),
        "fatalities": int(e.quantities.get("dead", 0)),
        "tags": "; ".join([f"plover={e.type}" + (f"/{e.mode}" if e.mode else ""), f"confidence={e.confidence}"]
                          + [f"{f.kind}: {f.detail}" for f in e.flags]),
        "timestamp": "",
    }


def write(events: Iterable[Event], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for e in events:
        writer.writerow(row(e))
        n += 1
    return n
