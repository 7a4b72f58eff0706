"""Bytes to text: UTF-8 and BOM detection, newline style, legacy encoding guess; atomic writes."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"

# Cyrillic legacy encodings are what Kazakh/Russian sites really meet; latin-1 family last
# because every byte string decodes as latin-1 and it would always "win".
_LEGACY_CANDIDATES = ("utf-16", "cp1251", "koi8-r", "cp1252", "latin-1")


@dataclass(frozen=True, slots=True)
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


def read_page_bytes(path: Path, max_bytes: int) -> bytes | str:
    """The bytes of a regular file of at most `max_bytes`, or why they were not read.

    Never opens a FIFO, socket or device (a FIFO would block forever) and never reads more than
    `max_bytes` + 1 bytes, even when the file is swapped or grows between the checks and the read.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return getattr(exc, "strerror", None) or str(exc)
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > max_bytes:
        return f"file is {info.st_size // (1024 * 1024)} MB, larger than any real page; not read"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else after the stat
            return "not a regular file"
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        os.close(fd)
    if left <= 0:
        return f"file grew beyond {max_bytes // (1024 * 1024)} MB while being read; not read"
    return b"".join(chunks)


REPORT_MAX_BYTES = 50 * 1024 * 1024


def read_lines(path: Path) -> list[str]:
    """The lines of a file as reports show them (decoded, newlines normalised); [] if unreadable.

    Like the checker, it never opens anything but a regular file of at most 50 MB.
    """
    raw = read_page_bytes(path, REPORT_MAX_BYTES)
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


def atomic_write(path: Path, data: bytes, sync: bool = True) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    Writes a temp file in the same folder, fsyncs it, keeps the file mode, then renames.
    `sync=False` skips the per-file fsyncs for callers that write many files and sync once at
    the end (convert): still never half a file, only possibly the old one after a power cut.
    """
    folder = path.parent
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".grav-tools.tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if not sync:
        return
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
