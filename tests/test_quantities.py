"""Quantities (extract/quantities.py): the sentence, then every quantity found as
(text, value, unit, kind)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghatna.analyse import analyse_text


def quantities(text, date="2022-01-10"):
    return [(q.text, q.value, q.unit, q.kind) for q in analyse_text(text, date=date).quantities]


@pytest.mark.parametrize("sentence,expected", [
    ("हिंसा में 164 लोगों की मौत हुई।", [("164", 164, None, "dead")]),
    ("देशभर में अब तक १६४ लोगों की मौत हुई है।", [("१६४", 164, None, "dead")]),
    ("देशभर में 3,000 से अधिक लोगों को हिरासत में लिया गया है।", [("3,000", 3000, None, "arrested")]),
    ("करीब 8 हजार लोग हिरासत में।", [("8 हजार", 8000, None, "arrested")]),
    ("सीएसटीओ दल में कुल 2,500 सैनिक होंगे।", [("2,500", 2500, None, "troops")]),
    ("झड़पों में 95 पुलिसकर्मी घायल हुए हैं।", [("95", 95, None, "injured")]),
    ("सरकार ने डेढ़ लाख रुपये दिए।", [("डेढ़ लाख", 150000, "INR", "money")]),
    ("सुरक्षा बलों की फायरिंग में 38 प्रदर्शनकारियों की मौत", [("38", 38, None, "dead")]),
    ("उसके 22 जवान भी जख्मी हुए।", [("22", 22, None, "injured")]),
    ("मार्च में 10 लाख 30 हजार लोगों ने हिस्सा लिया।", [("10 लाख 30 हजार", 1030000, None, "participants")]),
    ("कीमत 60 टेंगे से बढ़कर करीब 120 टेंगे हो गई।",
     [("60", 60, "KZT", "money"), ("120", 120, "KZT", "money")]),
    ("कनेक्टिविटी महज 16 फीसदी रह गई।", [("16", 16, "%", "other")]),
    ("एलपीजी के दाम दोगुने हो गए।", [("दोगुने", 2, "times", "other")]),
    ("70 से अधिक सैन्य विमानों से सामान पहुंचाया गया।", [("70", 70, None, "other")]),
    # time expressions are not quantities: a year, 48 घंटे, an age
    ("दिसंबर 2011 में 48 घंटे तक कर्फ्यू रहा और 20 वर्षीय छात्र आया।", []),
    # vague counts state no number; a lone एक is the article
    ("हजारों लोग सड़कों पर उतरे और एक बयान जारी हुआ।", []),
    ("शनिवार रात एक प्रदर्शनकारी की मौत हो गई।", [("एक", 1, None, "dead")]),
    ("मृतकों की संख्या बढ़कर 225 हो गई।", [("225", 225, None, "dead")]),
    ("95 पुलिसकर्मी घायल हुए, जबकि 200 से अधिक लोगों को हिरासत में लिया गया।",
     [("95", 95, None, "injured"), ("200", 200, None, "arrested")]),
])
def test_quantities(sentence, expected):
    assert quantities(sentence) == expected


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=120))
def test_never_raises_and_spans_stay_inside(text):
    a = analyse_text(text, date="2022-01-10", lang="hi")
    for q in a.quantities:
        assert 0 <= q.start < q.end <= len(a.text) and a.text[q.start:q.end] == q.text
    for c in a.claims:
        assert 0 <= c.start <= c.end <= len(a.text) and a.text[c.start:c.end] == c.text
        if c.speaker:
            assert a.text[c.speaker.start:c.speaker.end] == c.speaker.text


_HINDI = st.lists(st.sampled_from(list("0123456789०१२३४५६७८९,.\" “”'।") +
                                          ["करीब ", "से अधिक ", " हजार ", " लाख ", "दो ", "ने कहा कि ",
                                           " के मुताबिक ", "लोग ", "मारे गए ", "उन्होंने ", "साढ़े ",
                                           "रुपये ", "का कहना है ", "\n"]), max_size=30).map("".join)


@settings(max_examples=80, deadline=None)
@given(_HINDI)
def test_hindi_like_noise_never_raises(text):
    test_never_raises_and_spans_stay_inside.hypothesis.inner_test(text)
