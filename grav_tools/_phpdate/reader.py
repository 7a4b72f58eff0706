"""Readers over one scanner token, with the semantics of timelib's C helpers."""

from __future__ import annotations

import re
import string

from grav_tools._phpdate.state import ABBR, ASCII_LOWER, C_SPACE, MONTHS, RELTEXT, UNITS, UNSET, Parsed, tz_ids, tz_key


class Tok:
    """Cursor over one token, mirroring timelib's number/word readers."""

    def __init__(self, text: str) -> None:
        self.t, self.p = text, 0

    def ch(self, k: int = 0) -> str:
        """Current char; the NUL terminator past the end, like C."""
        return self.t[self.p + k] if self.p + k < len(self.t) else "\0"

    def digit(self) -> bool:
        return "0" <= self.ch() <= "9"

    def nr(self, max_len: int) -> tuple[int, int]:
        """timelib_get_nr_ex: skip non-digits, read up to max_len digits."""
        while not self.digit():
            if self.ch() == "\0":
                return UNSET, 0
            self.p += 1
        start = self.p
        while self.digit() and self.p - start < max_len:
            self.p += 1
        return int(self.t[start:self.p]), self.p - start

    def num(self, max_len: int) -> int:
        return self.nr(max_len)[0]

    def signed(self, p: Parsed, max_len: int) -> int:
        """timelib_get_signed_nr: every '-' flips the sign, then digits."""
        while not self.digit() and self.ch() not in "+-":
            if self.ch() == "\0":
                p.errors.append("Found unexpected data")
                return 0
            self.p += 1
        neg = False
        while self.ch() in "+-":
            neg ^= self.ch() == "-"
            self.p += 1
        while not self.digit():
            if self.ch() == "\0":
                p.errors.append("Found unexpected data")
                return 0
            self.p += 1
        value, _ = self.nr(max_len)
        return -value if neg else value

    def frac(self) -> int:
        """timelib_get_frac_nr: '.123' -> microseconds."""
        while self.ch() not in ".:" and not self.digit():
            if self.ch() == "\0":
                return UNSET
            self.p += 1
        start = self.p
        while self.ch() in ".:" or self.digit():
            self.p += 1
        m = re.match(r"[0-9]*(?:\.[0-9]*)?", self.t[start + 1:self.p])
        txt = m.group(0) if m else ""
        value = float(txt) if txt not in ("", ".") else 0.0
        return int(value * 10 ** (7 - (self.p - start)))

    def word(self, chars: str) -> str:
        start = self.p
        while self.ch() != "\0" and self.ch() in chars:
            self.p += 1
        return self.t[start:self.p]

    def letters(self) -> str:
        return self.word(string.ascii_letters)

    def month(self) -> int:
        """timelib_get_month: skip separators, then a month name or roman numeral."""
        self.word(" \t-./")
        return MONTHS.get(self.letters().translate(ASCII_LOWER), 0)

    def eat_spaces(self) -> None:
        while True:
            if self.ch() in " \t":
                self.p += 1
            elif self.t.startswith("\xe2\x80\xaf", self.p):
                self.p += 3
            elif self.t.startswith("\xc2\xa0", self.p):
                self.p += 2
            else:
                return

    def skip_day_suffix(self) -> None:
        if self.ch() not in C_SPACE and self.t[self.p:self.p + 2].translate(ASCII_LOWER) in (
                "nd", "rd", "st", "th"):
            self.p += 2

    def meridian(self, h: int) -> int:
        """timelib_meridian: hour correction for am/pm (12am = 0, 12pm = 12)."""
        while self.ch() not in "AaPp\0":
            self.p += 1
        am = self.ch() in "Aa"
        self.p += 1
        for allowed in (".", "Mm", "."):
            if self.ch() in allowed:
                self.p += 1
        if am:
            return -12 if h == 12 else 0
        return 12 if h != 12 else 0

    def relunit(self) -> tuple[str, int] | None:
        start = self.p
        while self.ch() not in "\0 ,\t;:/.-()":
            self.p += 1
        return UNITS.get(self.t[start:self.p].translate(ASCII_LOWER))

    def reltext(self) -> tuple[int, int]:
        self.word(" \t-/")
        return RELTEXT.get(self.letters().translate(ASCII_LOWER), (0, 0))

    def zone(self, p: Parsed) -> bool:
        """timelib_parse_zone: offset, abbreviation or identifier. False = not found."""
        self.word(" \t(")
        if self.t.startswith("GMT", self.p) and self.ch(3) in "+-":
            self.p += 3
        if self.ch() in "+-":
            sign = -1 if self.ch() == "-" else 1
            self.p += 1
            off = tz_correction(self.word("0123456789:"))
            p.offset, p.tz_id = sign * (off or 0), None
            found = off is not None
        else:
            word = self.word(string.ascii_letters + string.digits + "/_-+")
            found = len(word) < 6 and word.translate(ASCII_LOWER) in ABBR
            if found:
                p.offset, p.tz_id = ABBR[word.translate(ASCII_LOWER)], None
            if not found or word == "UTC":
                ident = tz_ids().get(tz_key(word))
                if ident is not None:
                    p.offset, p.tz_id, found = None, ident, True
        self.word(")")
        return found


def tz_correction(digits: str) -> int | None:
    """timelib_parse_tz_cor: 'H', 'HH', 'H:MM', 'HHMM', 'HH:MM', 'HHMMSS', 'HH:MM:SS'."""
    n = len(digits)

    def num(s: str) -> int:
        m = re.match(r"[0-9]*", s)
        return int(m.group(0)) if m and m.group(0) else 0

    if n in (1, 2):
        return num(digits) * 3600
    if n in (3, 4):
        if digits[1] == ":":
            return num(digits) * 3600 + num(digits[2:]) * 60
        if digits[2] == ":":
            return num(digits) * 3600 + num(digits[3:]) * 60
        v = num(digits)
        return (v // 100) * 3600 + (v % 100) * 60
    if n == 5 and digits[2] == ":":
        return num(digits) * 3600 + num(digits[3:]) * 60
    if n == 6:
        v = num(digits)
        return (v // 10000) * 3600 + ((v // 100) % 100) * 60 + v % 100
    if n == 8 and digits[2] == ":" and digits[5] == ":":
        return num(digits) * 3600 + num(digits[3:]) * 60 + num(digits[6:])
    return None


def process_year(y: int, length: int) -> int:
    """TIMELIB_PROCESS_YEAR: 1-3 digit years below 100 become 19xx/20xx (pivot 70)."""
    if y == UNSET or length >= 4 or y >= 100:
        return y
    return y + 2000 if y < 70 else y + 1900
