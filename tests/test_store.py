"""The SQLite store: Devanagari-correct search, idempotent writes, readers beside a writer."""
import sqlite3

import pytest

from ghatna.analyse import analyse
from ghatna.schema import Document
from ghatna.store import EmptyQuery, StoredDocument, open_store


def stored(text, name="a.txt", **kw):
    doc = Document(text=text, name=name, source=name, **kw)
    return StoredDocument(doc, analyse(doc, "hi"))


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "g.db"))
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


def test_precomposed_and_combining_nukta_spellings_match_each_other():
    # U+095B (ज़ as one code point) in the article, ज + U+093C (nukta) typed in the query
    text = "\u0915\u095b\u093e\u0916\u093c\u0938\u094d\u0924\u093e\u0928 में हिंसा।"
    query = "\u0915\u091c\u093c\u093e\u0916\u093c\u0938\u094d\u0924\u093e\u0928"
    with open_store(":memory:") as s:
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
