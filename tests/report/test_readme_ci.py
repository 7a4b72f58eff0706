"""The CI recipes in the README and .pre-commit-hooks.yaml, run as written on the example site.

GitHub's runners are out of reach from here, so the steps are run locally: the install step is
replaced by the grav-tools already installed, every other command runs exactly as the README
writes it, from the root of a copy of the example site (where a site's workflow runs).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _grav_tools() -> list[str]:
    found = shutil.which("grav-tools")
    return [found] if found else [sys.executable, "-m", "grav_tools"]


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    assert words[0] == "grav-tools", command
    env = dict(os.environ, GRAV_TOOLS_CACHE_DIR=str(cwd.parent / "cache"))
    return subprocess.run([*_grav_tools(), *words[1:]], cwd=cwd, capture_output=True, text=True, env=env,
                          check=False)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(ROOT / "examples" / "site", copy)
    return copy


def _actions_steps() -> list[dict]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    steps = next(yaml.safe_load(b) for b in blocks if "--format github" in b and "setup-python" in b)
    assert isinstance(steps, list)
    return steps


def test_the_github_actions_snippet_annotates_the_example_site(site: Path) -> None:
    runs = [step["run"] for step in _actions_steps() if "run" in step]
    assert runs[0].startswith("pip install"), runs  # the install step: grav-tools is installed here already
    result = _run(runs[-1], site)
    assert result.returncode == 1, result.stderr  # the example site has errors: the job fails
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines[-1].startswith("grav-tools: ") and "checked" in lines[-1]  # the plain summary in the job log
    lines = lines[:-1]
    assert lines and all(line.startswith("::") for line in lines), lines[:3]
    errors = [line for line in lines if line.startswith("::error ")]
    assert errors
    for line in lines:
        match = re.match(r"::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),", line)
        assert match, line
        assert (site / match[2]).is_file(), f"annotation path {match[2]} is not a file in the checked-out repo"


def test_the_cache_step_keeps_the_folder_grav_tools_uses_and_survives_a_fresh_checkout(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's actions/cache step must name grav-tools' default cache folder; a run on a fresh
    checkout of the same site (new files, new times) with that folder restored reports the same."""
    from grav_tools.cache import default_cache_dir

    cached = [step for step in _actions_steps() if str(step.get("uses", "")).startswith("actions/cache@")]
    assert len(cached) == 1
    home = tmp_path / "home"
    path = Path(str(cached[0]["with"]["path"]).replace("~", str(home), 1))
    monkeypatch.delenv("GRAV_TOOLS_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    assert default_cache_dir() == path
    env = dict(os.environ)
    command = [*_grav_tools(), "validate", "--format", "json", "user/pages"]
    first = subprocess.run(command, cwd=site, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 1 and path.is_dir() and any(path.iterdir())
    shutil.rmtree(site)
    shutil.copytree(ROOT / "examples" / "site", site)  # what actions/checkout gives the next run
    second = subprocess.run(command, cwd=site, capture_output=True, text=True, env=env, check=False)
    assert second.returncode == 1 and second.stdout == first.stdout


@pytest.mark.parametrize("hook", ["grav-tools-validate", "grav-tools-normalise"])
def test_the_pre_commit_hooks_run_as_declared(site: Path, hook: str) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    declared = hooks[hook]
    assert declared["pass_filenames"] is False  # site rules need the whole site
    result = _run(" ".join([declared["entry"], *declared["args"]]), site)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # the example site has defects: both hooks must fail the commit
    if hook == "grav-tools-normalise":
        assert "would reformat" in result.stdout + result.stderr
