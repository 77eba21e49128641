"""Hostile text never breaks the map phase: no exception, and every span inside its text and
inside one sentence, checked after each extractor (bench/fuzz.py runs 10,000 cases of the same)."""
from hypothesis import HealthCheck, given, settings, strategies as st

from ghatna.analyse import EXTRACTORS, analyse, analyse_text, prepare
from ghatna.invariants import analysis_problems
from ghatna.schema import DocAnalysis, Document, Timex

from .strategies import DATES, hostile_texts, texts

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def document(text: str, date: str | None = None) -> Document:
    return Document(text=text, name="fuzz", source="fuzz", date=date)


@FUZZ
@given(texts(), DATES)
def test_every_extractor_keeps_its_spans_inside_the_text_and_one_sentence(text, date):
    analysis, pack = prepare(document(text, date), "hi")
    assert analysis_problems(analysis) == []
    for extract in EXTRACTORS:
        extract(analysis, pack)
        assert analysis_problems(analysis) == [], f"after {extract.__module__}"


@FUZZ
@given(st.text(max_size=300), st.sampled_from([None, "auto", "hi"]))
def test_analyse_takes_any_unicode_in_any_language_mode(text, lang):
    analysis = analyse(document(text), lang)
    assert analysis.text == Document(text=text, name="x", source="x").text
    assert analysis_problems(analysis) == []


@FUZZ
@given(st.lists(hostile_texts(max_pieces=8), min_size=1, max_size=4))
def test_lines_are_analysed_as_they_would_be_alone(lines):
    """A line break ends a sentence, so nothing found on one line may depend on the next."""
    joined = analyse_text("\n".join(lines), lang="hi")
    offset = 0
    for line in lines:
        alone = analyse_text(line, lang="hi")
        found = [(s.start + offset, s.end + offset, s.text) for s in alone.timexes]
        assert found == [(t.start, t.end, t.text) for t in joined.timexes
                         if offset <= t.start < offset + len(alone.text)]
        offset += len(alone.text) + 1  # as normalised (`क़` U+0958 is two code points in NFC)


def test_the_invariants_catch_a_span_that_crosses_a_sentence_or_lies():
    analysis = analyse_text("5 जनवरी\n2022 को पुलिस आई।", date="2022-01-05")
    assert analysis_problems(analysis) == []
    bad = DocAnalysis.from_json(analysis.to_json())
    bad.timexes = [Timex(0, 12, "5 जनवरी\n2022", "DATE", "2022-01-05")]
    assert analysis_problems(bad) == ["timex 0-12 '5 जनवरी\\n2022' is not inside one sentence"]
    bad.timexes = [Timex(0, 7, "6 जनवरी", "DATE", "2022-01-06")]
    assert "says '6 जनवरी'" in analysis_problems(bad)[0]
    bad.timexes = [Timex(20, 99, "x", "DATE", "2022-01-06")]
    assert "outside the text" in analysis_problems(bad)[0]


def test_a_line_break_ends_dates_numbers_and_roles():
    a = analyse_text("5 जनवरी\n2022 को", date="2022-01-05")
    assert [(t.text, t.value) for t in a.timexes] == [("5 जनवरी", "2022-01-05"), ("2022", "2022")]
    a = analyse_text("৩२59৬\nमंत्री ने इस्तीफा दिया")
    assert [e.actor.text for e in a.events] == ["मंत्री"]
