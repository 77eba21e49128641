"""Reading Hindi number phrases (extract/numbers.py): the phrase, the number it states."""
import pytest

from ghatna.extract import numbers
from ghatna.extract.timex import grammar, number_value
from ghatna.langs import load_pack
from ghatna.text import tokenize

PACK = load_pack("hi")
WORDS = numbers.number_words(PACK)


@pytest.mark.parametrize("phrase,value", [
    ("164", 164), ("१६४", 164), ("3,600", 3600), ("1,50,000", 150000), ("12,34,567", 1234567),
    ("8.2", 8.2), ("दो", 2), ("बीस", 20), ("छब्बीस", 26), ("निन्यानवे", 99), ("डेढ़", 1.5),
    ("ढाई", 2.5), ("साढ़े तीन", 3.5), ("सवा दो", 2.25), ("पौने दो", 1.75), ("दो सौ", 200),
    ("20 हजार", 20000), ("20 हज़ार", 20000), ("डेढ़ लाख", 150000), ("5 करोड़", 50000000),
    ("दो हजार पांच सौ", 2500), ("10 लाख 30 हजार", 1030000), ("2 लाख 40 हजार", 240000),
    ("सवा सौ", 125), ("साढ़े तीन लाख", 350000), ("सौ करोड़", 1000000000), ("दो दर्जन", 24),
    ("दो अरब", 2000000000), ("हजारों", 1000), ("लाख", 100000),
])
def test_phrase_value(phrase, value):
    assert numbers.value(phrase, WORDS) == value


@pytest.mark.parametrize("phrase", ["", "लोग", "दो लोग", "सऊदी"])
def test_not_one_number(phrase):
    assert numbers.value(phrase, WORDS) is None


def found(text):
    return [(text[m.start:m.end], m.value, m.approx, m.vague)
            for m in numbers.find_numbers(text, tokenize(text), WORDS)]


@pytest.mark.parametrize("text,expected", [
    ("करीब 8 हजार लोग हिरासत में", [("8 हजार", 8000, "about", False)]),
    ("3,000 से अधिक लोगों को हिरासत में लिया", [("3,000", 3000, "more_than", False)]),
    ("कम से कम 18 लोगों की जान गई", [("18", 18, "at_least", False)]),
    ("करीब-करीब 300 लोग", [("300", 300, "about", False)]),
    ("हजारों लोग सड़कों पर उतरे", [("हजारों", 1000, None, True)]),
    ("सऊदी अरब ने 5वीं बार कहा", []),  # a bare अरब is Arabia; 5वीं is an ordinal
    ("पांच से ज्यादा लोगों के एक साथ जमा होने पर रोक", [("पांच", 5, "more_than", False)]),
])
def test_find_numbers(text, expected):
    assert found(text) == expected


def test_timex_reads_numbers_here():
    g = grammar(PACK)
    for phrase in ("३", "डेढ़", "साढ़े तीन", "3,600", "पौने दो", "लाख"):
        assert number_value(phrase, g) == numbers.value(phrase, WORDS)
