"""`validate --format ... --output FILE` and keeping rich/ruamel out of `--help` and the CI formats."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from grav_tools.cli import main
from grav_tools.report import FORMATS

BAD = "---\ntitle: A\npublished: no\n---\n"  # GRV208, an error
GOOD = "---\ntitle: Hello\n---\n\nBody\n"


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"user/pages/01.blog/01.a/item.md": BAD, "user/pages/01.blog/02.b/item.md": GOOD})


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich forces a terminal (and bold/dim codes, even with no colour) when FORCE_COLOR is set."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("format", FORMATS)
def test_output_writes_the_report_and_prints_one_summary_line(site: Path, tmp_path: Path, format: str) -> None:
    target = tmp_path / "out" / f"report.{format}"
    target.parent.mkdir()
    result = run("validate", "--format", format, "--output", str(target), str(site))
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"2 files checked, 1 with problems: 1 error, 0 warnings, 0 infos. Report written to {target}."
    ]
    text = target.read_text(encoding="utf-8")
    assert "GRV208" in text
    assert "\x1b" not in text
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left behind
    if format in ("json", "sarif"):
        json.loads(text)
    if format == "junit":
        ET.fromstring(text.encode("utf-8"))


def test_output_replaces_an_existing_file(site: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("old and much longer content " * 100, encoding="utf-8")
    assert run("validate", "--format", "sarif", "-o", str(target), str(site)).exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_output_in_a_missing_folder_exits_2(site: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.xml"
    result = run("validate", "--format", "junit", "--output", str(target), str(site))
    assert result.exit_code == 2
    assert f"cannot write {target}" in result.output
    assert not target.exists()


def test_github_format_on_stdout(site: Path) -> None:
    result = run("validate", "--format", "github", str(site))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=") and "title=GRV208 php-bool-cast::" in lines[0]
    assert lines[-1] == "grav-tools: 2 files checked, 1 with problems: 1 error, 0 warnings, 0 infos."


def test_clean_site_with_output_exits_0(make_site, tmp_path: Path) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.md": GOOD})
    target = tmp_path / "report.json"
    result = run("validate", "--format", "json", "--output", str(target), str(root))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"All good: 1 file checked, no problems. Report written to {target}."


HEAVY = "sorted(m for m in sys.modules if m.split('.')[0] in {'rich', 'ruamel'})"


def test_cli_import_stays_light() -> None:
    code = f"import sys, grav_tools.cli; print({HEAVY})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ci_formats_do_not_import_rich() -> None:
    code = (
        "import io, sys\n"
        "from grav_tools.lint import LintResult\n"
        "from grav_tools.problems import Problem, Severity\n"
        "from grav_tools.report import render\n"
        "result = LintResult([Problem('a.md', 1, 1, 'GRV100', 1, 2, Severity.ERROR, 'm')], 1)\n"
        "for name in ('json', 'github', 'sarif', 'junit'):\n"
        "    render(name, result, io.StringIO())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
