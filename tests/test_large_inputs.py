"""A very large plain-text file is read a chunk at a time and never held whole, and what comes of
it is exactly what reading it whole gave: the same encoding decisions, the same text, the same
parts with the same ids.

Chunks are made tiny here (CHUNK_BYTES) so that they end everywhere: inside a character's
bytes, between "\\r" and "\\n", between a letter and its combining mark.
"""
from __future__ import annotations

import json
import random
import unicodedata

import pytest

from ghatna.ingest import InputError, decode, read_inputs
from ghatna.ingest.legacy_fonts import legacy_font, legacy_font_of_chunks
from ghatna.ingest.parts import MAX_CHARS, part_texts, split_long
from ghatna.ingest.plaintext import cleaned, normalized
from ghatna.schema import Document

from .test_hostile_inputs import ARTICLE, KRUTIDEV
from .test_ingest import PARA1, PARA2, write


@pytest.fixture
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(decode, "CHUNK_BYTES", 1021)  # odd: UTF-16 code units cut in two as well


def long_article() -> str:
    """A 183,000-character article: a BOM, CRLF line ends, a decomposed é (NFC composes it),
    whitespace at both ends and one paragraph longer than a part (cut at sentence ends)."""
    paragraphs = []
    for i in range(560):
        p = f"{i} {PARA1}\n{PARA2}" if i % 3 else f"{i} {PARA2} {PARA1}"
        if i % 7 == 0:
            p = p.replace("\n", "\r\n") + " Cafe\u0301 \u00a0"
        paragraphs.append(p)
    paragraphs[300] = " ".join([PARA1] * 200)
    return "\ufeff \r\n  अल्माटी में प्रदर्शन\r\n\r\n" + "\r\n\r\n".join(paragraphs) + "\n \t\r\n"


# the parts of long_article() as ghatna read it whole, before reading became streamed
PART_IDS = ["5fdef7b3d0a064e708217721", "71471571e20c0513a2c736bf", "fca50fb59dbc3747c5e3b7a3",
            "0ae4512f8afddbdebabe5ef2"]


def random_pieces(text: str, rng: random.Random) -> list[str]:
    cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 40))))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def test_a_long_file_gives_the_parts_and_ids_it_gave_when_read_whole(tmp_path, tiny_chunks):
    path = write(tmp_path / "long article.txt", long_article())
    parts = list(read_inputs([path], default_date="2022-01-05"))
    assert [p.id for p in parts] == PART_IDS
    assert [p.name for p in parts] == [f"long article.txt#part{n}" for n in (1, 2, 3, 4)]
    assert {(p.title, p.date) for p in parts} == {("अल्माटी में प्रदर्शन", "2022-01-05")}
    # the same text held whole (a JSONL row) is cut into the same parts
    row = {"id": "a", "text": long_article().replace("\r\n", "\n").strip("\ufeff \n\t")}
    whole = list(read_inputs([write(tmp_path / "a.jsonl", json.dumps(row, ensure_ascii=False))]))
    assert [p.text for p in whole] == [p.text for p in parts]
    assert "Café" in parts[0].text and all(len(p.text) <= MAX_CHARS for p in parts)


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_file_read_in_chunks_is_the_file_decoded_whole(tmp_path, tiny_chunks, codec):
    text = long_article().lstrip("\ufeff")[:20_000] + "\x01"  # one control character is text
    path = write(tmp_path / "a.txt", text.encode(codec))
    assert "".join(decode.open_text(path)()) == decode.decode_text(path.read_bytes()) == text


def test_damaged_utf8_and_binaries_get_the_same_decision_in_chunks(tmp_path, tiny_chunks):
    data = bytearray(long_article().lstrip("\ufeff")[:5000].encode("utf-8"))
    for at in range(100, len(data), 1500):
        data[at] = 0xFF
    damaged = write(tmp_path / "damaged.txt", bytes(data))
    assert "".join(decode.open_text(damaged)()) == bytes(data).decode("utf-8", "replace")
    pdf = write(tmp_path / "r.txt", b"%PDF-1.7\n" + random.Random(2).randbytes(5000))
    with pytest.raises(decode.DecodeError, match="a PDF document"):
        decode.open_text(pdf)
    with pytest.raises(decode.DecodeError, match="after its byte-order mark"):
        decode.open_text(write(tmp_path / "b.txt", b"\xef\xbb\xbf" + bytes(data[:3000]) + b"\xff"))


def test_cleaning_and_normalising_in_chunks_is_doing_it_to_the_whole_text():
    rng = random.Random(5)
    alphabet = ["\r", "\n", "\r\n", " ", "\t", "\u00a0", "e", "\u0301", "क", "\u093c", "ि", "।",
                "\u0915\u094d\u0937", "A", "\u212b", "\u0b47", "\u0b3e"]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        whole = unicodedata.normalize(
            "NFC", text.replace("\r\n", "\n").replace("\r", "\n").strip())
        assert "".join(normalized(cleaned(random_pieces(text, rng)))) == whole, repr(text)


def test_parts_cut_from_chunks_are_the_parts_of_the_whole_text():
    rng = random.Random(9)
    text = unicodedata.normalize("NFC", long_article().replace("\r\n", "\n").strip("\ufeff \n\t"))
    for max_chars in (700, 5000, MAX_CHARS):
        whole = list(part_texts([text], max_chars))
        assert list(part_texts(random_pieces(text, rng), max_chars)) == whole
        doc = Document(text=text, name="x", source="x")
        assert [p.text for p in split_long(doc, max_chars)] == whole
    short = text[:3000]  # one character a chunk: every refill stops at the last moment
    assert list(part_texts(short, 100)) == list(part_texts([short], 100))


def test_a_long_file_is_screened_like_a_short_one(tmp_path, tiny_chunks):
    krutidev = write(tmp_path / "k.txt", "\n\n".join([KRUTIDEV] * 1000))
    dots = write(tmp_path / "d.txt", "।।। ... !!! —\n\n" * 10_000)
    [k, d] = read_inputs([krutidev, dots])
    assert isinstance(k, InputError) and "KrutiDev" in k.reason
    assert isinstance(d, InputError) and d.reason.startswith("no sentences")
    # a letter late in a long text is enough; the legacy-font decision reads only the start
    [*parts] = read_inputs([write(tmp_path / "late.txt", "।।। ...\n\n" * 10_000 + ARTICLE)])
    assert len(parts) == 2 and parts[-1].text.endswith(ARTICLE)
    text = " ".join([KRUTIDEV] * 1000)
    assert legacy_font_of_chunks(random_pieces(text, random.Random(1))) == legacy_font(text) == "KrutiDev"
