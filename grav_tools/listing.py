"""The names of the files beside a page: what page rules see, and what the results cache keys on.

One listing per folder per run and process: the pages of a folder (translations) share the very
same tuple, which per-listing caches elsewhere rely on (context.per_listing, cache.listing_digest).
"""

from __future__ import annotations

import os
from pathlib import Path

_known: dict[str, tuple[str, ...]] = {}


def folder_files(folder: Path | str) -> tuple[str, ...]:
    """The sorted names of the regular files in a folder (after symlinks); () if it cannot be listed."""
    folder = str(folder)
    cached = _known.get(folder)
    if cached is None:
        if len(_known) > 4096:
            _known.clear()
        try:
            cached = tuple(sorted(e.name for e in os.scandir(folder) if e.is_file()))
        except OSError:
            cached = ()
        _known[folder] = cached
    return cached


def forget() -> None:
    """Start a new run: files come and go between runs."""
    _known.clear()
