"""Every time-expression rule and word is run on its example sentence (publication date
2022-01-10, a Monday) through the real extractor."""
from ghatna.analyse import analyse_text

ANCHOR = "2022-01-10"


def timexes(example):
    return [(t.text, t.value) for t in analyse_text(example, date=ANCHOR, lang="hi").timexes]


def check_rule(pack, row):
    span, _, value = row["expect"].partition(" => ")
    found = timexes(row["example"])
    assert (span, value) in found, f"{row['name']}: want {span!r} = {value}, got {found}"


def check_word(pack, row):
    found = timexes(row["example"])
    cls, form = row["class"], row["form"]
    if cls == "common":  # never the only reason to try a rule that has other words
        from ghatna.extract.timex import grammar
        common = set(grammar(pack).classes["common"])
        assert all(r.anchors <= common for r in grammar(pack).rules if form in r.anchors)
        assert form in row["example"].split() and found, found
        return
    if cls in ("range_joint", "of_joint"):  # the two expressions are one
        assert len(found) == 1 and f" {form} " in f" {found[0][0]} ", found
        return
    if cls == "clause_break":  # the weekday's clause is past, कल's is future
        assert ("शनिवार", "2022-01-08") in found and ("कल", "2022-01-11") in found, found
        joined = timexes(row["example"].replace(f" {form} ", " "))
        assert ("शनिवार", "2022-01-15") in joined, joined  # one clause: all of it future
        return
    if cls in ("not_after_year",):
        assert not any(t[0].isdigit() and len(t[0]) == 4 for t, _ in found), found
        return
    if cls == "vague_unit":  # a vague duration in that unit
        assert (form, f"PTX{row['value']}") in found, found
        return
    if cls in ("name_word",):
        assert any(form in t for t, _ in found), found
        return
    assert any(form in t for t, _ in found), f"{cls} {form!r} not inside any timex of {found}"


def check_tense(pack, row):
    from ghatna.extract.timex import grammar, sentence_tense
    assert sentence_tense(row["example"], grammar(pack)) == row["tense"]


def check_number(pack, row):
    from ghatna.extract.timex import grammar, number_value
    g = grammar(pack)
    assert number_value(row["word"], g) == float(row["value"])
    assert any(row["word"] in t for t, _ in timexes(row["example"])), timexes(row["example"])


def check_number_modifier(pack, row):
    from ghatna.extract.timex import grammar, number_value
    g = grammar(pack)
    op, amount = row["operation"].split()
    want = 3 + float(amount) * (1 if op == "plus" else -1)
    assert number_value(f"{row['word']} तीन", g) == want
    assert any(row["word"] in t for t, _ in timexes(row["example"]))


CHECKERS = {
    "timex/rules.tsv": check_rule,
    "timex/words.tsv": check_word,
    "tense.tsv": check_tense,
    "numbers.tsv": check_number,
    "number_modifiers.tsv": check_number_modifier,
}
