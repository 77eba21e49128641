"""Every store (SQLite, and PostgreSQL on a real server): Devanagari-correct search, idempotent
writes, readers beside a writer."""
import json
import sqlite3

import pytest

from ghatna.analyse import analyse
from ghatna.schema import Document, Event
from ghatna.store import EmptyQuery, EventFilter, Resolution, StoredDocument, StoreError, open_store


def stored(text, name="a.txt", **kw):
    doc = Document(text=text, name=name, source=name, **kw)
    return StoredDocument.of(doc, analyse(doc, "hi"))


@pytest.fixture
def store(db_location):
    s = open_store(db_location)
    s.add_documents([
        stored("अल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों पर कब्जा कर लिया। पुलिस ने दर्शन किए।", "a.txt"),
        stored("राष्ट्रपति ने आपातकाल की घोषणा की।", "b.txt", date="2022-01-05"),
    ])
    yield s
    s.close()


def hits(store, q):
    return [h.sentence for h in store.search(q)]


def test_prefix_query_finds_the_inflected_word(store):
    assert hits(store, "प्रदर्शन*") == ["अल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों पर कब्जा कर लिया।"]


def test_a_fragment_inside_a_word_is_not_a_match(store):
    assert hits(store, "शन") == []
    assert hits(store, "दर्शन") == ["पुलिस ने दर्शन किए।"]  # the whole word still matches


def test_query_is_nfc_normalised_and_operators_are_text(store):
    assert hits(store, "आपातकाल") == ["राष्ट्रपति ने आपातकाल की घोषणा की।"]
    assert hits(store, 'घोषणा OR "') == []  # OR is a word here, not an operator
    with pytest.raises(EmptyQuery):
        store.search('" * ')


def test_precomposed_and_combining_nukta_spellings_match_each_other(db_location):
    # U+095B (ज़ as one code point) in the article, ज + U+093C (nukta) typed in the query
    text = "\u0915\u095b\u093e\u0916\u093c\u0938\u094d\u0924\u093e\u0928 में हिंसा।"
    query = "\u0915\u091c\u093c\u093e\u0916\u093c\u0938\u094d\u0924\u093e\u0928"
    with open_store(db_location) as s:
        s.add_documents([stored(text)])
        assert len(s.search(query)) == 1


def test_search_hit_points_into_the_document(store):
    hit = store.search("आपातकाल")[0]
    doc = store.document(hit.doc_id)
    assert doc["text"][hit.start:hit.end] == hit.sentence
    assert hit.doc_name == "b.txt" and "[आपातकाल]" in hit.highlighted


def test_adding_the_same_documents_again_adds_nothing(store):
    before = store.stats()
    assert store.add_documents([stored("राष्ट्रपति ने आपातकाल की घोषणा की।", "b-copy.txt")]) == 0
    assert store.stats() == before


def test_documents_keep_their_order_and_metadata(store):
    docs = store.documents()
    assert [d["name"] for d in docs] == ["a.txt", "b.txt"]
    assert docs[1]["date"] == "2022-01-05" and docs[1]["lang"] == "hi"


def test_analysis_round_trips_through_the_store(store):
    doc_id = store.documents()[0]["id"]
    a = store.analysis(doc_id)
    assert a.text.startswith("अल्माटी") and len(a.sentences) == 2


def test_wal_mode_lets_a_reader_see_committed_batches_while_a_writer_is_open(tmp_path):
    path = str(tmp_path / "w.db")
    writer = open_store(path)
    writer.add_documents([stored("पहला लेख।", "1.txt")])
    reader = open_store(path, readonly=True)
    writer.db.execute("BEGIN IMMEDIATE")  # a writer in the middle of a batch
    writer.db.execute("INSERT INTO meta VALUES ('x', 'y')")
    assert reader.stats()["documents"] == 1
    writer.db.execute("ROLLBACK")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reader.close()
    writer.close()


def test_every_store_highlights_and_orders_hits_alike(tmp_path, pg_url):
    stores = [open_store(str(tmp_path / "h.db")), open_store(pg_url)]
    docs = [stored("कजाकिस्तान में प्रदर्शन हुए। प्रदर्शनकारियों ने Police से बात की।", "a.txt"),
            stored("पुलिस ने प्रदर्शन रोका।", "b.txt")]
    for s in stores:
        s.add_documents(docs)
    for q in ("प्रदर्शन*", "प्रदर्शन", "police", "प्रदर्शन* पुलिस"):
        sqlite_hits, pg_hits = ({(h.doc_name, h.start, h.highlighted) for h in s.search(q)} for s in stores)
        assert sqlite_hits == pg_hits, q
    assert {h.highlighted for h in stores[1].search("प्रदर्शन*")} == {
        "कजाकिस्तान में [प्रदर्शन] हुए।", "[प्रदर्शनकारियों] ने Police से बात की।", "पुलिस ने [प्रदर्शन] रोका।"}
    for s in stores:
        s.close()


def test_postgres_reader_sees_committed_batches_while_a_writer_is_open(pg_url):
    writer = open_store(pg_url)
    writer.add_documents([stored("पहला लेख।", "1.txt")])
    reader = open_store(pg_url, readonly=True)
    with writer.db.transaction():  # a writer in the middle of a batch
        writer.db.execute("INSERT INTO meta VALUES ('x', 'y')")
        assert reader.stats()["documents"] == 1
        assert reader.db.execute("SELECT count(*) FROM meta WHERE key = 'x'").fetchone()[0] == 0
    with pytest.raises(Exception, match="read-only"):
        reader.add_documents([stored("दूसरा लेख।", "2.txt")])
    reader.close()
    writer.close()


def test_postgres_names_what_is_wrong(pg_url, tmp_path):
    with pytest.raises(StoreError, match="no ghatna store"):
        open_store(pg_url, readonly=True)
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(f"postgresql://nobody@/nothing?host={tmp_path}")


def test_text_filter_follows_a_mention_to_the_event_it_is_moved_to(db_location):
    """A re-resolved mention may join another event: the text filter then finds that one."""
    with open_store(db_location) as s:
        item = stored("पुलिस ने आंसू गैस छोड़ी। सैनिक पहुंचे।", "a.txt", date="2022-01-05")
        s.add_documents([item])
        doc = item.document.id

        def resolve(event_id, start):
            s.save_resolution(Resolution(
                doc_ids=[doc], events=[Event(id=event_id, type="ASSAULT", mode=None, date="2022-01-05")],
                event_mentions=[("m-1", (1, 0), event_id, doc, {
                    "doc_id": doc, "doc_name": "a.txt", "sentence": "", "start": start,
                    "end": start + 1, "date_text": None})]))

        def found(text):
            return [e.id for e in s.query_events(EventFilter(text=text), 10).items]

        resolve("evt-a", 0)
        assert found("पुलिस") == ["evt-a"] and found("सैनिक") == []
        resolve("evt-b", 0)  # the same mention, now reporting evt-b; evt-a keeps no mention
        assert found("पुलिस") == ["evt-b"]
        resolve("evt-b", item.sentences[1][0])  # its trigger in the second sentence
        assert found("पुलिस") == [] and found("सैनिक") == ["evt-b"]


def test_stored_json_reads_back_as_the_standard_library_would_write_it():
    from ghatna.store.rows import dump_json

    values = [
        {"text": "अल्माटी में ५ लोग", "n": 5, "f": 0.1, "big": 10 ** 20, "neg": -(2 ** 63), "e": 1.5e16,
         "none": None, "list": [1, "दो", [3.25]], 7: "int key"},
        [2 ** 64, "beyond 64 bits: the standard library writes it"],
        {"nested": {"quote": 'a "b" \\ c\n', "zwj": "क्\u200dष"}},
    ]
    for v in values:
        text = dump_json(v)
        assert json.loads(text) == json.loads(json.dumps(v, ensure_ascii=False))
        assert "\\u09" not in text  # Devanagari as itself, not escaped


def _stories_naming_by_documents(store, people):
    """The stories naming each person as the documents say (every document naming the person,
    in its current story): what store.stories_naming answers from its person -> story rows."""
    p = store.P
    out = {}
    for person in people:
        rows = store.db.execute(
            f"SELECT DISTINCT d.story_id, s.seq FROM document_people dp JOIN documents d ON d.id = dp.doc_id"
            f" JOIN stories s ON s.id = d.story_id WHERE dp.entity_id = {p} ORDER BY 2", (person,)).fetchall()
        if rows:
            out[person] = [tuple(r) for r in rows]
    return out


def test_the_stories_naming_a_person_follow_story_merges_and_are_filled_for_an_older_store(db_location):
    from importlib import resources

    from ghatna.pipeline import run

    with resources.as_file(resources.files("ghatna.demo").joinpath("corpus")) as folder:
        with open_store(db_location) as s:
            # two documents a batch: stories made in one batch merge in a later one
            run([folder], s, batch_size=2)
            people = sorted(r[0] for r in s.db.execute("SELECT DISTINCT entity_id FROM document_people"))
            merged = s.db.execute("SELECT count(*) FROM stories").fetchone()[0]
            assert people and merged < len(s.documents())
            expected = _stories_naming_by_documents(s, people)
            assert s.stories_naming(people) == expected
            # a store written before the rows were kept: filled once when opened for writing
            s.db.execute("DELETE FROM person_stories")
            s.db.execute("DELETE FROM meta WHERE key = 'person_stories'")
            if hasattr(s.db, "commit"):
                s.db.commit()
        with open_store(db_location) as s:
            assert s.stories_naming(people) == expected


def test_a_batch_of_near_duplicate_lookups_answers_as_one_query_a_document_would(db_location):
    from ghatna.ingest import NEAR_DUPLICATE_THRESHOLD, lsh_bands, minhash_signature
    from ghatna.store.rows import best_near_duplicate

    base = ("अल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों पर कब्जा कर लिया और पुलिस ने आंसू गैस के गोले छोड़े। "
            "राष्ट्रपति ने देश भर में आपातकाल की घोषणा की और इंटरनेट बंद कर दिया गया। ")
    texts = [base * 3 + f"रिपोर्ट {i}।" + " अतिरिक्त शब्द" * (i % 4) for i in range(8)]
    texts.append("हांगकांग में लाखों लोगों ने प्रत्यर्पण बिल के खिलाफ प्रदर्शन किया।")

    def item(text, name):
        doc = Document(text=text, name=name, source=name)
        signature = minhash_signature(text)
        return StoredDocument.of(doc, analyse(doc, "hi"), signature, lsh_bands(signature))

    with open_store(db_location) as s:
        s.add_documents([item(t, f"{i}.txt") for i, t in enumerate(texts[:5])])
        probes = [item(t + " नया वाक्य।", f"p{i}.txt") for i, t in enumerate(texts)] + [item("", "empty.txt")]
        p = s.P
        expected = []
        for probe in probes:  # what one query for that document alone finds
            if not probe.bands:
                expected.append(None)
                continue
            rows = s.db.execute(
                f"SELECT DISTINCT g.doc_id, g.signature FROM document_bands b JOIN document_signatures g"
                f" ON g.doc_id = b.doc_id WHERE b.band IN ({','.join([p] * len(probe.bands))})"
                f" ORDER BY g.doc_id", probe.bands).fetchall()
            expected.append(best_near_duplicate(rows, probe.signature, NEAR_DUPLICATE_THRESHOLD))
        found = s.near_duplicates([(x.bands, x.signature) for x in probes], NEAR_DUPLICATE_THRESHOLD)
        assert found == expected
        assert sum(f is not None for f in found) >= 5 and found[-1] is None and found[-2] is None


def test_writes_in_one_transaction_are_seen_together_or_not_at_all(db_location):
    """Batches written inside `transaction()` read back in it, reach other readers together at
    its end, and all vanish if it fails part-way (a run re-does them)."""
    writer = open_store(db_location)
    writer.add_documents([stored("पहला लेख।", "1.txt")])
    reader = open_store(db_location, readonly=True)
    with writer.transaction():
        writer.add_documents([stored("दूसरा लेख।", "2.txt")])
        writer.add_documents([stored("तीसरा लेख।", "3.txt")])
        assert writer.stats()["documents"] == 3  # its own writes, before the commit
        assert reader.stats()["documents"] == 1
    assert reader.stats()["documents"] == 3
    with pytest.raises(RuntimeError, match="killed"):
        with writer.transaction():
            writer.add_documents([stored("चौथा लेख।", "4.txt")])
            writer.save_resolution(Resolution(doc_ids=[writer.documents()[0]["id"]]))
            raise RuntimeError("killed")
    assert writer.stats()["documents"] == reader.stats()["documents"] == 3
    assert len(writer.unresolved_documents()) == 3
    writer.add_documents([stored("चौथा लेख।", "4.txt")])  # and the store still takes writes
    assert reader.stats()["documents"] == 4
    reader.close()
    writer.close()
