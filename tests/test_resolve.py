"""Across articles: one event per real event with every source, disagreements flagged, stable ids."""
import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from ghatna import pipeline
from ghatna import resolve as resolve_module
from ghatna.pipeline import run
from ghatna.resolve import events as merge
from ghatna.resolve.conflicts import agree, event_of, merged_event
from ghatna.resolve.dates import gap, interval
from ghatna.resolve.mentions import MentionRecord, Participant
from ghatna.resolve import summary as summary_module
from ghatna.resolve.stories import StoryBuilder, story_id_of
from ghatna.resolve.summary import EventSummary
from ghatna.store.sqlite import SQLiteStore

from .conftest import SHARED

ARREST_REPORTS = [
    {"id": "a", "date": "2022-01-06", "text": "पुलिस ने 5 जनवरी को अल्माटी में 200 प्रदर्शनकारियों को गिरफ्तार किया।"},
    {"id": "b", "date": "2022-01-07", "text": "अल्माटी में बुधवार को पुलिस ने 200 प्रदर्शनकारियों को हिरासत में लिया।"},
    {"id": "c", "date": "2022-01-08", "text": "5 जनवरी को पुलिस ने अलमाटी में 250 प्रदर्शनकारियों को गिरफ्तार किया।"},
    {"id": "d", "date": "2022-01-09", "text": "पुलिस ने 5 अगस्त को अल्माटी में 200 प्रदर्शनकारियों को गिरफ्तार किया था। "
                                               "8 जनवरी को अस्ताना में हजारों लोगों ने प्रदर्शन किया।"},
]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _events(tmp_path: Path, *batches: list[dict], name: str = "s.db") -> list[dict]:
    with SQLiteStore(tmp_path / name) as store:
        for i, records in enumerate(batches):
            run([_write(tmp_path / f"{name}-{i}.jsonl", records)], store)
        return [e.to_json() for e in store.events()]


def test_three_outlets_reporting_one_arrest_give_one_event_with_every_source(tmp_path):
    events = _events(tmp_path, ARREST_REPORTS)
    arrests = [e for e in events if e["type"] == "COERCE"]
    assert len(arrests) == 1
    arrest = arrests[0]
    assert arrest["mode"] == "arrest" and arrest["date"] == "2022-01-05"
    assert sorted({m["doc_name"] for m in arrest["mentions"]}) == ["a", "b", "c", "d"]
    assert arrest["quantities"]["arrested"] == 200  # three sources against one
    assert arrest["location"]["name"] in ("अल्माटी", "अलमाटी")
    kinds = {f["kind"]: f["detail"] for f in arrest["flags"]}
    assert "250" in kinds["quantity_conflict"] and "c" in kinds["quantity_conflict"]
    # the August date is a slip: flagged, never used
    assert "5 अगस्त" in kinds["date_outlier"] and "2022-01-05" in kinds["date_outlier"]
    # the protest in another city on another day stays its own event, unflagged
    protest = [e for e in events if e["type"] == "PROTEST"]
    assert len(protest) == 1 and protest[0]["date"] == "2022-01-08" and not protest[0]["flags"]


def test_adding_reports_later_gives_the_store_a_single_run_gives(tmp_path):
    at_once = _events(tmp_path, ARREST_REPORTS, name="once.db")
    in_steps = _events(tmp_path, ARREST_REPORTS[:1], ARREST_REPORTS[1:3], ARREST_REPORTS[3:], name="steps.db")
    assert in_steps == at_once
    again = _events(tmp_path, ARREST_REPORTS, name="again.db")
    assert [e["id"] for e in again] == [e["id"] for e in at_once]


def test_the_story_joins_every_document(tmp_path):
    _events(tmp_path, ARREST_REPORTS)
    with SQLiteStore(tmp_path / "s.db") as store:
        stories = store.stories()
        assert len(stories) == 1 and stories[0]["documents"] == 4
        assert {e.story_id for e in store.events()} == {stories[0]["id"]}


def test_unrelated_documents_are_separate_stories(tmp_path):
    other = {"id": "z", "date": "2019-06-10", "text": "हांगकांग में लाखों लोगों ने प्रत्यर्पण बिल के खिलाफ प्रदर्शन किया।"}
    _events(tmp_path, ARREST_REPORTS[:2] + [other])
    with SQLiteStore(tmp_path / "s.db") as store:
        assert sorted(s["documents"] for s in store.stories()) == [1, 2]


def _mention(i: int, date: str | None, *, doc: str = "d", kind: str = "PROTEST", mode: str | None = None,
             actor: str | None = None, date_text: str | None = "x", quantities=None, sentence: str = "") -> MentionRecord:
    return MentionRecord(
        id=f"m{i}", doc_id=f"{doc}{i}" if doc == "d" else doc, doc_name=f"{doc}{i}", doc_date=date,
        order=(i, 0), sentence=sentence or f"वाक्य {i}", start=0, end=1, trigger="प्रदर्शन", type=kind,
        mode=mode, modality="asserted", negated=False, date=date, date_text=date_text,
        actors=[Participant(actor, actor, True)] if actor else [], quantities=quantities or {})


def test_a_mention_is_compared_only_with_events_under_its_blocking_keys():
    looked_up: list[list[str]] = []
    merger = merge.EventMerger(lambda keys: looked_up.append(keys) or {})
    m = _mention(1, "2022-01-05", actor="ent-police")
    merger.prefetch([m])
    assert all(k.startswith("PROTEST|") for k in looked_up[0])
    assert "PROTEST|d|2022-01-03" in looked_up[0] and "PROTEST|d|2022-01-08" not in looked_up[0]
    # a dated report meets other events of its participants only where their dates were suspect
    assert "PROTEST|s|ent-police" in looked_up[0] and "PROTEST|e|ent-police" not in looked_up[0]
    undated = _mention(2, None, actor="ent-police")
    merger.prefetch([undated])
    assert "PROTEST|e|ent-police" in looked_up[1]


@pytest.mark.parametrize("a, b, together", [
    (("2022-01-05", "ent-x"), ("2022-01-05", "ent-x"), True),  # same day, same actor
    (("2022-01-05", None), ("2022-01-05", None), True),  # same day, nothing against
    (("2022-01-05", "ent-x"), ("2022-01-06", "ent-x"), True),  # a day apart, same actor
    (("2022-01-05", "ent-x"), ("2022-01-12", "ent-x"), False),  # a week apart: another event
    (("2022-01-05", "ent-x"), ("2022-01", "ent-x"), True),  # a month-only date holds its days
])
def test_which_reports_merge(a, b, together):
    merger = merge.EventMerger(lambda keys: {})
    ids = [merger.add(_mention(i, date, actor=actor), f"evt-{i}") for i, (date, actor) in enumerate([a, b])]
    assert (ids[0] == ids[1]) is together


def test_different_kinds_of_event_never_merge():
    merger = merge.EventMerger(lambda keys: {})
    ids = [merger.add(_mention(i, "2022-01-05", kind=k, actor="ent-x"), f"evt-{i}")
           for i, k in enumerate(["PROTEST", "ASSAULT"])]
    assert ids[0] != ids[1]


def test_dates_read_as_intervals():
    assert interval("2022-01").days == 31 and interval("2022-01-05").precision == "day"
    assert gap(interval("2022-01-05"), interval("2022-01")) == 0
    assert gap(interval("2022-01-05"), interval("2022-01-08")) == 3
    assert gap(interval("XXXX-01-05"), interval("2022-01-05")) == 0
    assert interval("P3D") is None and interval(None) is None


@pytest.mark.parametrize("a, b, same", [
    ((81, None), (81, None), True),
    ((81, None), (150, "about"), False),
    ((1_000_000, "more_than"), (1_030_000, None), True),
    ((80, "about"), (81, None), True),
    ((300, "less_than"), (250, None), True),
])
def test_stated_numbers_agree(a, b, same):
    assert agree(a, b) is same


def test_exact_figures_win_over_approximate_ones_and_the_conflict_names_each_source():
    ms = [_mention(1, "2019-06-12", quantities={"injured": 81}),
          _mention(2, "2019-06-12", quantities={"injured": 150})]
    ms[1].approx = {"injured": "about"}
    event = merged_event("evt-1", ms)
    assert event.quantities == {"injured": 81}
    (flag,) = event.flags
    assert flag.kind == "quantity_conflict" and "d1: 81" in flag.detail and "d2: 150 (about)" in flag.detail


def test_a_day_a_source_states_wins_over_a_day_taken_from_context():
    ms = [_mention(1, "2022-01-07", date_text=None), _mention(2, "2022-01-06"),
          _mention(3, "2022-01-07", date_text=None)]
    assert merged_event("evt-1", ms).date == "2022-01-06"


def test_explicit_dates_a_day_apart_are_a_date_conflict():
    ms = [_mention(1, "2021-02-06"), _mention(2, "2021-02-07"), _mention(3, "2021-02-06")]
    event = merged_event("evt-1", ms)
    assert event.date == "2021-02-06"
    assert [f.kind for f in event.flags] == ["date_conflict"]


def test_demo_flags_its_planted_contradictions(ghatna, tmp_path):
    assert ghatna("demo").code == 0
    events = ghatna("timeline", "--db", "demo.db", "--json").json()
    flags = [(f["kind"], f["detail"]) for e in events for f in e["flags"]]
    assert any(k == "quantity_conflict" and "164" in d and "225" in d for k, d in flags)
    outlier = [e for e in events for f in e["flags"] if f["kind"] == "date_outlier" and "5 अगस्त" in f["detail"]]
    assert outlier and outlier[0]["date"] == "2022-01-05" and len({m["doc_name"] for m in outlier[0]["mentions"]}) >= 2
    assert all(set(e) == {"id", "type", "mode", "date", "date_precision", "actors", "recipients", "location",
                          "quantities", "mentions", "flags", "confidence"} for e in events)
    dated = [e["date"] or "9999" for e in events]
    assert dated == sorted(dated)


def _varied_reports() -> list[MentionRecord]:
    """Reports of one event with everything the tallies keep: modes, dates explicit, from
    context and suspect, approximate and conflicting numbers, named and phrase participants,
    places, confidences."""
    reports = []
    for i, (date, text, suspect, dead, approx, mode, actor, named) in enumerate([
            ("2022-01-05", "5 जनवरी", False, 164, None, "riot", "ent-police", True),
            ("2022-01-06", "6 जनवरी", False, 225, None, "riot", "ent-army", True),
            ("2022-01-05", None, False, 160, "about", None, "span-1", False),
            ("2022-08-05", "5 अगस्त", True, 164, None, "demonstrate", "ent-police", True),
            ("2022-01", "जनवरी", False, None, None, "riot", "ent-police", True)]):
        m = _mention(i, date, mode=mode, date_text=text, quantities={"dead": dead} if dead else {},
                     sentence=f"वाक्य {i} अल्माटी में")
        m.suspect_date = suspect
        m.actors = [Participant(actor, actor, named)]
        m.approx = {"dead": approx} if approx else {}
        m.location = {"name": "अल्माटी", "entity_id": "ent-almaty", "named": True, "country_code": "KZ",
                      "precision": "city"} if i % 2 == 0 else None
        m.confidence = 0.4 + 0.1 * i
        reports.append(m)
    return reports


@pytest.mark.parametrize("cut", [1, 2, 3, 4])
def test_an_event_continued_from_its_stored_summary_is_the_event_of_all_its_reports(cut):
    reports = _varied_reports()
    whole = merged_event("evt-1", reports)
    evidence, tallies = EventSummary.of(reports[:cut]).to_json()
    stored = EventSummary.from_json(json.loads(json.dumps(evidence)), lambda: json.loads(json.dumps(tallies)))
    for m in reports[cut:]:
        stored.add(m)
    continued = event_of("evt-1", stored)
    assert continued.to_json() == {**whole.to_json(), "mentions": []}
    assert {f.kind for f in whole.flags} >= {"quantity_conflict", "date_outlier", "actor_conflict"}
    fresh = EventSummary.of(reports)
    for name in ("modes", "participants", "phrases", "actors", "triggers", "quantities", "locations",
                 "words", "date", "date_suspect", "date_explicit", "first_order"):
        assert getattr(stored, name) == getattr(fresh, name), name


def _widely_reported(n: int) -> list[MentionRecord]:
    """n documents reporting one event, two reports each: dates that mostly agree (one suspect,
    one a day off), figures that mostly agree, one or two actors named per document."""
    reports = []
    for i in range(n):
        for j in range(2):
            date, text, suspect = ("2022-01-05", "5 जनवरी", False)
            if i % 7 == 3:
                date, text = "2022-01-06", "6 जनवरी"
            if i == n - 2:
                date, text, suspect = "2022-08-05", "5 अगस्त", True
            m = _mention(2 * i + j, date, mode="riot" if i % 3 else "demonstrate", date_text=text,
                         quantities={"dead": 164 if i % 5 else 225 + j} if (i + j) % 4 else {})
            m.doc_id, m.doc_name, m.order, m.doc_date = f"d{i:03}", f"source {i:03}", (i, j), "2022-01-09"
            m.suspect_date = suspect
            m.actors = [Participant(f"ent-a{i % 4 == 1}", f"ent-a{i % 4 == 1}", True)]
            m.confidence = 0.05 + 0.001 * i
            reports.append(m)
    return reports


@pytest.mark.parametrize("cuts", [(), (5, 37, 38, 45), (1, 2, 3, 4, 8, 9, 30, 31)])  # in documents
def test_an_event_with_more_sources_than_it_names_counts_the_rest(monkeypatch, cuts):
    reports = _widely_reported(60)
    named_all = merged_event("evt-1", reports)
    monkeypatch.setattr(summary_module, "NAMED_SOURCES", 8)
    # resolved in batches (a document's reports never split), stored between them
    summary, start = EventSummary(), 0
    for cut in [*cuts, 60]:
        for m in reports[2 * start:2 * cut]:
            summary.add(m)
        event = event_of("evt-1", summary)
        evidence, tallies = (json.loads(json.dumps(part)) for part in summary.to_json())
        assert len(tallies["doc_names"]) <= 8 and len(tallies["confidence"]) <= 8
        summary, start = EventSummary.from_json(evidence, lambda t=tallies: t), cut
    assert event.to_json() == {**merged_event("evt-1", reports).to_json(), "mentions": []}
    # counting rather than naming chooses the same fields and raises the same flags
    same = {k: v for k, v in named_all.to_json().items() if k not in ("flags", "mentions", "confidence")}
    assert {k: v for k, v in event.to_json().items() if k in same} == same
    assert event.confidence == pytest.approx(named_all.confidence, abs=1e-3)
    assert [f.kind for f in event.flags] == [f.kind for f in named_all.flags]
    assert {f.kind for f in event.flags} == {"date_outlier", "date_conflict", "quantity_conflict", "actor_conflict"}
    texts = {f.kind: f.detail for f in event.flags}
    assert "source 007: 164" in texts["quantity_conflict"] and "source 050" not in texts["quantity_conflict"]
    assert "more sources: 164 ×" in texts["quantity_conflict"]
    assert "1 more source says 2022-08-05 (`5 अगस्त`)" in texts["date_outlier"]


class _CountingStore(SQLiteStore):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.reports_read: list[str] = []

    def event_mentions_of(self, event_ids):
        found = super().event_mentions_of(event_ids)
        self.reports_read += [eid for eid in found]
        return found


def test_a_new_report_is_merged_without_reading_the_events_reports_again(tmp_path):
    with _CountingStore(tmp_path / "s.db") as store:
        run([_write(tmp_path / "a.jsonl", ARREST_REPORTS[:2])], store)
        store.reports_read.clear()
        run([_write(tmp_path / "b.jsonl", ARREST_REPORTS[2:])], store)
        assert store.reports_read == []
        arrest = next(e for e in store.events() if e.type == "COERCE")
        assert sorted({m.doc_name for m in arrest.mentions}) == ["a", "b", "c", "d"]


def test_prepare_loads_what_the_first_batch_would_wait_for():
    """In a fresh process (a Dask client that analyses nothing itself), `prepare` loads the
    pack's name lists, the transliteration tables and the gazetteer's index; a name key then
    needs no further loading."""
    import subprocess
    import sys

    code = ("import sys, time; from ghatna.resolve import prepare; "
            "from ghatna.extract.known_names import known_names; "
            "from ghatna.resolve.entities import pack_names; from ghatna.resolve.geo import geocoder; "
            "assert 'indic_transliteration.sanscript' not in sys.modules; "
            "assert known_names.cache_info().currsize == 0; "
            "assert not geocoder.cache_info().currsize; prepare(); "
            "assert 'indic_transliteration.sanscript' in sys.modules; "
            "assert known_names.cache_info().currsize == 1; "
            "assert geocoder(pack_names('hi')).loaded; "
            "from ghatna.resolve.names import name_key; t = time.process_time(); "
            "k = name_key('टोकायव'); print(k, time.process_time() - t)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    key, seconds = p.stdout.split()
    assert key == "tokayav" and float(seconds) < 0.1


def test_a_document_joins_the_story_an_earlier_documents_event_made_of_its_people(tmp_path):
    """d2 reports d1's event, so their stories (one person each) are one story naming both; d3
    names both people, so it belongs to that story, whether or not the three are resolved
    together."""
    with SQLiteStore(tmp_path / "s.db") as store:
        stories = StoryBuilder(store)
        stories.add_documents([("d1", 1, {"ent-p"}, set()), ("d2", 2, {"ent-q"}, {"d1"}),
                               ("d3", 3, {"ent-p", "ent-q"}, set())])
        assert {stories.story_of(d) for d in ("d1", "d2", "d3")} == {story_id_of("d1")}


def test_the_store_is_the_same_however_documents_are_cut_into_resolutions(tmp_path, monkeypatch):
    """80 ILTIMEX articles resolved a document at a time, and in the pipeline's transactions
    (resolving 64 at once once joined a document to a story by its people only after the event
    links of later documents: a story too many)."""
    records = [json.loads(line) for line in (SHARED / "iltimex-hi/dev.jsonl").open(encoding="utf-8")][:80]
    corpus = _write(tmp_path / "c.jsonl", [{"id": r["id"], "date": "2012-06-01", "text": r["text"]}
                                           for r in records])

    def stored(name: str, batch_size: int) -> dict:
        with SQLiteStore(tmp_path / name) as store:
            run([corpus], store, batch_size=batch_size)
            return {"events": [e.to_json() for e in store.events()], "stories": store.stories(),
                    "documents": store.documents(), "entities": store.entities()}

    together = stored("together.db", 64)
    with monkeypatch.context() as m:  # a resolution also ends once it holds 30 mentions
        m.setattr(resolve_module, "BATCH_MENTIONS", 30)
        assert stored("by-mentions.db", 8) == together
    monkeypatch.setattr(pipeline, "COMMIT_EVERY", 1)
    one_at_a_time = stored("one.db", 1)
    assert one_at_a_time == together


def _tables(path: Path) -> dict[str, list]:
    """Every row of a SQLite store (event keys by their order, not their row numbers)."""
    db = sqlite3.connect(path)
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")]
    out = {n: db.execute(f"SELECT * FROM {n} ORDER BY 1, 2").fetchall() for n in names if n != "event_keys"}
    out["event_keys"] = db.execute("SELECT key, event_id FROM event_keys ORDER BY seq").fetchall()
    db.close()
    return out


def test_resolving_from_stored_analyses_gives_what_the_map_phases_contributions_give(tmp_path, monkeypatch):
    """The map phase works out each document's part of resolving (resolve/contribution.py); a
    document stored without it (a run killed before resolving it) has it made from its stored
    analysis: the two give the same store, row for row."""
    corpus = resources.files("ghatna.demo").joinpath("corpus")

    def stored(name: str) -> dict:
        with resources.as_file(corpus) as folder, SQLiteStore(tmp_path / name) as store:
            run([folder], store, date="2022-01-05", batch_size=3)
        return _tables(tmp_path / name)

    from_contributions = stored("map.db")
    real_resolve = pipeline.resolve
    monkeypatch.setattr(pipeline, "resolve", lambda store, contributions=None: real_resolve(store))
    from_stored = stored("stored.db")
    assert from_stored == from_contributions
    assert from_contributions["claims"] and len(from_contributions["events"]) > 5
