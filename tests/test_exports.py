"""Exports of the merged events: ghatna's records, PLOVER JSONL and ACLED CSV, checked field by
field on a store built from real text."""
import csv
import io
import json

import pytest

from ghatna.export import export
from ghatna.export.acled_csv import COLUMNS, acled_category
from ghatna.pipeline import run
from ghatna.store import open_store

TEXT = ("अल्माटी में हिंसा\n\nराष्ट्रपति टोकायव ने 5 जनवरी को सीएसटीओ से मदद मांगी। "
        "अल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों में आग लगा दी। पुलिस ने 200 से अधिक लोगों को गिरफ्तार किया।\n")
EVENT_FIELDS = {"id", "type", "mode", "date", "date_precision", "actors", "recipients", "location",
                "quantities", "mentions", "flags", "confidence"}


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exp")
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    with open_store(str(folder / "g.db")) as store:
        run([folder / "a.txt"], store, date="2022-01-07")
        return list(store.events())


def dump(events, fmt):
    buf = io.StringIO()
    export(events, fmt, buf)
    return buf.getvalue()


def test_events_jsonl_has_every_contract_field(events):
    records = [json.loads(line) for line in dump(events, "events-jsonl").splitlines()]
    assert records and all(set(r) == EVENT_FIELDS for r in records)
    request = next(r for r in records if r["type"] == "REQUEST")
    assert request["date"] == "2022-01-05" and request["date_precision"] == "day"
    assert request["actors"][0]["name"] and request["actors"][0]["entity_id"]
    m = request["mentions"][0]
    assert set(m) == {"doc_id", "doc_name", "sentence", "start", "end", "date_text"}
    assert m["doc_name"] == "a.txt" and m["date_text"] == "5 जनवरी"
    assert TEXT[m["start"]:m["end"]] in m["sentence"]


def test_plover_jsonl_uses_the_manuals_fields(events):
    records = [json.loads(line) for line in dump(events, "plover-jsonl").splitlines()]
    for r in records:
        assert {"id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text"} <= set(r)
        assert isinstance(r["event"], list) and isinstance(r["actor"], list)
    riot = next(r for r in records if r["event"] == ["PROTEST"])
    assert riot["mode"] == ["riot"] and riot["event_loc"]["extracted_place"] == "अल्माटी"
    assert riot["event_loc"]["country_code"] in ("KAZ", None)
    arrest = next(r for r in records if r["event"] == ["COERCE"])
    assert arrest["recipient"][0]["entity_text"] == "200 से अधिक लोगों"


def test_acled_csv_has_acleds_columns_and_mapped_types(events):
    rows = list(csv.DictReader(io.StringIO(dump(events, "acled-csv"))))
    assert rows and list(rows[0]) == COLUMNS
    riot = next(r for r in rows if "PROTEST/riot" in r["tags"])
    assert (riot["event_type"], riot["sub_event_type"], riot["disorder_type"]) == (
        "Riots", "Violent demonstration", "Demonstrations")
    arrest = next(r for r in rows if r["sub_event_type"] == "Arrests")
    # undated in its sentence: the narrative's last date (5 जनवरी), at day precision
    assert arrest["event_date"] == "2022-01-05" and arrest["time_precision"] == "1"
    assert all(r["event_id_cnty"] for r in rows)


@pytest.mark.parametrize("plover,acled", [
    (("PROTEST", "demo"), "Peaceful protest"), (("ASSAULT", "crowd-control"), "Excessive force against protesters"),
    (("ASSAULT", None), "Attack"), (("COERCE", "arrest"), "Arrests"), (("CONSULT", None), "Other")])
def test_plover_to_acled_mapping(plover, acled):
    assert acled_category(*plover)[2] == acled


def test_parquet_has_the_event_record_as_typed_columns(events, tmp_path, ghatna):
    import pyarrow.parquet as pq

    from ghatna.export.parquet import schema

    with open(tmp_path / "e.parquet", "wb") as fh:
        assert export(events, "parquet", fh) == len(events)
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.schema.equals(schema()) and set(table.schema.names) == EVENT_FIELDS
    rows = table.to_pylist()
    records = [e.record() for e in events]
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, rec in zip(rows, records):
        assert dict(row["quantities"]) == rec["quantities"]
        assert row["mentions"] == rec["mentions"] and row["actors"] == rec["actors"]
    # the command line needs a file for a binary format
    assert ghatna("export", "--db", "nothing.db", "--format", "parquet").code == 2
