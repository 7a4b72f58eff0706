"""Tree-golden tests: each small source in tests/convert/sources converts to exactly the tree in
tests/convert/expected (UPDATE_GOLDEN=1 rewrites; refused under CI=true), validates with no error,
is already canonical for `normalise`, and a second run changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from convert_golden import SOURCES, check_golden_tree, notes_text, run, tree

from grav_tools.convert.apply import CHANGED, CONFLICT, NEW, SAME
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.problems import Severity
from grav_tools.site import SiteConfig

KINDS = ("jekyll", "hugo", "markdown")


@pytest.fixture
def source(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A private copy of the source (tests must never write into tests/convert/sources)."""
    kind = request.param
    copy = tmp_path / "src" / kind
    shutil.copytree(SOURCES / kind, copy, symlinks=True)
    return copy


@pytest.mark.parametrize("source", KINDS, indirect=True)
def test_tree_matches_golden(source: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    outcome = run(source, dest)
    check_golden_tree(source.name, dest, notes_text(outcome))


@pytest.mark.parametrize("source", KINDS, indirect=True)
def test_output_validates_is_canonical_and_second_run_changes_nothing(source: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    first = run(source, dest)
    assert first.applied.count(NEW) == len(first.applied.status)
    errors = [p for p in lint(discover([str(dest)])).problems if p.severity == Severity.ERROR]
    assert errors == []
    for path in dest.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert normalise_text(text, SiteConfig(), NormaliseOptions()).text == text, path
    before = {p: p.stat().st_mtime_ns for p in dest.rglob("*") if p.is_file()}
    record = (dest / ".grav-tools/convert.json").read_bytes()
    second = run(source, dest)
    assert second.applied.count(SAME) == len(second.applied.status)
    assert second.applied.count(NEW) == second.applied.count(CHANGED) == second.applied.count(CONFLICT) == 0
    assert {p: p.stat().st_mtime_ns for p in dest.rglob("*") if p.is_file()} == before
    assert (dest / ".grav-tools/convert.json").read_bytes() == record


@pytest.mark.parametrize("source", KINDS, indirect=True)
def test_dry_run_writes_nothing_and_plans_the_same_files(source: Path, tmp_path: Path) -> None:
    planned = run(source, tmp_path / "dry", dry_run=True)
    assert not (tmp_path / "dry").exists()
    real = run(source, tmp_path / "real")
    assert planned.applied.status == real.applied.status
    assert set(tree(tmp_path / "real")) == set(planned.applied.status)
