"""Highlighted spans and the segments a page renders them from."""
from ghatna.analyse import analyse
from ghatna.schema import Document
from ghatna.web.highlight import document_spans, mention_spans, segments


def span(kind, start, end):
    return {"kind": kind, "start": start, "end": end, "label": None, "detail": None}


def test_overlapping_spans_cut_the_text_into_marked_segments():
    text = "पुलिस ने 5 जनवरी को गोली चलाई"
    spans = [span("timex", 9, 16), span("quantity", 9, 10), span("actor", 0, 5)]
    segs = segments(text, spans)
    assert "".join(s["text"] for s in segs) == text
    assert [(s["text"], s["marks"]) for s in segs] == [
        ("पुलिस", [2]), (" ने ", []), ("5", [0, 1]), (" जनवरी", [0]), (" को गोली चलाई", [])]


def test_spans_outside_the_text_are_clipped_and_empty_ones_dropped():
    segs = segments("abc", [span("x", 2, 10), span("y", 1, 1)])
    assert [(s["text"], s["marks"]) for s in segs] == [("ab", []), ("c", [0])]


def test_an_event_mention_shows_its_roles_date_and_numbers_inside_its_sentence():
    text = "पहला वाक्य। अल्माटी में प्रदर्शनकारियों ने 5 जनवरी को सरकारी इमारतों पर कब्जा कर लिया।"
    doc = Document(text=text, name="a.txt", source="a.txt", date="2022-01-06")
    analysis = analyse(doc, "hi")
    em = next(e for e in analysis.events if e.type == "COERCE")
    sentence, spans = mention_spans(analysis, em.trigger.start, em.trigger.end)
    sent = text[sentence["start"]:sentence["end"]]
    assert sent.startswith("अल्माटी")
    shown = {s["kind"]: sent[s["start"]:s["end"]] for s in spans}
    assert shown["trigger"] == em.trigger.text
    assert shown["actor"] == "प्रदर्शनकारियों"
    assert shown["timex"] == "5 जनवरी"
    assert {s["kind"] for s in document_spans(analysis)} >= {"entity", "trigger", "timex"}
