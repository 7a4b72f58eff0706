"""Hugo reader: `content/**` single pages and page bundles (YAML, TOML or JSON front matter).

Follows Hugo's rules where they decide what a page is and where it lived: `_index.md` files are
section lists (not posts), a folder with `index.md` is a leaf bundle whose other files are its
resources (copied beside the Grav page), `headless: true` bundles have no page; front matter keys
are case-insensitive; `date` falls back to `publishDate`, `lastmod`; `draft: true` is unpublished;
`publishDate`/`expiryDate` become Grav's publish window; the old URL (from `url`, `permalinks` or
the content path, with the language prefix) and `aliases` become Grav aliases; language files
(`index.ru.md`, `post.kk.md`) of one page share one Grav folder.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from grav_tools.convert import body as B
from grav_tools.convert.hugo_shortcodes import Shortcodes
from grav_tools.convert.jekyll import alias_route
from grav_tools.convert.model import DATE_HEADER, DATE_MISSING, Note, Post, PostDate, ReadOptions, Source
from grav_tools.convert.reading import (
    as_list,
    dated,
    first_local,
    hide_until,
    key_line,
    load_yaml_mapping,
    plain_value,
    precision_note,
    read_source,
    read_text,
    slugify,
    source_time,
    valid_zone,
    walk,
    wall_now,
)

CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json")
MARKDOWN_EXTS = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
CONSUMED = {"title", "date", "publishdate", "pubdate", "expirydate", "unpublishdate", "draft", "slug", "url",
            "aliases", "tags", "categories", "translationkey"}
# Hugo's publishDate when front matter gives none: the first of these keys (frontmatter config `:default`).
PUBLISH_KEYS = ("publishdate", "pubdate", "published", "date")
_LANG = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$", re.I)
_MORE = re.compile(r"<!--\s*more\s*-->")


def _load_config_file(path: Path) -> dict[str, Any]:
    text, _ = read_text(path)
    if path.suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return {}
    if path.suffix == ".json":
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return load_yaml_mapping(text)


def _lower(data: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in data.items()}


def load_config(src: Path) -> dict[str, Any]:
    """The site config: root `hugo.*`/`config.*` and `config/_default/*` (one file per top-level key)."""
    config: dict[str, Any] = {}
    for name in CONFIG_NAMES:
        if (src / name).is_file():
            config.update(_lower(_load_config_file(src / name)))
            break
    folder = src / "config" / "_default"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".toml", ".yaml", ".yml", ".json") or not path.is_file():
                continue
            data = _load_config_file(path)
            if path.stem.lower() in ("hugo", "config"):
                config.update(_lower(data))
            else:
                config[path.stem.lower()] = data
    return config


def go_bool(value: Any) -> bool:
    """A config value as Hugo's cast.ToBool reads it: true, a non-zero number, or strconv.ParseBool's
    true spellings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return isinstance(value, str) and value.strip() in ("1", "t", "T", "true", "TRUE", "True")


def detect(src: Path) -> bool:
    has_config = any((src / name).is_file() for name in CONFIG_NAMES) or (src / "config" / "_default").is_dir()
    return (src / "content").is_dir() and has_config


def urlize(text: str) -> str:
    """Hugo's urlize: spaces to dashes, unsafe characters dropped, lower-cased."""
    out = []
    for ch in text.strip():
        if ch.isalnum() or ch in "./_-+~#%":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out).lower()


class HugoSite:
    """One Hugo source tree: config, content files, and how it builds URLs."""

    def __init__(self, src: Path, options: ReadOptions) -> None:
        self.src = src
        self.config = load_config(src)
        self.content = src / str(self.config.get("contentdir") or "content")
        tz = self.config.get("timezone")
        # Unset: GitHub Pages builds Jekyll in UTC, and Hugo's default timeZone is UTC.
        self.zone = str(tz) if valid_zone(str(tz) if tz else None) else "UTC"
        self.target = options.timezone or self.zone
        self.date_format = options.date_format
        # Hugo builds content whose publish date is after the build time only with `buildFuture`.
        self.build_future = go_bool(self.config.get("buildfuture"))
        self.now = wall_now(options.now, self.target)
        self.default_lang = str(self.config.get("defaultcontentlanguage") or "en").lower()
        languages = self.config.get("languages")
        self.languages = {str(k).lower() for k in languages} if isinstance(languages, dict) else set()
        taxonomies = self.config.get("taxonomies")
        if isinstance(taxonomies, dict):
            self.taxonomies = {str(plural).lower(): str(singular) for singular, plural in taxonomies.items()}
        else:
            self.taxonomies = {"tags": "tag", "categories": "category"}
        self.permalinks = self._permalinks()
        static = self.config.get("staticdir") or "static"
        self.static = [src / str(s) for s in (static if isinstance(static, list) else [static])]

    def _permalinks(self) -> dict[str, str]:
        raw = self.config.get("permalinks")
        if not isinstance(raw, dict):
            return {}
        page = raw.get("page")
        flat = page if isinstance(page, dict) else {k: v for k, v in raw.items() if isinstance(v, str)}
        return {str(k): str(v) for k, v in flat.items()}

    def language_of(self, name: str) -> tuple[str, str | None]:
        """(base name, language) of a content file name without its extension."""
        base, dot, lang = name.rpartition(".")
        if dot and (lang.lower() in self.languages or (not self.languages and _LANG.match(lang))):
            return base, lang.lower()
        return name, None

    def url(self, rel_dir: str, name: str, meta: dict[str, Any], title: str, language: str | None) -> str:
        """Where Hugo published the page (as a Grav route)."""
        prefix = f"/{language}" if language and language != self.default_lang else ""
        if meta.get("url"):
            return alias_route(prefix + "/" + str(meta["url"]).lstrip("/"))
        section = rel_dir.split("/", 1)[0] if rel_dir else ""
        slug = str(meta.get("slug") or "")
        pattern = self.permalinks.get(section) if section else None
        if pattern is None:
            last = slug or name
            return alias_route(f"{prefix}/{rel_dir}/{urlize(last) if slug else last}")
        when = source_time(meta.get("date") or meta.get("publishdate"))
        naive = when.naive if when else None
        values = {
            "year": f"{naive:%Y}" if naive else "", "month": f"{naive:%m}" if naive else "",
            "monthname": f"{naive:%B}".lower() if naive else "", "day": f"{naive:%d}" if naive else "",
            "weekday": str(naive.isoweekday() % 7) if naive else "",
            "weekdayname": f"{naive:%A}".lower() if naive else "",
            "yearday": str(naive.timetuple().tm_yday) if naive else "", "section": section, "sections": rel_dir,
            "title": urlize(title), "slug": urlize(slug) if slug else urlize(title), "filename": name,
            "contentbasename": name, "slugorfilename": urlize(slug) if slug else name,
            "slugorcontentbasename": urlize(slug) if slug else name,
        }
        url = re.sub(r":(\w+)", lambda m: values.get(m.group(1).lower(), m.group(0)), pattern)
        return alias_route(prefix + "/" + url.lstrip("/"))

    def resolver(self, page_dir: Path) -> B.Resolver:
        def resolve(url: str) -> Path | None:
            path = B.url_path(url)
            if path.startswith("/"):
                candidates = [s / path.lstrip("/") for s in self.static] + [self.content / path.lstrip("/")]
            else:
                candidates = [page_dir / path] + [s / path for s in self.static]
            return first_local(self.src, candidates) or B.MISSING
        return resolve


def read(src: Path, options: ReadOptions) -> Source:
    """Every regular page and leaf bundle under the content folder."""
    site = HugoSite(src, options)
    source = Source("hugo", src, source_timezone=site.zone)
    custom = [s for p, s in site.taxonomies.items() if s not in ("tag", "category")]
    source.custom_taxonomies = sorted(set(custom))
    outside: list[Path] = []
    if not site.content.is_dir():
        return source
    files = walk(site.content, lambda name: not name.startswith("."), outside)
    for link in outside:
        source.notes.append(Note("GRV910", link.relative_to(src).as_posix(), 1, "symbolic link out of the source "
                                 "folder not followed"))
    bundles = {p.parent for p in files if p.suffix.lower() in MARKDOWN_EXTS and site.language_of(p.stem)[0] == "index"}
    pages: list[tuple[Path, Path | None]] = []  # (file, bundle dir)
    resources: dict[Path, list[Path]] = {}
    for path in files:
        bundle = next((b for b in bundles if b == path.parent or b in path.parents), None)
        is_md = path.suffix.lower() in MARKDOWN_EXTS
        display = path.relative_to(src).as_posix()
        if bundle is not None:
            if is_md and path.parent == bundle and site.language_of(path.stem)[0] == "index":
                pages.append((path, bundle))
            elif is_md:
                source.notes.append(Note("GRV912", display, 1, "Markdown resource of a page bundle: not a page, "
                                         "not converted"))
            else:
                resources.setdefault(bundle, []).append(path)
        elif is_md:
            if site.language_of(path.stem)[0] == "_index":
                source.notes.append(Note("GRV912", display, 1, "section list page (_index): not a post, not converted"))
            else:
                pages.append((path, None))
    keys = {_key(site, p, b): p for p, b in pages}

    def resolve_ref(ref: str) -> str | None:
        wanted = ref.strip().lstrip("/")
        wanted = re.sub(r"\.(md|markdown)$", "", wanted)
        wanted = re.sub(r"/index$|/_index$", "", wanted)
        if wanted in keys:
            return wanted
        tail = [k for k in keys if k.rsplit("/", 1)[-1] == wanted.rsplit("/", 1)[-1]]
        return tail[0] if len(tail) == 1 else None

    for path, bundle in pages:
        post = _read_page(site, path, bundle, source, resolve_ref)
        if post is not None:
            for resource in sorted(resources.get(bundle, [])) if bundle else []:
                B.asset_token(post, resource)
            source.posts.append(post)
    return source


def _key(site: HugoSite, path: Path, bundle: Path | None) -> str:
    """The content path of a page without extension and language: `post/markdown-syntax`."""
    if bundle is not None:
        return bundle.relative_to(site.content).as_posix()
    rel = path.relative_to(site.content).with_suffix("")
    base, _ = site.language_of(rel.name)
    return (rel.parent / base).as_posix().lstrip("./") if str(rel.parent) != "." else base


def _read_page(site: HugoSite, path: Path, bundle: Path | None, source: Source, resolve_ref: Any) -> Post | None:
    display = path.relative_to(site.src).as_posix()
    read = read_source(path, display, source.notes)
    if read is None:
        return None
    text, front = read
    meta = _lower_meta(front.meta)
    if meta.get("headless") is True:
        source.notes.append(Note("GRV912", display, 1, "headless bundle: Hugo renders no page for it, not converted"))
        return None
    _, language = site.language_of(path.stem)
    name = bundle.name if bundle is not None else site.language_of(path.stem)[0]
    rel_dir = (bundle.parent if bundle is not None else path.parent).relative_to(site.content).as_posix()
    rel_dir = "" if rel_dir == "." else rel_dir
    key = _key(site, path, bundle)
    group = str(meta.get("translationkey") or key)
    title = str(meta.get("title") or "").strip()
    explicit = str(meta["slug"]) if meta.get("slug") else None
    post = Post(path, display, "hugo", key, group, title, PostDate(None, DATE_MISSING), "post", explicit_slug=explicit,
                language=language)
    if not title:
        post.title = name.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"
        post.note("GRV917", 1, f"no title in the header: the title '{post.title}' is made from the file name")
    for line in front.repaired:
        post.note("GRV918", line, "template placeholder quoted so the header could be read")
    for date_key in DATE_KEYS:
        if meta.get(date_key) is not None:
            wall = dated(post, meta[date_key], key_line(text, date_key), date_key, site.target, site.zone,
                         site.date_format)
            if wall is not None:
                post.date = PostDate(wall, DATE_HEADER, str(meta[date_key]))
                break
    if post.date.wall is None:
        post.note("GRV902", 1, "no date in the header: no date is written")
    publish = meta.get("publishdate") or meta.get("pubdate")
    if publish is not None and meta.get("date") is not None:
        line = key_line(text, "publishdate")
        when = dated(post, publish, line, "publishDate", site.target, site.zone, None)
        if when is not None and when != post.date.wall:  # the same as `date`: not written, nothing lost
            post.publish_date = when
            precision_note(post, publish, when, line, "publishDate", site.date_format)
    expiry = meta.get("expirydate") or meta.get("unpublishdate")
    if expiry is not None:
        post.unpublish_date = dated(post, expiry, key_line(text, "expirydate"), "expiryDate", site.target, site.zone,
                                    site.date_format)
    if meta.get("draft") is True:
        post.published = False
    if post.published is not False and post.publish_date is None and not site.build_future:
        _hold_future(site, post, meta, text)
    post.slug = slugify(explicit or _strip_date_prefix(name, post.date.wall))
    for plural, singular in site.taxonomies.items():
        values = as_list(meta.get(plural))
        if values:
            post.taxonomy[singular] = list(dict.fromkeys(values))
    aliases = [site.url(rel_dir, name, meta, title, language)]
    for alias in as_list(meta.get("aliases")):
        aliases.append(alias_route(alias if alias.startswith("/") else f"/{rel_dir}/{alias}"))
    post.aliases = list(dict.fromkeys(a for a in aliases if a))
    consumed = CONSUMED | set(site.taxonomies) | {"headless"}
    post.extra = {k: plain_value(v) for k, v in front.meta.items() if k.lower() not in consumed}
    body = Shortcodes(post, front.body_line, resolve_ref).convert(front.body)
    body = _MORE.sub(B.SUMMARY_MARK, body, count=1)
    B.note_empty_summary(post, body, front.body_line)
    resolve = site.resolver(bundle if bundle is not None else path.parent)
    base_url = str(site.config.get("baseurl") or "").rstrip("/")
    urls = (base_url,) if base_url else ()
    post.body = B.rewrite_refs(post, body, resolve, front.body_line, urls)
    B.header_refs(post, resolve, site_urls=urls)
    return post


def _hold_future(site: HugoSite, post: Post, meta: dict[str, Any], text: str) -> None:
    """Hugo does not build a page whose publish date (publishDate, else `date`) is after the build
    time unless `buildFuture` is set; on Grav the page waits as `publish_date` (GRV925). Called only
    when no publish_date comes from the source already (a publishDate equal to `date` is not
    written otherwise)."""
    for key in PUBLISH_KEYS:
        value = meta.get(key)
        when = source_time(value) if value is not None else None
        if when is None:
            continue
        wall = when.wall(site.target, site.zone)
        if wall > site.now:
            spelled = "publishDate" if key == "publishdate" else key
            hide_until(post, wall, key_line(text, key), f"{spelled} {str(value)!r}",
                       "Hugo does not build a page before its publish date unless `buildFuture: true` is in the "
                       "site config (it is not)", site.date_format)
        return


def _lower_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Hugo front matter keys are case-insensitive; the first spelling wins."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        out.setdefault(key.lower(), value)
    return out


def _strip_date_prefix(name: str, when: Any) -> str:
    """`1208-service-profiles` -> `service-profiles` when 1208 is the post's month and day (the
    date is in the Grav folder name already)."""
    if when is None:
        return name
    for prefix in (f"{when:%Y-%m-%d}-", f"{when:%Y%m%d}-", f"{when:%m%d}-", f"{when:%m-%d}-"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name
