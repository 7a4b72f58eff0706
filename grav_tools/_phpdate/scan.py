"""timelib_strtotime(): the parser behind ``new DateTime($s)`` and ``strtotime($s)``."""

from __future__ import annotations

from grav_tools._phpdate.calc import day_of_week, valid_date, valid_time
from grav_tools._phpdate.grammar import COMPILED, by_first, longest
from grav_tools._phpdate.reader import Tok, process_year
from grav_tools._phpdate.state import ASCII_LOWER, C_SPACE, MONTHS, Parsed


def _set_relative(tok: Tok, p: Parsed, amount: int, behavior: int, keep_time: bool) -> None:
    """timelib_set_relative: add ``amount`` of the unit word at the cursor."""
    unit = tok.relunit()
    if unit is None:
        return
    kind, mult = unit
    r = p.rel
    if kind in ("us", "s", "i", "h", "d", "m", "y"):
        setattr(r, kind, getattr(r, kind) + amount * mult)
    elif kind == "wd":
        p.have_relative, r.have_weekday = True, True
        if not keep_time:
            p.unhave_time()
        r.d += (amount - 1 if amount > 0 else amount) * 7
        r.weekday, r.weekday_behavior = mult, behavior
    else:
        p.have_relative, r.have_special = True, True
        if not keep_time:
            p.unhave_time()
        r.special_type, r.special_amount = mult, amount


# --------------------------------------------------------------------------- actions

def _act(name: str, tok: Tok, p: Parsed) -> None:
    """Apply one scanner rule to the parse state (timelib's rule actions)."""
    r = p.rel
    if name in ("yesterday", "tomorrow"):
        p.have_relative = True
        p.unhave_time()
        r.d = -1 if name == "yesterday" else 1
    elif name == "noon":
        p.unhave_time()
        p.have_time_or_error()
        p.h = 12
    elif name == "today":
        p.unhave_time()
    elif name in ("timestamp", "timestampms"):
        p.have_relative = True
        p.have_date, p.y, p.m, p.d = 0, 0, 0, 0
        p.unhave_time()
        if not p.have_tz_or_error():
            return
        secs = tok.signed(p, 24)
        if name == "timestampms":
            start = tok.p
            frac = tok.signed(p, 6)
            frac = int(frac * 10 ** (7 - (tok.p - start)))
            r.us = -frac if tok.t[1] == "-" else frac
        p.y, p.m, p.d, p.h, p.i, p.s, p.us = 1970, 1, 1, 0, 0, 0, 0
        r.s += secs
        p.offset, p.tz_id = 0, None
    elif name == "firstlast":  # PHP's bundled timelib keeps the time (unset -> now)
        p.have_relative = True
        r.first_last = 2 if tok.ch() in "lL" else 1
    elif name == "backfront":
        p.unhave_time()
        p.have_time_or_error()
        if tok.ch() == "b":
            p.h, p.i = tok.num(2), 15
        else:
            p.h, p.i = tok.num(2) - 1, 45
        if tok.ch() != "\0":
            tok.eat_spaces()
            p.h += tok.meridian(p.h)
    elif name == "weekdayof":
        p.have_relative, r.have_special = True, True
        amount, behavior = tok.reltext()
        tok.eat_spaces()
        if amount > 0:
            r.special_type = 2
            _set_relative(tok, p, amount, 1, False)
        else:
            r.special_type = 3
            _set_relative(tok, p, amount, behavior, False)
    elif name in ("time12", "mssql", "time24", "isonocolon"):
        if not p.have_time_or_error():
            return
        p.h = tok.num(2)
        if name == "isonocolon":
            p.i, p.s = tok.num(2), tok.num(2)
        elif name == "mssql":
            p.i = tok.num(2)
            if tok.ch() in ":.":
                p.s = tok.num(2)
                if tok.ch() in ":.":
                    p.us = tok.frac()
        elif tok.ch() in ":.":
            p.i = tok.num(2)
            if tok.ch() in ":.":
                p.s = tok.num(2)
                if name == "time24" and tok.ch() == ".":
                    p.us = tok.frac()
        if name in ("time12", "mssql"):
            tok.eat_spaces()
            p.h += tok.meridian(p.h)
    elif name == "gnunocolon":
        if p.have_time == 0:
            p.h, p.i, p.s = tok.num(2), tok.num(2), 0
        elif p.have_time == 1:
            p.y = tok.num(4)
        else:
            p.errors.append("Double time specification")
            return
        p.have_time += 1
    elif name == "american":
        if not p.have_date_or_error():
            return
        p.m, p.d = tok.num(2), tok.num(2)
        if tok.ch() == "/":
            p.y = process_year(*tok.nr(4))
    elif name in ("iso4", "isox"):
        if not p.have_date_or_error():
            return
        p.y = tok.signed(p, 4 if name == "iso4" else 19)
        p.m, p.d = tok.num(2), tok.num(2)
    elif name in ("iso2", "gnushort", "gnushorter"):
        if not p.have_date_or_error():
            return
        y, n = tok.nr(4)
        p.m = tok.num(2)
        p.d = 1 if name == "gnushorter" else tok.num(2)
        p.y = process_year(y, n)
    elif name == "datefull":
        if not p.have_date_or_error():
            return
        p.d = tok.num(2)
        tok.skip_day_suffix()
        p.m = tok.month()
        p.y = process_year(*tok.nr(4))
    elif name in ("pointed4", "pointed2"):
        if not p.have_date_or_error():
            return
        p.d, p.m = tok.num(2), tok.num(2)
        p.y = tok.num(4) if name == "pointed4" else process_year(*tok.nr(2))
    elif name == "datenoday":
        if not p.have_date_or_error():
            return
        p.m = tok.month()
        p.y, p.d = process_year(*tok.nr(4)), 1
    elif name == "datenodayrev":
        if not p.have_date_or_error():
            return
        y, n = tok.nr(4)
        p.m, p.d, p.y = tok.month(), 1, process_year(y, n)
    elif name in ("datetextual", "pgtextshort"):
        if not p.have_date_or_error():
            return
        p.m = tok.month()
        p.d = tok.num(2)
        p.y = process_year(*tok.nr(4))
    elif name == "datenoyearrev":
        if not p.have_date_or_error():
            return
        p.d = tok.num(2)
        tok.skip_day_suffix()
        p.m = tok.month()
    elif name == "datenocolon":
        if not p.have_date_or_error():
            return
        p.y, p.m, p.d = tok.num(4), tok.num(2), tok.num(2)
    elif name in ("xmlrpc", "clf"):
        if not p.have_time_or_error() or not p.have_date_or_error():
            return
        if name == "clf":
            p.d, p.m, p.y = tok.num(2), tok.month(), tok.num(4)
        else:
            p.y, p.m, p.d = tok.num(4), tok.num(2), tok.num(2)
        p.h, p.i, p.s = tok.num(2), tok.num(2), tok.num(2)
        if name == "clf":
            tok.eat_spaces()
            if not tok.zone(p):
                p.errors.append("The timezone could not be found in the database")
        elif tok.ch() == ".":
            p.us = tok.frac()
            if tok.ch() != "\0" and not tok.zone(p):
                p.errors.append("The timezone could not be found in the database")
    elif name == "pgydotd":
        if not p.have_date_or_error():
            return
        y, n = tok.nr(4)
        p.d, p.m, p.y = tok.num(3), 1, process_year(y, n)
    elif name in ("isoweekday", "isoweek"):
        if not p.have_date_or_error():
            return
        p.have_relative = True
        p.y = tok.num(4)
        week = tok.num(2)
        dow = tok.num(1) if name == "isoweekday" else 1
        p.m, p.d = 1, 1
        jan1 = day_of_week(p.y, 1, 1)
        r.d = -(jan1 - 7 if jan1 > 4 else jan1) + (week - 1) * 7 + dow
    elif name == "pgtextreverse":
        if not p.have_date_or_error():
            return
        y, n = tok.nr(4)
        p.m, p.d, p.y = tok.month(), tok.num(2), process_year(y, n)
    elif name == "year4":
        p.y = tok.num(4)
    elif name == "ago":
        for f in ("y", "m", "d", "h", "i", "s", "weekday"):
            setattr(r, f, -getattr(r, f))
        if r.weekday == 0:
            r.weekday = -7
        if r.have_special and r.special_type == 1:
            r.special_amount = -r.special_amount
    elif name == "daytext":
        p.have_relative, r.have_weekday = True, True
        p.unhave_time()
        unit = tok.relunit()
        r.weekday = unit[1] if unit else 0
        if r.weekday_behavior != 2:
            r.weekday_behavior = 1
    elif name in ("reltextweek", "reltext"):
        p.have_relative = True
        while tok.ch() != "\0":
            amount, behavior = tok.reltext()
            tok.eat_spaces()
            _set_relative(tok, p, amount, behavior, False)
            if name == "reltextweek":
                r.weekday_behavior = 2
                if not r.have_weekday:
                    r.have_weekday, r.weekday = True, 1
    elif name == "monthtext":
        if not p.have_date_or_error():
            return
        p.m = MONTHS.get(tok.letters().translate(ASCII_LOWER), 0)
    elif name == "tz":
        if not p.have_tz_or_error():
            return
        tok.eat_spaces()
        if not tok.zone(p):
            p.errors.append("The timezone could not be found in the database")
    elif name in ("shortdate12", "shortdate24"):
        if not p.have_date_or_error():
            return
        p.m, p.d = tok.month(), tok.num(2)
        if not p.have_time_or_error():
            return
        p.h, p.i = tok.num(2), tok.num(2)
        if tok.ch() == ":" or (name == "shortdate12" and tok.ch() == "."):
            p.s = tok.num(2)
            if tok.ch() == ".":
                p.us = tok.frac()
        if name == "shortdate12":
            p.h += tok.meridian(p.h)
        elif tok.ch() != "\0" and not tok.zone(p):
            p.errors.append("The timezone could not be found in the database")
    elif name == "relative":
        p.have_relative = True
        while tok.ch() != "\0":
            amount = tok.signed(p, 24)
            tok.eat_spaces()
            _set_relative(tok, p, amount, 1, True)
    elif name == "error":
        p.errors.append("Unexpected character")


def bytes_view(text: str) -> str:
    """PHP sees bytes: one str char per UTF-8 byte keeps offsets identical."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


MAX_DATE = 1024  # bytes of a date string the model parses (see strtotime_parse)


# The token at a position depends on the text from there on only (no rule looks behind it), and
# dates repeat their tails: timestamp numbers (what an unquoted ISO date reaches PHP as) end in the
# same few digits, written dates in the same years and times. Each new token tries some 25 rules.
_TOKENS: dict[str, tuple[str, int]] = {}  # padded tail -> (rule, length of its match)
_MEMO_TAIL = 40  # longer tails (no real date) are not remembered
_MEMO_SIZE = 4096


def _next_token(s: str, pos: int) -> tuple[str, int]:
    """The rule with the longest match at pos (earliest rule on ties) and its end, remembered by the
    text from pos on."""
    if len(s) - pos > _MEMO_TAIL:
        return _longest_token(s, pos)
    tail = s[pos:]
    known = _TOKENS.get(tail)
    if known is None:
        name, end = _longest_token(s, pos)
        if len(_TOKENS) >= _MEMO_SIZE:
            _TOKENS.clear()
        known = _TOKENS[tail] = (name, end - pos)
    return known[0], pos + known[1]


def _longest_token(s: str, pos: int) -> tuple[str, int]:
    """The rule with the longest match at pos (earliest rule on ties) and its end."""
    best_end, best_name = -1, "error"
    code = ord(s[pos])
    for name, rx in by_first()[code] if code < 256 else COMPILED:
        end = longest(rx, s, pos)
        if end > best_end:
            best_end, best_name = end, name
    return best_name, best_end


def strtotime_parse(text: str) -> Parsed:
    """timelib_strtotime(): the parse behind ``new DateTime`` and ``strtotime``."""
    p = Parsed()
    s = bytes_view(text)
    if not s:
        p.errors.append("Empty string")
        return p
    if len(s) > MAX_DATE:
        # not modelled: far beyond any real date, and each token costs up to MAX_TOKEN tries
        p.errors.append(f"longer than {MAX_DATE} bytes: not checked")
        return p
    start, end = 0, len(s) - 1
    while s[start] in C_SPACE and start < end:
        start += 1
    while s[end] in C_SPACE and end > start:
        end -= 1
    s = s[start:end + 1]
    padded = s + "\0" * 4  # like re2c's YYMAXFILL: rules may look at the terminator
    pos = 0
    while pos < len(s):
        name, end = _next_token(padded, pos)
        if name != "skip":
            _act(name, Tok(padded[pos:end].split("\0")[0]), p)  # C string: stops at NUL
        pos = end
    if p.have_time and not valid_time(p.h, p.i, p.s):
        p.warnings.append("The parsed time was invalid")
    if p.have_date and not valid_date(p.y, p.m, p.d):
        p.warnings.append("The parsed date was invalid")
    return p
