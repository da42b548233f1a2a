"""Date filters of the search language: `on:`, `after:` and `before:` values as day ranges."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_ABSOLUTE_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_RELATIVE_DATE_RE = re.compile(r"(\d{1,6})([dwmy])", re.IGNORECASE)
_DATE_FORMS = "use 2024, 2024-01 or 2024-01-15"
_BOUND_FORMS = "use 2024-01-15, 2024-01, 2024, today, yesterday or 7d, 4w, 3m, 1y"


@dataclass(frozen=True, slots=True)
class DateRange:
    """Days from `start` (inclusive) to `end` (exclusive), both ``YYYY-MM-DD``; None leaves that side open."""

    start: str | None = None
    end: str | None = None

    @property
    def is_open(self) -> bool:
        """True when the range does not restrict anything."""
        return self.start is None and self.end is None


def _months_earlier(day: datetime.date, months: int) -> datetime.date:
    """`day` moved back `months` months (forward when negative), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    if year < datetime.MINYEAR:
        raise ValueError("before year 1")
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _next_day(day: datetime.date) -> str | None:
    """The exclusive end after `day`, or None (open) past the last representable date."""
    try:
        return (day + datetime.timedelta(days=1)).isoformat()
    except OverflowError:
        return None


def _absolute_range(value: str) -> tuple[str, str | None] | None:
    """``2024`` / ``2024-01`` / ``2024-01-15`` as (start, exclusive end), or None when it is not a real date."""
    found = _ABSOLUTE_DATE_RE.fullmatch(value)
    if not found:
        return None
    year, month, day = found.groups()
    try:
        if day is not None:
            start = datetime.date(int(year), int(month), int(day))
            return start.isoformat(), _next_day(start)
        if month is not None:
            start = datetime.date(int(year), int(month), 1)
            end = _months_earlier(start, -1) if start.year < datetime.MAXYEAR or start.month < 12 else None
            return start.isoformat(), end.isoformat() if end else None
        start = datetime.date(int(year), 1, 1)
        end_year = start.year + 1
        return start.isoformat(), (f"{end_year:04d}-01-01" if end_year <= datetime.MAXYEAR else None)
    except ValueError:
        return None


def _relative_day(value: str, today: datetime.date) -> datetime.date | None:
    lowered = value.lower()
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return today - datetime.timedelta(days=1)
    found = _RELATIVE_DATE_RE.fullmatch(value)
    if not found:
        return None
    amount, unit = int(found.group(1)), found.group(2).lower()
    try:
        if unit == "d":
            return today - datetime.timedelta(days=amount)
        if unit == "w":
            return today - datetime.timedelta(weeks=amount)
        return _months_earlier(today, amount * (12 if unit == "y" else 1))
    except (OverflowError, ValueError):
        return None


def _date_filter(key: str, value: str, today: datetime.date) -> DateRange | None:
    """The range one `on:`/`after:`/`before:` filter allows, or None when `value` is not understood."""
    value = value.strip()
    if key == "on":
        if value.lower() in ("today", "yesterday"):
            day = _relative_day(value, today)
            assert day is not None
            return DateRange(day.isoformat(), _next_day(day))
        span = _absolute_range(value)
        return DateRange(*span) if span else None
    span = _absolute_range(value)
    if span is not None:
        bound: str | None = span[0]
    else:
        day = _relative_day(value, today)
        if day is None:
            return None
        bound = day.isoformat()
    return DateRange(start=bound) if key == "after" else DateRange(end=bound)


def _intersect(a: DateRange, b: DateRange) -> DateRange:
    starts = [s for s in (a.start, b.start) if s is not None]
    ends = [e for e in (a.end, b.end) if e is not None]
    # ISO dates with four-digit years sort as strings.
    return DateRange(max(starts) if starts else None, min(ends) if ends else None)
