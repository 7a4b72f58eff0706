"""Calendar arithmetic and timelib_update_ts(): from parsed fields to a wall clock."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from grav_tools._phpdate.state import FIELDS, UNSET, Parsed, Rel


def is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if is_leap(y) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def valid_time(h: int, i: int, s: int) -> bool:
    return 0 <= h <= 23 and 0 <= i <= 59 and 0 <= s <= 59


def valid_date(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= days_in_month(y, m)


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 for a proleptic Gregorian date (any year)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def day_of_week(y: int, m: int, d: int) -> int:
    """0 = Sunday, as timelib_day_of_week."""
    return (days_from_civil(y, m, d) + 4) % 7


Fields = dict[str, int]


def normalize(f: Fields) -> None:
    """timelib_do_normalize: carry seconds..months so every field is in range."""
    carry, f["us"] = divmod(f["us"], 1_000_000)
    f["s"] += carry
    carry, f["s"] = divmod(f["s"], 60)
    f["i"] += carry
    carry, f["i"] = divmod(f["i"], 60)
    f["h"] += carry
    carry, f["h"] = divmod(f["h"], 24)
    f["d"] += carry
    carry, m0 = divmod(f["m"] - 1, 12)
    y = f["y"] + carry
    f["y"], f["m"], f["d"] = civil_from_days(days_from_civil(y, m0 + 1, 1) + f["d"] - 1)


def _weekday_adjust(f: Fields, r: Rel) -> None:
    """do_adjust_for_weekday: move to the named weekday (timelib semantics)."""
    dow = day_of_week(f["y"], f["m"], f["d"])
    if r.weekday_behavior == 2:
        wd = r.weekday
        if dow == 0 and wd != 0:
            wd -= 7
        if wd == 0 and dow != 0:
            wd = 7
        f["d"] += wd - dow
        return
    diff = r.weekday - dow
    if (r.d < 0 and diff < 0) or (r.d >= 0 and diff <= -r.weekday_behavior):
        diff += 7
    if r.weekday >= 0:
        f["d"] += diff
    else:
        f["d"] -= 7 - (abs(r.weekday) - dow)


def _special_weekday(f: Fields, count: int) -> None:
    """do_adjust_special_weekday: '+N weekdays' skips Saturdays and Sundays."""
    dow = day_of_week(f["y"], f["m"], f["d"])
    f["d"] += int(count / 5) * 7
    rem = count - int(count / 5) * 5
    if count > 0:
        if rem == 0:
            f["d"] -= 2 if dow == 0 else 1 if dow == 6 else 0
        elif dow == 6:
            f["d"] += 1
        elif dow + rem > 5:
            f["d"] += 2
    else:
        if rem == 0:
            f["d"] += 2 if dow == 6 else 1 if dow == 0 else 0
        elif dow == 0:
            f["d"] -= 1
        elif dow + rem < 1:
            f["d"] -= 2
    f["d"] += rem


def resolve(p: Parsed, now: Fields, override_time: bool) -> tuple[Fields, str]:
    """timelib_fill_holes + timelib_update_ts: final wall-clock fields.

    Returns the fields and the letters (of 'ymdhis') whose value came from ``now``.
    """
    f: Fields = {k: getattr(p, k) for k in (*FIELDS, "us")}
    if not override_time and p.have_date and not p.have_time:
        f.update(h=0, i=0, s=0, us=0)
    from_now = "".join(k for k in FIELDS if f[k] == UNSET)
    if f["us"] == UNSET:
        f["us"] = 0
    for k in FIELDS:
        if f[k] == UNSET:
            f[k] = now[k]
    r = p.rel
    # do_adjust_special_early
    if r.have_special and r.special_type in (2, 3):
        f["d"] = 1
        f["m"] += r.m + (1 if r.special_type == 3 else 0)
        r.m = 0
    _first_last(f, r)
    normalize(f)
    # do_adjust_relative
    if r.have_weekday:
        _weekday_adjust(f, r)
    normalize(f)
    if p.have_relative:
        for k in ("us", "s", "i", "h", "d", "m", "y"):
            f[k] += getattr(r, k)
    _first_last(f, r)
    normalize(f)
    # do_adjust_special
    if r.have_special and r.special_type == 1:
        _special_weekday(f, r.special_amount)
        normalize(f)
    return f, _widen(from_now, p)


_TS_MIN, _TS_MAX = -62135596800 + 2 * 86400, 253402300799 - 2 * 86400  # datetime range
_CYCLE = 146097 * 86400  # 400 Gregorian years: same weekdays, so same DST rules


def _zone_offset(zone: zoneinfo.ZoneInfo, instant: int) -> int:
    """UTC offset at an instant, for any year (zoneinfo itself stops at 1..9999)."""
    if instant > _TS_MAX:
        instant -= ((instant - _TS_MAX) // _CYCLE + 1) * _CYCLE
    offset = datetime.fromtimestamp(max(instant, _TS_MIN), zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def wrap64(value: int) -> int:
    """C int64 overflow: PHP's timestamps wrap around for absurd years."""
    return (value + 2**63) % 2**64 - 2**63


def zone_utc(wall: int, zone_name: str) -> int:
    """UTC instant PHP gives a wall-clock time (seconds, as if UTC) in a named zone.

    timelib's do_adjust_timezone: take the offset at ``wall - offset(wall)``, except in a
    skipped hour. Unlike Python's fold=0 this picks the *later* of two ambiguous times
    in zones east of UTC (Asia/Almaty 2024-02-29 23:30, Europe/Berlin fall-back).
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    current = _zone_offset(zone, wall)
    actual = _zone_offset(zone, wall - current)
    if current != actual:
        in_transition = actual > current and _zone_offset(zone, wall - actual) != actual
        if not in_transition:
            return wall - actual
    return wall - current


def local_fields(instant: int, offset: int) -> tuple[int, int, int, int, int, int]:
    """Wall clock of a UTC instant at a UTC offset (what DateTime::format shows)."""
    days, rest = divmod(wrap64(instant + offset), 86400)
    y, m, d = civil_from_days(days)
    return y, m, d, rest // 3600, rest // 60 % 60, rest % 60


def zone_offset_at(instant: int, zone_name: str) -> int:
    return _zone_offset(zoneinfo.ZoneInfo(zone_name), instant)


def _first_last(f: Fields, r: Rel) -> None:
    """'first day of' / 'last day of' (applied twice by timelib, harmlessly)."""
    if r.first_last == 1:
        f["d"] = 1
    elif r.first_last == 2:
        f["d"], f["m"] = 0, f["m"] + 1


def _widen(from_now: str, p: Parsed) -> str:
    """Which result fields can differ between two 'now's (see DateReading.now_fields)."""
    if not from_now:
        return ""
    r = p.rel
    if p.have_relative and (r.h or r.i or r.s or r.us):
        return "ymdhis"
    out = set(from_now)
    if out & {"m", "d"} or (p.m, p.d) == (2, 29):  # day overflow depends on month/year
        out |= {"m", "d"}
    if out & {"h", "i", "s"}:
        out |= {"h", "i", "s"}
    if p.have_relative or r.have_weekday or r.have_special or r.first_last:
        out |= {"y", "m", "d"}
    return "".join(k for k in FIELDS if k in out)
