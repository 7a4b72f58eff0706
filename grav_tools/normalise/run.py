"""Files in, results out: read, normalise, then check, diff or write each page atomically.

The same discovery as validate (symlinks out of the tree are never followed), the site's own
settings per page, and day/month votes per site taken from the files as they were before this
run wrote anything. The core never prints; the CLI renders what this returns.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grav_tools.discover import Target
from grav_tools.normalise.core import Note, normalise_text
from grav_tools.normalise.dates import DATE_KEYS, order_votes
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.page import normalise_newlines, split_frontmatter
from grav_tools.source import atomic_write, decode
from grav_tools.yamlio import Mapping, Scalar, parse_header

MAX_FILE_BYTES = 50 * 1024 * 1024
UNCHANGED, CHANGED, FAILED, SKIPPED = "unchanged", "changed", "failed", "skipped"


@dataclass(slots=True)
class FileResult:
    """What normalise did (or would do) to one file."""

    display: str
    status: str  # unchanged / changed / failed / skipped
    notes: list[Note] = field(default_factory=list)
    reason: str = ""  # why it failed or was skipped
    old: str = ""  # LF text before and after, for --diff
    new: str = ""
    only_bytes: bool = False  # the change is in BOM, line endings or encoding only


@dataclass(slots=True)
class RunResult:
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


def _read(target: Target) -> bytes | str:
    """The bytes of a page file, or why we will not touch it."""
    if target.outside:
        return "it is a symlink to a file outside the given folder; not followed"
    try:
        info = os.stat(target.path)
    except OSError as exc:
        return exc.strerror or str(exc)
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return "larger than any real page; not read"
    try:
        return target.path.read_bytes()
    except OSError as exc:
        return exc.strerror or str(exc)


def _text(raw: bytes, options: NormaliseOptions) -> tuple[str, str | None]:
    """Decoded text without BOM, or (\"\", why not)."""
    decoded = decode(raw)
    if decoded.nul_offset >= 0:
        return "", "the file contains NUL bytes: it is not a text file"
    if decoded.utf8:
        return decoded.text, None
    if options.encoding is None:
        guess = decoded.guessed_encoding or "unknown"
        return "", (f"not UTF-8 (line {decoded.bad_line}; it looks like {guess}); run again with "
                    f"--encoding {guess} to convert it")
    try:
        return raw.decode(options.encoding).lstrip("\ufeff"), None
    except (UnicodeDecodeError, LookupError) as exc:
        return "", f"cannot decode it as {options.encoding}: {exc}"


def site_votes(targets: list[Target], options: NormaliseOptions) -> dict[object, Counter[str]]:
    """Day-first / month-first evidence per site, from the dates as they are before any write."""
    votes: dict[object, Counter[str]] = {}
    for target in targets:
        bucket = votes.setdefault(target.site.root, Counter())
        raw = _read(target)
        if isinstance(raw, str):
            continue
        decoded = decode(raw)
        if not decoded.utf8 or "date" not in decoded.text:
            continue
        split = split_frontmatter(normalise_newlines(decoded.text))
        if split.header is None:
            continue
        root = parse_header(split.header).root
        if isinstance(root, Mapping):
            own = root.get("dateformat")
            written = (own.text if isinstance(own, Scalar) and own.text.strip() else None) \
                or target.site.dateformat or options.date_format
            bucket.update(order_votes((n.text for k in DATE_KEYS if isinstance(n := root.get(k), Scalar)), written))
    return votes


def normalise_file(target: Target, options: NormaliseOptions, votes: Counter[str], write: bool,
                   keep_text: bool = True) -> FileResult:
    """Normalise one file; write it only when `write` and every proof held.

    `keep_text` keeps the old and new text in the result (for --diff); without it results stay
    small, which matters when they travel back from worker processes.
    """
    try:
        result = _normalise_file(target, options, votes, write)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        return FileResult(target.display, FAILED, reason=f"internal error in grav-tools ({type(exc).__name__}: "
                          f"{exc}); please report it")
    if not keep_text:
        result.old = result.new = ""
    return result


def _normalise_file(target: Target, options: NormaliseOptions, votes: Counter[str], write: bool) -> FileResult:
    raw = _read(target)
    if isinstance(raw, str):
        status = SKIPPED if target.outside else FAILED
        return FileResult(target.display, status, reason=raw)
    text, why = _text(raw, options)
    if why is not None:
        return FileResult(target.display, FAILED, reason=why)
    result = normalise_text(text, target.site, options, votes)
    if result.text is None:
        return FileResult(target.display, FAILED, result.notes, result.error or "cannot normalise")
    data = result.text.encode("utf-8")
    if data == raw:
        return FileResult(target.display, UNCHANGED, result.notes)
    old = normalise_newlines(text)
    outcome = FileResult(target.display, CHANGED, result.notes, old=old, new=result.text,
                         only_bytes=old == result.text)
    if write:
        try:
            atomic_write(Path(os.path.realpath(target.path)), data)
        except OSError as exc:
            return FileResult(target.display, FAILED, result.notes, f"cannot write: {exc.strerror or exc}")
    return outcome


PARALLEL_THRESHOLD = 2000  # below this a process pool costs more than it saves (measured for validate)


def _work(job: tuple[Target, NormaliseOptions, Counter[str], bool, bool]) -> FileResult:
    return normalise_file(*job)


def normalise_targets(targets: list[Target], options: NormaliseOptions, write: bool, keep_text: bool = True,
                      jobs: int | None = None) -> RunResult:
    """Every page file among the targets (files Grav never reads as pages are left alone)."""
    pages = [t for t in targets if t.page_file]
    seen: set[str] = set()
    unique: list[Target] = []
    for target in pages:  # a symlink and its target are one file: write it once
        real = os.path.realpath(target.path)
        if real not in seen:
            seen.add(real)
            unique.append(target)
    votes = site_votes(unique, options)  # before anything is written
    work = [(t, options, votes.get(t.site.root, Counter()), write, keep_text) for t in unique]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(work) >= PARALLEL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            return RunResult(list(pool.map(_work, work, chunksize=max(16, len(work) // (workers * 8)))))
    return RunResult([_work(job) for job in work])


def unified_diff(result: FileResult) -> str:
    """A unified diff of one changed file (LF text; BOM/line-ending-only changes say so)."""
    if result.only_bytes:
        return (f"--- {result.display}\n+++ {result.display}\n"
                "@@ only the BOM, line endings or encoding change @@\n")
    lines = difflib.unified_diff(result.old.splitlines(keepends=True), result.new.splitlines(keepends=True),
                                 f"{result.display}\t(original)", f"{result.display}\t(normalised)")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)

