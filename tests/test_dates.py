"""Unit tests for grav_tools.dates (no PHP needed; test_dates_php.py checks against PHP)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grav_tools import dates as _dates
from grav_tools._phpdate import grammar as _grammar
from grav_tools._phpdate import scan as _scan
from grav_tools.dates import DateReading, DateShape, describe, format_date, read_date, shape_of, swapped_reading

NOW = datetime(2026, 5, 17, 13, 45, 21)  # fixed "current time" for now-dependent readings
ADMIN_FORMATS = ["d-m-Y H:i", "Y-m-d H:i", "m/d/Y h:i a", "H:i d-m-Y", "h:i a m/d/Y"]


def wall(r: DateReading | None) -> str | None:
    """'Y-m-d H:i:s' of a reading, None when PHP gives false (Grav uses the mtime)."""
    if r is None or not r.ok:
        return None
    return f"{r.year:04d}-{r.month:02d}-{r.day:02d} {r.hour:02d}:{r.minute:02d}:{r.second:02d}"


# Fact sheet section 3.2 (PHP 8.2, UTC): value, no format, page dateformat 'd-m-Y H:i'.
FACT_SHEET_3_2 = [
    ("09-01-2023 10:00", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("09.01.2023 10:00", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("9-1-2023 10:00", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("10:00 09-01-2023", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("01/09/2023 10:00", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("09/01/2023", "2023-09-01 00:00:00", "2023-09-01 00:00:00"),
    ("2023-01-09 10:00", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("2023/01/09", "2023-01-09 00:00:00", "2023-01-09 00:00:00"),
    ("09-01-2023", "2023-01-09 00:00:00", "2023-01-09 00:00:00"),
    ("13-01-2023 10:00", "2023-01-13 10:00:00", "2023-01-13 10:00:00"),
    ("31-02-2023 10:00", "2023-03-03 10:00:00", "2023-03-03 10:00:00"),
    ("09-13-2023 10:00", None, "2024-01-09 10:00:00"),
    ("09-01-23 10:00", "2009-01-23 10:00:00", "0023-01-09 10:00:00"),
    ("2023-01-09T10:00:00+06:00", "2023-01-09 10:00:00", "2023-01-09 10:00:00"),
    ("32-01-2023", None, None),
    ("garbage", None, None),
]


@pytest.mark.parametrize(("value", "default", "with_format"), FACT_SHEET_3_2)
def test_fact_sheet_table(value: str, default: str | None, with_format: str | None) -> None:
    assert wall(read_date(value, now=NOW)) == default
    assert wall(read_date(value, "d-m-Y H:i", now=NOW)) == with_format


@pytest.mark.parametrize(("value", "via"), [
    ("09-01-2023 10:00", "createFromFormat"),  # the format matches
    ("9-1-2023 10:00", "createFromFormat"),  # d/m accept one digit
    ("09.01.2023 10:00", "strtotime"),  # '.' is not '-': createFromFormat fails
    ("10:00 09-01-2023", "strtotime"),
    ("09-01-2023", "strtotime"),  # not enough data for ' H:i'
    ("09-13-2023 10:00", "createFromFormat"),  # month 13 rolls into 2024
])
def test_which_step_of_the_chain_answers(value: str, via: str) -> None:
    assert read_date(value, "d-m-Y H:i").via == via
    assert read_date(value).via in ("DateTime", "strtotime")


def test_offset_is_honoured() -> None:
    r = read_date("2023-01-09T10:00:00+06:00")
    assert r.utc_offset_minutes == 360
    assert r.timestamp(None) == r.timestamp("Asia/Almaty") == 1673236800  # 04:00Z
    assert read_date("2023-01-09T10:00:00Z").utc_offset_minutes == 0
    assert read_date("2023-01-09 10:00 +0600").utc_offset_minutes == 360
    assert read_date("2023-01-09 10:00 Europe/Berlin").tz_name == "Europe/Berlin"


def test_overflow_is_flagged() -> None:
    assert read_date("31-02-2023 10:00").overflowed
    assert read_date("09-13-2023 10:00", "d-m-Y H:i").overflowed
    assert read_date("24:00 09-01-2023").overflowed  # becomes the next midnight
    assert wall(read_date("00-01-2023")) == "2022-12-31 00:00:00"
    assert not read_date("28-02-2023 10:00").overflowed
    assert not read_date("32-01-2023").overflowed  # not overflow: a parse failure


def test_empty_string() -> None:
    r = read_date("", now=NOW)
    assert r.ok and r.now_dependent and r.now_fields == "ymdhis" and r.via == "DateTime"
    assert r.as_datetime() == NOW
    assert read_date("", "d-m-Y H:i") == DateReading(ok=False, via="strtotime")


def test_date_only_format_fills_the_time_of_day_from_now() -> None:
    r = read_date("09-01-2023", "d-m-Y", now=NOW)
    assert r.via == "createFromFormat" and r.now_dependent and r.now_fields == "his"
    assert wall(r) == "2023-01-09 13:45:21"
    assert read_date("09-01-2023 10:00", "d-m-Y H:i", now=NOW).second == 0


@pytest.mark.parametrize("value", ["now", "today", "tomorrow", "yesterday", "+1 day",
                                   "next monday", "10:00", "Jan 9", "first day of next month"])
def test_relative_words_depend_on_now(value: str) -> None:
    r = read_date(value, now=NOW)
    assert r.ok and r.now_dependent


def test_relative_words_on_a_full_date_do_not() -> None:
    assert wall(read_date("2023-01-09 +1 day")) == "2023-01-10 00:00:00"
    assert wall(read_date("Tue, 09 Jan 2023 10:00:00 +0000")) == "2023-01-10 10:00:00"
    assert not read_date("2023-01-09 +1 day").now_dependent


def test_unquoted_iso_dates_as_grav_receives_them() -> None:
    """Symfony turns `date: 2023-01-09` into 1673222400 and Grav stringifies it (3.3)."""
    assert not read_date("1673222400").ok
    r = read_date("1420416000", now=NOW)  # 2015-01-05: read as 14:20:41 in year 6000
    assert (r.year, r.hour, r.minute, r.second) == (6000, 14, 20, 41)
    assert r.now_fields == "md" and (r.month, r.day) == (NOW.month, NOW.day)


def test_textual_months_and_two_digit_years() -> None:
    assert wall(read_date("9 January 2023 10:00")) == "2023-01-09 10:00:00"
    assert wall(read_date("Jan 9, 2023")) == "2023-01-09 00:00:00"
    assert wall(read_date("June 12, 2023")) == "2023-06-12 00:00:00"
    assert not read_date("9 January 2023 at 10:00").ok  # 'at' is an unknown timezone
    assert wall(read_date("31.12.23")) == "2023-12-31 00:00:00"  # dd.mm.yy ...
    assert wall(read_date("01/09/69")) == "2069-01-09 00:00:00"  # pivot: <70 -> 20xx
    assert wall(read_date("01/09/70")) == "1970-01-09 00:00:00"


def test_dotted_two_digit_years_are_read_as_a_time_when_they_can_be() -> None:
    """'09.01.23' is the time 09:01:23 today: timelib's h.i.s rule ties with dd.mm.yy
    and comes first. Only days 25-31 (no such hour) or 'seconds' > 60 make it a date."""
    r = read_date("09.01.23", now=NOW)
    assert (r.hour, r.minute, r.second) == (9, 1, 23) and r.now_fields == "ymd"
    assert wall(read_date("25.01.23")) == "2023-01-25 00:00:00"
    assert wall(read_date("09.01.99")) == "1999-01-09 00:00:00"
    assert read_date("24.01.23", now=NOW).overflowed  # 24:01:23 -> next day 00:01:23
    assert not read_date("09.01.23 10:00").ok  # two times: "Double time specification"


def test_am_pm() -> None:
    assert wall(read_date("01/09/2023 10:00 pm")) == "2023-01-09 22:00:00"
    assert wall(read_date("12:30 am 01/09/2023")) == "2023-01-09 00:30:00"
    assert wall(read_date("01/09/2023 12:05 pm", "m/d/Y h:i a")) == "2023-01-09 12:05:00"


def test_timestamp_uses_the_grav_timezone() -> None:
    """Asia/Almaty moved from UTC+6 to UTC+5 on 2024-03-01 (fact sheet 3.4)."""
    assert read_date("29-02-2024 10:00").timestamp("Asia/Almaty") == 1709179200  # +6
    assert read_date("01-03-2024 10:00").timestamp("Asia/Almaty") == 1709269200  # +5
    assert read_date("01-03-2024 10:00").timestamp(None) == 1709287200  # UTC
    # 23:00-24:00 on 29 Feb happened twice; PHP takes the second (+5), unlike fold=0
    assert read_date("29-02-2024 23:30").timestamp("Asia/Almaty") == 1709231400
    with pytest.raises(ValueError):
        read_date("garbage").timestamp(None)


def test_dst_gap_is_shown_like_php_when_the_zone_is_known() -> None:
    r = read_date("2023-03-26 02:30", tz="Europe/Berlin")
    assert wall(r) == "2023-03-26 03:30:00"
    assert r.timestamp("Europe/Berlin") == read_date("2023-03-26 02:30").timestamp(
        "Europe/Berlin") == 1679794200


@pytest.mark.parametrize(("value", "shape"), [
    ("09-01-2023 10:00", DateShape("dmy", "-", "after", 4, 9, 1, True, "d-m-Y H:i")),
    ("10:00 01/09/2023", DateShape("mdy", "/", "before", 4, 1, 9, True, "H:i m/d/Y")),
    ("10:00 13-01-2023", DateShape("dmy", "-", "before", 4, 13, 1, False, "H:i d-m-Y")),
    ("2023/01/09 10:00", DateShape("ymd", "/", "after", 4, 1, 9, False, "Y/m/d H:i")),
    ("09-01-2023", DateShape("dmy", "-", "none", 4, 9, 1, True, "d-m-Y")),
    ("01/09/2023 1:05pm", DateShape("mdy", "/", "after", 4, 1, 9, True, "m/d/Y g:ia")),
    ("01/09/2023 10:00 PM", DateShape("mdy", "/", "after", 4, 1, 9, True, "m/d/Y h:i A")),
    ("9.1.23", DateShape("dmy", ".", "none", 2, 9, 1, True, "j.n.y")),
    ("2023-01-09T10:00:30", DateShape("ymd", "-", "after", 4, 1, 9, False,
                                      "Y-m-d\\TH:i:s")),
    ("05-05-2023", DateShape("dmy", "-", "none", 4, 5, 5, False, "d-m-Y")),
    ("9-1-023", DateShape("dmy", "-", "none", 3, 9, 1, True, None)),
    ("9 January 2023 10:00", DateShape(None, "", "after", 4, 0, 0, False, "j F Y H:i")),
    ("Jan 9, 2023", DateShape(None, "", "none", 4, 0, 0, False, "M j, Y")),
])
def test_shape_of(value: str, shape: DateShape) -> None:
    assert shape_of(value) == shape


@pytest.mark.parametrize("value", ["", "garbage", "2023-01-09T10:00:00+06:00", "tomorrow",
                                   "1673222400", "9 Smarch 2023", "2023-01-09-01"])
def test_shape_of_rejects_unusual_strings(value: str) -> None:
    assert shape_of(value) is None


def test_shape_format_writes_the_same_string() -> None:
    for value in ["09-01-2023 10:00", "10:00 01/09/2023", "2023/01/09 10:00", "9.1.2023",
                  "01/09/2023 1:05pm", "2023-01-09T10:00:30", "9 January 2023 10:00"]:
        shape = shape_of(value)
        assert shape is not None and shape.php_format is not None
        assert format_date(read_date(value).as_datetime(), shape.php_format) == value


def test_swapped_reading() -> None:
    assert wall(swapped_reading("09-01-2023 10:00")) == "2023-09-01 10:00:00"
    assert wall(swapped_reading("10:00 pm 01/09/2023")) == "2023-09-01 22:00:00"
    assert wall(swapped_reading("2023-01-09")) == "2023-09-01 00:00:00"
    assert wall(swapped_reading("09-01-23")) == "2023-09-01 00:00:00"
    assert swapped_reading("13-01-2023") is None  # month 13 does not exist
    assert swapped_reading("31-01-2023") is None
    assert swapped_reading("09-09-2023") is None  # same either way
    assert swapped_reading("garbage") is None
    assert swapped_reading("9 January 2023") is None


def test_format_date() -> None:
    dt = datetime(2023, 1, 9, 13, 5, 7)
    assert format_date(dt, "d-m-Y H:i") == "09-01-2023 13:05"
    assert format_date(dt, "j/n/y G:i:s") == "9/1/23 13:05:07"
    assert format_date(dt, "h:i a m/d/Y") == "01:05 pm 01/09/2023"
    assert format_date(dt, "g:i A") == "1:05 PM"
    assert format_date(datetime(2023, 1, 9, 0, 30), "h:i a") == "12:30 am"
    assert format_date(datetime(2023, 1, 9, 12, 30), "g:ia") == "12:30pm"
    assert format_date(dt, "Y-m-d\\TH:i") == "2023-01-09T13:05"
    assert format_date(dt, "\\d\\a\\y: j") == "day: 9"
    assert format_date(dt, "D, j M Y / l F") == "Mon, 9 Jan 2023 / Monday January"
    assert format_date(datetime(23, 1, 9), "Y y") == "0023 23"
    with pytest.raises(ValueError):
        format_date(dt, "Y-m-d e")


def test_describe() -> None:
    assert describe(read_date("09-01-2023 10:00")) == "9 January 2023 10:00"
    assert describe(read_date("09-01-2023 10:00:05")) == "9 January 2023 10:00:05"
    assert describe(read_date("2023-01-09T10:00:00+06:00")) == "9 January 2023 10:00 UTC+06:00"
    assert describe(read_date("2023-01-09 10:00 Europe/Berlin")) == \
        "9 January 2023 10:00 (Europe/Berlin)"
    assert describe(read_date("garbage")) == \
        "no date (Grav falls back to the file's modification time)"
    assert describe(read_date("", now=NOW)).endswith("(changes with the current time)")


def test_as_datetime() -> None:
    assert read_date("09-01-2023 10:00").as_datetime() == datetime(2023, 1, 9, 10, 0)
    with pytest.raises(ValueError):
        read_date("garbage").as_datetime()


minutes = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))


@settings(max_examples=300, deadline=None)
@given(dt=minutes.map(lambda d: d.replace(second=0, microsecond=0)),
       fmt=st.sampled_from(ADMIN_FORMATS))
def test_admin_formats_round_trip(dt: datetime, fmt: str) -> None:
    """What Admin writes reads back exactly, with its format and with none.

    Checked against PHP for every year 1-9999 (test_dates_php.py): PHP reads all five
    Admin shapes back unchanged without a format, 4-digit years included.
    """
    text = format_date(dt, fmt)
    with_format = read_date(text, fmt)
    assert with_format.via == "createFromFormat" and not with_format.now_dependent
    assert with_format.as_datetime() == dt
    without = read_date(text)
    assert without.via == "DateTime" and not without.now_dependent
    assert without.as_datetime() == dt

_FAST_SHAPES = [
    "{d:02d}-{m:02d}-{y:04d} {h:02d}:{i:02d}", "{y:04d}-{m:02d}-{d:02d}", "{y:04d}-{m:02d}-{d:02d} {h:02d}:{i:02d}",
    "{y:04d}-{m:02d}-{d:02d} {h:02d}:{i:02d}:{s:02d}", "{y:04d}-{m:02d}-{d:02d}T{h:02d}:{i:02d}:{s:02d}",
    "{y:04d}-{m:02d}-{d:02d}T{h:02d}:{i:02d}:{s:02d}Z", "{y:04d}-{m:02d}-{d:02d}T{h:02d}:{i:02d}:{s:02d}{sg}{oh:02d}:{om:02d}",
    "{y:04d}-{m:02d}-{d:02d}T{h:02d}:{i:02d}:{s:02d}{sg}{oh:02d}{om:02d}", "{m:02d}/{d:02d}/{y:04d}",
    "{m:02d}/{d:02d}/{y:04d} {h:02d}:{i:02d}", "{d:02d}-{m:02d}-{y:04d} {h:02d}:{i:02d} {sg}{oh:02d}{om:02d}",
]


@given(st.sampled_from(_FAST_SHAPES), st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32),
        st.integers(0, 25), st.integers(0, 61), st.integers(0, 61), st.sampled_from("+-"), st.integers(0, 16),
        st.sampled_from([0, 30, 45, 61]), st.sampled_from([None, "d-m-Y H:i"]))
def test_fast_path_agrees_with_the_full_model(shape: str, y: int, m: int, d: int, h: int, i: int, s: int, sg: str,
                                              oh: int, om: int, fmt: str | None) -> None:
    text = shape.format(y=y, m=m, d=d, h=h, i=i, s=s, sg=sg, oh=oh, om=om)
    fast = _dates._plain_fast(text, fmt)
    if fast is not None:
        now = datetime(2026, 11, 25, 12, 34, 56)
        assert fast == _dates._read_full(text, fmt, None, now)


@pytest.mark.parametrize("text", ["2023-01-09T10:00:00+06:00", "01/09/2023", "2023-01-09", "09-01-2023 10:00 +0600",
                                  "2023-01-09 10:00:30", "09-01-2023 10:00"])
def test_fast_path_takes_the_common_shapes(text: str) -> None:
    assert _dates._plain_fast(text, None) is not None


def _next_token_unfiltered(s: str, pos: int) -> tuple[str, int]:
    best_end, best_name = -1, "error"
    for name, rx in _grammar.COMPILED:
        end = _grammar.longest(rx, s, pos)
        if end > best_end:
            best_end, best_name = end, name
    return best_name, best_end


@given(st.text(alphabet=st.sampled_from(list("0123456789-/.:+ TZtapmAPMjanfebJanuaryMonday,stndrdth@\t\x00")),
                 min_size=1, max_size=30))
def test_first_character_dispatch_picks_the_same_token_as_trying_every_rule(text: str) -> None:
    """The scanner skips rules that cannot start with the character at hand: never a different token."""
    padded = text + "\0" * 4
    for pos in range(len(text)):
        assert _scan._next_token(padded, pos) == _next_token_unfiltered(padded, pos)


_DATE_CHARS = st.text(alphabet=st.sampled_from(list("0123456789-/.:+ TZtapmAPMjanfebJanuaryMonday,stndrdth@\t\x00")),
                      max_size=20)


@given(_DATE_CHARS, _DATE_CHARS.filter(bool))
def test_a_token_depends_on_the_text_from_its_position_on_only(before: str, tail: str) -> None:
    """What lets the scanner remember tokens by the tail of the text: the same tail after any
    other text gives the same token."""
    name, end = _scan._longest_token(before + tail + "\0" * 4, len(before))
    assert (name, end - len(before)) == _scan._longest_token(tail + "\0" * 4, 0)


def _looks_behind(pattern: str) -> bool:
    """Does the regex hold an anchor (`^`, `\\b`, `\\A`...) or a lookbehind anywhere?"""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]

    def walk(node: object) -> bool:
        if isinstance(node, parser.SubPattern):
            return any(walk(item) for item in node)
        if isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], c._NamedIntConstant):
            op, av = node
            if op is c.AT or (op in (c.ASSERT, c.ASSERT_NOT) and av[0] < 0):
                return True
            return walk(av)
        if isinstance(node, (list, tuple)):
            return any(walk(item) for item in node)
        return False

    return walk(parser.parse(pattern))


def test_no_rule_looks_behind_its_position() -> None:
    """A match depends only on the text from its position on (what the token memo relies on)."""
    assert _looks_behind("(?:a|(?i:b^))") and _looks_behind("x(?<!y)") and _looks_behind(r"[0-9]+\b")
    assert not _looks_behind("(?=a)(?!b)c{2,}")
    assert [name for name, rx in _grammar.COMPILED if _looks_behind(rx.pattern)] == []


def test_every_byte_has_a_rule_list_and_error_catches_the_rest() -> None:
    table = _grammar.by_first()
    assert len(table) == 256
    assert all(any(name == "error" for name, _ in rules) for rules in table)


@settings(max_examples=500)
@given(st.text(alphabet="0123456789", min_size=1, max_size=14),
       st.text(alphabet="dmYyHisUuGjnz;:/.,-() !|+?*\\", min_size=1, max_size=8))
def test_a_format_that_cannot_read_digits_really_fails(text: str, dateformat: str) -> None:
    """The shortcut that skips createFromFormat for a timestamp number only skips sure failures."""
    from grav_tools import _phpdate

    if _dates._format_cannot_read(dateformat, text):
        assert _phpdate.from_format_parse(dateformat, text).errors


def test_readings_and_shapes_are_values_with_equality_and_hash() -> None:
    """Not frozen (for speed), but compared and hashed by value like frozen ones (normalise keys dicts by them)."""
    import pickle

    reading, shape = read_date("09-01-2023 10:00"), _dates.shape_of("09-01-2023 10:00")
    assert reading == _dates._read_full("09-01-2023 10:00", None, None, None)
    assert len({reading, _dates._read_full("09-01-2023 10:00", None, None, None)}) == 1
    assert shape is not None and pickle.loads(pickle.dumps(shape)) == shape
    assert hash(pickle.loads(pickle.dumps(shape))) == hash(shape)
