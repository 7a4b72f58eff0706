"""The page model: Grav's exact frontmatter split, with the true line numbers of the file on disk.

Grav (rockettheme/toolbox `MarkdownFile::decode`) strips a BOM, turns CRLF/CR into LF, left-trims
the text and matches `/^---\\n(.+?)\\n---\\n{0,}(.*)$/uis`: the first line that *begins* with
`---` closes the header, `...` is not a terminator, and one leading tab per header line becomes
four spaces. We do the same, but keep where every piece came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from grav_tools.source import Decoded

_NEWLINES = re.compile(r"\r\n|\r")
_GRAV_SPLIT = re.compile(r"^---\n(.+?)\n---\n*(.*)$", re.S | re.I)  # Grav's; split_frontmatter's answer
_PHP_LTRIM = " \t\n\r\0\x0b"


@dataclass(slots=True, unsafe_hash=True)  # not frozen, for speed (as dates.DateReading); never change one
class Split:
    """Where Grav finds the header and the body of a page.

    `header` is None when Grav finds no frontmatter at all (the whole file is body).
    Lines are 1-based lines of the file on disk.
    """

    header: str | None
    header_line: int  # line of the first header line (the one after the opening fence)
    close_line: int  # line of the closing fence, 0 when there is none
    close_text: str  # the closing fence line as written ("---", "----", "--- ")
    body: str
    body_line: int
    tab_lines: frozenset[int] = frozenset()  # file lines whose leading tab Grav turned into spaces


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, as Grav does before splitting (line count is unchanged)."""
    if "\r" not in text:
        return text
    return _NEWLINES.sub("\n", text)


def split_frontmatter(text: str) -> Split:
    """Split LF-normalised, BOM-free text exactly as Grav does."""
    trimmed = text.lstrip(_PHP_LTRIM)
    lead_lines = text.count("\n", 0, len(text) - len(trimmed))
    # _GRAV_SPLIT's answer with str.find (its lazy `(.+?)` steps through the header a character at
    # a time; 3.0 -> 0.7 µs a page): the header is at least one character, up to the first `\n---`
    header_end = trimmed.find("\n---", 5) if trimmed.startswith("---\n") else -1
    if header_end < 0:
        return Split(None, 0, 0, "", text, 1)
    header_raw = trimmed[4:header_end]
    header_line = lead_lines + 2
    close_line = header_line + header_raw.count("\n") + 1
    close_end = trimmed.find("\n", header_end + 1)
    close_text = trimmed[header_end + 1 : close_end if close_end >= 0 else len(trimmed)]
    body_start = header_end + 4
    while trimmed[body_start : body_start + 1] == "\n":  # `\n*`: the newlines after the fence
        body_start += 1
    body_line = lead_lines + 1 + trimmed.count("\n", 0, body_start)
    tab_lines: set[int] = set()
    if "\n\t" in header_raw:
        lines = header_raw.split("\n")
        for index in range(1, len(lines)):
            if lines[index].startswith("\t"):
                tab_lines.add(header_line + index)
                lines[index] = "    " + lines[index][1:]
        header_raw = "\n".join(lines)
    return Split(
        header=header_raw,
        header_line=header_line,
        close_line=close_line,
        close_text=close_text,
        body=trimmed[body_start:],
        body_line=body_line,
        tab_lines=frozenset(tab_lines),
    )


_PAGE_NAME = re.compile(r"^([^.]+)(?:\.([^.]+))?\.md$")


def page_name_parts(name: str) -> tuple[str, str | None] | None:
    """(template, language) for a Grav page file name, or None when Grav never reads it.

    `item.md` -> ("item", None); `item.kk.md` -> ("item", "kk"); `my.post.old.md` -> None.
    """
    match = _PAGE_NAME.match(name)
    if match is None:
        return None
    return match.group(1), match.group(2)


@dataclass(slots=True)
class Page:
    """A page file as read from disk, split as Grav splits it."""

    path: Path
    display: str  # how the path is shown to the user
    decoded: Decoded
    text: str  # BOM-free, LF-normalised
    split: Split
    template: str
    language: str | None
    _lines: list[str] | None = field(default=None, repr=False)
    _folder: Path | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """The file's lines (LF-normalised, without newlines); index 0 is line 1."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self._lines or self.lines  # rules ask 9 times a page: the property only once
        return lines[line - 1] if 0 < line <= len(lines) else ""

    @property
    def folder(self) -> Path:
        # one Path per page: rules and the summary ask 4 times, and a new `parent` each time also
        # worked out its str() again (2% of a page's CPU)
        folder = self._folder
        if folder is None:
            folder = self._folder = self.path.parent
        return folder


def build_page(path: Path, display: str, decoded: Decoded) -> Page:
    """Make a Page from decoded bytes."""
    text = normalise_newlines(decoded.text)
    if decoded.utf8:
        split = split_frontmatter(text)
    else:
        # Grav's /u regex fails on invalid UTF-8: the whole file, fences and all, is body.
        split = Split(None, 0, 0, "", text, 1)
    parts = page_name_parts(path.name) or (path.stem, None)
    return Page(path, display, decoded, text, split, parts[0], parts[1])
