"""YAML as Grav reads it: Symfony scalar rules, the lenient fallback, positions, no tags run."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grav_tools.yamlio import YamlTimestamp, parse_header, resolve_plain, to_python


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("True", True), ("FALSE", False), ("~", None),
        ("Null", None), ("10:00", "10:00"), ("0755", 493), ("12", 12), ("1.5", 1.5), ("0x1F", 31),
        ("2023-01-09", 1673222400), ("2023-01-09 10:00", "2023-01-09 10:00"),
        ("09-01-2023 10:00", "09-01-2023 10:00"),
    ],
)
def test_symfony_plain_scalars(text: str, value: object) -> None:
    assert resolve_plain(text) == value


def test_unquoted_iso_date_is_a_timestamp_marker() -> None:
    assert isinstance(resolve_plain("2023-01-09 10:00:00"), YamlTimestamp)


def test_positions_are_file_positions() -> None:
    header = parse_header("title: A\ndate: '09-01-2023'\n", first_line=2)
    root = header.root
    assert root is not None
    date = root.get("date")  # type: ignore[union-attr]
    assert (date.line, date.column, date.end_column) == (3, 7, 19)


def test_duplicate_key_first_wins() -> None:
    header = parse_header("title: A\ntitle: B\n", 2)
    assert not header.strict
    assert to_python(header.root) == {"title": "A"}
    assert [(d.key, d.again.line) for d in header.duplicates] == [("title", 3)]


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("items: @self.children\n", {"items": "@self.children"}),
        ("title: Note: read this\n", {"title": "Note: read this"}),
        ("a: %x\n", {"a": "%x"}),
        ("- @a\n", ["@a"]),
    ],
)
def test_lenient_fallback(text: str, data: object) -> None:
    header = parse_header(text)
    assert header.root is not None and not header.strict
    assert header.repairs
    assert to_python(header.root) == data


@pytest.mark.parametrize("text", ["title: *bold*\n", "a:\n\t\tb: 1\n", "t: 'x\n", "a: [1\n"])
def test_hard_errors(text: str) -> None:
    header = parse_header(text)
    assert header.root is None and header.error is not None


def test_tags_are_never_constructed() -> None:
    header = parse_header("a: !!python/object/apply:os.system ['echo hi']\n")
    assert header.tags
    assert to_python(header.root) == {"a": ["echo hi"]}


def _laughs(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 9)}]")
    return "\n".join(lines)


def test_aliases_are_shared_not_copied() -> None:
    data = to_python(parse_header(_laughs(5)).root)  # 9**5 values once expanded: still a (silly) header
    assert data["a4"][0] is data["a3"]


def test_alias_bomb_is_refused_before_it_grows() -> None:
    # Symfony parses a 30-level bomb too (PHP arrays are shared), but Grav's page cache serialises
    # the header and runs out of memory: it is reported (GRV202), never expanded
    header = parse_header(_laughs(30))
    assert header.root is None and header.error is not None and header.error.limit
    assert "billion laughs" in header.error.message and header.error.line == 6


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
                       st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20), max_size=6))
def test_quoted_strings_round_trip(data: dict[str, str]) -> None:
    text = "".join(f"{k}: '{v.replace(chr(39), chr(39) * 2)}'\n" for k, v in data.items())
    header = parse_header(text)
    assert header.error is None
    assert to_python(header.root) == (data or None)
