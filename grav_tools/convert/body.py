"""Body rewriting shared by every reader: asset references, image carousels, the summary separator.

Readers first turn their own syntax (Liquid, Hugo shortcodes, Obsidian embeds) into plain
Markdown; then `rewrite_refs` swaps every local file reference for an asset token, `carousels`
turns runs of image-only paragraphs into `[owl-carousel]` blocks, and `place_summary` writes the
`===` separator with the blank lines Grav needs. Fenced code is never touched: what is inside a
code block is an example, not a reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace as _replace
from pathlib import Path
from urllib.parse import unquote

from grav_tools.convert.model import Asset, Post
from grav_tools.rules.media import MEDIA_TYPES

SUMMARY_MARK = "\x00grav-tools-summary\x00"
ASSET_TOKEN = "grav-tools-asset-{}-"
LINK_TOKEN = "grav-tools-link-{}-"
MISSING = Path("/\x00missing")  # resolve() answer: a local file reference whose file is not there

NOT_ASSETS = frozenset({"html", "htm", "css", "js", "json", "xml"})
ASSET_EXTENSIONS = frozenset(ext for ext in MEDIA_TYPES if ext not in NOT_ASSETS)

Resolver = Callable[[str], Path | None]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_INLINE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^<>\n]*>|[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^<>\n]*>|\S+)(.*)$")
_HTML_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)(\"[^\"]*\"|'[^']*')", re.I)
_IMAGE = r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
_IMAGE_LINE = re.compile(rf"^[ \t]*(?:{_IMAGE}[ \t]*)+$")
_ONE_IMAGE = re.compile(_IMAGE)


def code_lines(lines: list[str]) -> list[bool]:
    """For each line: is it inside (or a fence of) a fenced code block?"""
    flags: list[bool] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                flags.append(True)
                continue
            flags.append(False)
        else:
            flags.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip()[len(match.group(1)):].strip():
                fence = None
    return flags


def _outside_code_spans(line: str, func: Callable[[str], str]) -> str:
    """Apply `func` to the parts of a line that are not inline code."""
    if "`" not in line:
        return func(line)
    out, last = [], 0
    for match in _CODE_SPAN.finditer(line):
        out.append(func(line[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(func(line[last:]))
    return "".join(out)


def file_like(url: str) -> bool:
    """Does a URL name a file Grav serves as media (an image, a PDF, ...), not a page?"""
    path = url.split("#", 1)[0].split("?", 1)[0]
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[1].lower() in ASSET_EXTENSIONS


def is_local(url: str) -> bool:
    """Not external (scheme, `//host`), not an anchor, not Twig or a template placeholder."""
    return not (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith(("//", "#"))
                or "{{" in url or "{%" in url or not url)


def url_path(url: str) -> str:
    """The decoded path part of a URL (no query, no fragment)."""
    return unquote(url.split("#", 1)[0].split("?", 1)[0])


def asset_token(post: Post, source: Path) -> str:
    """The placeholder for `source` in this post (one per distinct file)."""
    for asset in post.assets:
        if asset.source == source:
            return asset.token
    token = ASSET_TOKEN.format(len(post.assets))
    post.assets.append(Asset(token, source, source.name))
    return token


class _Refs:
    """Rewrites one post's references; notes missing files once per target."""

    def __init__(self, post: Post, resolve: Resolver, site_urls: tuple[str, ...]) -> None:
        self.post = post
        self.resolve = resolve
        self.site_urls = site_urls
        self.line = 1
        self.missing: set[str] = set()

    def target(self, raw: str, image: bool) -> str | None:
        """The token for a local file reference, None to keep the reference as written."""
        url = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
        absolute, url = url, own_path(url, self.site_urls)
        if not is_local(url) or url.startswith(("grav-tools-asset-", "grav-tools-link-")):
            return None
        if not image and not file_like(url):
            return None
        found = self.resolve(url)
        if found is None:
            return None
        if found == MISSING:
            if url not in self.missing and (image or file_like(url)):
                self.missing.add(url)
                if absolute != url:
                    why = "kept as the link to the old site, which breaks when that site goes"
                else:
                    why = "the reference is kept as written and will be broken"
                self.post.note("GRV908", self.line, f"'{absolute}' is referenced but not found in the source "
                               f"(or it lies outside it): {why}")
            return None
        return asset_token(self.post, found)

    def inline(self, match: re.Match[str]) -> str:
        bang, label, dest, title = match.group(1), match.group(2), match.group(3), match.group(4) or ""
        if not bang and "](" in label:
            label = _INLINE.sub(self.inline, label)
        token = self.target(dest, bool(bang))
        if token is None:
            return bang + "[" + label + "](" + dest + title + ")" if label != match.group(2) else match.group(0)
        return f"{bang}[{label}]({token}{title})"

    def html(self, match: re.Match[str]) -> str:
        quoted = match.group(2)
        token = self.target(quoted[1:-1], True)
        return match.group(0) if token is None else f'{match.group(1)}"{token}"'

    def line_text(self, text: str) -> str:
        definition = _REF_DEF.match(text)
        if definition:
            token = self.target(definition.group(2), False)
            return text if token is None else f"{definition.group(1)}{token}{definition.group(3)}"

        def apply(part: str) -> str:
            if "](" in part:
                part = _INLINE.sub(self.inline, part)
            if "<img" in part.lower():
                part = _HTML_SRC.sub(self.html, part)
            return part

        return _outside_code_spans(text, apply)


def own_path(url: str, site_urls: tuple[str, ...]) -> str:
    """A link to the old site itself (`https://example.org/blog/a.png`) as a site path (`/a.png`)."""
    if site_urls and url.startswith(("http://", "https://", "//")):
        bare = re.sub(r"^(?:https?:)?//", "", url)
        for prefix in site_urls:
            root = re.sub(r"^(?:https?:)?//", "", prefix).rstrip("/")
            if root and (bare == root or bare.startswith(root + "/")):
                return "/" + bare[len(root):].lstrip("/")
    return url


def rewrite_refs(post: Post, body: str, resolve: Resolver, first_line: int, site_urls: tuple[str, ...] = ()) -> str:
    """Replace every local file reference in the body (outside code) by its asset token.

    `site_urls` are the old site's own base URLs: absolute links into it count as local."""
    refs = _Refs(post, resolve, site_urls)
    lines = body.split("\n")
    code = code_lines(lines)
    for index, line in enumerate(lines):
        if code[index] or ("](" not in line and "]:" not in line and "<img" not in line.lower()):
            continue
        refs.line = first_line + index
        lines[index] = refs.line_text(line)
    return "\n".join(lines)


def carousels(post: Post, body: str, options: str) -> str:
    """Runs of two or more images (image-only paragraphs, blank lines between allowed) become an
    `[owl-carousel]` block with one image per line and no blank lines inside, as owl needs."""
    lines = body.split("\n")
    code = code_lines(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        if code[index] or not _IMAGE_LINE.match(lines[index]) or (out and out[-1].strip()):
            out.append(lines[index])
            index += 1
            continue
        end, images = index, list[str]()
        last_image = index
        while end < len(lines) and not code[end] and (not lines[end].strip() or _IMAGE_LINE.match(lines[end])):
            if lines[end].strip():
                images.extend(m.group(0) for m in _ONE_IMAGE.finditer(lines[end]))
                last_image = end
            end += 1
        after = last_image + 1
        if after < len(lines) and lines[after].strip():  # the paragraph goes on with text
            images = []
        if len(images) < 2:
            out.extend(lines[index:last_image + 1])
            index = last_image + 1
            continue
        tag = f"[owl-carousel {options}]" if options else "[owl-carousel]"
        out.extend([tag, *images, "[/owl-carousel]"])
        post.carousels += 1
        index = last_image + 1
    return "\n".join(out)


def place_summary(body: str, delimiter: str = "===") -> str:
    """The first summary mark becomes the site's delimiter (`===`) alone on a line with a blank
    line on each side; later marks are dropped (Grav removes every delimiter paragraph anyway)."""
    if SUMMARY_MARK not in body:
        return body
    head, _, tail = body.partition(SUMMARY_MARK)
    tail = tail.replace(SUMMARY_MARK, "")
    head = head.rstrip(" \t")
    tail = tail.lstrip(" \t")
    head = head.rstrip("\n")
    tail = tail.lstrip("\n")
    if not head.strip():
        return tail
    return f"{head}\n\n{delimiter}\n\n{tail}"


def note_empty_summary(post: Post, body: str, body_line: int) -> None:
    """A separator before any text (an empty excerpt) is one `place_summary` drops: say so (GRV917),
    since the page's summary becomes Grav's automatic one instead of nothing."""
    at = body.find(SUMMARY_MARK)
    if at >= 0 and not body[:at].strip():
        post.note("GRV917", body_line + body.count("\n", 0, at),
                  "excerpt separator before any text (an empty excerpt) dropped: Grav's summary of this "
                  "page is its first summary.size characters (site.yaml, 300 by default)")


def clean_body(body: str, delimiter: str = "===") -> str:
    """Whitespace hygiene exactly as `grav-tools normalise` does it (trailing spaces outside code,
    hard breaks kept, blank edges, one final newline), so the page is canonical as written."""
    from grav_tools.normalise.text import clean_body as hygiene

    return hygiene(body, delimiter)[0]


def header_refs(post: Post, resolve: Resolver, unwrap: Callable[[str], str] = lambda v: v,
                site_urls: tuple[str, ...] = ()) -> None:
    """Header values that name a local media file (`image: /assets/a.png`, `header-img: img/b.jpg`)
    get the file copied beside the page and become its bare name, like body references."""

    def visit(value: object) -> object:
        if isinstance(value, dict):
            return {k: visit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        if isinstance(value, str) and "\n" not in value:
            value = own_path(value, site_urls) if site_urls else value
        if isinstance(value, str) and is_local(unwrap(value)) and file_like(unwrap(value)) and "\n" not in value:
            found = resolve(value)
            if found is not None and found != MISSING:
                return asset_token(post, found)
        return value

    post.extra = {key: visit(value) for key, value in post.extra.items()}


def count_repeats(post: Post, seen: Iterable[list[int]], what: str) -> None:
    """A kept-verbatim tag is noted once per post, at its first use; when the post uses the same
    name again, that note says how often, so no later use goes unmentioned. `seen` holds
    [index of the note in post.notes, times seen] pairs."""
    for index, count in seen:
        if count > 1:
            note = post.notes[index]
            post.notes[index] = _replace(note, message=f"{note.message} ({count} {what} in this post; the first "
                                         "is here)")
