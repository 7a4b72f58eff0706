"""A direct reader for the plain headers most pages have; everything else goes to the full parser.

Most Grav headers are a block mapping of `key: value` lines, a nested mapping or two
(`taxonomy:`), flow lists of plain words (`tag: [a, b]`) and block lists of one-line values
(`- news` lines, indented under their key). For those, running libyaml and
turning its events into nodes is most of the cost of reading a header (about 60 µs). This
module reads exactly that subset line by line and builds the very same nodes, with the same
positions, styles and duplicate records (tests/test_yamlfast.py compares the two on every
header of the corpus and on generated ones). The moment a line is anything else (a comment,
a tab, a list item at its key's own indent, an item that is not a one-line value, an anchor, a
multi-line or escaped scalar, an indicator where YAML gives it a meaning...) it returns None and
the caller uses the full parser.

It also builds what `to_python` would make of the root on the way (`Mapping.converted`, with every
scalar's `value` already set): the nodes and the Python data of a header in one pass.
"""

from __future__ import annotations

import re
from typing import Any

from grav_tools.yamlio import LIBYAML_UNSAFE_CHARS, Duplicate, Mapping, Node, Scalar, Sequence, resolve_plain

_KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")  # the value keeps trailing spaces
_ITEM_LINE = re.compile(r"( *)- +(\S.*)")  # `- value`: a block list item with a value on its line
# a plain value: no YAML indicator first, no comment, no `: ` inside, no `:` at its end
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^#:]|:(?=\S))*")
_SINGLE = re.compile(r"'([^']*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')
# a plain word in a flow list: letters and digits, with a few harmless marks after the first
_FLOW_ITEM = re.compile(r"\w[\w .\-/+()]*")
_UNSUPPORTED = re.compile(f"[\t\r\ufeff{LIBYAML_UNSAFE_CHARS}#&*!|>]")
MAX_LINES = 2000  # far above real headers, far below the full parser's node limit
MAX_NESTING = 50  # far above real headers, far below the full parser's depth limit (yamlio.MAX_DEPTH)


class _Bail(Exception):
    """Not the simple subset: the full parser decides."""


def read_simple(text: str, first_line: int) -> tuple[Mapping, list[Duplicate]] | None:
    """The root mapping and its duplicate keys, as the full parser would build them; None when
    the header is not of the simple kind."""
    if _UNSUPPORTED.search(text):
        return None
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        return None
    try:
        return _read(lines, first_line, text.endswith("\n"))
    except _Bail:
        return None


def _read(lines: list[str], first_line: int, trailing_newline: bool) -> tuple[Mapping, list[Duplicate]]:
    end_of_stream = (first_line + len(lines) - 1 if trailing_newline else first_line + len(lines), 1)
    duplicates: list[Duplicate] = []
    # (indent, mapping or block list, the duplicate its key makes, its Python dict or list): a key's
    # duplicate is recorded when its value is complete, as the full parser does, so nested
    # duplicates come first
    stack: _Stack = []
    pending: Scalar | None = None  # a key whose value is a mapping that starts on the next line
    pending_indent = -1
    root: Mapping | None = None
    for number, line in enumerate(lines, first_line):
        match = _KEY_LINE.fullmatch(line)  # first, for speed: most lines are `key: value`
        if match is None:
            if not line.strip(" "):
                continue  # blank lines carry nothing
            item = _ITEM_LINE.fullmatch(line) if line.lstrip(" ")[:1] == "-" else None
            if item is None:
                raise _Bail
            _list_item(stack, item, number, pending, pending_indent, duplicates)
            pending = None
            continue
        spaces, name, value_text = match.groups()
        indent = len(spaces)
        if pending is not None:  # the first key of a nested mapping
            if indent <= pending_indent:
                raise _Bail  # `key:` with nothing under it is null: left to the full parser
            _open(stack, pending, _mapping(number, indent), indent)
            pending = None
        elif root is None:
            if indent != 0:
                raise _Bail
            root = _mapping(number, 0)
            root.converted = {}
            stack.append((0, root, None, root.converted))
        else:
            if indent < stack[-1][0]:
                _close_deeper(stack, indent, number, duplicates)
            if indent != stack[-1][0] or not isinstance(stack[-1][1], Mapping):
                raise _Bail  # deeper without a `key:` before it (a continuation line), or in a list
        key = Scalar(number, indent + 1, number, indent + 1 + len(name), None, name, "", _plain_value(name))
        if value_text is not None:
            value_text = value_text.rstrip(" ")
        if not value_text:  # `key:` alone: a nested mapping must follow
            pending, pending_indent = key, indent
            continue
        _, mapping, _, data = stack[-1]
        assert isinstance(mapping, Mapping) and isinstance(data, dict)
        node, value = _value(value_text, number, match.start(3))
        duplicate = _add(mapping, data, key, node, value)
        if duplicate is not None:
            duplicates.append(duplicate)
    if pending is not None or root is None:
        raise _Bail
    # libyaml closes what is deeper than the spaces that end the text (a last line of only
    # spaces, no newline) where those spaces end, and the rest on the line after
    last = lines[-1]
    tail = len(last) if last and not last.strip(" ") else 0
    for indent, node, duplicate, _ in reversed(stack):
        if indent > tail > 0:
            node.end_line, node.end_column = first_line + len(lines) - 1, tail + 1
        else:
            node.end_line, node.end_column = end_of_stream
        if duplicate is not None:
            duplicates.append(duplicate)
    return root, duplicates


_Stack = list[tuple[int, Mapping | Sequence, Duplicate | None, dict[Any, Any] | list[Any]]]


def _list_item(stack: _Stack, item: re.Match[str], line: int, pending: Scalar | None, pending_indent: int,
               duplicates: list[Duplicate]) -> None:
    """A `- value` line: the first item of a list under the `pending` key, or the next one."""
    indent = len(item[1])
    if pending is not None:
        if indent <= pending_indent:
            raise _Bail  # a list at its key's own indent: left to the full parser
        _open(stack, pending, Sequence(line, indent + 1, line, indent + 1, None, [], False), indent)
    else:
        if not stack:
            raise _Bail  # a list at the top: not a mapping (GRV206 is the full parser's)
        _close_deeper(stack, indent, line, duplicates)
        if indent != stack[-1][0] or not isinstance(stack[-1][1], Sequence):
            raise _Bail
    text = item[2].rstrip(" ")
    if text[0] in "[-" or (text[0] not in "'\"" and ": " in text):
        raise _Bail  # a nested list or mapping, not a one-line value
    _, items, _, data = stack[-1]
    assert isinstance(items, Sequence) and isinstance(data, list)
    node, value = _value(text, line, item.start(2))
    items.items.append(node)
    data.append(value)


def _open(stack: _Stack, key: Scalar, node: Mapping | Sequence, indent: int) -> None:
    """`key:`'s value starts on this line: a nested mapping or list, closed by a later dedent."""
    if len(stack) >= MAX_NESTING:
        raise _Bail  # the full parser reports absurd nesting (a limit error), not a tree
    _, parent, _, data = stack[-1]
    assert isinstance(parent, Mapping) and isinstance(data, dict)
    value: dict[Any, Any] | list[Any] = {} if isinstance(node, Mapping) else []
    stack.append((indent, node, _add(parent, data, key, node, value), value))


def _close_deeper(stack: _Stack, indent: int, line: int,
                  duplicates: list[Duplicate]) -> None:
    """A dedent closes the mappings and lists deeper than `indent` where the next line starts."""
    while indent < stack[-1][0]:
        _, closed, duplicate, _ = stack.pop()
        closed.end_line, closed.end_column = line, indent + 1
        if duplicate is not None:
            duplicates.append(duplicate)
        if not stack:
            raise _Bail


def _mapping(line: int, indent: int) -> Mapping:
    return Mapping(line, indent + 1, line, indent + 1, None, [], False, {})


def _add(mapping: Mapping, data: dict[Any, Any], key: Scalar, value: Node, python: Any) -> Duplicate | None:
    """Add a pair, and its Python value to the mapping's data; the duplicate record when the key is
    already there (the first one wins, in the data too: as to_python, by the keys' values)."""
    index = mapping.index
    assert index is not None
    mapping.pairs.append((key, value))
    if key.resolved not in data:
        data[key.resolved] = python
    first = index.get(key.text)
    if first is None:
        index[key.text] = (key, value)
        return None
    return Duplicate(key.text, first[0], key)


def _value(text: str, line: int, start: int) -> tuple[Node, Any]:
    """The node of a one-line value that starts at column `start` (0-based), and its Python value."""
    first = text[0]
    if first == "'":
        if _SINGLE.fullmatch(text) is None:
            raise _Bail
        inner = text[1:-1]
        return Scalar(line, start + 1, line, start + 1 + len(text), None, inner, "'", inner), inner
    if first == '"':
        if _DOUBLE.fullmatch(text) is None:
            raise _Bail
        inner = text[1:-1]
        return Scalar(line, start + 1, line, start + 1 + len(text), None, inner, '"', inner), inner
    if first == "[":
        return _flow_list(text, line, start)
    if _PLAIN.fullmatch(text) is None:
        raise _Bail
    value = _plain_value(text)
    return Scalar(line, start + 1, line, start + 1 + len(text), None, text, "", value), value


def _flow_list(text: str, line: int, start: int) -> tuple[Sequence, list[Any]]:
    if not text.endswith("]") or text.count("[") != 1 or text.count("]") != 1:
        raise _Bail
    sequence = Sequence(line, start + 1, line, start + 1 + len(text), None, [], True)
    values: list[Any] = []
    inner = text[1:-1]
    if not inner.strip(" "):
        return sequence, values
    offset = start + 1  # 0-based column of the first character inside the brackets
    for part in inner.split(","):
        item = part.strip(" ")
        if not item or _FLOW_ITEM.fullmatch(item) is None:
            raise _Bail  # an empty item or a trailing comma, quotes, indicators: not ours
        column = offset + (len(part) - len(part.lstrip(" ")))
        value = _plain_value(item)
        sequence.items.append(Scalar(line, column + 1, line, column + 1 + len(item), None, item, "", value))
        values.append(value)
        offset += len(part) + 1
    return sequence, values


_PLAIN_VALUES: dict[str, Any] = {}  # text -> resolve_plain(text): the same words on every page


def _plain_value(text: str) -> Any:
    """resolve_plain(text), remembered: `true`, `title`, `news`... repeat on every page, and a
    lookup costs a quarter of resolving (bounded; the values are immutable)."""
    value = _PLAIN_VALUES.get(text, _PLAIN_VALUES)
    if value is _PLAIN_VALUES:
        if len(_PLAIN_VALUES) >= 4096:
            _PLAIN_VALUES.clear()
        value = _PLAIN_VALUES[text] = resolve_plain(text)
    return value
