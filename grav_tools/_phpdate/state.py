"""Parse state and lookup tables of the timelib model (PHP 8.2, timelib 2022)."""

from __future__ import annotations

import re
import string
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # C tolower
UNSET = -9999999  # timelib's TIMELIB_UNSET; kept because validity checks see it
C_SPACE = " \t\n\v\f\r"  # C isspace() in the "C" locale
FIELDS = ("y", "m", "d", "h", "i", "s")


@dataclass
class Rel:
    """Relative part of a parse (``+1 day``, weekday names, ``first day of``)."""

    y: int = 0
    m: int = 0
    d: int = 0
    h: int = 0
    i: int = 0
    s: int = 0
    us: int = 0
    weekday: int = 0
    weekday_behavior: int = 0
    have_weekday: bool = False
    have_special: bool = False
    special_type: int = 0
    special_amount: int = 0
    first_last: int = 0  # 1 = first day of, 2 = last day of


@dataclass
class Parsed:
    """timelib_time as far as Grav cares: fields, zone, flags and diagnostics."""

    y: int = UNSET
    m: int = UNSET
    d: int = UNSET
    h: int = UNSET
    i: int = UNSET
    s: int = UNSET
    us: int = UNSET
    have_time: int = 0
    have_date: int = 0
    have_zone: int = 0
    have_relative: bool = False
    rel: Rel = field(default_factory=Rel)
    offset: int | None = None  # seconds east of UTC, for offsets and abbreviations
    tz_id: str | None = None  # IANA identifier named in the string
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def unhave_time(self) -> None:
        self.have_time, self.h, self.i, self.s, self.us = 0, 0, 0, 0, 0

    def have_time_or_error(self) -> bool:
        """TIMELIB_HAVE_TIME: a second time is an error and ends the token."""
        if self.have_time:
            self.errors.append("Double time specification")
            return False
        self.have_time, self.h, self.i, self.s, self.us = 1, 0, 0, 0, 0
        return True

    def have_date_or_error(self) -> bool:
        if self.have_date:
            self.errors.append("Double date specification")
            return False
        self.have_date = 1
        return True

    def have_tz_or_error(self) -> bool:
        """Second zone: warning and ignored; third: error."""
        if self.have_zone:
            msg = "Double timezone specification"
            (self.errors if self.have_zone > 1 else self.warnings).append(msg)
            self.have_zone += 1
            return False
        self.have_zone = 1
        return True


# --------------------------------------------------------------------------- tables

# First entry per abbreviation of timelib's table (DateTimeZone::listAbbreviations()),
# as total UTC offset in seconds; military single letters included.
ABBR_SRC = (
    "acdt 37800 acst 34200 addt -7200 adt -10800 aedt 39600 aest 36000 ahdt -32400 ahst "
    "-36000 akdt -28800 akst -32400 amt -13840 apt -10800 ast -14400 awdt 32400 awst "
    "28800 awt -10800 bdst 7200 bdt -36000 bmt -14309 bst 3600 cast 34200 cat 7200 cddt "
    "-14400 cdt -18000 cemt 10800 cest 7200 cet 3600 cmt -15408 cpt -18000 cst -21600 cwt "
    "-18000 chst 36000 dmt -1521 eat 10800 eddt -10800 edt -14400 eest 10800 eet 7200 emt "
    "-26248 ept -14400 est -18000 ewt -14400 ffmt -14660 fmt -4056 gdt 39600 gmt 0 gst "
    "36000 hdt -34200 hkst 32400 hkt 28800 hmt -19776 hpt -34200 hst -36000 hwt -34200 "
    "iddt 14400 idt 10800 imt 25025 ist 7200 jdt 36000 jmt 8440 jst 32400 kdt 36000 kmt "
    "5736 kst 30600 lst 9394 mddt -18000 mdst 16279 mdt -21600 mest 7200 met 3600 mmt "
    "9017 mpt -21600 msd 14400 msk 10800 mst -25200 mwt -21600 nddt -5400 ndt -9052 npt "
    "-9000 nst -12600 nwt -9000 nzdt 46800 nzmt 41400 nzst 43200 pddt -21600 pdt -25200 "
    "pkst 21600 pkt 18000 plmt 25590 pmt -13236 ppmt -17340 ppt -25200 pst -28800 pwt "
    "-25200 qmt -18840 rmt 5794 sast 7200 sdmt -16800 sjmt -20173 smt -13884 sst -39600 "
    "tbmt 10751 tmt 12344 uct 0 utc 0 wast 7200 wat 3600 wemt 7200 west 3600 wet 0 wib "
    "25200 wita 28800 wit 32400 wmt 5040 yddt -25200 ydt -28800 ypt -28800 yst -32400 ywt "
    "-28800 a 3600 b 7200 c 10800 d 14400 e 18000 f 21600 g 25200 h 28800 i 32400 k 36000 "
    "l 39600 m 43200 n -3600 o -7200 p -10800 q -14400 r -18000 s -21600 t -25200 u "
    "-28800 v -32400 w -36000 x -39600 y -43200 z 0"
)
ABBR: dict[str, int] = {k: int(v) for k, v in zip(ABBR_SRC.split()[::2], ABBR_SRC.split()[1::2])}
MONTHS = {
    n: i + 1
    for i, names in enumerate(
        [("jan", "january", "i"), ("feb", "february", "ii"), ("mar", "march", "iii"),
         ("apr", "april", "iv"), ("may", "v"), ("jun", "june", "vi"),
         ("jul", "july", "vii"), ("aug", "august", "viii"),
         ("sep", "sept", "september", "ix"), ("oct", "october", "x"),
         ("nov", "november", "xi"), ("dec", "december", "xii")]
    )
    for n in names
}
RELTEXT = {"first": (1, 0), "next": (1, 0), "second": (2, 0), "third": (3, 0),
            "fourth": (4, 0), "fifth": (5, 0), "sixth": (6, 0), "seventh": (7, 0),
            "eight": (8, 0), "eighth": (8, 0), "ninth": (9, 0), "tenth": (10, 0),
            "eleventh": (11, 0), "twelfth": (12, 0), "last": (-1, 0),
            "previous": (-1, 0), "this": (0, 1)}
MU = "\xc2\xb5"  # 'µ' as UTF-8 bytes seen one char per byte
UNITS: dict[str, tuple[str, int]] = {}
for _names, _unit, _mult in [
    ("ms msec msecs millisecond milliseconds", "us", 1000),
    (f"{MU}s usec usecs {MU}sec {MU}secs microsecond microseconds", "us", 1),
    ("sec secs second seconds", "s", 1), ("min mins minute minutes", "i", 1),
    ("hour hours", "h", 1), ("day days", "d", 1), ("week weeks", "d", 7),
    ("fortnight fortnights forthnight forthnights", "d", 14),
    ("month months", "m", 1), ("year years", "y", 1),
    ("mondays monday mon", "wd", 1), ("tuesdays tuesday tue", "wd", 2),
    ("wednesdays wednesday wed", "wd", 3), ("thursdays thursday thu", "wd", 4),
    ("fridays friday fri", "wd", 5), ("saturdays saturday sat", "wd", 6),
    ("sundays sunday sun", "wd", 0), ("weekday weekdays", "special", 1),
]:
    for _n in _names.split():
        UNITS[_n] = (_unit, _mult)


@lru_cache(maxsize=1)
def tz_ids() -> dict[str, str]:
    """IANA identifiers by lower-case name: PHP looks them up case-insensitively."""
    ids = {n.translate(ASCII_LOWER): n for n in zoneinfo.available_timezones()}
    ids.setdefault("utc", "UTC")
    return ids


def tz_key(name: str) -> str:
    """Debian's PHP finds zones as tzdata paths: case-insensitive, '/UTC' works too."""
    return re.sub("/+", "/", name.lstrip("/")).translate(ASCII_LOWER)
