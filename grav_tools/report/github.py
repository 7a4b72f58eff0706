"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per problem.

Escaping follows the Actions toolkit: in the message `%`, CR and LF are percent-encoded; in
property values `:` and `,` are too. GitHub only accepts `col`/`endColumn` when the annotation
starts and ends on the same line, so multi-line problems carry `line`/`endLine` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from grav_tools.problems import Problem, Severity
from grav_tools.report import summary_line
from grav_tools.rules import Rule, all_rules

if TYPE_CHECKING:
    from grav_tools.lint import LintResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape the message part (after the last `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (`file=...`, `title=...`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(problem: Problem, title: str) -> str:
    """The workflow command line for one problem."""
    props: list[tuple[str, object]] = []
    if problem.path:
        props.append(("file", problem.path))
    if problem.line >= 1:
        props.append(("line", problem.line))
        same_line = problem.end_line == problem.line
        if same_line and problem.column >= 1:
            props.append(("col", problem.column))
        if problem.end_line >= problem.line:
            props.append(("endLine", problem.end_line))
        if same_line and problem.column >= 1 and problem.end_column >= problem.column:
            props.append(("endColumn", problem.end_column))
    props.append(("title", title))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{COMMANDS[problem.severity]} {joined}::{escape_data(problem.message)}"


def render(result: LintResult, rules: Sequence[Rule] | None = None) -> str:
    """All annotations, then a plain summary line (not a workflow command)."""
    names = {r.code: r.name for r in (all_rules() if rules is None else rules)}
    lines = [command(p, f"{p.code} {names[p.code]}" if p.code in names else p.code)
             for p in sorted(result.problems)]
    lines.append(f"grav-tools: {summary_line(result)}")
    return "\n".join(lines) + "\n"
