"""Timed runs of a command, with the peak memory of its whole process tree.

A sampler thread sums the proportional set size (PSS, from /proc/<pid>/smaps_rollup) of the
command and all its descendants (pool workers included) every few milliseconds; the peak of
that sum is what "peak memory of all processes together" means in the benchmark table. PSS
shares each page among the processes that map it, so the copy-on-write pages forked workers
share with their parent count once, not once per process as a sum of RSS would. Where
smaps_rollup cannot be read, the RSS is used instead (and errs high).

The command's wall time is taken around `Popen` and `wait` only; the sampler does not delay it
(it reads a few small /proc files per tick and rescans for new descendants every few ticks).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
PROC = Path("/proc")
PSS_EVERY = 20  # ticks between PSS reads when the RSS is not growing


@dataclass
class Measurement:
    """Wall times of repeated runs, the peak tree PSS over all of them and their exit codes."""

    times: list[float] = field(default_factory=list)
    peak_bytes: int = 0
    returncodes: list[int] = field(default_factory=list)
    last_stderr: str = ""

    @property
    def peak_mb(self) -> float | None:
        return self.peak_bytes / 2**20 if self.peak_bytes else None


def _children_map() -> dict[int, list[int]]:
    """ppid -> pids, from one scan of /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(root: int) -> list[int]:
    """`root` and every process below it."""
    children = _children_map()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident set size of one process, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process (shared pages divided among their users); its RSS
    when smaps_rollup cannot be read; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        return rss_bytes(pid)  # no smaps_rollup (old kernel, no permission)
    return rss_bytes(pid)


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; `peak` holds the maximum."""

    def __init__(self, root: int, interval: float = 0.015, rescan_every: int = 4) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.rescan_every = rescan_every
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        enabled = PROC.is_dir()
        pids = [self.root]
        tick = 0
        last_rss = 0  # the RSS sum when PSS was last read
        while enabled and not self._stop_event.is_set():
            if tick % self.rescan_every == 0:
                pids = descendants(self.root)
            # PSS costs milliseconds per read for a big process (the kernel walks its page
            # tables), RSS microseconds: PSS is read every PSS_EVERY ticks, and whenever the RSS
            # sum has grown since the last PSS read (a new peak may be forming)
            rss = sum(rss_bytes(pid) for pid in pids)
            if tick % PSS_EVERY == 0 or rss > last_rss * 1.03:
                self.peak = max(self.peak, sum(pss_bytes(pid) for pid in pids))
                last_rss = rss
            tick += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def run_once(cmd: Sequence[str], cwd: Path | None = None) -> tuple[float, int, int, str]:
    """Run `cmd` once, output discarded (stderr kept for diagnosis).

    Returns (seconds, peak tree PSS in bytes, exit code, stderr tail).
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - start
        peak = sampler.stop()
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return seconds, peak, proc.returncode, tail


def measure(cmd: Sequence[str], runs: int, cwd: Path | None = None,
            setup: Callable[[], None] | None = None) -> Measurement:
    """Time `runs` runs of `cmd`; `setup` (untimed) runs before each one."""
    result = Measurement()
    for _ in range(runs):
        if setup is not None:
            setup()
        seconds, peak, code, tail = run_once(cmd, cwd)
        result.times.append(seconds)
        result.peak_bytes = max(result.peak_bytes, peak)
        result.returncodes.append(code)
        result.last_stderr = tail
    return result
