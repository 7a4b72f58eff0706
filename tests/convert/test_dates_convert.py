"""Dates keep their wall-clock meaning in the Grav site's timezone, never shifted through UTC.

Decision (documented in README): a source date WITH a UTC offset is an instant; it is written as
the wall clock of that instant in the Grav timezone (what Jekyll's `localtime` and Hugo showed
readers when their zone was the same). A date WITHOUT an offset is a wall clock in the source's
timezone; it is kept as written when that is the Grav timezone, else moved to the same instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grav_tools.convert.reading import SourceTime, filename_date, source_time
from grav_tools.dates import format_date, read_date


def test_offset_date_becomes_wall_clock_of_the_same_instant_in_the_site_zone() -> None:
    when = source_time("2017-03-08 10:00:00 -0700")
    assert when == SourceTime(datetime(2017, 3, 8, 10, 0), -7 * 3600)
    assert when.wall("America/Denver", None) == datetime(2017, 3, 8, 10, 0)  # MST is -07:00 in March 8
    assert when.wall("Europe/Berlin", None) == datetime(2017, 3, 8, 18, 0)
    assert when.wall("Asia/Almaty", None) == datetime(2017, 3, 8, 23, 0)


def test_naive_dates_stay_as_written_unless_the_zones_differ() -> None:
    when = source_time("2019-06-01 23:30")
    assert when is not None and when.offset is None
    assert when.wall("Europe/Berlin", "Europe/Berlin") == datetime(2019, 6, 1, 23, 30)
    assert when.wall("Europe/Berlin", None) == datetime(2019, 6, 1, 23, 30)
    assert when.wall("Europe/London", "Europe/Berlin") == datetime(2019, 6, 1, 22, 30)


def test_dst_and_zone_history_are_honoured() -> None:
    # Asia/Almaty moved from UTC+6 to UTC+5 on 2024-03-01
    assert source_time("2024-02-29T04:00:00Z").wall("Asia/Almaty", None) == datetime(2024, 2, 29, 10, 0)
    assert source_time("2024-03-02T04:00:00Z").wall("Asia/Almaty", None) == datetime(2024, 3, 2, 9, 0)


@pytest.mark.parametrize("text, expected", [
    ("January 12, 2021", datetime(2021, 1, 12)),
    ("2013-05-06 02:12:52 +0200", datetime(2013, 5, 6, 2, 12, 52)),
    ("2018-12-08T00:00:00Z", datetime(2018, 12, 8)),
    ("2024-04-03", datetime(2024, 4, 3)),
])
def test_source_dates_in_the_shapes_real_sites_use(text: str, expected: datetime) -> None:
    when = source_time(text)
    assert when is not None and when.naive == expected


@pytest.mark.parametrize("text", ["{{date}}", "", "soon", "2023-02-31", "tomorrow"])
def test_unreadable_or_now_dependent_dates_are_refused(text: str) -> None:
    assert source_time(text) is None


def test_toml_and_yaml_date_objects() -> None:
    aware = datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert source_time(aware) == SourceTime(datetime(2024, 3, 5, 8, 30), 0)
    assert source_time(date(2024, 3, 5)) == SourceTime(datetime(2024, 3, 5), None)
    assert source_time(datetime(2024, 3, 5, 1, 2, tzinfo=timezone(timedelta(hours=-3)))).offset == -3 * 3600


def test_written_format_reads_back_exactly_in_grav() -> None:
    wall = datetime(2017, 3, 8, 18, 0)
    text = format_date(wall, "d-m-Y H:i")
    assert text == "08-03-2017 18:00"
    for dateformat in (None, "d-m-Y H:i"):
        reading = read_date(text, dateformat)
        assert reading.ok and reading.as_datetime() == wall


def test_file_name_dates() -> None:
    assert filename_date("2014-01-29-hello.markdown") == datetime(2014, 1, 29)
    assert filename_date("2014-02-30-x.md") is None
    assert filename_date("notes.md") is None


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
       st.sampled_from(["", "Z", "+0200", "-07:00", " +0530", "+00:00"]), st.sampled_from([" ", "T"]),
       st.booleans())
def test_quick_iso_path_agrees_with_the_php_faithful_parser(when: datetime, zone: str, sep: str, seconds: bool) -> None:
    text = when.strftime(f"%Y-%m-%d{sep}%H:%M" + (":%S" if seconds else "")) + zone
    reading = read_date(text, tz="UTC")
    assert reading.ok
    wall = int((reading.as_datetime() - datetime(1970, 1, 1)).total_seconds())
    slow = SourceTime(reading.as_datetime(), None if reading.utc_offset_seconds is None and not reading.tz_name
                      else wall - reading.timestamp("UTC"))
    assert source_time(text) == slow
