"""The JSON report (schema version 1), for scripts and CI."""

from __future__ import annotations

import io
import json
from typing import IO

from grav_tools.lint import LintResult
from grav_tools.problems import Severity


def write(result: LintResult, stream: IO[str]) -> None:
    """Stable JSON: problems sorted, keys in a fixed order, one problem per line, written as it goes.

    json.dumps with `indent` runs the pure-Python encoder (about 1 s for the 30k problems of a
    10k-post site); each problem encoded on its own line uses the C encoder and stays readable
    and diff-friendly. Writing line by line keeps a 150k-problem report out of memory.
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
        stream.write(f"    {encode(problem.as_dict())}{',' if index < last else ''}\n")
    stream.write("  ]\n}\n")


def render(result: LintResult) -> str:
    """The whole report as one string (see `write`)."""
    buffer = io.StringIO()
    write(result, buffer)
    return buffer.getvalue()
