"""Event dates as the merge step compares them: a TIMEX3 value read as a calendar interval.

`2022-01-05` is one day, `2022-01` a month, `2022` a year, `XXXX-01-05` a day in an unknown year.
Two dates agree when their intervals overlap (a month-only date is compatible with each of its
days); their distance is the gap between the intervals in days.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_VALUE = re.compile(r"^(\d{4}|XXXX)(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DateInterval:
    first: date
    last: date
    precision: str  # day | month | year
    year_known: bool = True

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@lru_cache(maxsize=1 << 16)
def interval(value: str | None) -> DateInterval | None:
    """The calendar interval of a TIMEX3 date value; None for durations, sets, times of
    unknown day and anything unreadable."""
    if not value:
        return None
    m = _VALUE.match(value)
    if m is None:
        return None
    y, mo, d = m.groups()
    year_known = y != "XXXX"
    year = int(y) if year_known else 2000  # a leap year, so XXXX-02-29 reads
    try:
        if d is not None:
            day = date(year, int(mo), int(d))
            return DateInterval(day, day, "day", year_known)
        if mo is not None:
            last = calendar.monthrange(year, int(mo))[1]
            return DateInterval(date(year, int(mo), 1), date(year, int(mo), last), "month", year_known)
        if not year_known:
            return None
        return DateInterval(date(year, 1, 1), date(year, 12, 31), "year")
    except ValueError:
        return None


def gap(a: DateInterval, b: DateInterval) -> int:
    """Days between two intervals (0 when they overlap). A day of unknown year is compared by
    month and day, in the other's year."""
    if not (a.year_known and b.year_known):
        if a.precision == "year" or b.precision == "year":
            return 0
        ref = b if a.year_known is False else a
        other = a if ref is b else b
        try:
            a = DateInterval(other.first.replace(year=ref.first.year),
                             other.last.replace(year=ref.first.year), other.precision)
            b = ref
        except ValueError:
            return 0
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


def day_of(value: str | None) -> date | None:
    iv = interval(value)
    return iv.first if iv is not None and iv.precision == "day" and iv.year_known else None


def days_between(a: str | None, b: str | None) -> int | None:
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    return gap(ia, ib)


@lru_cache(maxsize=1 << 14)
def neighbours(value: str, radius: int) -> tuple[str, ...]:
    """The day values within `radius` days of a day value (itself included)."""
    d = day_of(value)
    if d is None:
        return (value,)
    return tuple((d + timedelta(days=k)).isoformat() for k in range(-radius, radius + 1))
