"""The JSON report writes each problem as the standard JSON encoder would, for any text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from grav_tools.problems import Problem, Severity
from grav_tools.report.json_report import _encode

ENCODER = json.JSONEncoder(ensure_ascii=False)


@given(path=st.text(), code=st.text(max_size=8), message=st.text(),
       numbers=st.lists(st.integers(), min_size=4, max_size=4), severity=st.sampled_from(list(Severity)),
       fixable=st.booleans())
def test_a_problem_line_is_what_the_json_encoder_writes(path: str, code: str, message: str, numbers: list[int],
                                                        severity: Severity, fixable: bool) -> None:
    line, column, end_line, end_column = numbers
    problem = Problem(path, line, column, code, end_line, end_column, severity, message, fixable)
    assert _encode(problem) == ENCODER.encode(problem.as_dict())


def test_escapes_and_code_points_outside_ascii_are_encoded_as_json_does() -> None:
    text = 'a "quoted" \\ back\nnew\tline \x01 \u2028 é 日本 \U0001f600 \udcff'
    problem = Problem(text, 1, 2, "GRV101", 3, 4, Severity.WARNING, text, True)
    assert _encode(problem) == ENCODER.encode(problem.as_dict())
    assert json.loads(_encode(problem))["message"] == text
