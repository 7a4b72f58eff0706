"""Bytes to text: UTF-8 and BOM detection, newline style, legacy encoding guess; atomic writes."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"

# Cyrillic legacy encodings are what Kazakh/Russian sites really meet; latin-1 family last
# because every byte string decodes as latin-1 and it would always "win".
_LEGACY_CANDIDATES = ("utf-16", "cp1251", "koi8-r", "cp1252", "latin-1")


@dataclass(slots=True, unsafe_hash=True)  # not frozen, for speed (as dates.DateReading); never change one
class Decoded:
    """The text of a file as Grav would see it, plus what was odd about the bytes.

    `text` keeps the original newlines (so positions match the editor); `utf8` is False when
    the bytes are not valid UTF-8, in which case `text` is a best-effort decoding in
    `guessed_encoding` so that positions can still be reported.
    """

    text: str
    utf8: bool
    bom: bool
    newline: str  # "lf", "crlf", "cr", "mixed" or "none"
    nul_offset: int  # -1 when the file has no NUL byte
    guessed_encoding: str | None = None
    bad_line: int = 0  # 1-based line and byte column of the first byte that is not UTF-8
    bad_column: int = 0


def newline_style(raw: bytes) -> str:
    """Classify the line endings of raw bytes."""
    if b"\r" not in raw:  # most files: nothing to count (the three counts cost 7 µs of a page's 470)
        return "lf" if b"\n" in raw else "none"
    crlf = raw.count(b"\r\n")
    cr = raw.count(b"\r") - crlf
    lf = raw.count(b"\n") - crlf
    kinds = sum(1 for n in (crlf, cr, lf) if n)
    if kinds == 0:
        return "none"
    if kinds > 1:
        return "mixed"
    if crlf:
        return "crlf"
    return "cr" if cr else "lf"


def guess_legacy_encoding(raw: bytes) -> str:
    """Name the most plausible encoding of bytes that are not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if raw[:200].count(b"\x00") > len(raw[:200]) // 4 and len(raw) > 1:
        return "utf-16"
    high = bytes(b for b in raw if b >= 0x80)
    if not high:
        return "ascii"
    # Letters of the Cyrillic alphabet: cp1251 puts lower case at 0xE0-0xFF, koi8-r puts
    # upper case there. Ordinary text is mostly lower case.
    lower_cp1251 = sum(1 for b in high if b >= 0xE0)
    koi_lower = sum(1 for b in high if 0xC0 <= b <= 0xDF)
    if lower_cp1251 + koi_lower > len(high) * 0.6:
        return "cp1251" if lower_cp1251 >= koi_lower else "koi8-r"
    return "cp1252"


# What `normalise --fix-encoding` may transcode by itself: encodings whose misreadings of each
# other's bytes are recognisable (wrong case inside words, box-drawing characters, stray
# controls). kz1048 is cp1251 with the Kazakh letters; the two only differ in 16 bytes.
DETECTABLE = ("utf-16", "cp1251", "kz1048", "koi8-r")
# The Latin single-byte encodings (cp1252, latin-1, cp1250, iso-8859-15, ...) read the same
# bytes as different accented letters that all look plausible, so they can never be told apart
# from the bytes alone; cp1252 stands for the family as a rival only.
LATIN_FAMILY = "cp1252"
_PSEUDO_GRAPHICS = re.compile("[\u2320\u2321\u2500-\u25ff]")
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters


@dataclass(frozen=True, slots=True)
class EncodingGuess:
    """Which encodings read some non-UTF-8 bytes as plausible text.

    `encoding` is set (and `text` is its decoding, without BOM) only when the guess is
    unambiguous: exactly one of DETECTABLE reads the bytes as plausible text, and neither another
    detectable encoding (with a different result) nor the Latin family does. `candidates` lists
    the encodings that read them as plausible text, one per distinct text (cp1251 stands for
    kz1048 when both read the same), in DETECTABLE order, `cp1252` last.
    """

    encoding: str | None
    text: str
    candidates: tuple[str, ...]


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]


def implausible(text: str, single_byte: bool) -> str | None:
    """Why `text` cannot be what a person wrote, or None when it could be.

    The signs of a wrong decoding: control or unassigned characters; pseudo-graphics (box
    drawing is what koi8-r makes of cp1251 punctuation, and the reverse); words whose case
    flips inside (cp1251 and koi8-r swap upper and lower case, so `Привет` read in the other
    one starts lower case and goes on upper case); words that mix scripts (`cafй`, cp1252 read
    as cp1251); for the Latin family, words made mostly of accented letters (`Ïðèâåò`, cp1251
    read as cp1252). Up to 3% odd words are tolerated as typos (none below 34 words).
    """
    for char in text:
        if char in "\t\n\r\f":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cn", "Co", "Cs") or char == "\ufffd":
            return f"control or unassigned character U+{ord(char):04X}"
    if single_byte and (match := _PSEUDO_GRAPHICS.search(text)):
        return f"pseudo-graphics character {match.group()!r}"
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    flipped = mixed = 0
    accented = letters = 0
    for word in words:
        scripts = {_script(c) for c in word}
        if len(scripts) > 1:
            mixed += 1
        if any(a.islower() and b.isupper() for a, b in zip(word, word[1:])):
            flipped += 1
        letters += len(word)
        accented += sum(1 for c in word if not c.isascii())
    tolerated = len(words) * 3 // 100
    if flipped > tolerated:
        return f"{flipped} of {len(words)} words change case inside the word"
    if mixed > tolerated:
        return f"{mixed} of {len(words)} words mix alphabets"
    if single_byte and "LATIN" in {_script(c) for w in words for c in w if not c.isascii()} \
            and accented * 2 > letters:
        return "words made mostly of accented letters"
    return None


def detect_legacy_encoding(raw: bytes) -> EncodingGuess:
    """Read bytes that are not UTF-8 in every detectable encoding; name one only if unambiguous."""
    readings: list[tuple[str, str]] = []
    bom16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in (*DETECTABLE, LATIN_FAMILY):
        if encoding == "utf-16":
            # A BOM says which byte order; without one both orders are tried.
            orders = ("utf-16",) if bom16 else ("utf-16-le", "utf-16-be") if len(raw) % 2 == 0 else ()
            for order in orders:
                try:
                    text = raw.decode(order).lstrip("\ufeff")
                except UnicodeDecodeError:
                    continue
                if implausible(text, single_byte=False) is None:
                    readings.append((order, text))
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if implausible(text, single_byte=True) is None:
            readings.append((encoding, text))
    distinct: list[tuple[str, str]] = []
    for encoding, text in readings:  # cp1251 and kz1048 agree on text without Kazakh letters
        if all(text != seen for _, seen in distinct):
            distinct.append((encoding, text))
    candidates = tuple(encoding for encoding, _ in distinct)
    if len(distinct) == 1 and distinct[0][0] != LATIN_FAMILY:
        return EncodingGuess(distinct[0][0], distinct[0][1], candidates)
    return EncodingGuess(None, "", candidates)


def decode(raw: bytes) -> Decoded:
    """Decode file bytes the way we need to report on them."""
    nul = raw.find(b"\x00")
    bom = raw.startswith(BOM)
    body = raw[3:] if bom else raw
    newline = newline_style(body)
    try:
        return Decoded(body.decode("utf-8"), True, bom, newline, nul)
    except UnicodeDecodeError as exc:
        bad = exc.start + (3 if bom else 0)
    bad_line = raw.count(b"\n", 0, bad) + 1
    bad_column = bad - raw.rfind(b"\n", 0, bad)
    guess = guess_legacy_encoding(raw)
    for encoding in (guess, *_LEGACY_CANDIDATES):
        if encoding == "ascii":
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return Decoded(text.lstrip("\ufeff"), False, bom, newline, nul, guess, bad_line, bad_column)
    return Decoded(raw.decode("latin-1"), False, bom, newline, nul, guess, bad_line, bad_column)  # pragma: no cover


def utf8_text(raw: bytes) -> str | None:
    """The text without BOM when the bytes are UTF-8 (decode's text, without its census of line
    endings and its report on bytes that are not UTF-8), else None."""
    try:
        return (raw[3:] if raw.startswith(BOM) else raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_page_bytes(path: str | Path, max_bytes: int) -> bytes | str:
    """The bytes of a regular file of at most `max_bytes`, or why they were not read.

    Never opens a FIFO, socket or device (a FIFO would block forever) and never reads more than
    `max_bytes` + 1 bytes, even when the file is swapped or grows between the checks and the read.
    """
    return read_page(path, max_bytes)[0]


def read_page(path: str | Path, max_bytes: int) -> tuple[bytes | str, os.stat_result | None]:
    """read_page_bytes, with the file's stat taken before the read (None when there was none):
    the results cache keys a page on it, so the key is never newer than the bytes checked."""
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return getattr(exc, "strerror", None) or str(exc), None
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file", info
    if info.st_size > max_bytes:
        return f"file is {info.st_size // (1024 * 1024)} MB, larger than any real page; not read", info
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return exc.strerror or str(exc), info
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else after the stat
            return "not a regular file", info
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return exc.strerror or str(exc), info
    finally:
        os.close(fd)
    if left <= 0:
        return f"file grew beyond {max_bytes // (1024 * 1024)} MB while being read; not read", info
    return b"".join(chunks), info


# a page file larger than this is no real page: not read (checked, reported or hashed for the cache)
PAGE_MAX_BYTES = 50 * 1024 * 1024


def read_lines(path: Path) -> list[str]:
    """The lines of a file as reports show them (decoded, newlines normalised); [] if unreadable.

    Like the checker, it never opens anything but a regular file of at most 50 MB.
    """
    raw = read_page_bytes(path, PAGE_MAX_BYTES)
    if isinstance(raw, str):
        return []
    text = decode(raw).text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def line_col_of_offset(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (code points) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


TEMP_SUFFIX = ".grav-tools.tmp"
# `.<name>.<pid>.<8 random>.grav-tools.tmp` (older versions wrote no pid): only files named like
# this are ever removed as stale.
_TEMP_NAME = re.compile(r"^\..+?(?:\.(?P<pid>\d+))?\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")


class WriteFailed(OSError):
    """`atomic_write` failed. `stage` says where; `replaced` whether the new file is already in place.

    An OSError with the cause's errno and strerror, so callers that only catch OSError still work.
    """

    def __init__(self, cause: OSError, stage: str, replaced: bool = False) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), cause.filename)
        self.stage = stage  # create / write / sync / close / rename / sync-folder
        self.replaced = replaced


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def atomic_write(path: Path, data: bytes, sync: bool = True, *,
                 before_replace: Callable[[], None] | None = None) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    Writes a temp file in the same folder, fsyncs it, keeps the file mode (and owner, where
    allowed), then renames. `sync=False` skips the per-file fsyncs for callers that write many
    files and sync once at the end (convert): still never half a file, only possibly the old one
    after a power cut. `before_replace` runs after the temp file is complete and right before the
    rename, to make a last check; whatever it raises propagates. On any failure before the rename
    the temp file is removed and `path` is untouched; OS errors come as WriteFailed.
    """
    folder = path.parent
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    mode = stat.S_IMODE(info.st_mode) if info else 0o644
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise WriteFailed(exc, "create") from exc
    stage = "write"
    try:
        try:
            _write_all(fd, data)
            if info is not None and os.name == "posix":
                own = os.fstat(fd)
                if (own.st_uid, own.st_gid) != (info.st_uid, info.st_gid):
                    try:
                        os.fchown(fd, info.st_uid, info.st_gid)
                    except OSError:
                        pass  # only root may give a file away; the group may still differ
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            else:  # pragma: no cover - Windows before Python 3.13
                os.chmod(tmp, mode)
            if sync:
                stage = "sync"
                os.fsync(fd)
        except BaseException:
            try:
                os.close(fd)
            except OSError:
                pass
            raise
        stage = "close"
        os.close(fd)  # a late write error can surface here (NFS)
        if before_replace is not None:
            stage = "check"
            before_replace()
        stage = "rename"
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # removed by the next run (remove_stale_temps)
        if isinstance(exc, OSError) and not isinstance(exc, WriteFailed):
            raise WriteFailed(exc, stage) from exc
        raise
    if not sync:
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise WriteFailed(exc, "sync-folder", replaced=True) from exc


def remove_stale_temps(folders: set[str], started: float) -> int:
    """Remove temp files an interrupted run left in these folders; return how many.

    Only our own temp names, only regular files (never a symlink), only files older than this
    run, and never one whose writing process is still alive (another grav-tools at work).
    """
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith(TEMP_SUFFIX) or not (match := _TEMP_NAME.match(entry.name)):
                continue
            try:
                if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= started:
                    continue
                if match.group("pid") and _alive(int(match.group("pid"))):
                    continue
                os.unlink(entry.path)
                removed += 1
            except OSError:
                continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
