"""Files in, results out: read, normalise, then check, diff or write each page atomically.

The same discovery as validate (symlinks out of the tree are never followed), the site's own
settings per page, and day/month votes per site taken from the files as they were before this
run wrote anything. The core never prints; the CLI renders what this returns.
"""

from __future__ import annotations

import difflib
import errno
import gc
import os
import re
import stat
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from grav_tools.discover import Target
from grav_tools.normalise.core import Note, header_votes, normalise_text
from grav_tools.normalise.dates import AssumedVotes, answer_holds
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.page import normalise_newlines, split_frontmatter
from grav_tools.site import SiteConfig
from grav_tools.source import (
    PAGE_MAX_BYTES,
    WriteFailed,
    atomic_write,
    decode,
    detect_legacy_encoding,
    remove_stale_temps,
    utf8_text,
)
from grav_tools.workers import die_with_parent, worker_count
from grav_tools.yamlio import parse_header

MAX_FILE_BYTES = PAGE_MAX_BYTES  # the checker's bound: a page it would not read is not rewritten
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
        fd = os.open(target.file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:
        return getattr(exc, "strerror", None) or str(exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > MAX_FILE_BYTES:
            return "larger than any real page; not read"
        first = os.read(fd, info.st_size + 1)  # the whole file and its end in one read, as a rule
        chunks = [first]
        if len(first) != info.st_size:  # it grew or shrank since the fstat, or a short read: read on
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
    return Snapshot(first if len(chunks) == 1 else b"".join(chunks), _stamp(after), stat.S_IMODE(after.st_mode))


CHANGING = "changed on disk while grav-tools was reading it; not written, run again"
CHANGED_ON_DISK = "changed on disk while grav-tools was working; not written, run again"
READ_ONLY = "read-only file; not changed (chmod u+w to allow it)"
HARD_LINKED = ("has {links} hard links; not changed: replacing it would leave the other names with the old "
               "text (make it a file of its own with 'cp FILE FILE.tmp && mv FILE.tmp FILE' to allow it)")


def _text(raw: bytes, options: NormaliseOptions) -> tuple[str, str | None, str | None]:
    """(text without BOM, why not, the encoding it was transcoded from).

    UTF-8 is never transcoded. Anything else only with --encoding, or with --fix-encoding when
    exactly one encoding reads the bytes as plausible text (source.detect_legacy_encoding).
    """
    if b"\x00" not in raw and (text := utf8_text(raw)) is not None:
        return text, None, None
    decoded = decode(raw)
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


# What any date that votes (dates.order_votes: shape "dmy" or "mdy") holds somewhere: a day or
# month, a separator, a month or day, a separator, a year. Only an escape ("\\x32") in a
# double-quoted string could make such a date out of other text, so a header with neither
# gives no votes and need not be parsed.
_MAY_VOTE = re.compile(r"\d[-./]\d{1,2}[-./]\d")


def file_votes(raw: bytes, site: SiteConfig, options: NormaliseOptions) -> Counter[str]:
    """The day/month votes one file gives its site, from its bytes as read (UTF-8 files only)."""
    text = utf8_text(raw)
    if text is None or "date" not in text:
        return Counter()
    split = split_frontmatter(normalise_newlines(text))
    if split.header is None or ("\\" not in split.header and not _MAY_VOTE.search(split.header)):
        return Counter()  # no text in it could read as a date with the day or month first
    try:
        root = parse_header(split.header).root
    except Exception:  # noqa: BLE001 - a header we cannot read is no evidence; its own run reports it
        return Counter()
    return header_votes(root, site, options)


@dataclass(slots=True)
class _Pending:
    """A file normalised and proved, waiting to be written (in a writer thread)."""

    real: Path
    snapshot: Snapshot
    data: bytes


@dataclass(slots=True)
class _Outcome:
    """One file's result, the votes it gives its site, and whether that result may stand yet."""

    result: FileResult
    votes: Counter[str]  # from the file as read, before anything was written to it
    asked: list[tuple[Counter[str], ...]]  # the page's ballots each time it consulted its site's votes
    pending: _Pending | None = None


def _prepare(target: Target, real: str, options: NormaliseOptions, votes: Counter[str] | None,
             write: bool) -> _Outcome:
    """Read and normalise one file; with `votes` None the site's votes are not known yet.

    Then they are assumed empty and every page that consults them is recorded (`asked`): its
    result stands only if the real votes give the same answer, and it is never written on that
    assumption. The file's own votes come from the same parse normalise makes, on the text as
    read (a file is read, and counted, before it is written).
    """
    snapshot = _read(target)
    if isinstance(snapshot, str):
        status = SKIPPED if target.outside else FAILED
        return _Outcome(FileResult(target.display, status, reason=snapshot), Counter(), [])
    raw = snapshot.raw
    text, why, encoding = _text(raw, options)
    if why is not None:
        return _Outcome(FileResult(target.display, FAILED, reason=why), file_votes(raw, target.site, options), [])
    probe = AssumedVotes() if votes is None else None
    result = normalise_text(text, target.site, options, votes if probe is None else probe)
    # normalise counted the votes of the text as decoded; that is the text the votes are taken
    # from exactly when the file is UTF-8 (no transcoding)
    own = result.votes if encoding is None else file_votes(raw, target.site, options)
    asked = probe.asked if probe is not None else []
    if result.text is None:
        return _Outcome(FileResult(target.display, FAILED, result.notes, result.error or "cannot normalise"),
                        own, asked)
    data = with_line_endings(result.text, text, options.line_endings).encode("utf-8")
    if data == raw:
        return _Outcome(FileResult(target.display, UNCHANGED, result.notes), own, asked)
    old = normalise_newlines(text)
    outcome = FileResult(target.display, CHANGED, result.notes, old=old, new=result.text,
                         only_bytes=old == result.text, encoding=encoding)
    pending = _Pending(Path(real), snapshot, data) if write and not asked else None
    return _Outcome(outcome, own, asked, pending)


def _commit(result: FileResult, pending: _Pending) -> FileResult:
    """Write one changed file (atomic_write: temp file, fsync, last check, rename, fsync folder)."""
    try:
        guard = _Guard(pending.real, pending.snapshot)
        guard()  # before making a temp file at all
        atomic_write(pending.real, pending.data, before_replace=guard)
    except NotWritten as refused:
        return FileResult(result.display, FAILED, result.notes, str(refused))
    except WriteFailed as exc:
        return FileResult(result.display, FAILED, result.notes, write_failure(exc))
    except OSError as exc:
        return FileResult(result.display, FAILED, result.notes, f"cannot write: {exc.strerror or exc}; "
                          "nothing was changed")
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        return _internal(result.display, exc)
    return result


def _internal(display: str, exc: BaseException) -> FileResult:
    return FileResult(display, FAILED, reason=f"internal error in grav-tools ({type(exc).__name__}: {exc}); "
                      "please report it")


def normalise_file(target: Target, options: NormaliseOptions, votes: Counter[str], write: bool,
                   keep_text: bool = True) -> FileResult:
    """Normalise one file with its site's votes; write it only when `write` and every proof held.

    `keep_text` keeps the old and new text in the result (for --diff); without it results stay
    small, which matters when they travel back from worker processes.
    """
    return _work_chunk([(target, os.path.realpath(target.path), options, votes, write, keep_text)])[0][0]


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
        if info.st_nlink > 1:
            raise NotWritten(HARD_LINKED.format(links=info.st_nlink))
        if hasattr(os, "geteuid") and os.geteuid() != 0 and not os.access(self.path, os.W_OK):
            raise NotWritten("no permission to write this file; not changed")
        try:
            now = _read_upto(self.path, len(self.snapshot.raw) + 1)
        except OSError as exc:
            raise NotWritten(f"cannot read it again before writing ({exc.strerror or exc}); not changed") from None
        if now != self.snapshot.raw:
            raise NotWritten(CHANGED_ON_DISK)


def _read_upto(path: Path, limit: int) -> bytes:
    """The first `limit` bytes of a file (all of it when shorter), with os calls only: the
    guard runs twice per written file, and open() adds a stat, an ioctl and a seek to each."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        parts: list[bytes] = []
        size = 0
        while size < limit and (chunk := os.read(fd, limit - size)):
            parts.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return parts[0] if len(parts) == 1 else b"".join(parts)


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
# Writes run in this many threads per process, beside the normalising: each file still gets its own
# temp file, fsync, check and rename, but the fsyncs (which release the GIL and which ext4 commits
# together) overlap each other and the CPU work instead of stalling it one by one.
WRITE_THREADS = 8
IN_FLIGHT = 4 * WRITE_THREADS  # files normalised and waiting for a writer, at most

_Job = tuple[Target, str, NormaliseOptions, "Counter[str] | None", bool, bool]
_T = TypeVar("_T")


_Row = tuple[FileResult, "dict[str, int]", list[tuple["Counter[str]", ...]]]  # result, own votes, questions asked


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a chunk of pages: each page makes thousands of
    small objects without cycles (nodes, tuples, lines), and the collections they trigger cost
    5-10% of checking a canonical page. Cycles a chunk may leave are collected after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _work_chunk(jobs: list[_Job]) -> list[_Row]:
    """Normalise jobs in order, writing changed files in writer threads; results in job order."""
    with _cyclic_gc_paused():
        return _work_jobs(jobs)


def _work_jobs(jobs: list[_Job]) -> list[_Row]:
    out: list[list[Any]] = []
    writers = ThreadPoolExecutor(WRITE_THREADS) if any(job[4] for job in jobs) else None
    waiting: deque[tuple[int, Future[FileResult]]] = deque()

    def settle(index: int, future: Future[FileResult]) -> None:
        out[index][0] = future.result()
        if not jobs[index][5]:
            out[index][0].old = out[index][0].new = ""

    try:
        for index, (target, real, options, votes, write, keep_text) in enumerate(jobs):
            try:
                outcome = _prepare(target, real, options, votes, write)
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
                outcome = _Outcome(_internal(target.display, exc), _fallback_votes(target, options), [])
            result = outcome.result
            out.append([result, outcome.votes, outcome.asked])
            if outcome.pending is not None and writers is not None:
                waiting.append((index, writers.submit(_commit, result, outcome.pending)))
                while len(waiting) > IN_FLIGHT:
                    settle(*waiting.popleft())
            elif not keep_text:
                result.old = result.new = ""
        while waiting:
            settle(*waiting.popleft())
    finally:
        if writers is not None:
            writers.shutdown(wait=True)  # never leave a write behind, even on KeyboardInterrupt
    return [tuple(row) for row in out]  # type: ignore[misc,unused-ignore]


def _fallback_votes(target: Target, options: NormaliseOptions) -> Counter[str]:
    """A file normalise failed on inside still votes as it did when votes came first."""
    snapshot = _read(target)
    return Counter() if isinstance(snapshot, str) else file_votes(snapshot.raw, target.site, options)


def _votes_chunk(jobs: list[_Job]) -> list[dict[str, int]]:
    """Each file's votes as a plain dict: they travel back from the workers, and a Counter
    pickles and unpickles several times slower."""
    out: list[dict[str, int]] = []
    for target, _, options, _, _, _ in jobs:
        try:
            out.append(dict(_fallback_votes(target, options)))
        except Exception:  # noqa: BLE001 - no evidence from a file we cannot read; its own run reports it
            out.append({})
    return out


_Packed = tuple[str, list[Note], str, str, str, bool, "str | None", dict[str, int], list[tuple["Counter[str]", ...]]]


_ROW_FIELDS = tuple(f.name for f in fields(FileResult))[1:]  # all but the display name


def _work_packed(jobs: list[_Job]) -> list[_Packed]:
    """_work_chunk in a pool worker: each row as a tuple of plain values, without the display
    name the main process has already (a FileResult and a Counter per page pickled and
    unpickled cost more than checking an already canonical page)."""
    return [(*(getattr(r, name) for name in _ROW_FIELDS), dict(votes), asked) for r, votes, asked in _work_chunk(jobs)]


def _map_work(jobs: list[_Job], pool: Executor | None, workers: int) -> list[_Row]:
    """_work_chunk over the jobs, on the pool when there is one; rows in job order."""
    if pool is None or len(jobs) < PARALLEL_THRESHOLD:
        return _work_chunk(jobs)
    return [(FileResult(job[0].display, *row[:-2]), row[-2], row[-1])
            for job, row in zip(jobs, _map(_work_packed, jobs, pool, workers))]


def _map(function: Callable[[list[_Job]], list[_T]], jobs: list[_Job], pool: Executor | None,
         workers: int) -> list[_T]:
    """function over the jobs in `workers` processes: this one and the pool's; results in job order.

    The main process takes chunks from the front while the pool (workers - 1 processes) takes
    them from the back, two chunks per pool process in flight: no process sits idle waiting
    for the others, and a run on a busy machine spends no CPU on a process that only waits.
    """
    if pool is None or len(jobs) < PARALLEL_THRESHOLD:
        return function(jobs)
    size = max(16, len(jobs) // (workers * 16))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    done: list[list[_T]] = [[] for _ in chunks]
    futures: dict[int, Future[list[_T]]] = {}
    front, back = 0, len(chunks) - 1  # the next chunk for this process, and for the pool

    def top_up() -> None:
        nonlocal back
        while back >= front and sum(not f.done() for f in futures.values()) < 2 * (workers - 1):
            futures[back] = pool.submit(function, chunks[back])
            back -= 1

    top_up()
    while front <= back:
        done[front] = function(chunks[front])
        front += 1
        top_up()
    for index, future in futures.items():
        done[index] = future.result()
    return [row for rows in done for row in rows]


class _RealPaths:
    """os.path.realpath for many files in few folder trees: each folder is resolved once.

    realpath(folder/name) is realpath(folder) joined with name, resolved again only when name
    is itself a symlink; folders are memoised, so a file costs one lstat instead of one per
    path component (half a second in the main process for 13,000 pages). Paths with `..` go
    to os.path.realpath, which applies it after resolving what comes before.
    """

    def __init__(self) -> None:
        self.folders: dict[str, str] = {}
        self.given: dict[str, str] = {}  # a folder as written in the paths -> its real path

    def __call__(self, path: str | os.PathLike[str], link: bool | None = None) -> str:
        """The real path; `link=False` (the folder listing said the file is no symlink) spares the
        file's own lstat."""
        path = os.fspath(path)
        folder, name = os.path.split(path)
        if name in ("", ".", ".."):
            return self._whole(path)
        real_folder = self.given.get(folder)
        if real_folder is None:  # once per folder: the files of a folder share its resolution
            real_folder = self.given[folder] = self._whole(folder)
        joined = os.path.join(real_folder, name)
        if link is False:
            return joined
        return os.path.realpath(joined) if os.path.islink(joined) else joined

    def _whole(self, path: str) -> str:
        absolute = os.path.abspath(path)
        if ".." in path.split(os.sep):
            return os.path.realpath(absolute)
        return self._resolve(absolute)

    def _resolve(self, path: str) -> str:
        folder, name = os.path.split(path)
        if not name:
            return path  # the root
        real_folder = self.folders.get(folder)
        if real_folder is None:
            real_folder = self.folders[folder] = self._resolve(folder)
        joined = os.path.join(real_folder, name)
        return os.path.realpath(joined) if os.path.islink(joined) else joined


def normalise_targets(targets: list[Target], options: NormaliseOptions, write: bool, keep_text: bool = True,
                      jobs: int | None = None) -> RunResult:
    """Every page file among the targets (files Grav never reads as pages are left alone).

    Each site's day/month votes come from all its files as they were before anything was
    written. When writing, a first (parallel) pass counts them and the second normalises and
    writes the files in order, as always. Without writing, one pass reads every file once,
    normalises it and counts its votes from the same parse: a page consults its site's votes
    only when one of its dates could be read either way round and nothing else says which, and
    such a page is done again once all votes are counted if they give another answer than the
    one it assumed (none). Writing does not take that shortcut: pages that need the votes would
    be written last, so a run interrupted late would leave only them, and the evidence on how
    to read their dates would be gone.
    """
    started = time.time()
    seen: set[str] = set()
    unique: list[tuple[Target, str]] = []
    realpath = _RealPaths()
    for target in targets:  # a symlink and its target are one file: write it once
        if not target.page_file:
            continue
        real = realpath(target.file, target.link)
        if real not in seen:
            seen.add(real)
            unique.append((target, real))
    stale = remove_stale_temps({os.path.dirname(real) for _, real in unique}, started) if write else 0
    workers = worker_count(jobs)
    parallel = workers > 1 and len(unique) >= PARALLEL_THRESHOLD

    def jobs_for(files: list[tuple[Target, str]], votes: dict[object, Counter[str]] | None) -> list[_Job]:
        """One job per file, with its site's votes (None: not counted yet)."""
        return [(t, real, options, None if votes is None else votes[t.site.root], write, keep_text)
                for t, real in files]

    with (ProcessPoolExecutor(workers - 1, initializer=die_with_parent, initargs=(os.getpid(),))
          if parallel else nullcontext()) as pool:
        if write:
            votes = _tally(unique, _map(_votes_chunk, jobs_for(unique, None), pool, workers))
            return RunResult([result for result, _, _ in _map_work(jobs_for(unique, votes), pool, workers)], stale)
        rows = _map_work(jobs_for(unique, None), pool, workers)
        votes = _tally(unique, (own for _, own, _ in rows))
        again = [i for i, ((target, _), (_, _, asked)) in enumerate(zip(unique, rows))
                 if asked and not answer_holds(asked, votes[target.site.root])]
        redone = _map_work(jobs_for([unique[i] for i in again], votes), pool, workers)
        for i, row in zip(again, redone):
            rows[i] = row
    return RunResult([result for result, _, _ in rows], stale)


def _tally(files: list[tuple[Target, str]], owns: Iterable[dict[str, int]]) -> dict[object, Counter[str]]:
    """Each site's day/month votes: the sum of its files' own (`owns`, in the order of `files`)."""
    votes: dict[object, Counter[str]] = {}
    for (target, _), own in zip(files, owns):
        votes.setdefault(target.site.root, Counter()).update(own)
    return votes


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

