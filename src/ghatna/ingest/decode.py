"""Turning a file's bytes into text: which encoding, and whether it is text at all.

Order of evidence: a byte-order mark; then (no BOM) NUL bytes mean UTF-16 when every other byte
keeps to a few values (the 256-character blocks of one or two scripts), else a binary file
(named when its first bytes say what it is: a PDF, an image, an archive); then strict
UTF-8 (valid non-ASCII UTF-8 is practically never anything else); then, for HTML, the declared
charset (HTTP header, <meta charset>); last, charset_normalizer's guess. UTF-8 with a few damaged
bytes (good multi-byte characters far outnumbering bad bytes) is read as UTF-8, with U+FFFD for
each damaged byte, before any declared charset or guess.

A plain-text file is never held whole: each piece of evidence is gathered by reading the file a
chunk at a time (`open_text`), and the text is then decoded a chunk at a time too, so a file of
any size takes the same memory. Only charset_normalizer's guess looks at a prefix (the first
`GUESS_BYTES`) of a file longer than that, and the rest is decoded in the encoding it names.
"""
from __future__ import annotations

import codecs
import io
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
import regex

__all__ = ["DecodeError", "decode_text", "decode_html", "charset_of", "open_text", "TextChunks"]

CHUNK_BYTES = 1 << 20  # read and decoded at a time
GUESS_BYTES = 1 << 20  # what charset_normalizer looks at, at most

TextChunks = Callable[[], Iterator[str]]  # the decoded text from its start, a chunk at a time


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

# control characters (category Cc) other than those plain text does carry: \t \n \v \f \r ESC
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")

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


class _Bytes:
    """A file's bytes, read again from the start as often as a decision needs, a chunk at a time."""

    def __init__(self, open_bytes: Callable[[], BinaryIO], size: int) -> None:
        self.open_bytes = open_bytes
        self.size = size
        self.head = self.prefix(64)

    @classmethod
    def of(cls, data: bytes) -> _Bytes:
        return cls(lambda: io.BytesIO(data), len(data))

    @classmethod
    def file(cls, path: Path) -> _Bytes:
        return cls(lambda: path.open("rb"), path.stat().st_size)

    def chunks(self) -> Iterator[bytes]:
        with self.open_bytes() as fh:
            while chunk := fh.read(CHUNK_BYTES):
                yield chunk

    def prefix(self, n: int) -> bytes:
        with self.open_bytes() as fh:
            return fh.read(n)

    def decoded(self, codec: str, errors: str = "strict") -> Iterator[str]:
        """The text, a chunk at a time (the same as decoding the bytes whole)."""
        decoder = codecs.getincrementaldecoder(codec)(errors)
        for chunk in self.chunks():
            if text := decoder.decode(chunk):
                yield text
        if text := decoder.decode(b"", final=True):
            yield text


def _binary(head: bytes) -> DecodeError:
    kind = next((what for magic, what in _MAGIC if head.startswith(magic)), None)
    return DecodeError(f"binary file, not text ({kind})" if kind else "binary file, not text")


def _controls(text: str) -> int:
    return len(_CONTROL.findall(text))


def _too_many_controls(controls: int, length: int) -> bool:
    """More than 1% control characters (other than whitespace) is not text, whatever decoded it."""
    return controls > max(2, length // 100)


def _looks_binary(text: str) -> bool:
    return bool(text) and _too_many_controls(_controls(text), len(text))


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding.strip().lower())
    except (LookupError, UnicodeDecodeError):
        return None


def _bom_codec(src: _Bytes) -> str | None:
    """The codec a byte-order mark names (the whole file checked against it), or None."""
    for bom, codec in _BOMS:
        if src.head.startswith(bom):
            try:
                for _ in src.decoded(codec):
                    pass
            except UnicodeDecodeError as e:
                raise DecodeError(
                    f"not valid {codec.upper()} after its byte-order mark ({e.reason})") from None
            return codec
    return None


def _has_nul(src: _Bytes) -> bool:
    return any(b"\x00" in chunk for chunk in src.chunks())


def _utf16_without_bom(src: _Bytes) -> str | None:
    """UTF-16 (LE or BE) without a byte-order mark: the high byte of nearly every code unit is
    one of two values (Devanagari text: 0x09 and 0x00), which binary data never keeps to."""
    if src.size < 4 or src.size % 2:
        return None
    for codec, first_high in (("utf-16-le", 1), ("utf-16-be", 0)):
        high: Counter[int] = Counter()
        at = 0
        for chunk in src.chunks():
            high.update(chunk[(first_high - at) % 2::2])
            at += len(chunk)
        if sum(n for _, n in high.most_common(2)) < 0.9 * (src.size // 2):
            continue
        try:
            controls = length = 0
            for text in src.decoded(codec):
                if "\x00" in text:
                    break
                controls, length = controls + _controls(text), length + len(text)
            else:
                if not (length and _too_many_controls(controls, length)):
                    return codec
        except UnicodeDecodeError:
            continue
    return None


def _utf8(src: _Bytes) -> tuple[bool, int, int]:
    """(whether the bytes are strict UTF-8, control characters, characters)."""
    controls = length = 0
    try:
        for text in src.decoded("utf-8"):
            controls, length = controls + _controls(text), length + len(text)
    except UnicodeDecodeError:
        return False, 0, 0
    return True, controls, length


def _mostly_utf8(src: _Bytes) -> bool:
    """UTF-8 with a few damaged bytes (U+FFFD for each): many good multi-byte characters, few bad."""
    bad = non_ascii = 0
    for text in src.decoded("utf-8", "replace"):
        bad += text.count("\ufffd")
        non_ascii += len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - bad >= 20 * bad


def _guess(src: _Bytes, guess_bytes: int | None) -> TextChunks:
    if _mostly_utf8(src):
        return lambda: src.decoded("utf-8", "replace")
    whole = guess_bytes is None or src.size <= guess_bytes
    data = src.prefix(src.size if whole else guess_bytes)
    if not whole and b"\n" in data[len(data) // 2:]:
        data = data[:data.rindex(b"\n") + 1]  # no character cut in two at the end
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("cannot determine the text encoding (not UTF-8, no byte-order mark)")
    text = str(best)
    if _looks_binary(text):
        raise _binary(src.head)
    if whole:
        return lambda: iter((text,))
    return lambda: src.decoded(best.encoding, "replace")


def _text_chunks(src: _Bytes, guess_bytes: int | None = GUESS_BYTES) -> TextChunks:
    codec = _bom_codec(src)
    if codec is not None:
        return lambda: src.decoded(codec)
    if _has_nul(src):
        codec = _utf16_without_bom(src)
        if codec is None:
            raise _binary(src.head)
        return lambda: src.decoded(codec)
    valid, controls, length = _utf8(src)
    if valid:
        if length and _too_many_controls(controls, length):
            raise _binary(src.head)
        return lambda: src.decoded("utf-8")
    return _guess(src, guess_bytes)


def open_text(path: Path) -> TextChunks:
    """A plain-text file's text (BOM removed), a chunk at a time, however large the file.
    Raises `DecodeError` (before any text) when it is not text; `OSError` when unreadable."""
    return _text_chunks(_Bytes.file(path))


def decode_text(data: bytes) -> str:
    """A plain-text file's bytes as str (BOM removed). Raises `DecodeError`."""
    return "".join(_text_chunks(_Bytes.of(data), guess_bytes=None)())


def decode_html(data: bytes, declared_charset: str | None = None) -> str:
    """An HTML page's bytes as str. `declared_charset`: the HTTP Content-Type charset, if any.

    After the BOM and (nearly) valid UTF-8, the HTTP charset, then a <meta charset> /
    <meta http-equiv content="...charset=..."> in the first 4 KiB, then a guess.
    """
    src = _Bytes.of(data)
    codec = _bom_codec(src)
    if codec is not None:
        return data.decode(codec)
    if _has_nul(src):
        codec = _utf16_without_bom(src)
        if codec is None:
            raise _binary(data)
        return data.decode(codec)
    if _utf8(src)[0]:
        return data.decode("utf-8")
    if _mostly_utf8(src):
        return data.decode("utf-8", errors="replace")
    text = _try(data, declared_charset)
    if text is not None:
        return text
    m = _META_CHARSET.search(data[:4096])
    if m:
        text = _try(data, m[1].decode("ascii", "replace"))
        if text is not None:
            return text
    return "".join(_guess(src, None)())


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value ("text/html; charset=UTF-8")."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
