"""Files in, results out: read, normalise, then check, diff or write each page atomically.

The same discovery as validate (symlinks out of the tree are never followed), the site's own
settings per page, and day/month votes per site taken from the files as they were before this
run wrote anything. The core never prints; the CLI renders what this returns.
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grav_tools.discover import Target
from grav_tools.normalise.core import Note, normalise_text
from grav_tools.normalise.dates import DATE_KEYS, order_votes
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.page import normalise_newlines, split_frontmatter
from grav_tools.source import WriteFailed, atomic_write, decode, detect_legacy_encoding, remove_stale_temps
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
    encoding: str | None = None  # the encoding the file was transcoded from, when it was not UTF-8


@dataclass(slots=True)
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    stale_temps: int = 0  # temp files of an interrupted earlier run, removed before writing

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A page file as it was read: its bytes and what identifies that version of it."""

    raw: bytes
    stamp: tuple[int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns
    mode: int


def _stamp(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _read(target: Target) -> Snapshot | str:
    """The bytes of a page file and its identity, or why we will not touch it.

    Opens first and checks the open file, so a FIFO never blocks us and a file swapped after a
    stat is not read by mistake.
    """
    if target.outside:
        return "it is a symlink to a file outside the given folder; not followed"
    try:
        fd = os.open(target.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:
        return getattr(exc, "strerror", None) or str(exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > MAX_FILE_BYTES:
            return "larger than any real page; not read"
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_FILE_BYTES:
                return "larger than any real page; not read"
        after = os.fstat(fd)
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        try:
            os.close(fd)
        except OSError:
            pass  # nothing was written through it; the bytes read are what they are
    if _stamp(after) != _stamp(info):
        return CHANGING
    return Snapshot(b"".join(chunks), _stamp(after), stat.S_IMODE(after.st_mode))


CHANGING = "changed on disk while grav-tools was reading it; not written, run again"
CHANGED_ON_DISK = "changed on disk while grav-tools was working; not written, run again"
READ_ONLY = "read-only file; not changed (chmod u+w to allow it)"


def _text(raw: bytes, options: NormaliseOptions) -> tuple[str, str | None, str | None]:
    """(text without BOM, why not, the encoding it was transcoded from).

    UTF-8 is never transcoded. Anything else only with --encoding, or with --fix-encoding when
    exactly one encoding reads the bytes as plausible text (source.detect_legacy_encoding).
    """
    decoded = decode(raw)
    if decoded.utf8 and decoded.nul_offset < 0:
        return decoded.text, None, None
    if options.encoding is not None:
        try:
            text = raw.decode(options.encoding).lstrip("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            return "", f"cannot decode it as {options.encoding}: {exc}", None
        if "\x00" in text:
            return "", f"it contains NUL characters even read as {options.encoding}: it is not a text file", None
        return text, None, options.encoding
    guess = detect_legacy_encoding(raw)
    if options.fix_encoding and guess.encoding is not None:
        return guess.text, None, guess.encoding
    if decoded.nul_offset >= 0 and not guess.candidates:
        return "", "the file contains NUL bytes: it is not a text file", None
    where = f" (line {decoded.bad_line})" if not decoded.utf8 else ""
    if guess.encoding is not None:
        return "", (f"not UTF-8{where}; it is {guess.encoding}: run again with --fix-encoding (or --encoding "
                    f"{guess.encoding}) to convert it"), None
    return "", f"not UTF-8{where}; {_ambiguity(guess.candidates)}", None


def _ambiguity(candidates: tuple[str, ...]) -> str:
    """Why --fix-encoding would not choose, and what to pass instead."""
    from grav_tools.source import LATIN_FAMILY

    named = [c for c in candidates if c != LATIN_FAMILY]
    latin = LATIN_FAMILY in candidates
    if not candidates:
        return ("no encoding grav-tools knows reads it as plausible text; if you know its encoding, "
                "run again with --encoding ENC")
    parts = []
    if named:
        parts.append(" or ".join(named))
    if latin:
        parts.append("a Western single-byte encoding (cp1252, latin-1, cp1250, ...)")
    example = named[0] if named else LATIN_FAMILY
    return (f"it could be {' or '.join(parts)}, which read it differently and cannot be told apart "
            f"from the bytes alone; run again with --encoding {example} (or the one it is) to convert it")


def site_votes(targets: list[Target], options: NormaliseOptions) -> dict[object, Counter[str]]:
    """Day-first / month-first evidence per site, from the dates as they are before any write."""
    votes: dict[object, Counter[str]] = {}
    for target in targets:
        bucket = votes.setdefault(target.site.root, Counter())
        snapshot = _read(target)
        if isinstance(snapshot, str):
            continue
        decoded = decode(snapshot.raw)
        if not decoded.utf8 or "date" not in decoded.text:
            continue
        split = split_frontmatter(normalise_newlines(decoded.text))
        if split.header is None:
            continue
        try:
            root = parse_header(split.header).root
        except Exception:  # noqa: BLE001 - a header we cannot read is no evidence; its own run reports it
            continue
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
    snapshot = _read(target)
    if isinstance(snapshot, str):
        status = SKIPPED if target.outside else FAILED
        return FileResult(target.display, status, reason=snapshot)
    raw = snapshot.raw
    text, why, encoding = _text(raw, options)
    if why is not None:
        return FileResult(target.display, FAILED, reason=why)
    result = normalise_text(text, target.site, options, votes)
    if result.text is None:
        return FileResult(target.display, FAILED, result.notes, result.error or "cannot normalise")
    data = with_line_endings(result.text, text, options.line_endings).encode("utf-8")
    if data == raw:
        return FileResult(target.display, UNCHANGED, result.notes)
    old = normalise_newlines(text)
    outcome = FileResult(target.display, CHANGED, result.notes, old=old, new=result.text,
                         only_bytes=old == result.text, encoding=encoding)
    if write:
        real = Path(os.path.realpath(target.path))
        try:
            guard = _Guard(real, snapshot)
            guard()  # before making a temp file at all
            atomic_write(real, data, before_replace=guard)
        except NotWritten as refused:
            return FileResult(target.display, FAILED, result.notes, str(refused))
        except WriteFailed as exc:
            return FileResult(target.display, FAILED, result.notes, write_failure(exc))
        except OSError as exc:
            return FileResult(target.display, FAILED, result.notes, f"cannot write: {exc.strerror or exc}; "
                              "nothing was changed")
    return outcome


def with_line_endings(new: str, old: str, style: str) -> str:
    """The LF text `new` with the line endings asked for: "lf"; "crlf"; "keep": CRLF when most
    line breaks of the text as read (`old`) were CRLF, else LF. Grav turns CRLF into LF before it
    reads anything, so this changes no byte Grav sees, and a second run reads back what it wrote.
    """
    if style == "crlf" or (style == "keep" and (crlf := old.count("\r\n")) and crlf > old.count("\n") - crlf):
        return new.replace("\n", "\r\n")
    return new


class NotWritten(Exception):
    """A check right before the write refused it; the message says why."""


class _Guard:
    """The last checks before a file is replaced: still the version we read, still writable.

    Compares device, inode, size and modification time, and then the bytes themselves (a page is
    small, and a same-size edit within one timestamp tick would otherwise slip through). A file
    without the owner's write bit is not replaced: renaming over it would work, but whoever made
    it read-only did not ask for it to change. Checked on the mode bits, so it holds for root too.
    The rename can still race an editor in the microseconds after this check; no lock-free
    scheme closes that window.
    """

    def __init__(self, path: Path, snapshot: Snapshot) -> None:
        self.path = path
        self.snapshot = snapshot

    def __call__(self) -> None:
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            raise NotWritten("removed while grav-tools was working; not written") from None
        if _stamp(info) != self.snapshot.stamp:
            raise NotWritten(CHANGED_ON_DISK)
        if not info.st_mode & stat.S_IWUSR:
            raise NotWritten(READ_ONLY)
        if hasattr(os, "geteuid") and os.geteuid() != 0 and not os.access(self.path, os.W_OK):
            raise NotWritten("no permission to write this file; not changed")
        try:
            with open(self.path, "rb") as handle:
                now = handle.read(len(self.snapshot.raw) + 1)
        except OSError as exc:
            raise NotWritten(f"cannot read it again before writing ({exc.strerror or exc}); not changed") from None
        if now != self.snapshot.raw:
            raise NotWritten(CHANGED_ON_DISK)


_ERRNO_WORDS = {
    errno.ENOSPC: "disk full",
    errno.EIO: "I/O error",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_WORDS[errno.EDQUOT] = "disk quota exceeded"
_STAGE_WORDS = {
    "create": "creating a temp file in its folder",
    "write": "writing the temp file",
    "sync": "flushing the temp file to disk",
    "close": "closing the temp file",
    "check": "checking the file before replacing it",
    "rename": "replacing the file",
}


def write_failure(exc: WriteFailed) -> str:
    """A reason a person can act on, saying whether anything changed."""
    what = _ERRNO_WORDS.get(exc.errno or 0) or exc.strerror or str(exc)
    if exc.replaced:
        return (f"{what} while flushing the folder after the file was replaced: the normalised file is in "
                "place but may not survive a power cut")
    hint = " (is the folder writable?)" if exc.stage == "create" and exc.errno in (errno.EACCES, errno.EPERM) else ""
    return f"{what} while {_STAGE_WORDS.get(exc.stage, exc.stage)}{hint}: nothing was changed"


PARALLEL_THRESHOLD = 2000  # below this a process pool costs more than it saves (measured for validate)


def _work(job: tuple[Target, NormaliseOptions, Counter[str], bool, bool]) -> FileResult:
    return normalise_file(*job)


def normalise_targets(targets: list[Target], options: NormaliseOptions, write: bool, keep_text: bool = True,
                      jobs: int | None = None) -> RunResult:
    """Every page file among the targets (files Grav never reads as pages are left alone)."""
    started = time.time()
    pages = [t for t in targets if t.page_file]
    seen: set[str] = set()
    unique: list[Target] = []
    for target in pages:  # a symlink and its target are one file: write it once
        real = os.path.realpath(target.path)
        if real not in seen:
            seen.add(real)
            unique.append(target)
    votes = site_votes(unique, options)  # before anything is written
    stale = remove_stale_temps({os.path.dirname(os.path.realpath(t.path)) for t in unique}, started) if write else 0
    work = [(t, options, votes.get(t.site.root, Counter()), write, keep_text) for t in unique]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(work) >= PARALLEL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            return RunResult(list(pool.map(_work, work, chunksize=max(16, len(work) // (workers * 8)))), stale)
    return RunResult([_work(job) for job in work], stale)


def unified_diff(result: FileResult) -> str:
    """A unified diff of one changed file (LF text; BOM/line-ending-only changes say so)."""
    if result.only_bytes:
        what = f"only the encoding ({result.encoding} to UTF-8), BOM or line endings change" if result.encoding \
            else "only the BOM, line endings or encoding change"
        return f"--- {result.display}\n+++ {result.display}\n@@ {what} @@\n"
    before, after = (f"(original, {result.encoding})", "(normalised, UTF-8)") if result.encoding \
        else ("(original)", "(normalised)")
    lines = difflib.unified_diff(result.old.splitlines(keepends=True), result.new.splitlines(keepends=True),
                                 f"{result.display}\t{before}", f"{result.display}\t{after}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)

