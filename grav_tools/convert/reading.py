"""What the three readers share: safe walking of SRC, front matter split and load, dates, slugs.

Source headers are read with python-frontmatter's handlers (YAML through PyYAML with ISO
timestamps kept as the text written, JSON) and the standard library's tomllib for TOML, because
Jekyll and Hugo read YAML 1.1-ish and TOML themselves, not the way Grav does. The body is split
off by line, so notes can point at real lines of the source file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml  # type: ignore[import-untyped,unused-ignore]
from frontmatter.default_handlers import YAMLHandler

from grav_tools.dates import format_date, read_date
from grav_tools.source import decode

_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it (10x faster)


class _Loader(_SAFE):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, but timestamps stay the text written (dates are read by us)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_PLACEHOLDER_VALUE = re.compile(r"^(\s*(?:-\s+)?[^\s#'\"][^:]*:\s+|\s*-\s+)((?:\{\{|\{%).*)$")


@dataclass(slots=True)
class FrontMatter:
    """A source file split into header data and body; `error` when the header is unreadable."""

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    format: str | None = None  # "yaml", "toml", "json" or None (no header)
    error: str | None = None
    repaired: list[int] = field(default_factory=list)  # header lines whose template placeholder was quoted


def read_text(path: Path) -> tuple[str, str | None]:
    """The file as text with LF newlines; a reason when it is not UTF-8."""
    return _as_text(path.read_bytes())


def _as_text(raw: bytes) -> tuple[str, str | None]:
    decoded = decode(raw)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None if decoded.utf8 else (decoded.guessed_encoding or "unknown encoding")


_digests: dict[Path, str] = {}


def forget_digests() -> None:
    """Start of a run: files may have changed since an earlier run in this process."""
    _digests.clear()


def file_digest(path: Path) -> str:
    """sha256 of a source file as this run first read it: the record and the check for files
    that change while convert runs both compare against what was actually converted."""
    cached = _digests.get(path)
    if cached is None:
        cached = _digests[path] = fresh_digest(path)
    return cached


def fresh_digest(path: Path) -> str:
    """sha256 of a file as it is now (OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_source(path: Path, display: str, notes: list[Any],
                yaml_ends: tuple[str, ...] = ("---",)) -> tuple[str, FrontMatter] | None:
    """Read and split one source post (text and header); an unreadable, non-UTF-8 or unparsable
    one becomes a GRV913 note instead."""
    from grav_tools.convert.model import Note  # model imports nothing of ours; kept local to stay a leaf

    try:
        raw = path.read_bytes()
    except OSError as exc:
        notes.append(Note("GRV913", display, 1, f"cannot read this file: {exc.strerror or exc}"))
        return None
    _digests[path] = hashlib.sha256(raw).hexdigest()  # what was converted, for the record and the write-time check
    text, bad_encoding = _as_text(raw)
    if bad_encoding:
        notes.append(Note("GRV913", display, 1, f"the file is not UTF-8 (it looks like {bad_encoding}): not "
                          f"converted; convert it with `iconv -f {bad_encoding} -t utf-8` first"))
        return None
    front = split_front_matter(text, yaml_ends)
    if front.error:
        notes.append(Note("GRV913", display, 1, f"the header cannot be read ({front.error}): not converted"))
        return None
    return text, front


def _load_yaml(text: str) -> Any:
    return YAMLHandler().load(text, Loader=_Loader)


def load_yaml_mapping(text: str) -> dict[str, Any]:
    """A YAML config file as a dict ({} when it is not a readable mapping)."""
    try:
        data = _load_yaml(text)
    except (yaml.YAMLError, ValueError, TypeError):
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


def _quote_placeholders(text: str) -> tuple[str, list[int]]:
    """Quote `{{date}}`-style template placeholders, which are YAML flow mappings otherwise."""
    lines = text.split("\n")
    fixed: list[int] = []
    for index, line in enumerate(lines):
        match = _PLACEHOLDER_VALUE.match(line)
        if match:
            lines[index] = match.group(1) + "'" + match.group(2).rstrip().replace("'", "''") + "'"
            fixed.append(index)
    return "\n".join(lines), fixed


def split_front_matter(text: str, yaml_ends: tuple[str, ...] = ("---",)) -> FrontMatter:
    """Split YAML (`---`), TOML (`+++`) or JSON (`{`) front matter off the body."""
    lines = text.split("\n")
    first = lines[0].rstrip() if lines else ""
    if first in ("---", "+++"):
        ends = yaml_ends if first == "---" else ("+++",)
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ends:
                raw = "\n".join(lines[1:index])
                body = "\n".join(lines[index + 1:])
                return _parse(raw, "yaml" if first == "---" else "toml", body, index + 2)
        return FrontMatter(body=text, error="the header is never closed")
    if text.startswith("{"):
        try:
            meta, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            return FrontMatter(body=text, format="json", error=f"JSON header: {exc.msg} (line {exc.lineno})")
        rest = text[end:]
        skipped = len(rest) - len(rest.lstrip("\n"))
        body_line = text.count("\n", 0, end) + 1 + skipped
        return FrontMatter(meta if isinstance(meta, dict) else {}, rest.lstrip("\n"), body_line, "json")
    return FrontMatter(body=text)


def _parse(raw: str, kind: str, body: str, body_line: int) -> FrontMatter:
    repaired: list[int] = []
    try:
        data = tomllib.loads(raw) if kind == "toml" else _load_yaml(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
        if kind != "yaml":
            return FrontMatter(body=body, body_line=body_line, format=kind, error=str(exc).split("\n")[0])
        quoted, repaired = _quote_placeholders(raw)
        try:
            data = _load_yaml(quoted) if repaired else None
        except (yaml.YAMLError, ValueError, TypeError):
            data = None
        if data is None:
            message = str(exc).replace("\n", " ")
            return FrontMatter(body=body, body_line=body_line, format=kind, error=message)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter(body=body, body_line=body_line, format=kind, error="the header is not a mapping")
    return FrontMatter({str(k): v for k, v in data.items()}, body, body_line, kind,
                       repaired=[line + 2 for line in repaired])


# ------------------------------------------------------------------------------------------- walking


@lru_cache(maxsize=64)
def _real(root: str) -> str:
    return os.path.realpath(root)


def inside(root: Path, path: Path) -> bool:
    """True when `path` (symlinks resolved) is `root` or below it."""
    real_root = _real(str(root))
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def walk(root: Path, keep_dir: Callable[[str], bool], outside: list[Path]) -> list[Path]:
    """Every file under `root`, sorted; symlinked folders are never entered and symlinked
    files that point out of `root` are left out (and listed in `outside`)."""
    found: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if keep_dir(entry.name):
                    stack.append(path)
            elif entry.is_symlink():
                if entry.is_file() and inside(root, path):
                    found.append(path)
                elif not entry.is_dir():
                    outside.append(path)
            elif entry.is_file(follow_symlinks=False):
                found.append(path)
    return sorted(found)


def local_file(root: Path, candidate: Path) -> Path | None:
    """`candidate` when it is a regular file inside `root` (no symlink leads out); else None."""
    try:
        if candidate.is_file() and inside(root, candidate):
            return candidate
    except OSError:
        return None
    return None


def first_local(root: Path, candidates: list[Path]) -> Path | None:
    """The first of `candidates` that is a regular file inside `root` (see local_file)."""
    for candidate in candidates:
        found = local_file(root, candidate)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------- dates


@dataclass(frozen=True, slots=True)
class SourceTime:
    """A source date: the fields as written and the UTC offset it carried, if any."""

    naive: datetime
    offset: int | None  # seconds east of UTC, None when the text names no offset

    def wall(self, target: str | None, assume: str | None) -> datetime:
        """The wall clock in zone `target`; a naive time is taken to be in `assume` (or kept).

        With no `target` the time is kept as written (an offset is then simply dropped).
        """
        if target is None:
            return self.naive
        if self.offset is not None:
            instant = self.naive.replace(tzinfo=timezone(timedelta(seconds=self.offset)))
        elif assume is not None and assume != target:
            instant = self.naive.replace(tzinfo=zone(assume))
        else:
            return self.naive
        return instant.astimezone(zone(target)).replace(tzinfo=None)


def zone(name: str) -> ZoneInfo:
    return ZoneInfo("UTC" if name.upper() == "UTC" else name)


def valid_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def source_time(value: Any) -> SourceTime | None:
    """Read a header date: text with PHP's liberal parser (close to Ruby's Time.parse and Go's
    formats for every shape seen in real sites), TOML/YAML date objects as they are."""
    if isinstance(value, datetime):
        offset = value.utcoffset()
        return SourceTime(value.replace(tzinfo=None), None if offset is None else int(offset.total_seconds()))
    if isinstance(value, date):
        return SourceTime(datetime(value.year, value.month, value.day), None)
    if not isinstance(value, str) or not value.strip():
        return None
    quick = _quick_iso(value.strip())
    if quick is not None:
        return quick
    reading = read_date(value.strip(), tz="UTC")
    if not reading.ok or reading.now_dependent or reading.overflowed:
        return None
    try:
        naive = reading.as_datetime()
    except ValueError:
        return None
    if reading.utc_offset_seconds is None and reading.tz_name is None:
        return SourceTime(naive, None)
    wall = int((naive - datetime(1970, 1, 1)).total_seconds())
    return SourceTime(naive, wall - reading.timestamp("UTC"))


_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?[ \t]*(?:(Z)|([+-])(\d\d):?(\d\d))?")


def _quick_iso(text: str) -> SourceTime | None:
    """The ISO shapes nearly every Jekyll and Hugo date has, read directly (same answer as the
    PHP-faithful parser for valid dates; anything else goes the long way)."""
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    y, m, d, hh, mm, ss, zulu, sign, oh, om = match.groups()
    try:
        naive = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None
    if zulu:
        return SourceTime(naive, 0)
    if sign:
        offset = int(oh) * 3600 + int(om) * 60
        return SourceTime(naive, -offset if sign == "-" else offset)
    return SourceTime(naive, None)


_FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


def filename_date(name: str) -> datetime | None:
    """The `YYYY-MM-DD` a file name starts with, if it is a real date."""
    match = _FILE_DATE.match(name)
    if not match:
        return None
    try:
        return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------- slugs

_CYRILLIC = re.compile(r"[а-яё]")


def slugify(text: str, fallback: str = "post") -> str:
    """A slug Grav Admin accepts: lower-case ASCII letters, digits and dashes (Cyrillic kept,
    as Admin's folder pattern allows it); accents are dropped, anything else becomes a dash."""
    text = text.strip().lower().replace("ё", "е")
    out = []
    for ch in text:
        if ("a" <= ch <= "z") or ("0" <= ch <= "9") or _CYRILLIC.match(ch):
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii").lower()
        plain = re.sub(r"[^a-z0-9]", "", plain)
        out.append(plain if plain else "-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    return slug or fallback


def as_list(value: Any, split: bool = False) -> list[str]:
    """A header value as a list of non-empty strings (`split`: a string holds space-separated items)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    if not text:
        return []
    return text.split() if split else [text]


def plain_value(value: Any) -> Any:
    """Header data with dates turned into their ISO text, so the Grav header can hold them."""
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def dated(post: Any, value: Any, line: int, key: str, target: str | None, assume: str | None,
          date_format: str | None = "d-m-Y H:i") -> datetime | None:
    """A header date as a wall clock in the Grav timezone, noting shifts and unreadable values.

    `post` is the model.Post being built; the GRV903/GRV904 notes go on it, and GRV923 when the
    date has seconds `date_format` (the one the Grav header is written in) cannot hold, or a
    fraction of a second (which no Grav format holds); `date_format=None` leaves that check to the
    caller (`precision_note`), for a date that may not be written at all.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    when = source_time(value)
    if when is None:
        post.note("GRV904", line, f"{key}: {str(value)!r} is not a date any parser understands; it is not used")
        return None
    wall = when.wall(target, assume)
    if when.offset is not None and target is None:
        post.note("GRV903", line, f"{key}: {str(value)!r} carries a UTC offset but no timezone is known for the "
                  "Grav site (no system.timezone at DEST, no --timezone): the time is kept as written, "
                  "the offset dropped", severity=_warning())
    elif wall != when.naive:
        post.note("GRV903", line, f"{key}: {str(value)!r} is written as {wall:%Y-%m-%d %H:%M}, the same instant "
                  f"in the site timezone {target}")
    if date_format is not None:
        precision_note(post, value, wall, line, key, date_format)
    return wall


_FRACTION = re.compile(r"\d:\d\d[.,](\d+)")


def _fraction(value: Any) -> str:
    """The non-zero fraction of a second a source date carries (`.250`), else ''."""
    if isinstance(value, datetime):
        return f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
    match = _FRACTION.search(value) if isinstance(value, str) else None
    return "." + match.group(1) if match and match.group(1).strip("0") else ""


@lru_cache(maxsize=16)
def holds_seconds(date_format: str) -> bool:
    """Does a date written in this PHP format read back with its seconds (`d-m-Y H:i:s`)?"""
    sample = datetime(2023, 11, 28, 13, 47, 29)
    try:
        reading = read_date(format_date(sample, date_format), date_format)
        return reading.ok and reading.as_datetime() == sample
    except ValueError:
        return False


def precision_note(post: Any, value: Any, wall: datetime, line: int, key: str, date_format: str) -> None:
    """GRV923 when the date as written is less precise than the source's (seconds, fractions)."""
    fraction = _fraction(value)
    seconds = bool(wall.second) and not holds_seconds(date_format)
    if not fraction and not seconds:
        return
    kept = wall.replace(second=0) if seconds else wall
    written = format_date(kept.replace(microsecond=0), date_format)
    if seconds:
        lost = f"its seconds (:{wall.second:02d}{fraction})"
        why = (f"the date format '{date_format}' it is written in has none; a Grav site whose pages.dateformat.default "
               "carries seconds (such as 'd-m-Y H:i:s') keeps them: set it in user/config/system.yaml at DEST "
               "and convert again")
    else:
        lost = f"its fraction of a second ({fraction})"
        why = "no Grav date format holds one"
    post.note("GRV923", line, f"{key}: {str(value)!r} is written as '{written}', without {lost}: {why}")


def wall_now(now: datetime | None, target: str | None) -> datetime:
    """The moment `now` (aware; naive is taken as UTC; None: the real time) as a wall clock in zone
    `target` (UTC when none is known), to compare with the wall-clock dates a reader makes."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(target or "UTC")).replace(tzinfo=None)


def hide_until(post: Any, when: datetime, line: int, what: str, why: str, date_format: str) -> None:
    """GRV925: the source system did not build this post yet because `when` (its date, or its
    publish date) is in the future; Grav shows a page with a future `date` at once, so the wait
    is carried as `publish_date` (written in the same format as `date`)."""
    post.publish_date = when
    written = format_date(when, date_format)
    post.note("GRV925", line, f"{what} is in the future: {why}. Grav would show the page at once (a future `date` "
              f"does not hide it), so `publish_date: '{written}'` is written and the page stays hidden until then, "
              "as it was before")


def _warning() -> Any:
    from grav_tools.problems import Severity

    return Severity.WARNING


def key_line(text: str, key: str, default: int = 1) -> int:
    """The 1-based line of `key:` (or `key =`) in a source file, for notes."""
    match = re.search(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*[:=]", text, re.M | re.I)
    return text.count("\n", 0, match.start()) + 1 if match else default
