"""timelib's scanner rules as Python regexes, tried longest-match-first like re2c.

Written from the grammar's definitions (parse_date.re). Double-quoted re2c strings are
case-sensitive, single-quoted ones case-insensitive (``(?i:...)`` here). Input is seen as
one char per UTF-8 byte, like C.
"""

from __future__ import annotations

import re
from re import _constants as _sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from typing import Any

from grav_tools._phpdate.state import MU


def _ci(*words: str) -> str:
    return "(?i:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


SPACE = r"(?:[ \t]+|(?:\xc2\xa0)+|(?:\xe2\x80\xaf)+)"
H24, H24LZ, H12 = r"(?:[01]?[0-9]|2[0-4])", r"(?:[01][0-9]|2[0-4])", r"(?:0?[1-9]|1[0-2])"
MIN, MINLZ = r"[0-5]?[0-9]", r"[0-5][0-9]"
SEC, SECLZ = rf"(?:{MIN}|60)", rf"(?:{MINLZ}|60)"
MERIDIAN = r"[AaPp]\.?[Mm]\.?[\0\t ]"
TZ = r"(?:\(?[A-Za-z]{1,6}\)?|[A-Z][a-z]+(?:[_/-][A-Za-z]+)+)"
TZCORR = rf"(?:GMT)?[+-](?:{H24}(?::?{MIN})?|{H24LZ}{MINLZ}{SECLZ}|{H24LZ}:{MINLZ}:{SECLZ})"
MONTH, MONTHLZ = r"(?:0?[0-9]|1[0-2])", r"(?:0[0-9]|1[0-2])"
DAY, DAYLZ = r"(?:(?:[0-2]?[0-9]|3[01])(?:st|nd|rd|th)?)", r"(?:0[0-9]|[12][0-9]|3[01])"
YEAR, YEAR2, YEAR4 = r"[0-9]{1,4}", r"[0-9]{2}", r"[0-9]{4}"
DAYFULL = _ci("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
DAYFULLS = _ci("sundays", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays",
               "saturdays")
DAYABBR = _ci("sun", "mon", "tue", "wed", "thu", "fri", "sat")
DAYTEXT = f"(?:{DAYFULLS}|{DAYFULL}|{DAYABBR}|{_ci('weekday', 'weekdays')})"
MONTHABBR = _ci("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept",
                "oct", "nov", "dec")
MONTHFULL = _ci("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
MONTHTEXT = f"(?:{MONTHFULL}|{MONTHABBR}|(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I))"
T = "(?i:t)"
TIMESHORT12 = rf"{H12}[:.]{MINLZ}{SPACE}?{MERIDIAN}"
TIMELONG12 = rf"{H12}[:.]{MIN}[:.]{SECLZ}{SPACE}?{MERIDIAN}"
TIMESHORT24 = rf"{T}?{H24}[:.]{MIN}"
TIMELONG24 = rf"{T}?{H24}[:.]{MIN}[:.]{SEC}"
NORMTZ = rf"{T}?{H24}[:.]{MIN}[:.]{SECLZ}{SPACE}?(?:{TZCORR}|{TZ})"
DATENOYEAR = rf"{MONTHTEXT}[ .\t-]*{DAY}(?:[,.stndrh\t ]+|\0)"
RELTEXTNUMBER = _ci("first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                    "eight", "eighth", "ninth", "tenth", "eleventh", "twelfth")
RELTEXTTEXT = _ci("next", "last", "previous", "this")
_UNIT_WORDS = _ci("msec", "millisecond", "usec", "sec", "second", "min", "minute", "hour",
                  "day", "fortnight", "forthnight", "month", "year")
RELUNIT = (f"(?:{_ci('ms')}|{MU}{_ci('s')}|(?:{_UNIT_WORDS}|{MU}{_ci('sec')})(?i:s)?|"
           f"{_ci('weeks')}|{DAYTEXT})")

# (action, pattern) in timelib's rule order: equal-length matches go to the earlier rule.
_RULES: list[tuple[str, str]] = [
    ("yesterday", _ci("yesterday")),
    ("now", _ci("now")),
    ("noon", _ci("noon")),
    ("today", _ci("midnight", "today")),
    ("tomorrow", _ci("tomorrow")),
    ("timestamp", r"@-?[0-9]+"),
    ("timestampms", r"@-?[0-9]+\.[0-9]{0,6}"),
    ("firstlast", _ci("first day of", "last day of")),
    ("backfront", rf"{_ci('back of ', 'front of ')}{H24}(?:{SPACE}?{MERIDIAN})?"),
    ("weekdayof", rf"(?:{RELTEXTNUMBER}|{RELTEXTTEXT}){SPACE}(?:{DAYFULLS}|{DAYFULL}|"
                  rf"{DAYABBR}){SPACE}(?i:of)"),
    ("time12", rf"(?:{H12}{SPACE}?{MERIDIAN}|{TIMESHORT12}|{TIMELONG12})"),
    ("mssql", rf"{H12}:{MINLZ}:{SECLZ}[:.][0-9]+{MERIDIAN}"),
    ("time24", rf"(?:{T}{H24}|{TIMESHORT24}|{TIMELONG24}|{TIMELONG24}\.[0-9]+)"),
    ("gnunocolon", rf"{T}?{H24LZ}{MINLZ}"),
    ("isonocolon", rf"{T}?{H24LZ}{MINLZ}{SECLZ}"),
    ("american", rf"{MONTH}/{DAY}(?:/{YEAR})?"),
    ("iso4", rf"(?:[+-]?{YEAR4}-{MONTHLZ}-{DAYLZ}|{YEAR4}/{MONTHLZ}/{DAYLZ}/?|"
             rf"{YEAR4}/{MONTH}/{DAY})"),
    ("iso2", rf"{YEAR2}-{MONTHLZ}-{DAYLZ}"),
    ("isox", rf"[+-][0-9]{{5,19}}-{MONTHLZ}-{DAYLZ}"),
    ("gnushorter", rf"{YEAR4}-{MONTH}"),
    ("gnushort", rf"{YEAR}-{MONTH}-{DAY}"),
    ("datefull", rf"{DAY}[ \t.-]*{MONTHTEXT}[ \t.-]*{YEAR}"),
    ("pointed4", rf"{DAY}[.\t-]{MONTH}[.-]{YEAR4}"),
    ("pointed2", rf"{DAY}[.\t]{MONTH}\.{YEAR2}"),
    ("datenoday", rf"{MONTHTEXT}[ .\t-]*{YEAR4}"),
    ("datenodayrev", rf"{YEAR4}[ .\t-]*{MONTHTEXT}"),
    ("datetextual", rf"(?:{MONTHTEXT}[ .\t-]*{DAY}[,.stndrh\t ]+{YEAR}|{DATENOYEAR})"),
    ("datenoyearrev", rf"{DAY}[ .\t-]*{MONTHTEXT}"),
    ("datenocolon", rf"{YEAR4}{MONTHLZ}{DAYLZ}"),
    ("xmlrpc", rf"(?:{YEAR4}{MONTHLZ}{DAYLZ}T{H24}:{MINLZ}:{SECLZ}|"
               rf"{YEAR4}{MONTHLZ}{DAYLZ}{T}{H24}{MINLZ}{SECLZ}|"
               rf"{YEAR4}-{MONTHLZ}-{DAYLZ}T{H24LZ}:{MINLZ}:{SECLZ}\.[0-9]+(?:{TZCORR})?|"
               rf"{YEAR4}-{MONTH}-{DAY}T{H24}:{MIN}:{SEC}|"
               rf"{YEAR4}:{MONTHLZ}:{DAYLZ} {H24LZ}:{MINLZ}:{SECLZ})"),
    ("pgydotd", rf"{YEAR4}[.-]?(?:00[1-9]|0[1-9][0-9]|[12][0-9][0-9]|3[0-5][0-9]|36[0-6])"),
    ("isoweekday", rf"{YEAR4}-?W(?:0[1-9]|[1-4][0-9]|5[0-3])-?[0-7]"),
    ("isoweek", rf"{YEAR4}-?W(?:0[1-9]|[1-4][0-9]|5[0-3])"),
    ("pgtextshort", rf"{MONTHABBR}-{DAYLZ}-{YEAR}"),
    ("pgtextreverse", rf"{YEAR}-{MONTHABBR}-{DAYLZ}"),
    ("clf", rf"{DAY}/{MONTHABBR}/{YEAR4}:{H24LZ}:{MINLZ}:{SECLZ}{SPACE}{TZCORR}"),
    ("year4", YEAR4),
    ("ago", _ci("ago")),
    ("daytext", DAYTEXT),
    ("reltextweek", rf"{RELTEXTTEXT}{SPACE}(?i:week)"),
    ("reltext", rf"(?:{RELTEXTNUMBER}|{RELTEXTTEXT}){SPACE}{RELUNIT}"),
    ("monthtext", f"(?:{MONTHFULL}|{MONTHABBR})"),
    ("tz", rf"(?:{TZCORR}|{TZ})"),
    ("shortdate12", rf"{DATENOYEAR}(?:{TIMESHORT12}|{TIMELONG12})"),
    ("shortdate24", rf"{DATENOYEAR}(?:{TIMESHORT24}|{TIMELONG24}|{NORMTZ})"),
    ("relative", rf"[+-]*[ \t]*[0-9]{{1,13}}{SPACE}?(?:{RELUNIT}|(?i:week))"),
    ("skip", r"[.,]"),
    ("skip", SPACE),
    ("skip", r"[\0\n]"),
    ("error", r"[\s\S]"),
]
COMPILED = [(name, re.compile(pat, re.ASCII)) for name, pat in _RULES]


# --- which rules can start with which character --------------------------------------------
# Trying all ~60 rules at every position was most of a date's parse time; a rule whose
# pattern cannot begin with the character at hand cannot match there, so it is skipped. The
# sets are worked out from the parsed patterns, erring on the side of "may match".

_ALL = frozenset(range(256))


def _first(items: list[Any], ignore_case: bool) -> tuple[frozenset[int], bool]:
    """(characters a match of this sequence can begin with, whether it can match empty)."""
    found: set[int] = set()
    for op, av in items:
        chars, nullable = _first_item(op, av, ignore_case)
        found |= chars
        if not nullable:
            return frozenset(found), False
    return frozenset(found), True


def _cased(codes: set[int], ignore_case: bool) -> set[int]:
    if not ignore_case:
        return codes
    return codes | {ord(chr(x).swapcase()) for x in codes if ord(chr(x).swapcase()) < 256}


def _first_item(op: Any, av: Any, ignore_case: bool) -> tuple[frozenset[int], bool]:
    """One parsed regex item (sre's own opcodes: an internal but stable structure)."""
    c: Any = _sre_constants
    if op is c.LITERAL:
        return frozenset(_cased({av}, ignore_case)), False
    if op is c.IN:
        codes: set[int] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                codes.add(value)
            elif kind is c.RANGE:
                codes.update(range(value[0], min(value[1], 255) + 1))
            else:  # NEGATE, CATEGORY, ...: anything
                return _ALL, False
        return frozenset(_cased(codes, ignore_case)), False
    if op is c.BRANCH:
        union: set[int] = set()
        empty = False
        for branch in av[1]:
            chars, nullable = _first(list(branch), ignore_case)
            union |= chars
            empty = empty or nullable
        return frozenset(union), empty
    if op is c.SUBPATTERN:
        _, add, _, pattern = av
        return _first(list(pattern), ignore_case or bool(add & re.IGNORECASE))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, pattern = av
        chars, nullable = _first(list(pattern), ignore_case)
        return chars, nullable or low == 0
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset(), True  # consumes nothing (a lookahead only narrows: ignoring it is safe)
    if op is c.ATOMIC_GROUP:
        return _first(list(av), ignore_case)
    return _ALL, True  # ANY, NOT_LITERAL, group references, anything new: may match anything


def _starts(pattern: str) -> frozenset[int]:
    parsed = _sre_parser.parse(pattern, re.ASCII)
    chars, nullable = _first(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    return _ALL if nullable else chars


_BY_FIRST: list[list[tuple[str, re.Pattern[str]]]] = []


def by_first() -> list[list[tuple[str, re.Pattern[str]]]]:
    """by_first()[code]: the rules (in grammar order) that may match at a position holding chr(code).

    Built on first use (about 10 ms): most runs never get past the fast date shapes.
    """
    if not _BY_FIRST:
        starts = [_starts(pattern) for _, pattern in _RULES]
        _BY_FIRST.extend([rule for rule, first in zip(COMPILED, starts) if code in first] for code in range(256))
    return _BY_FIRST


# No real date has a token longer than this; looking further made hostile values quadratic
# (a 4 KB `date:` took seconds). Longer tokens keep the regex's own (greedy) match.
MAX_TOKEN = 128


def longest(rx: re.Pattern[str], s: str, pos: int) -> int:
    """End of the longest match of rx at pos (re2c semantics), or -1."""
    m = rx.match(s, pos)
    if m is None:
        return -1
    for end in range(min(len(s), pos + MAX_TOKEN), m.end(), -1):
        if rx.fullmatch(s, pos, end):
            return end
    return m.end()
