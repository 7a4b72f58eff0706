"""Body hygiene: trailing whitespace, blank lines, the summary separator, the final newline.

The body is never run through a Markdown formatter: only whitespace that Parsedown ignores is
touched. Lines that may be code (inside ``` / ~~~ fences, indented by a tab or 4+ spaces,
inside <pre>) keep their trailing whitespace, because there it may be content; we err on the
side of calling a line code. A whitespace-only line becomes empty everywhere: Parsedown drops
the content of blank lines in every block. A line ending in two or more spaces before another
non-blank line is a Markdown hard break and keeps exactly two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_PRE_OPEN = re.compile(r"<pre[\s>]", re.I)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
# What may follow a summary separator without joining it into a paragraph, and what may stand
# above it without Parsedown reading it as a setext heading (as rules/structure.py decides).
_BLOCK_START = re.compile(
    r" {0,3}(?:#|[-*+][ \t]|[0-9]+[.)][ \t]|>|```|~~~|<|\|"
    r"|\[/?[a-zA-Z0-9\-_*]+[^\]]*\][ \t]*$|(?:[-*_][ \t]*){3,}$)"
)
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:#|(?:[-*_][ \t]*){3,}$|\[/?[a-zA-Z0-9\-_*]+[^\]]*\][ \t]*$)")


@dataclass(frozen=True, slots=True)
class BodyNote:
    """Something the body fix-ups did that changes how the page renders (line in the body)."""

    line: int
    message: str


def code_lines(lines: list[str]) -> list[bool]:
    """Which lines may be code. Generous on purpose: a false "code" only means we strip less."""
    out = [False] * len(lines)
    fence: str | None = None
    in_pre = False
    for index, line in enumerate(lines):
        if fence is not None:
            out[index] = True
            stripped = line.strip()
            if stripped.startswith(fence[0] * 3) and stripped == fence[0] * len(stripped):
                fence = None
            continue
        if in_pre:
            out[index] = True
            if _PRE_CLOSE.search(line):
                in_pre = False
            continue
        match = _FENCE.match(line)
        if match:
            out[index] = True
            fence = match.group(1)
            continue
        if line.startswith(("\t", "    ")) and line.strip():
            out[index] = True
        if _PRE_OPEN.search(line):
            out[index] = True
            in_pre = not _PRE_CLOSE.search(line[_PRE_OPEN.search(line).start():])  # type: ignore[union-attr]
    return out


def strip_trailing(lines: list[str]) -> list[str]:
    """Trailing spaces and tabs removed outside code; hard breaks kept as exactly two spaces."""
    code = code_lines(lines)
    out: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip(" \t"):
            out.append("")
            continue
        if code[index] or not line.endswith((" ", "\t")):
            out.append(line)
            continue
        stripped = line.rstrip(" \t")
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.endswith("  ") and following.strip(" \t"):
            out.append(stripped + "  ")  # Markdown hard break
        else:
            out.append(stripped)
    return out


def is_separator(line: str, delimiter: str) -> bool:
    """The line may be a summary separator (outside code): the delimiter, indented at most three
    spaces, with nothing but spaces and tabs after it."""
    text = line.lstrip(" ")
    return len(line) - len(text) <= 3 and text.startswith(delimiter) and not text[len(delimiter):].strip(" \t")


def fix_separators(lines: list[str], delimiter: str) -> tuple[list[str], list[BodyNote]]:
    """Blank lines around the summary separator so Parsedown gives Grav its `<p>===</p>`.

    Under a line of text Parsedown reads `===` as a setext heading (the summary is lost and the
    text becomes an <h1>); directly followed by text it joins a paragraph. Both are fixed by a
    blank line; trailing spaces on the line are removed by `strip_trailing`.
    """
    if not delimiter or not any(delimiter in line for line in lines):
        return lines, []
    code = code_lines(lines)
    out: list[str] = []
    notes: list[BodyNote] = []
    for index, line in enumerate(lines):
        if code[index] or not is_separator(line, delimiter):
            out.append(line)
            continue
        previous = out[-1] if out else ""
        if previous.strip() and not _NOT_PARAGRAPH.match(previous):
            out.append("")
            notes.append(BodyNote(index + 1, f"blank line added before the summary separator '{delimiter}': "
                                  "without it Markdown made the line above a heading and the summary was lost"))
        out.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following.strip() and not _BLOCK_START.match(following):
            out.append("")
            notes.append(BodyNote(index + 1, f"blank line added after the summary separator '{delimiter}': "
                                  "the next line joined it into a paragraph, so Grav did not cut the summary"))
    return out, notes


def clean_body(body: str, delimiter: str, trim: bool = True, final_newline: bool = True) -> tuple[str, list[BodyNote]]:
    """The body with whitespace hygiene applied: no leading blank lines, one final newline.

    `delimiter` "" leaves the summary separator alone; `trim` False keeps trailing whitespace
    (and hard breaks) as written; `final_newline` False keeps the end of the text as written
    (blank lines at the end, or no newline at all). Leading blank lines (also whitespace-only
    ones) always go: they are the gap after the closing fence, which is one blank line.
    """
    lines = body.split("\n")
    lines, notes = fix_separators(lines, delimiter)
    if trim:
        lines = strip_trailing(lines)
    while lines and not lines[0].strip(" \t"):
        lines.pop(0)
    if not final_newline:
        return "\n".join(lines), notes
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    return ("\n".join(lines) + "\n" if lines else ""), notes


def clean_plain(text: str) -> str:
    """A file without frontmatter: trailing whitespace and the final newline only."""
    lines = strip_trailing(text.split("\n"))
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def squash(text: str) -> str:
    """Text without any whitespace: what must not change when only whitespace is fixed."""
    return "".join(text.split())
