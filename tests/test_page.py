"""The frontmatter split must match Grav's MarkdownFile::decode, with true line numbers."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grav_tools.page import _GRAV_SPLIT, _PHP_LTRIM, normalise_newlines, page_name_parts, split_frontmatter


def test_simple_split_keeps_lines() -> None:
    split = split_frontmatter("---\ntitle: A\ndate: x\n---\n\nBody\n")
    assert split.header == "title: A\ndate: x"
    assert (split.header_line, split.close_line) == (2, 4)
    assert split.body == "Body\n"
    assert split.body_line == 6


def test_blank_lines_before_opening_fence_are_allowed() -> None:
    split = split_frontmatter("\n\n---\ntitle: A\n---\nBody")
    assert split.header == "title: A"
    assert split.header_line == 4
    assert split.body_line == 6


@pytest.mark.parametrize(
    ("text", "close_text", "body"),
    [
        ("---\na: 1\n----\nBody", "----", "-\nBody"),
        ("---\na: 1\n--- \nBody", "--- ", " \nBody"),
        ("---\na: 1\n---Body", "---Body", "Body"),
    ],
)
def test_first_line_beginning_with_dashes_closes(text: str, close_text: str, body: str) -> None:
    split = split_frontmatter(text)
    assert split.header == "a: 1"
    assert split.close_text == close_text
    assert split.body == body


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: A\n...\nBody", "---\n---\nBody", "--- \ntitle: A\n---\n", "title: A\n", "---\ntitle: A\n"],
)
def test_no_header_for_what_grav_rejects(text: str) -> None:
    split = split_frontmatter(text)
    assert split.header is None
    assert split.body == text


def test_one_leading_tab_becomes_four_spaces() -> None:
    split = split_frontmatter("---\ntaxonomy:\n\tcategory: blog\n---\n")
    assert split.header == "taxonomy:\n    category: blog"
    assert split.tab_lines == frozenset({3})


def test_newlines_normalised_without_changing_line_count() -> None:
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


@pytest.mark.parametrize(
    ("name", "parts"),
    [("item.md", ("item", None)), ("item.kk.md", ("item", "kk")), ("item.old.kk.md", None), ("x.txt", None)],
)
def test_page_name_parts(name: str, parts: tuple[str, str | None] | None) -> None:
    assert page_name_parts(name) == parts


@given(st.text(alphabet=st.sampled_from(list("-a: \n\t.#'\"x")), max_size=80))
def test_split_never_loses_text(text: str) -> None:
    split = split_frontmatter(text)
    if split.header is None:
        assert split.body == text
    else:
        assert split.body in text
        assert split.body_line >= split.close_line >= split.header_line >= 2


@settings(max_examples=2000)
@example("---\n\n---\nx")
@example("---\n---\n")
@example("---\na\n---")
@example("---\n\n---\n\n---\nb")
@example(" \n\t---\nx\n----\n\n\nbody\n")
@example("---\n\ta\n\tb\n---")
@given(st.text(alphabet=st.sampled_from(list("-a: \n\t\r\0\x0b.x")), max_size=60))
def test_split_is_grav_regex(text: str) -> None:
    """split_frontmatter finds the header with str.find: the same answer as Grav's regex."""
    trimmed = text.lstrip(_PHP_LTRIM)
    match = _GRAV_SPLIT.match(trimmed)
    split = split_frontmatter(text)
    if match is None:
        assert split.header is None and split.body == text
        return
    lead = text.count("\n", 0, len(text) - len(trimmed))
    assert split.header == match.group(1).replace("\n\t", "\n    ")
    assert split.body == match.group(2)
    assert split.body_line == lead + 1 + trimmed.count("\n", 0, match.start(2))
    assert split.close_line == lead + 2 + match.group(1).count("\n") + 1
    assert split.close_text == trimmed[match.end(1) + 1:].split("\n", 1)[0]
