"""The human report: problems grouped by file, the offending line with a caret, and a summary."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape

from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity
from grav_tools.source import read_lines

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _source_lines(path: str) -> list[str]:
    return read_lines(Path(path))


def _excerpt(lines: list[str], problem: Problem) -> list[str]:
    """The source line and a caret under the problem's columns (tabs shown as one space)."""
    if problem.code == "GRV100" or not 0 < problem.line <= len(lines):
        return []
    text = lines[problem.line - 1].replace("\t", " ")
    if len(text) > 200:
        return []
    start = max(problem.column, 1)
    end = problem.end_column if problem.end_line == problem.line else len(text) + 1
    width = max(1, min(end, len(text) + 1) - start)
    gutter = str(problem.line)
    pad = " " * len(gutter)
    return [f" {gutter} | {text}", f" {pad} | {' ' * (start - 1)}{'^' * width}"]


def render(result: LintResult, stream: IO[str], color: bool | None = None, show_source: bool = True) -> None:
    """Write the report to `stream`; colour only on a terminal unless told otherwise."""
    console = Console(
        file=stream, no_color=color is False, force_terminal=False if color is False else (True if color else None),
        highlight=False,
        soft_wrap=True, emoji=False,
    )
    for path, group in groupby(result.problems, key=lambda p: p.path):
        problems = list(group)
        # GRV100: the checker did not read this file (a FIFO, too big, a symlink out of the tree):
        # neither does the report, so no excerpt ever shows text from outside the checked tree
        readable = any(p.code != "GRV100" for p in problems)
        lines = _source_lines(path) if show_source and readable else []
        console.print(f"[bold]{escape(path)}[/]")
        for problem in problems:
            style = _STYLE[problem.severity]
            fix = " [dim]\\[fixable][/]" if problem.fixable else ""
            console.print(
                f"  {problem.line}:{problem.column} [{style}]{problem.severity.label:<7}[/] "
                f"[bold]{problem.code}[/] {escape(problem.message)}{fix}"
            )
            for row in _excerpt(lines, problem):
                console.print(f"  [dim]{escape(row)}[/]")
        console.print()
    _summary(result, console)


def _summary(result: LintResult, console: Console) -> None:
    counts = {s: result.count(s) for s in Severity}
    files_with = len({p.path for p in result.problems})
    noun = "file" if result.files_checked == 1 else "files"
    if not result.problems:
        console.print(f"[green]All good:[/] {result.files_checked} {noun} checked, no problems.")
        return
    parts = [
        f"[{_STYLE[s]}]{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}[/]"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    console.print(f"{result.files_checked} {noun} checked, {files_with} with problems: {', '.join(parts)}.")
    top = Counter(p.code for p in result.problems).most_common(5)
    console.print("Top rules: " + ", ".join(f"{code} ({n})" for code, n in top))
    fixable = sum(1 for p in result.problems if p.fixable)
    if fixable:
        console.print(f"{fixable} marked \\[fixable] can be fixed by `grav-tools normalise`.")
