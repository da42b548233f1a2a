"""Date normalisation (`mljournal.core.dates`): the formats real front-matter uses, and refusing nonsense."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mljournal.core.dates import normalise_date


@pytest.mark.parametrize(
    ("value", "iso", "day", "has_time"),
    [
        (date(2024, 1, 15), "2024-01-15", "2024-01-15", False),
        (datetime(2024, 1, 15, 10, 0), "2024-01-15T10:00:00", "2024-01-15", True),
        (
            datetime(2023, 8, 11, 12, 30, tzinfo=timezone(timedelta(hours=2))),
            "2023-08-11T12:30:00+02:00",
            "2023-08-11",
            True,
        ),
        ("2024-01-15", "2024-01-15", "2024-01-15", False),
        ("2024-4-09", "2024-04-09", "2024-04-09", False),
        ("2024/01/05", "2024-01-05", "2024-01-05", False),
        ("2023-08-11T12:30:00+2", "2023-08-11T12:30:00+02:00", "2023-08-11", True),
        ("2013-09-14 20:46:50 -0400", "2013-09-14T20:46:50-04:00", "2013-09-14", True),
        ("2024-01-15t10:00:00z", "2024-01-15T10:00:00+00:00", "2024-01-15", True),
        ("2023-01-30T15:57:52.737Z", "2023-01-30T15:57:52.737000+00:00", "2023-01-30", True),
        ("2023-01-30T15:57:52.123456789+00:00", "2023-01-30T15:57:52.123456+00:00", "2023-01-30", True),
        ("2024-01-15T09:12", "2024-01-15T09:12:00", "2024-01-15", True),
        ("Jan 5, 2024", "2024-01-05", "2024-01-05", False),
        ("March 30, 2023", "2023-03-30", "2023-03-30", False),
        ("Mon, 15 Jan 2024 10:00:00 +0000", "2024-01-15T10:00:00+00:00", "2024-01-15", True),
        ("15/01/2024", "2024-01-15", "2024-01-15", False),
        ("01/02/2024", "2024-01-02", "2024-01-02", False),  # slashes: month first unless impossible
        ("01.02.2024", "2024-02-01", "2024-02-01", False),  # dots: always day first
        ("2024-01", "2024-01-01", "2024-01-01", False),
        ("2024", "2024-01-01", "2024-01-01", False),
        (2024, "2024-01-01", "2024-01-01", False),
        ("2024-W03-2", "2024-01-16", "2024-01-16", False),
        ("2024-01-15 10:00:00 PST", "2024-01-15T10:00:00-08:00", "2024-01-15", True),
        (1704067200, "2024-01-01T00:00:00+00:00", "2024-01-01", True),
        ("1704067200", "2024-01-01T00:00:00+00:00", "2024-01-01", True),
        (1704067200000, "2024-01-01T00:00:00+00:00", "2024-01-01", True),
        ("2024-01-15T23:30:00-05:00", "2024-01-15T23:30:00-05:00", "2024-01-15", True),
        ("0001-01-01", "0001-01-01", "0001-01-01", False),
    ],
)
def test_formats(value: Any, iso: str, day: str, has_time: bool) -> None:
    result = normalise_date(value)
    assert result is not None
    assert (result.iso, result.day, result.has_time) == (iso, day, has_time)


def test_sort_key_is_utc_epoch_seconds() -> None:
    late_evening_new_york = normalise_date("2024-01-15T23:30:00-05:00")
    assert late_evening_new_york is not None
    assert late_evening_new_york.sort_key == datetime(2024, 1, 16, 4, 30, tzinfo=UTC).timestamp()
    naive = normalise_date("2024-01-15 10:00:00")
    assert naive is not None and naive.sort_key == datetime(2024, 1, 15, 10, tzinfo=UTC).timestamp()
    plain = normalise_date(date(1969, 12, 31))
    assert plain is not None and plain.sort_key == -86400.0


@pytest.mark.parametrize(
    "value",
    [
        "30 mins",
        "1 min",
        "yesterday",
        "",
        "   ",
        "12:30",
        750,
        3,
        True,
        False,
        None,
        {"created": "2024-01-15"},
        ["2024-01-15"],
        "2024-13-01",
        "2024-02-30",
        "not a date 2024",
        "Asia/Yangon",
        float("nan"),
        "9" * 20,
    ],
)
def test_nonsense_is_not_a_date(value: Any) -> None:
    assert normalise_date(value) is None


ZONES = st.one_of(
    st.none(), st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
)


def _offset(moment: datetime, colon: bool) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}" if colon else f"{sign}{hours:02d}{mins:02d}"


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=ZONES))
def test_any_datetime_written_several_ways_is_one_instant(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    reference = normalise_date(moment)
    assert reference is not None
    base = moment.strftime("%Y-%m-%d")
    clock = moment.strftime("%H:%M:%S")
    spellings: list[Any] = [moment.isoformat(), f"{base} {clock}", f"{base}t{clock}"]
    if moment.tzinfo is not None:
        spellings = [
            moment.isoformat(),
            f"{base}T{clock}{_offset(moment, True)}",
            f"{base} {clock} {_offset(moment, False)}",
            moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            format_datetime(moment),
        ]
        if moment.year >= 1970:
            spellings.append(int(moment.timestamp()) if moment.timestamp() >= 1e9 else moment.isoformat())
    for spelling in spellings:
        result = normalise_date(spelling)
        assert result is not None, spelling
        assert result.sort_key == reference.sort_key, spelling
        assert result.has_time


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.binary(max_size=10)))
def test_never_raises(value: Any) -> None:
    normalise_date(value)


@pytest.mark.parametrize(
    ("value", "iso"),
    [("2024-02-07:00:00Z", "2024-02-07"), ("2023-01-29 18:30:22 2023 -0800", "2023-01-29")],
)
def test_a_clear_day_with_a_garbled_time_keeps_the_day(value: str, iso: str) -> None:
    result = normalise_date(value)
    assert result is not None and result.iso == iso and not result.has_time
