"""Lossy steps that used to be silent are GRV9xx notes: seconds (and fractions) a written date cannot
hold (GRV923), Jekyll excerpts no `===` carries (GRV924, once per run), Obsidian `aliases` and a
second date property (kept, GRV905), and repeated kept-verbatim Liquid tags and shortcodes (counted
in their GRV907 note)."""

from __future__ import annotations

from pathlib import Path

import pytest
from convert_golden import run

from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.problems import Severity
from grav_tools.site import load_site

JEKYLL_CONFIG = "timezone: UTC\n"
HUGO_CONFIG = 'baseURL = "https://example.org/"\ntimeZone = "UTC"\n'
LONG = "A first paragraph.\n\n" + "Words and more words. " * 20 + "\n"


def notes(outcome, code: str) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return [(p.path, p.line, p.message) for p in outcome.result.problems if p.code == code]


def page(root: Path, folder: str) -> str:
    return (root / folder / "item.md").read_text(encoding="utf-8")


def test_seconds_the_written_date_cannot_hold_are_reported_at_their_line(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2023-01-09-a.md": "---\ntitle: A\ndate: 2023-01-09 10:15:30\n---\nx\n",
        "src/_posts/2023-01-10-b.md": "---\ntitle: B\ndate: 2023-01-10 10:15:00\n---\nx\n",  # :00: nothing lost
        "src/_posts/2023-01-11-c.md": "---\ntitle: C\n\ndate: 2023-01-11T10:15:00.250Z\n---\nx\n",
    })
    outcome = run(root / "src", root / "dest")
    assert "date: '09-01-2023 10:15'" in page(root / "dest/01.blog", "2023-01-09-a")
    found = notes(outcome, "GRV923")
    assert [(path, line) for path, line, _ in found] == [("SRC/_posts/2023-01-09-a.md", 3),
                                                         ("SRC/_posts/2023-01-11-c.md", 4)]
    assert "written as '09-01-2023 10:15', without its seconds (:30)" in found[0][2]
    assert "'d-m-Y H:i:s'" in found[0][2], "the message says how to keep them"
    assert "without its fraction of a second (.250)" in found[1][2] and "no Grav date format" in found[1][2]
    assert all(p.severity == Severity.INFO for p in outcome.result.problems if p.code == "GRV923")


def test_a_grav_site_whose_date_format_has_seconds_gets_them_and_no_note(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2023-01-09-a.md": "---\ntitle: A\ndate: 2023-01-09 10:15:30\n---\nx\n",
        "grav/user/config/system.yaml": "timezone: UTC\npages:\n    dateformat:\n        default: 'd-m-Y H:i:s'\n",
        "grav/user/pages/.keep": "",
    })
    outcome = run(root / "src", root / "grav")
    text = page(root / "grav/user/pages/01.blog", "2023-01-09-a")
    assert "date: '09-01-2023 10:15:30'" in text
    assert notes(outcome, "GRV923") == []
    assert normalise_text(text, load_site(root / "grav"), NormaliseOptions()).text == text
    assert not [p for p in lint(discover([str(root / "grav")])).problems if p.severity == Severity.ERROR]


def test_hugo_publish_window_seconds_are_noted_only_for_dates_that_are_written(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/config.toml": HUGO_CONFIG,
        # publishDate equal to date is not written: one note (for date), not two
        "src/content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02T03:04:05Z\npublishDate: 2024-01-02T03:04:05Z\n"
                                  "expiryDate: 2030-01-01T00:00:09Z\n---\nx\n",
        "src/content/posts/b.md": "+++\ntitle = 'B'\ndate = 2024-01-03T00:00:00Z\npublishDate = 2024-01-04T08:00:07Z\n+++\nx\n",
    })
    outcome = run(root / "src", root / "dest")
    found = {(path.rsplit("/", 1)[-1], message.split(":", 1)[0]) for path, _, message in notes(outcome, "GRV923")}
    assert found == {("a.md", "date"), ("a.md", "expiryDate"), ("b.md", "publishDate")}
    assert "unpublish_date: '01-01-2030 00:00'" in page(root / "dest/01.blog", "2024-01-02-a")


def _jekyll(make_site, config: str, posts: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    return make_site({"src/_config.yml": config, **{f"src/_posts/{name}": text for name, text in posts.items()}})


def test_jekyll_default_excerpts_are_reported_once_per_run_and_not_invented(make_site) -> None:  # type: ignore[no-untyped-def]
    root = _jekyll(make_site, JEKYLL_CONFIG + "title: Blog\n", {
        "2020-01-01-a.md": "---\ntitle: A\n---\nFirst paragraph.\n\nSecond paragraph.\n",
        "2020-01-02-b.md": "---\ntitle: B\n---\nOne.\n\nTwo.\n",
        "2020-01-03-one-paragraph.md": "---\ntitle: C\n---\nOnly one paragraph,\non two lines.\n",
        "2020-01-04-own-excerpt.md": "---\ntitle: D\nexcerpt: Written by hand.\n---\nOne.\n\nTwo.\n",
        "2020-01-05-more.md": "---\ntitle: E\n---\nOne.\n\n<!--more-->\n\nTwo.\n",
    })
    outcome = run(root / "src", root / "dest")
    found = notes(outcome, "GRV924")
    assert len(found) == 1, "one note for the run, not one per post"
    path, line, message = found[0]
    assert (path, line) == ("SRC/_config.yml", 1)
    assert message.startswith("2 posts have no excerpt separator")
    assert "_posts/2020-01-01-a.md, _posts/2020-01-02-b.md" in message and "first summary.size characters" in message
    assert "===" not in page(root / "dest/01.blog", "2020-01-01-a"), "no separator the author never wrote"
    assert "\n===\n" in page(root / "dest/01.blog", "2020-01-05-more")


@pytest.mark.parametrize("config", ['excerpt_separator: ""\n',
                                    "defaults:\n  - scope: {path: ''}\n    values: {excerpt_separator: ''}\n"])
def test_an_empty_excerpt_separator_turns_excerpts_off_so_nothing_is_lost(make_site, config: str) -> None:  # type: ignore[no-untyped-def]
    root = _jekyll(make_site, JEKYLL_CONFIG + config, {"2020-01-01-a.md": "---\ntitle: A\n---\nOne.\n\nTwo.\n"})
    assert notes(run(root / "src", root / "dest"), "GRV924") == []


def test_excerpt_note_names_many_posts_briefly_and_mentions_show_excerpts(make_site) -> None:  # type: ignore[no-untyped-def]
    posts = {f"2020-01-{day:02d}-p.md": "---\ntitle: P\n---\nOne.\n\nTwo.\n" for day in range(1, 6)}
    root = _jekyll(make_site, JEKYLL_CONFIG + "show_excerpts: false\n", posts)
    [(_, _, message)] = notes(run(root / "src", root / "dest"), "GRV924")
    assert message.startswith("5 posts have") and message.endswith("_posts/2020-01-03-p.md and 2 more")
    assert "show_excerpts: false" in message


def test_a_custom_separator_missing_from_a_long_post_makes_the_whole_post_its_excerpt(make_site) -> None:  # type: ignore[no-untyped-def]
    root = _jekyll(make_site, JEKYLL_CONFIG + 'excerpt_separator: "<!--cut-->"\n', {
        "2020-01-01-long.md": "---\ntitle: A\n---\n" + LONG,
        "2020-01-02-short.md": "---\ntitle: B\n---\nOne.\n\nTwo.\n",  # under 300 characters: Grav shows it all too
        "2020-01-03-cut.md": "---\ntitle: C\n---\nOne.\n<!--cut-->\nTwo.\n",
    })
    [(path, line, message)] = notes(run(root / "src", root / "dest"), "GRV924")
    assert (path, line) == ("SRC/_config.yml", 2)
    assert message.startswith("1 post has their excerpt_separator nowhere in the text")
    assert "Jekyll's excerpt of each is the whole post" in message
    assert "2020-01-01-long.md" in message and "short" not in message and "cut.md" not in message


def test_obsidian_aliases_and_a_second_date_property_are_kept_and_reported(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"vault/Note.md": "---\ndate: 2023-09-12\ncreated: 2023-09-01\naliases:\n  - BOTW\n---\nText\n"})
    outcome = run(root / "vault", root / "dest")
    text = page(root / "dest/01.blog", "2023-09-12-note")
    assert "created: '2023-09-01'" in text and "aliases:\n    - BOTW" in text
    [(_, _, message)] = notes(outcome, "GRV905")
    assert message.endswith("created, aliases")


def test_repeated_liquid_tags_and_shortcodes_are_counted_in_their_one_note(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": JEKYLL_CONFIG,
        "src/_posts/2020-01-01-a.md": "---\ntitle: A\n---\n{% include a.html %}\n\n{% include b.html %}\n\n"
                                      "{% include c.html %}\n\n{{ page.x }}\n",
        "hugo/config.toml": HUGO_CONFIG,
        "hugo/content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\n{{< note >}}a{{< /note >}}\n\n"
                                   "{{< note >}}b{{< /note >}}\n\n{{< tweet 1 >}}\n",
    })
    jekyll = notes(run(root / "src", root / "out1"), "GRV907")
    assert [line for _, line, _ in jekyll] == [4, 10]
    assert "(3 Liquid tags of this name in this post; the first is here)" in jekyll[0][2]
    assert "in this post" not in jekyll[1][2]
    hugo = notes(run(root / "hugo", root / "out2"), "GRV907")
    assert "(2 shortcodes of this name in this post; the first is here)" in hugo[0][2], "closing tags are not uses"
    assert "in this post" not in hugo[1][2]


def test_an_excerpt_separator_before_any_text_is_dropped_with_a_note(make_site) -> None:  # type: ignore[no-untyped-def]
    """An empty excerpt has no Grav equivalent: the separator goes and the note says the page gets
    Grav's automatic summary; a separator after text is kept and not noted."""
    root = make_site({
        "jekyll/_config.yml": JEKYLL_CONFIG,
        "jekyll/_posts/2020-01-01-a.md": "---\ntitle: A\n---\n\n<!--more-->\nAll of it.\n\nMore.\n",
        "jekyll/_posts/2020-01-02-b.md": "---\ntitle: B\n---\nOne.\n\n<!--more-->\n\nTwo.\n",
        "hugo/config.toml": HUGO_CONFIG,
        "hugo/content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\n<!--more-->\nAll of it.\n",
    })
    jekyll = run(root / "jekyll", root / "dest-jekyll")
    assert [(path, line) for path, line, _ in notes(jekyll, "GRV917")] == [("SRC/_posts/2020-01-01-a.md", 5)]
    assert "before any text (an empty excerpt) dropped" in notes(jekyll, "GRV917")[0][2]
    assert "===" not in page(root / "dest-jekyll/01.blog", "2020-01-01-a")
    assert "\n===\n" in page(root / "dest-jekyll/01.blog", "2020-01-02-b")
    hugo = run(root / "hugo", root / "dest-hugo")
    assert [(path, line) for path, line, _ in notes(hugo, "GRV917")] == [("SRC/content/posts/a.md", 5)]
