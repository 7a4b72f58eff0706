"""Paths given by the user -> the sorted list of page files to check, grouped by Grav site.

Folders are walked as Grav walks `user/pages`: hidden folders, folders with the `param_sep`
character (`:`) and `pages.ignore_folders` are skipped. Symlinked folders are not followed and
symlinked files are only read when they point inside the tree the user gave.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grav_tools.page import page_name_parts
from grav_tools.site import SiteConfig, find_site_root, load_site


@dataclass(frozen=True, slots=True)
class Target:
    """One `.md` file to look at."""

    path: Path
    display: str
    site: SiteConfig
    page_file: bool  # False for `.md` files Grav never reads as pages (dots in the basename)
    outside: bool = False  # a symlink pointing out of the tree the user gave


class PathMissing(Exception):
    """A path given on the command line does not exist."""


def _display(arg: str, root: Path, file: Path) -> str:
    if file == root:
        return arg
    rel = file.relative_to(root).as_posix()
    base = arg.rstrip("/\\")
    return rel if base in ("", ".") else f"{base}/{rel}"


def _walk(root: Path, site: SiteConfig) -> list[Path]:
    """Every `.md` file under `root`, skipping what Grav skips."""
    found: list[Path] = []
    skip = set(site.ignore_folders)
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and site.param_sep not in d and d not in skip
        ]
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                found.append(Path(folder) / name)
    return found


def discover(args: list[str], exclude: tuple[str, ...] = ()) -> list[Target]:
    """Expand user paths into sorted, de-duplicated targets. Raises PathMissing."""
    sites: dict[Path | None, SiteConfig] = {}
    targets: dict[Path, Target] = {}
    for arg in args:
        given = Path(arg)
        if not given.exists() and not given.is_symlink():
            raise PathMissing(arg)
        root_key = find_site_root(given)
        if root_key not in sites:
            sites[root_key] = load_site(root_key)
        site = sites[root_key]
        if given.is_dir():
            walk_root = given
            if (given / "user" / "pages").is_dir():
                walk_root = given / "user" / "pages"
            files = _walk(walk_root, site)
            base = given
        else:
            files = [given]
            base = given
        real_base = base.resolve()
        for file in files:
            key = file.resolve()
            if key in targets:
                continue
            outside = file.is_symlink() and not key.is_relative_to(
                real_base if base.is_dir() else real_base.parent
            )
            display = _display(arg, base, file)
            if exclude and any(Path(display).match(pattern) for pattern in exclude):
                continue
            name_ok = page_name_parts(file.name) is not None or file == given
            targets[key] = Target(file, display, site, name_ok, outside)
    return sorted(targets.values(), key=lambda t: t.display)
