"""grav_tools.shortcodes: RegularParser semantics (fact sheet §4.2), positions, pairing, Markdown
context, owl-carousel options (§4.3, §7 items 15-16) and the real corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grav_tools.shortcodes import (
    OWL_NO_EFFECT,
    OWL_OPTIONS,
    Attr,
    Block,
    Tag,
    check_option_value,
    pair_blocks,
    plugin_value,
    scan_tags,
    suggest_option,
)

OWL = ["owl-carousel"]
CORPUS_GRAV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "grav"


def one(body: str, names: list[str] | None = OWL) -> Tag:
    tags = scan_tags(body, 1, names)
    assert len(tags) == 1, tags
    return tags[0]


def owl(attrs: str) -> Tag:
    return one(f"[owl-carousel {attrs}]")


# ---------------------------------------------------------------------------------------------
# Fact sheet §4.2, column R (RegularParser, shortcode-core 5.x default)


def test_unquoted_values_are_strings() -> None:
    t = owl("items=1 loop=true")
    assert t.parsed and t.params == {"items": "1", "loop": "true"}
    assert [a.quote for a in t.attrs] == ["", ""]
    assert t.defects == ()


def test_double_quoted_value() -> None:
    t = owl('class="gallery-owl"')
    assert t.params == {"class": "gallery-owl"}
    assert t.attrs[0].quote == '"'


def test_single_quotes_do_not_delimit() -> None:
    t = owl("class='a b'")
    assert t.parsed
    assert t.params == {"class": "'a", "b'": None}
    assert t.attrs[0].quote == "'"
    assert any("single quotes do not delimit values" in d and "class='a b'" in d and "b'" in d for d in t.defects)


def test_single_quoted_word_keeps_its_quotes() -> None:
    t = owl("class='a'")
    assert t.params == {"class": "'a'"}
    assert any("single quotes" in d for d in t.defects)


def test_unquoted_value_with_space_is_a_value_and_a_flag() -> None:
    t = owl("class=a b")
    assert t.parsed and t.params == {"class": "a", "b": None}


def test_flag_without_value() -> None:
    t = owl("loop")
    assert t.params == {"loop": None}
    assert t.attrs[0].value is None and t.attrs[0].quote == ""


def test_unquoted_slash_drops_the_tag() -> None:
    t = owl("url=http://x/y")
    assert not t.parsed
    assert t.raw == "[owl-carousel url=http://x/y]"
    assert any("unquoted value with '/'" in d and "url=http://x/y" in d for d in t.defects)
    assert t.params == {"url": "http://x/y"}  # what the author meant


def test_unquoted_value_ending_in_slash_makes_a_self_closing_tag() -> None:
    t = one("[owl-carousel a=b/]")
    assert t.parsed and t.self_closing and t.params == {"a": "b"}
    assert any("self-closing" in d for d in t.defects)


def test_empty_unquoted_value_drops_the_tag() -> None:
    t = owl("items=")
    assert not t.parsed
    assert "empty value `items=` makes the parser drop the whole tag" in t.defects
    t = owl("items= loop=true")
    assert not t.parsed
    assert any(d.startswith("empty value `items=`") for d in t.defects)
    assert t.params == {"items": "", "loop": "true"}


def test_empty_double_quoted_value() -> None:
    t = owl('class=""')
    assert t.parsed and t.params == {"class": ""}


def test_backslash_escaped_quotes() -> None:
    t = owl('title="say \\"hi\\""')
    assert not t.parsed
    assert any('\\"' in d for d in t.defects)
    t = owl('title="a \\"b"')  # parsed by R, but the value keeps the backslash
    assert t.parsed and t.params == {"title": 'a \\"b'}
    assert any("keeps the backslash" in d for d in t.defects)


def test_bracket_inside_a_value_parses_but_breaks_block_detection() -> None:
    t = owl('title="a]b"')
    assert t.parsed and t.params == {"title": "a]b"}
    assert t.alone_on_line and not t.md_block
    assert any("']' inside a value" in d for d in t.defects)


def test_param_names_with_dash_and_underscore() -> None:
    assert owl("data-x=1 a_b=2").params == {"data-x": "1", "a_b": "2"}


def test_duplicate_params_last_wins() -> None:
    t = owl("items=1 items=2")
    assert t.params == {"items": "2"}
    assert len(t.attrs) == 2
    assert any("duplicate parameter items" in d for d in t.defects)


def test_unicode_names_and_values() -> None:
    assert owl('тест="значение" é=ü').params == {"тест": "значение", "é": "ü"}


def test_typographic_quotes_are_part_of_the_value() -> None:
    t = owl("title=\u201cx\u201d")
    assert t.parsed and t.params == {"title": "\u201cx\u201d"}
    assert t.attrs[0].quote == "\u201c"
    assert any("typographic quotes are part of the value" in d for d in t.defects)
    t = owl("title=\u201ca b\u201d")
    assert t.params == {"title": "\u201ca", "b\u201d": None}


def test_spaces_around_equals() -> None:
    assert owl("items = 1 loop =true margin= 3").params == {"items": "1", "loop": "true", "margin": "3"}


def test_tag_split_over_lines_is_parsed_with_positions() -> None:
    body = "intro\n[owl-carousel\n  items=1\n  loop=true]\n"
    t = one(body)
    assert t.parsed and t.params == {"items": "1", "loop": "true"}
    assert (t.line, t.column, t.end_line, t.end_column) == (2, 1, 4, 13)
    assert (t.attrs[1].line, t.attrs[1].column) == (4, 3)
    assert not t.alone_on_line and not t.md_block
    assert any("spans lines 2-4" in d for d in t.defects)


def test_names_are_case_sensitive() -> None:
    assert scan_tags("[OWL-CAROUSEL items=1]", 1, OWL) == []
    assert one("[OWL-CAROUSEL items=1]", None).name == "OWL-CAROUSEL"


def test_unknown_name() -> None:
    assert scan_tags("[gallery]\n", 1, OWL) == []
    t = one("[gallery]\n", None)
    assert t.name == "gallery" and t.parsed


def test_unclosed_opener_is_self_closing_and_the_next_close_goes_to_the_innermost() -> None:
    body = "[owl-carousel items=1]\n![](a.jpg)\n\n[owl-carousel items=2]\n![](b.jpg)\n[/owl-carousel]\n"
    blocks, strays = pair_blocks(scan_tags(body, 1, OWL), "owl-carousel")
    assert strays == []
    assert [(b.open.line, b.close.line if b.close else None) for b in blocks] == [(1, None), (4, 6)]
    assert blocks[0].unclosed and blocks[0].content_lines == ()
    assert blocks[1].closed and blocks[1].content_lines == (5,)
    assert blocks[1].parent is None  # the unclosed one encloses nothing


def test_nested_same_name() -> None:
    body = "[owl-carousel]\na\n[owl-carousel]\nb\n[/owl-carousel]\nc\n[/owl-carousel]"
    blocks, strays = pair_blocks(scan_tags(body, 1, OWL), "owl-carousel")
    outer, inner = blocks
    assert (outer.open.line, outer.close and outer.close.line) == (1, 7)
    assert (inner.open.line, inner.close and inner.close.line) == (3, 5)
    assert inner.parent is outer and outer.parent is None
    assert outer.content_lines == (2, 3, 4, 5, 6) and inner.content_lines == (4,)
    assert strays == []


def test_closing_tag_with_params_is_not_a_closing_tag() -> None:
    body = "[owl-carousel]\nx\n[/owl-carousel a=1]"
    tags = scan_tags(body, 1, OWL)
    close = tags[1]
    assert close.closing and not close.parsed
    assert any("closing tag cannot have parameters" in d for d in close.defects)
    blocks, strays = pair_blocks(tags, "owl-carousel")
    assert blocks[0].unclosed and strays == []


def test_markdown_link_is_not_a_shortcode() -> None:
    # RegularParser alone would read `[owl-carousel]` here, but Parsedown makes it a link first.
    t = one("see [owl-carousel](http://example.com) here")
    assert t.parsed and t.md_link
    assert pair_blocks([t], "owl-carousel") == ([], [])
    assert scan_tags("see [owl-carousel](http://example.com) here") == []


def test_no_double_bracket_escape() -> None:
    tags = scan_tags("[[x a=1]]y[[/x]]", 1, None)
    assert [(t.raw, t.column) for t in tags] == [("[x a=1]", 2), ("[/x]", 12)]
    blocks, _ = pair_blocks(tags, "x")
    assert blocks[0].close is tags[1]


def test_stray_closing_tag() -> None:
    body = "text\n[/owl-carousel]\n[owl-carousel]\n![](a.jpg)\n[/owl-carousel]\n[/owl-carousel]\n"
    tags = scan_tags(body, 10, OWL)
    blocks, strays = pair_blocks(tags, "owl-carousel")
    assert [s.line for s in strays] == [11, 15]
    assert len(blocks) == 1 and blocks[0].content_lines == (13,)


def test_crossing_names_resolve_like_regular_parser() -> None:
    # [/gallery] closes gallery and leaves owl-carousel (opened inside it) self-closing;
    # the later [/owl-carousel] has nothing left to close.
    body = "[gallery]\n[owl-carousel]\nx\n[/gallery]\n[/owl-carousel]\n"
    blocks, strays = pair_blocks(scan_tags(body), "owl-carousel")
    assert blocks[0].unclosed and [s.line for s in strays] == [5]
    # with only owl-carousel scanned, the other name cannot interfere
    blocks, strays = pair_blocks(scan_tags(body, 1, OWL), "owl-carousel")
    assert blocks[0].closed and strays == []


def test_self_closing_owl() -> None:
    t = one("[owl-carousel items=1 /]")
    assert t.self_closing
    blocks, strays = pair_blocks([t], "owl-carousel")
    assert blocks[0].close is None and not blocks[0].unclosed and strays == []


def test_bbcode_value() -> None:
    t = one("[version=15,16]", None)
    assert t.bbcode == "15,16" and t.params == {}


def test_quoted_value_swallows_tags() -> None:
    tags = scan_tags('[notice title="[owl-carousel]"]\n', 1, None)
    assert [t.name for t in tags] == ["notice"]


# ---------------------------------------------------------------------------------------------
# Positions


def test_positions_with_first_line_offset_and_unicode() -> None:
    body = "Привет, мир\n\nТекст «кавычки» [owl-carousel class=\"g\" items=1]\n![](a.jpg)\n[/owl-carousel]\n"
    tags = scan_tags(body, first_line=7, names=OWL)
    open_, close = tags
    assert (open_.line, open_.column) == (9, 17)
    assert open_.end_line == 9 and open_.end_column == 17 + len(open_.raw)
    assert (close.line, close.column, close.end_column) == (11, 1, 16)
    cls, items = open_.attrs
    assert (cls.name, cls.line, cls.column, cls.end_column) == ("class", 9, 31, 40)
    assert (items.line, items.column, items.end_column) == (9, 41, 48)
    assert body[open_.offset : open_.end_offset] == open_.raw


def test_attr_is_a_value_with_equality_and_hash() -> None:
    """Not frozen (for speed), but compared and hashed by value like one."""
    a = owl("items=1").attrs[0]
    assert a == Attr("items", "1", "", 1, 15, 1, 22)
    assert hash(a) == hash(Attr("items", "1", "", 1, 15, 1, 22)) and len({a, Attr("items", "1", "", 1, 15, 1, 22)}) == 1
    with pytest.raises(AttributeError):
        a.nickname = "x"  # type: ignore[attr-defined]  # slots: no stray attributes


def test_alone_on_line() -> None:
    t = one("   [owl-carousel items=1]  \n")
    assert t.alone_on_line and t.md_block
    t = one("Look: [owl-carousel items=1] here\n")
    assert not t.alone_on_line and not t.md_block
    t = one("[ owl-carousel items=1]\n")  # the parser accepts it, the block regex does not
    assert t.parsed and t.alone_on_line and not t.md_block
    assert any("whitespace after '['" in d for d in t.defects)
    tags = scan_tags("[owl-carousel][/owl-carousel]\n", 1, OWL)
    assert [t.alone_on_line for t in tags] == [False, False]


# ---------------------------------------------------------------------------------------------
# Markdown context


def test_fenced_code_backticks_and_tildes() -> None:
    body = "a\n\n```md\n[owl-carousel]\n```\n\n~~~~\n[/owl-carousel]\n~~~~\n[owl-carousel]\n"
    tags = scan_tags(body, 1, OWL)
    assert [(t.line, t.in_code) for t in tags] == [(4, True), (8, True), (10, False)]
    # shortcodes still run in code: the fenced tags pair with each other
    blocks, strays = pair_blocks(tags, "owl-carousel")
    assert blocks[0].closed and blocks[1].unclosed and strays == []


def test_unterminated_fence_runs_to_the_end() -> None:
    tags = scan_tags("```\n[owl-carousel]\n\n[/owl-carousel]\n", 1, OWL)
    assert all(t.in_code for t in tags)


def test_indented_code() -> None:
    body = "Para\n\n    [owl-carousel items=1]\n\tx\n\nPara\n    [owl-carousel items=2]\n"
    tags = scan_tags(body, 1, OWL)
    assert [(t.line, t.in_code) for t in tags] == [(3, True), (7, False)]
    assert tags[1].md_block  # an indented line continuing a paragraph is not code


def test_indented_list_content_is_not_code() -> None:
    body = "- item\n\n    [owl-carousel items=1]\n"
    assert not one(body).in_code


def test_inline_code() -> None:
    body = "Write `[owl-carousel items=1]` then ``a`[/owl-carousel]``.\n\n[owl-carousel]\n"
    tags = scan_tags(body, 1, OWL)
    assert [t.in_code for t in tags] == [True, True, False]
    assert not one("An \\`escaped tick [owl-carousel]`\n").in_code


def test_backslash_does_not_escape_a_shortcode_in_markdown() -> None:
    t = one("\\[owl-carousel items=1]\n")
    assert t.parsed and any("backslash does not escape" in d for d in t.defects)
    # `\\[` leaves `\[` in the HTML, which the lexer reads as an escaped character: no tag
    assert scan_tags("\\\\[owl-carousel]\n", 1, OWL) == []


def test_markdown_links_images_refs_footnotes_tasks_are_not_shortcodes() -> None:
    body = (
        "A [link](http://example.com/x) and ![alt text](photo.jpg \"t\") and [ref link][r] and [r].\n"
        "Footnote[^1] and [^note].\n\n"
        "- [ ] open task\n- [x] done task\n* [X] done too\n\n"
        "[r]: http://example.com\n[^1]: footnote text\n"
    )
    assert scan_tags(body) == []


def test_plain_bracketed_words_are_what_the_parser_sees() -> None:
    # RegularParser parses any [name] (unknown ones stay literal); with names=None we report them
    assert [t.name for t in scan_tags("see [note] and [/note]")] == ["note", "note"]
    # a rejected bracket without `name=` is not reported as a shortcode attempt
    assert scan_tags("path [a/b/c] and [x y") == []
    assert [t.parsed for t in scan_tags("[see url=http://x/y]")] == [False]


def test_names_filter_and_fast_path() -> None:
    body = "[notice]x[/notice] [owl-carousel] [/owl-carousel]"
    assert {t.name for t in scan_tags(body, 1, OWL)} == {"owl-carousel"}
    assert {t.name for t in scan_tags(body, 1, ["notice", "owl-carousel"])} == {"notice", "owl-carousel"}
    assert scan_tags("no shortcodes here [x](y)", 1, OWL) == []
    assert scan_tags("", 1, OWL) == [] and scan_tags("", 1, None) == []
    assert scan_tags("[owl-carousel]", 1, []) == []
    assert scan_tags("[owl-carouselX] [owl-carousel.x]", 1, OWL) == []


def test_missing_closing_bracket() -> None:
    body = "[owl-carousel items=1 loop=true\n![](a.jpg)\n[/owl-carousel]\n"
    open_, close = scan_tags(body, 1, OWL)
    assert not open_.parsed and open_.raw == "[owl-carousel items=1 loop=true"
    assert any("not closed with ']'" in d for d in open_.defects)
    assert close.parsed
    assert pair_blocks([open_, close], "owl-carousel") == ([], [close])


# ---------------------------------------------------------------------------------------------
# owl-carousel options


def test_owl_options_cover_the_fact_sheet_list() -> None:
    listed = (
        "items margin loop center mouseDrag touchDrag pullDrag freeDrag stagePadding merge mergeFit autoWidth "
        "startPosition URLhashListener nav rewind navText navElement slideBy dots dotsEach lazyLoad autoplay "
        "autoplayTimeout autoplayHoverPause smartSpeed fluidSpeed autoplaySpeed navSpeed dotsSpeed dragEndSpeed "
        "responsive responsiveRefreshRate responsiveBaseElement video videoHeight videoWidth animateOut animateIn "
        "fallbackEasing info nestedItemSelector itemElement stageElement navContainer dotsContainer animate class"
    ).split()
    for name in listed:
        assert name in OWL_OPTIONS, name
    assert set(OWL_OPTIONS.values()) <= {"int", "bool", "number", "string", "json", "any"}
    # the README's `dotData` and `callbacks` are not Owl 2.2.0 options (the source has `dotsData`)
    assert "dotData" not in OWL_OPTIONS and "callbacks" not in OWL_OPTIONS
    assert OWL_OPTIONS["animate"] == "bool" and OWL_OPTIONS["class"] == "string"
    assert set(OWL_NO_EFFECT) == {"class", "lazyLoad"}


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("autoPlay", "autoplay"),
        ("autoplay ", "autoplay"),
        ("autoplya", "autoplay"),
        ("lazyload", "lazyLoad"),
        ("lazy-load", "lazyLoad"),
        ("urlHashListener", "URLhashListener"),
        ("dotData", "dotsData"),
        ("itmes", "items"),
        ("autoplay", None),
        ("zzzz", None),
    ],
)
def test_suggest_option(written: str, meant: str | None) -> None:
    assert suggest_option(written) == meant


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("items", "1", None),
        ("items", "007", None),
        ("items", "one", "items expects a whole number, got 'one'"),
        ("items", "1.5", "items expects a whole number"),
        ("items", None, "items has no value"),
        ("margin", "10", None),
        ("margin", "10px", "margin expects a number, got '10px'"),
        ("loop", "true", None),
        ("loop", "false", None),
        ("loop", "True", "loop expects true or false, got 'True'"),
        ("loop", "yes", "loop expects true or false"),
        ("loop", None, "treats as false"),
        ("autoplayTimeout", "5000", None),
        ("autoplayTimeout", "5s", "autoplayTimeout expects a whole number"),
        ("responsive", "{0:{items:1},600:{items:3}}", None),
        ("responsive", "{0:{itmes:1}}", "did you mean items?"),
        ("responsive", "{0:{items:1.5}}", "not valid JSON"),
        ("navText", "prev,next", "expects an array"),
        ("slideBy", "page", None),
        ("slideBy", "x", "slideBy expects a whole number or \"page\""),
        ("autoplaySpeed", "false", None),
        ("autoplaySpeed", "fast", "number or false"),
        ("class", "gallery-owl", None),
        ("notAnOption", "x", None),
    ],
)
def test_check_option_value(name: str, value: str | None, problem: str | None) -> None:
    got = check_option_value(name, value)
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


def test_plugin_value_is_json_numeric_check() -> None:
    assert plugin_value("true") is True and plugin_value("false") is False and plugin_value(None) is None
    assert plugin_value("007") == 7 and plugin_value("1.5") == 1.5 and plugin_value("1e3") == 1000.0
    assert plugin_value("0x1A") == "0x1A" and plugin_value("10px") == "10px" and plugin_value("True") == "True"


def test_hemcenter_attributes_are_clean() -> None:
    t = owl('class="gallery-owl" items=1 margin=10 loop=true autoplay=false lazyLoad=true')
    assert t.parsed and t.md_block and t.defects == ()
    for a in t.attrs:
        assert a.name in OWL_OPTIONS and check_option_value(a.name, a.value) is None


# ---------------------------------------------------------------------------------------------
# Real content


def _body(text: str) -> tuple[str, int]:
    """The Markdown after a `---` frontmatter and the file line it starts on (no frontmatter: all)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.startswith("---\n"):
        end = text.find("\n---", 3)
        if end >= 0:
            nl = text.find("\n", end + 4)
            if nl >= 0:
                return text[nl + 1 :], text.count("\n", 0, nl + 1) + 1
    return text, 1


def test_corpus_owl_carousel_counts() -> None:
    if not CORPUS_GRAV.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CORPUS_GRAV} is missing but CI=true: the shared corpus must be beside the project")
        pytest.skip(f"{CORPUS_GRAV} not found: the shared corpus lives beside the project, not in a clone")
    opens = closes = unbalanced = in_code = images = 0
    pages = 0
    for path in sorted(CORPUS_GRAV.rglob("*.md")):
        raw = path.read_text(encoding="utf-8")
        body, first = _body(raw)
        tags = scan_tags(body, first, OWL)
        if not tags:
            continue
        pages += 1
        file_lines = raw.replace("\r\n", "\n").split("\n")
        for t in tags:
            assert file_lines[t.line - 1][t.column - 1 :].startswith(t.raw.split("\n")[0]), (path, t)
            assert t.parsed and t.md_block and not t.defects, (path, t)
            if t.in_code:
                in_code += 1
            elif t.closing:
                closes += 1
            else:
                opens += 1
        blocks, strays = pair_blocks(tags, "owl-carousel")
        unbalanced += len(strays) + sum(1 for b in blocks if b.close is None)
        images += sum(file_lines[n - 1].count("![") for b in blocks for n in b.content_lines)
        for b in blocks:
            for a in b.open.attrs:
                assert a.name in OWL_OPTIONS and check_option_value(a.name, a.value) is None, (path, a)
    assert (opens, closes, unbalanced, in_code) == (53, 53, 0, 0)
    assert pages == 50 and images == 196  # SOURCES.md: 50 pages, 196 images


def test_corpus_scan_any_name_does_not_raise() -> None:
    if not CORPUS_GRAV.exists():
        pytest.skip(f"{CORPUS_GRAV} not found")
    for path in sorted(CORPUS_GRAV.rglob("*.md")):
        body, first = _body(path.read_text(encoding="utf-8"))
        for t in scan_tags(body, first):
            assert body[t.offset : t.end_offset] == t.raw
            assert "](" not in body[t.end_offset - 1 : t.end_offset + 1] or t.in_code


# ---------------------------------------------------------------------------------------------
# Properties

_pieces = st.sampled_from(
    ["[", "]", "/", "=", '"', "'", " ", "\n", "\t", "\\", "`", "```\n", "    ", "!", "(", ")", ":", "-", "*",
     "a", "x", "owl-carousel", "items", "1", "é", "\u00a0", "\u201c", "[owl-carousel", "[/owl-carousel]",
     " items=1", ' class="g h"', "](u)", "\n\n", "[^1]", "- [x] "]
)
_texts = st.one_of(st.text(max_size=80), st.lists(_pieces, max_size=40).map("".join))


def _check(body: str, first_line: int, tags: list[Tag]) -> None:
    lines = body.split("\n")
    offsets = [t.offset for t in tags]
    assert offsets == sorted(offsets)
    for t in tags:
        assert body[t.offset : t.end_offset] == t.raw
        # line/column address the same slice
        start_line = lines[t.line - first_line]
        assert t.raw.startswith("[")
        assert start_line[t.column - 1 : t.column - 1 + len(t.raw.split("\n")[0])] == t.raw.split("\n")[0]
        end_line = lines[t.end_line - first_line]
        assert end_line[: t.end_column - 1].endswith(t.raw.split("\n")[-1])
        for a in t.attrs:
            assert (t.line, t.column) <= (a.line, a.column) <= (a.end_line, a.end_column) <= (t.end_line, t.end_column)
            assert lines[a.line - first_line][a.column - 1 :].startswith(a.name.split("\n")[0])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(body=_texts, first_line=st.integers(min_value=1, max_value=500))
def test_property_scan_never_raises_and_raw_matches_position(body: str, first_line: int) -> None:
    for names in (None, OWL, ["owl-carousel", "a", "x"]):
        tags = scan_tags(body, first_line, names)
        _check(body, first_line, tags)
        for name in {t.name for t in tags}:
            blocks, strays = pair_blocks(tags, name)
            used = [b.open for b in blocks] + [b.close for b in blocks if b.close] + strays
            assert len({id(t) for t in used}) == len(used)
            for b in blocks:
                assert isinstance(b, Block)
                if b.close is not None:
                    assert b.close.offset > b.open.offset and b.close.name == b.open.name
                if b.parent is not None:
                    assert b.parent.open.offset < b.open.offset and b.parent.close is not None
                    assert b.parent.close.offset > b.open.offset


@settings(max_examples=200)
@given(name=st.text(max_size=20), value=st.one_of(st.none(), st.text(max_size=30)))
def test_property_option_helpers_never_raise(name: str, value: str | None) -> None:
    suggest_option(name)
    for option in (name, "items", "responsive", "loop", "margin", "slideBy", "navText"):
        msg = check_option_value(option, value)
        assert msg is None or isinstance(msg, str)
