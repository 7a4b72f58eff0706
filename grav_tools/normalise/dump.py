"""Scalars written the way Symfony's YAML dumper (what Grav Admin saves with) writes them.

A port of Symfony 5.4 `Inline::dump` for strings and `Escaper`, checked against PHP by
tests/normalise/test_dump_php.py. Three deliberate deviations, all where Symfony's own output
would not read back as the same string: strings Symfony leaves plain although its parser then
reads a number (`.inf`, `0o17`, `+1_000`) are single-quoted; strings with control characters
are double-quoted with escapes instead of `!!binary` (which Grav 1.7 reads, but no editor can
show); and a string that starts with U+FEFF is double-quoted (as a key at the start of a line,
plain or single-quoted, a YAML reader takes it for a byte order mark and drops it).
"""

from __future__ import annotations

import re
from functools import lru_cache

from grav_tools.yamlio import resolve_plain

_DOUBLE = re.compile("[\x00-\x1f\x7f\u0085\u00a0\u2028\u2029]")
_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n",
    "\x0b": "\\v", "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", "\u0085": "\\N", "\u00a0": "\\_",
    "\u2028": "\\L", "\u2029": "\\P",
}
_ESCAPE_RE = re.compile('[\\\\"\x00-\x1f\x7f\u0085\u00a0\u2028\u2029]')
# PCRE's \s and \p{Zs} in UTF/UCP mode, minus what _DOUBLE already catches.
_SPACES = " \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SINGLE = re.compile(f"[{_SPACES}'\":{{}}\\[\\],&*#?]|^[-?|<>=!%@`{_SPACES}]")
_SINGLE_WORDS = frozenset({"null", "~", "true", "false", "y", "n", "yes", "no", "on", "off"})
_DIGITS = re.compile(r"^[0-9]+[_0-9]*$")
_HEX = re.compile(r"^0x[0-9a-f_]+$", re.I)
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?)?$"
)
_PHP_WS = " \t\n\r\x0b\x0c"
_NUMERIC = re.compile(
    r"^[" + _PHP_WS + r"]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[" + _PHP_WS + r"]*$"
)


def php_is_numeric(text: str) -> bool:
    """PHP 8's is_numeric() for a string (leading and trailing whitespace allowed)."""
    return bool(_NUMERIC.match(text))


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def double_quoted(text: str) -> str:
    return '"' + _ESCAPE_RE.sub(_escape_one, text) + '"'


def _escape_one(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\x{ord(char):02x}"


def symfony_string(text: str) -> str:
    """Exactly what Symfony 5.4 `Inline::dump()` writes for a PHP string (no binary check)."""
    if php_is_numeric(text) and not any(c in text for c in "\f\n\r\t\v"):
        return f"'{text}'"
    if text == "":
        return "''"
    if _DOUBLE.search(text):
        return double_quoted(text)
    if (text.lower() in _SINGLE_WORDS or _SINGLE.search(text) or _DIGITS.match(text)
            or _HEX.match(text) or _TIMESTAMP.match(text)):
        return single_quoted(text)
    return text


@lru_cache(maxsize=8192)  # pure; keys, tags, categories and authors repeat from page to page
def dump_string(text: str) -> str:
    """A string as Admin would write it, guaranteed to read back as the same string."""
    out = symfony_string(text)
    if out == text and resolve_plain(text) != text:
        return single_quoted(text)
    if text.startswith("\ufeff") and out[0] != '"':
        return double_quoted(text)  # at the start of a line, a YAML reader takes it for a byte order mark
    return out
