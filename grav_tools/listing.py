"""The names of the files beside a page: what page rules see, and what the results cache keys on.

One listing per folder per run and process: the pages of a folder (translations) share the very
same tuple, which per-listing caches elsewhere rely on (context.per_listing, cache.listing_digest).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FolderStamp = tuple[int, int]  # the folder's modification time and inode: files added, removed, renamed

_known: dict[str, tuple[str, ...]] = {}
# folder -> its stamp taken just before it was listed, when stamping (see stamp_listings)
_stamps: dict[str, FolderStamp | None] = {}
_stamping = False


_ASCII_DIGIT_RUNS = re.compile(r"([0-9]+)")


def natural_key(name: str) -> list[int | str]:
    """A sort key for natural, case-insensitive order, as PHP's strnatcasecmp: runs of ASCII digits
    compare as numbers, the rest without case. ASCII digits only, as PHP counts them; `isdigit()`
    also accepts '²', which int() refuses, and that crashed the old keys on a name like `a1²2.jpg`."""
    return [int(part) if index % 2 else part.lower() for index, part in enumerate(_ASCII_DIGIT_RUNS.split(name))]


def folder_stamp(folder: str) -> FolderStamp | None:
    """What the results cache keys a folder's listing on; None when it cannot be read."""
    try:
        info = os.stat(folder)
    except (OSError, ValueError):
        return None
    return (info.st_mtime_ns, info.st_ino)


def folder_files(folder: Path | str) -> tuple[str, ...]:
    """The sorted names of the regular files in a folder (after symlinks); () if it cannot be listed."""
    folder = str(folder)
    cached = _known.get(folder)
    if cached is None:
        if len(_known) > 4096:
            _known.clear()
            _stamps.clear()
        if _stamping:  # before the listing: a stamp is never newer than what was listed
            _stamps[folder] = folder_stamp(folder)
        try:
            cached = tuple(sorted(e.name for e in os.scandir(folder) if e.is_file()))
        except OSError:
            cached = ()
        _known[folder] = cached
    return cached


def listing_stamp(folder: Path | str) -> FolderStamp | None:
    """The stamp of the folder taken before `folder_files` listed it (None when not stamping)."""
    return _stamps.get(str(folder))


def stamp_listings(on: bool) -> None:
    """Stamp every folder listed from now on (a first run's results cache keys, see lint)."""
    global _stamping
    _stamping = on


def forget() -> None:
    """Start a new run: files come and go between runs."""
    _known.clear()
    _stamps.clear()
