"""Hindi time expressions: the span a reader would mark and its TIMEX3 value."""
from hypothesis import given, settings, strategies as st

from ghatna.analyse import analyse_text


def tx(text, date="2022-01-10"):
    return [(t.text, t.type, t.value) for t in analyse_text(text, date=date, lang="hi").timexes]


def test_date_with_postposition_left_out_of_the_span():
    assert tx("सेना 6 जनवरी को पहुंची।") == [("6 जनवरी", "DATE", "2022-01-06")]


def test_spelling_variants_and_devanagari_digits():
    assert tx("५ सितम्बर और 7 सितंबर को तथा 3 अक्तूबर को बैठक हुई थी।", date="2021-11-01") == [
        ("५ सितम्बर", "DATE", "2021-09-05"), ("7 सितंबर", "DATE", "2021-09-07"),
        ("3 अक्तूबर", "DATE", "2021-10-03")]


def test_year_less_date_takes_the_nearest_year_preferring_the_past_for_past_tense():
    assert tx("28 दिसंबर को हिंसा हुई थी।", date="2022-01-05") == [("28 दिसंबर", "DATE", "2021-12-28")]
    assert tx("चुनाव 19 मार्च को होंगे।", date="2022-01-05") == [("19 मार्च", "DATE", "2022-03-19")]


def test_no_publication_date_leaves_the_year_unknown():
    assert tx("5 जनवरी को आपातकाल लगा।", date=None) == [("5 जनवरी", "DATE", "XXXX-01-05")]


def test_kal_is_yesterday_in_the_past_and_tomorrow_in_the_future():
    assert tx("कल पुलिस ने लाठीचार्ज किया था।") == [("कल", "DATE", "2022-01-09")]
    assert tx("कल फिर प्रदर्शन होगा।") == [("कल", "DATE", "2022-01-11")]


def test_mangi_asked_is_not_a_future_verb():
    # मांगी ("asked") ends in -गी like future verbs; the weekday must stay in the past
    assert tx("रविवार को लैम ने माफी मांगी।", date="2019-06-17") == [("रविवार", "DATE", "2019-06-16")]


def test_weekday_is_the_latest_one_on_or_before_publication():
    assert tx("बीते मंगलवार को हिंसा हुई।") == [("बीते मंगलवार", "DATE", "2022-01-04")]
    assert tx("सोमवार तड़के सेना पहुंची।") == [("सोमवार तड़के", "TIME", "2022-01-10TMO")]


def test_anaphora_follows_the_last_mentioned_date():
    assert tx("5 जनवरी को हिंसा हुई। उसी रात सेना बुलाई गई और अगले दिन शाम कर्फ्यू लगा।") == [
        ("5 जनवरी", "DATE", "2022-01-05"), ("उसी रात", "TIME", "2022-01-05TNI"),
        ("अगले दिन शाम", "TIME", "2022-01-06TEV")]


def test_relative_expressions_against_publication():
    assert tx("दो दिन पहले हिंसा भड़की और पिछले सप्ताह बैठक हुई थी।") == [
        ("दो दिन पहले", "DATE", "2022-01-08"), ("पिछले सप्ताह", "DATE", "2022-W01")]
    assert tx("इस महीने की शुरुआत में चुनाव होंगे।") == [("इस महीने की शुरुआत", "DATE", "2022-01")]


def test_clock_times_and_parts_of_day():
    assert tx("रात आठ बजे कर्फ्यू लगा।") == [("रात आठ बजे", "TIME", "XXXX-XX-XXT20:00")]
    assert tx("गुरुवार देर रात करीब 1 बजे धमाका हुआ।") == [
        ("गुरुवार देर रात करीब 1 बजे", "TIME", "2022-01-06T01:00")]


def test_durations_and_sets():
    assert tx("48 घंटे तक कर्फ्यू रहा और डेढ़ साल मुकदमा चला।") == [
        ("48 घंटे", "DURATION", "PT48H"), ("डेढ़ साल", "DURATION", "P1.5Y")]
    assert tx("हर साल मेला लगता है।") == [("हर साल", "SET", "P1Y")]
    assert tx("20 वर्षीय छात्र घायल हुआ।") == [("20 वर्षीय", "DURATION", "P20Y")]


def test_ranges_are_one_expression_starting_at_the_first():
    assert tx("30 अप्रैल से 16 मई तक धारा 144 लागू रही।", date="2022-06-01") == [
        ("30 अप्रैल से 16 मई", "DATE", "2022-04-30")]


def test_years_and_decades():
    assert tx("साल 1998 में परीक्षण हुआ और 1930 के दशक में आंदोलन।") == [
        ("साल 1998", "DATE", "1998"), ("1930 के दशक", "DATE", "193")]


def test_numbers_that_are_not_years_and_a_march_that_is_not_march():
    assert tx("2000 लोग जुटे और 2500 सैनिक भेजे गए।") == []
    assert tx("प्रदर्शनकारियों ने मार्च निकाला।") == []
    assert tx("5 मार्च को प्रदर्शनकारियों ने मार्च निकाला।") == [("5 मार्च", "DATE", "2021-03-05")]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("०१२३४५६७८९0123456789 -,.:/।") + [
    "जनवरी", "मार्च", "सोमवार", "कल", "आज", "दिन", "साल", "पहले", "बाद", "से", "की", "को", "रात",
    "बजे", "हर", "उसी", "अगले", "पिछले", "डेढ़", "साढ़े", "दशक", "के", "तारीख", "\n", "ज़", "\u093c"]),
    max_size=40),
       st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_never_raises_and_spans_stay_inside_the_text(pieces, date):
    a = analyse_text("".join(pieces), date=date, lang="hi")
    prev = 0
    for t in a.timexes:
        assert prev <= t.start < t.end <= len(a.text) and a.text[t.start:t.end] == t.text
        assert t.type in ("DATE", "TIME", "DURATION", "SET") and t.value
        prev = t.end


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_raises(text):
    analyse_text(text, date="2022-01-10", lang="hi")


def test_tense_is_read_in_the_expressions_own_clause():
    from ghatna.analyse import analyse_text
    a = analyse_text("मंत्री ने शनिवार को कहा कि कल प्रदर्शन होगा।", date="2022-01-10", lang="hi")
    assert [(t.text, t.value) for t in a.timexes] == [("शनिवार", "2022-01-08"), ("कल", "2022-01-11")]
