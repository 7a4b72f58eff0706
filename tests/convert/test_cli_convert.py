"""`grav-tools convert`: exit codes, report formats, dry-run output."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from convert_golden import SOURCES

from grav_tools.cli import main


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_convert_exits_0_and_prints_the_summary_table(tmp_path: Path) -> None:
    result = run("convert", "--no-color", str(SOURCES / "jekyll"), str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "posts converted" in result.output and "carousels made" in result.output
    assert "GRV908" in result.output and "notes by code:" in result.output
    assert (tmp_path / "out/01.blog/2017-03-08-hello-world/item.md").exists()


def test_dry_run_prints_the_tree_and_writes_nothing(tmp_path: Path) -> None:
    result = run("convert", "--dry-run", "--no-color", str(SOURCES / "hugo"), str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "    2024-02-20-first-post/\n      + item.md\n      + item.ru.md" in result.output
    assert "(dry run: nothing was written)" in result.output
    assert not (tmp_path / "out").exists()


def test_conflict_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "out/01.blog/third/item.md"
    target.parent.mkdir(parents=True)
    target.write_text("hand made\n", encoding="utf-8")
    result = run("convert", "--no-color", str(SOURCES / "hugo"), str(tmp_path / "out"))
    assert result.exit_code == 1 and "GRV914" in result.output
    assert run("convert", "--force", str(SOURCES / "hugo"), str(tmp_path / "out")).exit_code == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("convert", str(tmp_path / "missing"), str(tmp_path / "out")).exit_code == 2
    assert run("convert", "--from", "wordpress", str(SOURCES / "hugo"), str(tmp_path / "o")).exit_code == 2
    bad_zone = run("convert", "--timezone", "Mars/Olympus", str(SOURCES / "hugo"), str(tmp_path / "o"))
    assert bad_zone.exit_code == 2 and "unknown timezone" in bad_zone.output
    assert run("convert", "--template", "a.b", str(SOURCES / "hugo"), str(tmp_path / "o")).exit_code == 2
    assert run("convert", "--folder", "{nope}", str(SOURCES / "hugo"), str(tmp_path / "o")).exit_code == 2


def test_json_report_is_clean_json_on_stdout(tmp_path: Path) -> None:
    result = run("convert", "--format", "json", str(SOURCES / "markdown"), str(tmp_path / "out"))
    payload = json.loads(result.stdout)  # the summary table goes to stderr
    assert {p["rule"] for p in payload["problems"]} >= {"GRV901", "GRV902", "GRV911"}
    assert payload["files_checked"] == 3


def test_options_shape_the_tree(tmp_path: Path) -> None:
    result = run("convert", "--section", "02.news", "--template", "post", "--lang", "en",
                 "--folder", "{n:02d}.{slug}", "--carousel", "items=2", "--timezone", "UTC",
                 "--drop-unknown", str(SOURCES / "jekyll"), str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    item = tmp_path / "out/02.news/01.hello-world/post.en.md"
    text = item.read_text(encoding="utf-8")
    assert "[owl-carousel items=2]" in text and "date: '08-03-2017 17:00'" in text
    assert "author:" not in text and "layout:" not in text
    assert (tmp_path / "out/02.news/02.second/post.en.md").exists()


def test_sarif_report_describes_convert_rules(tmp_path: Path) -> None:
    result = run("convert", "--format", "sarif", str(SOURCES / "jekyll"), str(tmp_path / "o"))
    sarif = json.loads(result.stdout)
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"GRV903", "GRV908", "GRV912"} <= rules


def test_drafts_are_converted_unpublished_with_drafts(tmp_path: Path) -> None:
    result = run("convert", "--drafts", str(SOURCES / "jekyll"), str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out/01.blog/work-in-progress/item.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 'A draft'\npublished: false\n---\n")
    assert "GRV902" in result.output
