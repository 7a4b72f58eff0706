"""The command line: exit codes, formats, rule docs in step with the code and the README."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from grav_tools.cli import main
from grav_tools.docs import rule_table
from grav_tools.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "site"
GOOD = "---\ntitle: Hello\n---\n\nBody\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_clean_file_exits_0(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": GOOD})
    result = run("validate", str(root))
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_errors_exit_1_and_warnings_only_with_strict(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": b"\xef\xbb\xbf" + GOOD.encode()})
    assert run("validate", str(root)).exit_code == 0
    assert run("validate", "--strict", str(root)).exit_code == 1


def test_missing_path_exits_2() -> None:
    result = run("validate", "/no/such/place")
    assert result.exit_code == 2
    assert "path does not exist: /no/such/place" in result.output


def test_unknown_select_code_exits_2(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": GOOD})
    result = run("validate", "--select", "GRV999", str(root))
    assert result.exit_code == 2


def test_json_schema_on_example_site() -> None:
    result = run("validate", "--format", "json", str(EXAMPLE))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"version", "files_checked", "summary", "problems"}
    assert data["version"] == 1 and data["files_checked"] >= 10
    assert data["summary"]["error"] == sum(p["severity"] == "error" for p in data["problems"])
    first = data["problems"][0]
    assert list(first) == ["path", "line", "column", "end_line", "end_column", "rule", "severity",
                           "message", "fixable"]
    assert first["path"].startswith(str(EXAMPLE))


def test_text_report_shows_source_and_caret(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": "---\ntitle: A\npublished: no\n---\n"})
    result = run("validate", "--no-color", str(root))
    assert " 3 | published: no" in result.output
    assert "   |            ^^" in result.output
    assert "GRV208" in result.output


def test_every_rule_is_documented_listed_and_in_readme() -> None:
    listing = run("rules").output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rule_table() in readme, "README rule table is stale: run python -m grav_tools.docs README.md"
    for rule in all_rules():
        assert rule.code in listing
        doc = rule.doc
        for part in ("What:", "Why:", "Example:", "Fix:"):
            assert part in doc, f"{rule.code} docstring lacks {part}"
        one = run("rules", rule.code)
        assert one.exit_code == 0 and "Fix:" in one.output


def test_python_m_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "grav_tools", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "validate" in out.stdout


def test_bad_config_exits_2_with_file_and_suggestion(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": GOOD, ".grav-tools.toml": "selct = ['GRV2']\n"})
    result = run("validate", str(root))
    assert result.exit_code == 2
    assert ".grav-tools.toml: unknown key 'selct'" in result.output and "did you mean 'select'" in result.output


def test_config_file_option_and_cli_override(make_site, tmp_path) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": "---\ntitle: A\npublished: no\n---\n"})
    settings = tmp_path / "custom.toml"
    settings.write_text("ignore = ['GRV208']\n", encoding="utf-8")
    assert run("validate", "--config", str(settings), str(root)).exit_code == 0
    assert run("validate", str(root)).exit_code == 1
