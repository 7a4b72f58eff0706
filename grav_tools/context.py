"""What a page rule gets to look at (PageContext), and what a site rule gets (PageSummary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable, TypeVar

from grav_tools.config import RuleOptions
from grav_tools.dates import DateShape
from grav_tools.page import Page
from grav_tools.site import SiteConfig
from grav_tools.suppress import Suppression
from grav_tools.yamlio import Header, Mapping, Node, Scalar


@dataclass(slots=True)
class PageContext:
    """One page, its parsed header, its site and the names of the files beside it."""

    page: Page
    site: SiteConfig
    header: Header | None
    data: dict[str, Any]
    folder_files: tuple[str, ...]
    options: RuleOptions = field(default_factory=RuleOptions)
    cache: dict[str, Any] = field(default_factory=dict)  # rules share derived facts here
    tree: str | None = None  # real path of the folder the user gave: rules never look outside it

    @property
    def root(self) -> Mapping | None:
        root = self.header.root if self.header else None
        return root if isinstance(root, Mapping) else None

    def value_node(self, key: str) -> Node | None:
        root = self.root
        return root.get(key) if root else None

    def key_node(self, key: str) -> Scalar | None:
        root = self.root
        return root.key_node(key) if root else None

    @property
    def dateformat(self) -> str | None:
        """The date format Grav uses for this page: its own `dateformat:` wins over the site's."""
        own = self.data.get("dateformat")
        if isinstance(own, str) and own.strip():
            return own
        return self.site.dateformat


# DateFact and PageSummary travel back from worker processes once per page: they are plain
# (not frozen) slots classes with a flat __reduce__, which unpickles about 6x faster than a
# frozen dataclass. Treat them as read-only all the same.


@dataclass(slots=True, unsafe_hash=True)
class DateFact:
    """A date header as written, for rules that compare dates across files."""

    key: str
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    quoted: bool
    # the wall clock Grav reads (year, month, day, hour, minute, second) under the page's date
    # format, None when it cannot: read in the worker, where the page rules already cached it
    wall: tuple[int, int, int, int, int, int] | None = None
    shape: DateShape | None = None  # dates.shape_of(text), also worked out in the worker

    def __reduce__(self) -> tuple[type[DateFact], tuple[object, ...]]:
        return (DateFact, (self.key, self.text, self.line, self.column, self.end_line, self.end_column, self.quoted,
                           self.wall, self.shape))


@dataclass(slots=True, unsafe_hash=True)
class PageSummary:
    """The small, picklable facts about one checked file that site rules need."""

    display: str
    folder: str  # absolute folder path, for grouping translations and siblings
    name: str
    template: str
    language: str | None
    page_file: bool
    site: SiteConfig
    has_header: bool = False
    dateformat: str | None = None  # the page's own `dateformat:` header
    dates: tuple[DateFact, ...] = ()
    published: str = "<missing>"  # repr of the header value, "<missing>" when absent
    published_line: int = 0
    keys: tuple[tuple[str, int, int], ...] = ()  # top-level header keys with line and column
    media: tuple[str, ...] = ()  # names of the files beside the page
    extra: tuple[tuple[str, Any], ...] = ()  # facts other rule families add (name, value)
    options: RuleOptions = field(default_factory=RuleOptions)
    suppressions: tuple[Suppression, ...] = ()
    # False when a page rule looked at files outside the page's folder (`sub/a.jpg`, `../a.jpg`):
    # those files are not part of the results cache's key, so this page is never cached
    local: bool = True

    def __reduce__(self) -> tuple[type[PageSummary], tuple[object, ...]]:
        return (PageSummary, tuple(getattr(self, name) for name in _SUMMARY_FIELDS))

    def fact(self, name: str, default: Any = None) -> Any:
        """A fact a registered collector extracted from this page (see rules.collects_facts)."""
        for key, value in self.extra:
            if key == name:
                return value
        return default


_SUMMARY_FIELDS = tuple(PageSummary.__dataclass_fields__)

_T = TypeVar("_T")


def per_listing(func: Callable[[tuple[str, ...]], _T]) -> Callable[[tuple[str, ...]], _T]:
    """Remember the answers for the last few folder listings passed, by identity.

    Every page of a folder gets the very same `folder_files` tuple, so this costs nothing, where
    an lru_cache would hash the whole listing on every call: quadratic in a 100k-file folder.
    """
    recent: dict[int, tuple[tuple[str, ...], _T]] = {}

    @wraps(func)
    def cached(files: tuple[str, ...]) -> _T:
        hit = recent.get(id(files))
        if hit is not None and hit[0] is files:  # the tuple is kept alive here, so its id is not reused
            return hit[1]
        if len(recent) >= 8:
            recent.clear()
        answer = func(files)
        recent[id(files)] = (files, answer)
        return answer

    return cached
