"""Proving that a page is already in canonical form, without writing it again.

An already canonical page is what `--check` finds in almost every file of a maintained site,
and what the "normalising the result again changes nothing" proof looks at for every rewritten
file. Writing the header again (trivia, writer, dates) and rescanning the body costs about
half a millisecond a page; this module reads the one layout the writer produces for plain
headers (block mappings and lists of one-line scalars, no comments or blank lines) line by
line and checks each line against what the writer would put there. Anything else, or any
doubt, answers None and the caller runs the full normaliser, so this only ever decides the
easy cases (tests/normalise/test_normalise_fast.py compares both paths on every corpus page).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from grav_tools.normalise.dates import DATE_KEYS
from grav_tools.normalise.dump import dump_string
from grav_tools.normalise.text import is_separator
from grav_tools.yamlio import LIBYAML_UNSAFE_CHARS, Mapping, Node, Scalar, Sequence, YamlTimestamp, resolve_plain

# What libyaml reads differently from Symfony, tabs, carriage returns: never in the canonical form.
_UNSAFE = re.compile(f"[\t\r\ufeff{LIBYAML_UNSAFE_CHARS}]")
_LINE = re.compile(r"( *)(?:([A-Za-z_][A-Za-z0-9_-]*):(?: (.+))?|- (.+))")
_SINGLE = re.compile(r"'(?:[^']|'')*'")
# a plain scalar that YAML reads as exactly its text: no space, no indicator that could end it or
# give it a meaning; whether the writer writes it so is checked apart (dump_string, resolve_plain)
_PLAIN = re.compile(r"[^\s#:,\[\]{}'\"?|<>!%@`&*-][^\s#:,\[\]{}'\"]*|-[^\s#:,\[\]{}'\"]+")


def _scalar(text: str, booleans: bool) -> tuple[str, str, Any, int] | None:
    """(text, style, value, length as written) of a one-line value the writer writes exactly
    so, else None.

    `text` is the node's text as parse_header gives it: a quoted scalar's without its quotes.
    """
    if text[0] == "'":
        if _SINGLE.fullmatch(text) is None:
            return None
        value = text[1:-1].replace("''", "'")
        return (value, "'", value, len(text)) if dump_string(value) == text else None
    if text in ("[]", "{}"):
        return text, "flow", None, 2
    if _PLAIN.fullmatch(text) is None:
        return None
    value = resolve_plain(text)
    if value.__class__ is str:
        if dump_string(value) != text:
            return None
    elif isinstance(value, bool):
        if booleans and text not in ("true", "false"):
            return None
    elif isinstance(value, YamlTimestamp):
        return None  # quoted as written, with a note
    return text, "", value, len(text)


# (indent, key or None for a list item, its value or None for `key:` alone, the value's 0-based column)
_Line = tuple[int, "str | None", "tuple[str, str, Any, int] | None", int]


@lru_cache(maxsize=16384)  # pure; most lines (`published: true`, `    - news`) recur page after page
def _classify(line: str, booleans: bool) -> _Line | None:
    """One header line of the writer's layout, or None when the writer would not write it so."""
    match = _LINE.fullmatch(line)
    if match is None:
        return None
    indent = len(match[1])
    key, text = match[2], match[3] if match[2] is not None else match[4]
    if key is not None and not (resolve_plain(key) == key and dump_string(key) == key):
        return None
    if text is None:
        return indent, key, None, 0
    value = _scalar(text, booleans)
    if value is None:
        return None
    return indent, key, value, indent + (len(key) + 2 if key is not None else 2)


def read_canonical_header(header: str, step: int, key_order: tuple[str, ...], booleans: bool) -> Mapping | None:
    """The top level of a header the writer would write back unchanged (dates aside), or None.

    Only what the date rules and the votes read stands in it: the date keys and `dateformat`,
    as parse_header builds them (same texts, styles, values, lines of the header; a nested
    block as an empty node). Every other line is checked and left out. The caller checks the
    date plans.
    """
    if not header or _UNSAFE.search(header):
        return None
    root = Mapping(1, 1, 1, 1, None, [], False, {})
    tops = _read_lines(header.split("\n"), step, booleans, root)
    return root if tops is not None and _in_key_order(tops, key_order) else None


_DATED = frozenset((*DATE_KEYS, "dateformat"))


def _read_lines(lines: list[str], step: int, booleans: bool, root: Mapping) -> list[str] | None:
    """The top-level keys in order, the dated ones added to `root`; None when a line is not the
    writer's."""
    tops: list[str] = []
    stack: list[tuple[int, set[str] | None]] = [(0, set())]  # open blocks: indent, keys (None: a list)
    opened: str | None = None  # a `key:` whose block (or null value) starts on the next line
    opened_at = (0, 0)  # its line and indent
    for number, line in enumerate(lines, 1):
        info = _classify(line, booleans)
        if info is None:
            return None
        indent, key, value, column = info
        if opened is not None:
            if indent == opened_at[1] + step:
                stack.append((indent, set() if key is not None else None))
            elif indent > opened_at[1] or key is None:
                return None  # a deeper odd indent, or a list at the key's own indent
            if opened_at[1] == 0 and opened in _DATED:
                block: Node = _null(opened_at[0], opened) if indent <= opened_at[1] else \
                    Mapping(number, 1, number, 1, None, [], False, {}) if key is not None else \
                    Sequence(number, 1, number, 1, None, [], False)
                _attach(root, opened, opened_at[0], block)
            opened = None
        while indent < stack[-1][0]:
            stack.pop()
        frame_indent, keys = stack[-1]
        if indent != frame_indent or (keys is None) != (key is None):
            return None
        if keys is None:
            continue  # a list item: its value is checked
        assert key is not None
        if key in keys:
            return None
        keys.add(key)
        if indent == 0:
            tops.append(key)
        if value is None:
            opened, opened_at = key, (number, indent)
        elif indent == 0 and key in _DATED:
            _attach(root, key, number, _node(value, number, column))
    if opened is not None and opened_at[1] == 0 and opened in _DATED:
        _attach(root, opened, opened_at[0], _null(opened_at[0], opened))
    return tops


def _node(value: tuple[str, str, Any, int], line: int, column: int) -> Node:
    text, style, resolved, written = value
    end = column + 1 + written
    if style == "flow":
        return Sequence(line, column + 1, line, end, None, [], True) if text == "[]" \
            else Mapping(line, column + 1, line, end, None, [], True, {})
    return Scalar(line, column + 1, line, end, None, text, style, resolved)


def _null(line: int, key: str) -> Scalar:
    """The null value of `key:` alone on its line."""
    return Scalar(line, len(key) + 2, line, len(key) + 2, None, "", "", None)


def _attach(root: Mapping, key: str, line: int, value: Node) -> None:
    node = Scalar(line, 1, line, 1 + len(key), None, key, "", key)
    root.pairs.append((node, value))
    assert root.index is not None
    root.index[key] = (node, value)


def _in_key_order(keys: list[str], key_order: tuple[str, ...]) -> bool:
    """The top-level keys already stand in the writer's order: the ranked ones first, by rank."""
    if not key_order:
        return True
    rank = {name: index for index, name in enumerate(key_order)}
    last = -1
    for key in keys:
        position = rank.get(key, len(key_order))
        if position < last or (position == last and position < len(key_order)):
            return False
        last = position
    return True


def body_is_clean(body: str, delimiter: str) -> bool:
    """clean_body(body, delimiter) would return the body itself and no notes (trim and final
    newline on): no trailing spaces or tabs, no blank lines at either end, one final newline, and
    every line that may be a summary separator already between blank lines. False means unknown.
    """
    if not body:
        return True
    if (not body.endswith("\n") or body.endswith("\n\n") or body[0] == "\n"
            or " \n" in body or "\t\n" in body):
        return False
    if not delimiter:
        return True
    at = body.find(delimiter)
    while at >= 0:
        start = body.rfind("\n", 0, at) + 1
        end = body.find("\n", at)
        end = len(body) if end < 0 else end
        if _separator_needs_space(body, start, end, delimiter):
            return False
        at = body.find(delimiter, end + 1)
    return True


def _separator_needs_space(body: str, start: int, end: int, delimiter: str) -> bool:
    """The line body[start:end] may be a summary separator (code or not) and the line above or
    below it is not blank."""
    if not is_separator(body[start:end], delimiter):
        return False
    above = body[body.rfind("\n", 0, start - 1) + 1 : start - 1] if start else ""
    below = body[end + 1 : (body.find("\n", end + 1) + 1 or len(body) + 1) - 1] if end < len(body) else ""
    return bool(above.strip() or below.strip())
