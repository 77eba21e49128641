"""Normalising the dates that inputs carry to a calendar day, YYYY-MM-DD.

Inputs write publication dates in many ways: ISO 8601 timestamps (HTML meta tags, JSON-LD,
WARC-Date), RFC 822 dates (RSS), day-first Indian dates ("05/01/2022", "5 जनवरी 2022"),
`time.struct_time` (feedparser), `datetime`. A timestamp keeps the day *as written* (its own
time zone), since that is the day the publisher put on the article.

`parse_date` raises `DateError` for anything that is not a full, real calendar day;
`normalize_date` returns None instead.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import time
import unicodedata
from functools import cache

import regex

__all__ = ["DateError", "parse_date", "normalize_date"]

MIN_YEAR = 1800
MAX_YEAR = 2200


class DateError(ValueError):
    """The value is not a date ghatna can read as a full calendar day."""


# English month names (RFC 822 dates, English bylines); each language pack adds its own, the
# month words of its time expressions (timex/words.tsv)
_ENGLISH_MONTHS = ["january jan", "february feb", "march mar", "april apr", "may", "june jun",
                   "july jul", "august aug", "september sep sept", "october oct", "november nov",
                   "december dec"]


@cache
def _months() -> dict[str, int]:
    from ..langs import available_packs, load_pack

    months = {name: i for i, names in enumerate(_ENGLISH_MONTHS, start=1) for name in names.split()}
    for code in available_packs():
        for row in load_pack(code).table("timex/words.tsv"):
            if row["class"] == "month":
                months[unicodedata.normalize("NFC", row["form"]).casefold()] = int(row["value"])
    return months


_ISO = regex.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])")
_COMPACT = regex.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|T)")
_DAY_FIRST = regex.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|[T\s,])")
_WORDY = regex.compile(
    r"^(?:[\p{L}\p{M}]+,?\s+)?"  # optional weekday
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+([\p{L}\p{M}]+)\.?,?\s+(\d{4})"  # 5 January 2022
    r"|([\p{L}\p{M}]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))"  # January 5, 2022
    r"(?:$|[\s,T])"
)


def _ascii_digits(s: str) -> str:
    """Devanagari (and any other Unicode) decimal digits as ASCII."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in s)


def _day(year: int, month: int, day: int, original: object) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"year {year} out of range in date {original!r}")
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError as e:
        raise DateError(f"not a real calendar day: {original!r} ({e})") from None


def parse_date(value: object) -> str:
    """`value` as YYYY-MM-DD, or `DateError`.

    Accepts `datetime.date`/`datetime.datetime`, `time.struct_time` (or a 9-tuple), and strings:
    ISO 8601 dates and timestamps, YYYY/MM/DD, YYYYMMDD, day-first DD-MM-YYYY / DD/MM/YYYY /
    DD.MM.YYYY (the Indian convention; month-first only when the first number cannot be a month
    day-first reading), "5 January 2022", "January 5, 2022", "5 जनवरी 2022", RFC 822
    ("Wed, 05 Jan 2022 10:00:00 +0530"). Devanagari digits are read as digits.
    """
    if value is None:
        raise DateError("no date")
    if isinstance(value, _dt.datetime):
        return _day(value.year, value.month, value.day, value)
    if isinstance(value, _dt.date):
        return _day(value.year, value.month, value.day, value)
    if isinstance(value, time.struct_time) or (
        isinstance(value, tuple) and len(value) >= 3 and all(isinstance(x, int) for x in value[:3])
    ):
        return _day(value[0], value[1], value[2], value)
    if not isinstance(value, str):
        raise DateError(f"not a date: {value!r} (a {type(value).__name__})")

    s = _ascii_digits(unicodedata.normalize("NFC", value)).strip()
    if not s:
        raise DateError("empty date")

    m = _ISO.match(s) or _COMPACT.match(s)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]), value)

    m = _DAY_FIRST.match(s)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (a, b) if b <= 12 else (b, a)
        return _day(year, month, day, value)

    m = _WORDY.match(s)
    if m:
        if m[1]:
            day, month_name, year = int(m[1]), m[2], int(m[3])
        else:
            month_name, day, year = m[4], int(m[5]), int(m[6])
        month = _months().get(unicodedata.normalize("NFC", month_name).casefold())
        if month is not None:
            return _day(year, month, day, value)

    # RFC 822 / RFC 2822, as in RSS <pubDate> and HTTP headers
    parsed = email.utils.parsedate_tz(s)
    if parsed is not None and parsed[0]:
        return _day(parsed[0], parsed[1], parsed[2], value)

    # anything else ISO-like that Python understands (e.g. "2022-W01-3")
    try:
        d = _dt.date.fromisoformat(s)
    except ValueError:
        pass
    else:
        return _day(d.year, d.month, d.day, value)

    raise DateError(f"not a recognisable date: {value!r}")


def normalize_date(value: object) -> str | None:
    """`value` as YYYY-MM-DD, or None when it cannot be read as a full calendar day."""
    try:
        return parse_date(value)
    except DateError:
        return None
