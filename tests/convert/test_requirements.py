"""Issue 5 requirements the golden trees do not pin down, one small source each: Hugo `lastmod`,
`relref`, bundle translations and runs of figures; `slug` only when it differs from the folder;
folder and alias collisions; the Grav site's date format and timezone at DEST; Jekyll's own
`permalink:`; the github report format; the dry-run counts; a source that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from convert_golden import EXPECTED, SOURCES, run

from grav_tools.cli import main
from grav_tools.convert import jekyll
from grav_tools.convert.grav import DATE_FORMAT, WriteOptions
from grav_tools.convert.run import ConvertError
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.site import load_site

HUGO_CONFIG = 'baseURL = "https://example.org/"\ntimeZone = "UTC"\n[languages]\n[languages.en]\n[languages.ru]\n'


def header_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0]


def notes(outcome, code: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.message for p in outcome.result.problems if p.code == code]


def test_hugo_lastmod_is_the_date_only_when_there_is_no_other(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/config.toml": HUGO_CONFIG,
        "src/content/posts/a.md": "---\ntitle: A\nlastmod: 2024-05-06T07:08:00Z\n---\nx\n",
        "src/content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02T03:04:00Z\nlastmod: 2024-05-06\n---\nx\n",
    })
    run(root / "src", root / "dest")
    a = header_of(root / "dest/01.blog/2024-05-06-a/item.md")
    b = header_of(root / "dest/01.blog/2024-01-02-b/item.md")
    assert "date: '06-05-2024 07:08'" in a
    assert "date: '02-01-2024 03:04'" in b and "lastmod: '2024-05-06'" in b  # kept as the source's own key


def test_hugo_ref_and_relref_point_at_the_converted_page(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/config.toml": HUGO_CONFIG,
        "src/content/posts/one.md": "---\ntitle: One\ndate: 2024-01-01\n---\n"
                                    '[a]({{< relref "two.md#part" >}}) [b]({{< ref "/posts/two" >}}) '
                                    '[c]({{< relref "nowhere" >}})\n',
        "src/content/posts/two.md": "---\ntitle: Two\ndate: 2024-01-02\n---\ny\n",
    })
    outcome = run(root / "src", root / "dest")
    body = (root / "dest/01.blog/2024-01-01-one/item.md").read_text(encoding="utf-8")
    assert "[a](../2024-01-02-two#part) [b](../2024-01-02-two) " in body
    assert '[c]({{< relref "nowhere" >}})' in body and any("nowhere" in m for m in notes(outcome, "GRV911"))


def test_hugo_bundle_translations_share_one_folder_and_its_resources(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/config.toml": HUGO_CONFIG,
        "src/content/posts/trip/index.md": "---\ntitle: Trip\ndate: 2024-03-01\n---\n![p](photo.jpg)\n",
        "src/content/posts/trip/index.ru.md": "---\ntitle: Поездка\ndate: 2024-03-01\n---\n![p](photo.jpg)\n",
        "src/content/posts/trip/photo.jpg": b"JPEG",
    })
    outcome = run(root / "src", root / "dest")
    folder = root / "dest/01.blog/2024-03-01-trip"
    assert sorted(p.name for p in folder.iterdir()) == ["item.md", "item.ru.md", "photo.jpg"]
    assert "![p](photo.jpg)" in (folder / "item.ru.md").read_text(encoding="utf-8")
    assert "/ru/posts/trip" in header_of(folder / "item.ru.md")
    assert outcome.plan.assets == 1


def test_consecutive_hugo_figures_become_one_carousel_with_the_given_options(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/config.toml": HUGO_CONFIG,
        "src/content/posts/pics/index.md": '---\ntitle: Pics\ndate: 2024-03-01\n---\n{{< figure src="a.png" >}}\n'
                                           '{{< figure src="b.png" alt="B" >}}\n\nText.\n',
        "src/content/posts/pics/a.png": b"A", "src/content/posts/pics/b.png": b"B",
    })
    outcome = run(root / "src", root / "dest", write=WriteOptions(carousel="items=2 nav=true"))
    body = (root / "dest/01.blog/2024-03-01-pics/item.md").read_text(encoding="utf-8")
    assert "[owl-carousel items=2 nav=true]\n![](a.png)\n![B](b.png)\n[/owl-carousel]\n\nText.\n" in body
    assert outcome.plan.carousels == 1


@pytest.mark.parametrize("pattern, written", [("{slug}", False), ("{date:%Y-%m-%d}-{slug}", True)])
def test_slug_is_written_only_when_it_differs_from_the_folder(make_site, pattern: str, written: bool) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"src/config.toml": HUGO_CONFIG,
                      "src/content/posts/x.md": "---\ntitle: X\ndate: 2024-01-01\nslug: my-post\n---\nx\n"})
    run(root / "src", root / "dest", write=WriteOptions(folder=pattern))
    item = next((root / "dest/01.blog").glob("*/item.md"))
    assert ("slug: my-post" in header_of(item)) is written


def test_numeric_prefix_pattern_numbers_posts_by_date(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"src/_posts/2020-05-01-late.md": "---\ntitle: L\n---\n",
                      "src/_posts/2019-01-01-early.md": "---\ntitle: E\n---\n"})
    run(root / "src", root / "dest", write=WriteOptions(folder="{n:02d}.{slug}"))
    assert sorted(p.name for p in (root / "dest/01.blog").iterdir()) == ["01.early", "02.late"]


def test_folder_clash_is_resolved_the_same_way_every_time_and_reported(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"src/_posts/2020-01-01-hello.md": "---\ntitle: One\n---\n",
                      "src/_posts/2020-01-01-hello.markdown": "---\ntitle: Two\n---\n"})
    first = run(root / "src", root / "a")
    second = run(root / "src", root / "b")
    titles = {p.parent.name: header_of(p) for p in (root / "a/01.blog").glob("*/item.md")}
    assert sorted(titles) == ["2020-01-01-hello", "2020-01-01-hello-2"]
    # source-path order decides: `_posts/2020-01-01-hello.markdown` sorts before `.md`
    assert "title: Two" in titles["2020-01-01-hello"] and "title: One" in titles["2020-01-01-hello-2"]
    assert sorted(p.name for p in (root / "b/01.blog").iterdir()) == sorted(titles)
    assert notes(first, "GRV915") == notes(second, "GRV915")
    assert len(notes(first, "GRV915")) == 1 and "2020-01-01-hello-2" in notes(first, "GRV915")[0]
    # both had the old URL /2020/01/01/hello: only the first keeps it, the other is told
    assert ["- /2020/01/01/hello" in titles[name] for name in sorted(titles)] == [True, False]
    assert len(notes(first, "GRV922")) == 1


def test_jekyll_post_permalink_and_redirect_from_become_aliases(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"src/_config.yml": "permalink: pretty\n",
                      "src/_posts/2020-01-01-a.md": "---\ntitle: A\npermalink: /about/a-post/\n"
                                                    "redirect_from: [/old-a.html]\n---\n",
                      "src/_posts/2020-01-02-b.md": "---\ntitle: B\ncategories: News\n---\n"})
    run(root / "src", root / "dest")
    assert "    aliases:\n        - /about/a-post\n        - /old-a" in header_of(
        root / "dest/01.blog/2020-01-01-a/item.md")
    assert "        - /news/2020/01/02/b" in header_of(root / "dest/01.blog/2020-01-02-b/item.md")


def test_old_urls_never_shadow_another_page(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "src/_config.yml": "permalink: /:title/\n",
        "src/_posts/2020-01-01-a.md": "---\ntitle: A\nredirect_from: [/shared, /about]\n---\n",
        "src/_posts/2020-01-02-b.md": "---\ntitle: B\nredirect_from: [/shared, /blog/2020-01-01-a]\n---\n",
        "grav/user/pages/02.about/default.md": "---\ntitle: About\n---\n",
        "grav/user/config/system.yaml": "timezone: UTC\n",
    })
    outcome = run(root / "src", root / "grav")
    a = header_of(root / "grav/user/pages/01.blog/2020-01-01-a/item.md")
    b = header_of(root / "grav/user/pages/01.blog/2020-01-02-b/item.md")
    assert "- /shared" in a and "- /a" in a and "/about" not in a, "an existing page keeps its route"
    assert "/shared" not in b and "/blog/2020-01-01-a" not in b and "- /b" in b
    messages = notes(outcome, "GRV922")
    assert len(messages) == 3
    assert any("/about" in m and "02.about" in m for m in messages)
    assert any("/shared" in m and "2020-01-01-a.md" in m for m in messages)
    assert any("/blog/2020-01-01-a" in m for m in messages)
    again = run(root / "src", root / "grav")  # its own earlier output is not "another page"
    assert notes(again, "GRV922") == messages and again.applied.count("unchanged") == 2


def test_aliases_that_differ_in_case_only_are_different_urls(make_site) -> None:  # type: ignore[no-untyped-def]
    """Grav looks routes up as written, so a capitalised old URL needs its own alias, even when it
    is the page's route in another case, and two posts may keep `/Old` and `/old`."""
    root = make_site({
        "src/_config.yml": "permalink: /:title/\n",
        "src/_posts/2020-01-01-a.md": "---\ntitle: A\nredirect_from: [/Blog/2020-01-01-A, /Old]\n---\n",
        "src/_posts/2020-01-02-b.md": "---\ntitle: B\nredirect_from: [/old, /blog/2020-01-02-b]\n---\n",
    })
    outcome = run(root / "src", root / "dest")
    a = header_of(root / "dest/01.blog/2020-01-01-a/item.md")
    b = header_of(root / "dest/01.blog/2020-01-02-b/item.md")
    assert "- /Blog/2020-01-01-A" in a and "- /Old" in a
    assert "- /old" in b and "/blog/2020-01-02-b" not in b, "its own route, as written, is no alias"
    assert notes(outcome, "GRV922") == []


@pytest.mark.parametrize("fmt, expected", [("Y-m-d H:i", "2017-03-08 18:00"), ("m/d/Y h:i a", "03/08/2017 06:00 pm"),
                                           ("d.m.Y", "08-03-2017 18:00")])
def test_dates_use_the_date_format_of_the_grav_site_at_dest(make_site, fmt: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"grav/user/config/system.yaml": f"timezone: Europe/Berlin\npages:\n    dateformat:\n"
                                                      f"        default: '{fmt}'\n",
                      "grav/user/pages/.keep": ""})
    run(SOURCES / "jekyll", root / "grav")
    item = root / "grav/user/pages/01.blog/2017-03-08-hello-world/item.md"
    text = item.read_text(encoding="utf-8")
    assert f"date: '{expected}'" in text
    site = load_site(root / "grav")
    assert normalise_text(text, site, NormaliseOptions()).text == text, "normalise --check leaves it alone"
    if fmt != "d.m.Y":  # in the default format normalise would rewrite or question it: the choice matters
        default = text.replace(f"date: '{expected}'", "date: '08-03-2017 18:00'")
        again = normalise_text(default, site, NormaliseOptions())
        assert again.text != default or again.notes
    else:
        assert DATE_FORMAT == "d-m-Y H:i"  # 'd.m.Y' has no time: the minute would be lost, so not used


def test_timezone_comes_from_the_grav_site_at_dest(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"grav/user/config/system.yaml": "timezone: Asia/Almaty\n", "grav/user/pages/.keep": ""})
    outcome = run(SOURCES / "jekyll", root / "grav")
    text = (root / "grav/user/pages/01.blog/2017-03-08-hello-world/item.md").read_text(encoding="utf-8")
    assert "date: '08-03-2017 23:00'" in text  # 10:00 -0700 is 17:00 UTC, 23:00 in Almaty (UTC+6 then)
    # a wall clock of the source zone (Europe/Berlin, UTC+2 in June) moves to the same instant, folder too
    moved = root / "grav/user/pages/01.blog/2019-06-02-tz-and-links/item.md"
    assert "date: '02-06-2019 03:30'" in moved.read_text(encoding="utf-8") and outcome.timezone == "Asia/Almaty"
    forced = run(SOURCES / "jekyll", root / "other", timezone="Asia/Almaty")
    assert forced.timezone == "Asia/Almaty"
    clash = run(SOURCES / "jekyll", root / "grav", timezone="UTC", force=True)
    assert any("not the timezone of the Grav site" in m for m in notes(clash, "GRV903"))


def test_github_format_annotates_every_note(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", "--format", "github", str(SOURCES / "hugo"), str(tmp_path / "o")])
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert any(line.startswith("::warning file=") and "GRV907" in line for line in lines), result.stdout
    assert any(line.startswith("::notice file=") and "GRV917" in line for line in lines)
    assert "posts converted" not in result.stdout, "the summary table goes to stderr for machine formats"


def test_dry_run_tree_and_counts_match_what_a_real_run_writes(tmp_path: Path) -> None:
    dry = CliRunner().invoke(main, ["convert", "--dry-run", "--no-color", str(SOURCES / "jekyll"), str(tmp_path / "o")])
    planned = sum(1 for line in dry.output.splitlines() if line.strip().startswith("+ "))
    counts = {" ".join(line.split()[:-1]): int(line.split()[-1]) for line in dry.output.splitlines()
              if line.startswith(("posts converted", "assets copied", "files new"))}
    golden = [p for p in (EXPECTED / "jekyll").rglob("*") if p.is_file()]
    assert counts["files new"] == planned == len(golden)
    assert counts["posts converted"] == len([p for p in golden if p.suffix == ".md"])
    assert counts["assets copied"] == len([p for p in golden if p.suffix != ".md"])
    assert not (tmp_path / "o").exists()
    real = CliRunner().invoke(main, ["convert", "--no-color", str(SOURCES / "jekyll"), str(tmp_path / "o")])
    assert real.exit_code == 0
    assert len([p for p in (tmp_path / "o/01.blog").rglob("*") if p.is_file()]) == planned


def test_unreadable_source_config_is_a_clear_error_not_a_traceback(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"src/_config.yml": "title: t\n", "src/_posts/2020-01-01-a.md": "---\ntitle: A\n---\n"})

    def denied(path: Path) -> tuple[str, None]:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(jekyll, "read_text", denied)
    with pytest.raises(ConvertError, match=r"_config\.yml: cannot read it \(Permission denied\)"):
        run(root / "src", root / "dest")
    result = CliRunner().invoke(main, ["convert", str(root / "src"), str(root / "dest")])
    assert result.exit_code == 2 and "Permission denied" in result.output and "Traceback" not in result.output
