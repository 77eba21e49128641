"""Turning a file's bytes into text: which encoding, and whether it is text at all.

Order of evidence: a byte-order mark; then (no BOM) NUL bytes mean UTF-16 when every other byte
keeps to a few values (the 256-character blocks of one or two scripts), else a binary file
(named when its first bytes say what it is: a PDF, an image, an archive); then strict
UTF-8 (valid non-ASCII UTF-8 is practically never anything else); then, for HTML, the declared
charset (HTTP header, <meta charset>); last, charset_normalizer's guess. UTF-8 with a few damaged
bytes (good multi-byte characters far outnumbering bad bytes) is read as UTF-8, with U+FFFD for
each damaged byte, before any declared charset or guess.
"""
from __future__ import annotations

import codecs
import unicodedata
from collections import Counter

import charset_normalizer
import regex

__all__ = ["DecodeError", "decode_text", "decode_html", "charset_of"]


class DecodeError(ValueError):
    """The bytes are not text ghatna can decode; the message is the reason to show."""


_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE
)

# control characters that plain text does carry
_TEXT_CONTROLS = set("\t\n\r\f\v\x1b")

# what a binary file is, by its first bytes, for the message
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive, or a .docx/.xlsx/.odt document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office 97-2003 document (.doc/.xls)"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3", "an SQLite database"),
)


def _binary(data: bytes) -> DecodeError:
    kind = next((what for magic, what in _MAGIC if data.startswith(magic)), None)
    return DecodeError(f"binary file, not text ({kind})" if kind else "binary file, not text")


def _bom_decode(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise DecodeError(
                    f"not valid {codec.upper()} after its byte-order mark ({e.reason})") from None
    return None


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding.strip().lower())
    except (LookupError, UnicodeDecodeError):
        return None


def _looks_binary(text: str) -> bool:
    """More than 1% control characters (other than whitespace) is not text, whatever decoded it."""
    if not text:
        return False
    controls = sum(1 for c in text if c not in _TEXT_CONTROLS and unicodedata.category(c) == "Cc")
    return controls > max(2, len(text) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 (LE or BE) without a byte-order mark: the high byte of nearly every code unit is
    one of two values (Devanagari text: 0x09 and 0x00), which binary data never keeps to."""
    if len(data) < 4 or len(data) % 2:
        return None
    for codec, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        common = sum(n for _, n in Counter(high).most_common(2))
        if common < 0.9 * len(high):
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and not _looks_binary(text):
            return text
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few damaged bytes (U+FFFD for each): many good multi-byte characters, few bad."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    return text if good >= 20 * bad else None


def _guess(data: bytes) -> str:
    text = _mostly_utf8(data)
    if text is not None:
        return text
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("cannot determine the text encoding (not UTF-8, no byte-order mark)")
    text = str(best)
    if _looks_binary(text):
        raise _binary(data)
    return text


def decode_text(data: bytes) -> str:
    """A plain-text file's bytes as str (BOM removed). Raises `DecodeError`."""
    text = _bom_decode(data)
    if text is not None:
        return text
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise _binary(data)
        return text
    text = _try(data, "utf-8")
    if text is not None:
        if _looks_binary(text):
            raise _binary(data)
        return text
    return _guess(data)


def decode_html(data: bytes, declared_charset: str | None = None) -> str:
    """An HTML page's bytes as str. `declared_charset`: the HTTP Content-Type charset, if any.

    After the BOM and (nearly) valid UTF-8, the HTTP charset, then a <meta charset> /
    <meta http-equiv content="...charset=..."> in the first 4 KiB, then a guess.
    """
    text = _bom_decode(data)
    if text is not None:
        return text
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise _binary(data)
        return text
    text = _try(data, "utf-8") or _mostly_utf8(data)
    if text is not None:
        return text
    text = _try(data, declared_charset)
    if text is not None:
        return text
    m = _META_CHARSET.search(data[:4096])
    if m:
        text = _try(data, m[1].decode("ascii", "replace"))
        if text is not None:
            return text
    return _guess(data)


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value ("text/html; charset=UTF-8")."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
