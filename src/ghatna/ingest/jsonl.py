"""A JSONL file holds one article per line: {"id", "text", "date"?, "url"?, "title"?, "lang"?}.

A bad line is reported as `path:LINE` and reading goes on with the next one; blank lines are
skipped. The record's text is taken as it is (only NFC-normalised by `Document`).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..schema import Document
from .dates import DateError, parse_date
from .errors import InputError

__all__ = ["read_jsonl_file", "record_document"]

_OPTIONAL_STRINGS = ("url", "title", "lang")


def _id_string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def record_document(record: Any, lineno: int, path: Path, default_date: str | None
                    ) -> Document | InputError:
    """The Document for one parsed JSONL record, or the InputError saying what is wrong with it."""
    source = f"{path}:{lineno}"
    if not isinstance(record, dict):
        return InputError(source, f"not a JSON object (a {type(record).__name__})")
    text = record.get("text")
    if text is None:
        return InputError(source, 'no "text" field')
    if not isinstance(text, str):
        return InputError(source, f'"text" is not a string (a {type(text).__name__})')
    if not text.strip():
        return InputError(source, '"text" is empty')
    for field in _OPTIONAL_STRINGS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return InputError(source, f'"{field}" is not a string (a {type(value).__name__})')

    date = default_date
    if record.get("date") not in (None, ""):
        try:
            date = parse_date(record["date"])
        except DateError as e:
            return InputError(source, f"bad date ({e})")

    record_id = _id_string(record.get("id"))
    return Document(
        text=text,
        name=record_id if record_id is not None else f"{path.name}:{lineno}",
        source=source,
        date=date,
        lang=record.get("lang") or None,
        url=record.get("url") or None,
        title=record.get("title") or None,
        record_id=record_id,
    )


def read_jsonl_file(path: Path, default_date: str | None) -> Iterator[Document | InputError]:
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield InputError(f"{path}:{lineno}",
                                 f"not valid UTF-8 ({e.reason} at byte {e.start})")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as e:
                msg = getattr(e, "msg", str(e))
                if not raw.endswith(b"\n"):
                    msg += "; truncated last line?"
                yield InputError(f"{path}:{lineno}", f"not valid JSON ({msg})")
                continue
            yield record_document(record, lineno, path, default_date)
