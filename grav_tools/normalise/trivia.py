"""Comments and blank lines of a header, tied to the key or item they belong to.

The parser drops comments, so we find them in the text ourselves: a `#` at the start of a line or
after a space or tab starts a comment unless it lies inside a quoted or block scalar (whose spans
the parser gives us). A comment on a line of its own belongs to the next key or list item (or, when
it is indented deeper than that entry, to the deeper block above it); a comment after a value
belongs to that value's line. Blank lines are kept the same way, at most one in a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grav_tools.yamlio import Mapping, Node, Scalar, Sequence, walk


@dataclass(slots=True)
class Trivia:
    """Comment and blank lines keyed by id() of the node they travel with."""

    before: dict[int, list[str]] = field(default_factory=dict)  # lines above an entry ("" = blank)
    after: dict[int, list[str]] = field(default_factory=dict)  # lines below an entry's whole block
    eol: dict[int, list[str]] = field(default_factory=dict)  # comments at the end of a node's line
    end: list[str] = field(default_factory=list)  # comments after the last entry
    count: int = 0  # comments found, to check that every one is written out again


@dataclass(frozen=True, slots=True)
class _Entry:
    node: Node  # the key of a pair, or a sequence item
    line: int
    column: int  # 1-based column of the key / item (the dash for block items)
    parent: int  # id() of the mapping or sequence holding it
    owned: int  # id() of the node whose block belongs to this entry (the value, or the item)
    ancestors: frozenset[int]  # id() of every collection it sits in
    first_on_line: bool  # nothing but indentation (or a dash) before it on its line


def _item_start(node: Sequence, item: Node, lines: list[str]) -> tuple[int, int]:
    """Where a sequence item's entry starts: at its dash for block sequences."""
    line, column = item.line, item.column
    if not node.flow and 0 < line <= len(lines):
        lead = lines[line - 1][: column - 1]
        if lead.rstrip().endswith("-"):  # `- item`: the entry starts at its dash
            column = len(lead.rstrip())
        elif not lead.strip():
            above = _dash_above(lines, line)
            if above:  # Admin's `-` alone on a line, the item below it
                line, column = above, lines[above - 1].index("-") + 1
    return line, column


def _entries(root: Node, lines: list[str]) -> list[_Entry]:
    out: list[_Entry] = []

    def first(line: int, column: int, flow: bool) -> bool:
        lead = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
        return not flow and not lead.strip(" -")

    stack: list[tuple[Node, frozenset[int]]] = [(root, frozenset())]
    while stack:
        node, ancestors = stack.pop()
        inside = ancestors | {id(node)}
        if isinstance(node, Mapping):
            for key, value in node.pairs:
                out.append(_Entry(key, key.line, key.column, id(node), id(value), inside,
                                  first(key.line, key.column, node.flow)))
                stack.append((value, inside))
        elif isinstance(node, Sequence):
            for item in node.items:
                line, column = _item_start(node, item, lines)
                out.append(_Entry(item, line, column, id(node), id(item), inside, first(line, column, node.flow)))
                stack.append((item, inside))
    out.sort(key=lambda e: (e.line, e.column))
    return out


def _dash_above(lines: list[str], line: int) -> int:
    """The line of a lone `-` above `line`, past blank and comment lines (0 when there is none)."""
    number = line - 1
    while number >= 1 and (not lines[number - 1].strip() or lines[number - 1].lstrip().startswith("#")):
        number -= 1
    return number if number >= 1 and lines[number - 1].strip() == "-" else 0


def _covered(root: Node, lines: list[str]) -> tuple[set[int], dict[int, list[tuple[int, int]]]]:
    """Lines wholly inside scalars, and the column ranges scalars cover on the other lines."""
    whole: set[int] = set()
    parts: dict[int, list[tuple[int, int]]] = {}
    for node in walk(root):
        if not isinstance(node, Scalar):
            continue
        if node.style in ("|", ">"):
            first_line, first_col = node.line + 1, 1  # the indicator line may hold a comment
        else:
            first_line, first_col = node.line, node.column
        for number in range(first_line, node.end_line + 1):
            start = first_col if number == first_line else 1
            if number == node.end_line:
                end = node.end_column
            else:
                end = len(lines[number - 1]) + 2 if number <= len(lines) else 1
            if start == 1 and end > (len(lines[number - 1]) if number <= len(lines) else 0):
                whole.add(number)
            elif end > start:
                parts.setdefault(number, []).append((start, end))
    return whole, parts


def _comment_at(line: str, ranges: list[tuple[int, int]]) -> int:
    """0-based index of the comment's `#` on a line, or -1."""
    start = 0
    while True:
        index = line.find("#", start)
        if index < 0:
            return -1
        column = index + 1
        if (index == 0 or line[index - 1] in " \t") and not any(a <= column < b for a, b in ranges):
            return index
        start = index + 1


def _eol_owner(number: int, column: int, root: Node) -> Node | None:
    """The node a comment at the end of line `number` belongs to: the one ending last before it."""
    best: Node | None = None
    best_end = -1
    for node in walk(root):
        flow = isinstance(node, (Mapping, Sequence)) and node.flow
        if not (isinstance(node, Scalar) or flow) or node.end_line != number or node.end_column > column:
            continue
        if node.end_column > best_end:
            best, best_end = node, node.end_column
    return best


def collect(text: str, root: Node) -> Trivia:
    """Find every comment and blank line of a parsed header and decide where each one goes."""
    lines = text.split("\n")
    if "#" not in text and all(line.strip() for line in lines):
        return Trivia()  # no comment can start without a `#`, and no line is blank: nothing to keep
    whole, parts = _covered(root, lines)
    entries = _entries(root, lines)
    trivia = Trivia()
    pending_blank = False
    for number, line in enumerate(lines, 1):
        if number in whole:
            continue
        ranges = parts.get(number, [])
        index = _comment_at(line, ranges)
        if index < 0:
            if not line.strip() and not ranges:
                pending_blank = True
            continue
        comment = line[index:].rstrip()
        trivia.count += 1
        if line[:index].strip() or ranges:
            owner = _eol_owner(number, index + 1, root)
            if owner is not None:
                trivia.eol.setdefault(id(owner), []).append(comment)
                continue
        indent = index
        following = next((e for e in entries if e.line > number), None)
        previous = [e for e in entries if e.line < number]
        if following is not None and indent > following.column - 1:
            deeper = next((e for e in reversed(previous) if e.column - 1 <= indent), None)
            if (deeper is not None and deeper.parent != following.parent
                    and deeper.owned not in following.ancestors):  # deeper's block has ended
                trivia.after.setdefault(id(deeper.node), []).append(comment)
                pending_blank = False
                continue
        target = trivia.before.setdefault(id(following.node), []) if following else trivia.end
        if pending_blank and target and target[-1] != "":
            target.append("")  # a blank line between two comments
        target.append(comment)
        pending_blank = False
    _blank_lines(lines, whole, parts, entries, trivia)
    return trivia


def _blank_lines(lines: list[str], whole: set[int], parts: dict[int, list[tuple[int, int]]],
                 entries: list[_Entry], trivia: Trivia) -> None:
    """A blank line directly above an entry (or above its comments) is kept, once."""
    for entry in entries:
        if not entry.first_on_line:
            continue  # inside a flow collection or after a key on the same line
        number = entry.line - 1
        while (number >= 1 and number not in whole and number not in parts
               and lines[number - 1].lstrip().startswith("#")):
            number -= 1
        if number >= 1 and number not in whole and number not in parts and not lines[number - 1].strip():
            target = trivia.before.setdefault(id(entry.node), [])
            if not target or target[0] != "":
                target.insert(0, "")
