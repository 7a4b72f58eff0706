"""timelib_parse_from_format(): the parser behind ``DateTime::createFromFormat``."""

from __future__ import annotations

from grav_tools._phpdate.calc import civil_from_days, normalize, valid_date, valid_time
from grav_tools._phpdate.reader import Tok, process_year
from grav_tools._phpdate.scan import bytes_view
from grav_tools._phpdate.state import ASCII_LOWER, MONTHS, UNSET, Parsed

_SEPARATORS = ";:/.,-()"


def _meridian_checked(tok: Tok, h: int) -> int | None:
    """timelib_meridian_with_check: strict am/pm/a.m./p.m.; None when absent."""
    while tok.ch() != "\0" and tok.ch() not in "AaPp":
        tok.p += 1
    if tok.ch() == "\0":
        return None
    adj = (-12 if h == 12 else 0) if tok.ch() in "Aa" else (12 if h != 12 else 0)
    tok.p += 1
    if tok.ch() == ".":
        tok.p += 1
        if tok.ch() not in "mM":
            return None
        tok.p += 1
        if tok.ch() != ".":
            return None
        tok.p += 1
    elif tok.ch() in "mM":
        tok.p += 1
    else:
        return None
    return adj


def _reset(p: Parsed, only_unset: bool) -> None:
    """'!' resets every field to the epoch, '|' only the fields not parsed yet."""
    for k, v in (("y", 1970), ("m", 1), ("d", 1), ("h", 0), ("i", 0), ("s", 0), ("us", 0)):
        if not only_unset or getattr(p, k) == UNSET:
            setattr(p, k, v)
    if not only_unset:
        p.tz_id = None


def from_format_parse(fmt: str, text: str) -> Parsed:
    """timelib_parse_from_format(): the parse behind DateTime::createFromFormat."""
    p = Parsed()
    f, tok = bytes_view(fmt), Tok(bytes_view(text).split("\0")[0])
    fi, allow_extra = 0, False
    f = f.split("\0")[0]
    while fi < len(f) and tok.ch() != "\0":
        c = f[fi]
        if c in "Dl":
            unit = tok.relunit()
            if unit is None:
                p.errors.append("A textual day could not be found")
            else:
                p.have_relative, p.rel.have_weekday = True, True
                p.rel.weekday, p.rel.weekday_behavior = unit[1], 1
        elif c in "djmnHGhg":
            if not tok.digit():
                p.errors.append("Unexpected data found.")
            value = tok.num(2)
            if value == UNSET:
                p.errors.append("A two digit number could not be found")
            elif c in "dj":
                p.d, p.have_date = value, 1
            elif c in "mn":
                p.m, p.have_date = value, 1
            elif c in "hg" and value > 12:
                p.h = value
                p.errors.append("Hour cannot be higher than 12")
            else:
                p.h, p.have_time = value, 1
        elif c == "S":
            tok.skip_day_suffix()
        elif c == "z":
            if not tok.digit():
                p.errors.append("Unexpected data found.")
            if p.y == UNSET:
                p.errors.append("A 'day of year' can only come after a year has been found")
            value = tok.num(3)
            if value == UNSET:
                p.errors.append("A three digit day-of-year could not be found")
            elif p.y != UNSET:
                p.have_date, p.m, p.d = 1, 1, value + 1
                fields = {k: (getattr(p, k) if getattr(p, k) != UNSET else 0)
                          for k in ("y", "m", "d", "h", "i", "s", "us")}
                normalize(fields)
                p.y, p.m, p.d = fields["y"], fields["m"], fields["d"]
        elif c in "MF":
            month = MONTHS.get(tok.letters().translate(ASCII_LOWER), 0)
            if not month:
                p.errors.append("A textual month could not be found")
            else:
                p.m, p.have_date = month, 1
        elif c in "yY":
            if not tok.digit():
                p.errors.append("Unexpected data found.")
            value, length = tok.nr(2 if c == "y" else 4)
            if value == UNSET:
                p.errors.append("A year could not be found")
            else:
                p.y, p.have_date = process_year(value, length) if c == "y" else value, 1
        elif c in "xX":
            if not (tok.digit() or tok.ch() in "+-"):
                p.errors.append("Unexpected data found.")
            p.y, p.have_date = tok.signed(p, 19), 1
        elif c in "aA":
            if p.h == UNSET:
                p.errors.append("Meridian can only come after an hour has been found")
            adj = _meridian_checked(tok, p.h)
            if adj is None:
                p.errors.append("A meridian could not be found")
            else:
                p.have_time = 1
                if p.h != UNSET:
                    p.h += adj
        elif c in "is":
            if not tok.digit():
                p.errors.append("Unexpected data found.")
            value, length = tok.nr(2)
            if value == UNSET or length != 2:
                p.errors.append("A two digit minute/second could not be found")
            else:
                p.have_time = 1
                if c == "i":
                    p.i = value
                else:
                    p.s = value
        elif c in "uv":
            if not tok.digit():
                p.errors.append("Unexpected data found.")
            start = tok.p
            value = tok.num(6 if c == "u" else 3)
            if value == UNSET or tok.p == start:
                p.errors.append("A fraction could not be found")
            else:
                width = 6 if c == "u" else 3
                p.us = int(value * 10 ** (width - (tok.p - start))) * (1 if c == "u" else 1000)
        elif c == " ":
            tok.eat_spaces()
        elif c == "U":
            if not (tok.digit() or tok.ch() in "+-"):
                p.errors.append("Unexpected data found.")
            secs = tok.signed(p, 24)
            p.have_zone, p.offset, p.tz_id = 1, 0, None
            days, rest = divmod(secs, 86400)
            p.y, p.m, p.d = civil_from_days(days)
            p.h, p.i, p.s = rest // 3600, rest // 60 % 60, rest % 60
        elif c == "#":
            if tok.ch() not in _SEPARATORS:
                p.errors.append("The separation symbol ([;:/.,-]) could not be found")
            else:
                tok.p += 1
        elif c in _SEPARATORS:
            if tok.ch() != c:
                p.errors.append("The separation symbol could not be found")
            else:
                tok.p += 1
        elif c in "!|":
            _reset(p, c == "|")
        elif c == "?":
            tok.p += 1
        elif c == "\\":
            if fi + 1 >= len(f):
                p.errors.append("Escaped character expected")
            else:
                fi += 1
                if tok.ch() != f[fi]:
                    p.errors.append("The escaped character could not be found")
                else:
                    tok.p += 1
        elif c == "*":
            tok.p += 1
            while tok.ch() not in " \t.,:;/-0123456789\0":
                tok.p += 1
        elif c == "+":
            allow_extra = True
        elif c in "ePpTO":
            if not tok.zone(p):
                p.errors.append("The timezone could not be found in the database")
            else:
                p.have_zone = 1
        else:
            if tok.ch() != c:
                p.errors.append("The format separator does not match")
            tok.p += 1
        fi += 1
    if tok.ch() != "\0":
        (p.warnings if allow_extra else p.errors).append("Trailing data")
    while fi < len(f):
        if f[fi] in "!|":
            _reset(p, f[fi] == "|")
        elif f[fi] != "+":
            p.errors.append("Not enough data available to satisfy format")
            break
        fi += 1
    if any(getattr(p, k) != UNSET for k in ("h", "i", "s", "us")):
        for k in ("h", "i", "s", "us"):
            if getattr(p, k) == UNSET:
                setattr(p, k, 0)
    if UNSET not in (p.h, p.i, p.s) and not valid_time(p.h, p.i, p.s):
        p.warnings.append("The parsed time was invalid")
    if UNSET not in (p.y, p.m, p.d) and not valid_date(p.y, p.m, p.d):
        p.warnings.append("The parsed date was invalid")
    return p
