"""Reporters: plain functions from a LintResult to text. Each is imported only when used.

`text` writes to a stream (it needs rich); the machine formats (`json`, `github`, `sarif`,
`junit`) return a string and import nothing heavy, so CI runs never load rich.
"""

from __future__ import annotations

from importlib import import_module
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grav_tools.lint import LintResult

FORMATS = ("text", "json", "github", "sarif", "junit")

_MODULES = {"text": "text", "json": "json_report", "github": "github", "sarif": "sarif", "junit": "junit"}


def render(format: str, result: LintResult, stream: IO[str], **opts: Any) -> None:
    """Write `result` to `stream` in `format`.

    `opts` go to that format's reporter: `color` and `show_source` for text, `rules` (the rule
    catalogue to describe, default all rules) for github, sarif and junit; json takes none.
    """
    if format not in _MODULES:
        raise ValueError(f"unknown report format {format!r}; expected one of {', '.join(FORMATS)}")
    module = import_module(f"grav_tools.report.{_MODULES[format]}")
    if format == "text":
        module.render(result, stream, **opts)
    elif hasattr(module, "write"):  # streams its output (json): big reports never sit in memory twice
        module.write(result, stream, **opts)
    else:
        stream.write(module.render(result, **opts))


def summary_line(result: LintResult) -> str:
    """One plain line: files checked, files with problems, counts by severity."""
    from grav_tools.problems import Severity

    noun = "file" if result.files_checked == 1 else "files"
    if not result.problems:
        return f"All good: {result.files_checked} {noun} checked, no problems."
    files_with = len({p.path for p in result.problems})
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = result.count(severity)
        parts.append(f"{count} {severity.label}{'s' if count != 1 else ''}")
    return f"{result.files_checked} {noun} checked, {files_with} with problems: {', '.join(parts)}."
