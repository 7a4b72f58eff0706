"""Hypothesis: over generated headers (comments, unicode, nested maps and lists, every date
style, every quoting style, 2- and 4-space indentation, flow and block collections) and every
combination of the normalise settings, normalise never loses data or a comment, and a second run
changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grav_tools.dates import format_date, read_date
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import DEFAULT_KEY_ORDER, QUOTE_STYLES, NormaliseOptions
from grav_tools.page import split_frontmatter
from grav_tools.site import SiteConfig
from grav_tools.yamlio import YamlTimestamp, parse_header, resolve_plain, to_python

SITE = SiteConfig()
OPTIONS = NormaliseOptions()
# Every combination of the `[tool.grav-tools.normalise]` switches (line endings are applied at
# write time and tested in test_normalise_options.py).
RANDOM_OPTIONS = st.builds(
    NormaliseOptions, key_order=st.sampled_from([DEFAULT_KEY_ORDER, (), ("slug", "title")]),
    indent=st.sampled_from([2, 4]), dates=st.booleans(), trim_trailing_whitespace=st.booleans(),
    final_newline=st.booleans(), quote_style=st.sampled_from(QUOTE_STYLES), booleans=st.booleans(),
    carousel=st.booleans(), summary_separator=st.booleans(),
)
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\u0085\ufeff")
_TEXT = st.one_of(
    st.text(_CHARS, max_size=12),
    st.sampled_from(["yes", "No", "on", "null", "~", "true", "0123", "1.5", "1e3", ".inf", "10:00", "@self.children",
                     "a: b", "C# rocks", "It's", 'say "hi"', "- x", "%x", "`x`", "Привет мир", "«тест»: да",
                     "日本語", "emoji 🎉", "  padded  ", "", "---", "...", "a\nb", "tab\there", "2023-01-09",
                     "09-01-2023 10:00", "x #y", "#hash", "[x]", "{x}", "*star", "&amp", "!bang", "|pipe"]),
)
_WORDS = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=8)
_KEYS = st.one_of(_WORDS, st.sampled_from(["title", "slug", "menu", "taxonomy", "metadata", "hero image",
                                           "page-toc", "опция", "yes"]))
_SCALARS = st.one_of(_TEXT, st.integers(-1000, 100000), st.booleans(), st.none(),
                     st.floats(allow_nan=False, allow_infinity=False, width=32))
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


def _dates() -> st.SearchStrategy[tuple[str, str]]:
    moments = st.datetimes(datetime(1990, 1, 1), datetime(2035, 12, 31)).map(lambda d: d.replace(second=0, microsecond=0))
    formats = st.sampled_from(["'d-m-Y H:i'", "'Y-m-d H:i'", "'H:i m/d/Y'", "'m/d/Y h:ia'", "'d.m.Y H:i'",
                               "'H:i d-m-Y'", "Y-m-d", "Y-m-d H:i:s", "'d-m-Y'", "'d-m-y H:i'", "'Y/m/d H:i'"])
    fixed = st.sampled_from(["''", "", "someday", "'31-02-2023 10:00'", "'09-13-2023 10:00'",
                             "2023-01-09T10:00:00Z", "'2023-01-09 10:00:30'", "tomorrow"])

    def render(moment: datetime, fmt: str) -> str:
        quoted = fmt.startswith("'")
        text = format_date(moment, fmt.strip("'"))
        return f"'{text}'" if quoted else text

    return st.tuples(st.sampled_from(["date", "publish_date", "unpublish_date"]),
                     st.one_of(st.builds(render, moments, formats), fixed))


class _Writer:
    """Writes data as hand-written YAML in a random but valid style, with comments."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.comments: list[str] = []
        self.step = draw(st.sampled_from([2, 4]))

    def comment(self) -> str:
        text = f"# c{len(self.comments)} " + self.draw(st.text(_CHARS, max_size=6)).replace("\n", " ")
        self.comments.append(text.rstrip())
        return text

    def scalar(self, value: Any) -> str:
        if value is None:
            return self.draw(st.sampled_from(["null", "~", "Null"]))
        if isinstance(value, bool):
            return self.draw(st.sampled_from(["true", "True", "TRUE"] if value else ["false", "False"]))
        if isinstance(value, (int, float)):
            return repr(value) if isinstance(value, int) or repr(value) not in ("inf", "-inf") else "0"
        style = self.draw(st.sampled_from(["plain", "single", "double"]))
        plain_ok = (value and resolve_plain(value) == value and value.strip() == value and value[0] not in "-?:,[]{}#&*!|>'\"%@`"
                    and ": " not in value and " #" not in value and not value.endswith(":") and "\n" not in value
                    and "\t" not in value and value not in ("---", "...") and value[0] not in "\u3000 ")
        if style == "plain" and plain_ok:
            return value
        if style == "single" and "\n" not in value and "\t" not in value:
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)

    def block(self, data: Any, indent: int, lines: list[str]) -> None:
        pad = " " * indent
        items = list(data.items()) if isinstance(data, dict) else [(None, v) for v in data]
        for key, value in items:
            if self.draw(st.integers(0, 5)) == 0:
                lines.append(pad + self.comment())
            if self.draw(st.integers(0, 7)) == 0:
                lines.append("")
            head = pad + (self.scalar(key) + ":" if key is not None else "-")
            if key is None and isinstance(value, dict) and value and self.draw(st.booleans()):
                inner: list[str] = []  # compact `- key: value` with the rest aligned under it
                self.block(value, indent + 2, inner)
                first = next(i for i, line in enumerate(inner) if line.strip() and not line.lstrip().startswith("#"))
                lines.extend(inner[:first])
                lines.append(pad + "- " + inner[first][indent + 2 :])
                lines.extend(inner[first + 1 :])
                continue
            if isinstance(value, str) and "\n" in value and value.strip() and self.draw(st.booleans()):
                lines.append(head + " |" + ("+" if value.endswith("\n\n") else "" if value.endswith("\n") else "-"))
                body = value[:-1] if value.endswith("\n") else value
                if body.split("\n")[0].startswith(" ") or any(not line.strip() and line for line in body.split("\n")):
                    lines[-1] = head + " |" + str(self.step) + lines[-1][len(head) + 2 :]
                lines.extend((" " * (indent + self.step) + line) if line else "" for line in body.split("\n"))
                continue
            if isinstance(value, (dict, list)) and value:
                if self.draw(st.integers(0, 3)) == 0:
                    lines.append(head + " " + self.flow(value))
                else:
                    lines.append(head)
                    self.block(value, indent + self.step, lines)
            elif isinstance(value, (dict, list)):
                lines.append(head + (" {}" if isinstance(value, dict) else " []"))
            else:
                text = self.scalar(value)
                tail = "  " + self.comment() if self.draw(st.integers(0, 4)) == 0 else ""
                lines.append(head + (" " + text if text else "") + tail)

    def flow(self, data: Any) -> str:
        if isinstance(data, dict):
            return "{" + ", ".join(f"{self.scalar(k)}: {self.flow(v)}" for k, v in data.items()) + "}"
        if isinstance(data, list):
            return "[" + ", ".join(self.flow(v) for v in data) + "]"
        text = self.scalar(data)
        return text if text.startswith(("'", '"')) or text in ("null", "~", "Null") else json.dumps(text)


@st.composite
def pages(draw: Any) -> tuple[str, list[str]]:
    writer = _Writer(draw)
    data = draw(st.dictionaries(_KEYS, _DATA, min_size=1, max_size=6))
    lines: list[str] = []
    for key, value in draw(st.lists(_dates(), max_size=3, unique_by=lambda kv: kv[0])):
        lines.append(f"{key}: {value}")
    writer.block(data, 0, lines)
    if draw(st.booleans()):
        lines.append(writer.comment())
    if draw(st.integers(0, 3)) == 0:  # what only Grav's lenient fallback reads, and Grav's one-tab rule
        lines.append(draw(st.sampled_from(["items: @self.children", "note: Read: this", "\tindented: by a tab",
                                           "dup: first", "list:\n\t- a\n\t- '@b'"])))
        if lines[-1].startswith("\t"):
            lines[-1] = "tabbed:\n" + lines[-1]
        if lines[-1] == "dup: first":
            lines.append("dup: second")
    body = draw(st.sampled_from(["Body\n", "Body  \nnext\n\n\n", "", "text\n===\nmore", "```\ncode  \n```\n",
                                 "  \n\nText   \n  \n", "Text\n===   \n[owl-carousel items=1]\n",
                                 "Intro [owl-carousel class='a b']![](a.jpg)\n\n![](b.jpg)[/owl-carousel] end  ",
                                 "[owl-carousel]\n![](a.jpg)\n  \n![](b.jpg)\n[/owl-carousel]\n\n"]))
    return "---\n" + "\n".join(lines) + "\n---\n" + body, writer.comments


def _header_data(text: str) -> Any:
    split = split_frontmatter(text)
    assert split.header is not None
    parsed = parse_header(split.header)
    return parsed, to_python(parsed.root)


def _same_dates(key: str, old: Any, new: Any) -> bool:
    if old == new:
        return True
    old_text = str(old) if not isinstance(old, YamlTimestamp) else None
    if old_text is None:  # unquoted ISO: quoted as written (declared change); the text must mean that date
        return isinstance(new, str)
    a, b = read_date(old_text), read_date(str(new))
    return a.ok and b.ok and (a.year, a.month, a.day, a.hour, a.minute, a.second) == (b.year, b.month, b.day, b.hour, b.minute, b.second)


@settings(max_examples=int(__import__("os").environ.get("NORMALISE_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages())
def test_normalise_keeps_data_and_comments_and_is_stable(page: tuple[str, list[str]]) -> None:
    _keeps_data_and_comments_and_is_stable(page, OPTIONS)


@settings(max_examples=int(__import__("os").environ.get("NORMALISE_OPTION_EXAMPLES", "200")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages(), RANDOM_OPTIONS)
def test_every_combination_of_options_keeps_data_and_comments_and_is_stable(page: tuple[str, list[str]],
                                                                             options: NormaliseOptions) -> None:
    _keeps_data_and_comments_and_is_stable(page, options)


def _keeps_data_and_comments_and_is_stable(page: tuple[str, list[str]], options: NormaliseOptions) -> None:
    text, comments = page
    parsed, old = _header_data(text)
    assume(parsed.root is not None and isinstance(old, dict))
    result = normalise_text(text, SITE, options)
    assert result.error is None, (result.error, text)
    assert result.text is not None
    again = normalise_text(result.text, SITE, options)
    assert again.text == result.text
    new_parsed, new = _header_data(result.text)
    if any("header left as written" in n.message for n in result.notes):  # YAML we do not rewrite
        assert split_frontmatter(result.text).header == split_frontmatter(text).header
        return
    assert new_parsed.strict and not new_parsed.repairs
    for key in ("date", "publish_date", "unpublish_date"):
        if key in old:
            assert _same_dates(key, old.pop(key), new.pop(key)), (key, text, result.text)
    assert _strict_equal(old, new), (text, result.text)
    dropped = " ".join(n.message for n in result.notes if "duplicate key" in n.message)
    for comment in comments:  # every comment is kept, or reported with the duplicate key it belonged to
        assert comment in result.text or comment in dropped, (comment, text, result.text)


def _strict_equal(a: Any, b: Any) -> bool:
    if isinstance(a, YamlTimestamp) and isinstance(b, str):
        return resolve_plain(b) == a
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_strict_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


@settings(max_examples=int(__import__("os").environ.get("NORMALISE_PHP_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages(), st.one_of(st.just(OPTIONS), RANDOM_OPTIONS))
def test_php_reads_the_same_data_from_generated_headers(page: tuple[str, list[str]], options: NormaliseOptions) -> None:
    """Grav's own reading (strict Symfony YAML, date2timestamp) is unchanged by normalising."""
    import base64

    from normalise_php import GRAV_PHP, run_php

    text, _ = page
    parsed, old = _header_data(text)
    assume(parsed.root is not None and isinstance(old, dict) and parsed.strict)
    assume(not any(isinstance(v, YamlTimestamp) for v in _leaves(old)))  # declared change, tested elsewhere
    result = normalise_text(text, SITE, options)
    assert result.text is not None, result.error
    case = {"before": base64.b64encode(text.encode()).decode(),
            "after": base64.b64encode(result.text.encode()).decode(), "format": None, "tz": None}
    answer = run_php(GRAV_PHP, [case])[0]
    assert answer["before"] == "ok" and answer["after"] == "ok", (answer, text, result.text)
    assert (answer["same_data"], answer["same_dates"]) == (True, True), (text, result.text)
    carousel_fixed = options.carousel and "[owl-carousel" in text  # a declared change of the body
    assert answer["same_body"] or carousel_fixed, (text, result.text)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_blank_line_after_a_block_scalar_is_not_kept() -> None:
    """Found by hypothesis in CI: a blank line kept after `|-` content is read back into the block."""
    text = ('---\n"00":\n  -\n    - |-\n      a\n      b\n  # c4 \n\n  - []\n---\nBody\n')
    result = normalise_text(text, SITE, OPTIONS)
    assert result.error is None and result.text is not None
    assert normalise_text(result.text, SITE, OPTIONS).text == result.text
