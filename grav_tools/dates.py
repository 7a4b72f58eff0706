"""What Grav (PHP) does with a page's ``date:`` / ``publish_date:`` header string.

Grav's ``Utils::date2timestamp($value, $format)``: with a format (the page's
``dateformat:`` header, else ``system.pages.dateformat.default``) it calls
``DateTime::createFromFormat``; without one, or when that fails, ``new DateTime``
(exceptions caught) and then ``strtotime``. A false result makes Grav use the file
mtime. :func:`read_date` answers "what does that chain yield" without running PHP, using
the timelib model in :mod:`grav_tools._phpdate` (PHP 8.2, timelib 2022.12; checked
against real PHP by tests/test_dates_php.py). :func:`shape_of` describes how a numeric
date is written, for day/month convention checks.

Known gaps (none seen in real Grav content):

* A wall time inside a DST gap is shifted the way PHP shows it only when the zone is
  known to ``read_date`` (named in the string, or passed as ``tz=``); ``timestamp()``
  always matches PHP.
* Zone names are resolved with the system tz database the way Debian's PHP does
  (case-insensitive, ``/UTC`` accepted); a PHP built with its bundled database rejects
  a few such spellings and may carry different rules for future dates.
* Strings containing NUL bytes, and instants whose zone lookup falls outside
  zoneinfo's range after int64 wrap-around, are not modelled.
* ``now_fields`` is a safe superset: when the month comes from "now", the day is listed
  too, even for days 1-28 that cannot roll over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from grav_tools import _phpdate as tl

__all__ = ["DateReading", "DateShape", "read_date", "shape_of", "swapped_reading",
           "format_date", "describe", "MONTH_NAMES"]

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_INVALID = ("The parsed date was invalid", "The parsed time was invalid")


# DateReading and DateShape are plain (not frozen) slots classes, compared and hashed by value like
# frozen ones: a frozen dataclass sets each field through object.__setattr__, and a page builds a
# few of them (DateReading 1.7 -> 0.6 µs). They are shared by the caches: never change one.
@dataclass(slots=True, unsafe_hash=True)
class DateReading:
    """One date string as Grav ends up with it (wall clock after PHP's normalisation)."""

    ok: bool  # False = PHP returns false -> Grav falls back to the file mtime
    year: int = 0
    month: int = 0
    day: int = 0
    hour: int = 0
    minute: int = 0
    second: int = 0
    utc_offset_minutes: int | None = None  # the string itself carries an offset/Z/abbr
    via: str = ""  # "createFromFormat", "DateTime" or "strtotime"
    overflowed: bool = False  # PHP silently rolled an impossible date/time over
    now_dependent: bool = False  # the result changes with the current time
    tz_name: str | None = None  # the string names an IANA zone (Europe/Berlin)
    now_fields: str = ""  # which of "ymdhis" come from the current time
    utc_offset_seconds: int | None = None  # exact offset (PHP allows +06:00:30)

    def as_datetime(self) -> datetime:
        """Naive wall-clock datetime (ValueError when not ok or outside years 1-9999)."""
        if not self.ok:
            raise ValueError("PHP gives no date for this string")
        return datetime(self.year, self.month, self.day, self.hour, self.minute, self.second)

    def timestamp(self, tz: str | None) -> int:
        """Unix timestamp as Grav computes it; ``tz`` is system.timezone (UTC if falsy)."""
        if not self.ok:
            raise ValueError("PHP gives no date for this string")
        wall = _wall_seconds(self.year, self.month, self.day,
                             self.hour, self.minute, self.second)
        if self.utc_offset_seconds is not None:
            return wall - self.utc_offset_seconds
        if self.utc_offset_minutes is not None:
            return wall - self.utc_offset_minutes * 60
        zone = self.tz_name or tz
        if not zone or zone.upper() == "UTC":
            return wall
        return tl.zone_utc(wall, zone)


def _wall_seconds(y: int, m: int, d: int, h: int, i: int, s: int) -> int:
    return tl.days_from_civil(y, m, d) * 86400 + h * 3600 + i * 60 + s


def _now_fields(now: datetime | None, tz: str | None) -> tl.Fields:
    if now is None:
        now = datetime.now(ZoneInfo(tz) if tz else UTC).replace(tzinfo=None)
    return {"y": now.year, "m": now.month, "d": now.day,
            "h": now.hour, "i": now.minute, "s": now.second}


def _reading(p: tl.Parsed, via: str, now: tl.Fields, override_time: bool,
             tz: str | None) -> DateReading:
    f, now_fields = tl.resolve(p, now, override_time)
    fields = (f["y"], f["m"], f["d"], f["h"], f["i"], f["s"])
    zone = p.tz_id or (tz if p.offset is None else None)
    if zone and zone.upper() == "UTC":
        zone = None
    wall = _wall_seconds(*fields)
    instant = tl.zone_utc(wall, zone) if zone else wall - (p.offset or 0)
    if zone or tl.wrap64(instant) != instant:
        # PHP shows the wall clock of the instant: a skipped (DST) hour moves on, and an
        # absurd year that overflows int64 wraps around
        instant = tl.wrap64(instant)
        offset = tl.zone_offset_at(instant, zone) if zone else (p.offset or 0)
        fields = tl.local_fields(instant, offset)
    return DateReading(
        True, *fields, via=via, tz_name=p.tz_id,
        utc_offset_minutes=None if p.offset is None else p.offset // 60,
        utc_offset_seconds=p.offset,
        overflowed=any(w in _INVALID for w in p.warnings),
        now_dependent=bool(now_fields), now_fields=now_fields)


# The shapes real posts use, read directly where PHP's answer is exactly the written fields.
# Each pattern: (regex, field order, how PHP gets there). Groups: the date and time fields,
# then an optional UTC offset (Z, +hh:mm, +hhmm).
_OFFSET = r"(?:(Z)|([+-])(\d\d):?(\d\d))"
_FAST_SHAPES = (
    (re.compile(r"(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d)()()()()()"), "dmy"),  # '09-01-2023 10:00' (Admin)
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d)(?::(\d\d))?)?()()()()"), "ymd"),  # 2023-01-09[ 10:00[:00]]
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)" + _OFFSET + "?"), "ymd"),  # ISO 8601
    (re.compile(r"(\d\d)/(\d\d)/(\d{4})(?: (\d\d):(\d\d))?()()()()()"), "mdy"),  # 01/09/2023[ 10:00]
    (re.compile(r"(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d)() " + _OFFSET), "dmy"),  # '09-01-2023 10:00 +0600'
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plain_fast(text: str, dateformat: str | None) -> DateReading | None:
    """A few common shapes ('09-01-2023 10:00', '2023-01-09T10:00:00+06:00', ...) read directly.

    Only for valid calendar dates and times, years 1000-9999 and real UTC offsets, where PHP's
    answer is exactly the written fields; everything else goes through the full timelib model.
    tests/test_dates.py checks this shortcut against that model for every shape.
    """
    if dateformat not in (None, "", "d-m-Y H:i") or len(text) > 25:
        return None
    for index, (pattern, order) in enumerate(_FAST_SHAPES):  # noqa: B007 - both are read after the break
        match = pattern.fullmatch(text)
        if match is not None:
            break
    else:
        return None
    a, b, c, hh, ii, ss, zulu, sign, oh, om = match.groups()
    if order == "dmy":
        d, m, y = int(a), int(b), int(c)
    elif order == "mdy":
        m, d, y = int(a), int(b), int(c)
    else:
        y, m, d = int(a), int(b), int(c)
    h, i, sec = int(hh or 0), int(ii or 0), int(ss or 0)
    if not (1 <= m <= 12 and 1000 <= y and h <= 23 and i <= 59 and sec <= 59):
        return None
    leap = m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    if not 1 <= d <= _DAYS[m - 1] + leap:
        return None
    offset = None
    if zulu:
        offset = 0
    elif sign:
        if int(oh) > 14 or int(om) > 59:
            return None
        offset = (1 if sign == "+" else -1) * (int(oh) * 3600 + int(om) * 60)
    if index == 0 and dateformat:
        via = "createFromFormat"  # the site's own format reads it
    else:
        via = "strtotime" if dateformat else "DateTime"  # the format fails, Grav falls back
    return DateReading(True, y, m, d, h, i, sec, via=via,
                       utc_offset_minutes=None if offset is None else offset // 60, utc_offset_seconds=offset)


@lru_cache(maxsize=4096)  # per process: at 65536, pool workers of a 50k-post site kept ~12 MB of readings each
def _read_cached(text: str, dateformat: str | None, tz: str | None) -> DateReading:
    fast = _plain_fast(text, dateformat) if not tz or tz.upper() == "UTC" else None  # DST gaps need the zone
    return fast or _read_full(text, dateformat, tz, None)


def read_date(text: str, dateformat: str | None = None, *, tz: str | None = None,
              now: datetime | None = None) -> DateReading:
    """What Grav's date2timestamp yields for ``text`` (cached; real sites repeat dates a lot).

    ``dateformat`` is the page ``dateformat:`` header or the system default (falsy =
    none). ``tz`` (system.timezone) only matters for wall times a DST change skips.
    ``now`` is the wall clock PHP fills missing fields from (default: the current time
    in ``tz``); the fields it supplied are listed in ``now_fields``.
    """
    if now is None:
        return _read_cached(text, dateformat or None, tz)
    return _read_full(text, dateformat, tz, now)


def _read_full(text: str, dateformat: str | None, tz: str | None, now: datetime | None) -> DateReading:
    clock = _now_fields(now, tz)
    if dateformat:
        if not _format_cannot_read(dateformat, text):  # a format that cannot match: no parse
            parsed = tl.from_format_parse(dateformat, text)
            if not parsed.errors:
                return _reading(parsed, "createFromFormat", clock, True, tz)
    elif text == "":  # new DateTime('') is "now"; strtotime('') would be false
        return _reading(tl.Parsed(), "DateTime", clock, False, tz)
    if text == "":
        return DateReading(ok=False, via="strtotime")
    parsed = tl.strtotime_parse(text)
    if parsed.errors:  # DateTime threw (or strtotime gave false): same parser, same errors
        return DateReading(ok=False, via="strtotime")
    return _reading(parsed, "strtotime" if dateformat else "DateTime", clock, False, tz)


_FORMAT_SEPARATORS = frozenset(";:/.,-()")


def _format_cannot_read(dateformat: str, text: str) -> bool:
    """Whether createFromFormat surely fails: the text is only digits (an unquoted ISO date reaches
    Grav as a timestamp number) and the format has a separator, which must be matched by the same
    character in the text. Skipping the model then saves a third of reading such a text (25 µs)."""
    return text.isascii() and text.isdigit() and not _FORMAT_SEPARATORS.isdisjoint(dateformat)


# --------------------------------------------------------------------------- shapes

@dataclass(slots=True, unsafe_hash=True)  # not frozen, for speed (see DateReading)
class DateShape:
    """The written shape of a date string, for convention checks."""

    order: str | None  # "dmy", "mdy", "ymd" or None when not a numeric date
    separator: str  # "-", ".", "/" or ""
    time_position: str  # "before", "after" or "none"
    year_digits: int
    first: int  # the two non-year numeric fields in written order (0 when n/a)
    second: int
    ambiguous: bool  # dmy/mdy with both fields <= 12 and different: they could swap
    php_format: str | None  # PHP format that writes this shape, None if unusual

    def __reduce__(self) -> tuple[type[DateShape], tuple[object, ...]]:
        # shapes travel back from the workers with every date: a flat tuple unpickles fastest
        return (DateShape, (self.order, self.separator, self.time_position, self.year_digits, self.first,
                            self.second, self.ambiguous, self.php_format))


_NUM_DATE = r"(?P<a>\d{1,4})(?P<sep>[-./])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})"
_MON = r"(?P<mon>[A-Za-z]{3,9})\.?"
_TEXT_DATES = (r"(?P<a>\d{1,2})(?P<sep> )" + _MON + r" (?P<c>\d{4})",
               _MON + r"(?P<sep> )(?P<b>\d{1,2}), (?P<c>\d{4})")
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:(?P<sp> ?)(?P<ap>[aApP][mM]))?"
_SHAPES = [
    re.compile(rf"\s*{d}(?:(?P<dt>[ T]){_TIME})?\s*") for d in (_NUM_DATE, *_TEXT_DATES)
] + [re.compile(rf"\s*{_TIME} {d}\s*") for d in (_NUM_DATE, *_TEXT_DATES)]
_MONTH_WORDS = {m.lower(): i + 1 for i, m in enumerate(MONTH_NAMES)}
_MONTH_WORDS.update({m[:3].lower(): i + 1 for i, m in enumerate(MONTH_NAMES)})


def _match_shape(text: str) -> tuple[re.Match[str], bool] | None:
    """The first shape pattern matching text, and whether the time comes first."""
    for index, rx in enumerate(_SHAPES):
        m = rx.fullmatch(text)
        if m:
            return m, index >= len(_SHAPES) // 2
    return None


def _time_format(m: re.Match[str]) -> str | None:
    hour, ampm = m.group("H"), m.group("ap")
    if ampm and (int(hour) > 12 or not (ampm.islower() or ampm.isupper())):
        return None
    letter = ("h" if ampm else "H") if len(hour) == 2 else ("g" if ampm else "G")
    out = letter + ":i" + (":s" if m.group("S") else "")
    if ampm:
        out += (m.group("sp") or "") + ("a" if ampm.islower() else "A")
    return out


@lru_cache(maxsize=4096)  # per process: at 65536, ~7 MB of shapes in each pool worker of a 50k-post site
def shape_of(text: str) -> DateShape | None:
    """Shape of a numeric (or common textual) date string; None for anything else."""
    found = _match_shape(text)
    if found is None:
        return None
    m, time_first = found
    g = m.groupdict()
    time_pos = "none" if not g["H"] else "before" if time_first else "after"
    tfmt = _time_format(m) if g["H"] else ""
    if g.get("mon"):  # textual month: no day/month ambiguity
        word = g["mon"].lower()
        if word not in _MONTH_WORDS:
            return None
        mon = "M" if len(word) == 3 else "F"
        if g.get("a"):
            dfmt: str | None = ("d" if len(g["a"]) == 2 else "j") + f" {mon} Y"
        else:
            dfmt = f"{mon} " + ("d" if len(g["b"]) == 2 else "j") + ", Y"
        return DateShape(None, "", time_pos, 4, 0, 0, False, _join(dfmt, tfmt, time_pos, g))
    a, b, c, sep = g["a"], g["b"], g["c"], g["sep"]
    if len(a) >= 3:
        if len(c) > 2:
            return None
        order, year, month_raw, day_raw = "ymd", a, b, c
    elif sep == "/":
        order, year, month_raw, day_raw = "mdy", c, a, b
    else:
        order, year, day_raw, month_raw = "dmy", c, a, b
    letter = {"d": "d" if len(day_raw) == 2 else "j", "m": "m" if len(month_raw) == 2 else "n",
              "y": {4: "Y", 2: "y"}.get(len(year), "")}
    dfmt = sep.join(letter[ch] for ch in order) if letter["y"] else None
    first, second = (int(b), int(c)) if order == "ymd" else (int(a), int(b))
    ambiguous = order != "ymd" and first <= 12 and second <= 12 and first != second
    return DateShape(order, sep, time_pos, len(year), first, second, ambiguous,
                     _join(dfmt, tfmt, time_pos, g))


def _join(dfmt: str | None, tfmt: str | None, time_pos: str,
          groups: dict[str, str | None]) -> str | None:
    """Date and time formats in written order ('T' is a date() letter: escape it)."""
    if dfmt is None or tfmt is None:
        return None
    if time_pos == "none":
        return dfmt
    if time_pos == "before":
        return f"{tfmt} {dfmt}"
    glue = "\\T" if groups.get("dt") == "T" else " "
    return dfmt + glue + tfmt


def swapped_reading(text: str) -> DateReading | None:
    """The date if day and month were meant the other way round (None if impossible).

    For "Grav reads 09-01-2023 as 9 January 2023 - did you mean 1 September 2023?".
    Built from the written fields (2-digit years use PHP's 1970-2069 pivot), so
    ``via`` is empty: this is not something Grav computes.
    """
    shape, found = shape_of(text), _match_shape(text)
    if shape is None or found is None or shape.order is None or shape.first == shape.second:
        return None
    m = found[0]
    year = int(m.group("a") if shape.order == "ymd" else m.group("c"))
    year = tl.process_year(year, shape.year_digits)
    day, month = shape.first, shape.second  # the other reading of the written order
    if shape.order == "dmy":
        day, month = month, day
    hour, minute = int(m.group("H") or 0), int(m.group("M") or 0)
    ampm = (m.group("ap") or "").lower()
    if ampm:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    second = int(m.group("S") or 0)
    if not tl.valid_date(year, month, day) or not tl.valid_time(hour, minute, second):
        return None
    return DateReading(True, year, month, day, hour, minute, second)


# --------------------------------------------------------------------------- output

_PHP_LETTERS = set("dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU")


def format_date(dt: datetime, php_format: str) -> str:
    """Render ``dt`` with a PHP ``date()`` format (the letters Admin's formats use)."""
    out: list[str] = []
    chars = iter(php_format)
    h12 = dt.hour % 12 or 12
    values = {
        "d": f"{dt.day:02d}", "j": str(dt.day), "m": f"{dt.month:02d}", "n": str(dt.month),
        "Y": f"{dt.year:04d}", "y": f"{dt.year % 100:02d}", "H": f"{dt.hour:02d}",
        "G": str(dt.hour), "i": f"{dt.minute:02d}", "s": f"{dt.second:02d}",
        "h": f"{h12:02d}", "g": str(h12), "a": "am" if dt.hour < 12 else "pm",
        "A": "AM" if dt.hour < 12 else "PM", "F": MONTH_NAMES[dt.month - 1],
        "M": MONTH_NAMES[dt.month - 1][:3], "l": _DAY_NAMES[dt.weekday()],
        "D": _DAY_NAMES[dt.weekday()][:3],
    }
    for ch in chars:
        if ch == "\\":
            out.append(next(chars, ""))
        elif ch in values:
            out.append(values[ch])
        elif ch in _PHP_LETTERS:
            raise ValueError(f"PHP date() letter {ch!r} is not supported")
        else:
            out.append(ch)
    return "".join(out)


def describe(reading: DateReading) -> str:
    """Plain English for messages, e.g. '9 January 2023 10:00'."""
    if not reading.ok:
        return "no date (Grav falls back to the file's modification time)"
    r = reading
    month = MONTH_NAMES[r.month - 1] if 1 <= r.month <= 12 else f"month {r.month}"
    text = f"{r.day} {month} {r.year} {r.hour:02d}:{r.minute:02d}"
    if r.second:
        text += f":{r.second:02d}"
    if r.utc_offset_minutes is not None:
        sign = "+" if r.utc_offset_minutes >= 0 else "-"
        hh, mm = divmod(abs(r.utc_offset_minutes), 60)
        text += f" UTC{sign}{hh:02d}:{mm:02d}"
    elif r.tz_name:
        text += f" ({r.tz_name})"
    if r.now_dependent:
        text += " (changes with the current time)"
    return text
