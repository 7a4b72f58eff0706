"""Hypothesis fuzzing of the validate pipeline: arbitrary text and bytes never crash it.

Inputs: any text (including lone surrogates), any bytes (invalid UTF-8, surrogates written with
surrogateescape/surrogatepass, NUL, BOMs, CR/CRLF), "Grav-ish" text glued from the tokens pages
are made of, very long lines, and deep brackets and indentation.

Properties: nothing raises; every position is 1-based and inside the input; the same input
gives the same output. The whole pipeline runs through `check_target` on a real file, and since
check_target turns a crash into a GRV100 "internal error" problem, that message is a failure here.

CI runs a bounded number of examples; `GRAV_FUZZ_EXAMPLES=5000` runs a long session.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grav_tools.config import Config
from grav_tools.dates import describe, read_date, shape_of, swapped_reading
from grav_tools.discover import discover
from grav_tools.lint import check_target, lint
from grav_tools.page import normalise_newlines, split_frontmatter
from grav_tools.rules import PAGE, all_rules
from grav_tools.shortcodes import pair_blocks, scan_tags
from grav_tools.source import decode
from grav_tools.yamlio import Alias, Node, bounded_repr, parse_header, to_python, walk

EXAMPLES = int(os.environ.get("GRAV_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,  # derandomized under CI=true (conftest)
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# --- strategies ------------------------------------------------------------------------------

TOKENS = [
    "---\n", "---", "----", "--- ", "...\n", "\n", "\r\n", "\r", "\t", "    ", "  ", " ", "\ufeff", "\x00",
    "title: ", "date: ", "publish_date: ", "unpublish_date: ", "dateformat: ", "published: ", "visible: ",
    "routable: ", "taxonomy:\n  category: ", "summary:\n  enabled: ", "slug: ", "redirect: ", "media_order: ",
    "&a ", "*a", "<<: *a", "? ", "!!python/object/apply:os.system ", "!!str ", "!!binary ", "!custom ",
    "[", "]", "{", "}", ",", ":", ": ", "'", '"', "|\n  ", ">-\n  ", "- ", "@self.children", "%x", "`x`",
    " # c", "#", "===", "\n===\n",
    "[owl-carousel items=1 loop=true]", "[/owl-carousel]", "[owl-carousel", "[raw]", "[/raw]", "/]", '="',
    "=", "\\[", "\\", "\u201c", "\u201d", "\u00ab", "'true'", "responsive=\"{0:{items:1}}\"",
    "![alt](a.jpg)", "![](../02.other/a.jpg?cropResize=300,200)", "![](images/a.png)", "[t](doc.pdf)",
    "[ref]: a.jpg", "![x][ref]", '<img src="a.jpg">', "\n```\n", "\n~~~\n", "`", "\n    ", "- [x] ",
    "<!-- grav-tools: ignore GRV4 -->", "# grav-tools: ignore-file", "<!-- grav-tools: ignore -->",
    "09-01-2023 10:00", "2023-01-09 10:00", "2023-01-09T10:00:00+06:00", "01/13/2023 5:00 PM", "31.12.2023",
    "9 January 2023", "next monday", "Europe/Berlin", "d-m-Y H:i", "m/d/Y g:i A", "0000-01-01", "@99999999999",
    "yes", "no", "0755", "10:00", "~", "null", "Привет", "日本", "🎉", "\u2028", "\x85", "\x0b",
]

SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ANY_CHAR = st.characters(codec=None)  # every code point, lone surrogates included
ANY_TEXT = st.text(st.one_of(ANY_CHAR, SURROGATES), max_size=300)
GRAVISH = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=60).map("".join)


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Very long lines, deep brackets, deep indentation, long runs of one token."""
    kind = draw(st.sampled_from(["long", "brackets", "braces", "indent", "dashes", "run"]))
    n = draw(st.integers(1, 20_000))
    if kind == "long":
        return "---\ntitle: " + draw(st.sampled_from(["a", "[", "'", ":", "\\", " "])) * n + "\n---\n"
    if kind == "brackets":
        return "---\na: " + "[" * n + "]" * draw(st.integers(0, n)) + "\n---\n" + "[" * n
    if kind == "braces":
        return "---\na: " + "{a: " * n + "}" * draw(st.integers(0, n)) + "\n---\n"
    if kind == "indent":
        depth = min(n, 3000)
        return "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(depth)) + "---\n"
    if kind == "dashes":
        depth = min(n, 3000)
        return "---\na:\n" + "".join(" " * i + "- \n" for i in range(depth)) + "---\n"
    token = draw(st.sampled_from(TOKENS))
    return token * min(n, 200_000 // max(1, len(token)))


TEXTS = st.one_of(ANY_TEXT, GRAVISH, hostile_text())


def _encode(text: str, how: str) -> bytes:
    """The text as bytes; `surrogateescape` only maps U+DC80..U+DCFF back to bytes, so other
    surrogates (which hypothesis also draws) go out as `surrogatepass` would write them."""
    try:
        return text.encode("utf-8", how)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


BYTES = st.one_of(
    st.binary(max_size=2000),
    st.builds(_encode, TEXTS, st.sampled_from(["surrogateescape", "surrogatepass", "replace"])),
    st.builds(lambda prefix, text: prefix + text.encode("utf-8", "surrogatepass"),
              st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\xcf\xf0"]), GRAVISH),
    st.builds(lambda text, cut: text.encode("utf-8", "surrogatepass")[:cut], GRAVISH, st.integers(0, 400)),
)


# --- helpers ----------------------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    return normalise_newlines(text).split("\n")


def node_dump(node: Node | None) -> list[tuple[object, ...]]:
    return [(type(n).__name__, n.line, n.column, n.end_line, n.end_column, n.tag,
             getattr(n, "text", None), getattr(n, "anchor", None)) for n in walk(node)]


def assert_inside(lines: list[str], line: int, column: int, what: object, slack_lines: int = 0) -> None:
    assert line >= 1 and column >= 1, what
    assert line <= len(lines) + slack_lines, (what, len(lines))
    if line <= len(lines):
        assert column <= len(lines[line - 1]) + 2, (what, len(lines[line - 1]))


# --- the frontmatter splitter -----------------------------------------------------------------


@FUZZ
@given(TEXTS)
def test_splitter_never_raises_and_stays_inside(text: str) -> None:
    text = normalise_newlines(text)
    split = split_frontmatter(text)
    assert split_frontmatter(text) == split
    count = len(text.split("\n"))
    if split.header is None:
        assert split.body == text and split.body_line == 1
        return
    assert 2 <= split.header_line < split.close_line <= count
    assert split.header_line <= split.body_line <= count
    assert split.close_text.startswith("---")
    assert all(split.header_line <= line < split.close_line for line in split.tab_lines)


# --- YAML: parse_header / to_python / walk ------------------------------------------------------


@FUZZ
@given(TEXTS, st.integers(1, 5))
def test_parse_header_never_raises_and_positions_are_inside(text: str, first_line: int) -> None:
    text = normalise_newlines(text)
    header = parse_header(text, first_line)
    lines = [""] * (first_line - 1) + text.split("\n")
    if header.error is not None:
        assert header.root is None
        assert_inside(lines, header.error.line, header.error.column, header.error, slack_lines=1)
    for node in walk(header.root):
        assert node.line >= first_line
        # an empty node at the end of the text sits on the next line (the closing fence in a page)
        assert_inside(lines, node.line, node.column, node, slack_lines=1)
        assert (node.end_line, node.end_column) >= (node.line, node.column), node
        assert_inside(lines, node.end_line, node.end_column, node, slack_lines=1)
        if isinstance(node, Alias):
            assert node.target is not None  # an undefined alias is an error, never a root
    for repair in header.repairs:
        assert_inside(lines, repair.line, repair.column, repair)
    data = to_python(header.root)
    bounded_repr(data)
    again = parse_header(text, first_line)
    assert node_dump(again.root) == node_dump(header.root)
    assert (again.error, again.repairs, again.strict) == (header.error, header.repairs, header.strict)
    assert to_python(again.root) == data or data != data  # NaN never appears, but be exact about it


@FUZZ
@given(st.integers(1, 20_000), st.sampled_from(["[", "{a: ", "- ", "{", "? "]))
def test_deep_nesting_is_an_error_not_a_recursion_error(depth: int, opener: str) -> None:
    text = "a: " + opener * depth if opener != "- " else "".join("  " * i + "- " + "\n" for i in range(min(depth, 3000)))
    header = parse_header(text)
    to_python(header.root)
    list(walk(header.root))


# --- dates --------------------------------------------------------------------------------------

FORMATS = st.one_of(st.none(), st.sampled_from(["", "d-m-Y H:i", "m/d/Y g:i A", "Y-m-d", "d.m.Y", "U", "!d/m/Y",
                                                 "D, d M Y H:i:s O", "\\Y", "e T P", "z Y", "|", "+"]),
                    st.text(max_size=12))
DATE_TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["2023", "-", "01", "09", "31", "13", " ", "10", ":", "00", ":60", "T", "Z", "+06:00",
                              ".", "/", "PM", "am", "January", "Mon", "next", "last day of", "+1 week", "@",
                              "99999999999", "0000", "-0001", "UTC", "Europe/Berlin", "Asia/Almaty", "EST",
                              "noon", "midnight", "tomorrow", "ago", "\x00", "\ud800", "\u0660"]),
             max_size=12).map("".join),
    ANY_TEXT.map(lambda t: t[:60]),
)


@FUZZ
@given(DATE_TEXT, FORMATS, st.sampled_from([None, "UTC", "Asia/Almaty", "Europe/Berlin", "America/New_York"]))
def test_dates_never_raise(text: str, fmt: str | None, tz: str | None) -> None:
    reading = read_date(text, fmt, tz=tz)
    assert read_date(text, fmt, tz=tz) == reading
    describe(reading)
    if reading.ok and not reading.now_dependent:
        reading.timestamp(tz)
    shape = shape_of(text)
    assert shape_of(text) == shape
    swapped_reading(text)


# --- shortcodes ---------------------------------------------------------------------------------


@FUZZ
@given(TEXTS, st.integers(1, 40), st.sampled_from([None, ["owl-carousel"], ["owl-carousel", "raw"], ["x"]]))
def test_shortcode_scanner_never_raises_and_stays_inside(body: str, first_line: int, names: list[str] | None) -> None:
    body = normalise_newlines(body)
    tags = scan_tags(body, first_line, names)
    assert scan_tags(body, first_line, names) == tags
    lines = [""] * (first_line - 1) + body.split("\n")
    for tag in tags:
        assert tag.line >= first_line
        assert_inside(lines, tag.line, tag.column, tag)
        assert_inside(lines, tag.end_line, tag.end_column, tag)
        assert body[tag.offset : tag.end_offset] == tag.raw
        for attr in tag.attrs:
            assert_inside(lines, attr.line, attr.column, attr)
    for name in {t.name for t in tags} | {"owl-carousel"}:
        blocks, strays = pair_blocks(tags, name)
        for block in blocks:
            assert block.open in tags and (block.close is None or block.close in tags)
            assert block.close is None or block.close.offset > block.open.offset
        assert all(s in tags and s.closing for s in strays)


# --- bytes --------------------------------------------------------------------------------------


@FUZZ
@given(BYTES)
def test_decode_never_raises(raw: bytes) -> None:
    decoded = decode(raw)
    assert decode(raw) == decoded
    assert isinstance(decoded.text, str)
    if not decoded.utf8:
        raw_lines = raw.split(b"\n")
        assert 1 <= decoded.bad_line <= len(raw_lines)
        assert 1 <= decoded.bad_column <= len(raw_lines[decoded.bad_line - 1]) + 1
    assert (decoded.nul_offset >= 0) == (b"\x00" in raw)


# --- the whole pipeline on a real file ------------------------------------------------------------


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzzsite")
    folder = root / "user" / "pages" / "01.blog" / "01.post"
    folder.mkdir(parents=True)
    for name in ("a.jpg", "b.png", "doc.pdf"):
        (folder / name).write_bytes(b"x")
    (root / "user" / "config").mkdir()
    (root / "user" / "config" / "system.yaml").write_text("languages:\n  supported: [en, ru]\n", encoding="utf-8")
    page = folder / "item.en.md"
    page.write_bytes(b"")
    (folder / "item.ru.md").write_text("---\ntitle: T\ndate: '09-01-2023 10:00'\n---\n", encoding="utf-8")
    return page


def _pipeline(page: Path, raw: bytes) -> list[tuple[object, ...]]:
    page.write_bytes(raw)
    targets = discover([str(page.parents[3])])
    target = next(t for t in targets if t.path.name == page.name)
    rules = tuple(r for r in all_rules() if r.scope == PAGE)
    problems, summary = check_target(target, rules)
    assert summary is not None, problems
    site_wide = lint(targets, Config(), jobs=1).problems  # site rules and suppressions too
    found = [(p.path, p.code, p.line, p.column, p.end_line, p.end_column, p.message) for p in problems]
    return found + [(p.path, p.code, p.line, p.column, p.end_line, p.end_column, p.message) for p in site_wide]


@FUZZ
@given(st.one_of(BYTES, TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_check_target_on_a_file_never_crashes(page_file: Path, raw: bytes) -> None:
    found = _pipeline(page_file, raw)
    decoded = decode(raw)
    text_lines = lines_of(decoded.text)
    raw_lines = raw.split(b"\n")
    for path, code, line, column, end_line, end_column, message in found:
        assert "internal error" not in str(message), message
        if not str(path).endswith("item.en.md"):
            continue
        if code == "GRV101":  # byte positions in the raw file
            assert 1 <= line <= len(raw_lines) and 1 <= column <= len(raw_lines[line - 1]) + 1
            continue
        assert_inside(text_lines, line, column, (code, message))
        assert (end_line, end_column) >= (line, column), (code, message)
        assert_inside(text_lines, end_line, end_column, (code, message))
    assert _pipeline(page_file, raw) == found
