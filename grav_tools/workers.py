"""What every worker process of a pool does first."""

from __future__ import annotations

import os
import sys


def die_with_parent(parent: int) -> None:
    """Ask Linux to end this worker when the process that started it (`parent`) dies.

    A killed `grav-tools` (a CI timeout, kill -9) otherwise left its pool workers checking or
    normalising their queued pages for minutes, unseen. Elsewhere nothing is done: the pool's
    own shutdown still ends the workers on any normal exit.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # no prctl: the pool's normal shutdown is all there is
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
