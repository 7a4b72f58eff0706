"""Plain Markdown folders (notes, Obsidian vaults): every `.md` file is a post.

Title from the header, else the first `# ` heading, else the file name; date from `date:` or
`created:`, else a `YYYY-MM-DD` at the start of the file name; `tags` and `categories` become
Grav taxonomy (Obsidian's `[[Link]]` values unwrapped). Obsidian embeds `![[image.png]]` are
found the way Obsidian finds them (by name anywhere in the vault, shortest path first) and copied
beside the page; `[[Note]]` links point at the converted note, or become plain text when that
note is not in the vault. Embeds of notes or `.base` views have no Grav equivalent: kept and noted.
"""

from __future__ import annotations

import re
from pathlib import Path

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
    filename_date,
    key_line,
    local_file,
    plain_value,
    read_source,
    slugify,
    walk,
)

SKIP_DIRS = {".obsidian", ".trash", ".git", "node_modules"}
# `date`/`created`: only the ones read for the date (a later one is kept); Obsidian `aliases` are other names
# of the note for its link picker, not old URLs: kept under their own name (and so reported, GRV905).
CONSUMED = {"title", "tags", "tag", "categories", "category", "slug"}
_EMBED = re.compile(r"!\[\[([^\]|#\n]+)(#[^\]|\n]*)?(?:\|([^\]\n]*))?\]\]")
_WIKILINK = re.compile(r"(?<!!)\[\[([^\]|#\n]*)(#[^\]|\n]*)?(?:\|([^\]\n]*))?\]\]")
_H1 = re.compile(r"^# +(.+?)\s*#*\s*$", re.M)
_WIKI_VALUE = re.compile(r"^\[\[([^\]|#]+)(?:[#|][^\]]*)?\]\]$")


def _unwrap(value: str) -> str:
    match = _WIKI_VALUE.match(value.strip())
    return match.group(1).strip() if match else value.strip().lstrip("#")


class Vault:
    """The files of the vault, for Obsidian's lookup by name."""

    def __init__(self, src: Path, files: list[Path]) -> None:
        self.src = src
        self.by_name: dict[str, list[Path]] = {}
        for path in sorted(files, key=lambda p: (len(p.relative_to(src).parts), p.as_posix())):
            self.by_name.setdefault(path.name.lower(), []).append(path)
            if path.suffix.lower() == ".md":
                self.by_name.setdefault(path.stem.lower(), []).append(path)

    def find(self, name: str) -> Path | None:
        """Obsidian's resolution: a vault-relative path, else the shortest path with that name."""
        name = name.strip()
        direct = local_file(self.src, self.src / name)
        if direct is not None:
            return direct
        candidates = self.by_name.get(name.rsplit("/", 1)[-1].lower())
        return candidates[0] if candidates else None

    def resolver(self, note_dir: Path) -> B.Resolver:
        def resolve(url: str) -> Path | None:
            path = B.url_path(url)
            for candidate in (note_dir / path, self.src / path.lstrip("/")):
                found = local_file(self.src, candidate)
                if found is not None:
                    return found
            found = self.find(path)
            return found if found is not None else B.MISSING
        return resolve


def read(src: Path, options: ReadOptions) -> Source:
    source = Source("markdown", src, source_timezone=options.timezone)
    outside: list[Path] = []
    files = walk(src, lambda name: name not in SKIP_DIRS and not name.startswith("."), outside)
    for link in outside:
        source.notes.append(Note("GRV910", link.relative_to(src).as_posix(), 1, "symbolic link out of the source "
                                 "folder not followed"))
    vault = Vault(src, files)
    notes = [p for p in files if p.suffix.lower() == ".md"]
    keys = {p.stem.lower() for p in notes}
    for path in notes:
        post = _read_note(vault, path, options, source, keys)
        if post is not None:
            source.posts.append(post)
    return source


def _read_note(vault: Vault, path: Path, options: ReadOptions, source: Source, keys: set[str]) -> Post | None:
    display = path.relative_to(vault.src).as_posix()
    read = read_source(path, display, source.notes)
    if read is None:
        return None
    text, front = read
    meta = front.meta
    heading = _H1.search(front.body)
    title = str(meta.get("title") or "").strip() or (heading.group(1).strip() if heading else "") or path.stem
    explicit = str(meta["slug"]) if meta.get("slug") else None
    key = path.stem.lower()
    post = Post(path, display, "markdown", key, display, title, PostDate(None, DATE_MISSING),
                slugify(explicit or path.stem), explicit_slug=explicit)
    for line in front.repaired:
        post.note("GRV918", line, "template placeholder quoted so the header could be read")
    date_keys = {k for k in ("date", "created") if k in meta and not str(meta[k] or "").strip()}  # empty: nothing
    for date_key in ("date", "created"):
        if meta.get(date_key) is not None:
            date_keys.add(date_key)
            wall = dated(post, meta[date_key], key_line(text, date_key), date_key, options.timezone, None,
                         options.date_format)
            if wall is not None:
                post.date = PostDate(wall, DATE_HEADER, str(meta[date_key]))
                break
    if post.date.wall is None:
        from_name = filename_date(path.name)
        if from_name is not None:
            post.date = PostDate(from_name, DATE_FILENAME, path.name[:10])
            post.note("GRV901", 1, f"no usable date in the header: the date {from_name:%Y-%m-%d} is taken from the "
                      "file name (time 00:00)")
        else:
            post.note("GRV902", 1, "no date in the header or the file name: no date is written")
    if from_name_slug := re.sub(r"^\d{4}-\d{2}-\d{2}[ _-]*", "", path.stem):
        if post.date.origin != DATE_MISSING and not explicit:
            post.slug = slugify(from_name_slug)
    if isinstance(meta.get("published"), bool):
        post.published = meta["published"]
    for name, keys_in in (("category", ("categories", "category")), ("tag", ("tags", "tag"))):
        values = [_unwrap(v) for k in keys_in for v in as_list(meta.get(k), split=(k == "tags"))]
        values = [v for v in values if v]
        if values:
            post.taxonomy[name] = list(dict.fromkeys(values))
    post.extra = {k: plain_value(v) for k, v in meta.items()
                  if k not in CONSUMED and k not in date_keys and not (k == "published" and isinstance(v, bool))}
    body = _obsidian(post, vault, front.body, front.body_line, keys)
    resolve = vault.resolver(path.parent)
    post.body = B.rewrite_refs(post, body, resolve, front.body_line)
    B.header_refs(post, _header_resolver(vault, resolve), lambda v: _unwrap(v) if _WIKI_VALUE.match(v.strip()) else v)
    return post


def _header_resolver(vault: Vault, resolve: B.Resolver) -> B.Resolver:
    """Header values may be `[[out-of-control.jpg]]` in Obsidian."""
    def inner(value: str) -> Path | None:
        match = _WIKI_VALUE.match(value.strip())
        if match:
            return vault.find(match.group(1)) or B.MISSING
        return resolve(value)
    return inner


def _obsidian(post: Post, vault: Vault, body: str, first_line: int, keys: set[str]) -> str:
    """`![[x.png]]` becomes a Markdown image, `[[Note]]` a link; code is left alone."""
    lines = body.split("\n")
    code = B.code_lines(lines)
    for index, line in enumerate(lines):
        if code[index] or "[[" not in line:
            continue
        number = first_line + index

        def embed(match: re.Match[str], number: int = number) -> str:
            name, size = match.group(1).strip(), (match.group(3) or "").strip()
            found = vault.find(name)
            if found is None or found.suffix.lower() == ".md" or not B.file_like(found.name):
                post.note("GRV907", number, f"Obsidian embed {match.group(0)!r} has no Grav equivalent "
                          "(not an image or file in the vault) and is kept as written")
                return match.group(0)
            if size:
                post.note("GRV917", number, f"{match.group(0)}: the display size '{size}' is not kept")
            token = B.asset_token(post, found)
            alt = found.stem if not size or size.replace("x", "").isdigit() else size
            return f"![{alt}]({token})"

        def wikilink(match: re.Match[str], number: int = number) -> str:
            target, heading, label = match.group(1).strip(), match.group(2) or "", match.group(3)
            shown = (label or target or heading.lstrip("#")).strip()
            name = target.rsplit("/", 1)[-1].lower()
            if name.endswith(".md"):
                name = name[:-3]
            if not target:
                return shown
            if name not in keys:
                post.note("GRV911", number, f"[[{target}]]: no such note in the vault; written as the plain text "
                          f"'{shown}'")
                return shown
            token = B.LINK_TOKEN.format(len(post.links))
            anchor = "#" + slugify(heading.lstrip("#"), "") if heading.strip("#") else ""
            post.links.append(Link(token, name, shown, number, anchor))
            return f"[{shown}]({token})"

        line = _EMBED.sub(embed, line)
        lines[index] = _WIKILINK.sub(wikilink, line)
    return "\n".join(lines)
