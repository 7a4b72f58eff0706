"""The JSON report (schema version 1), for scripts and CI."""

from __future__ import annotations

import io
import json
from json.encoder import encode_basestring
from typing import IO

from grav_tools.lint import LintResult
from grav_tools.problems import Problem, Severity

# encode_basestring is how JSONEncoder(ensure_ascii=False) quotes strings (the C version when built)
_LABELS = {severity: encode_basestring(severity.label) for severity in Severity}


def write(result: LintResult, stream: IO[str]) -> None:
    """Stable JSON: problems sorted, keys in a fixed order, one problem per line, written as it goes.

    json.dumps with `indent` runs the pure-Python encoder (about 1 s for the 30k problems of a
    10k-post site); each problem on its own line stays readable and diff-friendly. Writing line
    by line keeps a 150k-problem report out of memory.
    """
    summary = {s.label: result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    encode = json.JSONEncoder(ensure_ascii=False).encode
    stream.write(f'{{\n  "version": 1,\n  "files_checked": {result.files_checked},\n  "summary": {encode(summary)},\n')
    if not result.problems:
        stream.write('  "problems": []\n}\n')
        return
    stream.write('  "problems": [\n')
    last = len(result.problems) - 1
    for index, problem in enumerate(result.problems):
        stream.write(f"    {_encode(problem)}{',' if index < last else ''}\n")
    stream.write("  ]\n}\n")


def _encode(problem: Problem) -> str:
    """`problem.as_dict()` as JSONEncoder(ensure_ascii=False) writes it, without the dict: building
    and encoding 33k dicts was most of the report's 0.14 s on the 10k-post site, after the checking."""
    return (f'{{"path": {encode_basestring(problem.path)}, "line": {problem.line}, '
            f'"column": {problem.column}, "end_line": {problem.end_line}, '
            f'"end_column": {problem.end_column}, "rule": {encode_basestring(problem.code)}, '
            f'"severity": {_LABELS[problem.severity]}, "message": {encode_basestring(problem.message)}, '
            f'"fixable": {"true" if problem.fixable else "false"}}}')


def render(result: LintResult) -> str:
    """The whole report as one string (see `write`)."""
    buffer = io.StringIO()
    write(result, buffer)
    return buffer.getvalue()
