"""GitHub Actions workflow commands: escaping, severities, columns, the closing summary line."""

from __future__ import annotations

from report_samples import RULES, sample_result

from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity
from grav_tools.report import github


def one(problem: Problem) -> str:
    lines = github.render(LintResult([problem], 1), rules=RULES).splitlines()
    assert len(lines) == 2
    return lines[0]


def test_message_and_properties_are_escaped() -> None:
    problem = Problem("odd,dir:name/50%/item.md", 3, 2, "GRV301", 3, 5, Severity.ERROR,
                      "100% sure\r\nsecond line\nthird: a,b")
    assert one(problem) == (
        "::error file=odd%2Cdir%3Aname/50%25/item.md,line=3,col=2,endLine=3,endColumn=5,"
        "title=GRV301 unparsable-date::100%25 sure%0D%0Asecond line%0Athird: a,b"
    )


def test_percent_is_escaped_first_so_escapes_are_not_doubled() -> None:
    assert github.escape_data("%0A\n") == "%250A%0A"
    assert github.escape_property("a:%,\r") == "a%3A%25%2C%0D"


def test_severities_map_to_error_warning_notice() -> None:
    base = {"path": "a.md", "line": 1, "column": 1, "code": "GRV102", "end_line": 1, "end_column": 2, "message": "m"}
    assert one(Problem(severity=Severity.ERROR, **base)).startswith("::error ")
    assert one(Problem(severity=Severity.WARNING, **base)).startswith("::warning ")
    assert one(Problem(severity=Severity.INFO, **base)).startswith("::notice ")


def test_multi_line_problem_has_no_columns() -> None:
    problem = Problem("a.md", 2, 1, "GRV201", 5, 4, Severity.ERROR, "never closed")
    assert one(problem) == "::error file=a.md,line=2,endLine=5,title=GRV201 frontmatter-fences::never closed"


def test_unknown_code_gets_its_code_as_title_and_no_file_no_position() -> None:
    problem = Problem("", 0, 0, "GRV999", 0, 0, Severity.WARNING, "site-wide")
    assert one(problem) == "::warning title=GRV999::site-wide"


def test_every_line_but_the_summary_is_a_workflow_command() -> None:
    lines = github.render(sample_result(), rules=RULES).splitlines()
    assert all(line.startswith("::") for line in lines[:-1])
    assert not lines[-1].startswith("::") and "5 files checked" in lines[-1]


def test_default_catalogue_names_real_rules() -> None:
    problem = Problem("a.md", 1, 1, "GRV100", 1, 2, Severity.ERROR, "cannot read")
    assert "title=GRV100 unreadable-file::" in github.render(LintResult([problem], 1))
