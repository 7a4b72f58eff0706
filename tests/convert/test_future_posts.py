"""Future-dated posts (GRV925): Jekyll (without `future: true`) and Hugo (without `buildFuture: true`)
did not build a post dated after the build, but Grav shows a page with a future `date` at once; only
`publish_date` hides it until then. Convert carries the wait as `publish_date` equal to that date
and reports it. "Now" is the `now` run option, so these tests are deterministic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from convert_golden import run

from grav_tools.convert.apply import SAME
from grav_tools.convert.run import ConvertOptions
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.problems import Severity
from grav_tools.site import SiteConfig

NOW = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)
JEKYLL_CONFIG = "timezone: UTC\n"
HUGO_CONFIG = 'baseURL = "https://example.org/"\ntimeZone = "UTC"\n'


def notes(outcome, code: str = "GRV925") -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return [(p.path, p.line, p.message) for p in outcome.result.problems if p.code == code]


def page(root: Path, folder: str) -> str:
    return (root / folder / "item.md").read_text(encoding="utf-8")


def assert_valid_and_canonical(dest: Path, held: list[str]) -> None:
    """What `validate` and `normalise --check` say of the output: no error, nothing to change; and
    for the posts that got a publish_date (folders `held`), no date disagreement, no dead window."""
    problems = lint(discover([str(dest)])).problems
    assert [p for p in problems if p.severity == Severity.ERROR] == []
    about_held = [p for p in problems if p.code in ("GRV306", "GRV308") and any(f"/{f}/" in p.path for f in held)]
    assert about_held == []
    for path in dest.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert normalise_text(text, SiteConfig(), NormaliseOptions()).text == text, path


def test_jekyll_future_post_waits_for_its_date_and_past_posts_are_unchanged(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2030-06-20-soon.md": "---\ntitle: Soon\n\ndate: 2030-06-20 09:30\n---\nx\n",
        "src/_posts/2031-01-01-named.md": "---\ntitle: Named\n---\nx\n",  # the file name's date
        "src/_posts/2030-06-15-today.md": "---\ntitle: Today\ndate: 2030-06-15 11:59\n---\nx\n",  # a minute ago
        "src/_posts/2020-01-01-old.md": "---\ntitle: Old\ndate: 2020-01-01 10:00\n---\nx\n",
        "src/_posts/2030-07-01-forced.md": "---\ntitle: Forced\npublished: true\ndate: 2030-07-01 08:00\n---\nx\n",
    })
    outcome = run(root / "src", root / "dest", now=NOW)
    blog = root / "dest/01.blog"
    soon = page(blog, "2030-06-20-soon")
    assert "date: '20-06-2030 09:30'\npublish_date: '20-06-2030 09:30'\n" in soon
    assert "publish_date: '01-01-2031 00:00'" in page(blog, "2031-01-01-named")
    forced = page(blog, "2030-07-01-forced")
    assert "publish_date: '01-07-2030 08:00'" in forced
    assert "published:" not in forced, "a `published:` key would make Grav ignore publish_date"
    for folder in ("2030-06-15-today", "2020-01-01-old"):
        assert "publish_date" not in page(blog, folder), folder
    found = notes(outcome)
    assert [(path, line) for path, line, _ in found] == [("SRC/_posts/2030-06-20-soon.md", 4),
                                                         ("SRC/_posts/2030-07-01-forced.md", 4),
                                                         ("SRC/_posts/2031-01-01-named.md", 1)]
    message = found[0][2]
    assert message.startswith("date '2030-06-20 09:30' is in the future: Jekyll does not build")
    assert "`future: true`" in message and "publish_date: '20-06-2030 09:30'" in message
    assert "hidden until then, as it was before" in message
    assert found[2][2].startswith("the date 2031-01-01 in the file name is in the future")
    assert all(p.severity == Severity.INFO for p in outcome.result.problems if p.code == "GRV925")
    assert_valid_and_canonical(root / "dest", ["2030-06-20-soon", "2031-01-01-named", "2030-07-01-forced"])
    again = run(root / "src", root / "dest", now=NOW)
    assert again.applied.count(SAME) == len(again.applied.status), "the same moment: nothing to rewrite"


@pytest.mark.parametrize("future", ["true", "yes", "'false'"])  # Ruby truthiness: a string is true
def test_jekyll_future_true_builds_future_posts_so_nothing_is_added(make_site, future: str) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG + f"future: {future}\n",
        "src/_posts/2030-06-20-soon.md": "---\ntitle: Soon\ndate: 2030-06-20 09:30\n---\nx\n",
    })
    outcome = run(root / "src", root / "dest", now=NOW)
    assert "publish_date" not in page(root / "dest/01.blog", "2030-06-20-soon")
    assert notes(outcome) == []


def test_jekyll_unpublished_and_drafts_are_left_to_published_false(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2030-06-20-hidden.md": "---\ntitle: Hidden\npublished: false\ndate: 2030-06-20 09:30\n---\nx\n",
        "src/_drafts/later.md": "---\ntitle: Later\ndate: 2031-01-01 10:00\n---\nx\n",
    })
    outcome = run(root / "src", root / "dest", now=NOW, drafts=True)
    for folder in ("2030-06-20-hidden", "2031-01-01-later"):
        text = page(root / "dest/01.blog", folder)
        assert "published: false" in text and "publish_date" not in text
    assert notes(outcome) == []


def test_now_is_judged_in_the_site_timezone(make_site) -> None:  # type: ignore[no-untyped-def]
    # 10:00 in Almaty (UTC+5 since 2024-03-01) is 05:00 UTC
    root = make_site({
        "src/_config.yml": "timezone: Asia/Almaty\n",
        "src/_posts/2030-01-01-a.md": "---\ntitle: A\ndate: 2030-01-01 10:00\n---\nx\n",
    })
    before = run(root / "src", root / "d1", now=datetime(2030, 1, 1, 4, 59, tzinfo=UTC))
    assert "publish_date: '01-01-2030 10:00'" in page(root / "d1/01.blog", "2030-01-01-a") and notes(before)
    after = run(root / "src", root / "d2", now=datetime(2030, 1, 1, 10, 1, tzinfo=timezone(timedelta(hours=5))))
    assert "publish_date" not in page(root / "d2/01.blog", "2030-01-01-a") and notes(after) == []
    naive_utc = run(root / "src", root / "d3", now=datetime(2030, 1, 1, 5, 1))  # naive: UTC
    assert notes(naive_utc) == []


def test_the_real_time_is_the_default(make_site) -> None:  # type: ignore[no-untyped-def]
    assert ConvertOptions().now is None
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2999-01-01-far.md": "---\ntitle: Far\n---\nx\n",
        "src/_posts/2001-01-01-past.md": "---\ntitle: Past\n---\nx\n",
    })
    outcome = run(root / "src", root / "dest")
    assert [path for path, _, _ in notes(outcome)] == ["SRC/_posts/2999-01-01-far.md"]
    assert "publish_date" not in page(root / "dest/01.blog", "2001-01-01-past")


def test_hugo_future_date_waits_and_a_source_publish_date_is_kept(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/config.toml": HUGO_CONFIG,
        "src/content/posts/soon.md": "---\ntitle: Soon\ndate: 2030-06-20T09:30:00Z\n---\nx\n",
        # publishDate equal to date: not written before; now it is the wait
        "src/content/posts/same.md": "+++\ntitle = 'Same'\ndate = 2030-07-01T08:00:00Z\n"
                                     "publishDate = 2030-07-01T08:00:00Z\n+++\nx\n",
        # a publishDate of its own: written as it always was, no note
        "src/content/posts/own.md": "---\ntitle: Own\ndate: 2030-06-20T00:00:00Z\npublishDate: 2030-08-01T10:00:00Z\n"
                                    "---\nx\n",
        # a future date but a past publishDate: Hugo built it; unchanged
        "src/content/posts/early.md": "---\ntitle: Early\ndate: 2030-09-01T00:00:00Z\n"
                                      "publishDate: 2030-01-01T10:00:00Z\n---\nx\n",
        "src/content/posts/old.md": "---\ntitle: Old\ndate: 2020-01-01T10:00:00Z\n---\nx\n",
        "src/content/posts/draft.md": "---\ntitle: Draft\ndraft: true\ndate: 2030-06-20T09:30:00Z\n---\nx\n",
    })
    outcome = run(root / "src", root / "dest", now=NOW)
    blog = root / "dest/01.blog"
    assert "date: '20-06-2030 09:30'\npublish_date: '20-06-2030 09:30'\n" in page(blog, "2030-06-20-soon")
    assert "date: '01-07-2030 08:00'\npublish_date: '01-07-2030 08:00'\n" in page(blog, "2030-07-01-same")
    assert "date: '20-06-2030 00:00'\npublish_date: '01-08-2030 10:00'\n" in page(blog, "2030-06-20-own")
    assert "publish_date: '01-01-2030 10:00'" in page(blog, "2030-09-01-early")
    assert "publish_date" not in page(blog, "2020-01-01-old")
    draft = page(blog, "2030-06-20-draft")
    assert "published: false" in draft and "publish_date" not in draft
    found = notes(outcome)
    assert [(path, line) for path, line, _ in found] == [("SRC/content/posts/same.md", 4),
                                                         ("SRC/content/posts/soon.md", 3)]
    assert found[0][2].startswith("publishDate '2030-07-01 08:00:00+00:00' is in the future: Hugo does not build")
    assert found[1][2].startswith("date '2030-06-20T09:30:00Z' is in the future")
    assert "`buildFuture: true`" in found[1][2]
    assert_valid_and_canonical(root / "dest", ["2030-06-20-soon", "2030-07-01-same"])


@pytest.mark.parametrize("files", [
    {"src/config.toml": HUGO_CONFIG + "buildFuture = true\n"},
    {"src/hugo.yaml": "baseURL: https://example.org/\nbuildfuture: true\n"},
    {"src/config/_default/hugo.json": '{"baseURL": "https://example.org/", "buildFuture": "true"}'},
])
def test_hugo_build_future_builds_future_pages_so_nothing_is_added(make_site, files: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    root = make_site({**files, "src/content/posts/soon.md": "---\ntitle: Soon\ndate: 2030-06-20T09:30:00Z\n---\nx\n"})
    outcome = run(root / "src", root / "dest", now=NOW)
    assert outcome.kind == "hugo"
    assert "publish_date" not in page(root / "dest/01.blog", "2030-06-20-soon")
    assert notes(outcome) == []


def test_a_grav_date_format_at_dest_is_used_for_publish_date_too(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2030-06-20-soon.md": "---\ntitle: Soon\ndate: 2030-06-20 09:30:15\n---\nx\n",
        "grav/user/config/system.yaml": "timezone: UTC\npages:\n    dateformat:\n        default: 'd-m-Y H:i:s'\n",
        "grav/user/pages/.keep": "",
    })
    outcome = run(root / "src", root / "grav", now=NOW)
    text = page(root / "grav/user/pages/01.blog", "2030-06-20-soon")
    assert "date: '20-06-2030 09:30:15'\npublish_date: '20-06-2030 09:30:15'\n" in text
    assert "publish_date: '20-06-2030 09:30:15'" in notes(outcome)[0][2]
