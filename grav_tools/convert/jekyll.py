"""Jekyll reader: `_posts/YYYY-MM-DD-slug.md|markdown` (and `_drafts` with --drafts) to neutral posts.

Follows what Jekyll 4 does: the header date wins over the file-name date and is shown in the
site's `timezone` (an offset date is moved there, as Jekyll's `Time#localtime` does); categories
come from the folders above `_posts` plus `category`/`categories` (a string is split on spaces);
the old URL is computed from `permalink` (post, `collections.posts`, site, default `date`) and
kept as a Grav alias, as are `permalink:` and `redirect_from:` values. Liquid is not run: the
tags that only build URLs or code blocks are converted, the rest kept verbatim and reported.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from grav_tools.convert import body as B
from grav_tools.convert.model import (
    DATE_FILENAME,
    DATE_HEADER,
    DATE_MISSING,
    Link,
    Note,
    Post,
    PostDate,
    ReadOptions,
    Source,
)
from grav_tools.convert.reading import (
    as_list,
    dated,
    first_local,
    hide_until,
    key_line,
    load_yaml_mapping,
    plain_value,
    read_source,
    read_text,
    slugify,
    source_time,
    valid_zone,
    walk,
    wall_now,
)

MARKDOWN_EXTS = {".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown", ".mdwn", ".text"}
_POST_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$")
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
CONSUMED = {"title", "date", "slug", "published", "categories", "category", "tags", "tag", "permalink",
            "redirect_from", "excerpt_separator"}
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}(.*?)\{%-?\s*endcomment\s*-?%\}", re.S)
_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+([\w+#.-]+)([^%]*?)-?%\}\n?(.*?)\n?[ \t]*\{%-?\s*endhighlight\s*-?%\}", re.S
)
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(\S+?)\s*-?%\}")
_LINK_TAG = re.compile(r"\{%-?\s*link\s+(\S+?)\s*-?%\}")
_SITE_VAR = re.compile(r"\{\{-?\s*site\.(baseurl|url)\s*-?\}\}")
_URL_FILTER = re.compile(
    r"\{\{-?\s*(['\"])([^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.(?:base)?url)\s*-?\}\}")
_SITE_VALUE = re.compile(r"\{\{-?\s*site\.([\w.]+)\s*-?\}\}")
_ANY_TAG = re.compile(r"\{%-?\s*(\w+).*?-?%\}|\{\{-?\s*(.*?)\s*-?\}\}")
_PROTECT = "\x00jekyll-protected-{}\x00"
GRAV_SUMMARY_SIZE = 300  # site.yaml summary.size: Grav's summary of a page without `===` (characters of text)


def detect(src: Path) -> bool:
    return (src / "_posts").is_dir() or (src / "_config.yml").is_file()


def _config(src: Path) -> dict[str, Any]:
    path = src / "_config.yml"
    if not path.is_file():
        return {}
    text, _ = read_text(path)
    return load_yaml_mapping(text)


def _defaults(config: dict[str, Any]) -> dict[str, Any]:
    """Front matter defaults that apply to posts, for the keys convert acts on."""
    merged: dict[str, Any] = {}
    for entry in config.get("defaults") or []:
        if not isinstance(entry, dict):
            continue
        scope = entry.get("scope") or {}
        values = entry.get("values") or {}
        if not isinstance(scope, dict) or not isinstance(values, dict):
            continue
        path = str(scope.get("path", "") or "")
        kind = scope.get("type")
        if (kind in (None, "posts")) and path in ("", "_posts"):
            merged.update({k: v for k, v in values.items() if k in ("permalink", "excerpt_separator", "published")})
    return merged


def _titleize(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))


def _pretty(text: str, cased: bool) -> str:
    """Jekyll's Utils.slugify in `pretty` mode."""
    out = re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text).strip("-")
    return out if cased else out.lower()


class JekyllSite:
    """One Jekyll source tree: its config and how it builds URLs."""

    def __init__(self, src: Path, options: ReadOptions) -> None:
        self.src = src
        self.options = options
        self.config = _config(src)
        tz = self.config.get("timezone")
        # Unset: GitHub Pages builds Jekyll in UTC, and Hugo's default timeZone is UTC.
        self.zone = str(tz) if valid_zone(str(tz) if tz else None) else "UTC"
        self.target = options.timezone or self.zone
        self.defaults = _defaults(self.config)
        collections = self.config.get("collections")
        posts_conf = collections.get("posts") if isinstance(collections, dict) else None
        own = posts_conf.get("permalink") if isinstance(posts_conf, dict) else None
        self.permalink = str(own or self.config.get("permalink") or "date")
        self.baseurl = str(self.config.get("baseurl") or "").rstrip("/")
        url = str(self.config.get("url") or "").rstrip("/")
        self.site_urls = tuple(u for u in (url + self.baseurl, url) if u)
        self.separator = self.config.get("excerpt_separator")
        # Jekyll builds a post dated after the build time only with `future` (Ruby truthiness: any
        # value but false or nothing); its default is false.
        future = self.config.get("future")
        self.future = future is not None and future is not False
        self.now = wall_now(options.now, self.target)
        # Posts whose Jekyll excerpt has no Grav summary separator to become (GRV924, one note per run):
        # the first paragraph (no excerpt_separator set) or the whole post (a separator the post lacks).
        self.first_paragraph: list[str] = []
        self.whole_post: list[str] = []

    def value(self, dotted: str, original: str) -> str:
        """`{{ site.x.y }}`: the config's text or number (what Liquid prints), else left as it is."""
        current: Any = self.config
        for part in dotted.split("."):
            if not isinstance(current, dict) or part not in current:
                return original
            current = current[part]
        if isinstance(current, bool) or not isinstance(current, (str, int, float)):
            return original
        return str(current)

    # -------------------------------------------------------------------------------- references

    def resolver(self, post_file: Path) -> B.Resolver:
        def resolve(url: str) -> Path | None:
            path = B.url_path(url)
            if self.baseurl and path.startswith(self.baseurl + "/"):
                path = path[len(self.baseurl):]
            if path.startswith("/"):
                candidates = [self.src / path.lstrip("/")]
            else:
                candidates = [post_file.parent / path, self.src / path]
            return first_local(self.src, candidates) or B.MISSING
        return resolve

    # -------------------------------------------------------------------------------------- URLs

    def url(self, pattern: str, when: datetime, slug: str, categories: list[str]) -> str:
        pattern = _STYLES.get(pattern, pattern)
        cats = "/".join(dict.fromkeys(c.lower() for c in categories))
        values = {
            "year": f"{when.year:04d}", "month": f"{when.month:02d}", "i_month": str(when.month),
            "day": f"{when.day:02d}", "i_day": str(when.day), "short_year": f"{when.year % 100:02d}",
            "hour": f"{when.hour:02d}", "minute": f"{when.minute:02d}", "second": f"{when.second:02d}",
            "y_day": f"{when.timetuple().tm_yday:03d}", "short_month": when.strftime("%b"),
            "long_month": when.strftime("%B"), "week": f"{when.isocalendar()[1]:02d}",
            "short_day": when.strftime("%a"), "title": _pretty(slug, True), "slug": _pretty(slug, False),
            "name": _pretty(slug, False), "categories": cats, "output_ext": ".html",
        }
        url = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
        return alias_route(url)


def alias_route(url: str) -> str:
    """An old URL as a Grav route: one leading slash, no `.html`, no trailing slash."""
    url = re.sub(r"/{2,}", "/", "/" + url.strip().lstrip("/"))
    url = re.sub(r"\.html?$", "", url)
    return url.rstrip("/") or "/"


def _fence(code: str, lang: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{code}\n{ticks}"


def convert_body(site: JekyllSite, post: Post, text: str, first_line: int, separator: str | None) -> str:
    """Liquid that builds URLs or code blocks becomes Markdown; anything else is kept and noted."""
    protected: list[str] = []

    def protect(value: str) -> str:
        protected.append(value)
        return _PROTECT.format(len(protected) - 1)

    def line_of(offset: int) -> int:
        return first_line + text.count("\n", 0, offset)

    def highlight(match: re.Match[str]) -> str:
        if match.group(2).strip():
            post.note("GRV917", line_of(match.start()), f"{{% highlight {match.group(1)}{match.group(2).rstrip()} %}}"
                      " became a fenced code block; its options (line numbers) are not kept")
        return protect(_fence(match.group(3), match.group(1)))

    text = _RAW.sub(lambda m: protect(m.group(1)), text)
    text = _COMMENT.sub(lambda m: protect("<!--" + m.group(1).replace("--", "- -") + "-->"), text)
    text = _HIGHLIGHT.sub(highlight, text)
    lines = text.split("\n")
    code = B.code_lines(lines)
    reported: dict[str, list[int]] = {}  # tag name -> [index of its note in post.notes, times seen]
    for index, line in enumerate(lines):
        if code[index] or ("{%" not in line and "{{" not in line):
            continue
        number = first_line + index

        def add_link(name: str, original: str, number: int = number) -> str:
            token = B.LINK_TOKEN.format(len(post.links))
            post.links.append(Link(token, name, original, number))
            return token

        def post_url(match: re.Match[str]) -> str:
            return add_link(match.group(1).strip("'\"").rsplit("/", 1)[-1], match.group(0))

        def link_tag(match: re.Match[str]) -> str:
            target = match.group(1).strip("'\"")
            if "_posts/" in target:
                return add_link(Path(target).stem, match.group(0))
            return "/" + target.lstrip("/")

        line = _POST_URL.sub(post_url, line)
        line = _LINK_TAG.sub(link_tag, line)
        line = _SITE_VAR.sub("", line)
        line = _SITE_VALUE.sub(lambda m: site.value(m.group(1), m.group(0)), line)
        line = _URL_FILTER.sub(lambda m: m.group(2), line)
        for match in _ANY_TAG.finditer(line):
            name = match.group(1) or (match.group(2) or "").split("|")[0].strip()
            if name and name in reported:
                reported[name][1] += 1
            elif name:
                reported[name] = [len(post.notes), 1]
                post.note("GRV907", number,
                          f"Liquid {match.group(0)[:60]!r} has no Grav equivalent and is kept as written")
        lines[index] = line
    B.count_repeats(post, reported.values(), "Liquid tags of this name")
    text = "\n".join(lines)
    text = _mark_summary(text, separator)
    return re.sub("\x00jekyll-protected-(\\d+)\x00", lambda m: protected[int(m.group(1))], text)


def _mark_summary(text: str, separator: str | None) -> str:
    """The first excerpt separator outside code becomes the summary mark."""
    candidates = [s for s in (separator, "<!--more-->", "<!-- more -->") if s and s.strip()]
    lines = text.split("\n")
    code = B.code_lines(lines)
    offset = 0
    best: tuple[int, str] | None = None
    for index, line in enumerate(lines):
        if not code[index]:
            for candidate in candidates:
                at = line.find(candidate)
                if at >= 0 and (best is None or offset + at < best[0]):
                    best = (offset + at, candidate)
            if best is not None:
                break
        offset += len(line) + 1
    if best is None:
        return text
    at, found = best
    return text[:at] + B.SUMMARY_MARK + text[at + len(found):]


def read(src: Path, options: ReadOptions) -> Source:
    """Every post (and draft, with options.drafts) of a Jekyll site."""
    site = JekyllSite(src, options)
    source = Source("jekyll", src, source_timezone=site.zone)
    outside: list[Path] = []
    files = walk(src, lambda name: not name.startswith((".", "_site")) and name not in ("node_modules", "vendor"),
                 outside)
    for link in outside:
        source.notes.append(Note("GRV910", str(link.relative_to(src)), 1, "symbolic link out of the source folder "
                                 "not followed"))
    for path in files:
        rel = path.relative_to(src)
        parts = rel.parts
        in_posts = "_posts" in parts[:-1]
        in_drafts = "_drafts" in parts[:-1] and not in_posts
        if not (in_posts or in_drafts):
            continue
        display = rel.as_posix()
        if path.suffix.lower() not in MARKDOWN_EXTS:
            if path.suffix.lower() in (".html", ".htm"):
                source.notes.append(Note("GRV912", display, 1, "HTML post not converted (only Markdown posts are)"))
            continue
        if in_drafts and not options.drafts:
            source.notes.append(Note("GRV912", display, 1, "draft not converted (use --drafts to include drafts)"))
            continue
        name = _POST_NAME.match(path.stem)
        if in_posts and name is None:
            source.notes.append(Note("GRV912", display, 1, "file in _posts without a YYYY-MM-DD- date in its name: "
                                     "Jekyll does not publish it"))
            continue
        root = parts[: parts.index("_posts" if in_posts else "_drafts")]
        post = _read_post(site, path, display, name, list(root), in_drafts, source)
        if post is not None:
            source.posts.append(post)
    source.notes.extend(_excerpt_notes(site))
    return source


def _posts(paths: list[str]) -> str:
    return "1 post has" if len(paths) == 1 else f"{len(paths)} posts have"


def _some(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _excerpt_notes(site: JekyllSite) -> list[Note]:
    """GRV924, once per run: the posts whose Jekyll excerpt Grav's summary does not reproduce.

    Reported, not carried: whether the old site showed excerpts at all is up to its theme and
    plugins (not in SRC), and Jekyll's first "paragraph" is just the text up to the first blank
    line, often a heading, an image or an include. A `===` the author never wrote would change the
    summary of every post on a site that never showed one; the note says how to add it."""
    where = "_config.yml" if (site.src / "_config.yml").is_file() else ""
    line = key_line(read_text(site.src / "_config.yml")[0], "excerpt_separator") if where else 1
    shown = ""
    if site.config.get("show_excerpts") is False:
        shown = (" (`show_excerpts: false`: the theme's post list did not show it, but a feed or meta "
                 "description may have)")
    grav = ("Grav's summary of such a page is its first summary.size characters instead (site.yaml, 300 by "
            "default); "
            "nothing to do if the old site never showed excerpts, else put a `===` line (blank lines around it) "
            "where the excerpt ended")
    notes = []
    if site.first_paragraph:
        notes.append(Note("GRV924", where, line, f"{_posts(site.first_paragraph)} no excerpt separator "
                          "(excerpt_separator is not set, no <!--more-->): Jekyll's excerpt of each is its text up "
                          f"to the first blank line{shown}; {grav}: {_some(site.first_paragraph)}"))
    if site.whole_post:
        notes.append(Note("GRV924", where, line, f"{_posts(site.whole_post)} their excerpt_separator nowhere "
                          f"in the text: Jekyll's excerpt of each is the whole post{shown}; {grav}: "
                          f"{_some(site.whole_post)}"))
    return notes


def _read_post(site: JekyllSite, path: Path, display: str, name: re.Match[str] | None, dir_categories: list[str],
               draft: bool, source: Source) -> Post | None:
    read = read_source(path, display, source.notes, ("---", "..."))
    if read is None:
        return None
    text, front = read
    meta = {**site.defaults, **front.meta}
    file_slug = name.group(2) if name else path.stem
    key = path.stem
    explicit = str(meta["slug"]) if meta.get("slug") else None
    slug_text = explicit or file_slug
    title = str(meta.get("title") or "").strip() or _titleize(file_slug)
    post = Post(path, display, "jekyll", key, key, title, PostDate(None, DATE_MISSING), slugify(slug_text),
                explicit_slug=explicit)
    for line in front.repaired:
        post.note("GRV918", line, "template placeholder quoted so the header could be read")
    file_date = None
    if name:
        try:
            file_date = datetime.strptime(name.group(1), "%Y-%m-%d")
        except ValueError:
            file_date = None
    header_date = dated(post, meta.get("date"), key_line(text, "date"), "date", site.target, site.zone,
                        site.options.date_format)
    if header_date is not None:
        post.date = PostDate(header_date, DATE_HEADER, str(meta.get("date")))
    elif file_date is not None:
        post.date = PostDate(file_date, DATE_FILENAME, name.group(1) if name else "")
        post.note("GRV901", 1, f"no usable date in the header: the date {file_date:%Y-%m-%d} is taken from the file "
                  "name (time 00:00)")
    else:
        post.note("GRV902", 1, "no date in the header or the file name: no date is written")
    if meta.get("published") is False or draft:
        post.published = False
    elif meta.get("published") is True:
        post.published = True
    if post.published is not False and post.date.wall is not None:
        _hold_future(site, post, text)
    categories = dir_categories + as_list(meta.get("categories"), split=True) + as_list(meta.get("category"))
    tags = as_list(meta.get("tags"), split=True) + as_list(meta.get("tag"))
    if categories:
        post.taxonomy["category"] = list(dict.fromkeys(categories))
    if tags:
        post.taxonomy["tag"] = list(dict.fromkeys(tags))
    aliases: list[str] = []
    if not draft:
        url_time = _url_time(meta.get("date"), site) or file_date
        if url_time is not None:
            pattern = str(meta["permalink"]) if meta.get("permalink") else site.permalink
            aliases.append(site.url(pattern, url_time, slug_text, categories))
    for old in as_list(meta.get("redirect_from")):
        aliases.append(alias_route(old))
    post.aliases = list(dict.fromkeys(aliases))
    post.extra = {k: plain_value(v) for k, v in front.meta.items() if k not in CONSUMED}
    separator = meta.get("excerpt_separator", site.separator)
    body = convert_body(site, post, front.body, front.body_line, str(separator) if separator else None)
    B.note_empty_summary(post, body, front.body_line)
    if B.SUMMARY_MARK not in body and meta.get("excerpt") is None and separator != "":
        # Jekyll made an excerpt for this post that no `===` carries (an `excerpt:` header is its own
        # excerpt and is kept as a header; an empty separator turns excerpts off).
        if separator is None or str(separator) == "\n\n":  # Jekyll's default separator
            if "\n\n" in front.body.strip():  # one paragraph: the excerpt is the whole post either way
                site.first_paragraph.append(display)
        elif len(front.body.strip()) > GRAV_SUMMARY_SIZE:  # shorter: Grav's summary is the whole post too
            site.whole_post.append(display)
    resolve = site.resolver(path)
    post.body = B.rewrite_refs(post, body, resolve, front.body_line, site.site_urls)
    B.header_refs(post, resolve, site_urls=site.site_urls)
    return post


def _hold_future(site: JekyllSite, post: Post, text: str) -> None:
    """A post dated after the build time is not built by Jekyll (Publisher#hidden_in_the_future?,
    whole seconds) unless `future` is set; on Grav it waits as `publish_date` (GRV925)."""
    when = post.date.wall
    if site.future or when is None or when.replace(microsecond=0) <= site.now.replace(microsecond=0):
        return
    if post.date.origin == DATE_HEADER:
        line, what = key_line(text, "date"), f"date {post.date.text!r}"
    else:
        line, what = 1, f"the date {post.date.text} in the file name"
    hide_until(post, when, line, what, "Jekyll does not build a post dated in the future unless `future: true` "
               "is in _config.yml (it is not)", site.options.date_format)


def _url_time(value: Any, site: JekyllSite) -> datetime | None:
    """The post date as Jekyll builds URLs with it: in the site timezone (UTC when none is set)."""
    when = source_time(value) if value is not None else None
    if when is None:
        return None
    return when.wall(site.zone or "UTC", None) if when.offset is not None else when.naive
