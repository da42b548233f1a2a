"""Turn the many ways people write a date into one comparable, displayable value.

Rules worth knowing (they are choices, not accidents):

- A bare date (or a year, or a year-month) is midnight UTC for ordering; ``2024`` and ``2024-01`` become
  ``2024-01-01`` because the index wants a day.
- Naive datetimes stay naive in ``iso`` but are read as UTC for ``sort_key``.
- ``15/01/2024``: numbers separated by dots are day-first (European), numbers separated by slashes are
  month-first (US) unless the first number is greater than 12, which can only be a day.
- Integers of 10 digits are epoch seconds, 13 digits epoch milliseconds; other integers (except a 4-digit
  year) are not dates: YAML 1.1 turns ``12:30`` into the integer 750, which must not become 1970.
- Booleans, mappings, lists and free text without a recognisable year are not dates (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

__all__ = ["NormalisedDate", "normalise_date"]


@dataclass(frozen=True)
class NormalisedDate:
    """A date from an entry, ready for display (`iso`), ordering (`sort_key`) and day filters (`day`)."""

    iso: str
    """``2024-01-15`` for a date; ``2023-08-11T12:30:00+02:00`` with a time (zone kept; naive stays naive)."""
    sort_key: float
    """Seconds since the epoch, UTC; naive values and bare dates are read as UTC."""
    day: str
    """``YYYY-MM-DD`` in the value's own zone."""
    has_time: bool


# Zone abbreviations people actually type; dateutil would silently drop them (naive result), which shifts
# the instant by hours. Ambiguous ones (IST, CST in China...) take their most common English meaning.
_ZONE_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0,
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 60,
    "WEST": 60,
    "CET": 60,
    "CEST": 120,
    "MET": 60,
    "MEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "IST": 330,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
}

_ISO_RE = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5})?)?"
)
_DMY_RE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_YEAR_MONTH_RE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})")
_ISO_WEEK_RE = re.compile(r"(?P<y>\d{4})-?W(?P<w>\d{2})(?:-?(?P<d>[1-7]))?")
_ISO_DAY_PREFIX_RE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?=[T\s:])")
_DIGITS_RE = re.compile(r"-?\d+")
_MONTH_NAME_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_YEAR_RE = re.compile(r"\b\d{4}\b")
_TIME_RE = re.compile(r"\d{1,2}:\d{2}")

_EPOCH_SECONDS_MIN = 10**9
_EPOCH_SECONDS_MAX = 10**10
_EPOCH_MILLIS_MIN = 10**12
_EPOCH_MILLIS_MAX = 10**13


def normalise_date(value: Any) -> NormalisedDate | None:
    """Normalise a front-matter date value (already YAML/TOML-typed or a string); None when it isn't a date.

    Never raises: anything unexpected is simply "not a date".
    """
    try:
        return _normalise(value)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None


def _normalise(value: Any) -> NormalisedDate | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, datetime):
        return _from_datetime(value)
    if isinstance(value, date):
        return _from_date(value)
    if isinstance(value, int):
        return _from_int(value)
    if isinstance(value, float):
        if value.is_integer() and _EPOCH_SECONDS_MIN <= value < _EPOCH_SECONDS_MAX:
            return _from_int(int(value))
        if _EPOCH_SECONDS_MIN <= value < _EPOCH_SECONDS_MAX:
            return _from_datetime(datetime.fromtimestamp(value, UTC))
        return None
    if isinstance(value, str):
        return _from_string(value.strip())
    return None


def _from_date(value: date) -> NormalisedDate:
    iso = value.isoformat()
    stamp = datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()
    return NormalisedDate(iso=iso, sort_key=stamp, day=iso, has_time=False)


def _from_datetime(value: datetime) -> NormalisedDate:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return NormalisedDate(
        iso=value.isoformat(),
        sort_key=aware.timestamp(),
        day=value.date().isoformat(),
        has_time=True,
    )


def _from_int(value: int) -> NormalisedDate | None:
    if 1000 <= value <= 9999:
        return _from_date(date(value, 1, 1))
    if _EPOCH_SECONDS_MIN <= value < _EPOCH_SECONDS_MAX:
        return _from_datetime(datetime.fromtimestamp(value, UTC))
    if _EPOCH_MILLIS_MIN <= value < _EPOCH_MILLIS_MAX:
        return _from_datetime(datetime.fromtimestamp(value / 1000, UTC))
    return None


def _zone(text: str | None) -> tzinfo | None:
    """A fixed-offset zone from ``Z``, ``+2``, ``+0200``, ``-04:00`` or a known abbreviation."""
    if not text:
        return None
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        digits = text[1:].replace(":", "")
        if len(digits) <= 2:
            hours, minutes = int(digits), 0
        else:
            hours, minutes = int(digits[:-2]), int(digits[-2:])
        if hours > 23 or minutes > 59:
            raise ValueError(f"offset out of range: {text}")
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    offset = _ZONE_ABBREVIATIONS.get(text.upper())
    if offset is None:
        raise ValueError(f"unknown zone {text}")
    return UTC if offset == 0 else timezone(timedelta(minutes=offset))


def _from_string(text: str) -> NormalisedDate | None:
    if not text or len(text) > 64:
        return None
    match = _ISO_RE.fullmatch(text)
    if match:
        return _from_iso_match(match)
    match = _DMY_RE.fullmatch(text)
    if match:
        first, second = int(match["a"]), int(match["b"])
        day_first = match["sep"] == "." or first > 12
        day, month = (first, second) if day_first else (second, first)
        return _from_date(date(int(match["y"]), month, day))
    if _DIGITS_RE.fullmatch(text):
        if len(text) in (4, 10, 13):
            return _from_int(int(text))
        return None
    match = _YEAR_MONTH_RE.fullmatch(text)
    if match:
        return _from_date(date(int(match["y"]), int(match["m"]), 1))
    match = _ISO_WEEK_RE.fullmatch(text)
    if match:
        return _from_date(date.fromisocalendar(int(match["y"]), int(match["w"]), int(match["d"] or 1)))
    human = _from_human(text)
    if human is None:
        # "2024-02-07:00:00Z", "2023-01-29 18:30:22 2023 -0800": a clear day followed by a garbled time.
        match = _ISO_DAY_PREFIX_RE.match(text)
        if match:
            return _from_date(date(int(match["y"]), int(match["m"]), int(match["d"])))
    return human


def _from_iso_match(match: re.Match[str]) -> NormalisedDate:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if match["H"] is None:
        return _from_date(date(year, month, day))
    fraction = match["f"] or ""
    # Python keeps microseconds: nanosecond timestamps (Go, JavaScript) lose their last digits.
    micro = int((fraction + "000000")[:6]) if fraction else 0
    value = datetime(
        year,
        month,
        day,
        int(match["H"]),
        int(match["M"]),
        int(match["S"] or 0),
        micro,
        tzinfo=_zone(match["tz"]),
    )
    return _from_datetime(value)


def _from_human(text: str) -> NormalisedDate | None:
    # Only hand text to the slow, permissive parsers when it plausibly is a date: it names a month and a
    # four-digit year. Without this, dateutil happily turns "30 mins" or "3" into today's date.
    if not (_MONTH_NAME_RE.search(text) and _YEAR_RE.search(text)):
        return None
    if "," in text[:5] and text[:3].isalpha():
        # Imported here: the email package costs the app's start-up ~4 ms, and only RFC 2822 dates need it.
        from email.utils import parsedate_to_datetime

        try:
            return _from_datetime(parsedate_to_datetime(text))
        except (ValueError, TypeError, IndexError):
            pass
    from dateutil import parser as date_parser  # imported lazily: only the long tail needs it

    zone_match = re.search(r"\s([A-Za-z]{2,5})$", text)
    zone: tzinfo | None = None
    if zone_match and zone_match[1].upper() in _ZONE_ABBREVIATIONS:
        zone = _zone(zone_match[1])
        text = text[: zone_match.start()]
    try:
        parsed = date_parser.parse(text, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, date_parser.ParserError):
        return None
    if zone is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    if _TIME_RE.search(text):
        return _from_datetime(parsed)
    return _from_date(parsed.date())


def local_now() -> datetime:
    """The current time in the local time zone: the default clock for everything that stamps a date."""
    return datetime.now().astimezone()
