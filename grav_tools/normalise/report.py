"""What `grav-tools normalise` prints: black's shape (messages on stderr, diffs on stdout).

Diffs are coloured with rich only when stdout is a terminal (or --color), never under NO_COLOR.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from grav_tools.normalise.run import CHANGED, FAILED, SKIPPED, UNCHANGED, RunResult, unified_diff


def _plural(count: int, word: str = "file") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(result: RunResult, check: bool) -> str:
    changed, unchanged = result.count(CHANGED), result.count(UNCHANGED)
    failed, skipped = result.count(FAILED), result.count(SKIPPED)
    verb = "would be reformatted" if check else "reformatted"
    text = f"{_plural(changed)} {verb}, {unchanged} unchanged, {failed} failed"
    if skipped:
        text += f", {skipped} skipped"
    return text + "."


def _use_color(color: bool | None, stream: TextIO) -> bool:
    if color is not None:
        return color
    return not os.environ.get("NO_COLOR") and stream.isatty()


def _print_diff(text: str, stream: TextIO, color: bool) -> None:
    if not color:
        stream.write(text)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, soft_wrap=True, highlight=False)
    styles = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))
    for line in text.splitlines(keepends=True):
        style = next((s for prefix, s in styles if line.startswith(prefix)), "")
        console.print(Text(line, style=style), end="")


def render_run(result: RunResult, check: bool, diff: bool, quiet: bool, color: bool | None,
               out: TextIO | None = None, err: TextIO | None = None) -> None:
    """Print one line per changed, failed or skipped file, the notes, the diffs and a summary."""
    out = out or sys.stdout
    err = err or sys.stderr
    coloured = _use_color(color, out)
    for file in result.files:
        if file.status == FAILED:
            err.write(f"error: cannot normalise {file.display}: {file.reason}\n")
        elif file.status == SKIPPED and not quiet:
            err.write(f"skipped {file.display}: {file.reason}\n")
        elif file.status == CHANGED and not quiet:
            transcoded = f" (from {file.encoding} to UTF-8)" if file.encoding else ""
            err.write(f"{'would reformat' if check else 'reformatted'} {file.display}{transcoded}\n")
        if not quiet or file.status == FAILED:
            for note in file.notes:
                where = f"{file.display}:{note.line}" if note.line else file.display
                err.write(f"  {where}: {note.message}\n")
        if diff and file.status == CHANGED:
            _print_diff(unified_diff(file), out, coloured)
    if result.stale_temps and not quiet:
        err.write(f"removed {_plural(result.stale_temps, 'temp file')} left behind by an interrupted run\n")
    err.write(summary(result, check) + "\n")
