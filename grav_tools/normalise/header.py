"""The canonical header: Admin's layout, Symfony's quoting, the author's comments and values.

We write the header again from the parsed nodes instead of dumping data, so nothing the data does
not hold is lost: comments and blank lines travel with their key (trivia.py), numbers and nulls
keep the exact text the author wrote, block scalars stay block scalars. What changes is what
Admin would change: 4-space indentation, block style for nested maps and lists, strings quoted as
Symfony quotes them, `true`/`false`, the core keys first, the first of two duplicate keys kept
(the one Grav uses). Headers we cannot rewrite faithfully (aliases, merge keys, custom tags, a
document that is not a mapping) raise Unsupported and are left exactly as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grav_tools.normalise.dump import double_quoted, dump_string
from grav_tools.normalise.trivia import Trivia
from grav_tools.yamlio import Alias, Header, Mapping, Node, Scalar, Sequence, parse_header, walk

_STR_TAGS = frozenset({"tag:yaml.org,2002:str", "!!str"})
_NOT_IN_BLOCK = frozenset(chr(c) for c in range(32) if chr(c) not in "\n\t") | {
    "\x7f", "\u0085", "\u2028", "\u2029", "\ufeff"
}


class Unsupported(Exception):
    """The header uses YAML we do not rewrite; it is left exactly as written."""


@dataclass(slots=True)
class Dropped:
    """A duplicate key removed from the header (Grav uses the first one)."""

    key: str
    line: int  # line in the header text
    value: str  # the dropped value, as YAML
    nodes: tuple[Node, Node]  # the dropped key and value (their comments go with them)


@dataclass(slots=True)
class _Out:
    lines: list[str] = field(default_factory=list)
    comments: int = 0
    block_end: int = -1  # len(lines) right after a block scalar's content was written


def check_supported(header: Header) -> None:
    """Raise Unsupported for YAML whose meaning a re-write could not keep."""
    root = header.root
    if not isinstance(root, Mapping):
        raise Unsupported("the header is not a set of key: value pairs")
    for node in walk(root):
        if isinstance(node, Alias):
            raise Unsupported("it uses YAML aliases (*name)")
        if node.tag is not None and node.tag not in _STR_TAGS:
            raise Unsupported(f"it uses the YAML tag {node.tag}")
        if isinstance(node, Mapping):
            for key, _ in node.pairs:
                if not isinstance(key, Scalar) or key.style in ("|", ">") or "\n" in key.text:
                    raise Unsupported("it has a key that is not a simple scalar")
                if key.text == "<<" and key.plain:
                    raise Unsupported("it uses YAML merge keys (<<)")
                if node.flow and key.plain and " " in key.text:
                    # Symfony's inline parser stops a plain key at the first space: Grav reads
                    # `{hero image: x}` as `hero`; writing it out in block style would change that
                    raise Unsupported(f"the key '{key.text}' inside {{...}} is read by Grav as "
                                      f"'{key.text.split(' ')[0]}'; quote it or write it in block style")


def _key_value(key: Scalar) -> Any:
    value = key.value
    return repr(value) if isinstance(value, (list, dict)) else value


class Writer:
    """Writes one header; `replacements` maps id(value node) to the string to write instead."""

    def __init__(self, trivia: Trivia, indent: int, key_order: tuple[str, ...],
                 replacements: dict[int, str], booleans: bool = True, source: list[str] | None = None) -> None:
        self.trivia = trivia
        self.booleans = booleans
        self.source = source  # the header's lines as written: quote-style "keep" copies strings from them
        self.step = indent
        self.key_order = key_order
        self.replacements = replacements
        self.out = _Out()
        self.dropped: list[Dropped] = []

    # -- trivia ----------------------------------------------------------------------------

    def _lines(self, lines: list[str] | None, indent: int, first_child: bool) -> None:
        if not lines:
            return
        for index, text in enumerate(lines):
            if text == "":
                if index == 0 and (first_child or not self.out.lines):
                    continue  # no blank line right under `key:` or at the top of the header
                if self.out.lines and self.out.lines[-1] == "":
                    continue
                if len(self.out.lines) == self.out.block_end:
                    continue  # a blank line here would be read back as part of the block scalar
                self.out.lines.append("")
            else:
                self.out.lines.append(" " * indent + text)
                self.out.comments += 1

    def _eol(self, line: str, *nodes: Node) -> str:
        for node in nodes:
            for comment in self.trivia.eol.get(id(node), ()):
                line += " " + comment
                self.out.comments += 1
        return line

    # -- values ----------------------------------------------------------------------------

    def scalar(self, node: Scalar) -> str | tuple[str, list[str]]:
        """Inline text, or (block indicator, content lines) for a multi-line block scalar."""
        new = self.replacements.get(id(node))
        if new is not None:
            return dump_string(new)
        value = node.value
        if isinstance(value, bool):
            if not self.booleans:
                return node.text  # `True`, `FALSE`: plain, so it reads back as the same boolean
            return "true" if value else "false"
        if not isinstance(value, str):
            return node.text  # numbers, nulls, timestamps outside the date keys: exactly as written
        if node.style in ("|", ">") and "\n" in value and not any(c in _NOT_IN_BLOCK for c in value):
            return _literal(value, self.step)
        if "\n" in value and node.style in ("|", ">"):
            return double_quoted(value)
        return self.string(node, value, key=False)

    def string(self, node: Scalar, value: str, key: bool) -> str:
        """A one-line string as the author wrote it (quote-style "keep"), else as Symfony dumps it."""
        if self.source is not None:
            kept = _as_written(node, value, self.source, key)
            if kept is not None:
                return kept
        return dump_string(value)

    def value(self, prefix: str, node: Node, indent: int, owners: tuple[Node, ...]) -> None:
        """`prefix` is "key:" or "-"; writes the value inline or as a nested block."""
        out = self.out.lines
        if isinstance(node, Scalar):
            text = self.scalar(node)
            if isinstance(text, tuple):
                out.append(self._eol(prefix + " " + text[0], *owners, node))
                pad = " " * (indent + self.step)
                out.extend(pad + line if line else "" for line in text[1])
                self.out.block_end = len(out)
            else:
                out.append(self._eol(prefix + (" " + text if text else ""), *owners, node))
        elif isinstance(node, Mapping) and node.pairs:
            out.append(self._eol(prefix, *owners, node))
            self.mapping(node, indent + self.step)
        elif isinstance(node, Sequence) and node.items:
            out.append(self._eol(prefix, *owners, node))
            self.sequence(node, indent + self.step)
        elif isinstance(node, (Mapping, Sequence)):
            out.append(self._eol(prefix + (" {}" if isinstance(node, Mapping) else " []"), *owners, node))
        else:  # pragma: no cover - check_supported rules out aliases
            raise Unsupported(f"cannot write a {type(node).__name__}")

    def _pairs(self, mapping: Mapping, top: bool) -> list[tuple[Node, Node]]:
        seen: set[Any] = set()
        kept: list[tuple[Node, Node]] = []
        for key, value in mapping.pairs:
            assert isinstance(key, Scalar)
            ident = _key_value(key)
            if ident in seen:
                self.dropped.append(Dropped(key.text, key.line, _describe(value), (key, value)))
                continue
            seen.add(ident)
            kept.append((key, value))
        if top and self.key_order:
            rank = {name: index for index, name in enumerate(self.key_order)}
            first = sorted((p for p in kept if _name(p[0]) in rank), key=lambda p: rank[_name(p[0])])
            kept = first + [p for p in kept if _name(p[0]) not in rank]
        return kept

    def mapping(self, mapping: Mapping, indent: int, top: bool = False) -> None:
        pad = " " * indent
        for index, (key, value) in enumerate(self._pairs(mapping, top)):
            assert isinstance(key, Scalar)
            self._lines(self.trivia.before.get(id(key)), indent, first_child=index == 0 and not top)
            key_text = self.string(key, key.value, key=True) if isinstance(key.value, str) else key.text
            self.value(pad + key_text + ":", value, indent, (key,))
            self._lines(self.trivia.after.get(id(key)), indent, first_child=False)

    def sequence(self, sequence: Sequence, indent: int) -> None:
        pad = " " * indent
        for index, item in enumerate(sequence.items):
            self._lines(self.trivia.before.get(id(item)), indent, first_child=index == 0)
            self.value(pad + "-", item, indent, ())
            self._lines(self.trivia.after.get(id(item)), indent, first_child=False)


def _name(node: Node) -> str:
    return node.text if isinstance(node, Scalar) else ""


def _describe(node: Node) -> str:
    if isinstance(node, Scalar):
        return node.text if node.plain else f"{node.style}{node.text}{node.style}"
    return "a list" if isinstance(node, Sequence) else "a mapping"


def _literal(value: str, step: int) -> tuple[str, list[str]]:
    """A multi-line string as a literal block scalar (`|`, `|-`, `|+`) that reads back exactly."""
    if value.endswith("\n\n") or value == "\n":
        chomp, content = "+", value[:-1]
    elif value.endswith("\n"):
        chomp, content = "", value[:-1]
    else:
        chomp, content = "-", value
    lines = content.split("\n")
    first = next((line for line in lines if line.strip(" ")), "")
    needs_indicator = first.startswith(" ") or any(line and not line.strip(" ") for line in lines)
    return "|" + (str(step) if needs_indicator else "") + chomp, lines


def _as_written(node: Scalar, value: str, source: list[str], key: bool) -> str | None:
    """The scalar's text as written, quotes and all, if it stands on one line and reads back on
    its own (as `k: TEXT` or `TEXT: v`, strict YAML) as exactly the same string; else None."""
    if node.style not in ("", "'", '"') or node.line != node.end_line or not 0 < node.line <= len(source):
        return None
    raw = source[node.line - 1][node.column - 1 : node.end_column - 1]
    if not raw or raw != raw.strip(" \t") or "\t" in raw:
        return None
    parsed = parse_header(f"{raw}: v" if key else f"k: {raw}")
    root = parsed.root
    if not parsed.strict or parsed.repairs or parsed.duplicates or not isinstance(root, Mapping) \
            or len(root.pairs) != 1:
        return None
    back = root.pairs[0][0 if key else 1]
    if not isinstance(back, Scalar) or back.tag is not None or back.style != node.style:
        return None
    return raw if type(back.value) is str and back.value == value else None


def write_header(header: Header, trivia: Trivia, indent: int, key_order: tuple[str, ...],
                 replacements: dict[int, str], booleans: bool = True, quote_style: str = "symfony",
                 source: str | None = None) -> tuple[str, list[Dropped], int]:
    """The canonical header text (no fences), the duplicates dropped, and the comments written.

    `booleans` False writes booleans as the author did (`True`); `quote_style` "keep" (needs
    the header `source` the nodes were parsed from) keeps each one-line string's quoting.
    """
    check_supported(header)
    root = header.root
    assert isinstance(root, Mapping)
    lines_in = source.split("\n") if quote_style == "keep" and source is not None else None
    writer = Writer(trivia, indent, key_order, replacements, booleans, lines_in)
    writer.mapping(root, 0, top=True)
    writer._lines(trivia.end, 0, first_child=False)
    lines = writer.out.lines
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines), writer.dropped, writer.out.comments
