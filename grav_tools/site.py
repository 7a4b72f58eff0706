"""What a Grav site's own configuration says: languages, date format, timezone, summary delimiter.

Read from `user/config/system.yaml` and `user/config/site.yaml` when a checked path is inside a
Grav site, with Grav's defaults otherwise. Parsed with our own safe YAML reader (no tags run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grav_tools.yamlio import parse_header, to_python


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The settings of one Grav site that change what a page means."""

    root: Path | None = None  # the site root (the folder holding `user/`), None outside a site
    languages: tuple[str, ...] = ()  # languages.supported; empty = languages disabled
    default_lang: str | None = None
    dateformat: str | None = None  # system.pages.dateformat.default (empty by default)
    timezone: str | None = None
    summary_delimiter: str = "==="
    taxonomies: tuple[str, ...] = ("category", "tag")
    ignore_folders: tuple[str, ...] = (".git", ".idea")
    param_sep: str = ":"
    problems: tuple[tuple[str, str], ...] = field(default=())  # (file, message) read errors

    @property
    def pages_dir(self) -> Path | None:
        return self.root / "user" / "pages" if self.root else None


def _load_yaml(path: Path) -> tuple[dict[str, Any], str | None]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot read: {exc}"
    header = parse_header(text.replace("\r\n", "\n"))
    if header.root is None:
        if header.error is None:
            return {}, None
        return {}, f"line {header.error.line}: {header.error.message}"
    data = to_python(header.root)
    return (data if isinstance(data, dict) else {}), None


def _get(data: dict[str, Any], dotted: str) -> Any:
    current: Any = data
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def find_site_root(path: Path) -> Path | None:
    """The Grav site root that contains `path` (a folder with `user/pages` above it), if any."""
    path = path.resolve()
    candidates = [path, *path.parents] if path.is_dir() else list(path.parents)
    for folder in candidates:
        if (folder / "user" / "pages").is_dir():
            return folder
        if folder.name == "pages" and folder.parent.name == "user":
            return folder.parent.parent
    return None


def load_site(root: Path | None) -> SiteConfig:
    """Read a site's system.yaml and site.yaml; Grav's defaults for anything missing."""
    if root is None:
        return SiteConfig()
    config_dir = root / "user" / "config"
    problems: list[tuple[str, str]] = []
    system: dict[str, Any] = {}
    site: dict[str, Any] = {}
    for name, target in (("system.yaml", system), ("site.yaml", site)):
        file = config_dir / name
        if file.is_file():
            data, error = _load_yaml(file)
            target.update(data)
            if error:
                problems.append((str(file), error))
    supported = _get(system, "languages.supported") or []
    languages = tuple(str(lang) for lang in supported) if isinstance(supported, list) else ()
    default_lang = _get(system, "languages.default_lang") or (languages[0] if languages else None)
    dateformat = _get(system, "pages.dateformat.default")
    timezone = system.get("timezone")
    delimiter = _get(site, "summary.delimiter")
    taxonomies = site.get("taxonomies")
    ignore = _get(system, "pages.ignore_folders")
    param_sep = system.get("param_sep")
    return SiteConfig(
        root=root,
        languages=languages,
        default_lang=str(default_lang) if default_lang else None,
        dateformat=str(dateformat) if dateformat else None,
        timezone=str(timezone) if timezone else None,
        summary_delimiter=str(delimiter) if delimiter else "===",
        taxonomies=tuple(str(t) for t in taxonomies) if isinstance(taxonomies, list) else ("category", "tag"),
        ignore_folders=tuple(str(i) for i in ignore) if isinstance(ignore, list) else (".git", ".idea"),
        param_sep=str(param_sep) if param_sep else ":",
        problems=tuple(problems),
    )
