"""A results cache, as ruff and black keep one: pages that did not change are not checked again.

Checking a page costs about 20 times reading it, so a second run over a big site is mostly
spent re-deriving what the first run already knew. Each page's problems and summary are kept,
keyed by what they depend on:

- first, the quick key: the page file's size, modification and change times and inode (ruff
  keys on the modification time alone; the change time also catches tools that restore an old
  mtime), its folder's modification time and inode (files added, removed or renamed beside it)
  and how the page was found (its display path, page-file flag, tree);
- when the quick key differs, the content key: a hash of the page file's bytes and of the names
  of the files beside it, with the same display path and flags. A fresh `git clone` or checkout
  gives every file new times, so a CI job that restores this folder (see the README) would
  otherwise check every page again; black falls back on a content hash for the same reason.
  A page whose quick key matched is not read at all. On a first run (no cache file yet) the
  quick keys are taken where the pages are read, in the pool workers, just before each read
  and each folder listing, instead of stat-ing every page here before any work can start, and
  the workers make each page's record too (see first_run): the main process only appends it;
- for the whole cache file: grav-tools' own code (a hash of every module), the enabled rules and
  their options, each site's configuration and the paths given.

A page whose rules looked outside its own folder (a `sub/a.jpg` or `../a.jpg` reference) is
never cached: those files are not in the key. Site rules (duplicates, translations, unused
media) always run again over the summaries, unless nothing at all changed, in which case the
final report itself is reused.

The cache lives in the user's cache folder (`$XDG_CACHE_HOME/grav-tools`, `~/.cache/grav-tools`),
never inside the site being checked; `GRAV_TOOLS_CACHE_DIR` or `--cache-dir` moves it (for a CI
cache step) and `--no-cache` turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import pickle
import time
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import IO, Any

from grav_tools import __version__
from grav_tools.listing import FolderStamp, folder_files, folder_stamp
from grav_tools.source import PAGE_MAX_BYTES, read_page_bytes

CACHE_FORMAT = 2  # 2: entries carry a content key beside the quick key
WRITE_BUFFER = 1 << 20  # the pages file of a first run at 10k pages: 19 MB in 19 writes, not 2,400 (-15 ms)
RACY_NS = 2_000_000_000  # younger than this (by file times), a page's quick key is not trusted
StatKey = tuple[int, ...]


def default_cache_dir() -> Path:
    """Where the cache goes unless told otherwise (never inside the checked site)."""
    explicit = os.environ.get("GRAV_TOOLS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "grav-tools"


def canonical(value: Any) -> Any:
    """A hash-seed independent form of settings objects (sets sorted, dataclasses as tuples)."""
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, canonical(getattr(value, f.name))) for f in fields(value)))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(canonical(v)) for v in value)))
    if isinstance(value, (list, tuple)):
        return tuple(canonical(v) for v in value)
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(canonical(k)), canonical(v)) for k, v in value.items())))
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Path):
        return str(value)
    return value


def code_fingerprint() -> str:
    """grav-tools' version and a hash of every module: an edited checkout is a new tool.

    The bytes, not the file times: a fresh clone or `pip install` of the same code (a CI job that
    restores its cache) must find the cache it made before. ~70 small files: about a millisecond.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, package).encode("utf-8", "surrogatepass") + b"\0")
                with open(path, "rb") as handle:
                    digest.update(hashlib.blake2b(handle.read(), digest_size=16).digest())
    return digest.hexdigest()


def _digest(value: Any) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def stat_key(path: str) -> StatKey | None:
    """The file's identity and version as the cache sees it; None when it is not a plain file."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return stat_key_of(info)


def stat_key_of(info: os.stat_result) -> StatKey | None:
    """stat_key from a stat already taken (a worker's, just before it read the page)."""
    if (info.st_mode & 0o170000) != 0o100000:  # not a regular file (a FIFO, a device): never cached
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def bytes_digest(data: bytes) -> bytes:
    """The content half of a page's content key (the workers hash the bytes they checked)."""
    return hashlib.blake2b(data, digest_size=16).digest()


_listing_digests: dict[int, tuple[tuple[str, ...], bytes]] = {}


def listing_digest(names: tuple[str, ...]) -> bytes:
    """A hash of a folder's file names, as lint lists them for the page rules.

    Every page of a folder gets the very same tuple, so the hash is remembered by identity (the
    tuple is kept alive here, so its id is not reused).
    """
    known = _listing_digests.get(id(names))
    if known is not None and known[0] is names:
        return known[1]
    digest = hashlib.blake2b("\0".join(names).encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if len(_listing_digests) >= 64:
        _listing_digests.clear()
    _listing_digests[id(names)] = (names, digest)
    return digest


# A page's entry: (quick key or None when it was too young to trust, content key, stored value).
Entry = tuple[Any, Any, Any]
# (the page file's stat_key, its folder's stamp), taken before the page was read and its folder listed
Stamp = tuple[StatKey | None, FolderStamp | None]
# what the page rules looked at: hashes of the bytes checked and of the folder listing they saw,
# and on a first run the page's Stamp
Fingerprint = tuple[bytes, bytes, Stamp | None]


class RunKey:
    """The quick key of a whole run: its pages' quick keys in target order, hashed as they come
    (a first run gets them from the workers, one by one, as `piece`s)."""

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    @staticmethod
    def piece(page_key: Any) -> bytes:
        """What one page's quick key adds to the run key."""
        return repr(page_key).encode("utf-8", "surrogatepass")

    def add(self, page_key: Any) -> None:
        self.add_piece(self.piece(page_key))

    def add_piece(self, piece: bytes) -> None:
        self._hash.update(piece + b"\0")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def quick_key(display: str, stamp: Stamp, flags: Any) -> Any:
    """A page's quick key from its file's and its folder's stamps; None = do not cache."""
    own, folder = stamp
    if own is None or folder is None:
        return None
    return (display, own, folder, flags)


def content_of(key: Any, fingerprint: Fingerprint) -> Any:
    """The content key of the page with this quick key, from what its rules looked at."""
    return (key[0], fingerprint[0], fingerprint[1], key[3])


def content_hash(content: Any) -> int:
    """A content key as a number: a run sums its pages' (see ResultCache.content_run_key)."""
    return int(_digest(content), 16)


def trusted(key: Any) -> Any:
    """The quick key, or None when the file or folder changed too recently to trust it.

    File times tick coarsely (a few ms on Linux, 2 s on FAT): a file rewritten with the same
    size within one tick keeps its times, so for a page younger than RACY_NS only the content
    key is kept: the next run reads and hashes it (git's "racily clean" rule).
    """
    _, own, folder, _ = key
    newest = max(own[1], folder[0])  # modification times: a change within their tick goes unseen
    return None if time.time_ns() - newest < RACY_NS else key


def record(path: str, entry: Entry) -> bytes:
    """A page's record in the pages file: a pickle of its own, with its own memo (see _load_pages)."""
    return pickle.dumps((path, entry), pickle.HIGHEST_PROTOCOL)


# What a first run keeps of one checked page: its piece of the run key and, when it is cached,
# its pages-file record and the content_hash of its content key.
FirstRun = tuple[bytes, bytes | None, int]


def first_run(path: str, display: str, flags: Any, value: bytes, fingerprint: Fingerprint | None,
              cacheable: bool) -> FirstRun:
    """A page's part of a first run's cache, made where the page was checked (a pool worker).

    The worker has all an entry needs: the stamps taken before its read, the hashes of what its
    rules saw, its packed results. Made there, the main process only appends the record to the
    pages file: pickling 13k entries and printing their keys for the hashes cost it ~0.3 s of a
    10k-post site's first run. `fingerprint` None: the page could not be read (no stamp, no entry).
    """
    stamp = fingerprint[2] if fingerprint is not None else None
    key = quick_key(display, stamp, flags) if stamp is not None else None
    piece = RunKey.piece(key)
    if key is None or fingerprint is None or not cacheable:
        return piece, None, 0
    content = content_of(key, fingerprint)
    return piece, record(path, (trusted(key), content, value)), content_hash(content)


class ResultCache:
    """Per-page results of one kind of run (same code, rules, options, sites and paths)."""

    def __init__(self, directory: Path, scope: Any) -> None:
        self.directory = directory
        name = _digest((CACHE_FORMAT, code_fingerprint(), canonical(scope)))
        self.pages_file = directory / f"pages-{name}.pickle"
        self.run_file = directory / f"run-{name}.pickle"
        self._pages: dict[str, Entry] | None = None
        self._fresh: dict[str, Entry] = {}  # entries of the pages file used again in this run
        self._folders: dict[str, FolderStamp | None] = {}
        self._flags: dict[Any, Any] = {}
        self._added = False  # any entry stored or re-keyed in this run (else the pages file may be unchanged)
        self._writer: _PagesWriter | None = None
        self._contents = (0, 0)  # (pages with a content key this run, their hashes summed): see content_run_key
        self.hits = 0
        self.content_hits = 0  # of those, found by content after the quick key changed

    # -- keys --------------------------------------------------------------------------------

    def page_key(self, path: str, display: str, flags: Any) -> Any:
        """The quick key: everything a page's own results depend on besides the settings, by file
        times; None = do not cache."""
        own = stat_key(path)
        if own is None:
            return None
        folder = os.path.dirname(path)
        if folder not in self._folders:
            self._folders[folder] = folder_stamp(folder)
        return self.stamped_key(display, (own, self._folders[folder]), flags)

    def stamped_key(self, display: str, stamp: Stamp, flags: Any) -> Any:
        """quick_key, with one flags tuple for all the pages that have the same (nearly all)."""
        return quick_key(display, stamp, self._flags.setdefault(flags, flags))

    def is_cold(self) -> bool:
        """No pages file for this kind of run yet: every page will be checked, so instead of 13k
        stat calls here before any work starts, the workers stamp the pages as they read them."""
        return not os.path.exists(self.pages_file)

    def content_key(self, path: str, key: Any, fingerprint: Fingerprint | None = None) -> Any:
        """The content key for a page with this quick key: the hash of its bytes and of the names
        of the files beside it. `fingerprint` gives both as the page rules saw them; without it
        the file is read and its folder listed here. None when the file cannot be read."""
        if fingerprint is None:
            raw = read_page_bytes(path, PAGE_MAX_BYTES)  # as the page rules read it
            if isinstance(raw, str):
                return None
            fingerprint = (bytes_digest(raw), listing_digest(folder_files(os.path.dirname(path))), None)
        return content_of(key, fingerprint)

    @staticmethod
    def run_key(page_keys: Iterable[Any]) -> str:
        run = RunKey()
        for key in page_keys:
            run.add(key)
        return run.hexdigest()

    def content_run_key(self, pages: int) -> str | None:
        """The whole run by content, when each of its `pages` pages was found or stored by content
        in this run; else None. The pages' content keys are summed as they come (each holds its
        page's path, so the order they came in does not matter and nothing is kept per page)."""
        count, total = self._contents
        return _digest((count, total)) if count == pages else None

    def _count_content(self, page: int) -> None:
        """Add a page's content_hash to the run's (see content_run_key)."""
        count, total = self._contents
        self._contents = (count + 1, (total + page) % (1 << 128))

    # -- whole runs --------------------------------------------------------------------------

    def load_run(self, key: str, content: str | None = None) -> Any | None:
        """The final result of an earlier run with exactly these pages (by their quick keys, or
        by content when `content` is given), or None."""
        stored = self._load(self.run_file)
        if isinstance(stored, tuple) and len(stored) == 3 and (stored[0] == key or (content and stored[1] == content)):
            return stored[2]
        return None

    def save_run(self, key: str, content: str | None, result: Any) -> None:
        self._save(self.run_file, (key, content, result))

    # -- pages -------------------------------------------------------------------------------

    def get(self, path: str, key: Any) -> Any | None:
        """The stored value when the quick key matches, or else the content key (the file is read)."""
        if self._pages is None:
            self._pages = self._load_pages()
        entry = self._pages.get(path)
        if entry is None or key is None:
            return None
        quick, content, value = entry
        if quick != key:
            if self.content_key(path, key) != content:
                return None
            self.content_hits += 1
            entry = (trusted(key), content, value)  # next time the quick key will do
            self._added = True
        self.hits += 1
        self._fresh[path] = entry
        self._count_content(content_hash(content))
        return value

    def put(self, path: str, key: Any, value: Any, fingerprint: Fingerprint) -> None:
        """Remember a page's results under both keys; `fingerprint` is (hash of the bytes checked,
        hash of the folder listing the rules saw), so the entry describes what was checked even
        when the file or folder changed since."""
        content = self.content_key(path, key, fingerprint)
        self.put_record(record(path, (trusted(key), content, value)), content_hash(content))

    def put_record(self, page: bytes, content: int) -> None:
        """Append a page's `record`, whose content key has the content_hash `content`."""
        if self._writer is None:
            self._writer = _PagesWriter(self.pages_file)
        self._writer.add(page)  # on disk at once: 65k pages' results held here cost 90 MB
        self._count_content(content)
        self._added = True

    def save_pages(self) -> None:
        """Keep the entries of this run only: pages deleted since are forgotten.

        Rewriting an unchanged file of 13k entries costs most of a second, so it is skipped when
        every entry came from it unchanged and none of it went unused.
        """
        if not self._added and self._pages is not None and len(self._fresh) == len(self._pages):
            return
        writer = self._writer or _PagesWriter(self.pages_file)
        self._writer = None
        for path, entry in self._fresh.items():
            writer.add(record(path, entry))
        writer.commit()

    def discard(self) -> None:
        """Forget what this run stored (it was interrupted): the pages file stays as it was."""
        if self._writer is not None:
            self._writer.discard()
            self._writer = None

    # -- files -------------------------------------------------------------------------------

    def _load(self, path: Path) -> Any:
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)  # our own file in the user's cache folder
        except Exception:  # noqa: BLE001 - a missing, old or damaged cache is an empty one
            return None

    def _load_pages(self) -> dict[str, Entry]:
        """The pages file: a run of small pickles, one (path, entry) each, after a format mark."""
        pages: dict[str, Entry] = {}
        try:
            with open(self.pages_file, "rb") as handle:
                # one unpickler per record: each was written with a fresh memo, and a shared
                # unpickler would number its memo on from the records before
                if pickle.load(handle) != ("grav-tools pages", CACHE_FORMAT):
                    return {}
                while True:
                    try:
                        path, entry = pickle.load(handle)
                    except EOFError:
                        return pages
                    pages[path] = entry
        except Exception:  # noqa: BLE001 - a missing, old or damaged cache is an empty one
            return {}

    def _save(self, path: Path, value: Any) -> None:
        """Write atomically."""
        temp = _temp_name(path)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            with contextlib.suppress(OSError):
                temp.unlink()


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


class _PagesWriter:
    """A new pages file, written record by record as results come in, put in place by `commit`.

    Each record is its own pickle, with its own memo (one pickle of 65k pages kept a memo of every
    object: +300 MB at the peak). Any error drops the new file: the old one stays, which only costs
    time.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temp = _temp_name(path)
        self._handle: IO[bytes] | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.temp, "wb", buffering=WRITE_BUFFER)
            self._handle.write(pickle.dumps(("grav-tools pages", CACHE_FORMAT), pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001
            self.discard()

    def add(self, page: bytes) -> None:
        """Append one `record`."""
        if self._handle is None:
            return
        try:
            self._handle.write(page)
        except Exception:  # noqa: BLE001
            self.discard()

    def commit(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.close()
            os.replace(self.temp, self.path)
        except Exception:  # noqa: BLE001
            self.discard()
        self._handle = None

    def discard(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
        self._handle = None
        with contextlib.suppress(OSError):
            self.temp.unlink()
