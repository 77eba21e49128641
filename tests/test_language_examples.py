"""Every example in every language-pack table is run here, so the data documents and tests itself.

A table needs a checker in tests/examples/: a function that takes the pack and one row and
asserts that the row's `example` shows the row's behaviour. A table with no checker fails.
"""
import pytest

from ghatna.langs import available_packs, load_pack

from .examples import all_checkers

CHECKERS = all_checkers()


def all_rows():
    for code in available_packs():
        pack = load_pack(code)
        for table in pack.tables():
            for row in pack.table(table):
                yield pytest.param(code, table, row, id=f"{code}/{table}:{row['_line']}")


def test_there_is_a_hindi_pack():
    assert "hi" in available_packs()


@pytest.mark.parametrize("code,table,row", list(all_rows()))
def test_example(code, table, row):
    assert row.get("example"), "every entry needs an example"
    assert table in CHECKERS, f"no example checker for {table}: add one in tests/examples/"
    CHECKERS[table](load_pack(code), row)
