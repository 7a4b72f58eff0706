"""Media rules (GRV5xx): image and file references in the page body, checked against the page folder.

How Grav resolves them (Grav 1.7 `Page/Markdown/Excerpts.php`, `Uri::convertUrl`, `Page/Media.php`):

* `![alt](a.jpg?action=args)`: Parsedown hands the image to `processLinkExcerpt` (the URL is
  `rawurldecode`d, query items named `rel`, `target`, `id`, `class`, `classes` become HTML attributes),
  then to `processImageExcerpt` (the URL is `urldecode`d, so `+` is a space; the medium is
  `page->getMedia()[basename]`, an exact, case-sensitive array key) and `processMediaActions` calls every
  remaining query item as a method of the medium.
* Media keys are the files directly in the page folder whose extension is in `media.yaml` (compared
  lower-cased); `a@2x.jpg` alone still makes the key `a.jpg`; `x.jpg.meta.yaml` and `x.mp4.thumb.jpg`
  are sidecars, not media.
* Raw HTML `<img src>` is passed through untouched: no media lookup and no actions.

This module is pure Python over the page text (no PHP, no network). The body is scanned with a few
precompiled regular expressions after code blocks and code spans are blanked out (same offsets).
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

from grav_tools.context import PageContext, PageSummary, per_listing
from grav_tools.listing import natural_key
from grav_tools.problems import Finding, Severity
from grav_tools.rules import SITE, collects_facts, rule

# --------------------------------------------------------------------------------------------
# Grav's media types (system/config/media.yaml, Grav 1.7) and what each type can do

MEDIA_TYPES: dict[str, str] = {
    **dict.fromkeys("jpg jpe jpeg png webp avif".split(), "image"),
    "gif": "animated",
    "svg": "vector",
    **dict.fromkeys("mp4 mov m4v swf flv webm ogv".split(), "video"),
    **dict.fromkeys("mp3 ogg wma m4a wav aiff aif".split(), "audio"),
    **dict.fromkeys(
        "txt xml doc docx xls xlsx ppt pptx pps rtf bmp tiff mpeg mpg mpe avi wmv html htm ics pdf ai psd "
        "zip 7z gz tar css js json vcf".split(),
        "file",
    ),
}
_TYPE_WORD = {"animated": "GIF", "vector": "SVG", "video": "video", "audio": "audio", "file": "plain file"}

# ImageMediaTrait::$magic_actions: forwarded to Gregwar\Image by ImageMedium::__call, which checks the
# name with in_array(..., true): CASE-SENSITIVE. `merge` is listed too, but Data::merge(array) is a
# declared method and PHP calls it first (TypeError with a string argument), so it is not here.
MAGIC_ACTIONS = (
    "resize forceResize cropResize crop zoomCrop negate brightness contrast grayscale emboss smooth sharp "
    "edge colorize sepia enableProgressive rotate flip fixOrientation gaussianBlur create fill"
).split()
_MAGIC_LOWER = {name.lower(): name for name in MAGIC_ACTIONS}

# Declared public methods that return the medium (or a Link): PHP method names are case-INsensitive.
# Every one of these is in Grav 2.0's Medium::ALLOWED_ACTIONS too.
_GENERIC = "lightbox link classes id style attribute display thumbnail reset".split()
_DECLARED: dict[str, tuple[str, ...]] = {
    "image": tuple(_GENERIC) + tuple(
        "cropZoom autoSizes aspectRatio retinaScale watermark cache derivatives quality format sizes width "
        "height loading decoding fetchpriority".split()
    ),
    "animated": tuple(_GENERIC) + ("resize", "loading"),
    "vector": tuple(_GENERIC) + ("resize", "loading"),
    "video": tuple(_GENERIC) + tuple("resize controls loop autoplay muted preload poster playsinline".split()),
    "audio": tuple(_GENERIC) + tuple("resize controls loop autoplay muted preload controlsList".split()),
    "file": tuple(_GENERIC),
}
# Declared chainable methods that Grav 1.7 runs but Grav 2.0 drops (not in its allowlist).
_ONLY_17: dict[str, tuple[str, ...]] = {
    "image": ("filter", "addFrame", "clearAlternatives", "higherQualityAlternative", "setImagePrettyName",
              "setTimestamp", "copy"),
    "animated": ("higherQualityAlternative", "setTimestamp", "copy"),
    "vector": ("higherQualityAlternative", "setTimestamp", "copy"),
    "video": ("resetPlayer", "setTimestamp", "copy"),
    "audio": ("resetPlayer", "setTimestamp", "copy"),
    "file": ("setTimestamp", "copy"),
}
# Declared methods that return text, a number, an array or need an array: in Grav 1.7 the result
# replaces the medium and the next call (`parsedownElement()`) fails with a PHP Error.
_BREAKING = (
    "url path relativePath srcset html exists modified size meta metadata getMeta getAlternatives "
    "thumbnailExists querystring urlQuerystring urlHash parsedownElement sourceParsedownElement "
    "getImagePrettyName merge get value"
).split()
_BREAKING_LOWER = {name.lower(): name for name in _BREAKING}
# processLinkExcerpt: system.pages.markdown.valid_link_attributes (in_array strict) and `noprocess`.
LINK_ATTRIBUTES = frozenset({"rel", "target", "id", "class", "classes", "noprocess"})


def _lower_map(names: Iterable[str]) -> dict[str, str]:
    return {name.lower(): name for name in names}


_DECLARED_LOWER = {kind: _lower_map(names) for kind, names in _DECLARED.items()}
_ONLY_17_LOWER = {kind: _lower_map(names) for kind, names in _ONLY_17.items()}


def media_kind(name: str) -> str | None:
    """Grav's media type for a file name (by extension, lower-cased), None when Grav ignores the file."""
    dot = name.rfind(".")
    return MEDIA_TYPES.get(name[dot + 1 :].lower()) if dot >= 0 else None


def known_actions(kind: str) -> list[str]:
    """Every action name Grav runs on a medium of this kind (for suggestions and the docs)."""
    names = list(_DECLARED.get(kind, _DECLARED["file"]))
    if kind == "image":
        names += MAGIC_ACTIONS
    return sorted(set(names) | {"classes", "class", "id", "rel", "target"})


def classify_action(name: str, kind: str) -> tuple[Severity, str] | None:
    """Why Grav does not run the media action `name` on a medium of `kind`; None when it does."""
    if name in LINK_ATTRIBUTES:
        return None
    lower = name.lower()
    if lower in _DECLARED_LOWER.get(kind, {}):
        return None
    if kind == "image" and name in MAGIC_ACTIONS:
        return None
    if lower in _ONLY_17_LOWER.get(kind, {}):
        return Severity.WARNING, (
            f"media action '{name}' runs in Grav 1.7 but Grav 2.0 drops it (it is not in Grav 2's list "
            "of allowed actions)"
        )
    if lower in _BREAKING_LOWER:
        method = _BREAKING_LOWER[lower]
        return Severity.ERROR, (
            f"'{name}' is not a media action but the PHP method {method}(), which returns no image: Grav 1.7 "
            "then stops with a PHP error instead of showing the page (Grav 2.0 ignores it)"
        )
    if kind == "image" and lower in _MAGIC_LOWER:
        right = _MAGIC_LOWER[lower]
        return Severity.ERROR, (
            f"unknown image action '{name}': Grav matches image actions case-sensitively, so it only adds "
            f"'{name}' to the image URL and does not apply it; write '{right}'"
        )
    if kind != "image" and (lower in _MAGIC_LOWER or lower in _DECLARED_LOWER["image"]):
        word = _TYPE_WORD.get(kind, "file")
        return Severity.ERROR, (
            f"'{name}' does nothing on a {word}: Grav only processes JPEG, PNG, WebP and AVIF images "
            f"(a {word} knows {', '.join(a for a in _DECLARED.get(kind, ()) if a not in _GENERIC) or 'no resizing'})"
        )
    candidates = known_actions(kind)
    close = difflib.get_close_matches(lower, [c.lower() for c in candidates], n=1, cutoff=0.7)
    hint = f"; did you mean '{_lower_map(candidates)[close[0]]}'?" if close else ""
    return Severity.ERROR, (
        f"unknown media action '{name}': Grav adds it to the file URL unchanged and does nothing{hint}"
    )


# --------------------------------------------------------------------------------------------
# Code blocks and code spans (Parsedown 1.7, approximated): blanked out with spaces, same offsets

_CODE_HINT_RE = re.compile(r"(?m)`|~~~|^(?: {4}|\t| {1,3}\t)|\[(?:prism|raw)\b")
# shortcode-core raw handlers ([raw], prism-highlight's [prism]) run BEFORE Markdown: their content
# is never Markdown, like a code block.
_RAW_SHORTCODE_RE = re.compile(r"\[(prism|raw)\b[^\]\n]*\](.*?)\[/\1\]", re.S)
_FENCE_OPEN_RE = re.compile(r"( {0,3})(`{3,}|~{3,})[ ]*[^`]*$")
_LIST_ITEM_RE = re.compile(r" {0,3}(?:[*+-]|[0-9]+[.)])(?:[ \t]|$)")
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)((?:[^`\n]|\n(?![ \t]*\n)|`)+?)(?<!`)\1(?!`)")


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def code_line_flags(lines: list[str]) -> list[bool]:
    """Which lines are inside a fenced or indented code block."""
    flags = [False] * len(lines)
    fence: str | None = None
    prev_blank = True
    prev_code = False
    in_list = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence is not None:
            flags[index] = True
            if stripped and len(stripped) >= 3 and stripped == fence * len(stripped) and _indent(line) < 4:
                fence = None
            continue
        if not stripped:
            prev_blank = True
            continue
        indent = _indent(line)
        if indent >= 4 and not in_list and (prev_blank or prev_code):
            flags[index] = True
            prev_code, prev_blank = True, False
            continue
        prev_code = False
        match = _FENCE_OPEN_RE.match(line) if indent < 4 else None
        if match:
            fence = match.group(2)[0]
            flags[index] = True
            prev_blank = False
            continue
        if _LIST_ITEM_RE.match(line):
            in_list = True
        elif indent == 0 and prev_blank:
            in_list = False
        prev_blank = False
    return flags


def masked_body(ctx: PageContext) -> str:
    """The page body with code blanked out, computed once per page (shared by GRV5xx and GRV6xx)."""
    cached = ctx.cache.get("body.masked")
    if cached is None:
        cached = ctx.cache["body.masked"] = mask_code(ctx.page.split.body)
    return cached


_INDENT_HINT_RE = re.compile("\n    ")  # a literal: found faster than by `in` on non-ASCII text
_RAW_HINT_RE = re.compile(r"\[(?:prism|raw)")


def may_hold_code(body: str) -> bool:
    """False when the body surely holds no code (no match for _CODE_HINT_RE).

    For speed: _CODE_HINT_RE, anchored at every line start, costs ~40 us on a 2 kB non-ASCII body;
    these checks (single characters first) ~4 us. True only means "ask _CODE_HINT_RE".
    """
    return (
        "`" in body or "\t" in body or ("~" in body and "~~~" in body) or body.startswith("    ")
        or _INDENT_HINT_RE.search(body) is not None or _RAW_HINT_RE.search(body) is not None
    )


def mask_code(body: str) -> str:
    """The body with code blocks and code spans replaced by spaces (newlines and offsets kept)."""
    if not may_hold_code(body) or _CODE_HINT_RE.search(body) is None:
        return body
    lines = body.split("\n")
    flags = code_line_flags(lines)
    if any(flags):
        lines = [" " * len(text) if flag else text for text, flag in zip(lines, flags)]
        body = "\n".join(lines)
    if "[prism" in body or "[raw" in body:
        body = _RAW_SHORTCODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    if "`" in body:
        body = _CODE_SPAN_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    return body


# --------------------------------------------------------------------------------------------
# References in the body

# `](url "title")` as Parsedown 1.7 reads it: no spaces in the URL, one level of parentheses.
# The URL is read a run of characters at a time, possessively (for speed: one alternation per
# character made finditer ~5.3 us on a 2.7k-character page, now ~2.9). It matches what
# `(?:[^ \t\n()]|\([^ \t\n)]*\))+` matches: only the longest URL can be followed by [ \t)].
_INLINE_RE = re.compile(r"\]\([ \t]*((?:[^ \t\n()]++|\([^ \t\n)]*\))++)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)")
_REF_DEF_RE = re.compile(r"(?m)^ {0,3}\[([^\]\n^][^\]\n]*)\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+[\"'(].*[\"')])?[ \t]*$")
_IMAGE_USE_RE = re.compile(r"!\[([^\]\n]*)\][ ]?\[([^\]\n]*)\]|!\[([^\]\n]+)\](?![\[(:])")
_HTML_IMG_RE = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s>\"']+))", re.I)
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DRIVE_RE = re.compile(r"^[A-Za-z]:[\\/]")
_FS_ABSOLUTE_RE = re.compile(r"^/(?:home|Users|var|srv|tmp|opt|mnt|root|etc|usr|private|Volumes|media/[^/]+/)/")
_PLAIN_NAME_RE = re.compile(r"[A-Za-z0-9_\-@][A-Za-z0-9_\-@.]*\.[A-Za-z0-9]{1,5}$")
_EXT_RE = re.compile(r"\.([A-Za-z0-9]{1,5})$")
_ENTITIES = (("&amp;", "&"), ("&quot;", '"'), ("&#039;", "'"), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"))
# Grav's resource streams: `theme://images/a.jpg` is resolved by Grav, not by the page folder.
GRAV_STREAMS = frozenset("theme themes user page pages image images plugin plugins asset assets account "
                         "cache log backup tmp system blueprints config media".split())


# MediaRef and Resolved are made for every reference of every page: plain slots classes, because a
# frozen dataclass pays an object.__setattr__ per field (0.65 -> 0.16 us an object, ~1% of a page).
# They are never changed after they are made.
@dataclass(slots=True, unsafe_hash=True)
class MediaRef:
    """One image or file reference as written in the body."""

    kind: str  # "image" (Markdown image), "link" (Markdown link) or "html" (<img src>)
    target: str  # the URL as written
    line: int
    column: int  # 1-based, of the first character of the URL
    end_column: int  # exclusive; URLs never span lines


@dataclass(slots=True, unsafe_hash=True)
class Resolved:
    """A reference as Grav resolves it against the page folder."""

    ref: MediaRef
    where: str  # "here", "sub", "up", "outside", "site", "pages", "fs", "stream", "skip"
    path: str  # decoded path without query and fragment
    name: str  # its last segment
    rel: str  # normalised path relative to the page folder ("" when not local)
    query: str  # the query as written (after `?`, before `#`)
    query_column: int  # file column of the first query character
    exists: bool
    found: str = ""  # for sub-folder and ../ references: the file Grav reaches


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


class _Lines:
    """Body offset -> file line and column.

    For speed, a forward cursor: the newlines between the last offset asked and this one are
    counted (refs come in increasing offsets, one pass per kind), so no list of every newline
    of the body is built; going back restarts from the top. Linear per pass either way (800k
    images on one 8 MB line took minutes when every lookup counted from the start).
    """

    def __init__(self, body: str, body_line: int, first_column: int) -> None:
        self.body = body
        self.body_line = body_line
        self.first_column = first_column
        self._offset = 0  # the cursor: lines and the last newline before it are known
        self._lines = 0  # newlines before the cursor
        self._last_newline = -1  # offset of the last newline before the cursor, -1 if none

    def pos(self, offset: int) -> tuple[int, int]:
        body = self.body
        if offset < self._offset:
            self._offset, self._lines, self._last_newline = 0, 0, -1
        between = body.count("\n", self._offset, offset)
        if between:
            self._lines += between
            self._last_newline = body.rfind("\n", self._offset, offset)
        self._offset = offset
        if self._lines == 0:
            return self.body_line, self.first_column + offset
        return self.body_line + self._lines, offset - self._last_newline


_BRACKET_RE = re.compile(r"[\[\]]|\n[ \t]*\n")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _opening_bracket(text: str, close: int) -> int:
    """Index of the `[` that the `]` at `close` closes (nested brackets balanced), -1 if none.

    Only the brackets of the last 1000 characters of the same paragraph are visited.
    """
    start = max(0, close - 1000)
    opening = text.rfind("[", start, close)
    if opening >= 0 and text.find("]", opening, close) < 0:  # the common case: no nested brackets
        if text.find("\n", opening, close) >= 0 and _BLANK_LINE_RE.search(text, opening, close):
            return -1
        return opening if opening == 0 or text[opening - 1] != "\\" else -1
    marks = [(m.start(), m.group(0)) for m in _BRACKET_RE.finditer(text, start, close)]
    depth = 0
    for index, mark in reversed(marks):
        if mark == "]":
            depth += 1
        elif mark == "[":
            if depth == 0:
                return index if index == 0 or text[index - 1] != "\\" else -1
            depth -= 1
        else:
            return -1  # a blank line: the paragraph starts after it
    return -1


def _ref_marks(body: str) -> tuple[bool, bool, bool]:
    """(inline `](`, definition `]:`, `<img` in one of the spellings _find_refs reads) in the body.

    Masking code only turns characters into spaces, so a mark absent from the body is absent from
    the masked body too. `<` is looked for first: one character is found ~10x faster.
    """
    html = "<" in body and ("<img" in body or "<IMG" in body or "<Img" in body)
    return (*_bracket_marks(body), html)


_MAX_BRACKETS = 64


def _bracket_marks(body: str) -> tuple[bool, bool]:
    """("](" in body, "]:" in body), read from the characters after the first few `]`.

    For speed: on non-ASCII text a one-character search is several times faster than a
    two-character one (~3.7 -> ~1.2 us on a 2.7k-character page); past _MAX_BRACKETS brackets
    the two-character searches answer.
    """
    inline = definition = False
    at = body.find("]")
    for _ in range(_MAX_BRACKETS):
        if at < 0 or (inline and definition):
            return inline, definition
        after = body[at + 1 : at + 2]
        inline = inline or after == "("
        definition = definition or after == ":"
        at = body.find("]", at + 1)
    return inline or "](" in body, definition or "]:" in body


# resolve() skips these (a scheme that is no Grav stream): half of a blog's references are links
_WEB = ("http://", "https://")


def _find_refs(text: str, where: _Lines, marks: tuple[bool, bool, bool]) -> list[MediaRef]:
    """Image and link targets in the masked body (code blocks and code spans blanked), told which
    marks the unmasked body holds; web URLs left out, which resolve() would skip: for speed, no
    opening bracket or position is looked up for them."""
    inline, definition, html = marks
    refs: list[MediaRef] = []
    if inline:
        for match in _INLINE_RE.finditer(text):
            target = match.group(1)
            if target.startswith(_WEB):
                continue
            opening = _opening_bracket(text, match.start())
            if opening < 0:
                continue
            image = opening > 0 and text[opening - 1] == "!" and (opening < 2 or text[opening - 2] != "\\")
            line, column = where.pos(match.start(1))
            refs.append(MediaRef("image" if image else "link", target, line, column, column + len(target)))
    if definition and "]:" in text:
        definitions = list(_REF_DEF_RE.finditer(text))
        if definitions:
            used_as_image = set()
            for use in _IMAGE_USE_RE.finditer(text):
                ident = (use.group(2) or use.group(1)) if use.group(3) is None else use.group(3)
                used_as_image.add((ident or "").strip().lower())
            for match in definitions:
                target = match.group(2)
                if target.startswith(_WEB):
                    continue
                kind = "image" if match.group(1).strip().lower() in used_as_image else "link"
                line, column = where.pos(match.start(2))
                refs.append(MediaRef(kind, target, line, column, column + len(target)))
    if html:
        for match in _HTML_IMG_RE.finditer(text):
            group = 1 if match.group(1) is not None else 2 if match.group(2) is not None else 3
            target = match.group(group)
            if target.startswith(_WEB):
                continue
            line, column = where.pos(match.start(group))
            refs.append(MediaRef("html", target, line, column, column + len(target)))
    refs.sort(key=lambda r: (r.line, r.column))
    return refs


# --------------------------------------------------------------------------------------------
# Resolving against the folder


_RETINA_RE = re.compile(r"(.*)@(\d+)x\.(.*)$")


def file_parts(name: str) -> tuple[str, str | None, str]:
    """AbstractMedia::getFileParts: (media key, extension, type) where type is base/alternative/meta/thumb."""
    if "@" not in name:  # for speed, the common `a.jpg` (~1.2 -> 0.3 us): what the steps below give it
        dot = name.find(".")
        after = name[dot + 1 :]
        if dot >= 0 and "." not in after and after and after not in ("meta", "thumb"):
            return name, after, "base"
    match = _RETINA_RE.match(name)
    if match:
        kind = "base" if int(match.group(2)) == 1 else "alternative"
        return f"{match.group(1)}.{match.group(3)}", match.group(3), kind
    parts = name.split(".")
    base, extension = parts[0], None
    for part in parts[1:]:
        if part in ("meta", "thumb"):
            return (f"{base}.{extension}" if extension else base), extension, part
        if extension is not None:
            base += "." + extension
        extension = part
    return (f"{base}.{extension}" if extension else base), extension, "base"


@per_listing  # not an lru_cache too: it hashed the whole listing on every call
def media_keys(files: tuple[str, ...]) -> frozenset[str]:
    """The names `page.media[...]` knows in a folder with these files."""
    return frozenset(key for _, key, kind in _candidate_parts(files) if kind in ("base", "alternative"))


def _body_first_column(ctx: PageContext) -> int:
    split = ctx.page.split
    first = split.body.split("\n", 1)[0]
    text = ctx.page.line_text(split.body_line)
    return len(text) - len(first) + 1 if first and text.endswith(first) else 1


def page_refs(ctx: PageContext) -> list[MediaRef]:
    """The references in this page's body but web URLs, computed once per page."""
    cached = ctx.cache.get("media.refs")
    if cached is None:
        split = ctx.page.split
        body = split.body
        marks = _ref_marks(body) if ctx.page.decoded.utf8 else (False, False, False)
        if not any(marks):
            cached = []
        else:
            where = _Lines(body, split.body_line, _body_first_column(ctx))
            cached = _find_refs(masked_body(ctx), where, marks)
        ctx.cache["media.refs"] = cached
    return cached


def _skipped(ref: MediaRef) -> Resolved:
    """A reference the media rules do not look at (Twig, anchors, other sites, empty paths)."""
    return Resolved(ref, "skip", "", "", "", "", 0, True)


def resolve(ctx: PageContext, ref: MediaRef) -> Resolved:
    """Where Grav looks for the referenced file, and whether it is there."""
    written = ref.target
    if _PLAIN_NAME_RE.match(written):  # the common case: `a.jpg` beside the page
        files = ctx.folder_files
        exists = written in _name_set(files) or (ref.kind != "html" and written in media_keys(files))
        return Resolved(ref, "here", written, written, written, "", 0, exists)
    if "{{" in written or "{%" in written or written.startswith("#"):
        return _skipped(ref)
    raw = _unescape(written)
    if _DRIVE_RE.match(raw) or raw.lower().startswith("file:"):
        return Resolved(ref, "fs", raw, raw.replace("\\", "/").rsplit("/", 1)[-1], "", "", 0, False)
    scheme = _SCHEME_RE.match(raw)
    if scheme or raw.startswith("//"):
        if scheme and scheme.group(1).lower() in GRAV_STREAMS and raw[scheme.end() : scheme.end() + 2] == "//":
            stream_query = written.find("?")
            column = ref.column + stream_query + 1 if stream_query >= 0 else 0
            query = written[stream_query + 1 :].split("#", 1)[0] if stream_query >= 0 else ""
            return Resolved(ref, "stream", raw, raw.rsplit("/", 1)[-1], "", query, column, True)
        return _skipped(ref)
    query_at = written.find("?")
    hash_at = written.find("#")
    cut = min(i for i in (query_at, hash_at, len(written)) if i >= 0)
    query = ""
    query_column = 0
    if query_at >= 0 and (hash_at < 0 or query_at < hash_at):
        query = written[query_at + 1 : hash_at if hash_at > query_at else len(written)]
        query_column = ref.column + query_at + 1
    decode = unquote_plus if ref.kind == "image" else unquote
    path = decode(_unescape(written[:cut]))
    if not path:
        return _skipped(ref)
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if path.startswith("/"):
        if _FS_ABSOLUTE_RE.match(path):
            return Resolved(ref, "fs", path, name, "", query, query_column, False)
        where = "pages" if path.startswith("/user/pages/") else "site"
        return Resolved(ref, where, path, name, "", query, query_column, True)
    rel = posixpath.normpath(path)
    folder = str(ctx.page.folder)
    if "/" in rel or rel == "..":
        ctx.cache["looked_outside"] = True  # other folders decide this page's verdicts: not cacheable
    if rel.startswith("../") or rel == "..":
        target = os.path.normpath(os.path.join(folder, rel))
        boundary = _boundary(ctx)
        if boundary is not None and not _inside(target, boundary):
            if ctx.site.pages_dir is not None:  # out of user/pages: never looked at, Grav does not serve it
                return Resolved(ref, "outside", path, name, rel, query, query_column, False, "")
            # out of the folder being checked (no Grav site around it): not looked at either
            return Resolved(ref, "up", path, name, rel, query, query_column, True, "")
        found = locate(folder, rel, boundary) or ""
        return Resolved(ref, "up", path, name, rel, query, query_column, bool(found), found)
    if "/" in rel:
        boundary = _boundary(ctx)
        if not _inside(os.path.join(folder, rel), boundary):  # through a symlinked folder: not looked at
            return Resolved(ref, "sub", path, name, rel, query, query_column, True, "")
        found = locate(folder, rel, boundary) or ""
        return Resolved(ref, "sub", path, name, rel, query, query_column, bool(found), found)
    files = ctx.folder_files
    exists = rel in _name_set(files) or (ref.kind != "html" and rel in media_keys(files))
    return Resolved(ref, "here", path, rel, rel, query, query_column, exists)


def looks_like_file(resolved: Resolved) -> bool:
    """Media-like targets only: an extension, and for links one Grav serves as media (not pages)."""
    match = _EXT_RE.search(resolved.name)
    if match is None:
        return False
    extension = match.group(1).lower()
    if extension == "md":
        return False
    if resolved.ref.kind == "link":
        return extension in MEDIA_TYPES and extension not in ("html", "htm")
    return True


def resolved_refs(ctx: PageContext) -> list[Resolved]:
    """Every media-like reference of the page, resolved; computed once per page."""
    cached = ctx.cache.get("media.resolved")
    if cached is None:
        cached = []
        for ref in page_refs(ctx):
            item = resolve(ctx, ref)
            if item.where != "skip" and looks_like_file(item):
                cached.append(item)
        ctx.cache["media.resolved"] = cached
    return cached


# --------------------------------------------------------------------------------------------
# Facts for the site rules


_PREFIX_RE = re.compile(r"^[0-9]+\.")
_DIGITS_RE = re.compile(r"[0-9]+")


def _boundary(ctx: PageContext) -> str | None:
    """The real path of the tree whose files the rules may look at: the site's `user/pages`, else
    the folder the user gave (None when the caller did not say: no limit)."""
    if "media.boundary" not in ctx.cache:
        pages_dir = ctx.site.pages_dir
        tree = str(pages_dir) if pages_dir is not None else ctx.tree
        ctx.cache["media.boundary"] = os.path.realpath(tree) if tree else None
    return ctx.cache["media.boundary"]  # type: ignore[no-any-return]


def _inside(path: str, boundary: str | None) -> bool:
    """Is `path`, once `..` and symlinks are resolved, inside `boundary`? (`../` links and symlinked
    folders must never make a rule list or stat anything outside the checked tree.)"""
    if boundary is None:
        return True
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):  # ValueError: a NUL, which no file name holds; nothing is found there
        return True
    return real == boundary or real.startswith(boundary.rstrip(os.sep) + os.sep)


_LISTINGS: dict[str, tuple[int, tuple[str, ...], dict[str, str]]] = {}


def _listing(folder: str) -> tuple[tuple[str, ...], dict[str, str]] | None:
    """(sorted names, route slug -> sub-folder path) of a folder; None when it cannot be listed.

    Listed once until the folder changes (its mtime), not once per reference: every page of a
    100k-file folder would otherwise list it again.
    """
    try:
        stamp = os.stat(folder).st_mtime_ns
        known = _LISTINGS.get(folder)
        if known is None or known[0] != stamp:
            names = []
            slugs: dict[str, str] = {}
            for entry in os.scandir(folder):
                names.append(entry.name)
                if entry.is_dir():
                    slugs.setdefault(_PREFIX_RE.sub("", entry.name).lower(), entry.path)
            if len(_LISTINGS) > 1024:
                _LISTINGS.clear()
            known = _LISTINGS[folder] = (stamp, tuple(sorted(names)), slugs)
    except (OSError, ValueError):  # ValueError: a NUL in a path from the page text
        return None
    return known[1], known[2]


def _child_by_slug(folder: str, slug: str) -> str | None:
    """The sub-folder of `folder` whose route slug (numeric prefix removed, lower-cased) is `slug`."""
    listing = _listing(folder)
    return listing[1].get(slug) if listing is not None else None


@per_listing
def _media_names(files: tuple[str, ...]) -> list[str]:
    return [f for f in files if not f.endswith(".md")]


@per_listing
def _name_set(files: tuple[str, ...]) -> frozenset[str]:
    """The names of a listing as a set: `name in files` on a 100k-name tuple, once per reference of
    every page of the folder, was quadratic."""
    return frozenset(files)


def locate(folder: str, rel: str, boundary: str | None = None) -> str | None:
    """The file a relative reference reaches, as Grav finds it; None when it does not.

    `Uri::convertUrl` first tries the path on disk (`page->path() . '/' . url`). When there is no
    such file it builds the URL from the page ROUTE instead, and `processImageExcerpt` (or Grav's
    media URL fallback for links) looks the file up in the media of the page with that route: so
    `../introduction/a.png` also reaches `../01.introduction/a.png`.
    """
    direct = os.path.normpath(os.path.join(folder, rel))
    if _inside(direct, boundary) and os.path.isfile(direct):
        return direct
    parts = rel.split("/")
    current = folder
    for part in parts[:-1]:
        if part == "..":
            current = os.path.dirname(current)
        elif part not in (".", ""):
            found = _child_by_slug(current, part) if _inside(current, boundary) else None
            if found is None:
                return None
            current = found
    if not _inside(current, boundary):
        return None
    listing = _listing(current)
    if listing is None:
        return None
    files = listing[0]
    name = parts[-1]
    if name in _name_set(files):
        return os.path.join(current, name)
    if name in media_keys(files):
        return os.path.join(current, name)
    return None


def _missing_hint(ctx: PageContext, item: Resolved) -> str:
    """Why a bare file name is not found: case, '+' decoding or a near name (empty when no idea)."""
    ref = item.ref
    files = _media_names(ctx.folder_files)
    if item.where in ("sub", "up") and item.name in files:
        if ref.kind == "html":
            return (f"'{item.name}' is beside the page: write `![...]({item.name})`, which Grav points at the page "
                    "folder (the browser resolves a raw HTML src against the page URL instead)")
        return f"'{item.name}' is beside the page: write just its name"
    if item.where == "sub":
        directory = os.path.join(str(ctx.page.folder), posixpath.dirname(item.rel))
        try:
            if not _inside(directory, _boundary(ctx)):
                raise NotADirectoryError
            files = sorted(os.listdir(directory))
        except (OSError, ValueError):
            return f"there is no folder '{posixpath.dirname(item.rel)}' beside the page"
    elif item.where != "here":
        return ""
    name = item.name
    if ref.kind == "image" and "+" in ref.target:
        literal = unquote(_unescape(ref.target.split("?", 1)[0].split("#", 1)[0])).rsplit("/", 1)[-1]
        if literal in files:
            return (f"Grav decodes '+' in an image path as a space and looks for '{name}'; the file is "
                    f"'{literal}': write %2B for '+'")
    same_case = [f for f in files if f.lower() == name.lower()]
    if same_case:
        return f"Grav's media lookup is case-sensitive: the file is named '{same_case[0]}'"
    # `IMG_8558.JPG` next to `IMG_8559.JPG` is another photo, not a typo: names that differ only in
    # their numbers are not suggested.
    shape, numbers = _DIGITS_RE.sub("#", name), [int(n) for n in _DIGITS_RE.findall(name)]
    typos = [f for f in files if _DIGITS_RE.sub("#", f) != shape or [int(n) for n in _DIGITS_RE.findall(f)] == numbers]
    close = difflib.get_close_matches(name, typos, n=1, cutoff=0.75)
    if close:
        return f"did you mean '{close[0]}'?"
    return ""


_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.@%+")
_TWIG_ALL_MEDIA_RE = re.compile(r"media\s*\.\s*(?:all|images|files|videos|audios)\b")


def _mentions(text: str, name: str) -> bool:
    """Does `text` contain `name` as a whole file name (not inside a longer name)? A full stop after it is fine."""
    size = len(text)
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        after = text[end] if end < size else ""
        if (start == 0 or text[start - 1] not in _NAME_CHARS) and (
            not after or after not in _NAME_CHARS
            or (after == "." and (end + 1 == size or text[end + 1] not in _NAME_CHARS))
        ):
            return True
        start = text.find(name, start + 1)
    return False


def _mentioned(ctx: PageContext, names: Iterable[str]) -> set[str]:
    """Which of these file names the page text (header or body) mentions as a whole name."""
    text = ctx.page.text
    found = set()
    escapes = "%" in text
    for name in names:
        if _mentions(text, name):
            found.add(name)
        elif escapes:
            encoded = quote(name)
            if encoded != name and encoded in text:
                found.add(name)
    return found


@per_listing  # every page of a folder asks about the same (maybe 100k-name) listing: no lru_cache hashing it
def _candidate_parts(files: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(name, media key, kind) of each file of a folder that is media worth referencing (no pages,
    sidecars or thumbnails). Shared by media_facts and GRV505, so that each name
    is split once (file_parts twice a name was a fifth of media_facts)."""
    out = []
    for name in files:
        if name.endswith(".md") or name.startswith(".") or name in ("frontmatter.yaml", "media.json"):
            continue
        key, extension, kind = file_parts(name)
        if kind in ("meta", "thumb") or not extension or extension.lower() not in MEDIA_TYPES:
            continue
        out.append((name, name if key == name else key, kind))  # the same str twice costs nothing
    return tuple(out)


@per_listing  # once per folder: every page of a 20k-page folder asks
def _first_page_name(files: tuple[str, ...]) -> str:
    """The `.md` file of a folder that carries the folder's media facts (the first by name)."""
    return min((n for n in files if n.endswith(".md")), default="")


def _first_image(parts: tuple[tuple[str, str, str], ...]) -> str | None:
    """The media key of a folder's first image (natural order), which themes show as the header
    image; `parts` as _candidate_parts gives them.

    GRV505 asks only for a folder with a file that no page names, in the main process: worked out
    in the workers for every folder, the natural sort keys were 1.6% of a page's CPU.
    """
    images = [(name, key) for name, key, _ in parts if media_kind(name) == "image"]
    if not images:
        return None
    first = images[0] if len(images) == 1 else min(images, key=lambda image: natural_key(image[0]))
    return first[1]


_MAX_MISSING = 1000  # per page: more than the engine lists (lint.MAX_FINDINGS_PER_RULE), far fewer than 500k


@collects_facts
def media_facts(ctx: PageContext) -> Iterable[tuple[str, Any]]:
    """media.missing: references to files that are not there; media.used.here / media.used: files
    this page uses in its own folder (names) / in other folders ((folder, name) pairs);
    media.folder: what GRV505 needs of the folder listing (_candidate_parts, from one page of the
    folder: in the workers, once per folder, it cost the main process half a second on a 10k-post site)."""
    if not ctx.page.decoded.utf8:
        return
    folder = str(ctx.page.folder)
    missing: list[tuple[Any, ...]] = []
    here: set[str] = set()  # names in the page's own folder apart from the rest: no folder path per name
    elsewhere: set[tuple[str, str]] = set()
    for item in resolved_refs(ctx):
        if item.where in ("here", "sub", "up") and not item.exists and len(missing) < _MAX_MISSING:
            ref = item.ref
            missing.append((ref.line, ref.column, ref.end_column, ref.kind, item.path, item.name,
                            item.where, _missing_hint(ctx, item)))
        if item.where == "here":
            here.add(item.name)
        elif item.where in ("sub", "up") and item.found:
            where, name = os.path.split(item.found)
            if where == folder:
                here.add(name)
            else:
                elsewhere.add((where, name))
    if missing:
        yield "media.missing", tuple(missing)
    parts = _candidate_parts(ctx.folder_files)
    if parts:
        if ctx.page.path.name == _first_page_name(ctx.folder_files):
            yield "media.folder", parts  # one page per folder carries it
        if _TWIG_ALL_MEDIA_RE.search(ctx.page.split.body):
            yield "media.all", True
        # for speed: a name the body references already is not looked for in the text again
        here |= _mentioned(ctx, [name for name, _, _ in parts if name not in here])
    if here:
        yield "media.used.here", tuple(sorted(here))
    if elsewhere:
        yield "media.used", tuple(sorted(elsewhere))


# --------------------------------------------------------------------------------------------
# Rules


def _folder_display(page: PageSummary) -> str:
    """The page folder as the user knows it: relative to `user/pages` when inside a site."""
    pages_dir = page.site.pages_dir
    if pages_dir is not None and page.folder.startswith(str(pages_dir) + os.sep):
        return page.folder[len(str(pages_dir)) + 1 :].replace(os.sep, "/")
    return page.display.rsplit("/", 1)[0] if "/" in page.display else "."


@rule("GRV501", "missing-media", Severity.ERROR, scope=SITE)
def missing_media(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """An image or file reference whose file is not in the page folder.

    What: `![](photo.jpg)`, `[PDF](report.pdf)`, a reference definition or `<img src="...">` that names
    a file (it has an extension) which does not exist beside the page (or in the sub-folder or
    other folder it points into). Percent-escapes are decoded first (`+` too, for images, as Grav
    does). Links to other pages (no extension, or `.md`), external URLs, site-absolute paths,
    anchors, Twig and code blocks are not checked.
    Why: Grav finds page media by exact file name (case-sensitive), so the image or download is
    broken: Grav prints a plain URL that answers 404, with no warning.
    Example: `![](Photo.JPG)` when the file is `photo.jpg`; `![](2023-01-09-1.jpg)` after the file was
    renamed or never copied.
    Fix: copy the file beside the page or correct the name; the message suggests a case-only
    difference, a near name, or another folder of the site that has a file of that name.
    """
    by_name: dict[str, list[PageSummary]] = {}
    by_lower: dict[str, list[PageSummary]] = {}
    index_built = False
    for page in pages:
        missing = page.fact("media.missing")
        if not missing:
            continue
        if not index_built:
            seen_folders: set[str] = set()
            for other in pages:
                if other.folder in seen_folders:
                    continue
                seen_folders.add(other.folder)
                for name in other.media:
                    if not name.endswith(".md"):
                        by_name.setdefault(name, []).append(other)
                        by_lower.setdefault(name.lower(), []).append(other)
            index_built = True
        for line, column, end_column, kind, path, name, where, hint in missing:
            what = "image" if kind in ("image", "html") else "file"
            place = {"here": "in the page folder", "sub": "in that sub-folder",
                     "up": "at that path"}.get(where, "in the page folder")
            shows = "the page shows" if kind == "html" else "Grav shows"
            message = f"{what} '{path}' does not exist {place}: {shows} a broken {what}"
            if not hint and where == "here":
                elsewhere = [f for f in by_name.get(name, []) if f.folder != page.folder]
                if not elsewhere:
                    elsewhere = [f for f in by_lower.get(name.lower(), []) if f.folder != page.folder]
                if 0 < len(elsewhere) <= 3:  # a common name (`1.jpg`) in many folders says nothing
                    more = f" (and {len(elsewhere) - 1} more)" if len(elsewhere) > 1 else ""
                    spelt = next(n for n in elsewhere[0].media if n.lower() == name.lower())
                    which = "a file of that name" if spelt == name else f"a file named '{spelt}'"
                    hint = (f"{which} is in '{_folder_display(elsewhere[0])}'{more}: if it is this one, copy it "
                            "beside this page")
            if hint:
                message += f"; {hint}"
            yield Finding(line, column, message, line, end_column, path=page.display)


@rule("GRV502", "subfolder-media", Severity.WARNING)
def subfolder_media(ctx: PageContext) -> Iterable[Finding]:
    """An image or file referenced through a sub-folder of the page folder.

    What: `![](images/a.jpg)` or `[PDF](files/report.pdf)`: the file is not directly beside the page.
    Why: only files directly in the page folder are the page's media (`page.media`, Admin's media
    list, `media_order`, themes' "first image"). Grav 1.7 turns every sub-folder into a hidden
    folder page of its own and looks the image up there, so it shows, but it depends on that
    folder page: a sub-folder whose name starts with `.` or contains `:` is never read (the image
    is a broken link), and the link breaks when the folder is moved or renamed.
    Example: NBISweden's carousel with `![](images/slide1.jpg)`.
    Fix: move the file next to the page and write just its name: `![](a.jpg)`.
    """
    skip = set(ctx.site.ignore_folders)
    for item in resolved_refs(ctx):
        if item.where != "sub" or not item.exists:
            continue
        ref = item.ref
        parts = item.rel.split("/")[:-1]
        hidden = [p for p in parts if p.startswith(".") or ctx.site.param_sep in p or p in skip]
        if hidden:
            yield Finding(ref.line, ref.column, f"'{item.path}' is in the sub-folder '{hidden[0]}', which Grav "
                          "never reads: the file is not served as media and the link is broken",
                          ref.line, ref.end_column, severity=Severity.ERROR)
            continue
        folder = "/".join(parts)
        if ref.kind == "html":
            why = ("raw HTML is not processed by Grav, so the browser loads it relative to the page URL, "
                   "which is not the page folder")
        else:
            why = (f"Grav finds it only through the hidden folder page it makes of '{folder}'; "
                   "`page.media`, Admin and themes do not see it")
        yield Finding(ref.line, ref.column, f"'{item.path}' is in the sub-folder '{folder}', not beside the page: "
                      f"{why}; move it next to the page", ref.line, ref.end_column)


@rule("GRV503", "media-outside-page", Severity.WARNING)
def media_outside_page(ctx: PageContext) -> Iterable[Finding]:
    """A reference to a file outside the page folder, or by a fragile absolute path.

    What: `../other-post/a.jpg`, a path that leaves the site's `user/pages`, a site-absolute
    `/user/pages/...` URL, or a path on the author's computer (`C:\\...`, `/home/...`, `file://`).
    Why: Grav resolves `../x/a.jpg` on disk (or, failing that, by the page route) and shows the
    file as media of ANOTHER page, so it breaks silently when that page is renamed, moved or
    deleted; a path out of `user/pages` is not served; `/user/pages/...` skips Grav's media
    handling (no resizing, no `?actions`) and breaks when Grav runs in a sub-folder or the folder
    is renamed; a local disk path never works online.
    Example: `![](/user/pages/02.news/01.post/a.jpg)`.
    Fix: copy the file beside the page and reference it by name.
    """
    for item in resolved_refs(ctx):
        ref = item.ref
        if item.where == "up":
            folder = posixpath.dirname(item.rel) or ".."
            message = (f"'{item.path}' points out of this page's folder into '{folder}': Grav shows it as media "
                       "of another page, so it breaks when that folder is renamed or moved or its page changes "
                       "route; copy the file beside this page")
        elif item.where == "outside":
            message = (f"'{item.path}' points out of the site's pages folder: Grav does not serve files from "
                       "there, the link is broken")
            yield Finding(ref.line, ref.column, message, ref.line, ref.end_column, severity=Severity.ERROR)
            continue
        elif item.where == "pages":
            message = (f"'{item.path}' is a site-absolute path into user/pages: Grav's media handling is skipped "
                       "(no resizing or ?actions) and the link breaks when Grav runs in a sub-folder or the "
                       "folder is renamed; reference the file by name from its own page")
        elif item.where == "fs":
            message = (f"'{item.path}' is a path on the author's computer: no browser can load it from the "
                       "site; copy the file beside the page and reference it by name")
            yield Finding(ref.line, ref.column, message, ref.line, ref.end_column, severity=Severity.ERROR)
            continue
        else:
            continue
        yield Finding(ref.line, ref.column, message, ref.line, ref.end_column)


_QUERY_ITEM_RE = re.compile(r"[^&]+")


@rule("GRV504", "unknown-media-action", Severity.ERROR)
def unknown_media_action(ctx: PageContext) -> Iterable[Finding]:
    """An image URL `?action` that Grav does not run.

    What: a query item of a Markdown image (`![](a.jpg?cropresize=300,300)`) that is not an
    action of that kind of medium.
    Why: Grav calls every query item as a PHP method of the medium, with no check in Grav 1.7.
    PHP method names are case-insensitive, but the image actions (`resize`, `cropResize`,
    `grayscale`, ...) are not real methods: `ImageMedium::__call` forwards them only when the name
    matches exactly (`in_array(..., true)`). Any other name falls through to `__call`, which adds it
    to the image URL and does nothing: the image is not resized. Real methods that return no image
    or want other arguments (`?url`, `?html`, `?merge=...`) make Grav 1.7 stop with a PHP error
    (Grav 2.0 drops them).
    GIF and SVG files, videos and audio only know `resize` and their player options.
    Example: `![](a.jpg?cropresize=300,300)` is shown at full size; write `cropResize`.
    Fix: use the exact action name from Grav's media documentation.
    """
    for item in resolved_refs(ctx):
        if item.ref.kind != "image" or not item.query or item.where in ("fs", "outside"):
            continue
        kind = media_kind(item.name) or "file"
        for match in _QUERY_ITEM_RE.finditer(item.query):
            token = match.group(0)
            if token.startswith("amp;"):
                continue
            name = unquote(token.split("=", 1)[0])
            if not name:
                continue
            verdict = classify_action(name, kind)
            if verdict is None:
                continue
            severity, message = verdict
            column = item.query_column + match.start()
            end = column + len(token.split("=", 1)[0])
            yield Finding(item.ref.line, column, message, item.ref.line, end, severity=severity)


@rule("GRV505", "unused-media", Severity.INFO, scope=SITE)
def unused_media(pages: Sequence[PageSummary]) -> Iterable[Finding]:
    """A media file in a page folder that no language version of the page uses.

    What: an image, video or document beside the page whose name appears in no language file of
    that page (body references, `header_image_file`, `media_order` or any other header value)
    and in no `../` reference from another page. Sidecars (`*.meta.yaml`), thumbnails
    (`x.mp4.thumb.jpg`) and retina files (`a@2x.jpg` when `a.jpg` is used) are not counted, and
    the folder's first image is assumed to be the theme's header image (`page.media.images|first`,
    used by Quark and most blog themes). Folders whose page lists its media in Twig are skipped.
    Why: Grav publishes every file of the folder under the page URL, so a forgotten file is still
    downloadable; it is usually a leftover of an edit or a picture that was meant to be shown.
    Example: `02.news/01.post/old-draft.jpg` that no `item.*.md` mentions.
    Fix: reference it, or delete it.
    """
    by_folder: dict[str, list[PageSummary]] = defaultdict(list)
    used: dict[str, set[str]] = defaultdict(set)
    all_media: set[str] = set()
    for page in pages:
        if not page.page_file:
            continue
        by_folder[page.folder].append(page)
        used[page.folder].update(page.fact("media.used.here", ()))
        for folder, name in page.fact("media.used", ()):
            used[folder].add(name)
        if page.fact("media.all"):
            all_media.add(page.folder)
    for folder, members in by_folder.items():
        if folder in all_media:
            continue
        plan = next((p.fact("media.folder") for p in members if p.fact("media.folder")), None)
        candidates = plan if plan is not None else _candidate_parts(members[0].media)
        if not candidates:
            continue
        names_used = used.get(folder, set())
        unnamed = [part for part in candidates if part[0] not in names_used]
        if not unnamed:
            continue
        first_image = _first_image(candidates)  # only for a folder with a file no page names
        keys_used: set[str] | None = None  # only retina files (`a@2x.jpg`) need them
        unused = []
        for name, key, kind in unnamed:
            if key == first_image:
                continue
            if kind == "alternative":
                if keys_used is None:
                    keys_used = {file_parts(n)[0] for n in names_used}
                if key in keys_used or key in names_used:
                    continue
            unused.append(name)
        if not unused:
            continue
        unused.sort(key=natural_key)
        first = min(members, key=lambda p: p.display)
        shown = ", ".join(unused[:8]) + (f" and {len(unused) - 8} more" if len(unused) > 8 else "")
        if len(unused) > 1:
            what, it = f"{len(unused)} files", "them"
        else:
            what, it = "a file", "it"
        yield Finding(1, 1, f"{what} in this page folder that no language version of the page uses: {shown}; "
                      f"Grav still publishes {it} under the page URL", path=first.display)
