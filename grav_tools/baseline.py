"""Baselines: record today's problems, then report only new ones.

A problem is matched by file, rule and the text of the offending line (not the line number),
so edits elsewhere in a file do not resurrect old problems. Counts are kept, so a second copy
of the same problem on another line is new.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from grav_tools.lint import LintResult
from grav_tools.problems import Problem
from grav_tools.source import atomic_write, read_lines

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read."""


Key = tuple[str, str, str]


def _relative(path: str, base: Path) -> str:
    if not path:
        return ""
    return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()


def _keys(problems: list[Problem], base: Path) -> list[Key]:
    cache: dict[str, list[str]] = {}
    keys = []
    for problem in problems:
        if problem.code == "GRV100":  # a file the checker did not read: never read it here either
            keys.append((_relative(problem.path, base), problem.code, ""))
            continue
        lines = cache.get(problem.path)
        if lines is None:
            lines = cache[problem.path] = read_lines(Path(problem.path)) if problem.path else []
        text = lines[problem.line - 1].strip() if 0 < problem.line <= len(lines) else ""
        keys.append((_relative(problem.path, base), problem.code, text))
    return keys


def write_baseline(result: LintResult, file: Path) -> int:
    """Write every current problem to `file` (atomically); returns how many were recorded."""
    base = file.resolve().parent
    counts = Counter(_keys(result.problems, base))
    entries = [{"path": p, "rule": r, "text": t, "count": n} for (p, r, t), n in sorted(counts.items())]
    payload = json.dumps({"version": VERSION, "problems": entries}, ensure_ascii=False, indent=2) + "\n"
    atomic_write(file, payload.encode("utf-8"))
    return len(result.problems)


def load_baseline(file: Path) -> Counter[Key]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise BaselineError(f"{file}: baseline version {data.get('version')!r} is not {VERSION}")
        return Counter({(e["path"], e["rule"], e["text"]): int(e["count"]) for e in data["problems"]})
    except OSError as exc:
        raise BaselineError(f"{file}: cannot read baseline: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BaselineError(f"{file}: not a grav-tools baseline ({exc})") from None


def only_new(result: LintResult, file: Path) -> LintResult:
    """The result without the problems recorded in the baseline `file`."""
    known = load_baseline(file)
    base = file.resolve().parent
    kept = []
    for problem, key in zip(result.problems, _keys(result.problems, base)):
        if known[key] > 0:
            known[key] -= 1
        else:
            kept.append(problem)
    return LintResult(kept, result.files_checked)
