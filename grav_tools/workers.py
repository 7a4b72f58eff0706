"""How many pool workers a run gets, and what every one of them does first."""

from __future__ import annotations

import os
import sys


def worker_count(jobs: int | None) -> int:
    """How many processes `--jobs` asks for: one per CPU unless told."""
    return jobs if jobs is not None else (os.cpu_count() or 1)


def die_with_parent(parent: int) -> None:
    """Ask Linux to end this worker when the process that started it dies, and end it now if
    `parent` (the grav-tools process that made the pool) is gone already.

    A killed `grav-tools` (a CI timeout, kill -9) otherwise left its pool workers checking or
    normalising their queued pages for minutes, unseen. A worker's own parent is either `parent`
    (a fork) or the fork server (validate's pool), which ends as soon as `parent` does.
    Elsewhere nothing is done: the pool's own shutdown still ends the workers on any normal exit.
    """
    if not sys.platform.startswith("linux"):
        return
    before = os.getppid()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # no prctl: the pool's normal shutdown is all there is
    if os.getppid() != before or not _alive(parent):  # a parent died before prctl took effect
        os._exit(1)
    if before != parent:
        _watch(parent)


def _watch(parent: int) -> None:
    """End this worker when `parent` ends, though it is not this worker's own parent.

    A fork server's workers hold the pipe whose end tells the server that grav-tools is gone (so
    that they could use the server themselves): killed grav-tools, the server would wait for them
    and they for work, forever. A thread blocked on a pidfd of `parent` costs nothing until then.
    """
    import select
    import threading

    try:
        handle = os.pidfd_open(parent)
    except (OSError, AttributeError):  # an old kernel: the pool's normal shutdown is all there is
        return

    def wait() -> None:
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=wait, name="grav-tools-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists
        return True
    return True
