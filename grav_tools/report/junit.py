"""JUnit XML for CI test dashboards: one testcase per file with problems.

Errors and warnings are `<failure>` elements (one per problem); infos go to the testcase's
`<system-out>`, so a file with only infos is a passing testcase. Files without problems are not
listed (the report has no file list), but `tests` counts every file checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from grav_tools.problems import Problem, Severity
from grav_tools.rules import Rule, all_rules

if TYPE_CHECKING:
    from grav_tools.lint import LintResult

SUITE = "grav-tools validate"
NO_FILE = "(no file)"

# Characters XML 1.0 cannot carry at all, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Replace characters that XML 1.0 forbids (control codes, lone surrogates) by `\\xNN`/`\\uNNNN`."""

    def show(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _NOT_XML.sub(show, text)


def _describe(problem: Problem, names: dict[str, str]) -> str:
    name = f" {names[problem.code]}" if problem.code in names else ""
    fix = " [fixable]" if problem.fixable else ""
    return (f"{problem.path or NO_FILE}:{problem.line}:{problem.column}: {problem.severity.label} "
            f"{problem.code}{name}: {problem.message}{fix}")


def junit_tree(result: LintResult, rules: Sequence[Rule] | None = None) -> ET.Element:
    names = {r.code: r.name for r in (all_rules() if rules is None else rules)}
    cases: list[ET.Element] = []
    failing_files = 0
    for path, group in groupby(sorted(result.problems), key=lambda p: p.path):
        problems = list(group)
        case = ET.Element("testcase", {"classname": "grav-tools", "name": xml_safe(path or NO_FILE)})
        failures = [p for p in problems if p.severity >= Severity.WARNING]
        for problem in failures:
            failure = ET.SubElement(case, "failure", {
                "message": xml_safe(f"{problem.line}:{problem.column} {problem.code}: {problem.message}"),
                "type": problem.severity.label,
            })
            failure.text = xml_safe(_describe(problem, names))
        infos = [p for p in problems if p.severity < Severity.WARNING]
        if infos:
            ET.SubElement(case, "system-out").text = xml_safe(
                "\n".join(_describe(p, names) for p in infos) + "\n")
        failing_files += bool(failures)
        cases.append(case)
    counts = {
        "tests": str(max(result.files_checked, len(cases))),
        "failures": str(failing_files),
        "errors": "0",
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": "grav-tools", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    suite.extend(cases)
    return root


def render(result: LintResult, rules: Sequence[Rule] | None = None) -> str:
    root = junit_tree(result, rules)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
