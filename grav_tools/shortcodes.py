"""Shortcode tags in a Grav Markdown body, with exact positions, as shortcode-core 5.x sees them.

A pure module (stdlib only, no other grav_tools imports, no output). It models:

* thunderer/shortcode's ``RegularParser`` (the 5.x default ``parser: regular``) with ``CommonSyntax``
  (``[``, ``]``, ``/``, ``=``, ``"``): its lexer (string tokens are ``\\.`` or a run of characters
  that are not ``[ ] / = "`` or PCRE-Unicode whitespace), the opening/closing tag grammar, and how
  it pairs tags (a closing tag closes the innermost open tag of that name; tags opened inside it
  and never closed become self-closing, as does an opener that is never closed);
* shortcode-core's Markdown block detection (``ShortcodeManager::setupMarkdown``): a line whose
  trimmed text matches ``^\\[\\/?(?:names)[^\\]]*\\]$`` is emitted as raw markup, not in a ``<p>``;
* Parsedown 1.7 code blocks (fenced, indented) and inline code spans, only to *mark* tags found
  there (shortcodes still run inside code, because shortcode-core works on the HTML);
* the Markdown constructs that hide a bracket from the shortcode parser (inline links and images,
  defined reference links, reference definitions), and Markdown's backslash escapes: outside code
  Parsedown turns ``\\[`` into ``[``, so a backslash does not stop a shortcode.

Only the fenced/indented/inline code, list and paragraph rules that matter here are modelled (Parsedown
1.7.4 rules: a closing fence is any run of 3+ of the opening character, whatever the opener's length);
HTML blocks, blockquotes and tables are not.

Positions: lines are file lines (``first_line`` + newlines before), columns are 1-based code points
(Python ``str`` index + 1), end columns are exclusive. Only ``\\n`` separates lines (the page model
normalises CRLF/CR before the body gets here).

The owl-carousel part (``OWL_OPTIONS``, ``suggest_option``, ``check_option_value``) follows
shortcode-owl-carousel 1.0.4 (every parameter becomes an option; ``"true"``/``"false"`` become
booleans; ``json_encode(..., JSON_NUMERIC_CHECK)`` turns numeric strings into numbers; ``responsive``
gets every ``\\w+`` quoted and is JSON-decoded) and the option names of Owl Carousel 2.2.0's source.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Attr",
    "Tag",
    "Block",
    "scan_tags",
    "pair_blocks",
    "OWL_OPTIONS",
    "OWL_NO_EFFECT",
    "suggest_option",
    "check_option_value",
    "plugin_value",
]


# --------------------------------------------------------------------------------------------
# Data


# Attr, Tag and Block are built by the thousand: plain slots classes, because a frozen dataclass
# pays an object.__setattr__ per field. They are never changed after they are made.
@dataclass(slots=True, unsafe_hash=True)
class Attr:
    """One parameter of a tag.

    For a parsed tag, name/value are what RegularParser produces. For a tag the parser rejects
    (``Tag.parsed`` is False) they are a best-effort reading of what the author wrote.
    """

    name: str
    value: str | None  # None for a flag without value
    quote: str  # '"' for "x", "" for unquoted, "'" or a typographic quote char when the author used one
    line: int  # 1-based position of the attribute name in the file
    column: int
    end_line: int  # end of the attribute (after the value / closing quote), column exclusive
    end_column: int


@dataclass(slots=True, unsafe_hash=True)
class Tag:
    """One shortcode tag as written (opening, closing or self-closing)."""

    name: str  # case kept
    closing: bool  # [/name]
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive
    raw: str  # the tag text as written (body[offset:end_offset])
    attrs: tuple[Attr, ...]
    parsed: bool  # False: RegularParser does not recognise it, it stays literal text
    defects: tuple[str, ...]  # human-readable reasons the syntax is broken or misleading
    alone_on_line: bool  # the trimmed line is exactly this tag
    in_code: bool  # inside fenced/indented code or an inline code span (shortcodes still run there)
    self_closing: bool = False  # [name /]
    md_block: bool = False  # shortcode-core's Markdown block detection emits this line as raw markup
    md_link: bool = False  # Markdown makes this bracket a link/image/reference: the parser never sees it
    bbcode: str | None = None  # [name=value ...]
    offset: int = 0  # index in the body
    end_offset: int = 0  # exclusive index in the body

    @property
    def params(self) -> dict[str, str | None]:
        """Parameters as the handler receives them: duplicate names, last value wins (first position)."""
        out: dict[str, str | None] = {}
        for a in self.attrs:
            out[a.name] = a.value
        return out


@dataclass(slots=True, unsafe_hash=True)
class Block:
    """A paired shortcode (e.g. owl-carousel) as RegularParser pairs it."""

    open: Tag
    close: Tag | None  # None when never closed (or self-closing: see open.self_closing)
    content_lines: tuple[int, ...]  # file line numbers strictly between open and close
    parent: Block | None = None  # enclosing (closed) block of the same name when nested

    @property
    def closed(self) -> bool:
        return self.close is not None

    @property
    def unclosed(self) -> bool:
        """An opener RegularParser never closes: it is handled as self-closing (empty content)."""
        return self.close is None and not self.open.self_closing


# --------------------------------------------------------------------------------------------
# RegularParser lexer pieces

# PCRE `\s` with PHP's /u (which sets PCRE2_UCP), as measured on PHP 8.2 / PCRE2 10.42.
_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WS_CHARS = "".join(chr(c) for c in (9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, 0x180E, *range(0x2000, 0x200B),
                                      0x2028, 0x2029, 0x202F, 0x205F, 0x3000))
_RUN0 = '[^\\[\\]/="\\\\' + _WS + "]"  # a run token cannot start with a backslash (`\\.` wins)
_RUNC = '[^\\[\\]/="' + _WS + "]"
_STR = r"\\.|\\\Z|" + _RUN0 + _RUNC + "*+"  # one STRING token at a token start

_STRING_RE = re.compile(_STR, re.S)
_UNQUOTED_RE = re.compile("(?:" + _STR + ")++", re.S)  # consecutive STRING tokens
_QUOTED_RE = re.compile("(?:" + _STR + "|[" + _WS + r"]++|[\[\]/=])*+", re.S)  # tokens up to a `"`
_WS_RE = re.compile("[" + _WS + "]*")
_OPEN_SCAN_RE = re.compile("(?:" + _STR + "|[" + _WS + r"]++|[\]/=" + '"' + r"])*+(\[|\Z)", re.S)
_NAME_RE = re.compile(r"[a-zA-Z0-9\-_*]+")  # RegexBuilderUtility::buildNameRegex
_ANY_NAME = r"[a-zA-Z0-9\-_*]+"
_NAME_END = "(?=[" + r"\[\]/=" + '"' + _WS + r"]|\Z)"
_CAND_ANY_RE = re.compile(r"\[[" + _WS + r"]*(?:/[" + _WS + "]*)?" + _ANY_NAME + _NAME_END)

_PHP_TRIM = " \t\n\r\0\x0b"
_TYPO_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u201b\u2039\u203a\uff02\uff07"

# Lenient reading of attributes of a tag the parser rejects (whitespace after `=` only before a quote).
_LENIENT_ATTR_RE = re.compile(
    "(?P<name>[^" + _WS + r'="\[\]/]+)(?:[' + _WS + "]*=(?:[" + _WS + "]*"
    r'(?P<val>"(?:\\.|[^"\\])*"?)|(?P<uval>[^' + _WS + r"\]]*)))?",
    re.S,
)
_WRITTEN_RE = re.compile("[^" + _WS + r"\]]*")
_REJECTED_NAME_RE = re.compile(r"\[[" + _WS + "]*/?[" + _WS + "]*(" + _STR + ")", re.S)
_SPECIALS = '[]/="'
_ESCAPE_DEFECT = ("a backslash does not escape a shortcode: Markdown removes it before shortcodes run; "
                  "wrap the text in [raw]…[/raw] to show it literally")
_MD_LINK_DEFECT = ("Markdown reads this bracket as part of a link, image or reference definition before "
                   "shortcodes run, so it is not a shortcode in the rendered page")


@lru_cache(maxsize=64)
def _candidate_re(names: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"\[[" + _WS + r"]*(?:/[" + _WS + "]*)?(?:" + alt + ")" + _NAME_END)


@lru_cache(maxsize=256)
def _md_block_re(name: str) -> re.Pattern[str]:
    return re.compile(r"\[/?(?:" + re.escape(name) + r")[^\]]*\]")


class _Fail(Exception):
    """RegularParser gives up on this tag (it stays literal text)."""

    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


# An attribute found by the strict parser: (name, value, quote, name_start, end, value_start)
_RawAttr = tuple[str, "str | None", str, int, int, int]


class _Parsed:
    __slots__ = ("name", "closing", "end", "attrs", "bbcode", "self_closing", "slash_value")

    def __init__(self, name: str, closing: bool, end: int, attrs: list[_RawAttr], bbcode: str | None,
                 self_closing: bool, slash_value: bool) -> None:
        self.name = name
        self.closing = closing
        self.end = end
        self.attrs = attrs
        self.bbcode = bbcode
        self.self_closing = self_closing
        self.slash_value = slash_value  # `a=b/]`: an unquoted value ran into the self-closing marker


def _skip_ws(text: str, pos: int) -> int:
    m = _WS_RE.match(text, pos)
    return m.end() if m else pos


def _value(text: str, pos: int, pname: str) -> tuple[str, str, int, int]:
    """RegularParser::value() at pos: (value, quote, value_start, end)."""
    n = len(text)
    if pos < n and text[pos] == '"':
        m = _QUOTED_RE.match(text, pos + 1)
        e = m.end() if m else pos + 1
        if e >= n:
            raise _Fail(pos, f'unterminated double quote in `{pname}="…`: the parser drops the whole tag')
        return text[pos + 1 : e], '"', pos, e + 1
    m = _UNQUOTED_RE.match(text, pos)
    if m:
        return m.group(), "", pos, m.end()
    nxt = text[pos] if pos < n else ""
    if nxt == "/":
        written = text[pos : _written_end(text, pos)]
        raise _Fail(pos, f"unquoted value with '/' or spaces: `{pname}={written}` makes the parser drop the whole "
                         "tag; put the value in double quotes")
    if nxt in ("", "]") or nxt in _WS_CHARS:
        raise _Fail(pos, f"empty value `{pname}=` makes the parser drop the whole tag")
    raise _Fail(pos, f"`{pname}=` is followed by {nxt!r}, not a value: the parser drops the whole tag")


def _written_end(text: str, pos: int) -> int:
    """End of an unquoted value as the author meant it: up to whitespace or `]`."""
    m = _WRITTEN_RE.match(text, pos)
    return m.end() if m else pos


# The common opening tag, `[name a=1 b="x y" flag]`: names, unquoted values and quoted values
# without backslashes, separated by ASCII spaces. _parse_open_tokens reads such a tag token by
# token into exactly what these two regexes match, so it is read in one match (for speed:
# ~16 us -> ~6 us a tag). Anything else (and every failure) goes token by token.
_FAST_CHAR = '[^\\[\\]/="\\\\' + _WS + "]"  # no special, no backslash, no whitespace
_FAST_ATTR = _FAST_CHAR + '+(?:=(?:"[^"\\\\]*"|' + _FAST_CHAR + "+))?"
_FAST_OPEN_RE = re.compile(r"\[[a-zA-Z0-9\-_*]+(?: +" + _FAST_ATTR + r")* *\]")
_FAST_ATTR_RE = re.compile("(" + _FAST_CHAR + '+)(?:=(?:"([^"\\\\]*)"|(' + _FAST_CHAR + "+)))?")


def _parse_open(text: str, p: int) -> _Parsed:
    """RegularParser::shortcode() up to and including the opening tag's `]` (text[p] is `[`)."""
    fast = _FAST_OPEN_RE.match(text, p)
    if fast is not None:
        parsed = _parse_open_fast(text, p, fast.end())
        if parsed is not None:
            return parsed
    return _parse_open_tokens(text, p)


def _parse_open_fast(text: str, p: int, end: int) -> _Parsed | None:
    """_parse_open of a tag _FAST_OPEN_RE matched from p to end; None: ask _parse_open_tokens."""
    name = _NAME_RE.match(text, p + 1)
    if name is None:  # never: _FAST_OPEN_RE starts with a name
        return None
    attrs: list[_RawAttr] = []
    for m in _FAST_ATTR_RE.finditer(text, name.end(), end - 1):
        pname, quoted, plain = m.groups()  # one call, not one a group
        if pname == "0":
            return None  # a parse failure: the token-by-token reader says why
        start, stop = m.span()
        if quoted is not None:  # the value (its quote) starts right after `name=`
            attrs.append((pname, quoted, '"', start, stop, start + len(pname) + 1))
        elif plain is not None:
            attrs.append((pname, plain, "", start, stop, start + len(pname) + 1))
        else:
            attrs.append((pname, None, "", start, stop, -1))
    return _Parsed(name.group(), False, end, attrs, None, False, False)


def _parse_open_tokens(text: str, p: int) -> _Parsed:
    """_parse_open, token by token as RegularParser reads (every tag, well-formed or not)."""
    n = len(text)
    pos = _skip_ws(text, p + 1)
    m = _STRING_RE.match(text, pos)
    if m is None:
        raise _Fail(pos, "no shortcode name after '['")
    name = m.group()
    pos = m.end()
    if _STRING_RE.match(text, pos):
        raise _Fail(pos, f"the name {name!r} runs into an escaped character: the parser drops the tag")
    if not _NAME_RE.fullmatch(name):
        raise _Fail(p, f"{name!r} is not a valid shortcode name (letters, digits, '-', '_' and '*' only)")
    pos = _skip_ws(text, pos)
    bbcode: str | None = None
    if pos < n and text[pos] == "=":
        pos = _skip_ws(text, pos + 1)
        bbcode, _q, _vs, pos = _value(text, pos, name)
    attrs: list[_RawAttr] = []
    last_unquoted_end = -1
    last_quoted_backslash = False
    last_value_after_ws = False
    while True:
        pos = _skip_ws(text, pos)
        if pos >= n:
            raise _Fail(pos, "the tag is never closed with ']'")
        c = text[pos]
        if c in "/]":
            break
        m = _STRING_RE.match(text, pos)
        if m is None:
            if c == '"' and last_quoted_backslash:
                msg = ('backslash-escaped quote `\\"` inside a value: escapes are not supported and the parser '
                       "drops the whole tag")
            elif c == '"':
                prev = f" after `{attrs[-1][0]}`" if attrs else ""
                msg = f"stray double quote{prev}: the parser drops the whole tag"
            elif c == "=" and attrs and attrs[-1][2] == "" and attrs[-1][1] is not None and last_value_after_ws:
                a = attrs[-1]
                msg = (f"empty value `{a[0]}=` makes the parser drop the whole tag (it takes `{a[1]}` as the value "
                       f"of {a[0]} and then meets a second '=')")
            elif c == "=":
                msg = "'=' without a parameter name: the parser drops the whole tag"
            else:
                msg = f"{c!r} inside the tag: the parser drops the whole tag"
            raise _Fail(pos, msg)
        pname = m.group()
        if pname == "0":  # PHP: `if(!$name = ...)` - "0" is falsy
            raise _Fail(pos, "a parameter named `0` makes the parser drop the whole tag")
        name_start = pos
        pos = _skip_ws(text, m.end())
        if pos < n and text[pos] == "=":
            eq = pos
            pos = _skip_ws(text, pos + 1)
            last_value_after_ws = pos > eq + 1
            value, quote, vstart, vend = _value(text, pos, pname)
            attrs.append((pname, value, quote, name_start, vend, vstart))
            last_unquoted_end = vend if quote == "" else -1
            last_quoted_backslash = quote == '"' and value.endswith("\\")
            pos = vend
        else:
            attrs.append((pname, None, "", name_start, m.end(), -1))
            last_unquoted_end = -1
            last_quoted_backslash = False
    slash_value = False
    if text[pos] == "/":
        slash_value = pos == last_unquoted_end
        q = _skip_ws(text, pos + 1)
        if q >= n or text[q] != "]":
            if slash_value:
                a = attrs[-1]
                written = text[a[5] : _written_end(text, a[5])]
                raise _Fail(pos, f"unquoted value with '/' or spaces: `{a[0]}={written}` makes the parser drop "
                                 "the whole tag; put the value in double quotes")
            raise _Fail(pos, "'/' inside the tag: the parser drops the whole tag")
        return _Parsed(name, False, q + 1, attrs, bbcode, True, slash_value)
    return _Parsed(name, False, pos + 1, attrs, bbcode, False, False)


def _parse_close(text: str, p: int) -> _Parsed:
    """RegularParser::close() (text[p] is `[`); whether the name is open is decided when pairing."""
    n = len(text)
    pos = _skip_ws(text, p + 1)
    if pos >= n or text[pos] != "/":
        raise _Fail(pos, "not a closing tag")
    pos = _skip_ws(text, pos + 1)
    m = _STRING_RE.match(text, pos)
    if m is None or m.group() == "0":
        raise _Fail(pos, "no name after '[/'")
    name = m.group()
    pos = _skip_ws(text, m.end())
    if pos >= n or text[pos] != "]":
        raise _Fail(pos, "a closing tag cannot have parameters or other text: it stays literal text")
    return _Parsed(name, True, pos + 1, [], None, False, False)


# --------------------------------------------------------------------------------------------
# Markdown context (Parsedown 1.7, which Grav 1.7 uses)

_BLOCK_CODE_HINT_RE = re.compile(r"(?m)^(?: {4}|\t| {0,3}\t| {0,3}(?:```|~~~)| *(?:```|~~~))")
_INDENT_HINT_RE = re.compile("\n    ")  # a literal: found faster than by `in` on non-ASCII text


def _may_hold_block_code(text: str) -> bool:
    """False when _BLOCK_CODE_HINT_RE surely finds nothing: every line it matches starts with four
    spaces, or holds a tab, a backtick or a tilde. For speed: the regex, anchored at every line
    start, costs ~20 us on a 2 kB non-ASCII body; these checks ~2 us."""
    return ("`" in text or "~" in text or "\t" in text or text.startswith("    ")
            or _INDENT_HINT_RE.search(text) is not None)


_FENCE_OPEN_RE = re.compile(r"(?:(`{3,})|(~{3,}))[ ]*(?:[^`]+)?[ ]*$")
_LIST_ITEM_RE = re.compile(r"(?:[*+-]|[0-9]+[.])[ ]+")
_HEADING_RE = re.compile(r"#")
_RULE_RE = re.compile(r"([*_-])(?:[ ]*\1){2,}[ ]*$")
_SC_LINE_RE = re.compile(r"\[/?[a-zA-Z0-9\-_*]+[^\]]*\]$")
_TASK_RE = re.compile(r"[ \t]*(?:[*+-]|[0-9]+[.)])[ \t]+$")
_REF_DEF_RE = re.compile(r"(?m)^ {0,3}\[(.+?)\]:[ ]*<?(\S+?)>?(?:[ ]+[\"'(](.+)[\"')])?[ ]*$")
_LINK_URL_RE = re.compile(r"\(\s*(?:[^ ()]++|[(][^ )]+[)])++(?:[ ]+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_CODE_SPAN_RE = re.compile(r"(`+)[ ]*(.+?)[ ]*(?<!`)\1(?!`)", re.S)
_INLINE_MARK_RE = re.compile(r"[`\\]")
_MD_ESCAPABLE = "\\`*_{}[]()>#+-.!|"


def _indent(line: str) -> tuple[int, str]:
    """Parsedown: tabs expanded to 4-column stops, then leading spaces counted."""
    if "\t" in line:
        parts = line.split("\t")
        out = parts[0]
        for part in parts[1:]:
            out += " " * (4 - len(out) % 4) + part
        line = out
    stripped = line.lstrip(" ")
    return len(line) - len(stripped), stripped


def _code_lines(lines: list[str]) -> list[bool]:
    """Which body lines are inside a fenced or indented code block (an approximation of Parsedown)."""
    flags = [False] * len(lines)
    fence: str | None = None
    icode = False
    interrupted = True  # start of the body behaves like "after a blank line"
    para = False  # the previous non-blank line continues a paragraph (lazy continuation)
    in_list = False
    for i, line in enumerate(lines):
        if line.rstrip(_PHP_TRIM) == "":
            if fence is not None:
                flags[i] = True
            interrupted = True
            continue
        ind, text = _indent(line)
        if fence is not None:
            flags[i] = True
            if re.match(re.escape(fence) + "{3,}[ ]*$", text):
                fence = None
                para = False
            interrupted = False
            continue
        if icode:
            if ind >= 4:
                flags[i] = True
                interrupted = False
                continue
            icode = False
            para = False
        if in_list and interrupted and ind == 0 and not _LIST_ITEM_RE.match(text):
            in_list = False
        if ind >= 4 and not in_list and (interrupted or not para):
            icode = True
            flags[i] = True
            interrupted = False
            continue
        m = _FENCE_OPEN_RE.match(text)
        if m:
            fence = "`" if m.group(1) else "~"
            flags[i] = True
            interrupted = False
            continue
        if _LIST_ITEM_RE.match(text):
            in_list = True
        para = not (_HEADING_RE.match(text) or _RULE_RE.match(text) or _SC_LINE_RE.match(text.rstrip(_PHP_TRIM)))
        interrupted = False
    return flags


def _code_spans(segment: str, base: int) -> list[tuple[int, int]]:
    """Inline code spans of one paragraph, scanned left to right like Parsedown::line()."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(segment)
    while i < n:
        m = _INLINE_MARK_RE.search(segment, i)
        if m is None:
            break
        j = m.start()
        if segment[j] == "\\":
            i = j + 2 if j + 1 < n and segment[j + 1] in _MD_ESCAPABLE else j + 1
            continue
        cm = _CODE_SPAN_RE.match(segment, j)
        if cm:
            spans.append((base + j, base + cm.end()))
            i = cm.end()
        else:
            i = j + 1
    return spans


_NEWLINE_RE = re.compile("\n")
_match_start = re.Match.start


class _Body:
    """Lazily computed facts about one body (only built when a candidate tag exists)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self._nl: list[int] | None = None
        self._lines: list[str] | None = None
        self._code: list[bool] | None = None
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._refs: set[str] | None = None
        self._opens: set[int] | None = None
        self._para: list[int] | None = None
        self._para_end: dict[int, int] = {}
        self._ticks: bool | None = None

    @property
    def nl(self) -> list[int]:
        if self._nl is None:
            self._nl = list(map(_match_start, _NEWLINE_RE.finditer(self.text)))  # no Python loop
        return self._nl

    def line_index(self, pos: int) -> int:
        return bisect.bisect_left(self.nl, pos)

    def pos(self, offset: int) -> tuple[int, int]:
        idx = self.line_index(offset)
        start = self.nl[idx - 1] + 1 if idx else 0
        return self.first_line + idx, offset - start + 1

    def line_bounds(self, idx: int) -> tuple[int, int]:
        nl = self.nl
        start = nl[idx - 1] + 1 if idx else 0
        end = nl[idx] if idx < len(nl) else len(self.text)
        return start, end

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def in_block_code(self, idx: int) -> bool:
        if self._code is None:
            if _may_hold_block_code(self.text) and _BLOCK_CODE_HINT_RE.search(self.text):
                self._code = _code_lines(self.lines)
            else:
                self._code = []
        return bool(self._code) and self._code[idx]

    def _paragraph_of(self, idx: int) -> tuple[int, int]:
        """First and last line of the run of text lines (no blank, code or shortcode-block line) around idx."""
        if self._para is None:
            lines = self.lines
            starts = [-1] * len(lines)
            cur = -1
            for i, line in enumerate(lines):
                t = line.strip(_PHP_TRIM)
                if not t or self.in_block_code(i) or _SC_LINE_RE.match(t):
                    cur = -1
                    continue
                if cur < 0:
                    cur = i
                starts[i] = cur
            self._para = starts
            self._para_end = {}
            for i, st in enumerate(starts):
                if st >= 0:
                    self._para_end[st] = i
        lo = self._para[idx]
        if lo < 0:
            return idx, idx
        return lo, self._para_end[lo]

    def in_inline_code(self, offset: int, idx: int) -> bool:
        if self._ticks is None:
            self._ticks = "`" in self.text  # once, not once per tag (quadratic on a hostile page)
        if not self._ticks:
            return False
        lo, hi = self._paragraph_of(idx)
        spans = self._spans.get(lo)
        if spans is None:
            start = self.line_bounds(lo)[0]
            end = self.line_bounds(hi)[1]
            spans = _code_spans(self.text[start:end], start)
            self._spans[lo] = spans
        k = bisect.bisect_right(spans, (offset, len(self.text) + 1)) - 1
        return k >= 0 and spans[k][0] <= offset < spans[k][1]

    @property
    def refs(self) -> set[str]:
        if self._refs is None:
            self._refs = {m.group(1).lower() for m in _REF_DEF_RE.finditer(self.text)} if "]:" in self.text else set()
        return self._refs

    def is_open_token(self, p: int) -> bool:
        """Is the `[` at p an OPEN token (not the second half of a `\\[` string token)?"""
        if p == 0 or self.text[p - 1] != "\\":
            return True
        if self._opens is None:
            self._opens = {m.start(1) for m in _OPEN_SCAN_RE.finditer(self.text) if m.group(1) == "["}
        return p in self._opens


# --------------------------------------------------------------------------------------------
# Scanning


def _lenient_end(text: str, p: int, fail_pos: int) -> int:
    """Where a rejected tag ends, for reporting: the first `]` at or after the failure point on the
    failure's line and before the next `[`; when there is none, the end of that line if the failure is on
    the tag's first line, else the end of the first line."""
    n = len(text)
    fail_pos = min(max(fail_pos, p + 1), n)
    first_end = text.find("\n", p)
    if first_end < 0:
        first_end = n
    line_end = text.find("\n", fail_pos)
    if line_end < 0:
        line_end = n
    nxt_open = text.find("[", fail_pos)
    limit = line_end if nxt_open < 0 else min(line_end, nxt_open)
    close = text.find("]", fail_pos, limit)
    if close >= 0:
        return close + 1
    if fail_pos <= first_end:
        return max(limit, p + 1)
    return max(first_end, p + 1)


def _lenient_attrs(text: str, start: int, end: int) -> list[_RawAttr]:
    out: list[_RawAttr] = []
    for m in _LENIENT_ATTR_RE.finditer(text, start, end):
        name = m.group("name")
        val = m.group("val")
        uval = m.group("uval")
        if val is not None:
            inner = val[1:-1] if len(val) > 1 and val.endswith('"') else val[1:]
            out.append((name, inner, '"', m.start(), m.end(), m.start("val")))
        elif uval is not None:
            out.append((name, uval, "", m.start(), m.end(), m.start("uval")))
        else:
            out.append((name, None, "", m.start(), m.end(), -1))
    return out


def _quote_of(value: str | None, quote: str) -> str:
    if quote or not value:
        return quote
    if value[0] == "'" or value[0] in _TYPO_QUOTES:
        return value[0]
    return ""


def _describe(attrs: list[_RawAttr]) -> str:
    parts = [f"a flag {a[0]}" if a[1] is None else f'{a[0]}="{a[1]}"' for a in attrs]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _quote_defects(text: str, attrs: list[_RawAttr], tag_end: int) -> list[str]:
    """Single or typographic quotes used as delimiters: say how the parser really reads them."""
    out: list[str] = []
    i = 0
    while i < len(attrs):
        name, value, quote, _ns, end, vstart = attrs[i]
        q = _quote_of(value, quote)
        if value is None or q in ("", '"'):
            i += 1
            continue
        closers = {"'": "'", "\u2018": "\u2019\u2018", "\u201c": "\u201d\u201c", "\u201e": "\u201c\u201d",
                   "\u00ab": "\u00bb", "\u00bb": "\u00ab", "\u201a": "\u2018\u2019", "\u2039": "\u203a"}.get(q, q)
        # the closing quote the author meant, within the tag
        j = next((k for k in range(vstart + 1, tag_end) if text[k] in closers), -1)
        kind = "single quotes do not delimit values" if q == "'" else "typographic quotes are part of the value"
        if j < 0 or j < end:
            shown = text[vstart:end]
            out.append(f"{kind}: {name}={shown} gives the value {value} with the quote marks; use double quotes")
            i += 1
            continue
        k = i + 1
        while k < len(attrs) and attrs[k][3] <= j:
            k += 1
        written = text[attrs[i][3] : j + 1]
        out.append(f"{kind}: {written} is read as {_describe(attrs[i:k])}; use double quotes")
        i = k
    return out


def _make_attrs(body: _Body, attrs: list[_RawAttr]) -> tuple[Attr, ...]:
    if not attrs:
        return ()
    # For speed: the attributes of a tag are nearly always on the line of the first one, whose
    # bounds are looked up once (two bisects an attribute were a third of a tag's cost).
    idx = body.line_index(attrs[0][3])
    start, end_of_line = body.line_bounds(idx)
    line = body.first_line + idx
    out = []
    for name, value, quote, ns, end, _vs in attrs:
        if start <= ns and end <= end_of_line:  # pos() would bisect to this very line
            first, col, last, ecol = line, ns - start + 1, line, end - start + 1
        else:
            first, col = body.pos(ns)
            last, ecol = body.pos(end)
        if not quote and value:  # for speed: _quote_of only where its answer is not `quote`
            quote = _quote_of(value, quote)
        out.append(Attr(name, value, quote, first, col, last, ecol))
    return tuple(out)


def _md_link(body: _Body, s: int, e: int, md_block: bool) -> bool:
    """Would Parsedown turn the bracket at s..e into a link/image/reference (hiding it from the parser)?"""
    text = body.text
    if md_block:
        return False
    inner = text[s + 1 : e - 1].lower()
    if e < len(text):
        c = text[e]
        if c == "(" and _LINK_URL_RE.match(text, e):
            return True
        if c == ":":
            ls, le = body.line_bounds(body.line_index(s))
            if s - ls <= 3 and text[ls:s].strip(" ") == "" and _REF_DEF_RE.match(text, ls, le):
                return True
        if c == "[":
            close = text.find("]", e + 1)
            if close > 0 and "\n" not in text[e + 1 : close]:
                label = text[e + 1 : close].lower() or inner
                if label in body.refs:
                    return True
    return inner in body.refs


def scan_tags(body: str, first_line: int = 1, names: Iterable[str] | None = None) -> list[Tag]:
    """All shortcode tags in a Markdown body, in order of position.

    names: only these shortcode names (case-sensitive), including tags RegularParser rejects (with
    ``parsed=False`` and the reasons in ``defects``). None: any ``[name …]`` / ``[/name]`` RegularParser
    accepts, plus rejected ones that clearly try to be shortcodes (a ``name=`` inside), leaving out
    Markdown links, images, reference links/definitions and ``[x]`` task boxes.
    """
    if "[" not in body:
        return []
    if names is not None:
        if isinstance(names, str):
            names = (names,)
        wanted = _wanted(names) if isinstance(names, tuple) else _wanted_names(names)
        if not wanted or not any(n in body for n in wanted):
            return []
        return _scan(body, first_line, _candidate_re(wanted), any_names=False, markdown=True)
    return _scan(body, first_line, _CAND_ANY_RE, any_names=True, markdown=True)


def _wanted_names(names: Iterable[str]) -> tuple[str, ...]:
    """The distinct non-empty names, sorted."""
    return tuple(sorted({n for n in names if n}))


# For speed: callers pass the same tuple for every page (~1 us a page).
_wanted = lru_cache(maxsize=64)(_wanted_names)


def _scan(body: str, first_line: int, cand_re: re.Pattern[str], any_names: bool, markdown: bool) -> list[Tag]:
    """markdown=False gives the bare RegularParser view (no link/task-box filtering), for testing."""
    bd = _Body(body, first_line)
    tags: list[Tag] = []
    consumed = -1  # end of the last tag the parser accepted: `[` inside it belong to it
    for m in cand_re.finditer(body):
        p = m.start()
        if p < consumed:
            continue
        escaped = False
        if p and body[p - 1] == "\\":
            if markdown:
                is_open, escaped = _md_open(bd, p)
            else:
                is_open = bd.is_open_token(p)
            if not is_open:
                continue
        closing = "/" in m.group()
        try:
            res = _parse_close(body, p) if closing else _parse_open(body, p)
        except _Fail as f:
            tag = _rejected(bd, p, closing, f, any_names, markdown, escaped)
            if tag is not None:
                tags.append(tag)
            continue
        tag = _accepted(bd, p, res, any_names, markdown, escaped)
        if tag is not None:
            tags.append(tag)
            if not tag.md_link:
                consumed = res.end
    return tags


def _md_open(bd: _Body, p: int) -> tuple[bool, bool]:
    """A `[` preceded by backslashes in Markdown source: (is it an OPEN token in the HTML the parser sees,
    did the author try to escape it). Outside code Parsedown turns `\\\\` into `\\` and `\\[` into `[`."""
    text = bd.text
    q = p
    while q > 0 and text[q - 1] == "\\":
        q -= 1
    k = p - q
    idx = bd.line_index(p)
    if bd.in_block_code(idx) or bd.in_inline_code(p, idx):
        return bd.is_open_token(p), False
    left = k // 2  # backslashes left in the HTML right before the `[`
    c = text[q - 1] if q > 0 else ""
    if left == 0 or (c and c not in _SPECIALS and c not in _WS_CHARS):
        is_open = True  # no backslash left, or it is swallowed by the run token before it
    else:
        is_open = left % 2 == 0  # `\\\\` pairs are string tokens; an odd one escapes the `[`
    return is_open, k % 2 == 1


def _context(bd: _Body, s: int, e: int) -> tuple[int, bool, bool, str]:
    """(line index, alone_on_line, in_code, trimmed line)"""
    idx = bd.line_index(s)
    ls, le = bd.line_bounds(idx)
    trimmed = bd.text[ls:le].strip(_PHP_TRIM)
    alone = e <= le and trimmed == bd.text[s:e]
    in_code = bd.in_block_code(idx) or bd.in_inline_code(s, idx)
    return idx, alone, in_code, trimmed


def _accepted(bd: _Body, p: int, res: _Parsed, any_names: bool, markdown: bool, escaped: bool = False
              ) -> Tag | None:
    text = bd.text
    e = res.end
    raw = text[p:e]
    idx, alone, in_code, trimmed = _context(bd, p, e)
    md_block = alone and not in_code and _md_block_re(res.name).fullmatch(trimmed) is not None
    md_link = markdown and not in_code and _md_link(bd, p, e, md_block)
    if any_names and markdown:
        if md_link:
            return None
        if not res.closing and not res.attrs and res.bbcode is None and res.name in ("x", "X"):
            ls = bd.line_bounds(idx)[0]
            if _TASK_RE.fullmatch(text, ls, p):
                return None
    defects: list[str] = []
    if md_link:
        defects.append(_MD_LINK_DEFECT)
    if escaped:
        defects.append(_ESCAPE_DEFECT)
    defects.extend(_quote_defects(text, res.attrs, e))
    for a in res.attrs:
        if a[2] == '"' and a[1] is not None and '\\"' in text[a[5]:a[4]]:
            defects.append(f'backslash-escaped quote `\\"` in {a[0]}=: escapes are not supported, the value '
                           "keeps the backslash")
    seen: dict[str, int] = {}
    for a in res.attrs:
        seen[a[0]] = seen.get(a[0], 0) + 1
    for pname, count in seen.items():
        if count > 1:
            defects.append(f"duplicate parameter {pname} ({count} times): the last value wins")
    if res.slash_value:
        a = res.attrs[-1]
        defects.append(f"unquoted value with '/' or spaces: `{a[0]}={a[1]}/]` is read as a self-closing tag "
                       f"with {a[0]}=\"{a[1]}\"; put the value in double quotes")
    end_idx = bd.line_index(e - 1)
    if end_idx != idx and not in_code:
        defects.append(f"the tag spans lines {bd.first_line + idx}-{bd.first_line + end_idx}: shortcode-core's "
                       "Markdown block detection needs it on one line, so Markdown wraps it in a paragraph")
    if alone and not in_code and not md_block:
        if any(a[1] is not None and "]" in a[1] for a in res.attrs) or (res.bbcode and "]" in res.bbcode):
            defects.append("']' inside a value breaks shortcode-core's Markdown block detection: "
                           "the line is wrapped in a paragraph")
        elif raw[1:2] in _WS_CHARS or (res.closing and not raw.startswith("[/")):
            defects.append("whitespace after '[' or '/' defeats shortcode-core's Markdown block detection: "
                           "the line is wrapped in a paragraph")
    sl, sc = bd.pos(p)
    el, ec = bd.pos(e)
    return Tag(
        name=res.name, closing=res.closing, line=sl, column=sc, end_line=el, end_column=ec, raw=raw,
        attrs=_make_attrs(bd, res.attrs), parsed=True, defects=tuple(defects), alone_on_line=alone,
        in_code=in_code, self_closing=res.self_closing, md_block=md_block, md_link=md_link,
        bbcode=res.bbcode, offset=p, end_offset=e,
    )


def _rejected(bd: _Body, p: int, closing: bool, f: _Fail, any_names: bool, markdown: bool,
              escaped: bool = False) -> Tag | None:
    text = bd.text
    e = _lenient_end(text, p, f.pos)
    raw = text[p:e]
    m = _REJECTED_NAME_RE.match(raw)
    name = m.group(1) if m else ""
    reason = f.reason
    first_end = text.find("\n", p)
    if 0 <= first_end < f.pos and "]" not in text[p:first_end] and not (raw.endswith("]") and e - 1 > first_end):
        reason = ("the tag is not closed with ']' on its line: the parser reads on into the following lines "
                  "and drops the whole tag")
    if any_names and not (raw.endswith("]") and (closing or "=" in raw)):
        return None
    name_end = p + (m.end() if m else 1)
    attr_end = e - 1 if raw.endswith("]") else e
    attrs = _lenient_attrs(text, name_end, max(attr_end, name_end))
    idx, alone, in_code, _trimmed = _context(bd, p, e)
    md_link = markdown and not in_code and raw.endswith("]") and _md_link(bd, p, e, False)
    if any_names and md_link:
        return None
    defects = [reason]
    if md_link:
        defects.append(_MD_LINK_DEFECT)
    defects.extend(_quote_defects(text, attrs, e))
    sl, sc = bd.pos(p)
    el, ec = bd.pos(e)
    return Tag(
        name=name, closing=closing, line=sl, column=sc, end_line=el, end_column=ec, raw=raw,
        attrs=_make_attrs(bd, attrs), parsed=False, defects=tuple(defects), alone_on_line=alone,
        in_code=in_code, self_closing=False, md_block=False, md_link=md_link, bbcode=None,
        offset=p, end_offset=e,
    )


# --------------------------------------------------------------------------------------------
# Pairing

# Tags open at once. RegularParser recurses into every open tag (PHP runs out of stack long before
# this); past it an opener is left unclosed, which keeps pairing and every block's content lines
# (each line is listed once per enclosing block) bounded on hostile input.
MAX_OPEN_TAGS = 64


def pair_blocks(tags: list[Tag], name: str) -> tuple[list[Block], list[Tag]]:
    """Pair opening and closing tags the way RegularParser does; return the blocks of `name` and the
    closing tags of `name` that close nothing (they stay literal text).

    Only tags the parser sees take part (``parsed`` and not ``md_link``); tags inside code do.
    A closing tag closes the innermost open tag of its name; tags opened after that one and still
    open become self-closing (``close=None``), as does any opener never closed. With tags of several
    names (``scan_tags(names=None)``) crossing pairs are resolved exactly as RegularParser does;
    with one name only, tags of other names cannot interfere.
    """
    order = sorted((t for t in tags if t.parsed and not t.md_link), key=lambda t: t.offset)
    opens: list[Tag] = []  # frame id -> opening tag
    closes: dict[int, Tag] = {}  # frame id -> closing tag
    around: list[int] = []  # frame id -> the frame open around it when it opened (-1: none)
    stack: list[int] = []  # open frames, innermost last
    open_at: dict[str, list[int]] = {}  # name -> indices into `stack` of its open frames, increasing
    strays: list[Tag] = []
    # Linear in the number of tags (a hostile page has 500k of them): each frame is pushed and
    # popped once, and the innermost open frame of a name is found without scanning the stack.
    for t in order:
        if t.closing:
            where = open_at.get(t.name)
            if not where:
                if t.name == name:
                    strays.append(t)
                continue
            at = where[-1]
            closes[stack[at]] = t
            for fid in reversed(stack[at:]):  # the frames above it are left open: self-closing
                open_at[opens[fid].name].pop()
            del stack[at:]
        else:
            opens.append(t)
            around.append(stack[-1] if stack else -1)
            if not t.self_closing and len(stack) < MAX_OPEN_TAGS:
                open_at.setdefault(t.name, []).append(len(stack))
                stack.append(len(opens) - 1)
    # parent: the nearest enclosing frame that is a closed block of `name`
    nearest: list[int] = []
    for fid in range(len(opens)):
        up = around[fid]
        if up < 0:
            nearest.append(-1)
        elif opens[up].name == name and up in closes:
            nearest.append(up)
        else:
            nearest.append(nearest[up])
    built: dict[int, Block] = {}
    blocks: list[Block] = []
    for fid, op in enumerate(opens):
        if op.name != name:
            continue
        cl = closes.get(fid)
        parent = built.get(nearest[fid])
        content = tuple(range(op.end_line + 1, cl.line)) if cl is not None else ()
        blk = Block(op, cl, content, parent)
        built[fid] = blk
        blocks.append(blk)
    return blocks, strays


# --------------------------------------------------------------------------------------------
# owl-carousel options

# A line owl-carousel turns into slides: only Markdown images or <img> tags (shared by the
# carousel rules and normalise's carousel fix-ups).
CAROUSEL_IMAGE_LINE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*|<img\b[^>]*>\s*)+$", re.I)

OWL_OPTIONS: dict[str, str] = {
    # Owl Carousel 2.2.0 core (src/js/owl.carousel.js Owl.Defaults)
    "items": "int",
    "loop": "bool",
    "center": "bool",
    "rewind": "bool",
    "mouseDrag": "bool",
    "touchDrag": "bool",
    "pullDrag": "bool",
    "freeDrag": "bool",
    "margin": "number",
    "stagePadding": "number",
    "merge": "bool",
    "mergeFit": "bool",
    "autoWidth": "bool",
    "startPosition": "any",  # index or URL hash
    "rtl": "bool",
    "smartSpeed": "number",
    "fluidSpeed": "any",  # number or false
    "dragEndSpeed": "any",  # number or false
    "responsive": "json",
    "responsiveRefreshRate": "int",
    "responsiveBaseElement": "any",  # window or an element
    "fallbackEasing": "string",
    "info": "any",  # a function
    "nestedItemSelector": "string",
    "itemElement": "string",
    "stageElement": "string",
    "refreshClass": "string",
    "loadedClass": "string",
    "loadingClass": "string",
    "rtlClass": "string",
    "responsiveClass": "string",
    "dragClass": "string",
    "itemClass": "string",
    "stageClass": "string",
    "stageOuterClass": "string",
    "grabClass": "string",
    # plugins bundled in owl.carousel.min.js 2.2.0
    "autoRefresh": "bool",
    "autoRefreshInterval": "int",
    "lazyLoad": "bool",
    "autoHeight": "bool",
    "autoHeightClass": "string",
    "video": "bool",
    "videoHeight": "any",  # number or false
    "videoWidth": "any",
    "animateOut": "any",  # animate.css class name or false
    "animateIn": "any",
    "autoplay": "bool",
    "autoplayTimeout": "int",
    "autoplayHoverPause": "bool",
    "autoplaySpeed": "any",  # number or false
    "nav": "bool",
    "navText": "any",  # an array: not expressible as a shortcode attribute
    "navSpeed": "any",
    "navElement": "string",
    "navContainer": "any",  # selector or false
    "navContainerClass": "string",
    "navClass": "any",  # an array
    "slideBy": "any",  # number or "page"
    "dotClass": "string",
    "dotsClass": "string",
    "dots": "bool",
    "dotsEach": "any",  # number or false
    "dotsData": "bool",
    "dotsSpeed": "any",
    "dotsContainer": "any",
    "URLhashListener": "bool",
    # shortcode-owl-carousel itself
    "animate": "bool",  # loads animate.css
    "class": "string",  # accepted, but it reaches neither the markup nor Owl
}

OWL_NO_EFFECT: dict[str, str] = {
    "class": "class= has no effect: the plugin's template hard-codes class=\"owl-carousel owl-theme\" and "
             "Owl has no class option",
    "lazyLoad": "lazyLoad= has no effect on Markdown images: Owl's Lazy plugin only loads .owl-lazy "
                "elements with data-src",
}

_ARRAY_OPTIONS = {"navText", "navClass"}
_NUMBER_OR_FALSE = {"fluidSpeed", "dragEndSpeed", "autoplaySpeed", "navSpeed", "dotsSpeed", "dotsEach",
                    "videoHeight", "videoWidth"}
_PHP_NUMERIC_RE = re.compile(r"[ \t\n\r\x0b\x0c]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                             r"[ \t\n\r\x0b\x0c]*")
_INT_RE = re.compile(r"[ \t\n\r\x0b\x0c]*[+-]?[0-9]+[ \t\n\r\x0b\x0c]*")


def _norm(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


_OWL_BY_NORM = {_norm(k): k for k in OWL_OPTIONS}
_OWL_BY_LOWER = {k.lower(): k for k in OWL_OPTIONS}


def suggest_option(name: str) -> str | None:
    """The Owl option the author probably meant, or None (also None for an exact, known name)."""
    key = name.strip()
    if key in OWL_OPTIONS:
        return key if key != name else None
    hit = _OWL_BY_LOWER.get(key.lower()) or _OWL_BY_NORM.get(_norm(key))
    if hit:
        return hit
    close = difflib.get_close_matches(key.lower(), list(_OWL_BY_LOWER), n=1, cutoff=0.75)
    return _OWL_BY_LOWER[close[0]] if close else None


def plugin_value(value: str | None) -> object:
    """What shortcode-owl-carousel passes to Owl for a (non-responsive) parameter value:
    None -> null, "true"/"false" -> bool, PHP-numeric strings -> int/float (JSON_NUMERIC_CHECK)."""
    if value is None:
        return None
    if value == "true":
        return True
    if value == "false":
        return False
    if _PHP_NUMERIC_RE.fullmatch(value):
        if _INT_RE.fullmatch(value):
            n = int(value.strip())
            if -(2**63) <= n < 2**63:
                return n
        try:
            f = float(value.strip())
        except ValueError:  # pragma: no cover - the regex admits only float syntax
            return value
        if f not in (float("inf"), float("-inf")):
            return f
    return value


def _responsive_problem(value: str) -> str | None:
    quoted = re.sub(r"(\w+)", r'"\1"', value, flags=re.ASCII)
    quoted = re.sub(r'"(true|false)"', r"\1", quoted)
    try:
        data = json.loads(quoted)
    except ValueError:
        return (f"responsive is not valid JSON once the plugin quotes every word ({quoted}): Owl gets null; "
                "write it like responsive=\"{0:{items:1},600:{items:3}}\"")
    if not isinstance(data, dict):
        return "responsive expects an object like {0:{items:1},600:{items:3}}"
    problems = []
    for width, opts in data.items():
        if not re.fullmatch(r"[0-9]+", width):
            problems.append(f"responsive breakpoint {width!r} is not a width in pixels")
        if not isinstance(opts, dict):
            problems.append(f"responsive breakpoint {width} expects an object of options")
            continue
        for key, sub in opts.items():
            if key not in OWL_OPTIONS:
                hint = suggest_option(key)
                problems.append(f"responsive breakpoint {width}: unknown option {key}"
                                + (f" (did you mean {hint}?)" if hint else ""))
                continue
            raw = "true" if sub is True else "false" if sub is False else None if sub is None else str(sub)
            msg = check_option_value(key, raw)
            if msg:
                problems.append(f"responsive breakpoint {width}: {msg}")
    return "; ".join(problems) or None


def check_option_value(name: str, value: str | None) -> str | None:
    """None when the value suits the Owl option `name` once the plugin has converted it, else a message.

    Unknown names give None (see suggest_option). A bare flag (value None) reaches Owl as null.
    """
    if len(name) + len(value or "") <= 64:
        return _short_option_problem(name, value)
    return _option_problem(name, value)


def _option_problem(name: str, value: str | None) -> str | None:
    """check_option_value, worked out."""
    kind = OWL_OPTIONS.get(name)
    if kind is None:
        return None
    if value is None:
        return (f"{name} has no value (a bare flag): the plugin passes null"
                + (", which Owl treats as false" if kind == "bool" else "") + f"; write {name}=…")
    if name in _ARRAY_OPTIONS:
        return f"{name} expects an array, which a shortcode attribute cannot express: Owl gets the string {value!r}"
    if kind == "json":
        return _responsive_problem(value)
    got = plugin_value(value)
    if name == "slideBy":
        if value == "page" or (isinstance(got, int) and not isinstance(got, bool) and got >= 1):
            return None
        return f"slideBy expects a whole number or \"page\", got {value!r}"
    if name in _NUMBER_OR_FALSE:
        if got is False or (isinstance(got, (int, float)) and not isinstance(got, bool)):
            return None
        return f"{name} expects a number or false, got {value!r}"
    if kind == "int":
        if isinstance(got, bool) or not isinstance(got, (int, float)) or got != int(got):
            return f"{name} expects a whole number, got {value!r}"
        return None
    if kind == "number":
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return (f"{name} expects a number, got {value!r}: the plugin passes it as a string "
                    "and Owl misbehaves")
        return None
    if kind == "bool":
        if isinstance(got, bool) or got in (0, 1):
            return None
        return f"{name} expects true or false, got {value!r}"
    return None


# For speed: asked for every attribute of every carousel, and sites repeat the same few options
# and values (`items=1`, `loop=true`): ~0.6 -> 0.1 us an attribute. Short texts only, so the
# cache never keeps a page's long value alive.
_short_option_problem = lru_cache(maxsize=1024)(_option_problem)
