"""The README's rule table, generated from the registry so docs and code cannot drift."""

from __future__ import annotations

from grav_tools.rules import all_rules

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    """A Markdown table of every rule: code, severity, fixable, summary."""
    rows = ["| code | name | severity | fixable | what it finds |", "| --- | --- | --- | --- | --- |"]
    for rule in all_rules():
        summary = rule.summary.replace("|", "\\|")
        fixable = "yes" if rule.fixable else ""
        rows.append(f"| {rule.code} | {rule.name} | {rule.severity.label} | {fixable} | {summary} |")
    return "\n".join(rows)


def update_readme(text: str) -> str:
    """Replace the table between the markers in README text."""
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{rule_table()}\n{END}{tail}"


if __name__ == "__main__":  # python -m grav_tools.docs README.md
    import sys
    from pathlib import Path

    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    readme.write_text(update_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
