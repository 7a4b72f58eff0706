"""The neutral post every reader produces and the Grav writer consumes, plus conversion notes.

A reader never decides Grav file names, folder names or header layout: it only says what the
source meant (title, wall-clock date and where that date came from, taxonomy, old URLs, body
with placeholders for assets and cross-links). That keeps the three readers small and makes
the Grav side identical for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from grav_tools.problems import Severity

DATE_HEADER, DATE_FILENAME, DATE_MISSING = "header", "filename", "missing"


@dataclass(frozen=True, slots=True)
class Note:
    """Something lossy or noteworthy about one source file; becomes a GRV9xx problem.

    `severity` overrides the rule's default for graded notes (e.g. a missing asset that the
    writer could keep working vs one it could not).
    """

    code: str
    path: str
    line: int
    message: str
    column: int = 1
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class PostDate:
    """A date as a naive wall clock in the target (Grav) timezone, and where it came from.

    `wall` is None when the source gave no usable date. `origin` is DATE_HEADER, DATE_FILENAME
    or DATE_MISSING; `text` is the source text the date was read from (for messages).
    """

    wall: datetime | None
    origin: str
    text: str = ""


@dataclass(slots=True)
class Asset:
    """A local file the post references; the writer copies it beside the page.

    `token` is the placeholder written into the body (or into a header value) where the final
    file name goes; `source` is the resolved file inside SRC.
    """

    token: str
    source: Path
    name: str  # the file's own name, the preferred name in the page folder


@dataclass(slots=True)
class Link:
    """A link to another post (`{% post_url %}`, Hugo `ref`, `[[wikilink]]`), resolved by the writer.

    `target` is the key of the post it names (see Post.key); `fallback` is written when that post
    is not among the converted ones.
    """

    token: str
    target: str
    fallback: str
    line: int
    anchor: str = ""  # `#heading` to append to the Grav link


@dataclass(slots=True)
class Post:
    """One source file as the source system meant it.

    `key` identifies the source post for links (reader-specific, e.g. a Jekyll post name).
    `group` puts translations of one post into one Grav folder. `body` is Markdown with
    placeholder tokens for assets and links, and body.SUMMARY_MARK where the summary ends.
    """

    source: Path
    display: str
    kind: str
    key: str
    group: str
    title: str
    date: PostDate
    slug: str
    explicit_slug: str | None = None
    language: str | None = None
    published: bool | None = None  # None: the source said nothing
    publish_date: datetime | None = None
    unpublish_date: datetime | None = None
    taxonomy: dict[str, list[str]] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    body: str = ""
    assets: list[Asset] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown source keys, in source order
    carousels: int = 0
    notes: list[Note] = field(default_factory=list)

    def note(self, code: str, line: int, message: str, severity: Severity | None = None) -> None:
        self.notes.append(Note(code, self.display, line, message, severity=severity))


@dataclass(slots=True)
class Source:
    """Everything a reader found in SRC: the posts, and notes about files it did not convert."""

    kind: str
    root: Path
    posts: list[Post] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    source_timezone: str | None = None
    custom_taxonomies: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What every reader needs to know: include drafts, the Grav site's timezone (target), the
    date format the writer will use (so a reader can tell when a source date is more precise than
    that format: GRV923) and the moment of the conversion (`now`, an aware datetime; naive is taken
    as UTC; None: the real time), against which the source system's "not built yet, dated in the
    future" is decided (GRV925)."""

    drafts: bool = False
    timezone: str | None = None
    date_format: str = "d-m-Y H:i"
    now: datetime | None = None
