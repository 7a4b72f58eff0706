"""Every report format pinned byte for byte on a fixed list of problems (UPDATE_GOLDEN=1 rewrites)."""

from __future__ import annotations

import io

import pytest
from report_samples import RULES, check_golden, clean_result, sample_result

from grav_tools.report import FORMATS, render

EXTENSIONS = {"text": "txt", "json": "json", "github": "github.txt", "sarif": "sarif.json",
              "junit": "junit.xml"}
OPTIONS = {"text": {"color": False, "show_source": False}, "json": {}, "github": {"rules": RULES},
           "sarif": {"rules": RULES}, "junit": {"rules": RULES}}


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich reads these; a CI that sets FORCE_COLOR must not change the text golden."""
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)


def test_every_format_has_a_golden() -> None:
    assert set(EXTENSIONS) == set(FORMATS) == set(OPTIONS)


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("case", ["problems", "clean"])
def test_format_matches_golden(format: str, case: str) -> None:
    result = sample_result() if case == "problems" else clean_result()
    stream = io.StringIO()
    render(format, result, stream, **OPTIONS[format])
    check_golden(f"{case}.{EXTENSIONS[format]}", stream.getvalue())


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render("xml", sample_result(), io.StringIO())
