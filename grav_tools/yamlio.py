"""Frontmatter YAML with positions, read the way Grav reads it.

Grav parses a header with Symfony YAML (strict); when that throws it retries with a copy of
Symfony 2.8 (lenient: the first duplicate key wins, unquoted `@`, `%`, backtick and `a: b: c`
are accepted). We compose ruamel.yaml's C parser events into small nodes of our own (the C
composer is the fast path), resolve plain scalars with Symfony's rules, never construct tags,
and model the lenient fallback by quoting exactly what 2.8 tolerates and parsing again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import _ruamel_yaml
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

_RUAMEL_ERRORS: tuple[type[BaseException], ...]
try:  # the C parser raises ruamel's own error classes
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _RUAMEL_ERRORS = (MarkedYAMLError, YAMLError, _ruamel_yaml.YAMLError)
except ImportError:  # pragma: no cover
    _RUAMEL_ERRORS = (_ruamel_yaml.YAMLError,)

MAX_NODES = 200_000  # a header bigger than this is abuse, not content
# Deeper nesting is abuse too; the composer and to_python recurse once per level, so this also keeps
# them far from Python's recursion limit (10k `[` would otherwise raise RecursionError).
MAX_DEPTH = 200


@dataclass(slots=True, eq=False)
class Node:
    """A YAML node with a 1-based position in the file on disk."""

    line: int
    column: int
    end_line: int
    end_column: int
    tag: str | None


_UNRESOLVED: Any = object()


@dataclass(slots=True, eq=False)
class Scalar(Node):
    text: str
    style: str  # "" plain, "'", '"', "|", ">"
    resolved: Any = _UNRESOLVED  # `value`, worked out once: rules ask for it some 30 times a page

    @property
    def plain(self) -> bool:
        return self.style == ""

    @property
    def value(self) -> Any:
        """The value Symfony YAML gives this scalar."""
        resolved = self.resolved
        if resolved is _UNRESOLVED:
            if self.style or self.tag in ("tag:yaml.org,2002:str", "!!str", "!str"):
                resolved = self.text
            else:
                resolved = resolve_plain(self.text)
            self.resolved = resolved
        return resolved


@dataclass(slots=True, eq=False)
class Mapping(Node):
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    flow: bool = False
    # key text -> (key node, value node) of each first occurrence, filled by the composer: rules
    # look keys up about 40 times per page. None (a mapping built elsewhere): scan the pairs.
    index: dict[str, tuple[Scalar, Node]] | None = None
    # to_python(self), when the reader that built the mapping worked it out on the way (yamlfast,
    # for the root): handed over by the first to_python call, which then owns it
    converted: dict[Any, Any] | None = None

    def get(self, key: str) -> Node | None:
        """The value node Grav uses for `key` (the first occurrence, as Grav's fallback keeps)."""
        if self.index is not None:
            found = self.index.get(key)
            return found[1] if found is not None else None
        for k, v in self.pairs:
            if isinstance(k, Scalar) and k.text == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        if self.index is not None:
            found = self.index.get(key)
            return found[0] if found is not None else None
        for k, _ in self.pairs:
            if isinstance(k, Scalar) and k.text == key:
                return k
        return None


@dataclass(slots=True, eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)
    flow: bool = False


@dataclass(slots=True, eq=False)
class Alias(Node):
    anchor: str
    target: Node | None = None


@dataclass(frozen=True, slots=True)
class YamlError:
    """A parse error at a file position."""

    message: str
    line: int
    column: int
    limit: bool = False  # a size or nesting limit stopped the reading (hostile input, not a typo)


@dataclass(frozen=True, slots=True)
class Duplicate:
    key: str
    first: Scalar
    again: Scalar


@dataclass(frozen=True, slots=True)
class Repair:
    """A spot that strict YAML rejects and Grav's lenient fallback accepts."""

    line: int
    column: int
    reason: str


@dataclass(slots=True)
class Header:
    """The parsed frontmatter and how Grav gets to it.

    strict: Symfony's strict parser would accept it (no fallback needed).
    root: the document as Grav ends up seeing it (None when even the fallback fails).
    """

    root: Node | None
    strict: bool
    error: YamlError | None = None  # why nothing could parse it (GRV202)
    repairs: list[Repair] = field(default_factory=list)  # what only the fallback accepts (GRV203)
    duplicates: list[Duplicate] = field(default_factory=list)
    undefined_aliases: list[Alias] = field(default_factory=list)
    tags: list[Node] = field(default_factory=list)


# --- Symfony scalar resolution ------------------------------------------------------------

_INT = re.compile(r"^[-+]?[0-9]+$")
# `[0-9]+(?:\.[0-9]*)?` is `[0-9]+\.?[0-9]*` without the two ways to split a run of digits, which
# made a date (`2023-01-09`, tried here first) backtrack: 1.1 -> 0.4 µs
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_OCTAL = re.compile(r"^0o[0-7]+$")
_UNDERSCORE_NUMBER = re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]+)?$")
# Tags Symfony's strict parser understands without extra flags; any other tag is an error there.
STRICT_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:float", "tag:yaml.org,2002:binary", "!"})
TIMESTAMP = re.compile(
    r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2}):(?P<S>[0-9]{2})(?:\.(?P<f>[0-9]*))?"
    r"(?:[ \t]*(?P<tz>Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$"
)


class YamlTimestamp(int):
    """An unquoted ISO date: Symfony turns it into a Unix timestamp integer (UTC)."""

    __slots__ = ()


_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _timestamp(match: re.Match[str]) -> int | None:
    """The Unix time of the date, None when it does not exist (as datetime would refuse it)."""
    year, month, day, hour, minute, second = match.group("y", "m", "d", "H", "M", "S")
    try:  # days and seconds by hand, not an aware datetime's timestamp(): 2.6 -> 1.1 µs a date
        days = date(int(year), int(month), int(day)).toordinal() - _EPOCH_DAY
    except ValueError:
        return None
    h, i, s = int(hour or 0), int(minute or 0), int(second or 0)
    if h > 23 or i > 59 or s > 59:
        return None
    seconds = days * 86400 + h * 3600 + i * 60 + s
    tz = match["tz"]
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        hours = int(digits[:-2] or 0) if len(digits) > 2 else int(digits)
        minutes = int(digits[-2:]) if len(digits) > 2 else 0
        seconds -= sign * (hours * 3600 + minutes * 60)
    return seconds


def resolve_plain(text: str) -> Any:
    """What Symfony YAML (Grav) makes of an unquoted scalar. Not YAML 1.1: `yes` stays a string."""
    lower = text.lower()
    if lower in ("", "~", "null"):
        return None
    if lower == "true":
        return True
    if lower == "false":
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            body = text.lstrip("+-")
            if len(body) > 1 and body[0] == "0" and body.isdigit():
                try:
                    value = int(body, 8)  # Symfony 4.4 reads a leading 0 as octal
                except ValueError:
                    return text  # `0618` is no octal number: Symfony keeps the text (checked against PHP)
                return -value if text[0] == "-" else value
            if text == "-0":
                return text  # Symfony keeps "-0" as text
            return float(text) if text[0] == "+" else int(text)
        if "_" in text and _UNDERSCORE_NUMBER.match(text):
            return resolve_plain(text.replace("_", ""))
        if text.startswith("0o") and _OCTAL.match(text):
            return int(text[2:], 8)
        if _HEX.match(text):
            return int(text, 16)
        if lower in (".inf", "+.inf"):
            return float("inf")
        if lower == "-.inf":
            return float("-inf")
        if lower == ".nan":
            return float("inf")  # Symfony really returns INF for .nan (checked against PHP)
        if _FLOAT.match(text):
            return float(text)
        match = TIMESTAMP.match(text)
        if match:
            stamp = _timestamp(match)
            if stamp is not None:
                return YamlTimestamp(stamp)
    return text


# --- composing events into nodes ----------------------------------------------------------


class _Composer:
    """Builds our nodes from ruamel's C parser events, mapping marks to file positions."""

    def __init__(self, text: str, first_line: int, tab_lines: frozenset[int],
                 shifts: dict[int, _Shift] | None = None, restore: dict[int, str] | None = None) -> None:
        self.parser = _ruamel_yaml.CParser(text)
        self.restore = restore
        self.first_line = first_line
        self.tab_lines = tab_lines
        self.shifts = shifts or {}
        self.mapped = bool(tab_lines or shifts)  # positions need more than an offset
        self.anchors: dict[str, Node] = {}
        self.duplicates: list[Duplicate] = []
        self.undefined: list[Alias] = []
        self.tags: list[Node] = []
        self.count = 0
        self.depth = 0
        self.expanded = 0  # nodes the aliases stand for beyond themselves (what PHP would copy)
        self.sizes: dict[str, int] = {}  # anchor -> nodes in the anchored node, aliases expanded

    def pos(self, mark: Any) -> tuple[int, int]:
        line = mark.line + self.first_line
        column = mark.column + 1
        shift = self.shifts.get(line)
        if shift is not None:
            column = shift.original_column(column)
        if line in self.tab_lines and column > 4:
            column -= 3  # Grav turned one tab into four spaces on this line
        return line, column

    def compose(self) -> Node | None:
        parser = self.parser
        parser.get_event()  # StreamStart
        event = parser.get_event()
        if event.__class__ is StreamEndEvent:
            return None
        root = self.node(parser.get_event())  # after DocumentStart
        parser.get_event()  # DocumentEnd
        event = parser.get_event()
        if event.__class__ is not StreamEndEvent:
            line, column = self.pos(event.start_mark)
            raise _Failure(YamlError("a second YAML document starts here", line, column))
        return root

    def node(self, event: Any) -> Node:
        """One node and everything under it (hot path: class identity tests, few calls)."""
        self.count += 1
        if self.count > MAX_NODES:
            line, column = self.pos(event.start_mark)
            raise _Failure(YamlError(f"more than {MAX_NODES} YAML nodes", line, column, limit=True))
        cls = event.__class__
        anchor = event.anchor if cls is not AliasEvent else None
        if anchor:
            before = self.count + self.expanded - 1
        first_line = self.first_line
        start, end = event.start_mark, event.end_mark
        if self.mapped:
            line, column = self.pos(start)
            end_line, end_column = self.pos(end)
        else:
            line, column = start.line + first_line, start.column + 1
            end_line, end_column = end.line + first_line, end.column + 1
        if cls is ScalarEvent:
            tag = event.tag
            written: str = event.value
            if self.restore is not None:
                written = written.translate(self.restore)
                if not event.style:  # PHP's trim() also drops NUL and vertical tab around a plain value
                    written = written.strip(" \t\x00\x0b")
            node: Node = Scalar(line, column, end_line, end_column, tag, written, event.style or "")
            if tag is not None and tag != "!":
                self.tags.append(node)
        elif cls is MappingStartEvent:
            self._enter(line, column)
            tag = event.tag
            seen: dict[str, tuple[Scalar, Node]] = {}
            mapping = Mapping(line, column, line, column, tag, [], bool(event.flow_style), seen)
            pairs = mapping.pairs
            get = self.parser.get_event
            event2 = get()
            while event2.__class__ is not MappingEndEvent:
                key = self.node(event2)
                value = self.node(get())
                if key.__class__ is Scalar:
                    assert isinstance(key, Scalar)
                    text = key.text
                    first = seen.get(text)
                    if first is None:
                        seen[text] = (key, value)
                    else:
                        self.duplicates.append(Duplicate(text, first[0], key))
                pairs.append((key, value))
                event2 = get()
            mapping.end_line, mapping.end_column = self.pos(event2.end_mark)
            self.depth -= 1
            node = mapping
            if tag is not None:
                self.tags.append(node)
        elif cls is SequenceStartEvent:
            self._enter(line, column)
            tag = event.tag
            seq = Sequence(line, column, line, column, tag, [], bool(event.flow_style))
            items = seq.items
            get = self.parser.get_event
            event2 = get()
            while event2.__class__ is not SequenceEndEvent:
                items.append(self.node(event2))
                event2 = get()
            seq.end_line, seq.end_column = self.pos(event2.end_mark)
            self.depth -= 1
            node = seq
            if tag is not None:
                self.tags.append(node)
        elif cls is AliasEvent:
            alias = Alias(line, column, end_line, end_column, None, event.anchor)
            alias.target = self.anchors.get(event.anchor)
            if alias.target is None:
                self.undefined.append(alias)
            self.expanded += self.sizes.get(event.anchor, 1) - 1
            if self.count + self.expanded > MAX_NODES:
                raise _Failure(YamlError(f"the aliases expand to more than {MAX_NODES} YAML nodes "
                                         "(a 'billion laughs' alias bomb)", line, column, limit=True))
            return alias
        else:  # pragma: no cover - the parser yields nothing else here
            raise _Failure(YamlError(f"unexpected YAML event {cls.__name__}", line, column))
        if anchor:
            self.anchors[anchor] = node
            self.sizes[anchor] = self.count + self.expanded - before
        return node

    def _enter(self, line: int, column: int) -> None:
        """One level deeper into a mapping or sequence; refuse absurd nesting before recursing."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Failure(YamlError(f"mappings and lists nested more than {MAX_DEPTH} levels deep",
                                     line, column, limit=True))


class _Failure(Exception):
    def __init__(self, error: YamlError) -> None:
        super().__init__(error.message)
        self.error = error


def _compose(text: str, first_line: int, tab_lines: frozenset[int], shifts: dict[int, _Shift] | None = None,
             restore: dict[int, str] | None = None) -> tuple[Node | None, _Composer]:
    composer = _Composer(text, first_line, tab_lines, shifts, restore)
    try:
        return composer.compose(), composer
    except _Failure:
        raise
    except _RUAMEL_ERRORS as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            line, column = composer.pos(mark)
        else:  # pragma: no cover
            line, column = first_line, 1
        raise _Failure(YamlError(str(problem), line, column)) from None


# --- characters libyaml reads differently from Symfony ----------------------------------------

# libyaml (YAML 1.1) rejects control characters, surrogates and U+FFFE/U+FFFF, and breaks lines at
# NEL, LS and PS; Symfony YAML takes all of them as ordinary characters (checked against PHP). We
# parse a copy where each is replaced by a private-use character that the text does not contain
# (one code point for one, so every column stays right) and put them back in the scalars.
LIBYAML_UNSAFE_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"  # a [] class's inside
_LIBYAML_UNSAFE = re.compile(f"[{LIBYAML_UNSAFE_CHARS}]")


def _protect(text: str) -> tuple[str, dict[int, str] | None]:
    """`text` with what libyaml would misread replaced, and the table that restores it."""
    found = set(_LIBYAML_UNSAFE.findall(text))
    if not found:
        return text, None
    used = set(text)
    spare = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in used)
    swap: dict[int, str] = {}
    restore: dict[int, str] = {}
    for char in sorted(found):
        stand_in = next(spare, None)
        if stand_in is None:  # pragma: no cover - a header using all 6400 private-use characters
            return text, None
        swap[ord(char)] = stand_in
        restore[ord(stand_in)] = char
    return text.translate(swap), restore


# --- the lenient fallback -----------------------------------------------------------------

_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s#'\"][^:#]*?|'[^']*'|\"[^\"]*\"):[ \t]+(?P<value>.*)$")
_SEQ_ITEM = re.compile(r"^(?P<lead>\s*-[ \t]+)(?P<value>[@%`].*)$")


@dataclass(frozen=True, slots=True)
class _Shift:
    """How a lenient repair moved the columns of one line: `value` (at 1-based column `start` of
    the line as written) became a single-quoted scalar at column `new_start`."""

    start: int
    new_start: int
    value: str

    def original_column(self, column: int) -> int:
        """The column on the line as written of a column on the repaired line."""
        if column <= self.new_start:
            return column if column < self.new_start else self.start
        inner = column - self.new_start - 1  # index into the quoted text
        quoted_len = len(self.value) + self.value.count("'")
        if inner > quoted_len:  # after the closing quote (a comment may follow)
            return self.start + len(self.value) + inner - quoted_len - 1
        offset = 0
        for char in self.value:  # undo the doubled quotes
            inner -= 2 if char == "'" else 1
            if inner < 0:
                break
            offset += 1
        return self.start + offset


def _lenient_fix(line_text: str) -> tuple[str, str | None, _Shift] | None:
    """Quote the one thing on a line that Symfony accepts unquoted and ruamel rejects.

    The reason is None when even Symfony's strict parser accepts it (`a: - x` is the string
    "- x" there), else it says why only Grav's lenient fallback accepts it. The shift maps
    columns of the new line back to the line as written.
    """
    match = _KEY_VALUE.match(line_text)
    if match:
        value = match["value"].rstrip()
        if not value or value[0] in "'\"[{|>&*!":
            return None
        comment = ""
        hash_at = value.find(" #")
        if hash_at >= 0:
            value, comment = value[:hash_at].rstrip(), value[hash_at:]
        if value == "-" or value.startswith("- "):
            reason: str | None = None
        elif value[0] in "@`%":
            reason = f"a value starting with '{value[0]}' must be quoted in strict YAML"
        elif ": " in value or value.endswith(":"):
            reason = "a value containing ': ' must be quoted in strict YAML"
        else:
            return None
        quoted = "'" + value.replace("'", "''") + "'"
        start = match.start("value") + 1
        prefix = f"{match['lead']}{match['key']}: "
        shift = _Shift(start, len(prefix) + 1, value)
        return f"{prefix}{quoted}{comment}", reason, shift
    match = _SEQ_ITEM.match(line_text)
    if match:
        value = match["value"].rstrip()
        quoted = "'" + value.replace("'", "''") + "'"
        start = match.start("value") + 1
        shift = _Shift(start, start, value)
        return f"{match['lead']}{quoted}", f"a value starting with '{value[0]}' must be quoted in strict YAML", shift
    return None


def parse_header(text: str, first_line: int = 1, tab_lines: frozenset[int] = frozenset()) -> Header:
    """Parse frontmatter text as Grav does: strict first, then the lenient 2.8 fallback."""
    if not tab_lines:
        from grav_tools.yamlfast import read_simple  # imports this module: here, not at the top

        simple = read_simple(text, first_line)
        if simple is not None:  # the plain headers most pages have, read directly (same nodes)
            simple_root, duplicates = simple
            return Header(simple_root, not duplicates, None, [], duplicates)
    repairs: list[Repair] = []
    lines: list[str] | None = None
    current, restore = _protect(text) if _LIBYAML_UNSAFE.search(text) else (text, None)
    first_error: YamlError | None = None
    shifts: dict[int, _Shift] = {}  # file line -> how its repair moved the columns
    for _attempt in range(50):
        try:
            root, composer = _compose(current, first_line, tab_lines, shifts, restore)
        except _Failure as failure:
            error = failure.error
            if error.limit:  # no lenient repair makes hostile input small or shallow
                return Header(None, False, error, repairs)
            first_error = first_error or error
            if lines is None:
                lines = current.split("\n")
            fixed = None
            # The scanner reports at or just after the offending line; try it and the one before.
            for index in (error.line - first_line, error.line - first_line - 1):
                if 0 <= index < len(lines) and index + first_line not in shifts:
                    fixed = _lenient_fix(lines[index])
                    if fixed is not None:
                        lines[index] = fixed[0]
                        shifts[index + first_line] = fixed[2]
                        if fixed[1] is not None:
                            repairs.append(Repair(index + first_line, 1, fixed[1]))
                        break
            if fixed is None:
                return Header(None, False, first_error, repairs)
            current = "\n".join(lines)
            continue
        header = Header(root, not repairs and not composer.duplicates, None, repairs)
        header.duplicates = composer.duplicates
        header.undefined_aliases = composer.undefined
        header.tags = composer.tags
        for node in composer.tags:
            if node.tag not in STRICT_TAGS:
                header.strict = False
                header.repairs.append(Repair(node.line, node.column, f"the YAML tag '{node.tag}' is "
                                             "not understood by strict YAML in Grav"))
        if composer.undefined:
            alias = composer.undefined[0]
            header.root = None
            header.strict = False
            header.error = YamlError(
                f"'*{alias.anchor}' refers to an anchor that does not exist"
                " (an unquoted value starting with '*' is a YAML alias)",
                alias.line,
                alias.column,
            )
        return header
    return Header(None, False, first_error, repairs)  # pragma: no cover


def to_python(node: Node | None) -> Any:
    """Plain Python data as Grav sees it (first duplicate key wins).

    Aliases share the converted object instead of copying it, so an alias bomb stays small.
    """
    if node.__class__ is Mapping:
        converted = node.converted
        if converted is not None:  # built by yamlfast while reading: 0.025 of 0.47 ms a page saved
            node.converted = None  # the caller owns it: never shared
            return converted
    memo: dict[int, Any] = {}

    def convert(current: Node | None, depth: int) -> Any:
        if current.__class__ is Scalar and depth <= 200:  # most nodes: the cheapest test first
            return current.value  # type: ignore[union-attr,unused-ignore]
        if current is None or depth > 200:
            return None
        if isinstance(current, Alias):
            return convert(current.target, depth + 1)
        if isinstance(current, Scalar):
            return current.value
        done = memo.get(id(current))
        if done is not None:
            return done
        if isinstance(current, Sequence):
            items: list[Any] = []
            memo[id(current)] = items
            items.extend(convert(item, depth + 1) for item in current.items)
            return items
        assert isinstance(current, Mapping)
        result: dict[Any, Any] = {}
        memo[id(current)] = result
        for key, value in current.pairs:
            k = convert(key, depth + 1)
            if isinstance(k, (list, dict)):
                k = bounded_repr(k)  # aliases share objects: a plain repr() could be exponential
            if k not in result:
                result[k] = convert(value, depth + 1)
        return result

    return convert(node, 0)


class _Budget(Exception):
    pass


def bounded_repr(value: Any, limit: int = 200) -> str:
    """repr() of converted YAML data, cut after about `limit` characters.

    The same as repr() for small values; bounded for an alias bomb, where a list shares its
    items so often that the full repr() would be exponentially long.
    """
    if limit > 0 and not isinstance(value, (list, dict)):  # a scalar (`published: true`, every page): show(), directly
        text = _scalar_repr(value, limit)
        return text if len(text) <= limit else text[:limit] + "..."
    parts: list[str] = []
    left = limit

    def emit(text: str) -> None:
        nonlocal left
        if left <= 0:
            raise _Budget
        parts.append(text[:left])
        left -= len(text)

    def show(item: Any, depth: int) -> None:
        if depth > MAX_DEPTH + 2:
            emit("...")
        elif isinstance(item, list):
            emit("[")
            for index, element in enumerate(item):
                if index:
                    emit(", ")
                show(element, depth + 1)
            emit("]")
        elif isinstance(item, dict):
            emit("{")
            for index, (key, element) in enumerate(item.items()):
                if index:
                    emit(", ")
                show(key, depth + 1)
                emit(": ")
                show(element, depth + 1)
            emit("}")
        else:
            emit(_scalar_repr(item, limit))

    try:
        show(value, 0)
    except _Budget:
        pass
    text = "".join(parts)
    return text if left >= 0 else text + "..."


def _scalar_repr(item: Any, limit: int) -> str:
    """repr() of one scalar, a long string cut first. An octal or hex integer of thousands of
    digits (`published: 0777...`) is no error to read, but Python refuses to print an int of more
    than 4300 decimal digits: it is described by its size instead."""
    if isinstance(item, str):
        return repr(item if len(item) <= limit else item[:limit])
    try:
        return repr(item)
    except ValueError:
        if isinstance(item, int):
            return f"<an integer of {item.bit_length()} bits>"
        raise


def walk(node: Node | None) -> Iterator[Node]:
    """Every node under `node`, depth first (aliases are not followed)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Mapping):
            for key, value in reversed(current.pairs):
                stack.append(value)
                stack.append(key)
        elif isinstance(current, Sequence):
            stack.extend(reversed(current.items))
