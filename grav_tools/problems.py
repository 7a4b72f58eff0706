"""Severity, Finding (what a rule yields) and Problem (what the user sees)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    """How bad a problem is; the order matters for sorting and exit codes."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


# Finding and Problem are made by the ten thousand: plain slots classes hashed by value, not frozen
# ones, whose __init__ sets each field through object.__setattr__ (~4x slower). Treat them as
# immutable all the same: they are hashed (sets of problems) and shared.


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One thing a rule noticed. The engine stamps the code, severity and path.

    `path` is only set by site rules, which look at many files at once.
    `severity` overrides the rule's default when a rule has graded verdicts.
    """

    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    fixable: bool = False
    severity: Severity | None = None
    path: str | None = None


@dataclass(slots=True, order=True, unsafe_hash=True)
class Problem:
    """A reported problem. Sorts by file, then position, then rule code."""

    path: str
    line: int
    column: int
    code: str
    end_line: int
    end_column: int
    severity: Severity
    message: str
    fixable: bool = False

    def __reduce__(self) -> tuple[type[Problem], tuple[object, ...]]:
        # rebuilt through __init__ from a flat tuple: faster to unpickle than the default (a state
        # dict), and results from worker processes arrive by the ten thousand
        return (Problem, (self.path, self.line, self.column, self.code, self.end_line, self.end_column,
                          self.severity, self.message, self.fixable))

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "fixable": self.fixable,
        }
