"""Paths given by the user -> the sorted list of page files to check, grouped by Grav site.

Folders are walked as Grav walks `user/pages`: hidden folders, folders with the `param_sep`
character (`:`) and `pages.ignore_folders` are skipped. Symlinked folders are not followed and
symlinked files are only read when they point inside the tree the user gave.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from grav_tools.page import page_name_parts
from grav_tools.site import SiteConfig, find_site_root, load_site


@dataclass(frozen=True, slots=True)
class Target:
    """One `.md` file to look at."""

    file: str  # its path as found (a str: 65k Path objects cost 25 MB and a tenth of a second)
    display: str
    site: SiteConfig
    page_file: bool  # False for `.md` files Grav never reads as pages (dots in the basename)
    outside: bool = False  # a symlink pointing out of the tree the user gave
    tree: str | None = None  # real path of that tree (the folder given, or a given file's folder)
    error: str | None = None  # why this is not checked (a folder that cannot be listed)
    # whether the file itself is a symlink, as the listing said for free (None: an unlisted folder);
    # normalise then resolves only the links among 13k files instead of lstat-ing every one
    link: bool | None = None

    @property
    def path(self) -> Path:
        return Path(self.file)


class PathMissing(Exception):
    """A path given on the command line does not exist."""


def _walk(root: str, site: SiteConfig, many: tuple[int, Callable[[], None]] | None = None
          ) -> tuple[list[tuple[str, bool]], list[tuple[str, str]]]:
    """Every `.md` file under `root` as (path, is_symlink), skipping what Grav skips; and the
    folders that could not be listed, with why (their pages would otherwise vanish silently).
    `many` = (count, call): `call()` once, as soon as `count` files are found."""
    found: list[tuple[str, bool]] = []
    unlisted: list[tuple[str, str]] = []
    skip = set(site.ignore_folders)
    sep = site.param_sep
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            unlisted.append((folder, exc.strerror or str(exc)))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if sep not in name and name not in skip:
                    stack.append(entry.path)
            elif name.endswith(".md"):
                found.append((entry.path, entry.is_symlink()))
        if many is not None and len(found) >= many[0]:
            many[1]()
            many = None
    return found, unlisted


def discover(args: list[str], exclude: tuple[str, ...] = (),
             many: tuple[int, Callable[[], None]] | None = None) -> list[Target]:
    """Expand user paths into sorted, de-duplicated targets. Raises PathMissing.

    `many` = (count, call): `call()` as soon as a walked folder has given `count` files (the CLI
    starts the process pool's start-up then, see lint.start_workers_early)."""
    sites: dict[Path | None, SiteConfig] = {}
    targets: dict[str, Target] = {}
    for arg in args:
        given = Path(arg)
        if not given.exists() and not given.is_symlink():
            raise PathMissing(arg)
        root_key = find_site_root(given)
        if root_key not in sites:
            sites[root_key] = load_site(root_key)
        site = sites[root_key]
        if given.is_dir():
            # a str, not a Path: Path("./user/pages") drops the "./" that `base` below keeps
            walk_root = os.path.join(str(given), "user", "pages") if (given / "user" / "pages").is_dir() else str(given)
            files, unlisted = _walk(walk_root, site, many)
            inside = str(given.resolve())
        else:
            files, unlisted = [(str(given), given.is_symlink())], []
            inside = str(given.resolve().parent)
        base = str(given) if given.is_dir() else None
        absolute = os.path.abspath(given)
        shown = arg.rstrip("/")
        for file, is_link in files:
            # scandir paths all start with str(given); slicing is much cheaper than relpath()
            rel = file[len(base) + 1 :].replace(os.sep, "/") if base is not None else ""
            key = f"{absolute}/{rel}" if base is not None else absolute
            if key in targets:
                continue
            outside = is_link and not os.path.realpath(file).startswith(inside + os.sep)
            if base is None:
                display = arg
            else:
                display = rel if shown in ("", ".") else f"{shown}/{rel}"
            if exclude and any(fnmatch(display, pattern) for pattern in exclude):
                continue
            name_ok = page_name_parts(os.path.basename(file)) is not None or base is None
            targets[key] = Target(file, display, site, name_ok, outside, inside, link=is_link)
        for folder, why in unlisted:
            rel = folder[len(str(given)) + 1 :].replace(os.sep, "/")
            display = (rel if shown in ("", ".") else f"{shown}/{rel}") if rel else (shown or ".")
            targets.setdefault(f"{absolute}/{rel}", Target(
                folder, display, site, True, False, inside,
                f"it is a folder that cannot be listed ({why}): the pages in it were not checked"))
    return sorted(targets.values(), key=lambda t: t.display)
