"""JUnit XML: well-formed whatever the paths and messages hold, counts that add up."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from report_samples import ABOUT, NEWS, POST, RULES, sample_result

from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity
from grav_tools.report import junit


def parse(result: LintResult) -> ET.Element:
    text = junit.render(result, rules=RULES)
    return ET.fromstring(text.encode("utf-8"))  # strict UTF-8: no lone surrogates slipped through


def test_structure_and_counts() -> None:
    root = parse(sample_result())
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "grav-tools validate"
    assert suite.get("tests") == "5" and suite.get("failures") == "2" and suite.get("errors") == "0"
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [POST, NEWS, ABOUT]
    assert [f.get("type") for f in cases[POST].findall("failure")] == ["warning", "error"]
    assert len(cases[NEWS].findall("failure")) == 1
    assert "GRV409" in (cases[NEWS].findtext("system-out") or "")
    assert cases[ABOUT].find("failure") is None  # infos only: a passing testcase
    assert "GRV409 option-without-effect" in (cases[ABOUT].findtext("system-out") or "")


def test_well_formed_with_hostile_text() -> None:
    nasty_path = "dir/<&>\"'\x01\udcff]]>.md"
    message = "bad \x00 byte, \x1b[31m escape, ]]> end, <tag> & \"quotes\"\r\nnext \ufffe line"
    result = LintResult([
        Problem(nasty_path, 1, 1, "GRV301", 1, 2, Severity.ERROR, message),
        Problem(nasty_path, 2, 1, "GRV409", 2, 2, Severity.INFO, message),
    ], 1)
    root = parse(result)
    (case,) = root.iter("testcase")
    assert case.get("name") == "dir/<&>\"'\\x01\\udcff]]>.md"
    failure = case.find("failure")
    assert failure is not None
    assert "\\x00 byte" in (failure.get("message") or "") and "\\x1b[31m" in (failure.text or "")
    assert "<tag> & \"quotes\"" in (failure.text or "") and "\\ufffe" in (failure.text or "")


def test_clean_run_has_an_empty_suite() -> None:
    root = parse(LintResult([], 4))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "4" and suite.get("failures") == "0"
    assert suite.find("testcase") is None
