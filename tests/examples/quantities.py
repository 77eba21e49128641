"""Numbers and quantities: every row of quantities/*.tsv run on its example through the real
extractors (analyse_text), so the tables document and test themselves."""
from ghatna.analyse import analyse_text
from ghatna.extract import numbers

DATE = "2022-01-10"


def quantities(example):
    return [(q.text, q.value, q.unit, q.kind) for q in analyse_text(example, date=DATE, lang="hi").quantities]


def check_kind(pack, row):
    kind, _, value = row["expect"].partition("=")
    found = quantities(row["example"])
    assert any(k == kind and v == float(value) for _, v, _, k in found), f"{row['cue']}: want {row['expect']}, got {found}"


def check_unit(pack, row):
    value, unit = row["expect"].split()
    found = quantities(row["example"])
    assert any(u == unit and v == float(value) and k == row["kind"] for _, v, u, k in found), found


def check_approximate(pack, row):
    w = numbers.number_words(pack)
    found = quantities(row["example"])
    cls = row["class"]
    if cls == "vague":
        assert numbers.value(row["words"], w) == float(row["value"])
        assert not any(row["words"] in t for t, *_ in found), "a vague count is no quantity"
    elif cls == "not_number":
        assert not any(t == "एक" for t, *_ in found), found
    else:
        # the approximator stays outside the span, the value is the number as stated
        assert found and all(row["words"] not in t for t, *_ in found), found
        assert found[0][1] == numbers.value(found[0][0], w), found


def check_clause_break(pack, row):
    found = quantities(row["example"])
    assert found and found[0][3] == "other", found


CHECKERS = {
    "quantities/kinds.tsv": check_kind,
    "quantities/units.tsv": check_unit,
    "quantities/approximate.tsv": check_approximate,
    "quantities/clause_breaks.tsv": check_clause_break,
}
