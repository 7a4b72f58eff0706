"""Inline suppressions: `# grav-tools: ignore CODE` in the frontmatter, `<!-- grav-tools: ... -->` in the body.

Header: a trailing comment silences its own line; a comment on a line of its own silences the
next line; `ignore-file` silences the whole file. Body: `<!-- grav-tools: ignore CODES -->`
silences the next block (up to the next blank line, or a whole `[owl-carousel]` block);
`ignore-file` silences the whole file. Codes may be prefixes (`GRV4`); none means every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grav_tools.page import Page

_YAML_COMMENT = re.compile(r"#\s*grav-tools:\s*(ignore-file|ignore)\b([^\n#]*)")
_HTML_COMMENT = re.compile(r"<!--\s*grav-tools:\s*(ignore-file|ignore)\b(.*?)-->")
_CODE = re.compile(r"GRV\d{0,3}", re.I)
EVERYTHING = ("GRV",)


@dataclass(frozen=True, slots=True)
class Suppression:
    """Codes silenced on lines first..last (inclusive) of one file; `line` is where it is written."""

    codes: tuple[str, ...]
    first: int
    last: int
    line: int
    column: int

    def covers(self, code: str, line: int) -> bool:
        return self.first <= line <= self.last and any(code.startswith(c) for c in self.codes)


def _codes(text: str) -> tuple[str, ...]:
    found = tuple(code.upper() for code in _CODE.findall(text))
    return found or EVERYTHING


def _block_end(lines: list[str], start: int) -> int:
    """Last line (1-based) of the block that begins at or after line `start`."""
    index = start - 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return len(lines)
    if lines[index].lstrip().startswith("[owl-carousel"):
        for end in range(index + 1, len(lines)):
            if lines[end].strip().startswith("[/owl-carousel"):
                return end + 1
    while index < len(lines) and lines[index].strip():
        index += 1
    return index


def find_suppressions(page: Page) -> tuple[Suppression, ...]:
    """Every suppression comment in a page, with the lines it covers."""
    if "grav-tools:" not in page.text:
        return ()
    lines = page.lines
    found: list[Suppression] = []
    split = page.split
    if split.header is not None:
        for number in range(split.header_line, split.close_line):
            text = lines[number - 1]
            match = _YAML_COMMENT.search(text)
            if match is None:
                continue
            codes, column = _codes(match.group(2)), match.start() + 1
            if match.group(1) == "ignore-file":
                found.append(Suppression(codes, 1, len(lines), number, column))
            elif text[: match.start()].strip():
                found.append(Suppression(codes, number, number, number, column))
            else:
                found.append(Suppression(codes, number + 1, number + 1, number, column))
    start = split.body_line if split.header is not None else 1
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if "grav-tools:" not in text:
            continue
        for match in _HTML_COMMENT.finditer(text):
            codes, column = _codes(match.group(2)), match.start() + 1
            if match.group(1) == "ignore-file":
                found.append(Suppression(codes, 1, len(lines), number, column))
            else:
                found.append(Suppression(codes, number, _block_end(lines, number + 1), number, column))
    return tuple(found)
