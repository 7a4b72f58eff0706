"""SARIF 2.1.0 (for GitHub code scanning and other SARIF viewers): one run, every rule described.

The output is deterministic: keys sorted, rules sorted by code, results in problem order, no
timestamps. Columns are 1-based Unicode code points (`columnKind`), end columns exclusive, as
in `Problem`. Paths are written as the report displays them, percent-encoded as URI references;
absolute paths become `file://` URIs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from grav_tools import __version__
from grav_tools.problems import Problem, Severity
from grav_tools.rules import Rule, all_rules

if TYPE_CHECKING:
    from grav_tools.lint import LintResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://pypi.org/project/grav-tools/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECTIONS = ("What:", "Why:", "Example:", "Fix:")

_DRIVE = re.compile(r"[A-Za-z]:/")


def artifact_uri(path: str) -> str:
    """A display path as a URI reference: relative stays relative, absolute becomes `file://`."""
    posix = path.replace(os.sep, "/") if os.sep != "/" else path
    if _DRIVE.match(posix):
        return "file:///" + posix[:2] + quote(posix[2:], safe="/", errors="surrogateescape")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/", errors="surrogateescape")
    while posix.startswith("./"):
        posix = posix[2:]
    # `safe="/"` also encodes ':' so a first segment like `a:b` is never read as a scheme.
    return quote(posix, safe="/", errors="surrogateescape")


def _sections(doc: str) -> dict[str, str]:
    """The What/Why/Example/Fix parts of a rule doc, each unwrapped to one line."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        label = next((s for s in SECTIONS if line.startswith(s)), None)
        if label is not None:
            current = parts.setdefault(label, [])
            line = line[len(label):]
        if current is not None and line.strip():
            current.append(line.strip())
    return {label: " ".join(words) for label, words in parts.items()}


def _markdown(doc: str) -> str:
    """The rule doc with each What/Why/Example/Fix part as its own paragraph, label in bold."""
    lines: list[str] = []
    for line in doc.splitlines():
        label = next((s for s in SECTIONS if line.startswith(s)), None)
        if label is not None:
            if lines and lines[-1]:
                lines.append("")
            line = f"**{label}**{line[len(label):]}"
        lines.append(line)
    return "\n".join(lines)


def rule_descriptor(rule: Rule) -> dict[str, object]:
    doc = rule.doc or rule.name
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _sections(doc).get("What:") or rule.summary},
        "help": {"text": doc, "markdown": _markdown(doc)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }


def _region(problem: Problem) -> dict[str, int]:
    start_line = max(problem.line, 1)
    start_column = max(problem.column, 1)
    end_line = max(problem.end_line, start_line)
    end_column = max(problem.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line,
            "endColumn": end_column}


def result_object(problem: Problem, index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": problem.code,
        "level": LEVELS[problem.severity],
        "message": {"text": problem.message},
    }
    if problem.code in index:
        result["ruleIndex"] = index[problem.code]
    if problem.path:
        result["locations"] = [{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(problem.path)},
                "region": _region(problem),
            }
        }]
    return result


def sarif_log(result: LintResult, rules: Sequence[Rule] | None = None) -> dict[str, object]:
    """The SARIF log as a dict; `rules` defaults to the whole catalogue."""
    catalogue = sorted(all_rules() if rules is None else rules, key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(catalogue)}
    driver = {
        "name": "grav-tools",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [rule_descriptor(rule) for rule in catalogue],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [result_object(p, index) for p in sorted(result.problems)],
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(result: LintResult, rules: Sequence[Rule] | None = None) -> str:
    return json.dumps(sarif_log(result, rules), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
