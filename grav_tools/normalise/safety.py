"""The proofs normalise must pass before it may write a file.

1. The new header is strict YAML (no fallback needed, no duplicates) and its data, as Grav reads
   it, equals the old data except for the declared changes: dates that were rewritten must read
   as the same instant, and an unquoted ISO date may become the very text the author wrote.
2. The body differs only in whitespace (carousel attribute quoting is checked where it is made).
3. The file splits back into exactly the header and body we meant to write.
4. Normalising the result again changes nothing (checked by the caller, which owns the options).
"""

from __future__ import annotations

import math
from typing import Any

from grav_tools.dates import read_date
from grav_tools.normalise.dates import DatePlan, same_instant
from grav_tools.normalise.text import squash
from grav_tools.page import split_frontmatter
from grav_tools.yamlio import Header, YamlTimestamp, parse_header, resolve_plain, to_python


def same_data(old: Any, new: Any, path: str = "") -> str | None:
    """None when equal as Grav sees them (types matter: 1 is not true), else where they differ."""
    if isinstance(old, YamlTimestamp) and isinstance(new, str):
        reread = resolve_plain(new)
        return None if isinstance(reread, YamlTimestamp) and reread == old else f"{path or 'the header'}"
    if type(old) is not type(new):
        return path or "the header"
    if isinstance(old, dict):
        if set(old) != set(new):
            missing = sorted(map(str, set(old) ^ set(new)))
            return f"{path}.{missing[0]}" if path else missing[0]
        for key in old:
            found = same_data(old[key], new[key], f"{path}.{key}" if path else str(key))
            if found:
                return found
        return None
    if isinstance(old, list):
        if len(old) != len(new):
            return path
        for index, (a, b) in enumerate(zip(old, new)):
            found = same_data(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(old, float) and math.isnan(old) and math.isnan(new):
        return None
    return None if old == new else (path or "the header")


def prove_header(old_data: Any, new_header: str, plans: list[DatePlan], read_format: str | None,
                 tz: str | None, parsed: Header | None = None) -> str | None:
    """Why the new header does not carry the old data (None when it does).

    `parsed` is parse_header(new_header) when the caller has it already (it is only read here).
    """
    if parsed is None:
        parsed = parse_header(new_header)
    if parsed.root is None or parsed.error is not None:
        return "the new header does not parse"
    if not parsed.strict or parsed.repairs or parsed.duplicates:
        return "the new header still needs Grav's lenient parser"
    new_data = to_python(parsed.root)
    if isinstance(old_data, dict) and isinstance(new_data, dict):
        old_data, new_data = dict(old_data), dict(new_data)
        for plan in plans:
            if plan.new_text is None or plan.intended is None:
                continue
            written = new_data.pop(plan.key, None)
            old_data.pop(plan.key, None)
            if not isinstance(written, str):
                return f"{plan.key} was not written as text"
            if not same_instant(read_date(written, read_format, tz=tz), plan.intended):
                return f"{plan.key} {written!r} does not read as {plan.node.text!r} did"
    where = same_data(old_data, new_data)
    return f"the value of {where} would change" if where else None


def prove_body(before: str, after: str) -> str | None:
    """The body may only change in whitespace."""
    return None if before == after or squash(before) == squash(after) else \
        "the body would change in more than whitespace"


def prove_split(text: str, header: str, body: str) -> str | None:
    """Grav must find exactly our header and body in the file we write."""
    split = split_frontmatter(text)
    if split.header != header.replace("\n\t", "\n    ") or split.body != body:
        return "Grav would split the new file differently"
    return None
