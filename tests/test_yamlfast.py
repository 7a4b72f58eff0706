"""The direct reader for simple headers must build exactly the nodes the full parser builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, need_shared
from hypothesis import given, settings
from hypothesis import strategies as st

import grav_tools.yamlfast as yamlfast
from grav_tools.page import normalise_newlines, split_frontmatter
from grav_tools.source import decode
from grav_tools.yamlio import Alias, Header, Mapping, Node, Scalar, Sequence, parse_header, to_python


def _shape(node: Node | None) -> object:
    """Everything a rule can see of a node tree, as plain tuples."""
    if node is None:
        return None
    base = (type(node).__name__, node.line, node.column, node.end_line, node.end_column, node.tag)
    if isinstance(node, Scalar):
        return base + (node.text, node.style, repr(node.value))
    if isinstance(node, Mapping):
        index = sorted((k, (_shape(a), _shape(b))) for k, (a, b) in (node.index or {}).items())
        return base + (node.flow, tuple((_shape(k), _shape(v)) for k, v in node.pairs), tuple(index))
    if isinstance(node, Sequence):
        return base + (node.flow, tuple(_shape(i) for i in node.items))
    assert isinstance(node, Alias)
    return base + (node.anchor,)


def _header_shape(header: Header) -> object:
    # to_python first: a root from the fast reader hands over the data it built while reading
    return (repr(to_python(header.root)), _shape(header.root), header.strict, header.error, [(r.line, r.column, r.reason) for r in header.repairs],
            [(d.key, _shape(d.first), _shape(d.again)) for d in header.duplicates], len(header.undefined_aliases),
            len(header.tags))


def _both(text: str, first_line: int = 2) -> tuple[Header | None, Header]:
    """(what the fast reader gives, or None when it declines; what the full parser gives)."""
    fast = parse_header(text, first_line) if yamlfast.read_simple(text, first_line) is not None else None
    original = yamlfast.read_simple
    yamlfast.read_simple = lambda *args: None  # type: ignore[assignment]
    try:
        full = parse_header(text, first_line)
    finally:
        yamlfast.read_simple = original
    return fast, full


def _headers(folder: Path) -> list[tuple[str, int]]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        decoded = decode(path.read_bytes())
        if decoded.utf8:
            split = split_frontmatter(normalise_newlines(decoded.text))
            if split.header is not None:
                found.append((split.header, split.header_line))
    return found


def test_every_corpus_header_it_reads_matches_the_full_parser() -> None:
    headers = _headers(need_shared(CORPUS)) + _headers(ROOT / "examples")
    taken = 0
    for text, line in headers:
        fast, full = _both(text, line)
        if fast is not None:
            taken += 1
            assert _header_shape(fast) == _header_shape(full), text
    assert taken > len(headers) // 2  # it is worth having: most real headers are simple


@pytest.mark.parametrize("text", [
    "title: A # a comment",          # comments
    "title: A\n\tdate: x",             # tabs
    "tags:\n- a\n- b",                 # a block list at its key's own indent
    "tags:\n  - a: 1",                 # a mapping in a list
    "tags:\n  - - a",                  # a list in a list
    "tags:\n  -",                      # an empty item
    "tags:\n  - [a]",                  # a flow list in a list
    "tags:\n  - a\n  b: 1",            # a key where the next item should be
    "- a\n- b",                        # a list at the top
    "a: &x 1\nb: *x",                  # anchors and aliases
    "title: A\n  continued",           # a multi-line plain scalar
    "a:\nb: 1",                        # a null value
    "a: 'it''s'",                      # escaped quotes
    'a: "line\\n"',                    # escapes
    "a: {b: 1}",                       # flow mappings
    "a: [x, [y]]",                     # nested flow
    "a: [x,]",                         # trailing comma
    "a: b: c",                         # what only Grav's fallback reads
    "a: @self.children",               # the same
    "a:\n    b: 1\n  c: 2",            # a dedent to a level that does not exist
    " a: 1",                           # an indented root
    "a: 1\n---\nb: 2",                 # a second document
    "",                                # nothing
    "\n".join(" " * i + f"k{i}:" for i in range(250)) + "\n" + " " * 250 + "x: 1",  # the full parser's depth limit
])
def test_anything_else_goes_to_the_full_parser(text: str) -> None:
    assert yamlfast.read_simple(text, 1) is None


_word = st.text(alphabet=st.sampled_from(list("abcxyzАБВгдеқ019 .,-_/:+()'\"#[]{}@%&*!|>?`~=")), min_size=0,
                max_size=12)
_key = st.sampled_from(["title", "date", "published", "taxonomy", "category", "tag", "slug", "a", "b_c", "x-y"])


@st.composite
def _simple_ish(draw: st.DrawFn) -> str:
    """Headers near the simple subset: many are in it, many step just outside."""
    lines = []
    indent = 0
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["plain", "single", "double", "flow", "nested", "blank", "dedent", "list"]))
        pad = " " * indent
        key = draw(_key)
        if kind == "plain":
            lines.append(f"{pad}{key}: {draw(_word)}")
        elif kind == "single":
            lines.append(f"{pad}{key}: '{draw(_word)}'")
        elif kind == "double":
            lines.append(f'{pad}{key}: "{draw(_word)}"')
        elif kind == "flow":
            items = draw(st.lists(_word, max_size=4))
            lines.append(f"{pad}{key}: [{', '.join(items)}]")
        elif kind == "nested":
            lines.append(f"{pad}{key}:")
            indent += draw(st.sampled_from([2, 4]))
        elif kind == "list":  # `key:` then items, indented or not, some of them not one-line values
            lines.append(f"{pad}{key}:")
            item_pad = pad + " " * draw(st.sampled_from([0, 1, 2, 4]))
            for _ in range(draw(st.integers(1, 3))):
                quote = draw(st.sampled_from(["", "", "'", '"']))
                gap = draw(st.sampled_from([" ", " ", "  "]))
                lines.append(f"{item_pad}-{gap}{quote}{draw(_word)}{quote}")
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "  "])))
        else:
            indent = max(0, indent - draw(st.sampled_from([2, 4])))
    text = "\n".join(lines)
    return text + draw(st.sampled_from(["", "\n", "\n\n", " ", "  ", "   ", "     ", "\n  ", "\n\n    "]))


@settings(max_examples=400, deadline=None)
@given(_simple_ish(), st.integers(1, 5))
def test_generated_headers_read_the_same_both_ways(text: str, first_line: int) -> None:
    fast, full = _both(text, first_line)
    if fast is not None:
        assert _header_shape(fast) == _header_shape(full)


@pytest.mark.parametrize("text", [
    "title: ''\ntitle:\n  title: ''\n  title: 0",  # nested duplicates are recorded first
    "title:\n    title: ''\n   ",  # trailing spaces shallower than the nested mapping end it there
    "a:\n  b:\n    c: 1\n ",
    "title: [0?]",  # not a plain word in a flow list: libyaml rejects it
])
def test_cases_hypothesis_found(text: str) -> None:
    fast, full = _both(text, 1)
    if fast is not None:
        assert _header_shape(fast) == _header_shape(full)


def test_duplicate_keys_are_recorded_like_the_full_parser() -> None:
    fast, full = _both("title: A\ndate: '01-02-2023 10:00'\ntitle: B\n")
    assert fast is not None and not fast.strict and [d.key for d in fast.duplicates] == ["title"]
    assert _header_shape(fast) == _header_shape(full)


_line = st.text(alphabet=st.sampled_from(list("ab:- '\"[],#\t")), max_size=10)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_line, max_size=6), st.integers(1, 3))
def test_any_text_is_read_or_declined_never_a_crash(lines: list[str], first_line: int) -> None:
    """An optimisation may decline; it must not fail a page that the full parser would read."""
    text = "\n".join(lines)
    fast, full = _both(text, first_line)
    if fast is not None:
        assert _header_shape(fast) == _header_shape(full)
