"""The rule registry: every rule is a small function with a fixed code, registered explicitly.

A page rule takes a PageContext and yields Findings; a site rule takes the PageSummary of every
checked file and yields Findings with a path. The engine stamps code and severity. A rule's
docstring is its user documentation, in the shape What / Why / Example / Fix.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from grav_tools.problems import Finding, Severity

PAGE = "page"
SITE = "site"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: str
    check: Callable[[Any], Iterable[Finding]]
    fixable: bool

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name


REGISTRY: dict[str, Rule] = {}
FactCollector = Callable[[Any], Iterable[tuple[str, Any]]]
COLLECTORS: list[FactCollector] = []


def rule(
    code: str, name: str, severity: Severity, scope: str = PAGE, fixable: bool = False
) -> Callable[[Callable[[Any], Iterable[Finding]]], Callable[[Any], Iterable[Finding]]]:
    """Register a rule function under a fixed code."""

    def register(func: Callable[[Any], Iterable[Finding]]) -> Callable[[Any], Iterable[Finding]]:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY[code] = Rule(code, name, severity, scope, func, fixable)
        return func

    return register


def collects_facts(func: FactCollector) -> FactCollector:
    """Register a function that extracts small picklable facts from a PageContext for site rules.

    Collectors always run (whatever rules are selected), so site rules can rely on their facts:
    `summary.fact("name")` returns what a collector yielded as ("name", value).
    """
    COLLECTORS.append(func)
    return func


# the modules whose import registers the rules (pool workers import them up front: lint._pool_context)
FAMILIES = ("files", "frontmatter", "dates", "shortcodes", "media", "structure", "convert_notes")


def all_rules() -> list[Rule]:
    """Every rule, sorted by code (importing the rule families registers them)."""
    from grav_tools.rules import files, frontmatter  # noqa: F401

    for optional in FAMILIES[2:]:
        try:
            __import__(f"grav_tools.rules.{optional}")
        except ModuleNotFoundError as exc:  # a family not written yet
            if exc.name != f"grav_tools.rules.{optional}":
                raise
    return [REGISTRY[code] for code in sorted(REGISTRY)]
