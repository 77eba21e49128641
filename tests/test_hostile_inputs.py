"""Dirty corpora: wrong encodings, legacy Hindi fonts, binaries, truncated archives, broken rows,
odd file names. Every bad input is named with its reason, every good one is read, nothing raises.

The corpus is written by the tests themselves (tmp_path); the last test runs `ghatna run` on all
of it, as a user would.
"""
from __future__ import annotations

import gzip
import random
import sqlite3

import pytest

from ghatna.analyse import analyse
from ghatna.ingest import InputError, read_inputs
from ghatna.ingest.parts import split_long
from ghatna.invariants import analysis_problems
from ghatna.schema import Document

from .test_ingest import HEADLINE, PARA1, PARA2, make_warc, news_page, record_offsets, write

ARTICLE = f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}"
KRUTIDEV = "ljdkj us dgk fd 'kgj esa gM+rky gS vkSj iqfyl Hkh lM+d ij gSA\nyksx ?kjksa esa can gSaA"
CHANAKYA = "âÚU·¤æÚU Ùð ·¤ãæ ç·¤ àãÚU ×ð´ ã¸ÇÌæÜ ãñ ¥õÚU ÂéçÜâ Öè âǸ·¤ ÂÚU ãñÐ"


def read_all(*paths):
    return list(read_inputs(list(paths)))


# --- encodings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, codec):
    [doc] = read_all(write(tmp_path / "a.txt", ARTICLE.encode(codec)))
    assert doc.text == ARTICLE


def test_utf16_english_without_a_byte_order_mark_is_read(tmp_path):
    [doc] = read_all(write(tmp_path / "a.txt", "Protesters seized the mayor's office.".encode("utf-16-le")))
    assert doc.text == "Protesters seized the mayor's office."


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x00", "a PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00", "Microsoft Office"),
    (random.Random(1).randbytes(4096), None),
])
def test_binary_files_are_named_with_what_they_are(tmp_path, data, kind):
    [err] = read_all(write(tmp_path / "report.txt", data))
    assert err.reason.startswith("binary file, not text") or "encoding" in err.reason
    if kind:
        assert kind in err.reason


def test_random_bytes_with_nuls_are_not_taken_for_utf16(tmp_path):
    rng = random.Random(7)
    for i in range(20):
        data = bytes(rng.choice([0, rng.randrange(256)]) for _ in range(2000))
        [item] = read_all(write(tmp_path / f"r{i}.txt", data))
        assert isinstance(item, InputError), data[:40]


# --- what is not an article -------------------------------------------------------------------

@pytest.mark.parametrize("text,font", [(KRUTIDEV, "KrutiDev"), (CHANAKYA, "Chanakya")])
def test_legacy_hindi_font_text_is_reported_not_analysed(tmp_path, text, font):
    [err] = read_all(write(tmp_path / "old.txt", text))
    assert err.reason.startswith(f"text in the {font} legacy font encoding")
    line = '{"id": "k1", "text": %s}\n' % __import__("json").dumps(text)
    [err] = read_all(write(tmp_path / "old.jsonl", line))
    assert err.source.endswith("old.jsonl:1") and font in err.reason


def test_english_and_unicode_hindi_are_not_legacy_fonts(tmp_path):
    english = "Let us see. The police told us that the protest was over, and then let us go home."
    assert [type(x) for x in read_all(write(tmp_path / "en.txt", english),
                                      write(tmp_path / "hi.txt", ARTICLE))] == [Document, Document]


def test_a_document_without_letters_or_digits_has_no_sentences(tmp_path):
    [err] = read_all(write(tmp_path / "dots.txt", "।।। ... !!! —\n\n* * *"))
    assert err.reason == "no sentences (the text has no letters or digits)"


# --- long documents ----------------------------------------------------------------------------

def test_a_long_document_is_cut_into_parts_at_paragraph_breaks():
    paragraphs = [f"{i} {PARA1}" for i in range(40)]
    doc = Document(text="\n\n".join(paragraphs), name="big.txt", source="/x/big.txt",
                   date="2022-01-05", title=HEADLINE)
    parts = list(split_long(doc, max_chars=1000))
    assert len(parts) > 5 and all(len(p.text) <= 1000 for p in parts)
    assert [p.name for p in parts[:2]] == ["big.txt#part1", "big.txt#part2"]
    assert all(p.date == "2022-01-05" and p.title == HEADLINE for p in parts)
    # every cut falls between paragraphs: no paragraph lost, split or repeated
    assert [para for p in parts for para in p.text.split("\n\n")] == paragraphs
    for p in parts[:3]:
        assert analysis_problems(analyse(p)) == []


def test_a_long_document_without_breaks_is_cut_at_spaces_and_never_inside_a_letter():
    doc = Document(text="क्षि" * 300 + " " + "प्रदर्शन " * 300, name="x", source="x")
    parts = list(split_long(doc, max_chars=500))
    assert "".join(p.text for p in parts).replace(" ", "") == doc.text.replace(" ", "")
    for p in parts:
        assert len(p.text) <= 500 and not __import__("unicodedata").category(p.text[0]).startswith("M")


def test_a_short_document_is_itself():
    doc = Document(text=ARTICLE, name="a", source="a")
    assert list(split_long(doc)) == [doc]


# --- the whole hostile corpus through the command line ----------------------------------------

def hostile_corpus(root):
    """(good inputs -> how many documents each gives, bad inputs -> a reason each must show)."""
    good, bad = {}, {}

    def put(name, content, docs=0, reason=None):
        path = str(write(root / name, content))
        if docs:
            good[path] = docs
        if reason is not None:
            bad[path] = reason
        return path

    put("समाचार एक.txt", ARTICLE, 1)  # Devanagari and a space in the name
    put("utf16 no bom.txt", ARTICLE.replace("अल्माटी", "अस्ताना").encode("utf-16-le"), 1)
    put("utf16-bom.txt", ("\ufeff" + ARTICLE.replace("अल्माटी", "शिमकेंट")).encode("utf-16"), 1)
    put("latin1.txt", "Les manifestants ont occupé la mairie à Almaty. Café fermé.".encode("cp1252"), 1)
    put("टूटा पेज.html", "<html><body><div><p>" + PARA1 + "<p>" + PARA2 + "<b><i></div></table>", 1)
    put("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", reason="(a PNG image)")
    put("noise.txt", random.Random(3).randbytes(3000), reason="")
    put("empty.txt", "", reason="empty document")
    put("blank.html", b"", reason="")
    put("dots.txt", "।।। ...\n!!!", reason="no sentences")
    put("krutidev.txt", KRUTIDEV, reason="KrutiDev legacy font encoding")
    put("chanakya.txt", CHANAKYA, reason="Chanakya legacy font encoding")
    put("not a feed.xml", "<?xml version='1.0'?><root><x>1</x></root>", reason="")
    put("fake.warc.gz", gzip.compress(b"hello"), reason="not a WARC archive")
    for name, cut in (("whole.warc.gz", False), ("cut.warc.gz", True)):
        pages = [(f"https://example.in/{name}/{i}", news_page(headline=f"{HEADLINE} {name} {i}").encode())
                 for i in range(3)]
        path = make_warc(root / name, pages, extras=False)
        good[str(path)] = 3
        if cut:
            offset, length = record_offsets(path)[3]
            put(name, path.read_bytes()[:offset + length // 2], 2, "truncated archive")
    wire = put("wire feed.jsonl", "\n".join([
        '{"id": "ok", "date": "2022-01-07", "text": "सीएसटीओ के सैनिक अल्माटी पहुंचे।"}',
        '[1, 2, 3]',
        '{"id": "no-text"}',
        '{"id": "num", "text": 42}',
        '{"id": "blank", "text": "   "}',
        '"just a string"',
        '{"id": "cut", "text": "अधूरी पं',
    ]), 1)
    for line, reason in [(2, "not a JSON object (a list)"), (3, 'no "text" field'),
                         (4, '"text" is not a string'), (5, '"text" is empty'),
                         (6, "not a JSON object (a str)"), (7, "truncated last line?")]:
        bad[f"{wire}:{line}"] = reason
    return good, bad


def test_ghatna_run_on_a_hostile_corpus_names_every_bad_input_and_stores_every_good_one(ghatna, tmp_path):
    root = tmp_path / "corpus दूषित"
    good, bad = hostile_corpus(root)
    db = tmp_path / "h.db"
    r = ghatna("run", "--db", db, root)
    assert r.code == 1, r.stderr
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr.replace("InputError", "")
    lines = r.stderr.splitlines()
    for source, reason in bad.items():
        named = [ln for ln in lines if ln.startswith(f"ghatna: {source}: ")]
        assert len(named) == 1 and reason in named[0], (source, reason, r.stderr)
    reported = [ln for ln in lines if ln.startswith("ghatna: ")]
    assert len(reported) == len(bad)
    with sqlite3.connect(db) as con:
        sources = [s for (s,) in con.execute("SELECT source FROM documents")]
    for path, n in good.items():
        assert sum(s == path or s.startswith(path + "#") or s.startswith(path + ":") for s in sources) == n, path
    assert len(sources) == sum(good.values())
