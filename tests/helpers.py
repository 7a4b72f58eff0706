"""Run the linter on small in-memory sites and get compact (code, line, column) tuples back."""

from __future__ import annotations

from pathlib import Path

from grav_tools.discover import discover
from grav_tools.lint import Selection, lint
from grav_tools.problems import Problem


def problems_in(root: Path, select: str = "", jobs: int = 1) -> list[Problem]:
    selection = Selection(tuple(s for s in select.split(",") if s))
    return lint(discover([str(root)]), selection, jobs=jobs).problems


def codes_at(root: Path, select: str = "") -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems_in(root, select)]


def page(text: str, name: str = "user/pages/01.blog/01.post/item.md") -> dict[str, str]:
    return {name: text}
