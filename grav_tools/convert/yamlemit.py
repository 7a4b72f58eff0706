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

from grav_tools.normalise.dump import dump_string
from grav_tools.yamlio import parse_header, to_python

INDENT = 4
# Control characters (and lone surrogates) that no YAML reader accepts unescaped and nobody means
# in a header; Symfony would write some as !!binary. They are dropped.
_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class EmitError(ValueError):
    """The header would not read back as the data it was made from."""


def _float(value: float) -> str:
    """PHP's (string) of a float (precision 14), plus the `.0` Symfony adds to whole numbers."""
    if math.isinf(value):
        return "-.Inf" if value < 0 else ".Inf"
    if math.isnan(value):
        return ".NaN"
    text = format(value, ".14G")  # PHP's sprintf("%.14G")
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
    text = _BINARY.sub("", str(value))  # Symfony would write !!binary; nobody means control bytes in a header
    return dump_string(text)  # the same quoting normalise writes: converted pages are canonical


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
