"""Write a Grav header the way Grav Admin does: Symfony YAML `Yaml::dump($header, 20)`, 4-space indent.

Empty collections are written as `grav-tools normalise` writes them (`[]`, `{}`), so converted
pages are already canonical. Only the scalar rules Symfony 4.4/5.4 applies are modelled (checked against PHP in
tests/convert/test_yamlemit.py): strings with control characters are double-quoted with
Symfony's escapes; strings that would read back as something else, or that contain YAML
indicators, are single-quoted; numbers, booleans and null are written bare. Every header is
parsed back with our Grav reader (`yamlio`) and must give the same data, strictly: where
Symfony itself would write something that reads back differently (`.inf` as text), the string
is single-quoted instead.
"""

from __future__ import annotations

import math
import re
from typing import Any

from grav_tools.yamlio import parse_header, resolve_plain, to_python

INDENT = 4
_DOUBLE = re.compile("[\x00-\x1f\x7f\u0085\u00a0\u2028\u2029]")
_SINGLE_CHARS = re.compile(r"[\s'\":{}\[\],&*#?]|\A[-?|<>=!%@`\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SINGLE_WORDS = frozenset(["null", "~", "true", "false", "y", "n", "yes", "no", "on", "off"])
_DIGITS_UNDERSCORE = re.compile(r"^[0-9]+[_0-9]*$")
_HEX = re.compile(r"^0x[0-9a-f_]+$", re.I)
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$")
_PHP_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n",
            "\x0b": "\\v", "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", "\u0085": "\\N", "\u00a0": "\\_",
            "\u2028": "\\L", "\u2029": "\\P"}
# Control characters (and lone surrogates) that no YAML reader accepts unescaped and nobody means
# in a header; Symfony would write some as !!binary. They are dropped.
_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class EmitError(ValueError):
    """The header would not read back as the data it was made from."""


def _double(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch == "\x7f":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _single(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _float(value: float) -> str:
    """PHP's (string) of a float (precision 14), plus the `.0` Symfony adds to whole numbers."""
    if math.isinf(value):
        return "-.Inf" if value < 0 else ".Inf"
    if math.isnan(value):
        return ".NaN"
    text = "%.14G" % value
    if "E" in text:
        mantissa, exponent = text.split("E")
        sign = exponent[0] if exponent[0] in "+-" else "+"
        digits = exponent.lstrip("+-").lstrip("0") or "0"
        if "." not in mantissa:
            mantissa += ".0"
        return f"{mantissa}E{sign}{digits}"
    if value == math.floor(value) and "." not in text:
        text += ".0"
    return text


def scalar(value: Any) -> str:
    """One value as Symfony's Inline::dump writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    text = str(value)
    text = _BINARY.sub("", text)  # Symfony would write !!binary; nobody means control bytes in a header
    if text.isdigit() and text.isascii():
        return f"'{text}'"
    if _PHP_NUMERIC.match(text) and not any(c in text for c in "\f\n\r\t\v"):
        return f"'{text}'"
    if text == "":
        return "''"
    if _DOUBLE.search(text):
        return _double(text)
    if (text.lower() in _SINGLE_WORDS or _SINGLE_CHARS.search(text) or _DIGITS_UNDERSCORE.match(text)
            or _HEX.match(text) or _TIMESTAMP.match(text)):
        return _single(text)
    if resolve_plain(text) != text:  # Symfony writes `.inf` plain, which reads back as a number
        return _single(text)
    return text


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{scalar(k)}: {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return scalar(value)


def _block(value: Any, indent: int, out: list[str]) -> None:
    prefix = " " * indent
    is_map = isinstance(value, dict)
    items = value.items() if is_map else enumerate(value)
    for key, item in items:
        head = f"{prefix}{scalar(key)}:" if is_map else f"{prefix}-"
        if isinstance(item, (dict, list)) and item:
            out.append(head)
            _block(item, indent + INDENT, out)
        elif isinstance(item, dict):
            out.append(f"{head} {{}}")  # Symfony writes `{  }`; `grav-tools normalise` writes `{}`
        elif isinstance(item, list) and not item:
            out.append(f"{head} []")  # Symfony writes `{  }` (PHP has one array type); normalise keeps `[]`
        else:
            out.append(f"{head} {_inline(item)}")


def _plain_data(value: Any) -> Any:
    """The data Grav should read back (what the emitter was given, with Symfony's casts)."""
    if isinstance(value, dict):
        return {_BINARY.sub("", str(k)): _plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v) for v in value]
    if isinstance(value, str):
        return _BINARY.sub("", value)
    return value


def dump(header: dict[str, Any]) -> str:
    """The header text (no fences, no trailing newline), proven to read back as `header`."""
    lines: list[str] = []
    _block(header, 0, lines)
    text = "\n".join(lines)
    parsed = parse_header(text)
    if parsed.root is None or not parsed.strict:
        raise EmitError(f"emitted header does not parse strictly: {parsed.error}")
    if to_python(parsed.root) != _plain_data(header):
        raise EmitError("emitted header does not read back as the data it was made from")
    return text
