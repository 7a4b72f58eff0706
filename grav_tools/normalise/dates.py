"""Rewriting `date`, `publish_date` and `unpublish_date` in one format without moving them.

A date is converted only when we know what Grav reads today and that reading is what the author
meant: the new text must make Grav read the very same wall clock. Dates Grav cannot read, reads
relative to "now", rolls over (31-02), reads with a two-digit year, or reads with day and month the
other way round from the site's convention are left as written and reported, unless the user says
how to read them (`--assume-day-first` / `--assume-month-first`). Unquoted ISO dates are the one
declared change of meaning: Grav up to 2.0.7 misreads the number YAML makes of them, so they are
read as the ISO text the author wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grav_tools import _phpdate as tl
from grav_tools.dates import DateReading, _match_shape, describe, format_date, read_date, shape_of
from grav_tools.yamlio import Scalar, YamlTimestamp

DATE_KEYS = ("date", "publish_date", "unpublish_date")


@dataclass(frozen=True, slots=True)
class DatePlan:
    """What to write for one date header, and why."""

    key: str
    node: Scalar
    new_text: str | None  # the string to write; None = leave the value exactly as it is
    kind: str  # "same", "converted", "quoted", "reinterpreted", "left"
    message: str = ""  # for the report; empty when there is nothing to say
    intended: DateReading | None = None  # what Grav must read from new_text
    doubtful: bool = False  # left because day and month may be swapped: the page's other dates are evidence


def convention_of_format(fmt: str | None) -> str | None:
    """"dmy" or "mdy" when a PHP date format puts the day or the month first."""
    if not fmt:
        return None
    day = fmt.find("d") if "d" in fmt else fmt.find("j")
    month = fmt.find("m") if "m" in fmt else fmt.find("n")
    if day < 0 or month < 0 or "Y" in fmt[: min(day, month)] or "y" in fmt[: min(day, month)]:
        return None
    return "dmy" if day < month else "mdy"


def order_votes(texts: Iterable[str], written_format: str | None = None) -> Counter[str]:
    """Dates whose order is certain (one field above 12) vote for day-first or month-first.

    Dates already in `written_format` (what normalise writes) vote separately ("dmy*"): they may be
    our own output of an earlier, interrupted run, so they only count when no other date votes.
    """
    votes: Counter[str] = Counter()
    for text in texts:
        shape = shape_of(text)
        if shape is None or shape.order not in ("dmy", "mdy") or shape.ambiguous:
            continue
        # only dates Grav reads fine vote: `05-20-2024` (month first with dashes) is unreadable
        # for PHP, an error of its own (GRV301), not evidence of how the site writes dates
        day_first_ok = shape.order == "dmy" and shape.first > 12 >= shape.second
        month_first_ok = shape.order == "mdy" and shape.second > 12 >= shape.first
        if day_first_ok or month_first_ok:
            ours = "*" if written_format and shape.php_format == written_format else ""
            votes[shape.order + ours] += 1
    return votes


def majority(*ballots: Counter[str]) -> str | None:
    """The convention most dates follow, from the first ballot that has an answer.

    Dates in other formats than ours are asked first (the page's, then the site's), dates in our
    own format only when those are silent.
    """
    for ours in ("", "*"):
        for votes in ballots:
            dmy, mdy = votes["dmy" + ours], votes["mdy" + ours]
            if dmy != mdy:
                return "dmy" if dmy > mdy else "mdy"
    return None


def written_reading(text: str, order: str) -> DateReading | None:
    """The date as written if its numeric day and month are in `order` ("dmy" or "mdy").

    Built from the written fields (2-digit years use PHP's 1970-2069 pivot), not by PHP: for
    when the user tells us how the site's authors write dates.
    """
    shape, found = shape_of(text), _match_shape(text)
    if shape is None or found is None or shape.order not in ("dmy", "mdy"):
        return None
    match = found[0]
    year = tl.process_year(int(match.group("c")), shape.year_digits)
    first, second = int(match.group("a")), int(match.group("b"))
    day, month = (first, second) if order == "dmy" else (second, first)
    hour, minute, second_ = int(match.group("H") or 0), int(match.group("M") or 0), int(match.group("S") or 0)
    ampm = (match.group("ap") or "").lower()
    if ampm:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if not tl.valid_date(year, month, day) or not tl.valid_time(hour, minute, second_):
        return None
    return DateReading(True, year, month, day, hour, minute, second_)


def _fields(r: DateReading) -> tuple[int, ...]:
    return (r.year, r.month, r.day, r.hour, r.minute, r.second)


def same_instant(a: DateReading, b: DateReading) -> bool:
    """Both readings are the same wall clock with the same (or no) zone."""
    return (a.ok and b.ok and _fields(a) == _fields(b) and a.utc_offset_seconds == b.utc_offset_seconds
            and a.tz_name == b.tz_name)


@dataclass(frozen=True, slots=True)
class DateContext:
    """Everything that decides how one page's dates are read and written."""

    read_format: str | None  # the page's dateformat, else the site's default (what Grav parses with)
    target_format: str  # what we write: the page's dateformat, the site's, else our option
    tz: str | None  # system.timezone
    convention: str | None  # "dmy"/"mdy" when the format or the settings say so
    assume: str | None  # the user's --assume-day-first / --assume-month-first
    ballots: tuple[Counter[str], ...] = ()  # else the page's own votes, then the site's (see order())

    def order(self) -> str | None:
        """The convention of this page: fixed, else the majority of the ballots.

        Asked only for a date whose day and month could be either way round, so most pages never
        consult the site's votes; when the site's votes are not known yet (AssumedVotes) the
        page's ballot is recorded so the caller can check the answer against the real ones.
        """
        if self.convention or not self.ballots:
            return self.convention
        site = self.ballots[-1]
        if isinstance(site, AssumedVotes):
            site.asked.append(self.ballots[:-1])
        return majority(*self.ballots)


class AssumedVotes(Counter[str]):
    """A site's day/month votes before they are all counted: read as none (an empty Counter).

    `asked` holds the page's own ballots each time a page needed them; the answer stands if
    majority(*own, real votes) == majority(*own, Counter()) for each (see `answer_holds`).
    """

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[Counter[str], ...]] = []


def answer_holds(asked: list[tuple[Counter[str], ...]], votes: Counter[str]) -> bool:
    """Whether every convention taken with the site's votes assumed empty is the real one."""
    empty: Counter[str] = Counter()
    return all(majority(*own, votes) == majority(*own, empty) for own in asked)


def plan_date(key: str, node: Scalar, ctx: DateContext) -> DatePlan:
    """Decide what to write for one date header."""
    value = node.value
    misread = isinstance(value, YamlTimestamp)
    if value is None or (isinstance(value, str) and not value.strip()):
        what = "no value" if value is None else "an empty value"
        return DatePlan(key, node, None, "left", f"{key} has {what}: Grav uses the current time or the file's "
                        "modification time; left as is")
    if not misread and not isinstance(value, str):
        return DatePlan(key, node, None, "left", f"{key} {node.text!r} is a {type(value).__name__}, not a date "
                        "string; left as is")
    text = node.text if misread else value
    reading, canonical = _reading(text, ctx)
    shape = shape_of(text)
    problem = _problem(text, reading, shape, ctx)
    if ctx.assume and canonical and problem.endswith(_FIRST_SUFFIXES):
        problem = ""  # the user has said how authors write; our own format says how to read this one
    intended = reading
    kind = "quoted" if misread else "converted"
    if ctx.assume and shape is not None and shape.order in ("dmy", "mdy") and not canonical:
        wanted = written_reading(text, ctx.assume)
        if wanted is None:
            first = "day" if ctx.assume == "dmy" else "month"
            return DatePlan(key, node, None, "left", f"{key} {text!r} is not a valid date with the {first} first; "
                            "left as is")
        if not same_instant(wanted, reading):
            kind, problem = "reinterpreted", ""
        intended, problem = wanted, ""
    if problem:
        hint = "--assume-day-first or --assume-month-first says how to read it"
        doubtful = problem.endswith(_FIRST_SUFFIXES)
        return DatePlan(key, node, text if misread else None, "left", f"{key} {text!r}: {problem}; left as is "
                        f"({hint})", doubtful=doubtful)
    if intended.utc_offset_seconds is not None or intended.tz_name:
        return _keep(key, node, text, misread, intended, "it names a time zone, which "
                     f"{ctx.target_format!r} cannot carry")
    if intended.second and "s" not in ctx.target_format:
        return _keep(key, node, text, misread, intended, f"its seconds would be lost in {ctx.target_format!r}")
    new, check = _written(intended, ctx)
    if check is None:
        return _keep(key, node, text, misread, intended, new)
    if check.overflowed or check.now_dependent or not same_instant(check, intended):
        return _keep(key, node, text, misread, intended, f"Grav would not read {new!r} back as the same date")
    if new == text and not misread:
        why = ""
        if ctx.assume and shape is not None and shape.ambiguous:
            why = (f"{key} {text!r} is already written as {ctx.target_format!r}, which says how to read it; "
                   f"kept as {describe(intended)}")
        return DatePlan(key, node, new, "same", why, intended)
    return DatePlan(key, node, new, kind, _message(key, node, text, new, kind, reading, intended), intended)


_FIRST_SUFFIXES = ("writes the day first", "writes the month first")
# A page's `date` and `publish_date`, and the same post in each language, mostly carry the same
# date: reading and formatting it once (~15 µs) serves them all. Pure functions of their keys;
# a reading that depends on the current time is never kept.
_MEMO_MAX = 4096
_READINGS: dict[tuple[str, str | None, str | None, str], tuple[DateReading, bool]] = {}
_WRITTEN: dict[tuple[DateReading, str, str | None, str | None], tuple[str, DateReading | None]] = {}


def _reading(text: str, ctx: DateContext) -> tuple[DateReading, bool]:
    """How Grav reads the date text, and whether it is already written in the target format."""
    memo = (text, ctx.read_format, ctx.tz, ctx.target_format)
    found = _READINGS.get(memo)
    if found is None:
        reading = read_date(text, ctx.read_format, tz=ctx.tz)
        found = (reading, _canonical(text, reading, ctx))
        if not reading.now_dependent:
            _remember(_READINGS, memo, found)
        if found[1]:  # written in the target format already: writing it gives this text, read as this
            _remember(_WRITTEN, (reading, ctx.target_format, ctx.read_format, ctx.tz), (text, reading))
    return found


def _written(intended: DateReading, ctx: DateContext) -> tuple[str, DateReading | None]:
    """(the date in the target format, how Grav reads that back), or (why it cannot be written, None)."""
    memo = (intended, ctx.target_format, ctx.read_format, ctx.tz)
    found = _WRITTEN.get(memo)
    if found is None:
        try:
            new = format_date(intended.as_datetime(), ctx.target_format)
        except ValueError as exc:
            found = (str(exc), None)
        else:
            found = (new, read_date(new, ctx.read_format, tz=ctx.tz))
        if found[1] is None or not found[1].now_dependent:
            _remember(_WRITTEN, memo, found)
    return found


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = value


def _canonical(text: str, reading: DateReading, ctx: DateContext) -> bool:
    """Already written in the target format: that format, not an assumption, says what it means."""
    if not reading.ok or reading.overflowed or reading.now_dependent:
        return False
    try:
        return format_date(reading.as_datetime(), ctx.target_format) == text
    except ValueError:
        return False


def _problem(text: str, reading: DateReading, shape: object, ctx: DateContext) -> str:
    """Why Grav's reading is probably not what the author meant ("" when it is)."""
    if not reading.ok:
        return "Grav cannot read it as a date (it uses the file's modification time)"
    if reading.now_dependent:
        return "Grav reads it relative to the current time"
    if reading.overflowed:
        return f"this date does not exist; Grav reads it as {describe(reading)}"
    if getattr(shape, "year_digits", 4) == 2:
        return f"two-digit year; Grav reads it as {describe(reading)}"
    order = getattr(shape, "order", None)
    if getattr(shape, "ambiguous", False) and order in ("dmy", "mdy") \
            and (convention := ctx.order()) and order != convention:
        first = "day" if convention == "dmy" else "month"
        return f"Grav reads it as {describe(reading)}, but this site writes the {first} first"
    return ""


def _keep(key: str, node: Scalar, text: str, misread: bool, intended: DateReading, why: str) -> DatePlan:
    """Leave the written text (quoted if it was an unquoted ISO date) and say why."""
    if misread:
        return DatePlan(key, node, text, "quoted", f"{key} {text!r} quoted so Grav reads it as written; "
                        f"not converted: {why}", intended)
    return DatePlan(key, node, None, "left", f"{key} {text!r} kept as written: {why}")


def _message(key: str, node: Scalar, text: str, new: str, kind: str, reading: DateReading,
             intended: DateReading) -> str:
    if kind == "quoted":
        return (f"{key} {node.text} was an unquoted ISO date (Grav up to 2.0.7 misreads it); now {new!r}, "
                f"{describe(intended)}")
    if kind == "reinterpreted":
        before = describe(reading) if reading.ok else "no date"
        return f"{key} {text!r} read as {describe(intended)} as you asked (Grav read {before}); now {new!r}"
    return ""
