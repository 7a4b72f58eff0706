"""The JSON report (schema version 1), for scripts and CI."""

from __future__ import annotations

import json

from grav_tools.lint import LintResult
from grav_tools.problems import Severity


def render(result: LintResult) -> str:
    """Stable JSON: problems sorted, keys in a fixed order, one problem per line.

    json.dumps with `indent` runs the pure-Python encoder (about 1 s for the 30k problems of a
    10k-post site); each problem encoded on its own line uses the C encoder and stays readable
    and diff-friendly.
    """
    summary = {s.label: result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = f'{{\n  "version": 1,\n  "files_checked": {result.files_checked},\n  "summary": {encode(summary)},\n'
    if not result.problems:
        return head + '  "problems": []\n}\n'
    lines = ",\n".join("    " + encode(p.as_dict()) for p in result.problems)
    return f'{head}  "problems": [\n{lines}\n  ]\n}}\n'
