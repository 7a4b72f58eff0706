"""Baselines survive unrelated edits and still catch new problems."""

from __future__ import annotations

import json

from click.testing import CliRunner

from grav_tools.cli import main

POST = "user/pages/01.blog/01.a/item.md"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_baseline_hides_old_problems_across_edits(make_site, tmp_path) -> None:
    root = make_site({POST: "---\ntitle: A\npublished: no\n---\n\nBody\n"})
    baseline = tmp_path / "baseline.json"
    assert run("validate", "--write-baseline", str(baseline), str(root)).exit_code == 0
    assert json.loads(baseline.read_text())["problems"][0]["rule"] == "GRV208"
    # an unrelated edit moves the problem down two lines: still known
    (root / POST).write_text("---\ntitle: A\nmenu: X\nslug: a\npublished: no\n---\n\nBody\n", encoding="utf-8")
    result = run("validate", "--baseline", str(baseline), str(root))
    assert result.exit_code == 0, result.output
    # a new problem of the same rule on another key is reported
    (root / POST).write_text("---\ntitle: A\npublished: no\nvisible: no\n---\n", encoding="utf-8")
    result = run("validate", "--format", "json", "--baseline", str(baseline), str(root))
    assert result.exit_code == 1
    assert [(p["rule"], p["line"]) for p in json.loads(result.output)["problems"]] == [("GRV208", 4)]


def test_unreadable_baseline_exits_2(make_site, tmp_path) -> None:
    root = make_site({POST: "---\ntitle: A\n---\n"})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("validate", "--baseline", str(bad), str(root))
    assert result.exit_code == 2 and "not a grav-tools baseline" in result.output
