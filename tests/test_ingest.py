"""What ghatna makes of its input files: one Document per article, an InputError for the rest.

Each test writes its own small input files (Hindi news text) into tmp_path and reads them back
through the public API, `ghatna.ingest.read_inputs`.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
from array import array
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ghatna.ingest import (
    NEAR_DUPLICATE_THRESHOLD,
    SUPPORTED_SUFFIXES,
    InputError,
    estimated_jaccard,
    lsh_bands,
    minhash_signature,
    read_inputs,
)
from ghatna.ingest.dates import DateError, normalize_date, parse_date
from ghatna.ingest.near_duplicates import shingles
from ghatna.schema import Document

SRC = str(Path(__import__("ghatna").__file__).resolve().parents[1])  # for a subprocess

# --- sample articles -------------------------------------------------------------------------

HEADLINE = "अल्माटी में प्रदर्शनकारियों ने सरकारी इमारतों पर कब्जा किया"
PARA1 = ("अल्माटी में प्रदर्शनकारियों ने बुधवार को सरकारी इमारतों पर कब्जा कर लिया। "
         "पुलिस ने आंसू गैस के गोले छोड़े और कई लोगों को गिरफ्तार किया।")
PARA2 = ("राष्ट्रपति ने देश में आपातकाल की घोषणा की और सरकार ने इस्तीफा दे दिया। "
         "ईंधन की कीमतों में वृद्धि के विरोध में यह प्रदर्शन शुरू हुए थे।")

NAV_TEXT = "मुखपृष्ठ देश विदेश खेल मनोरंजन"
SCRIPT_TEXT = "विज्ञापन-स्क्रिप्ट-पाठ"
STYLE_TEXT = "शैली-पाठ"
FOOTER_TEXT = "कॉपीराइट २०२२ समाचार पत्र। सर्वाधिकार सुरक्षित।"
BOILERPLATE = (NAV_TEXT, "मुखपृष्ठ", SCRIPT_TEXT, STYLE_TEXT, FOOTER_TEXT, "कॉपीराइट")


def news_page(*, head_meta: str = "", headline: str = HEADLINE, body_extra: str = "") -> str:
    """A news page with the usual furniture around the article."""
    return f"""<!DOCTYPE html>
<html lang="hi"><head><meta charset="utf-8">
<title>{headline} | समाचार पत्र</title>
{head_meta}
<script>var ad = "{SCRIPT_TEXT}";</script>
<style>.x::after {{ content: "{STYLE_TEXT}"; }}</style>
</head><body>
<nav><ul><li><a href="/">मुखपृष्ठ</a></li><li><a href="/desh">देश</a></li>
<li><a href="/videsh">विदेश</a></li><li><a href="/khel">खेल</a></li>
<li><a href="/manoranjan">मनोरंजन</a></li></ul></nav>
<article>
<h1>{headline}</h1>
<p>{PARA1}</p>
<p>{PARA2}</p>
{body_extra}
</article>
<footer><p>{FOOTER_TEXT}</p></footer>
</body></html>"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def read_all(*paths, default_date=None):
    return list(read_inputs(list(paths), default_date=default_date))


def docs_of(items):
    return [x for x in items if isinstance(x, Document)]


def errors_of(items):
    return [x for x in items if isinstance(x, InputError)]


# --- plain text --------------------------------------------------------------------------------

def test_txt_file_is_one_document_titled_by_its_first_line(tmp_path):
    path = write(tmp_path / "almaty.txt", f"\n{HEADLINE}\r\n\r\n{PARA1}\r\n")
    [doc] = read_all(path, default_date="2022-01-06")
    assert doc.name == "almaty.txt"
    assert doc.source == str(path)
    assert doc.title == HEADLINE
    assert doc.text == f"{HEADLINE}\n\n{PARA1}"  # title kept in the text, line ends normalised
    assert doc.date == "2022-01-06"  # a text file carries no date


def test_txt_in_utf16_with_bom_and_utf8_with_bom(tmp_path):
    u16 = write(tmp_path / "u16.txt", (HEADLINE + "\n" + PARA1).encode("utf-16"))
    u8 = write(tmp_path / "u8.txt", (HEADLINE + "\n" + PARA1).encode("utf-8-sig"))
    a, b = read_all(u16, u8)
    assert a.text == b.text == f"{HEADLINE}\n{PARA1}"
    assert not a.text.startswith("\ufeff")


def test_txt_in_a_legacy_encoding_is_guessed(tmp_path):
    text = "Protesters seized government buildings in Almaty on Wednesday, café owners said. " * 3
    [doc] = read_all(write(tmp_path / "latin.txt", text.encode("cp1252")))
    assert "café" in doc.text


def test_txt_in_utf8_with_a_damaged_byte_is_still_utf8(tmp_path):
    data = (HEADLINE + "\n" + PARA1).encode()
    data = data[:40] + b"\xff" + data[41:]
    [doc] = read_all(write(tmp_path / "damaged.txt", data))
    assert doc.text.count("\ufffd") >= 1 and PARA1[20:] in doc.text


def test_txt_text_is_nfc_normalised(tmp_path):
    decomposed = "क\u093c"  # KA + NUKTA; NFC keeps this sequence (composition exclusion)
    [doc] = read_all(write(tmp_path / "n.txt", "प्रदर्शन " + decomposed + "ानून"))
    assert doc.text == __import__("unicodedata").normalize("NFC", doc.text)


def test_binary_and_empty_files_are_input_errors(tmp_path):
    binary = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    empty = write(tmp_path / "empty.txt", "  \n\t\n")
    e1, e2 = read_all(binary, empty)
    assert e1 == InputError(str(binary), "binary file, not text (a PNG image)")
    assert e2 == InputError(str(empty), "empty document")
    assert str(e2) == f"{empty}: empty document"


# --- HTML ------------------------------------------------------------------------------------------

def test_html_main_text_without_nav_script_style_or_footer(tmp_path):
    meta = '<meta property="article:published_time" content="2022-01-05T10:00:00+06:00">'
    path = write(tmp_path / "almaty.html", news_page(head_meta=meta))
    [doc] = read_all(path, default_date="2030-01-01")
    assert doc.name == "almaty.html"
    assert doc.title == HEADLINE
    assert doc.text == f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}"  # headline once, blank line between paragraphs
    for junk in BOILERPLATE:
        assert junk not in doc.text
    assert doc.date == "2022-01-05"  # the page's own date beats default_date


def test_html_headline_is_put_before_text_that_lacks_it(tmp_path):
    page = news_page(head_meta=f'<meta property="og:title" content="{HEADLINE}">').replace(
        f"<h1>{HEADLINE}</h1>", "")
    [doc] = read_all(write(tmp_path / "a.htm", page))
    assert doc.title == HEADLINE
    assert doc.text.startswith(f"{HEADLINE}\n\n{PARA1}")


@pytest.mark.parametrize("meta", [
    '<meta property="article:published_time" content="2022-01-05T23:30:00+05:30">',
    '<meta name="dc.date" content="2022-01-05">',
    '<meta itemprop="datePublished" content="2022-01-05">',
    '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
    '[{"@type": "NewsArticle", "headline": "x", "datePublished": "2022-01-05T08:00:00Z"}]}</script>',
])
def test_html_date_from_page_metadata(tmp_path, meta):
    [doc] = read_all(write(tmp_path / "a.html", news_page(head_meta=meta)), default_date="2030-01-01")
    assert doc.date == "2022-01-05"


def test_html_date_from_time_element_in_the_article(tmp_path):
    page = news_page(body_extra='<p>प्रकाशित: <time datetime="2022-01-05T09:00">5 जनवरी</time></p>')
    [doc] = read_all(write(tmp_path / "a.html", page), default_date="2030-01-01")
    assert doc.date == "2022-01-05"


def test_html_date_is_never_guessed_from_text_or_url(tmp_path):
    page = news_page(
        head_meta='<link rel="canonical" href="https://example.in/2021/12/31/almaty-news.html">',
        body_extra="<p>यह घटना 5 जनवरी 2022 को हुई, 05/01/2022 की रिपोर्ट।</p>",
    )
    path = write(tmp_path / "2021-12-31-almaty.html", page)
    [doc] = read_all(path, default_date="2022-01-07")
    assert doc.date == "2022-01-07"
    [doc] = read_all(path)
    assert doc.date is None


def test_html_without_article_text_is_an_input_error(tmp_path):
    page = f"<html><head><script>{SCRIPT_TEXT}</script></head><body><nav>{NAV_TEXT}</nav></body></html>"
    path = write(tmp_path / "empty.html", page)
    assert read_all(path) == [InputError(str(path), "no article text found")]


def test_html_in_a_declared_legacy_charset(tmp_path):
    page = ('<html><head><meta charset="windows-1252"><title>Café</title></head><body><article>'
            + "<p>Protesters seized the café and government buildings in Almaty on Wednesday.</p>" * 3
            + "</article></body></html>")
    [doc] = read_all(write(tmp_path / "a.html", page.encode("cp1252")))
    assert "café" in doc.text


# --- JSONL -----------------------------------------------------------------------------------------

def test_jsonl_one_document_per_line_and_bad_lines_reported_by_line(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": PARA1, "date": "2022-01-05", "url": "https://x.in/1",
                    "title": HEADLINE, "lang": "hi"}, ensure_ascii=False),
        json.dumps({"id": 2, "text": PARA2}, ensure_ascii=False),
        '{"id": "a3", "text": "टूटी पंक्ति"',  # invalid JSON
        "",  # blank: skipped
        "[1, 2]",  # not an object
        json.dumps({"id": "a6", "text": ""}),  # empty text
        json.dumps({"id": "a7", "text": PARA1, "date": "कल"}, ensure_ascii=False),  # bad date
        json.dumps({"text": PARA2 + " फिर से।"}, ensure_ascii=False),  # no id
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n" + '{"id": "a9", "te')  # truncated tail
    items = read_all(path, default_date="2022-01-06")

    docs = docs_of(items)
    assert [d.name for d in docs] == ["a1", "2", "news.jsonl:8"]
    assert [d.record_id for d in docs] == ["a1", "2", None]
    assert [d.date for d in docs] == ["2022-01-05", "2022-01-06", "2022-01-06"]
    assert (docs[0].text, docs[0].url, docs[0].title, docs[0].lang) == (PARA1, "https://x.in/1", HEADLINE, "hi")
    assert docs[0].source == f"{path}:1"

    errors = errors_of(items)
    assert [e.source for e in errors] == [f"{path}:{n}" for n in (3, 5, 6, 7, 9)]
    assert errors[0].source.endswith(":3") and errors[0].reason.startswith("not valid JSON (")
    assert "not a JSON object" in errors[1].reason
    assert "empty" in errors[2].reason
    assert "date" in errors[3].reason
    assert errors[4].source.endswith(":9") and errors[4].reason.startswith("not valid JSON")
    # order is file order: errors come where their lines are
    assert [type(x).__name__ for x in items] == [
        "Document", "Document", "InputError", "InputError", "InputError", "InputError", "Document",
        "InputError"]


# --- WARC ------------------------------------------------------------------------------------------

def _response(writer, url, body: bytes, *, status="200 OK", content_type="text/html; charset=utf-8",
              warc_date="2022-01-06T03:04:05Z"):
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                    warc_headers_dict={"WARC-Date": warc_date})
    writer.write_record(rec)


def make_warc(path: Path, pages: list[tuple[str, bytes]], *, extras: bool = True) -> Path:
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=path.name.endswith(".gz"))
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for i, (url, body) in enumerate(pages):
            if extras:  # things that are not articles, between the pages
                req = w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
                w.write_record(req)
                _response(w, url + ".png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
                _response(w, url + "/missing", news_page().encode(), status="404 Not Found")
            _response(w, url, body)
    return path


def test_warc_gz_html_responses_become_documents(tmp_path):
    dated = news_page(head_meta='<meta property="article:published_time" content="2022-01-05">')
    undated = news_page(headline="टोकायेव ने रूस से मदद मांगी")
    path = make_warc(tmp_path / "crawl.warc.gz", [
        ("https://example.in/almaty", dated.encode()),
        ("https://example.in/tokayev", undated.encode()),
    ])
    items = read_all(path, default_date="2030-01-01")
    assert errors_of(items) == []
    a, b = items
    assert (a.name, b.name) == ("crawl.warc.gz#1", "crawl.warc.gz#2")
    assert (a.source, b.source) == (f"{path}#1", f"{path}#2")
    assert (a.url, b.url) == ("https://example.in/almaty", "https://example.in/tokayev")
    assert a.date == "2022-01-05"  # the page's own date
    assert b.date == "2022-01-06"  # else the capture date (WARC-Date)
    assert a.text == f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}"
    assert b.text.startswith("टोकायेव ने रूस से मदद मांगी\n\n")
    for junk in BOILERPLATE:
        assert junk not in a.text


def test_uncompressed_warc(tmp_path):
    path = make_warc(tmp_path / "crawl.warc", [("https://example.in/a", news_page().encode())], extras=False)
    [doc] = read_all(path)
    assert doc.name == "crawl.warc#1" and doc.text.startswith(HEADLINE)


def record_offsets(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of each record in a whole archive."""
    with path.open("rb") as f:
        it = ArchiveIterator(f)
        return [(it.get_record_offset(), it.get_record_length()) for _ in it]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
@pytest.mark.parametrize("where", ["in the headers", "in the page"])
def test_truncated_warc_keeps_the_pages_before_the_damage(tmp_path, name, where):
    pages = [(f"https://example.in/{i}", news_page(headline=f"{HEADLINE} {i}").encode()) for i in range(3)]
    whole = make_warc(tmp_path / name, pages, extras=False)
    offset, length = record_offsets(whole)[3]  # warcinfo, page 1, page 2, page 3
    cut_at = offset + (30 if where == "in the headers" else length // 2)
    cut = write(tmp_path / f"cut-{name}", whole.read_bytes()[:cut_at])

    items = read_all(cut)
    docs, errors = docs_of(items), errors_of(items)
    assert [d.name for d in docs] == [f"cut-{name}#1", f"cut-{name}#2"]
    assert len(errors) == 1 and errors[0].source == str(cut)
    assert "truncated" in errors[0].reason and "record 4" in errors[0].reason
    assert items[-1] is errors[0]


def test_a_file_that_is_not_a_warc_is_an_input_error(tmp_path):
    path = write(tmp_path / "fake.warc.gz", gzip.compress("नमस्ते दुनिया".encode()))
    [err] = read_all(path)
    assert err.source == str(path) and "not a WARC archive" in err.reason


# --- RSS / Atom --------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>समाचार</title><link>https://example.in/</link><description>ताज़ा खबरें</description>
<item>
  <title>{HEADLINE}</title>
  <link>https://example.in/almaty</link>
  <guid>almaty-1</guid>
  <pubDate>Thu, 06 Jan 2022 01:30:00 +0530</pubDate>
  <description><![CDATA[<p>{PARA1}</p><p>{PARA2}</p>]]></description>
</item>
<item>
  <title>टोकायेव ने रूस से मदद मांगी</title>
  <link>https://example.in/tokayev</link>
  <description>राष्ट्रपति टोकायेव ने सामूहिक सुरक्षा संधि संगठन से मदद मांगी।</description>
</item>
<item><title></title><description></description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>समाचार</title><id>urn:x</id><updated>2022-01-06T00:00:00Z</updated>
  <entry>
    <title>{HEADLINE}</title>
    <link href="https://example.in/almaty"/>
    <id>urn:almaty</id>
    <updated>2022-01-06T10:00:00Z</updated>
    <published>2022-01-05T10:00:00+06:00</published>
    <content type="html">&lt;p&gt;{PARA1}&lt;/p&gt;&lt;script&gt;{SCRIPT_TEXT}&lt;/script&gt;&lt;p&gt;{PARA2}&lt;/p&gt;</content>
  </entry>
</feed>"""


def test_rss_feed_one_document_per_item(tmp_path):
    path = write(tmp_path / "feed.xml", RSS)
    items = read_all(path, default_date="2022-01-07")
    a, b, err = items
    assert (a.name, b.name) == ("feed.xml#1", "feed.xml#2")
    assert a.text == f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}"
    assert a.title == HEADLINE and a.url == "https://example.in/almaty"
    assert a.date == "2022-01-06"  # the day as written (01:30 IST), not the UTC day (the 5th)
    assert b.date == "2022-01-07"  # no date in the item: default
    assert b.text == "टोकायेव ने रूस से मदद मांगी\n\nराष्ट्रपति टोकायेव ने सामूहिक सुरक्षा संधि संगठन से मदद मांगी।"
    assert err == InputError(f"{path}#3", "entry 3 has no text")


def test_atom_feed_html_content_becomes_plain_text(tmp_path):
    [doc] = read_all(write(tmp_path / "atom.xml", ATOM))
    assert doc.text == f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}"
    assert SCRIPT_TEXT not in doc.text and "<p>" not in doc.text
    assert doc.date == "2022-01-05"  # published beats updated
    assert doc.url == "https://example.in/almaty" and doc.record_id == "urn:almaty"


def test_xml_that_is_not_a_feed_is_an_input_error(tmp_path):
    sitemap = write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    broken = write(tmp_path / "broken.xml", "<rss><channel><title>टूटा")
    e1, e2 = read_all(sitemap, broken)
    assert e1.source == str(sitemap) and e1.reason.startswith("not an RSS/Atom feed (")
    assert e2.source == str(broken) and e2.reason.startswith("not an RSS/Atom feed (")


# --- paths: folders, missing and unsupported files ---------------------------------------------

def test_folders_are_read_recursively_in_sorted_order_skipping_hidden_and_unsupported(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "दूसरा लेख।")
    write(root / "a.txt", "पहला लेख।")
    write(root / "sub" / "c.jsonl", json.dumps({"id": "c1", "text": "तीसरा लेख।"}, ensure_ascii=False))
    write(root / "sub" / "deeper" / "d.html", news_page())
    write(root / "notes.md", "यह पढ़ा नहीं जाता")  # unsupported: skipped silently
    write(root / ".hidden.txt", "छिपा हुआ")  # hidden file: skipped
    write(root / ".git" / "e.txt", "छिपा फ़ोल्डर")  # hidden folder: skipped

    first = read_all(root)
    assert errors_of(first) == []
    assert [d.name for d in first] == ["a.txt", "b.txt", "c1", "d.html"]
    second = read_all(root)
    assert [(d.name, d.id, d.text) for d in second] == [(d.name, d.id, d.text) for d in first]


def test_missing_paths_and_explicit_unsupported_files_are_input_errors(tmp_path):
    good = write(tmp_path / "ok.txt", "ठीक है।")
    md = write(tmp_path / "notes.md", "नोट")
    missing = tmp_path / "nope.txt"
    items = read_all(missing, md, good)
    assert items[0] == InputError(str(missing), "no such file or folder")
    assert items[1].source == str(md) and items[1].reason.startswith("unsupported file type")
    assert isinstance(items[2], Document) and items[2].name == "ok.txt"
    assert ".warc.gz" in SUPPORTED_SUFFIXES


def test_default_date_only_for_inputs_without_a_date(tmp_path):
    dated_html = write(tmp_path / "1.html", news_page(
        head_meta='<meta property="article:published_time" content="2022-01-05">'))
    undated_html = write(tmp_path / "2.html", news_page())
    jsonl = write(tmp_path / "3.jsonl", '{"id": "x", "text": "क", "date": "2022-01-04"}\n{"id": "y", "text": "ख"}\n')
    txt = write(tmp_path / "4.txt", "ग")
    dates = [d.date for d in read_all(tmp_path, default_date="6 जनवरी 2022")]
    assert dates == ["2022-01-05", "2022-01-06", "2022-01-04", "2022-01-06", "2022-01-06"]
    assert [d.date for d in read_all(dated_html, undated_html, jsonl, txt)] == [
        "2022-01-05", None, "2022-01-04", None, None]


def test_a_bad_default_date_is_the_callers_error():
    with pytest.raises(ValueError):
        read_inputs([], default_date="next tuesday")


# --- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2022-01-05", "2022-01-05T23:30:00+05:30", "2022-01-05 10:00", "2022/01/05", "20220105",
    "05-01-2022", "05/01/2022", "5.1.2022", "5 January 2022", "January 5, 2022", "Jan 5th, 2022",
    "5 जनवरी 2022", "बुधवार, 5 जनवरी 2022", "२०२२-०१-०५", "Wed, 05 Jan 2022 23:30:00 +0530",
])
def test_dates_are_normalised_to_a_calendar_day(text):
    assert parse_date(text) == "2022-01-05"


def test_dates_from_structs_and_bad_dates():
    import datetime
    import time

    assert parse_date(time.struct_time((2022, 1, 5, 10, 0, 0, 2, 5, 0))) == "2022-01-05"
    assert parse_date(datetime.datetime(2022, 1, 5, 10)) == "2022-01-05"
    assert parse_date("01/13/2022") == "2022-01-13"  # 13 cannot be a month: month-first
    for bad in ("2022-02-30", "कल", "", "2022-01", 20220105, None):
        with pytest.raises(DateError):
            parse_date(bad)
        assert normalize_date(bad) is None


# --- near duplicates ---------------------------------------------------------------------------

ARTICLE = " ".join([HEADLINE, PARA1, PARA2,
                    "अधिकारियों के अनुसार झड़पों में आठ सुरक्षाकर्मी मारे गए और सैकड़ों लोग घायल हुए।",
                    "सामूहिक सुरक्षा संधि संगठन ने शांति सैनिक भेजने का फैसला किया।",
                    "शहर के हवाई अड्डे पर भी प्रदर्शनकारियों ने कुछ समय के लिए नियंत्रण कर लिया था।"])
UNRELATED = ("मुंबई में भारी बारिश के कारण लोकल ट्रेन सेवाएं बाधित रहीं और कई इलाकों में जलभराव हो गया। "
             "मौसम विभाग ने अगले दो दिनों के लिए ऑरेंज अलर्ट जारी किया है। नगर निगम ने लोगों से घरों में "
             "रहने की अपील की और स्कूल बंद रखने का आदेश दिया। समुद्र में ऊंची लहरें उठने की चेतावनी भी दी गई।")


def test_tokens_keep_devanagari_vowel_signs():
    assert shingles("कब्जा कर लिया") == {"कब्जा कर लिया"}
    assert "गिरफ्तार किया।" not in " ".join(shingles(PARA1))  # punctuation is not part of a token


def test_a_copy_with_one_word_changed_is_a_near_duplicate():
    copy = ARTICLE.replace("बुधवार", "गुरुवार")
    assert copy != ARTICLE
    a, b = minhash_signature(ARTICLE), minhash_signature(copy)
    assert len(a) == 128 and all(isinstance(v, int) for v in a)
    assert estimated_jaccard(a, b) >= NEAR_DUPLICATE_THRESHOLD
    assert set(lsh_bands(a)) & set(lsh_bands(b))


def test_an_unrelated_article_is_not_a_near_duplicate():
    a, c = minhash_signature(ARTICLE), minhash_signature(UNRELATED)
    assert estimated_jaccard(a, c) < 0.2
    assert not set(lsh_bands(a)) & set(lsh_bands(c))
    bands = lsh_bands(a)
    assert len(bands) == 16 and [k.split(":")[0] for k in bands] == [f"b{i}" for i in range(16)]


def test_signatures_are_the_same_in_another_process():
    code = ("import json,sys; from ghatna.ingest import minhash_signature; "
            "print(json.dumps(minhash_signature(sys.stdin.read())))")
    out = subprocess.run([sys.executable, "-c", code], input=ARTICLE, capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": SRC})
    assert json.loads(out.stdout) == minhash_signature(ARTICLE)


def test_a_signature_is_its_definition_so_stored_ones_stay_comparable():
    """Each value: the least (a·h + b mod 2^64) mod (2^61 - 1), low 32 bits, over the shingles,
    h being the first four bytes of a shingle's SHA-1 (little-endian): plain integers here."""
    from ghatna.ingest import near_duplicates as nd
    hashes = [int.from_bytes(hashlib.sha1(s.encode("utf-8")).digest()[:4], "little") for s in shingles(ARTICLE)]
    want = [min(((int(a) * h + int(b)) % 2**64) % (2**61 - 1) & 0xFFFFFFFF for h in hashes)
            for a, b in zip(nd._A, nd._B)]
    assert minhash_signature(ARTICLE) == want


def test_empty_text_has_no_bands_and_matches_nothing():
    empty = minhash_signature("।।। ...")
    assert lsh_bands(empty) == []
    assert estimated_jaccard(empty, empty) == 0.0


def test_a_band_key_covers_its_own_eight_values_only():
    a = list(range(1000, 1128))
    b = [v + 1 if not 8 <= i < 16 else v for i, v in enumerate(a)]  # agree on rows 8..15 only
    shared = set(lsh_bands(a)) & set(lsh_bands(b))
    assert [k.split(":")[0] for k in shared] == ["b1"]
    assert estimated_jaccard(a, b) == 8 / 128


def test_the_stored_near_duplicate_is_the_most_similar_signature_over_the_threshold():
    """best_near_duplicate scores every candidate at once: the same answer as estimated_jaccard
    one by one (first of equals; a wordless text matches nothing)."""
    import random

    from ghatna.store.rows import best_near_duplicate, pack_signature

    rng = random.Random(7)
    for _ in range(300):
        mine = [rng.randrange(1 << 32) for _ in range(128)]
        rows = []
        for k in range(rng.randrange(0, 6)):
            if rng.random() < 0.15:
                theirs = [(1 << 32) - 1] * 128  # a text with no words
            else:
                agree = rng.choice([60, 100, 102, 110, 128])
                theirs = [v if i < agree else rng.randrange(1 << 32) for i, v in enumerate(mine)]
                rng.shuffle(theirs) if rng.random() < 0.2 else None
            rows.append((f"d{k}", pack_signature(theirs)))
        want = None
        for doc_id, blob in rows:
            score = estimated_jaccard(mine, list(array("Q", blob)))
            if score >= NEAR_DUPLICATE_THRESHOLD and (want is None or score > want[1]):
                want = (doc_id, score)
        assert best_near_duplicate(rows, mine, NEAR_DUPLICATE_THRESHOLD) == want
