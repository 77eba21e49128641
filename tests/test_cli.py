"""The command line as a new user meets it: every input format in one run, errors named, exit
codes, re-runs that add nothing, Devanagari search, and `tag` on JSON Lines."""
import io
import json
import sqlite3

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

TXT = "अल्माटी में हिंसा\n\nअल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों पर कब्जा कर लिया। पुलिस ने आंसू गैस के गोले छोड़े।\n"
HTML = """<!doctype html><html><head><meta charset="utf-8"><title>आपातकाल की घोषणा</title>
<meta property="article:published_time" content="2022-01-05T10:00:00+05:30"></head><body>
<nav><a href="/">होम</a> <a href="/desh">देशमेनू</a> <a href="/khel">खेलमेनू</a></nav>
<script>var trackingpixel = "विज्ञापनकोड";</script>
<article><h1>आपातकाल की घोषणा</h1>
<p>राष्ट्रपति ने बुधवार को पूरे देश में दो सप्ताह के लिए आपातकाल की घोषणा कर दी। सरकार के इस्तीफे के बाद यह कदम उठाया गया।</p>
<p>गृह मंत्रालय के मुताबिक राजधानी में कर्फ्यू लागू है और इंटरनेट सेवाएं बंद कर दी गई हैं। अधिकारियों ने लोगों से घरों में रहने की अपील की।</p>
<p>विपक्षी नेताओं ने सरकार पर हालात बिगाड़ने का आरोप लगाया और तत्काल बातचीत की मांग की।</p>
</article>
<footer>सर्वाधिकार सुरक्षित पादलेखपाठ 2022</footer></body></html>"""
JSONL_GOOD_1 = {"id": "wire-1", "date": "2022-01-06", "text": "सीएसटीओ के सैनिक कजाकिस्तान पहुंचे। रूस ने विमान भेजे।"}
JSONL_GOOD_2 = {"id": "wire-2", "date": "2022-01-07", "text": "राष्ट्रपति ने बिना चेतावनी गोली चलाने का आदेश दिया।"}
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>समाचार</title><link>https://example.org</link><description>d</description>
<item><title>हवाई अड्डे पर कब्जा</title><link>https://example.org/a</link><guid>a</guid>
<pubDate>Thu, 06 Jan 2022 08:00:00 +0530</pubDate>
<description><![CDATA[<p>प्रदर्शनकारियों ने अल्माटी हवाई अड्डे पर कब्जा कर लिया। उड़ानें रद्द कर दी गईं।</p>]]></description></item>
</channel></rss>"""
WARC_PAGE = """<html><head><meta charset="utf-8"><title>गिरफ्तारियां</title></head><body>
<article><p>सुरक्षा बलों ने देशभर में हजारों लोगों को गिरफ्तार किया। गृह मंत्रालय ने गिरफ्तारियों की पुष्टि की।</p>
<p>अधिकारियों के अनुसार हिरासत में लिए गए लोगों में कई विदेशी नागरिक भी शामिल हैं।</p></article></body></html>"""


def write_warc(path):
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record("https://example.org/arrests", "response",
                                        payload=io.BytesIO(WARC_PAGE.encode()), http_headers=http,
                                        warc_headers_dict={"WARC-Date": "2022-01-08T12:00:00Z"})
        writer.write_record(rec)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "almaty.txt").write_text(TXT, encoding="utf-8")
    (folder / "emergency.html").write_text(HTML, encoding="utf-8")
    (folder / "sub" / "wire.jsonl").write_text(
        json.dumps(JSONL_GOOD_1, ensure_ascii=False) + "\n{\"id\": \"broken\", \"text\": \n"
        + json.dumps(JSONL_GOOD_2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_warc(folder / "sub" / "crawl.warc.gz")
    (folder / "feed.xml").write_text(RSS, encoding="utf-8")
    return folder


def store_counts(db):
    con = sqlite3.connect(db)
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("documents", "sentences", "analyses", "events", "entities", "claims")}
    con.close()
    return out


def test_one_run_ingests_every_format_names_the_broken_line_and_exits_1(ghatna, corpus, tmp_path):
    r = ghatna("run", "--db", "g.db", "--date", "2022-01-04", corpus)
    assert r.code == 1
    assert "wire.jsonl:2" in r.stderr and "JSON" in r.stderr
    docs = sqlite3.connect(tmp_path / "g.db").execute(
        "SELECT name, date FROM documents ORDER BY name").fetchall()
    assert docs == [("almaty.txt", "2022-01-04"), ("crawl.warc.gz#1", "2022-01-08"),
                    ("emergency.html", "2022-01-05"), ("feed.xml#1", "2022-01-06"),
                    ("wire-1", "2022-01-06"), ("wire-2", "2022-01-07")]

    # every article is searchable
    for word, name in [("आंसू", "almaty.txt"), ("कर्फ्यू", "emergency.html"), ("सीएसटीओ", "wire-1"),
                       ("चेतावनी", "wire-2"), ("उड़ानें", "feed.xml#1"), ("गिरफ्तारियों", "crawl.warc.gz#1")]:
        hits = ghatna("search", "--db", "g.db", word, "--json").json()
        assert [h["doc_name"] for h in hits] == [name], word
    # no boilerplate was indexed
    for junk in ("देशमेनू", "विज्ञापनकोड", "पादलेखपाठ"):
        assert ghatna("search", "--db", "g.db", junk, "--json").json() == []

    # the same command again changes nothing
    before = store_counts(tmp_path / "g.db")
    again = ghatna("run", "--db", "g.db", "--date", "2022-01-04", corpus)
    assert again.code == 1 and "wire.jsonl:2" in again.stderr
    assert store_counts(tmp_path / "g.db") == before


def test_prefix_search_finds_inflected_word_but_never_a_fragment(ghatna, corpus, db_location):
    db = db_location
    ghatna("run", "--db", db, corpus)
    hits = ghatna("search", "--db", db, "प्रदर्शन*", "--json").json()
    assert {h["doc_name"] for h in hits} == {"almaty.txt", "feed.xml#1"}
    assert all("प्रदर्शनकारियों" in h["sentence"] for h in hits)
    assert ghatna("search", "--db", db, "शन", "--json").json() == []
    plain = ghatna("search", "--db", db, "प्रदर्शन*")
    assert plain.code == 0 and "[प्रदर्शनकारियों]" in plain.stdout


def test_a_clean_run_exits_0_and_reports_what_it_did(ghatna, tmp_path, db_location):
    (tmp_path / "a.txt").write_text(TXT, encoding="utf-8")
    r = ghatna("run", "--db", db_location, "a.txt")
    assert r.code == 0 and "added 1 document" in r.stderr
    r = ghatna("run", "--db", db_location, "a.txt")
    assert r.code == 0 and "added 0 document" in r.stderr


def test_tag_jsonl_gives_one_line_per_input_line_in_order(ghatna):
    lines = [json.dumps({"id": "n1", "text": "पुलिस ने लाठीचार्ज किया। लोग घायल हुए।", "date": "2022-01-05"},
                        ensure_ascii=False),
             "this is not json",
             json.dumps({"id": 7, "text": "सेना तैनात की गई।", "lang": "hi"}, ensure_ascii=False),
             json.dumps({"id": "n3"}),
             json.dumps(["not", "an", "object"])]
    r = ghatna("tag", "--jsonl", input="\n".join(lines) + "\n")
    assert r.code == 1
    out = r.jsonl()
    assert len(out) == len(lines)
    assert [o.get("id") for o in out] == ["n1", None, "7", "n3", None]
    fields = {"id", "lang", "date", "text", "sentences", "timexes", "entities", "quantities", "events", "claims"}
    assert set(out[0]) == fields and set(out[2]) == fields
    assert out[0]["date"] == "2022-01-05" and out[0]["lang"] == "hi"
    assert [out[0]["text"][s["start"]:s["end"]] for s in out[0]["sentences"]] == [
        "पुलिस ने लाठीचार्ज किया।", "लोग घायल हुए।"]
    assert set(out[1]) == {"id", "error"} and set(out[3]) == {"id", "error"} and set(out[4]) == {"id", "error"}
    assert ":2:" in r.stderr and ":4:" in r.stderr and ":5:" in r.stderr


def test_tag_plain_reads_a_file_and_prints_one_object(ghatna, tmp_path):
    (tmp_path / "a.txt").write_text(TXT, encoding="utf-8")
    r = ghatna("tag", "--date", "2022-01-05", "a.txt")
    assert r.code == 0
    obj = r.json()
    assert obj["id"] is None and obj["date"] == "2022-01-05" and obj["lang"] == "hi"
    assert len(obj["sentences"]) == 3


@pytest.mark.parametrize("args", [
    ["run", "--date", "5 Jan", "x.txt"],
    ["run", "--lang", "xx", "x.txt"],
    ["run", "--batch-size", "0", "x.txt"],
    ["export", "--db", "missing.db"],
    ["tag", "--date", "2022-13-40", "-"],
    ["search", "--db", "missing.db", "x"],
    ["nonsense"],
])
def test_usage_errors_exit_2(ghatna, args):
    r = ghatna(*args, input="")
    assert r.code == 2, r.stderr


def test_missing_input_is_named_and_the_rest_is_stored(ghatna, tmp_path):
    (tmp_path / "a.txt").write_text(TXT, encoding="utf-8")
    r = ghatna("run", "--db", "g.db", "a.txt", "nope.txt")
    assert r.code == 1 and "nope.txt" in r.stderr
    assert store_counts(tmp_path / "g.db")["documents"] == 1


def test_export_and_read_commands_work_on_a_store(ghatna, tmp_path, db_location):
    (tmp_path / "a.txt").write_text(TXT, encoding="utf-8")
    ghatna("run", "--db", db_location, "a.txt")
    assert ghatna("export", "--db", db_location, "--format", "events-jsonl").code == 0
    for cmd in (["entities", "--json"], ["claims", "--json"], ["timeline", "--json"]):
        r = ghatna(*cmd, "--db", db_location)
        assert r.code == 0 and isinstance(r.json(), list)
