"""The Grav writer: neutral posts to page folders, header, body and media, as an in-memory plan.

Nothing here touches the disk (apply.py writes). One folder per post (translations of a post
share it as `item.<lang>.md`); the folder name comes from the `--folder` pattern; the header is
written as Grav Admin writes it (yamlemit) with dates in `'d-m-Y H:i'`, which Grav reads back as
exactly that wall clock in its timezone whatever `dateformat` says; old URLs become
`routes: aliases:`; referenced files are copied beside the page under unique names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from grav_tools.convert import body as B
from grav_tools.convert.model import Note, Post
from grav_tools.convert.reading import file_digest, slugify
from grav_tools.convert.yamlemit import dump
from grav_tools.dates import format_date, read_date
from grav_tools.site import SiteConfig

DATE_FORMAT = "d-m-Y H:i"
# Headers Grav itself acts on: a source key of that name means something else there, so it is renamed.
GRAV_HEADERS = frozenset("""title slug menu date publish_date unpublish_date published visible routable dateformat
    taxonomy metadata summary content template template_format process twig_first never_cache_twig cache_enable
    redirect external_url routes order_by order_dir order_manual child_type media_order body_classes markdown
    language ssl etag last_modified markdown_extra debugger max_count expires append_url_extension
    http_response_code cache_control access login permissions admin feed sitemap form forms modular_content
    frontmatter""".split())
_FOLDER_OK = re.compile(r"[^a-zA-Z0-9_\-а-яА-ЯёЁ]")
_PREFIX = re.compile(r"^[0-9]+\.")


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """How the Grav side looks (the `convert` command's layout options)."""

    section: str = "01.blog"
    template: str = "item"
    lang: str | None = None
    folder: str = "{date:%Y-%m-%d}-{slug}"
    carousel: str = "items=1 margin=10 loop=true autoplay=false"
    drop_unknown: bool = False


@dataclass(slots=True)
class OutFile:
    """One file of the plan: page text (`data`) or a copy of a source file (`source`)."""

    rel: str  # POSIX path below the pages folder, e.g. "01.blog/2020-01-01-hello/item.md"
    post: str  # display path of the (first) source post
    data: bytes | None = None
    source: Path | None = None
    group: str = ""
    origin: Path | None = None  # the source file this output comes from (post or asset)

    def digest(self) -> str:
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        assert self.source is not None
        return file_digest(self.source)


@dataclass(slots=True)
class Plan:
    files: list[OutFile] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    posts: int = 0
    assets: int = 0
    carousels: int = 0


def route_of(rel_folder: str) -> str:
    """The Grav route of a folder below `user/pages` (numeric prefixes dropped, lower-cased)."""
    return "/" + "/".join(_PREFIX.sub("", part).lower() for part in rel_folder.split("/") if part)


def folder_name(pattern: str, post: Post, number: int) -> str:
    """The folder for a post from the pattern; without a date, just the slug."""
    if post.date.wall is None and "{date" in pattern:
        pattern = "{slug}"
    try:
        name = pattern.format(date=post.date.wall or datetime(1970, 1, 1), slug=post.slug, n=number)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"--folder pattern {pattern!r}: {exc}") from exc
    prefix = _PREFIX.match(name)
    head, rest = (prefix.group(0), name[prefix.end():]) if prefix else ("", name)
    rest = re.sub(r"-{2,}", "-", _FOLDER_OK.sub("-", rest)).strip("-") or "post"
    return head + rest


def _groups(posts: list[Post], lang: str | None) -> list[list[Post]]:
    """Posts grouped into folders: translations together, one file per language."""
    by_group: dict[str, list[Post]] = {}
    for post in sorted(posts, key=lambda p: p.display):
        members = by_group.setdefault(post.group, [])
        language = post.language or lang
        if any((m.language or lang) == language for m in members):
            by_group.setdefault(f"{post.group}\x00{post.display}", []).append(post)
        else:
            members.append(post)
    return [sorted(m, key=lambda p: (p.language is not None and p.language != lang, p.display))
            for m in by_group.values()]


def layout(posts: list[Post], options: WriteOptions) -> tuple[list[tuple[str, list[Post]]], list[Note]]:
    """Each folder (relative to the section) with its posts; collisions get `-2`, `-3`, ..."""
    groups = _groups(posts, options.lang)
    groups.sort(key=lambda g: (g[0].date.wall or datetime.max, g[0].slug, g[0].display))
    notes: list[Note] = []
    taken: dict[str, str] = {}
    placed: list[tuple[str, list[Post]]] = []
    for number, group in enumerate(groups, start=1):
        primary = group[0]
        base = folder_name(options.folder, primary, number)
        name, suffix = base, 2
        while _PREFIX.sub("", name).lower() in taken:
            name, suffix = f"{base}-{suffix}", suffix + 1
        if name != base:
            other = taken[_PREFIX.sub("", base).lower()]
            notes.append(Note("GRV915", primary.display, 1, f"folder '{base}' is already used by {other}: this post "
                              f"goes to '{name}'"))
        taken[_PREFIX.sub("", name).lower()] = primary.display
        placed.append((name, group))
    return placed, notes


def _asset_names(group: list[Post], notes: list[Note]) -> dict[tuple[int, str], str]:
    """Unique file names in the folder for every asset token of every post of the group."""
    by_source: dict[Path, str] = {}
    used: dict[str, Path] = {}
    names: dict[tuple[int, str], str] = {}
    for index, post in enumerate(group):
        for asset in post.assets:
            name = by_source.get(asset.source)
            if name is None:
                name = asset.name
                stem, dot, ext = name.rpartition(".")
                if not dot:
                    stem, ext = name, ""
                counter = 2
                while name in used and not _same_content(used[name], asset.source):
                    name = f"{stem}-{counter}.{ext}" if ext else f"{stem}-{counter}"
                    counter += 1
                if name != asset.name:
                    notes.append(Note("GRV909", post.display, 1, f"another file named '{asset.name}' is already "
                                      f"in this page folder: {asset.source.parent.name}/{asset.source.name} is "
                                      f"copied as '{name}'"))
                used.setdefault(name, asset.source)
                by_source[asset.source] = name
            names[(index, asset.token)] = name
    return names


def _same_content(a: Path, b: Path) -> bool:
    """Two source files with equal bytes (an unreadable one is never equal: apply reports it)."""
    try:
        return file_digest(a) == file_digest(b)
    except OSError:
        return False


def _link_name(name: str) -> str:
    return quote(name, safe="-._~@")


def date_format_for(site: SiteConfig) -> str:
    """The Grav site's `pages.dateformat.default` when dates written in it read back as the same
    minute (what `normalise` would rewrite them to), else `'d-m-Y H:i'`, which Grav reads the
    same whatever the site's format says."""
    fmt = site.dateformat
    if not fmt or not isinstance(fmt, str):
        return DATE_FORMAT
    for sample in (datetime(2023, 11, 28, 13, 47), datetime(2024, 2, 5, 7, 5)):
        try:
            text = format_date(sample, fmt)
        except ValueError:
            return DATE_FORMAT
        reading = read_date(text, fmt)
        try:
            if not reading.ok or reading.as_datetime().replace(second=0) != sample:
                return DATE_FORMAT
        except ValueError:
            return DATE_FORMAT
    return fmt


def header_for(post: Post, folder: str, route: str, options: WriteOptions, notes: list[Note],
               names: dict[str, str], date_format: str = DATE_FORMAT,
               kept_aliases: list[str] | None = None) -> dict[str, Any]:
    """The Grav header: title, published, the dates (normalise's key order), slug, taxonomy,
    routes (`kept_aliases`, when given, are the post's old URLs no other page claims), then the
    source's own keys in source order."""
    header: dict[str, Any] = {"title": " ".join(post.title.split())}
    if post.published is False:
        header["published"] = False
    elif post.published is True and post.publish_date is None and post.unpublish_date is None:
        header["published"] = True
    if post.date.wall is not None:
        header["date"] = format_date(post.date.wall, date_format)
    if post.publish_date is not None:
        header["publish_date"] = format_date(post.publish_date, date_format)
    if post.unpublish_date is not None:
        header["unpublish_date"] = format_date(post.unpublish_date, date_format)
    if post.explicit_slug:
        slug = slugify(post.explicit_slug)
        if slug != _PREFIX.sub("", folder).lower():
            header["slug"] = slug
    taxonomy = {name: values for name, values in post.taxonomy.items() if values}
    if taxonomy:
        header["taxonomy"] = taxonomy
    aliases = [a for a in dict.fromkeys(post.aliases if kept_aliases is None else kept_aliases)
               if a and a != route]  # as written: see unique_aliases
    if aliases:
        header["routes"] = {"aliases": aliases}
    extra = dict(post.extra)
    if options.drop_unknown:
        if extra:
            notes.append(Note("GRV905", post.display, 1, "header keys left out (--drop-unknown): " + ", ".join(extra)))
        return header
    kept: list[str] = []
    for key, value in extra.items():
        value = _substitute(value, names)
        target = key
        if key in GRAV_HEADERS or key in header:
            target = f"{post.kind}_{key}"
            while target in header or target in extra:
                target = "_" + target
            notes.append(Note("GRV906", post.display, 1, f"'{key}' means something else in Grav: kept as '{target}'"))
        else:
            kept.append(key)
        header[target] = value
    if kept:
        notes.append(Note("GRV905", post.display, 1, "header keys with no Grav meaning kept as they are: "
                          + ", ".join(kept)))
    return header


def _substitute(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, names) for v in value]
    if isinstance(value, str) and value.startswith("grav-tools-asset-"):
        return names.get(value, value)
    return value


def unique_aliases(placed: list[tuple[str, list[Post]]], section: str, existing: dict[str, str],
                   notes: list[Note]) -> dict[int, list[str]]:
    """Each post's old URLs, without those that are already another page's route or another
    converted post's alias: Grav keeps one page per route (the later one silently wins), so a
    duplicate would hijack or lose a URL. The first post (in folder order) keeps a shared alias;
    the others are told. `existing` maps routes of pages already in DEST to their folder.
    Routes and aliases are compared as written: Grav looks a requested path up in its route table
    exactly (Pages::find; force_lowercase_urls lower-cases only the slugs made from folder names),
    so `/Old-Post` and `/old-post` are two URLs, and an alias that differs from the page's own
    route in case only is what keeps the capitalised old URL working."""
    routes = {route_of("/".join(p for p in (section, name) if p)): name for name, _ in placed}
    claimed: dict[str, tuple[str, str]] = {}  # alias -> (folder, source display)
    kept: dict[int, list[str]] = {}
    for name, group in placed:
        own = route_of("/".join(p for p in (section, name) if p))
        for post in group:
            keep: list[str] = []
            for alias in dict.fromkeys(a for a in post.aliases if a):
                if alias == own:
                    continue
                other = routes.get(alias) or existing.get(alias)
                if other is not None:
                    notes.append(Note("GRV922", post.display, 1, f"old URL {alias} is the route of the page "
                                      f"'{other}': not added as an alias of this page"))
                    continue
                holder = claimed.get(alias)
                if holder is not None and holder[0] != name:
                    notes.append(Note("GRV922", post.display, 1, f"old URL {alias} is already an alias of "
                                      f"{holder[1]} (folder '{holder[0]}'): not added to this page too"))
                    continue
                claimed.setdefault(alias, (name, post.display))
                keep.append(alias)
            kept[id(post)] = keep
    return kept


def plan(posts: list[Post], options: WriteOptions, base: str, site: SiteConfig | None = None,
         existing_routes: dict[str, str] | None = None) -> Plan:
    """Every file convert would write for these posts; `base` is the section's path below DEST;
    `site` is the Grav site at DEST (its summary delimiter and date settings), if there is one;
    `existing_routes` are the routes of pages already in DEST that convert did not write."""
    site = site or SiteConfig()
    date_format = date_format_for(site)
    result = Plan()
    placed, notes = layout(posts, options)
    result.notes.extend(notes)
    aliases = unique_aliases(placed, options.section, existing_routes or {}, result.notes)
    folders = {post.key: name for name, group in placed for post in group}
    for name, group in placed:
        rel_folder = f"{base}/{name}" if base else name
        route = route_of("/".join(p for p in (options.section, name) if p))
        names = _asset_names(group, result.notes)
        for index, post in enumerate(group):
            own = {token: n for (i, token), n in names.items() if i == index}
            header = header_for(post, name, route, options, result.notes, own, date_format, aliases[id(post)])
            text = _body(post, options, own, folders, result.notes, site.summary_delimiter)
            language = post.language or options.lang
            file = f"{options.template}.{language}.md" if language else f"{options.template}.md"
            data = f"---\n{dump(header)}\n---\n\n{text}".encode()
            result.files.append(OutFile(f"{rel_folder}/{file}", post.display, data=data, group=rel_folder,
                                        origin=post.source))
            result.posts += 1
            result.carousels += post.carousels
        copied: set[str] = set()
        for (index, _token), asset_name in sorted(names.items(), key=lambda item: item[1]):
            if asset_name in copied:
                continue
            copied.add(asset_name)
            source = next(a.source for a in group[index].assets if names[(index, a.token)] == asset_name)
            result.files.append(OutFile(f"{rel_folder}/{asset_name}", group[index].display, source=source,
                                        group=rel_folder, origin=source))
            result.assets += 1
    return result


def _body(post: Post, options: WriteOptions, names: dict[str, str], folders: dict[str, str],
          notes: list[Note], delimiter: str) -> str:
    text = B.carousels(post, post.body, options.carousel)
    text = B.place_summary(text, delimiter)
    for link in post.links:
        target = folders.get(link.target)
        if target is None:
            notes.append(Note("GRV911", post.display, link.line, f"link to '{link.target}': no such post was "
                              "converted; kept as written"))
            replacement = link.fallback
        else:
            replacement = f"../{target}{link.anchor}"
        text = text.replace(link.token, replacement)
    for token, name in names.items():
        text = text.replace(token, _link_name(name))
    return B.clean_body(text, delimiter)
