"""A WARC archive (.warc, .warc.gz) holds crawled pages; each HTML page fetched with 200 OK is
one article. Other records (requests, metadata, images, redirects) are skipped silently.

Dates: the page's own metadata, else the record's WARC-Date (the capture time), else the
default. A truncated or corrupt archive keeps the documents read before the damage and reports
where it was found.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from ..schema import Document
from .dates import normalize_date
from .decode import DecodeError, charset_of
from .errors import InputError
from .html import ExtractionError, extract_article

__all__ = ["read_warc_file"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_RECORDS = ("response", "resource")


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _html_page(record: Any) -> tuple[bool, str | None]:
    """(is this record an HTML page fetched with 200 OK, its declared charset)."""
    if record.rec_type not in _PAGE_RECORDS:
        return False, None
    http = record.http_headers
    if http is not None and record.rec_type == "response":
        if http.get_statuscode() != "200":
            return False, None
        content_type = http.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    return _mime(content_type) in _HTML_TYPES, charset_of(content_type)


def _read_all(stream: Any) -> bytes:
    chunks = []
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _drain(stream: Any) -> None:
    while stream.read(1 << 16):
        pass


def _truncated(record: Any) -> bool:
    """Did the archive end inside this record (its headers, or before Content-Length bytes)?"""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():  # every WARC record has one; headers cut short lose it
        return True
    _drain(record.raw_stream)
    return getattr(record.raw_stream, "limit", 0) > 0


def read_warc_file(path: Path, default_date: str | None) -> Iterator[Document | InputError]:
    source = str(path)
    n_records = 0  # records read, all kinds
    n_pages = 0  # HTML pages: the N of "path#N"
    end = 0  # file offset where the last complete record ends
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        archive = ArchiveIterator(f)
        try:
            for record in archive:
                n_records += 1
                is_page, charset = _html_page(record)
                payload = _read_all(record.content_stream()) if is_page else b""
                if _truncated(record):
                    yield InputError(source, f"truncated archive: it ends inside record {n_records}"
                                             f" ({n_pages} pages read before it)")
                    return
                end = archive.get_record_offset() + archive.get_record_length()
                if not is_page:
                    continue
                n_pages += 1
                yield _page_document(path, n_pages, record, payload, charset, default_date)
        except Exception as e:  # noqa: BLE001 -- warcio raises many kinds on damaged input
            if n_records == 0:
                reason = f"not a WARC archive, or damaged at its first record ({type(e).__name__}: {e})"
            else:
                reason = (f"truncated or corrupt archive at record {n_records} or just after"
                          f" ({n_pages} pages read before it; {type(e).__name__}: {e})")
            yield InputError(source, reason)
            return
        if n_records == 0:
            yield InputError(source, "empty archive (no WARC records)")
        elif end < size:
            # a gzip member cut short before its WARC headers ends the iteration silently
            f.seek(end)
            if f.read(4096).strip(b"\r\n\t \x00"):
                yield InputError(source, f"truncated archive: it ends inside record {n_records + 1}"
                                         f" ({size - end} bytes of it; {n_pages} pages read before it)")


def _page_document(path: Path, n: int, record: Any, payload: bytes, charset: str | None,
                   default_date: str | None) -> Document | InputError:
    item = f"{path}#{n}"
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        art = extract_article(payload, charset, url=url)
    except (DecodeError, ExtractionError) as e:
        return InputError(item, f"{e} ({url})" if url else str(e))
    except Exception as e:  # noqa: BLE001 -- one bad page must not end the archive
        return InputError(item, f"extraction failed ({type(e).__name__}: {e})")
    date = art.date or normalize_date(record.rec_headers.get_header("WARC-Date")) or default_date
    return Document(text=art.text, name=f"{path.name}#{n}", source=item, date=date,
                    url=url or art.url, title=art.title)
