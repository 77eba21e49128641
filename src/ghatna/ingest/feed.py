"""An RSS or Atom feed (.xml) holds one article per entry: headline, then content.

text = title + blank line + the entry's content (content[0], else summary) as plain text;
date = the entry's published/updated date (the day as written in the feed), else the default.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from ..schema import Document
from .dates import normalize_date
from .errors import InputError
from .html import html_to_text, with_title

__all__ = ["read_feed_file", "parse_feed"]


def _is_html(detail: Any, value: str) -> bool:
    kind = detail.get("type") if hasattr(detail, "get") else None
    if kind:  # feedparser's verdict: text/plain, text/html, application/xhtml+xml
        return "html" in kind
    return "<" in value and ">" in value


def _plain(value: str | None, detail: Any) -> str:
    if not value:
        return ""
    if _is_html(detail, value):
        return html_to_text(value)
    return "\n\n".join(" ".join(p.split()) for p in value.split("\n\n") if p.strip())


def _entry_date(entry: Any) -> str | None:
    # the string as written first: feedparser's *_parsed structs are in UTC, which can move
    # an Indian (UTC+05:30) morning article to the previous day
    for key in ("published", "updated", "created"):
        d = normalize_date(entry.get(key))
        if d:
            return d
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        d = normalize_date(entry.get(key))
        if d:
            return d
    return None


def parse_feed(data: bytes) -> Any:
    """feedparser's result for the bytes; raises ValueError when they are not an RSS/Atom feed."""
    try:
        parsed = feedparser.parse(data)  # bytes: never treated as a URL or file name
    except Exception as e:  # noqa: BLE001 -- feedparser can fail on damaged declarations
        raise ValueError(f"not an RSS/Atom feed ({type(e).__name__}: {e})") from None
    if parsed.get("bozo") and not parsed.entries:
        exc = parsed.get("bozo_exception")
        why = f"{type(exc).__name__}: {exc}" if exc is not None else "unreadable"
        raise ValueError(f"not an RSS/Atom feed ({why})")
    if not parsed.entries and not parsed.get("version"):
        raise ValueError("not an RSS/Atom feed (no feed element and no entries)")
    return parsed


def read_feed_file(path: Path, default_date: str | None) -> Iterator[Document | InputError]:
    source = str(path)
    try:
        parsed = parse_feed(path.read_bytes())
    except ValueError as e:
        yield InputError(source, str(e))
        return
    if not parsed.entries:
        yield InputError(source, f"feed has no entries ({parsed.get('version') or 'unknown format'})")
        return
    for n, entry in enumerate(parsed.entries, start=1):
        item = f"{path}#{n}"
        title = " ".join(_plain(entry.get("title"), entry.get("title_detail")).split()) or None
        content = entry.get("content") or []
        if content and content[0].get("value"):
            body = _plain(content[0].get("value"), content[0])
        else:
            body = _plain(entry.get("summary"), entry.get("summary_detail"))
        paras = [p for p in body.split("\n\n") if p.strip()]
        if not title and not paras:
            yield InputError(item, f"entry {n} has no text")
            continue
        yield Document(
            text=with_title(title, paras),
            name=f"{path.name}#{n}",
            source=item,
            date=_entry_date(entry) or default_date,
            url=entry.get("link") or None,
            title=title,
            record_id=entry.get("id") or None,
        )
