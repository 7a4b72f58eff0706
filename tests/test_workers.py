"""Pool workers do not outlive a killed grav-tools (Linux: PR_SET_PDEATHSIG)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _parents() -> dict[int, int]:
    """Every process's parent."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            found[int(entry)] = int(fields[1])
    return found


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _family(pid: int) -> tuple[list[int], list[int]]:
    """All processes below `pid`, and the pool workers among them: those with no children of their
    own (validate's workers are forked by a fork server, normalise's by grav-tools itself), apart
    from multiprocessing's resource tracker."""
    parents = _parents()
    below: list[int] = []
    frontier = [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        below += frontier
    has_children = set(parents.values())
    workers = [p for p in below if p not in has_children and b"resource_tracker" not in _cmdline(p)]
    return below, workers


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
# (command, pages, children to wait for): validate's pool has two workers; normalise works in the
# main process beside one worker, and is fast enough to need more pages to be caught running
@pytest.mark.parametrize(("command", "count", "children"), [
    (["validate", "--no-cache", "--format", "json"], 2400, 2),
    (["normalise", "--check", "-q"], 12000, 1),
])
def test_workers_die_when_grav_tools_is_killed(tmp_path: Path, command: list[str], count: int, children: int) -> None:
    pages = tmp_path / "user" / "pages" / "01.blog"
    body = "---\ntitle: A\ndate: 09/01/2023\n---\n" + "Text with ![](a.jpg) and more.\n" * 200
    for index in range(count):  # above the 2,000-file threshold for a process pool
        folder = pages / f"{index:05d}.post"
        folder.mkdir(parents=True)
        (folder / "item.md").write_text(body, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "grav_tools", *command, "-j", "2", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    below: list[int] = []
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < children:
        below, workers = _family(proc.pid)
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run finished before its workers could be seen")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30  # a bound, not a timing: orphans used to run for minutes
    while time.monotonic() < deadline and any(_alive(pid) for pid in below):
        time.sleep(0.05)
    assert len(workers) >= children and not any(_alive(pid) for pid in below)
