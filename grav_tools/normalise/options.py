"""`[tool.grav-tools.normalise]`: what the canonical form looks like where sites may differ.

Defaults are what Grav Admin writes (title, published, date, publish_date first; 4-space
indentation; dates as 'd-m-Y H:i'), so a site edited in Admin and one normalised here agree.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grav_tools.config import LINE_ENDINGS, ConfigError

# The order Admin saves the core publishing fields in (hemcenter.kz, Admin 1.10): everything
# else keeps the order the author wrote it in.
DEFAULT_KEY_ORDER = ("title", "published", "date", "publish_date", "unpublish_date")
DEFAULT_DATE_FORMAT = "d-m-Y H:i"
QUOTE_STYLES = ("symfony", "keep")
OPTION_KEYS = ("key-order", "date-format", "indent", "dates", "fix-encoding", "line-endings",
               "trim-trailing-whitespace", "final-newline", "quote-style", "booleans", "carousel",
               "summary-separator")


@dataclass(frozen=True, slots=True)
class NormaliseOptions:
    """How `grav-tools normalise` writes a page."""

    key_order: tuple[str, ...] = DEFAULT_KEY_ORDER  # top-level keys that come first, in this order
    date_format: str = DEFAULT_DATE_FORMAT  # used when neither the page nor the site sets one
    indent: int = 4  # Admin's legacy pages use 4; Flex pages use 2
    dates: bool = True  # write date/publish_date/unpublish_date in one format
    assume: str | None = None  # "dmy" / "mdy": how to read dates whose day and month are in doubt
    convention: str | None = None  # [tool.grav-tools.rules] date-convention
    encoding: str | None = None  # transcode files that are not UTF-8 from this encoding
    fix_encoding: bool = False  # transcode files that are not UTF-8 when their encoding is unambiguous
    line_endings: str = "lf"  # "lf", "crlf", or "keep" (CRLF where most line breaks were CRLF)
    trim_trailing_whitespace: bool = True  # in the body, outside code; hard breaks keep two spaces
    final_newline: bool = True  # no blank lines at the end, exactly one newline
    quote_style: str = "symfony"  # "keep": a one-line string keeps the author's quoting if it reads back
    booleans: bool = True  # True/TRUE/False written true/false
    carousel: bool = True  # [owl-carousel] fix-ups (own lines, no gaps between images, double quotes)
    summary_separator: bool = True  # blank lines around the summary separator


def _section(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("grav-tools", {})
    section = data.get("normalise", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'normalise' must be a table")
    return section


def load_normalise_options(path: Path | None) -> NormaliseOptions:
    """The `normalise` table of a settings file (defaults when there is none)."""
    if path is None:
        return NormaliseOptions()
    return options_from_table(_section(path), str(path))


def _flag(section: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: normalise.{key} must be true or false")
    return value


def _choice(section: dict[str, Any], key: str, choices: tuple[str, ...], where: str) -> str:
    value = section.get(key, choices[0])
    if value not in choices:
        raise ConfigError(f"{where}: normalise.{key} must be one of {', '.join(repr(c) for c in choices)}")
    return str(value)


def options_from_table(section: dict[str, Any], where: str) -> NormaliseOptions:
    """Options from an already-read `normalise` table; `where` names it in error messages."""
    for key in section:
        if key not in OPTION_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' in normalise (known: {', '.join(OPTION_KEYS)})")
    order = section.get("key-order", list(DEFAULT_KEY_ORDER))
    if not isinstance(order, list) or not all(isinstance(k, str) for k in order):
        raise ConfigError(f"{where}: normalise.key-order must be a list of header keys")
    fmt = section.get("date-format", DEFAULT_DATE_FORMAT)
    if not isinstance(fmt, str) or not fmt.strip():
        raise ConfigError(f"{where}: normalise.date-format must be a PHP date format such as 'd-m-Y H:i'")
    indent = section.get("indent", 4)
    if not isinstance(indent, int) or isinstance(indent, bool) or indent not in (2, 4):
        raise ConfigError(f"{where}: normalise.indent must be 2 or 4")
    return NormaliseOptions(
        key_order=tuple(order), date_format=fmt, indent=indent,
        dates=_flag(section, "dates", True, where),
        fix_encoding=_flag(section, "fix-encoding", False, where),
        line_endings=_choice(section, "line-endings", LINE_ENDINGS, where),
        trim_trailing_whitespace=_flag(section, "trim-trailing-whitespace", True, where),
        final_newline=_flag(section, "final-newline", True, where),
        quote_style=_choice(section, "quote-style", QUOTE_STYLES, where),
        booleans=_flag(section, "booleans", True, where),
        carousel=_flag(section, "carousel", True, where),
        summary_separator=_flag(section, "summary-separator", True, where),
    )
