"""Page summaries travel from the workers as rows and come back equal, sharing repeated values."""

from __future__ import annotations

import pickle
from pathlib import Path

from grav_tools.config import RuleOptions
from grav_tools.context import DateFact, PageSummary, Shared, summary_row
from grav_tools.dates import shape_of
from grav_tools.discover import Target
from grav_tools.site import SiteConfig
from grav_tools.suppress import Suppression

SITE = SiteConfig(root=Path("/site"), languages=("en", "ru"))
OPTIONS = RuleOptions(known_keys=frozenset({"author"}))


def _summary(folder: str, name: str = "item.md", tags: tuple[str, ...] = ("a", "b")) -> PageSummary:
    text = "09-01-2023 10:00"
    date = DateFact("date", text, 3, 7, 3, 23, True, (2023, 1, 9, 10, 0, 0), shape_of(text))
    return PageSummary(
        display=f"{folder}/{name}", folder=folder, name=name, template="item", language="en",
        page_file=True, site=SITE, has_header=True, dateformat="d-m-Y H:i", dates=(date,),
        published="True", published_line=2, keys=(("title", 1, 1), ("date", 3, 1)),
        media=("item.en.md", "item.md", "item.ru.md", "photo.jpg"),
        extra=("custom.text", f"{folder}-text", "structure.taxonomy", ((("tag", tags),), 4, 1),
               "media.used.here", ("photo.jpg",), "media.all", True),
        options=OPTIONS, suppressions=(Suppression(("GRV2",), 5, 5, 4, 1),), local=True)


def _trip(summary: PageSummary, shared: Shared, with_media: bool = True) -> PageSummary:
    """As lint sends it: a pickled row, rebuilt against the page's Target in the main process."""
    row = pickle.loads(pickle.dumps(summary_row(summary, with_media)))
    target = Target(f"{summary.display}", summary.display, summary.site, summary.page_file)
    return shared.summary(row, target, summary.options, lambda folder: ("listed", folder))


def test_a_summary_comes_back_equal() -> None:
    original = _summary("blog/01.post")
    assert _trip(original, Shared()) == original


def test_equal_values_of_different_pages_become_one_object() -> None:
    shared = Shared()
    first = _trip(_summary("blog/01.post"), shared)
    second = _trip(_summary("blog/02.post"), shared)
    assert first.keys is second.keys
    assert first.dates[0].shape is second.dates[0].shape
    assert first.fact("structure.taxonomy")[0] is second.fact("structure.taxonomy")[0]
    assert first.name is second.name and first.published is second.published


def test_translations_share_their_folder_and_its_file_names() -> None:
    shared = Shared()
    english = _trip(_summary("blog/01.post", "item.en.md"), shared)
    russian = _trip(_summary("blog/01.post", "item.ru.md"), shared)
    assert english.folder is russian.folder and english.media is russian.media
    assert russian.fact("media.used.here")[0] is english.media[3]  # the listing's own string


def test_a_listing_left_behind_is_listed_in_the_main_process() -> None:
    back = _trip(_summary("blog/01.post"), Shared(), with_media=False)
    assert back.media == ("listed", "blog/01.post")


def test_an_unhashable_fact_is_kept_as_it_came() -> None:
    summary = _summary("blog/01.post")
    summary.extra = ("custom", ("x", ["a", "list"]))
    assert _trip(summary, Shared()).fact("custom") == ("x", ["a", "list"])


def test_facts_are_found_by_name_and_never_by_value() -> None:
    summary = _summary("blog/01.post")
    summary.extra = ("a", "b", "b", "c")  # a value that is also a fact's name
    assert summary.fact("b") == "c" and summary.fact("a") == "b" and summary.fact("c", 0) == 0
