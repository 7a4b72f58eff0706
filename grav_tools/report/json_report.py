"""The JSON report (schema version 1), for scripts and CI."""

from __future__ import annotations

import json

from grav_tools.lint import LintResult
from grav_tools.problems import Severity


def render(result: LintResult) -> str:
    """Stable JSON: problems sorted, keys in a fixed order."""
    payload = {
        "version": 1,
        "files_checked": result.files_checked,
        "summary": {s.label: result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
        "problems": [p.as_dict() for p in result.problems],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
