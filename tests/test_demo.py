"""`ghatna demo`: the bundled corpus goes in whole, dated, and a second run adds nothing."""
import sqlite3


def test_demo_ingests_all_eight_articles_with_dates_and_is_idempotent(ghatna, tmp_path):
    first = ghatna("demo")
    assert first.code == 0, first.stderr
    assert "8 new document(s)" in first.stderr
    rows = sqlite3.connect(tmp_path / "demo.db").execute(
        "SELECT name, date FROM documents ORDER BY date, name").fetchall()
    assert len(rows) == 8 and all(date for _, date in rows)
    assert rows[0] == ("01-zhanaozen.txt", "2022-01-03")
    assert ("03-csto-request.html", "2022-01-06") in rows and ("wire-2022-01-07-kz", "2022-01-07") in rows
    second = ghatna("demo")
    assert second.code == 0 and "0 new document(s)" in second.stderr


def test_demo_names_are_searchable_in_every_spelling(ghatna, tmp_path):
    ghatna("demo")
    found = {h["doc_name"] for h in ghatna("search", "--db", "demo.db", "टोकायव", "--json").json()}
    assert {"01-zhanaozen.txt", "wire-2022-01-07-kz"} <= found
    assert ghatna("search", "--db", "demo.db", "Tokayev", "--json").json()
