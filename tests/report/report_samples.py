"""A fixed rule catalogue and a fixed list of problems for the report format tests.

Built by hand, not by running the linter, so the golden files only change when a format does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import in_ci

from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity
from grav_tools.rules import PAGE, Rule

GOLDEN = Path(__file__).resolve().parent / "golden"


def _utf8_bom(ctx: object) -> list[object]:
    """The file starts with a UTF-8 byte order mark.

    What: the first bytes of the file are EF BB BF.
    Why: some tools show the mark as stray characters.
    Example: a file saved by an old Windows editor.
    Fix: save as UTF-8 without BOM.
    """
    return []


def _fences(ctx: object) -> list[object]:
    """Missing, unterminated, empty or badly fenced frontmatter.

    What: the header is never closed, or a fence is `----`
    or `...`.
    Why: Grav sees no header, so the *whole* file becomes page text.
    Example: `---` / `title: Hi` / `...`.
    Fix: close the header with a line that is exactly `---`.
    """
    return []


def _date(ctx: object) -> list[object]:
    """A date that Grav cannot parse.

    What: `date: 32/13/2024`.
    Why: Grav falls back to the file's modification time.
    Example: `date: 32/13/2024`.
    Fix: write the date as `2024-12-31 10:00`.
    """
    return []


def _no_effect(ctx: object) -> list[object]:
    """A shortcode option that changes nothing.

    What: an option the plugin ignores.
    Why: it suggests an effect that never happens.
    Example: `[owl-carousel class="x"]`.
    Fix: remove the option.
    """
    return []


RULES = [
    Rule("GRV102", "utf8-bom", Severity.WARNING, PAGE, _utf8_bom, True),
    Rule("GRV201", "frontmatter-fences", Severity.ERROR, PAGE, _fences, False),
    Rule("GRV301", "unparsable-date", Severity.ERROR, PAGE, _date, False),
    Rule("GRV409", "option-without-effect", Severity.INFO, PAGE, _no_effect, False),
]

POST = "user/pages/01.blog/01.post/item.md"
NEWS = "user/pages/01.blog/02.новости и события/item.ru.md"
ABOUT = "user/pages/03.about/default.md"

PROBLEMS = [  # deliberately not in sorted order
    Problem(NEWS, 9, 15, "GRV409", 9, 34, Severity.INFO, "'class' has no effect: <b> & \"quoted\" 100%"),
    Problem(POST, 4, 7, "GRV301", 4, 19, Severity.ERROR, "date: '32/13/2024' is not a date Grav can read"),
    Problem(POST, 1, 1, "GRV102", 1, 2, Severity.WARNING, "file starts with a UTF-8 byte order mark (BOM)",
            fixable=True),
    Problem(NEWS, 2, 1, "GRV201", 5, 4, Severity.ERROR, "frontmatter is never closed: add a '---' line"),
    Problem(ABOUT, 3, 1, "GRV409", 3, 20, Severity.INFO, "'autoplay' has no effect"),
]


def sample_result() -> LintResult:
    """Five files checked, three with problems; sorted as the linter would hand them over."""
    return LintResult(problems=sorted(PROBLEMS), files_checked=5)


def clean_result() -> LintResult:
    return LintResult(problems=[], files_checked=2)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/report/golden/NAME; UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    data = actual.encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        if in_ci():
            pytest.fail("UPDATE_GOLDEN=1 under CI=true: goldens are only rewritten by hand")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run `UPDATE_GOLDEN=1 pytest tests/report` and review the diff")
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file; if the format change is intended, run "
        f"`UPDATE_GOLDEN=1 pytest tests/report` and review `git diff {path.relative_to(GOLDEN.parents[2])}`"
    )
