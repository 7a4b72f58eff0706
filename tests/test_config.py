"""Settings files: discovery, validation with suggestions, and what they change."""

from __future__ import annotations

from pathlib import Path

import pytest

from grav_tools.config import Config, ConfigError, find_config, load_config
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.problems import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_by_walking_up_and_dotfile_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.grav-tools]\nignore = ['GRV210']\n")
    deep = tmp_path / "user" / "pages" / "01.blog"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "user" / ".grav-tools.toml", "ignore = ['GRV3']\n")
    assert find_config(deep) == tmp_path / "user" / ".grav-tools.toml"


def test_pyproject_without_our_section_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None


def test_unknown_key_suggests(tmp_path: Path) -> None:
    path = write(tmp_path / ".grav-tools.toml", "ignroe = ['GRV210']\n")
    with pytest.raises(ConfigError, match="unknown key 'ignroe' in .grav-tools.toml \\(did you mean 'ignore'\\?\\)"):
        load_config(path)


def test_unknown_rule_option_suggests(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.grav-tools.rules]\ndate-conventon = 'dmy'\n")
    with pytest.raises(ConfigError, match="did you mean 'date-convention'"):
        load_config(path)


def test_bad_values_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be error, warning or info"):
        load_config(write(tmp_path / "a" / ".grav-tools.toml", "[severity]\nGRV301 = 'fatal'\n"))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path / "b" / ".grav-tools.toml", "select = [\n"))


def test_longest_prefix_decides() -> None:
    config = Config(select=("GRV301",), ignore=("GRV3",))
    assert config.enabled("GRV301") and not config.enabled("GRV302") and not config.enabled("GRV201")
    config = Config(ignore=("GRV3",))
    assert config.enabled("GRV201") and not config.enabled("GRV305")


def test_config_changes_results(make_site) -> None:
    root = make_site({
        "user/pages/01.blog/01.a/item.md": "---\ntitle: A\npublished: no\nshow_sidebar: yes\n---\n",
        "user/pages/99.old/01.b/item.md": "---\npublished: no\n---\n",
    })
    write(root / ".grav-tools.toml", "[severity]\nGRV208 = 'warning'\n\n[per-path-ignores]\n'*/99.old/*' = ['GRV2']\n")
    config = load_config(find_config(root))  # type: ignore[arg-type]
    problems = lint(discover([str(root)]), config, jobs=1).problems
    assert {(p.code, p.severity, "99.old" in p.path) for p in problems} == {
        ("GRV208", Severity.WARNING, False),
        ("GRV211", Severity.WARNING, False),
    }


def test_known_keys_option_silences_unknown_key(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": "---\ntitle: A\nauthor_box: x\n---\n"})
    write(root / ".grav-tools.toml", "[rules]\nknown-keys = ['author_box']\n")
    config = load_config(root / ".grav-tools.toml")
    assert [p.code for p in lint(discover([str(root)]), config, jobs=1).problems] == []
    assert [p.code for p in lint(discover([str(root)]), Config(), jobs=1).problems] == ["GRV210"]


def test_settings_apply_to_every_problem_of_a_rule_whatever_its_own_severity() -> None:
    """What the settings say of a rule is worked out once per rule: a rule with graded verdicts
    keeps each problem's own severity unless the settings give one, and path ignores stay per path."""
    from grav_tools.lint import _apply_config
    from grav_tools.problems import Problem

    def problem(path: str, code: str, severity: Severity) -> Problem:
        return Problem(path, 1, 1, code, 1, 2, severity, "m")

    problems = [problem("a/item.md", "GRV301", Severity.ERROR), problem("b/item.md", "GRV301", Severity.INFO),
                problem("old/item.md", "GRV301", Severity.WARNING), problem("a/item.md", "GRV208", Severity.ERROR),
                problem("b/item.md", "GRV208", Severity.INFO), problem("a/item.md", "GRV210", Severity.INFO)]
    config = Config(ignore=("GRV210",), severity=(("GRV20", Severity.WARNING),),
                    per_path_ignores=(("old/*", ("GRV3",)),))
    assert [(p.path, p.code, p.severity) for p in _apply_config(problems, config)] == [
        ("a/item.md", "GRV301", Severity.ERROR), ("b/item.md", "GRV301", Severity.INFO),
        ("a/item.md", "GRV208", Severity.WARNING), ("b/item.md", "GRV208", Severity.WARNING)]
