"""PLOVER events in Hindi sentences: type, mode, who did what to whom, where, when, whether."""
from hypothesis import given, settings, strategies as st

from ghatna.analyse import analyse_text


def ev(text, date="2022-01-07"):
    return [(e.type, e.mode, e.trigger.text, e.actor and e.actor.text, e.recipient and e.recipient.text)
            for e in analyse_text(text, date=date, lang="hi").events]


def one(text, date="2022-01-07"):
    events = analyse_text(text, date=date, lang="hi").events
    assert len(events) == 1, [(e.type, e.trigger.text) for e in events]
    return events[0]


def test_arrest_with_agent_and_object():
    assert ev("पुलिस ने दो अभियुक्तों को गिरफ्तार किया है।") == [
        ("COERCE", "arrest", "गिरफ्तार किया है", "पुलिस", "दो अभियुक्तों")]


def test_inflected_light_verbs_are_one_trigger():
    for sentence, trigger in [("सेना ने नेताओं को हिरासत में ले लिया।", "हिरासत में ले लिया"),
                              ("पुलिस ने उन्हें गिरफ्तार कर लिया था।", "गिरफ्तार कर लिया था"),
                              ("पुलिस उन्हें गिरफ्तार करेगी।", "गिरफ्तार करेगी")]:
        assert one(sentence).trigger.text == trigger


def test_request_from_recipient_marked_by_se_and_the_date_of_the_sentence():
    e = one("राष्ट्रपति टोकायव ने 5 जनवरी को सीएसटीओ से मदद मांगी।")
    assert (e.type, e.mode, e.actor.text, e.recipient.text, e.date) == (
        "REQUEST", "assist", "राष्ट्रपति टोकायव", "सीएसटीओ", "2022-01-05")
    assert e.confidence >= 0.8


def test_passive_takes_the_agent_from_dvara_and_the_victim_from_ko():
    e = one("प्रदर्शनकारियों को सुरक्षा बलों द्वारा गिरफ्तार किया गया।")
    assert (e.actor.text, e.recipient.text) == ("सुरक्षा बलों", "प्रदर्शनकारियों")


def test_a_compound_with_jana_is_not_a_passive():
    e = one("पुलिस उसे थाने ले गई।")
    assert (e.type, e.actor.text, e.recipient.text) == ("COERCE", "पुलिस", "उसे")


def test_place_is_a_location_before_men():
    e = one("अल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों में आग लगा दी।")
    assert (e.type, e.mode, e.location.text) == ("PROTEST", "riot", "अल्माटी")


def test_negation_and_modality():
    assert one("पुलिस ने केस दर्ज नहीं किया।").negated
    assert one("कल फिर प्रदर्शन होगा।").modality == "future"
    assert one("अगर सरकार नहीं मानी तो किसान हड़ताल करेंगे।").modality == "hypothetical"


def test_a_demanded_event_is_also_a_request():
    found = ev("मंत्री को इस्तीफा देना चाहिए।")
    assert [f[0] for f in found] == ["RETREAT", "REQUEST"]
    assert analyse_text("मंत्री को इस्तीफा देना चाहिए।", lang="hi").events[0].modality == "demand"


def test_lists_determiners_and_titles_stay_in_the_phrase():
    assert ev("पुलिस ने कमल, बृजेश, रवींद्र और बंटी को गिरफ्तार कर लिया।")[0][4] == "कमल, बृजेश, रवींद्र और बंटी"
    assert ev("इन लोगों ने उसके पिता को धमकी दी।")[0][3:] == ("इन लोगों", "उसके पिता")
    assert ev("पूर्व मेयर डॉ. कंवरसैन ने उपराज्यपाल से मुलाकात की।")[0][3:] == (
        "पूर्व मेयर डॉ. कंवरसैन", "उपराज्यपाल")


def test_a_reported_clause_does_not_borrow_the_speakers_agent():
    e = [x for x in ev("मंत्री ने कहा कि 50 लोगों को गिरफ्तार किया गया।") if x[0] == "COERCE"][0]
    assert e[3] is None and e[4] == "50 लोगों"


def test_undated_event_takes_the_narratives_date_with_lower_confidence():
    a = analyse_text("5 जनवरी को हिंसा भड़की। पुलिस ने सैकड़ों लोगों को गिरफ्तार किया।", date="2022-01-07", lang="hi")
    arrest = [e for e in a.events if e.type == "COERCE"][0]
    dated = one("पुलिस ने 6 जनवरी को सैकड़ों लोगों को गिरफ्तार किया।")
    assert arrest.date == "2022-01-05" and arrest.confidence < dated.confidence


def test_march_of_protesters_is_an_event_not_a_date():
    a = analyse_text("छात्रों ने शहर में मार्च निकाला।", date="2022-01-07", lang="hi")
    assert a.timexes == [] and [(e.type, e.trigger.text) for e in a.events] == [("PROTEST", "मार्च निकाला")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["पुलिस", "ने", "को", "से", "पर", "में", "गिरफ्तार", "किया", "गया", "हमला",
                                 "की", "मांग", "नहीं", "और", ",", "।", "(", ")", "डॉ", ".", "उन्होंने", "उसे",
                                 "द्वारा", "चाहिए", "5 जनवरी", "इन", "-", " "]), max_size=30))
def test_never_raises_and_every_span_is_inside_the_text(words):
    a = analyse_text(" ".join(words), date="2022-01-07", lang="hi")
    for e in a.events:
        for span in (e.trigger, e.actor, e.recipient, e.location):
            if span is not None:
                assert a.text[span.start:span.end] == span.text and span.start < span.end
