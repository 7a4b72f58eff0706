"""What a page rule gets to look at (PageContext), and what a site rule gets (PageSummary)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from grav_tools.config import RuleOptions
from grav_tools.dates import DateShape
from grav_tools.discover import Target
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
    # the header's root mapping (None when there is none, or it is no mapping): worked out once,
    # not in a property, since rules ask for it 11 times a page
    root: Mapping | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        root = self.header.root if self.header else None
        self.root = root if isinstance(root, Mapping) else None

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


# DateFact and PageSummary are plain (not frozen) slots classes: built once per page in the main
# process from the rows workers send (summary_row, Shared.summary), where a frozen dataclass's
# __init__ costs several times more. Treat them as read-only all the same.


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
    # facts other rule families add, flat: name, value, name, value... (no pair tuple per fact: 65k
    # pages x 3 facts x 56 bytes)
    extra: tuple[Any, ...] = ()
    options: RuleOptions = field(default_factory=RuleOptions)
    suppressions: tuple[Suppression, ...] = ()
    # False when a page rule looked at files outside the page's folder (`sub/a.jpg`, `../a.jpg`):
    # those files are not part of the results cache's key, so this page is never cached
    local: bool = True

    def fact(self, name: str, default: Any = None) -> Any:
        """A fact a registered collector extracted from this page (see rules.collects_facts)."""
        extra = self.extra
        for index in range(0, len(extra), 2):
            if extra[index] == name:
                return extra[index + 1]
        return default


_SUMMARY_FIELDS = tuple(PageSummary.__dataclass_fields__)
# what travels from a worker for each page: the rest is the Target's (display, page_file, site)
# or the run's (options); dates travel as rows (see date_row)
_ROW_FIELDS = tuple(name for name in _SUMMARY_FIELDS if name not in ("display", "page_file", "site", "options"))
_DATES = _ROW_FIELDS.index("dates")
_MEDIA = _ROW_FIELDS.index("media")


def summary_row(summary: PageSummary, with_media: bool = True) -> tuple[Any, ...]:
    """The summary as plain tuples, for `Shared.summary` to rebuild in the main process.

    Without `with_media` the folder listing stays behind (None): a big folder is listed once in the
    main process instead of travelling with each of its pages.
    """
    row = [getattr(summary, name) for name in _ROW_FIELDS]
    row[_DATES] = tuple(date_row(fact) for fact in summary.dates)
    if not with_media:
        row[_MEDIA] = None
    return tuple(row)


def date_row(fact: DateFact) -> tuple[Any, ...]:
    """A DateFact as a flat tuple (its shape pickles as a flat tuple of its own: DateShape.__reduce__)."""
    return (fact.key, fact.text, fact.line, fact.column, fact.end_line, fact.end_column, fact.quoted,
            fact.wall, fact.shape)


class Shared:
    """Rebuilds the summaries of one run from their rows, keeping one object per distinct value.

    Unpickled one page at a time, 65k summaries held 65k copies of the same few header key lists,
    date shapes, taxonomies, file names and messages: 5 KB a page, most of the main process's
    memory on a big site (2.1 KB with this, on the 10k-post benchmark site). Only values that
    repeat go through the memo: a unique value (a page's date as written, a missing file's hint) would only
    add an entry. One instance per run: the memo goes when the pages are all in.
    """

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}
        self._folder = ""
        self._listing: tuple[str, ...] = ()
        self._names: dict[str, str] = {}

    def one(self, value: Any) -> Any:
        """The first value seen that equals `value` (hashable), or `value` itself."""
        return self._values.setdefault(value, value)

    def summary(self, row: tuple[Any, ...], target: Target, options: RuleOptions,
                listing: Callable[[str], tuple[str, ...]]) -> PageSummary:
        """The PageSummary of `summary_row`; `listing` lists a folder whose listing stayed behind."""
        (folder, name, template, language, has_header, dateformat, dates, published, published_line, keys, media,
         extra, suppressions, local) = row
        one = self.one
        folder = self._same_folder(folder)
        media = self._same_listing(listing(folder) if media is None else one(media))
        return PageSummary(
            target.display, folder, one(name), one(template), language if language is None else one(language),
            target.page_file, target.site, has_header, dateformat if dateformat is None else one(dateformat),
            tuple([self._date(date) for date in dates]), one(published), published_line, one(keys), media,
            self._facts(extra), options, suppressions, local)

    def _same_folder(self, folder: str) -> str:
        """The translations of a folder come one after another: they share its path."""
        if folder == self._folder:
            return self._folder
        self._folder = folder
        return folder

    def _same_listing(self, media: tuple[str, ...]) -> tuple[str, ...]:
        """Remember the names of the current folder's files, for the facts that name them."""
        if media is not self._listing:
            self._listing = media
            self._names = {file: file for file in media}
        return media

    def _date(self, row: tuple[Any, ...]) -> DateFact:
        key, text, line, column, end_line, end_column, quoted, wall, shape = row
        return DateFact(self.one(key), text, line, column, end_line, end_column, quoted,
                        wall if wall is None else self.one(wall), None if shape is None else self.one(shape))

    def _facts(self, extra: tuple[Any, ...]) -> tuple[Any, ...]:
        facts: list[Any] = []
        for index in range(0, len(extra), 2):
            facts += (self.one(extra[index]), self._fact_value(extra[index + 1]))
        return tuple(facts)

    def _fact_value(self, value: Any) -> Any:
        """A tuple fact (a taxonomy, file names) with every tuple in it stored once, and the names
        of the folder's files as the listing's own strings; other values as they are. Strings in
        general stay out of the memo: most (a missing file's hint) are unique and would only add an
        entry each."""
        if type(value) is not tuple:
            return value
        try:
            return self._deep(value)
        except TypeError:  # a list or dict inside: not hashable, kept as it came
            return value

    def _deep(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return self._names.get(value, value)
        if kind is not tuple:
            return value
        known = self._values.get(value)  # a taxonomy seen before: no walk through its parts
        if known is not None:
            return known
        value = tuple([self._deep(item) for item in value])
        return self._values.setdefault(value, value)


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
