"""A Python model of PHP's date parser (timelib 2022.12, as bundled with PHP 8.2).

Private helper of :mod:`grav_tools.dates`. Grav hands header dates to
``DateTime::createFromFormat()``, ``new DateTime()`` and ``strtotime()``; the only honest
way to say what a post's date *is* is to read it the way PHP does, quirks included.

* :mod:`.grammar` / :mod:`.scan`: the re2c scanner: at each position every rule is tried,
  the longest match wins, ties go to the earlier rule; rule actions set the fields.
* :mod:`.fromformat`: createFromFormat's format-letter parser.
* :mod:`.calc`: filling holes from "now", relative units, overflow normalisation and
  named-zone resolution (timelib_fill_holes + timelib_update_ts).

Written from timelib's grammar and documented semantics and checked against real PHP
(tests/test_dates_php.py); no code was copied.
"""

from grav_tools._phpdate.calc import (
    Fields,
    days_from_civil,
    local_fields,
    resolve,
    valid_date,
    valid_time,
    wrap64,
    zone_offset_at,
    zone_utc,
)
from grav_tools._phpdate.fromformat import from_format_parse
from grav_tools._phpdate.reader import process_year
from grav_tools._phpdate.scan import strtotime_parse
from grav_tools._phpdate.state import Parsed

__all__ = ["Fields", "Parsed", "days_from_civil", "from_format_parse", "local_fields",
           "process_year", "resolve", "strtotime_parse", "valid_date", "valid_time",
           "wrap64", "zone_offset_at", "zone_utc"]
