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


MAX_SUPPRESSIONS = 200  # per file: more comments than this is no real page (later ones are ignored)


class _Blocks:
    """Where the block that begins at or after a line ends, for every line, computed in one pass
    from the end: asking line by line was quadratic on a page of 70k comments."""

    def __init__(self, lines: list[str]) -> None:
        n = len(lines)
        self.n = n
        self.next_text = [n] * (n + 1)  # first non-blank index at or after i
        self.para_end = [n] * (n + 1)  # first blank index at or after i
        self.next_close = [-1] * (n + 1)  # first `[/owl-carousel` line index after i
        close = -1
        for i in range(n - 1, -1, -1):
            stripped = lines[i].strip()
            self.next_close[i] = close
            if stripped.startswith("[/owl-carousel"):
                close = i
            if stripped:
                self.next_text[i] = i
                self.para_end[i] = self.para_end[i + 1]
            else:
                self.next_text[i] = self.next_text[i + 1]
                self.para_end[i] = i
        self.lines = lines

    def end(self, start: int) -> int:
        """Last line (1-based) of the block that begins at or after line `start`."""
        index = self.next_text[min(max(start - 1, 0), self.n)]
        if index >= self.n:
            return self.n
        if self.lines[index].lstrip().startswith("[owl-carousel") and self.next_close[index] >= 0:
            return self.next_close[index] + 1
        return self.para_end[index]


def _block_end(lines: list[str], start: int) -> int:
    """Last line (1-based) of the block that begins at or after line `start`."""
    return _Blocks(lines).end(start)


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
    blocks: _Blocks | None = None
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if "grav-tools:" not in text:
            continue
        for match in _HTML_COMMENT.finditer(text):
            codes, column = _codes(match.group(2)), match.start() + 1
            if match.group(1) == "ignore-file":
                found.append(Suppression(codes, 1, len(lines), number, column))
            else:
                blocks = blocks or _Blocks(lines)
                found.append(Suppression(codes, number, blocks.end(number + 1), number, column))
        if len(found) >= MAX_SUPPRESSIONS:
            break
    return tuple(found[:MAX_SUPPRESSIONS])
