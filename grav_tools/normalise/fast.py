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

from grav_tools.normalise.dump import dump_string
from grav_tools.yamlio import Mapping, Node, Scalar, Sequence, YamlTimestamp, resolve_plain

# What libyaml reads differently from Symfony, tabs, carriage returns: never in the canonical form.
_UNSAFE = re.compile("[\t\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE = re.compile(r"( *)(?:([A-Za-z_][A-Za-z0-9_-]*):(?: (.+))?|- (.+))")
_SINGLE = re.compile(r"'(?:[^']|'')*'")
# a plain scalar that YAML reads as exactly its text: no space, no indicator that could end it or
# give it a meaning; whether the writer writes it so is checked apart (dump_string, resolve_plain)
_PLAIN = re.compile(r"[^\s#:,\[\]{}'\"?|<>!%@`&*-][^\s#:,\[\]{}'\"]*|-[^\s#:,\[\]{}'\"]+")


class _NotCanonical(Exception):
    """The header is not provably in canonical form: the full normaliser decides."""


@lru_cache(maxsize=4096)  # pure; the same keys come back on every page
def _key_is_canonical(key: str) -> bool:
    """The writer writes this plain key as it stands (it reads as that very string)."""
    return resolve_plain(key) == key and dump_string(key) == key


def _scalar(text: str, line: int, column: int, booleans: bool) -> Node:
    """The node of a one-line value written exactly as the writer writes it, else _NotCanonical."""
    end = column + len(text)
    if text[0] == "'":
        if _SINGLE.fullmatch(text) is None:
            raise _NotCanonical
        value = text[1:-1].replace("''", "'")
        if dump_string(value) != text:
            raise _NotCanonical
        return Scalar(line, column, line, end, None, value, "'", value)
    if text == "[]":
        return Sequence(line, column, line, end, None, [], True)
    if text == "{}":
        return Mapping(line, column, line, end, None, [], True, {})
    if _PLAIN.fullmatch(text) is None:
        raise _NotCanonical
    value = resolve_plain(text)
    if value.__class__ is str:
        if dump_string(value) != text:
            raise _NotCanonical
    elif isinstance(value, bool):
        if booleans and text not in ("true", "false"):
            raise _NotCanonical
    elif isinstance(value, YamlTimestamp):
        raise _NotCanonical  # quoted as written, with a note
    return Scalar(line, column, line, end, None, text, "", value)


class _Frame:
    """An open block mapping or list: its indentation, its node, the keys it holds so far."""

    __slots__ = ("indent", "node", "keys")

    def __init__(self, indent: int, node: Mapping | Sequence) -> None:
        self.indent = indent
        self.node = node
        self.keys: set[str] = set()


def read_canonical_header(header: str, step: int, key_order: tuple[str, ...], booleans: bool) -> Mapping | None:
    """The root mapping of a header the writer would write back unchanged (dates aside), or None.

    The nodes are built as parse_header builds them (same texts, styles, values; lines of the
    header), so the date rules and the votes can run on them; the caller checks the date plans.
    """
    if not header or _UNSAFE.search(header):
        return None
    try:
        root = _read_lines(header.split("\n"), step, booleans)
    except _NotCanonical:
        return None
    return root if _in_key_order(root, key_order) else None


def _read_lines(lines: list[str], step: int, booleans: bool) -> Mapping:
    root = Mapping(1, 1, 1, 1, None, [], False, {})
    stack = [_Frame(0, root)]
    opened: Scalar | None = None  # a `key:` whose block (or null value) starts on the next line
    opened_indent = 0
    for number, line in enumerate(lines, 1):
        match = _LINE.fullmatch(line)
        if match is None:
            raise _NotCanonical
        indent = len(match[1])
        if opened is not None:
            if indent == opened_indent + step:
                child: Mapping | Sequence = (Mapping(number, indent + 1, number, indent + 1, None, [], False, {})
                                             if match[2] else Sequence(number, indent + 1, number, indent + 1,
                                                                       None, [], False))
                _attach(stack[-1], opened, child)
                stack.append(_Frame(indent, child))
            elif indent > opened_indent or match[4] is not None:
                raise _NotCanonical  # a deeper odd indent, or a list at the key's own indent
            else:
                _attach(stack[-1], opened, Scalar(opened.line, opened.end_column + 1, opened.line,
                                                  opened.end_column + 1, None, "", "", None))
            opened = None
        while indent < stack[-1].indent:
            stack.pop()
        frame = stack[-1]
        if indent != frame.indent:
            raise _NotCanonical
        if isinstance(frame.node, Sequence):
            if match[4] is None:
                raise _NotCanonical
            frame.node.items.append(_scalar(match[4], number, indent + 3, booleans))
            continue
        key_text = match[2]
        if key_text is None or key_text in frame.keys or not _key_is_canonical(key_text):
            raise _NotCanonical
        frame.keys.add(key_text)
        key = Scalar(number, indent + 1, number, indent + 1 + len(key_text), None, key_text, "", key_text)
        if match[3] is None:
            opened, opened_indent = key, indent
            continue
        _attach(frame, key, _scalar(match[3], number, indent + len(key_text) + 3, booleans))
    if opened is not None:
        _attach(stack[-1], opened, Scalar(opened.line, opened.end_column + 1, opened.line,
                                          opened.end_column + 1, None, "", "", None))
    return root


def _attach(frame: _Frame, key: Scalar, value: Node) -> None:
    mapping = frame.node
    assert isinstance(mapping, Mapping) and mapping.index is not None
    mapping.pairs.append((key, value))
    mapping.index[key.text] = (key, value)


def _in_key_order(root: Mapping, key_order: tuple[str, ...]) -> bool:
    """The top-level keys already stand in the writer's order: the ranked ones first, by rank."""
    if not key_order:
        return True
    rank = {name: index for index, name in enumerate(key_order)}
    last = -1
    for key, _ in root.pairs:
        position = rank.get(key.text if isinstance(key, Scalar) else "", len(key_order))
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
    if delimiter and delimiter in body:
        lines = body.split("\n")
        for index, line in enumerate(lines):
            text = line.lstrip(" ")
            if (text.startswith(delimiter) and len(line) - len(text) <= 3 and not text[len(delimiter):].strip(" \t")
                    and ((index and lines[index - 1].strip()) or (index + 1 < len(lines) and lines[index + 1].strip()))):
                return False
    return True
